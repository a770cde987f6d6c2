"""The data folder's own backups and putting one back (models/storage/backups.py), damaged database
files, and a full disk during a save: each is said so that the user can act, and nothing is
half-saved or changed."""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from alembic import command

import models.core.files
import models.storage.backups
from i18n import _, ngettext, set_language
from models.admin import backup, backup_check, check
from models.core.errors import UserError
from models.core.faults import (
    DatabaseDamaged,
    DatabaseMissing,
    DiskError,
    DiskFull,
    backup_file,
    storage_fault,
)
from models.core.files import atomic_write_text
from models.incidents.actions import open_incident
from models.incidents.case_import import load_demo
from models.org.people import Actor
from models.startup import open_data_dir, open_database
from models.storage.backups import DAILY_KEEP, RestoreRefused, daily_backup, restore
from models.storage.db import Database, make_engine
from models.storage.migrate import SCHEMA_HEAD, alembic_config
from models.storage.names import DATABASE_FILE
from tests.damage import count, fill_disk, zero_pages_of
from tests.unit.incidents.test_incidents import draft

ROOT = Path(__file__).resolve().parents[3]


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file under *folder* and its bytes: what "nothing changed" compares."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def made_backup(data_dir: Path, tmp_path: Path) -> Path:
    """A data folder with a database, and a backup of it made with main.py backup's function."""
    database = open_data_dir(data_dir, "keelung")
    try:
        return backup(database, tmp_path / "backups elsewhere")
    finally:
        database.close()


# --- daily backups ---------------------------------------------------------------------------


def test_the_first_start_of_a_day_backs_up_and_the_newest_fourteen_are_kept(
        db: Database) -> None:
    folder = db.path.parent / "backups"
    first = daily_backup(db.path, date(2026, 3, 1))
    assert first == folder / "crisisdesk-20260301.sqlite3"
    assert count(first, "units") == 15
    assert daily_backup(db.path, date(2026, 3, 1)) is None  # once a day
    manual = backup(db, folder)  # main.py backup into the same folder: never pruned

    for day in range(2, 18):
        daily_backup(db.path, date(2026, 3, day))

    daily = sorted(p.name for p in folder.glob("crisisdesk-2026????.sqlite3"))
    assert daily == [f"crisisdesk-202603{d:02d}.sqlite3" for d in range(18 - DAILY_KEEP, 18)]
    assert manual.exists()
    assert not list(folder.glob(".*"))  # no temporary file left


def test_after_the_clock_ran_ahead_todays_backup_is_kept_and_the_oldest_made_goes(
        db: Database) -> None:
    """Fourteen copies named in 2027 by a PC whose clock was a year ahead, then corrected:
    today's copy used to sort first by name and be deleted as soon as it was made (and made
    again at every start)."""
    folder = db.path.parent / "backups"
    for day in range(1, DAILY_KEEP + 1):
        made = daily_backup(db.path, date(2027, 1, day))
        assert made is not None
        when = time.time() - (DAILY_KEEP + 1 - day) * 86400  # made on the days before today
        os.utime(made, (when, when))

    today = daily_backup(db.path, date(2026, 1, 20))

    assert today == folder / "crisisdesk-20260120.sqlite3" and today.exists()
    assert sorted(p.name for p in folder.glob("crisisdesk-2027????.sqlite3")) == [
        f"crisisdesk-202701{d:02d}.sqlite3" for d in range(2, DAILY_KEEP + 1)]
    assert daily_backup(db.path, date(2026, 1, 20)) is None  # not made again


def test_the_daily_backup_finds_a_damaged_database_and_keeps_no_copy(data_dir: Path,
                                                                       planner: Actor) -> None:
    database = open_data_dir(data_dir, "keelung")
    load_demo(database, planner, "keelung")
    database.close()
    path = data_dir / DATABASE_FILE
    zero_pages_of(path, "timeline")

    with pytest.raises(DatabaseDamaged) as caught:
        daily_backup(path, date(2026, 3, 1))

    assert str(path) in caught.value.message() and "損毀" in caught.value.message()
    assert files_in(data_dir / "backups") == {}


def test_check_names_the_newest_backup_and_warns_when_there_is_none_or_it_is_old(
        db: Database) -> None:
    none = backup_check(db.path)
    assert none.ok and none.warning and str(db.path.parent / "backups") in none.detail

    made = daily_backup(db.path, date.today())
    assert made is not None
    fresh = backup_check(db.path)
    assert fresh.ok and not fresh.warning and str(made) in fresh.detail

    five_days_ago = time.time() - 5 * 86400
    os.utime(made, (five_days_ago, five_days_ago))
    old = backup_check(db.path)
    age = ngettext("made {n} day ago", "made {n} days ago", 5).format(n=5)
    assert old.ok and old.warning and old.detail == f"{made}, {age}"
    assert old in check(db)


# --- restore ---------------------------------------------------------------------------------

WRITE_AND_DIE = """
import os, sys
from datetime import timedelta
from models.storage.db import utcnow
from models.incidents.actions import IncidentDraft, open_incident
from models.org.people import Actor, Role
from models.startup import open_data_dir
from pathlib import Path
db = open_data_dir(Path(sys.argv[1]), "keelung")
open_incident(db, Actor("林組長", Role.UNIT_HEAD, "inspection"), "keelung", IncidentDraft(
    title="備份後的事件", summary="", started_at=utcnow() - timedelta(hours=1), location="",
    reporting_unit="", source="internal", category_key="clearance", subtype_key="",
    scope="本關", level_key="medium", suggested_level="medium", level_reason=""))
os._exit(0)  # as a crash or a power cut: the committed incident is still in the -wal file
"""


def test_restore_puts_the_backup_in_place_and_keeps_the_database_in_use_whole(
        data_dir: Path, tmp_path: Path) -> None:
    saved = made_backup(data_dir, tmp_path)
    subprocess.run([sys.executable, "-c", WRITE_AND_DIE, str(data_dir)], cwd=ROOT, check=True)
    path = data_dir / DATABASE_FILE
    assert path.with_name(path.name + "-wal").stat().st_size > 0

    done = restore(data_dir, saved)

    assert (done.backup, done.database, done.older) == (saved, path, False)
    assert done.set_aside is not None and done.set_aside.parent == data_dir / "backups"
    assert done.set_aside.name.startswith("crisisdesk.replaced-")
    assert count(done.set_aside, "incidents") == 1  # what only the -wal file held
    assert not path.with_name(path.name + "-wal").exists()  # never read into the backup
    assert count(path, "incidents") == 0
    assert sorted(p.name for p in data_dir.iterdir()) == ["backups", DATABASE_FILE]
    database = open_data_dir(data_dir, "keelung")
    try:
        assert all(result.ok for result in check(database))
    finally:
        database.close()


def replace_held(monkeypatch: pytest.MonkeyPatch, times: int | None) -> list[float]:
    """The restore's final replace refused *times* times (None: always) as Windows refuses it
    while an antivirus scans the file just written; the waits between tries, recorded."""
    real_replace = os.replace
    left = [times]
    waits: list[float] = []

    def replace(source: str, target: str) -> None:
        if str(source).endswith(".restore") and (left[0] is None or left[0] > 0):
            if left[0] is not None:
                left[0] -= 1
            raise PermissionError(13, "The process cannot access the file", str(source))
        real_replace(source, target)

    monkeypatch.setattr(models.storage.backups.os, "replace", replace)
    monkeypatch.setattr(models.core.files.time, "sleep", waits.append)
    return waits


def test_a_restore_waits_for_an_antivirus_scanning_the_file_it_just_wrote(
        data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved = made_backup(data_dir, tmp_path)
    waits = replace_held(monkeypatch, 2)

    done = restore(data_dir, saved)

    assert waits == [0.05, 0.1]
    assert done.set_aside is not None and count(done.database, "units") == 15


def test_a_restore_refused_at_the_last_step_keeps_the_copy_of_the_database_in_use(
        data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy made of the database in use is a backup like any other: a refused replace
    leaves it in backups/ (with what the database's -wal held), and the database as it was."""
    saved = made_backup(data_dir, tmp_path)
    subprocess.run([sys.executable, "-c", WRITE_AND_DIE, str(data_dir)], cwd=ROOT, check=True)
    path = data_dir / DATABASE_FILE
    replace_held(monkeypatch, None)

    with pytest.raises(RestoreRefused) as caught:
        restore(data_dir, saved)

    assert str(path) in caught.value.message()
    assert "cannot access" not in caught.value.message()  # the system's English
    [kept] = (data_dir / "backups").glob("crisisdesk.replaced-*.sqlite3")
    assert count(kept, "incidents") == 1 and count(path, "incidents") == 1
    assert not list(data_dir.glob(".*"))


def test_a_database_whose_wal_file_outlives_its_close_is_not_replaced(
        data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The close folds the -wal file into the database and deletes it; one still there
    (the close could not fold it in) holds changes only it has, and would be read into the
    restored file: the restore stops, the database and its -wal as they were."""
    saved = made_backup(data_dir, tmp_path)
    path = data_dir / DATABASE_FILE
    wal = path.with_name(path.name + "-wal")
    lock = models.storage.backups._lock

    class Unclean:
        def __init__(self, con: sqlite3.Connection) -> None:
            self.con = con

        def __getattr__(self, name: str) -> object:
            return getattr(self.con, name)

        def close(self) -> None:
            self.con.close()
            wal.write_bytes(b"frames the close could not fold in")

    monkeypatch.setattr(models.storage.backups, "_lock", lambda database: Unclean(lock(database)))
    before = path.read_bytes()

    with pytest.raises(RestoreRefused) as caught:
        restore(data_dir, saved)

    [kept] = (data_dir / "backups").glob("crisisdesk.replaced-*.sqlite3")
    assert str(kept) in caught.value.message()
    assert path.read_bytes() == before
    assert wal.read_bytes() == b"frames the close could not fold in"


def test_a_backup_another_program_holds_is_refused_in_the_users_words(
        data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved = made_backup(data_dir, tmp_path)

    def locked(_source: Path, _target: Path) -> None:
        raise _sqlite_error(5)  # SQLITE_BUSY: "database is locked"

    monkeypatch.setattr(models.storage.backups, "backup_file", locked)
    with pytest.raises(RestoreRefused) as caught:
        restore(data_dir, saved)

    assert str(saved) in caught.value.message()
    assert _("another program is using it") in caught.value.message()
    assert "as SQLite says it" not in caught.value.message()


def _zeroed(path: Path) -> None:
    zero_pages_of(path, "units", "timeline")


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _word_file(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04 a Word document, not a database" * 50)


def _other_program(path: Path) -> None:
    path.unlink()
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (body TEXT)")
    con.commit()
    con.close()


def _other_alembic_project(path: Path) -> None:
    """Another program's database that uses Alembic too, at an id CrisisDesk also has."""
    path.unlink()
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    con.execute("INSERT INTO alembic_version VALUES ('0001')")
    con.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    con.commit()
    con.close()


def _with_a_trigger(path: Path) -> None:
    """Our tables, and a trigger no migration made: it would run inside every save."""
    con = sqlite3.connect(path)
    con.execute("CREATE TRIGGER erase AFTER INSERT ON timeline BEGIN DELETE FROM units; END")
    con.commit()
    con.close()


def _a_table_short_of_a_column(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("ALTER TABLE units DROP COLUMN name_en")
    con.commit()
    con.close()


def _newer_version(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()


def _pipe(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _six_bytes(path: Path) -> None:
    path.write_text("hello\n", encoding="utf-8")


@pytest.mark.parametrize(("spoil", "said"), [
    (_zeroed, "損毀"), (_empty, "0位元組"), (_word_file, "不是"), (_other_program, "不是"),
    (_other_alembic_project, "不是"), (_with_a_trigger, "不是"),
    (_a_table_short_of_a_column, "不是"), (_newer_version, "較新版本"),
    # A folder or a pipe was "no such file"; a short text file "damaged (cut short)".
    pytest.param(_pipe, "而是資料夾", marks=pytest.mark.skipif(
        sys.platform == "win32", reason="os.mkfifo is POSIX")),
    (_folder, "而是資料夾"), (_six_bytes, "不是CrisisDesk資料庫"),
], ids=["zeroed-pages", "empty", "not-sqlite", "other-program", "other-alembic-project",
        "a-trigger-of-its-own", "a-column-missing", "newer-version", "a-pipe", "a-folder",
        "six-bytes-of-text"])
def test_restore_refuses_a_damaged_or_foreign_backup_and_changes_nothing(
        data_dir: Path, tmp_path: Path, spoil, said: str) -> None:  # type: ignore[no-untyped-def]
    bad = made_backup(data_dir, tmp_path)
    spoil(bad)
    before = files_in(data_dir)

    with pytest.raises(RestoreRefused) as caught:
        restore(data_dir, bad)

    assert str(bad) in caught.value.message() and said in caught.value.message()
    assert files_in(data_dir) == before


@pytest.mark.parametrize("spoil", [_zeroed, _word_file], ids=["damaged", "not-sqlite"])
def test_a_refusal_reads_whole_in_the_language_it_is_shown_in(
        data_dir: Path, tmp_path: Path, spoil) -> None:  # type: ignore[no-untyped-def]
    """Raised while the window spoke Chinese, shown after a switch to English: the reason
    inside the message switches too (it used to stay in the language of the raise)."""
    bad = made_backup(data_dir, tmp_path)
    spoil(bad)
    set_language("zh_TW")
    with pytest.raises(RestoreRefused) as caught:
        restore(data_dir, bad)

    set_language("en")
    said = caught.value.message()
    assert str(bad) in said and not re.search(r"[\u3000-\u9fff\uff00-\uffef]", said), said


def test_restore_refuses_while_the_database_is_open_and_changes_nothing(
        data_dir: Path, tmp_path: Path) -> None:
    saved = made_backup(data_dir, tmp_path)
    database = open_data_dir(data_dir, "keelung")  # the window, or a scheduled sync
    try:
        before = files_in(data_dir)
        with pytest.raises(RestoreRefused) as caught:
            restore(data_dir, saved)
        assert "使用中" in caught.value.message()
        assert files_in(data_dir) == before
    finally:
        database.close()


@pytest.mark.parametrize("spoil", [_zeroed, _empty, _word_file],
                         ids=["zeroed-pages", "empty", "not-sqlite"])
def test_restore_replaces_a_damaged_database_and_keeps_it_as_it_was(
        data_dir: Path, tmp_path: Path, spoil) -> None:  # type: ignore[no-untyped-def]
    saved = made_backup(data_dir, tmp_path)
    path = data_dir / DATABASE_FILE
    spoil(path)
    damaged = path.read_bytes()

    done = restore(data_dir, saved)

    assert done.set_aside is not None and done.set_aside.name.startswith("crisisdesk.damaged-")
    assert done.set_aside.read_bytes() == damaged
    assert count(path, "units") == 15
    open_data_dir(data_dir, "keelung").close()


def test_a_damaged_database_is_set_aside_to_a_backups_folder_on_another_drive(
        data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """backups/ a link to another drive: the rename failed with "Invalid cross-device link"
    and the restore said to close every program using the file, which would never help."""
    saved = made_backup(data_dir, tmp_path)
    path = data_dir / DATABASE_FILE
    _word_file(path)
    damaged = path.read_bytes()
    real_replace = os.replace

    def across_drives(source: object, target: object) -> None:
        if Path(str(source)).parent != Path(str(target)).parent and Path(
                str(target)).parent.name == "backups":
            raise OSError(errno.EXDEV, "Invalid cross-device link", str(source))
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", across_drives)
    done = restore(data_dir, saved)

    assert done.set_aside is not None and done.set_aside.read_bytes() == damaged
    assert count(path, "units") == 15
    assert sorted(p.name for p in done.set_aside.parent.iterdir()) == [done.set_aside.name]


def test_a_journal_beside_a_backup_is_named_not_a_readonly_database(
        data_dir: Path, tmp_path: Path) -> None:
    """SQLite, reading the backup read-only, said "attempt to write a readonly database"."""
    saved = made_backup(data_dir, tmp_path)
    journal = saved.with_name(saved.name + "-journal")
    journal.write_bytes(b"a journal of a change under way" * 20)
    before = files_in(data_dir)

    with pytest.raises(RestoreRefused) as caught:
        restore(data_dir, saved)

    assert str(journal) in caught.value.message() and str(saved) in caught.value.message()
    assert files_in(data_dir) == before


def test_a_restore_leaves_no_index_file_beside_the_backup(data_dir: Path,
                                                          tmp_path: Path) -> None:
    """A backup with its -wal file (a copy of a database in use): SQLite reading it made a
    -shm file in the backup's folder, which a restore should leave as it found it."""
    saved = made_backup(data_dir, tmp_path)
    con = sqlite3.connect(saved)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA wal_autocheckpoint=0")
    con.execute("UPDATE units SET name_en = 'From the -wal file'")
    con.commit()
    wal = saved.read_bytes(), saved.with_name(saved.name + "-wal").read_bytes()
    os.rename(saved.with_name(saved.name + "-wal"), tmp_path / "wal")
    con.close()  # folds the -wal in: put the one it had back, without the -shm
    saved.with_name(saved.name + "-shm").unlink(missing_ok=True)
    saved.write_bytes(wal[0])
    saved.with_name(saved.name + "-wal").write_bytes(wal[1])
    folder = sorted(p.name for p in saved.parent.iterdir())

    restore(data_dir, saved)

    assert sorted(p.name for p in saved.parent.iterdir()) == folder
    con = sqlite3.connect(data_dir / DATABASE_FILE)
    assert con.execute("SELECT DISTINCT name_en FROM units").fetchall() == [
        ("From the -wal file",)]
    con.close()


def test_a_folder_in_the_place_of_a_side_file_stops_the_restore_before_anything(
        data_dir: Path, tmp_path: Path) -> None:
    """The -shm a folder: the restore stopped only after it had copied the database in use
    to backups/, and did not say that nothing was changed."""
    saved = made_backup(data_dir, tmp_path)
    side = data_dir / (DATABASE_FILE + "-shm")
    side.mkdir()
    before = files_in(data_dir)

    with pytest.raises(UserError) as caught:
        restore(data_dir, saved)

    assert str(side) in caught.value.message()
    assert files_in(data_dir) == before and not (data_dir / "backups").exists()


def test_a_huge_backup_is_refused_before_it_is_copied(data_dir: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    saved = made_backup(data_dir, tmp_path)
    with open(saved, "r+b") as fh:
        fh.seek(28)
        fh.write(bytes(4))
        fh.truncate(64 * 1024 ** 2)
    copied: list[Path] = []
    monkeypatch.setattr(models.storage.backups, "backup_file", lambda source, _target: copied.append(
        source))

    with pytest.raises(RestoreRefused) as caught:
        restore(data_dir, saved)

    assert not copied
    assert _("its header does not say how large it is") in caught.value.message()


def test_a_full_disk_during_a_restore_names_the_database_not_a_temporary_file(
        data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved = made_backup(data_dir, tmp_path)
    database = data_dir / DATABASE_FILE

    def full(_source: Path, target: Path) -> None:
        raise DiskFull(target)

    monkeypatch.setattr(models.storage.backups, "backup_file", full)
    with pytest.raises(RestoreRefused) as caught:
        restore(data_dir, saved)

    said = caught.value.message()
    assert str(database) in said and ".restore" not in said


def test_a_backup_of_an_older_version_is_restored_and_upgraded_at_the_next_start(
        data_dir: Path, tmp_path: Path) -> None:
    old = tmp_path / "from the foundation release.sqlite3"
    engine = make_engine(old)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
    engine.dispose()

    done = restore(data_dir, old)

    assert done.older and done.revision == "0001" and done.set_aside is None
    open_data_dir(data_dir, "keelung").close()
    assert count(data_dir / DATABASE_FILE, "alembic_version") == 1
    assert len(list((data_dir / "backups").glob(f"crisisdesk.before-{SCHEMA_HEAD}-*"))) == 1


# --- damaged database files at open ------------------------------------------------------------


def test_an_empty_database_file_is_refused_not_taken_for_a_new_database(data_dir: Path) -> None:
    path = data_dir / DATABASE_FILE
    path.write_bytes(b"")

    with pytest.raises(DatabaseDamaged) as caught:
        open_database(path)

    assert str(path) in caught.value.message() and "0位元組" in caught.value.message()
    assert files_in(data_dir) == {DATABASE_FILE: b""}


@pytest.mark.parametrize("kept", ["crisisdesk-20260301.sqlite3",
                                  "crisisdesk.damaged-20260301T010203Z.sqlite3"],
                         ids=["a-daily-backup", "only-a-damaged-copy"])
def test_a_database_gone_from_beside_its_backups_is_refused_not_made_new(
        data_dir: Path, kept: str) -> None:
    """A first start has no backups folder: a missing database beside backups of it was
    moved, deleted or quarantined (or a restore could not put it back), and an empty new one
    would silently take the place of the user's records."""
    database = open_data_dir(data_dir, "keelung")
    copy = data_dir / "backups" / kept
    backup_file(database.path, copy)
    database.close()
    (data_dir / DATABASE_FILE).unlink()
    before = files_in(data_dir)

    with pytest.raises(DatabaseMissing) as caught:
        open_database(data_dir / DATABASE_FILE)

    said = caught.value.message()
    assert str(data_dir / DATABASE_FILE) in said and str(copy) in said
    assert files_in(data_dir) == before


def test_a_new_database_that_cannot_be_created_leaves_no_file_behind(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk at the very first start: no empty or partial file that the next start would
    have to refuse."""
    import models.storage.migrate

    def full(path: Path):  # type: ignore[no-untyped-def]
        engine = make_engine(path)
        fill_disk(engine)
        return engine

    monkeypatch.setattr(models.storage.migrate, "make_engine", full)
    path = data_dir / DATABASE_FILE

    with pytest.raises(DiskFull) as caught:
        open_database(path)

    assert str(path) in caught.value.message()
    assert files_in(data_dir) == {}


# --- a full disk -------------------------------------------------------------------------------


def test_a_full_disk_during_a_save_is_said_and_nothing_is_half_saved(
        db: Database, planner: Actor) -> None:
    open_incident(db, planner, "keelung", draft())
    before = {t: count(db.path, t) for t in ("incidents", "timeline", "sync_changes")}
    fill_disk(db.engine)

    with pytest.raises(DiskFull) as caught:
        load_demo(db, planner, "keelung")  # a whole archive of cases in one transaction

    assert "磁碟已滿" in caught.value.message() and str(db.path) in caught.value.message()
    db.close()
    assert {t: count(db.path, t) for t in before} == before


def test_a_full_disk_while_writing_a_file_keeps_the_old_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "playbook.json"
    target.write_text("the old version", encoding="utf-8")

    def no_space(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(models.core.files.os, "fsync", no_space)
    with pytest.raises(DiskFull) as caught:
        atomic_write_text(target, "the new version")

    assert "磁碟已滿" in caught.value.message() and str(target) in caught.value.message()
    assert files_in(tmp_path) == {"playbook.json": b"the old version"}


def _sqlite_error(code: int) -> sqlite3.Error:
    error = sqlite3.OperationalError("as SQLite says it")
    error.sqlite_errorcode = code  # type: ignore[attr-defined]
    return error


@pytest.mark.parametrize(("error", "said"), [
    (_sqlite_error(13), "磁碟已滿"),  # SQLITE_FULL
    (_sqlite_error(10 | 3 << 8), "磁碟無法讀寫"),  # SQLITE_IOERR_WRITE
    (_sqlite_error(11), "已損毀"),  # SQLITE_CORRUPT
    (_sqlite_error(26), "已損毀"),  # SQLITE_NOTADB
    (OSError(errno.ENOSPC, "No space left on device"), "磁碟已滿"),
], ids=["full", "io-error", "corrupt", "not-a-database", "no-space"])
def test_storage_faults_are_said_by_what_they_mean_for_the_user(
        data_dir: Path, error: BaseException, said: str) -> None:
    path = data_dir / DATABASE_FILE
    fault = storage_fault(error, path)
    assert fault is not None and said in fault.message() and str(path) in fault.message()
    assert storage_fault(_sqlite_error(5), path) is None  # SQLITE_BUSY: not a storage fault


def test_a_disk_error_does_not_send_the_user_to_restore_a_backup(data_dir: Path) -> None:
    """An I/O error is often passing (a drive reconnected) and the database sound; restoring
    the newest backup would take away what was saved since. That is IT's call."""
    set_language("en")
    said = DiskError(data_dir / DATABASE_FILE).message()
    assert "Try again" in said and "unless IT says so" in said
    assert "restore the newest backup" not in said


def test_backups_dated_in_the_future_are_pruned_first_and_never_push_out_the_others(
        db: Database) -> None:
    """Fourteen copies made while the clock ran a year ahead sorted as the newest: each day
    the copy of the day before was deleted, and only today's was left."""
    folder = db.path.parent / "backups"
    folder.mkdir()
    next_year = time.time() + 365 * 86400
    for day in range(10, 24):
        copy = folder / f"crisisdesk-202701{day}.sqlite3"
        copy.write_bytes(b"")
        os.utime(copy, (next_year + day, next_year + day))
    made = []
    for back in range(3, 0, -1):  # three days in a row, made when they say
        when = date.fromordinal(date.today().toordinal() - back)
        path = daily_backup(db.path, when)
        assert path is not None
        stamp = time.time() - back * 86400
        os.utime(path, (stamp, stamp))
        made.append(path)

    today = daily_backup(db.path, date.today())

    kept = sorted(p.name for p in folder.iterdir())
    assert today is not None and today.name in kept
    assert all(p.name in kept for p in made)
    assert len(kept) == DAILY_KEEP
