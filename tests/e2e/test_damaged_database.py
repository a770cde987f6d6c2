"""A damaged database, a restore and a full disk through the command line, as IT meets them:
main.py as a process (the full disk in-process, where SQLite can be made to fill it). Every
refusal names the file, says what to do and which backup, exits 1, and changes nothing."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

import main
import models.storage.migrate
from i18n import _, ngettext
from models.storage.db import make_engine
from tests.damage import fill_disk, zero_pages_of
from tests.e2e.test_cli import cli

pytestmark = pytest.mark.slow


def used(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A data folder with the demo cases, a backup in its backups folder (the newest backup
    the messages must name); (data folder, database, backup)."""
    data_dir = tmp_path / "data"
    assert cli(data_dir, "demo").returncode == 0
    made = cli(data_dir, "backup", str(data_dir / "backups"))
    assert made.returncode == 0, made.stderr
    [backup] = (data_dir / "backups").glob("crisisdesk-*.sqlite3")
    return data_dir, data_dir / "crisisdesk.sqlite3", backup


def assert_refused(result, database: Path, backup: Path) -> None:  # type: ignore[no-untyped-def]
    said = result.stdout + result.stderr
    assert result.returncode == 1, said
    assert "Traceback" not in said and "malformed" not in said
    assert str(database) in said and str(backup) in said
    assert "已損毀" in said and "從備份還原" in said and "main.py restore" in said


def test_check_and_export_refuse_a_database_with_zeroed_pages(tmp_path: Path) -> None:
    """Pages nothing reads at start: the database opens, check's integrity line fails and
    says what to do, the export stops where it meets them."""
    data_dir, database, backup = used(tmp_path)
    zero_pages_of(database, "timeline")
    before = database.read_bytes()
    out = tmp_path / "all.json"

    checked = cli(data_dir, "check")
    exported = cli(data_dir, "export-json", str(out))

    assert_refused(checked, database, backup)
    assert "[FAIL] SQLite完整性: 資料庫" in checked.stdout
    assert_refused(exported, database, backup)
    assert not out.exists() and not list(tmp_path.glob(".all.json*"))
    assert database.read_bytes() == before


def test_a_database_cut_to_nothing_is_refused_not_made_new(tmp_path: Path) -> None:
    data_dir, database, backup = used(tmp_path)
    database.write_bytes(b"")
    database.with_name(database.name + "-wal").unlink(missing_ok=True)

    for command in (["check"], ["demo"], ["export-json", str(tmp_path / "all.json")]):
        assert_refused(cli(data_dir, *command), database, backup)
    assert database.read_bytes() == b""
    # Nothing was made in its place (the log of the commands is there too).
    assert sorted(p.name for p in data_dir.iterdir()) == ["backups", "crisisdesk.sqlite3",
                                                          "logs"]


def test_a_database_gone_from_beside_its_backups_is_refused_not_made_new(
        tmp_path: Path) -> None:
    data_dir, database, backup = used(tmp_path)
    database.unlink()
    database.with_name(database.name + "-wal").unlink(missing_ok=True)

    checked = cli(data_dir, "check")

    assert checked.returncode == 1, checked.stdout
    assert "Traceback" not in checked.stderr
    assert str(database) in checked.stderr and str(backup) in checked.stderr
    assert "main.py restore" in checked.stderr
    assert not database.exists()
    restored = cli(data_dir, "restore", str(backup))  # the way out the message names
    assert restored.returncode == 0, restored.stderr
    assert cli(data_dir, "check").returncode == 0


def test_restore_puts_back_a_backup_of_a_damaged_database(tmp_path: Path) -> None:
    data_dir, database, backup = used(tmp_path)
    zero_pages_of(database, "timeline", "incidents")
    damaged = database.read_bytes()

    restored = cli(data_dir, "restore", str(backup))

    assert restored.returncode == 0, restored.stderr
    [kept] = (data_dir / "backups").glob("crisisdesk.damaged-*.sqlite3")
    assert kept.read_bytes() == damaged
    assert str(kept) in restored.stdout and str(backup) in restored.stdout
    checked = cli(data_dir, "check")
    assert checked.returncode == 0, checked.stdout
    with sqlite3.connect(database) as con:
        assert con.execute("SELECT count(*) FROM incidents").fetchone() == (4,)


def test_restore_refuses_a_damaged_backup_and_changes_nothing(tmp_path: Path) -> None:
    data_dir, database, backup = used(tmp_path)
    zero_pages_of(backup, "units", "timeline")

    def files() -> dict[Path, bytes]:
        """Everything in the data folder but the log, which records the refusal."""
        return {p: p.read_bytes() for p in sorted(data_dir.rglob("*"))
                if p.is_file() and p.parent.name != "logs"}

    before = files()
    result = cli(data_dir, "restore", str(backup))

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert str(backup) in result.stderr and "無法還原" in result.stderr
    assert files() == before


def test_restore_refuses_another_programs_alembic_database_and_changes_nothing(
        tmp_path: Path) -> None:
    """Stamped with an Alembic id CrisisDesk also has ("0001"), with tables of its own:
    restored, the next start used to fail with "no such table: units"."""
    data_dir, database, _backup = used(tmp_path)
    foreign = tmp_path / "invoices.sqlite3"
    with sqlite3.connect(foreign) as con:
        con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        con.execute("INSERT INTO alembic_version VALUES ('0001')")
        con.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    con.close()
    before = database.read_bytes()

    result = cli(data_dir, "restore", str(foreign))

    assert result.returncode == 1, result.stdout
    assert f"無法還原{foreign}：該檔案不是CrisisDesk資料庫" in result.stderr
    assert database.read_bytes() == before
    assert not list((data_dir / "backups").glob("crisisdesk.replaced-*"))


def test_a_full_disk_is_said_on_the_command_line_and_nothing_is_half_saved(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = tmp_path / "data"
    assert cli(data_dir, "check").returncode == 0

    def full(path: Path):  # type: ignore[no-untyped-def]
        engine = make_engine(path)
        fill_disk(engine)
        return engine

    monkeypatch.setattr(models.storage.migrate, "make_engine", full)
    code = main.main(["--data-dir", str(data_dir), "demo"])

    said = capsys.readouterr()
    assert code == 1
    assert "磁碟已滿" in said.err and str(data_dir / "crisisdesk.sqlite3") in said.err
    with sqlite3.connect(data_dir / "crisisdesk.sqlite3") as con:
        assert con.execute("SELECT count(*) FROM incidents").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM timeline").fetchone() == (0,)


def test_a_full_disk_during_a_sync_is_said_exits_3_and_the_run_is_logged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A run stopped by this PC's full disk: the report says it (the folder was fine), the
    exit code is "could not sync" (3), not "something waits" (1), and the log has the run."""
    from models.startup import open_data_dir
    from tests.sync.conftest import PC, new_incident

    data_dir = tmp_path / "data"
    share = tmp_path / "share"
    share.mkdir()
    # Made by a process: Alembic binds the stdout of its first import, here pytest's capture.
    assert cli(data_dir, "check").returncode == 0
    pc = PC("A", data_dir, open_data_dir(data_dir, "keelung"))
    new_incident(pc)  # a change to send: the segment is stored locally first
    pc.db.close()

    def full(path: Path):  # type: ignore[no-untyped-def]
        engine = make_engine(path)
        fill_disk(engine)
        return engine

    monkeypatch.setattr(models.storage.migrate, "make_engine", full)
    code = main.main(["--data-dir", str(data_dir), "sync", "--folder", str(share)])

    said = capsys.readouterr()
    assert code == 3, said
    assert "磁碟已滿" in said.out and str(data_dir / "crisisdesk.sqlite3") in said.out
    assert "Traceback" not in said.out + said.err
    log = (data_dir / "logs" / "crisisdesk.log").read_text(encoding="utf-8")
    assert f"sync with {share}: stopped (" in log


@pytest.mark.parametrize("what", ["a-folder", "another-alembic-database"])
def test_a_database_that_cannot_be_opened_is_said_in_the_users_words(
        tmp_path: Path, what: str) -> None:
    """The system's and SQLite's own reasons ("Is a directory", "no such table: units") are
    English: the message gives the reason in the user's language and the log keeps SQLite's
    words for IT."""
    data_dir = tmp_path / "data"
    database = data_dir / "crisisdesk.sqlite3"
    if what == "a-folder":
        database.mkdir(parents=True)
    else:
        data_dir.mkdir()
        with sqlite3.connect(database) as con:
            con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
            con.execute("INSERT INTO alembic_version VALUES ('0001')")
            con.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        con.close()

    result = cli(data_dir, "check")

    assert result.returncode == 1, result.stdout
    assert str(database) in result.stderr and "Traceback" not in result.stderr
    english = "Is a directory" if what == "a-folder" else "no such table"
    assert english not in result.stderr
    said = (_("{path} is a folder, not the database file. CrisisDesk did not make it: move "
              "it out of the data folder, then try again (restore the newest backup if it "
              "held the database).").format(path=database) if what == "a-folder"
            else _("SQLite cannot use it as it is; the details are in the log for IT"))
    assert said in result.stderr
    if what == "another-alembic-database":
        log = (data_dir / "logs" / "crisisdesk.log").read_text(encoding="utf-8")
        assert "no such table" in log


def _json_over(database: Path) -> None:
    """What export-json onto the database left (the old -wal file beside it)."""
    database.with_name(database.name + "-wal").write_bytes(b"\0" * 32)
    database.write_text('{"format": "crisisdesk-export", "tables": {"units": [' + ", ".join(
        f'{{"id": "{n}", "name_zh": "單位{n}"}}' for n in range(40)) + "]}}", encoding="utf-8")


def _random_bytes(database: Path) -> None:
    database.write_bytes(os.urandom(1753088))


@pytest.mark.parametrize("spoil", [_json_over, _random_bytes], ids=["an-export", "random"])
def test_a_database_that_is_not_sqlite_is_set_aside_by_a_restore(tmp_path: Path,
                                                                  spoil) -> None:  # type: ignore[no-untyped-def]
    """The way back from what an export or a link written over the database leaves: check
    names the backup (it said "not a CrisisDesk database", and no backup), and restore puts
    it in (it refused exactly these files, "nothing was changed")."""
    data_dir, database, backup = used(tmp_path)
    spoil(database)
    spoiled = database.read_bytes()

    checked = cli(data_dir, "check")
    restored = cli(data_dir, "restore", str(backup))

    assert_refused(checked, database, backup)
    assert restored.returncode == 0, restored.stderr
    [kept] = (data_dir / "backups").glob("crisisdesk.damaged-*.sqlite3")
    assert kept.read_bytes() == spoiled and str(kept) in restored.stdout
    assert cli(data_dir, "check").returncode == 0


def test_restore_says_what_to_do_with_a_folder_in_the_databases_place(tmp_path: Path) -> None:
    data_dir, database, backup = used(tmp_path)
    database.unlink()
    database.mkdir()

    result = cli(data_dir, "restore", str(backup))

    assert result.returncode == 1
    assert _("{path} is a folder, not the database file. CrisisDesk did not make it: move it "
             "out of the data folder, then try again (restore the newest backup if it held "
             "the database).").format(path=database) in result.stderr
    assert database.is_dir() and not list((data_dir / "backups").glob("crisisdesk.*-*"))


def _trigger(path: Path) -> None:
    """The attacker's: it emptied the timeline at every sync, and check said all was well."""
    with sqlite3.connect(path) as con:
        con.execute("CREATE TRIGGER evil AFTER INSERT ON sync_runs BEGIN DELETE FROM timeline; "
                    "UPDATE incidents SET title = 'x'; END")
    con.close()


def _stamp_only(path: Path) -> None:
    """A stamp without the tables: every command then ended "unexpected"."""
    path.unlink()
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL "
                    "PRIMARY KEY)")
        con.execute("INSERT INTO alembic_version VALUES ('0007')")
        con.execute("CREATE TABLE t (x)")
    con.close()


def _lying_stamp(path: Path) -> None:
    """Our full schema stamped '0001': the next start said "table incidents already
    exists"."""
    with sqlite3.connect(path) as con:
        con.execute("UPDATE alembic_version SET version_num = '0001'")
    con.close()


def _unique_index(path: Path) -> None:
    """An index no migration made: a unique one refuses rows the app and the sync write."""
    with sqlite3.connect(path) as con:
        con.execute("CREATE UNIQUE INDEX evil ON units (name_zh)")
    con.close()


@pytest.mark.parametrize("spoil", [_trigger, _stamp_only, _lying_stamp, _unique_index],
                         ids=["a-trigger", "a-stamp-only", "a-lying-stamp", "an-index"])
def test_restore_refuses_a_backup_whose_schema_is_not_the_apps(tmp_path: Path,
                                                               spoil) -> None:  # type: ignore[no-untyped-def]
    data_dir, database, backup = used(tmp_path)
    spoil(backup)
    before = database.read_bytes()

    result = cli(data_dir, "restore", str(backup))

    assert result.returncode == 1, result.stdout
    assert f"無法還原{backup}：該檔案不是CrisisDesk資料庫" in result.stderr
    assert database.read_bytes() == before


def test_check_names_a_trigger_another_program_added(tmp_path: Path) -> None:
    data_dir, database, _backup = used(tmp_path)
    _trigger(database)

    result = cli(data_dir, "check")

    assert result.returncode == 1
    [line] = [line for line in result.stdout.splitlines() if _("Schema objects") in line]
    assert line.startswith("[FAIL]") and "trigger evil" in line


def test_restore_refuses_a_huge_sparse_file_before_copying_it(tmp_path: Path) -> None:
    """A backup whose header does not give its size (page count zeroed), with a sparse
    tail: SQLite copies the whole file then (1 GB into the data folder in 5 s, 10 GB in a
    minute) before the copy's check refused it."""
    data_dir, database, backup = used(tmp_path)
    with open(backup, "r+b") as fh:
        fh.seek(28)
        fh.write(bytes(4))
        fh.truncate(1024 ** 3)

    result = cli(data_dir, "restore", str(backup))

    assert result.returncode == 1
    assert _("its header does not say how large it is") in result.stderr


def test_a_sync_on_a_damaged_database_writes_nothing_into_it(tmp_path: Path) -> None:
    """The run met the damage, said "nothing was changed in it", and then recorded itself
    in it (a sync_runs row, the file's bytes changed)."""
    data_dir, database, backup = used(tmp_path)
    share = tmp_path / "share"
    share.mkdir()
    cli(data_dir, "sync", "--folder", str(share))
    zero_pages_of(database, "signed_copies")  # read late in a run, not by its recording
    before = database.read_bytes()

    result = cli(data_dir, "sync", "--folder", str(share))

    assert result.returncode == 3, result.stdout + result.stderr
    assert str(database) in result.stdout and str(backup) in result.stdout
    assert "已損毀" in result.stdout
    assert database.read_bytes() == before
    assert not database.with_name(database.name + "-wal").exists()


def test_check_says_which_backups_are_dated_in_the_future(tmp_path: Path) -> None:
    """A PC whose clock ran a year ahead for two weeks: check called one of those copies
    "the newest backup, made less than a day ago"."""
    data_dir, _database, backup = used(tmp_path)
    next_year = time.time() + 365 * 86400
    ahead = []
    for day in range(10, 24):
        copy = data_dir / "backups" / f"crisisdesk-202701{day}.sqlite3"
        copy.write_bytes(backup.read_bytes())
        os.utime(copy, (next_year + day, next_year + day))
        ahead.append(copy)

    result = cli(data_dir, "check")

    [line] = [line for line in result.stdout.splitlines() if _("Newest backup") in line]
    assert line.startswith("[WARN]") and f"{backup}, " in line
    assert ngettext("{n} backup is dated in the future (this PC's clock was ahead when it "
                    "was made, or someone set its time): {files}",
                    "{n} backups are dated in the future (this PC's clock was ahead when "
                    "they were made, or someone set their time): {files}", 14).format(
        n=14, files=", ".join(str(p) for p in ahead[:3]) + " …") in line
