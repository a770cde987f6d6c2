"""The database file: WAL and foreign keys, migrations with a backup first, refusal of files
written by a newer version or by something else, and a schema that matches the code."""

from __future__ import annotations

import shutil
import sqlite3
import stat
import sys
import threading
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text

from i18n import _
from models.core.faults import DatabaseDamaged
from models.core.logs import errors_since_last_check
from models.org.settings import Resume, Settings, save_resume, save_settings
from models.startup import open_data_dir, open_database
from models.storage.db import Database, utcnow
from models.storage.migrate import (
    MIGRATIONS,
    DatabaseRefused,
    alembic_config,
    head_revision,
)
from models.storage.names import DATABASE_FILE, SCHEMA_HEAD
from tests.damage import plant_at_temporary_name

NEXT = f"{int(SCHEMA_HEAD) + 1:04d}"
"""The revision number of the next app update, played by `_migrations_plus`."""


def _migrations_plus(tmp_path: Path, upgrade_body: str) -> Path:
    """The shipped migrations plus a revision NEXT whose upgrade() is *upgrade_body*: plays an
    app update without shipping a test migration."""
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / f"{NEXT}_test.py").write_text(
        'from alembic import op\nimport sqlalchemy as sa\n'
        f'revision = "{NEXT}"\ndown_revision = "{SCHEMA_HEAD}"\n'
        'branch_labels = None\ndepends_on = None\n'
        'def upgrade():\n' + upgrade_body + 'def downgrade():\n    pass\n', encoding="utf-8")
    return folder


def test_new_database_uses_wal_and_foreign_keys(db: Database) -> None:
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_migrations_build_exactly_the_tables_of_the_code(tmp_path: Path) -> None:
    """Upgrade an empty file step by step, then ask Alembic whether the models differ."""
    from models.storage.db import make_engine

    engine = make_engine(tmp_path / "migrated.sqlite3")
    with engine.begin() as connection:
        config = alembic_config(connection)
        command.upgrade(config, "head")
        command.check(config)  # raises if the models and the migrations disagree
    engine.dispose()


def test_a_database_from_a_newer_app_is_refused_untouched(data_dir: Path) -> None:
    path = data_dir / DATABASE_FILE
    open_database(path).close()
    with sqlite3.connect(path) as con:
        con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = path.read_bytes()
    with pytest.raises(DatabaseRefused) as caught:
        open_database(path)
    assert "較新版本" in caught.value.message()
    assert path.read_bytes() == before


def test_a_foreign_sqlite_file_is_refused(data_dir: Path) -> None:
    path = data_dir / DATABASE_FILE
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE notes (body TEXT)")
    with pytest.raises(DatabaseRefused):
        open_database(path)
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT name FROM sqlite_master").fetchall() == [("notes",)]


def test_a_file_that_is_not_sqlite_is_refused(data_dir: Path) -> None:
    """As damage (the newest backup named, restore set it aside): another program's file in
    the database's place, or one written over it."""
    path = data_dir / DATABASE_FILE
    path.write_bytes(b"this is a Word file, not a database" * 100)
    with pytest.raises(DatabaseRefused) as caught:
        open_database(path)
    assert isinstance(caught.value, DatabaseDamaged)
    assert _("it is not a database file: another program wrote over it, or it is another "
             "kind of file") in caught.value.message()
    assert path.read_bytes() == b"this is a Word file, not a database" * 100


def test_an_older_database_is_backed_up_then_upgraded(data_dir: Path, tmp_path: Path) -> None:
    """Play an app update: the shipped migrations plus one newer revision that adds a column."""
    newer = _migrations_plus(tmp_path, (
        '    with op.batch_alter_table("units") as batch:\n'
        '        batch.add_column(sa.Column("phone", sa.String(40), nullable=True))\n'))
    path = data_dir / DATABASE_FILE
    open_data_dir(data_dir, "keelung").close()

    upgraded = open_database(path, newer)
    upgraded.close()

    backups = sorted((data_dir / "backups").glob(f"crisisdesk.before-{NEXT}-*.sqlite3"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() \
            == [(SCHEMA_HEAD,)]
        assert con.execute("SELECT count(*) FROM units").fetchone() == (15,)
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(NEXT,)]
        columns = {r[1] for r in con.execute("PRAGMA table_info(units)")}
        assert con.execute("SELECT count(*) FROM units").fetchone() == (15,)
    assert "phone" in columns


def test_the_known_schema_head_matches_the_migration_scripts() -> None:
    assert SCHEMA_HEAD == head_revision()


def test_a_new_database_is_stamped_as_alembic_stamps_one(data_dir: Path,
                                                          tmp_path: Path) -> None:
    """A first start writes the version table itself instead of loading Alembic for it: the
    same table, the same row, so every later migration reads it as its own."""
    from models.storage.db import make_engine

    open_database(data_dir / DATABASE_FILE).close()
    engine = make_engine(tmp_path / "stamped.sqlite3")
    try:
        with engine.begin() as connection:
            command.stamp(alembic_config(connection), "head")
    finally:
        engine.dispose()

    def version_table(path: Path) -> tuple[list[tuple[str, str | None]], list[tuple[str]]]:
        with sqlite3.connect(path) as con:
            return (con.execute("SELECT name, sql FROM sqlite_master WHERE tbl_name = "
                                "'alembic_version' ORDER BY name").fetchall(),
                    con.execute("SELECT version_num FROM alembic_version").fetchall())

    assert version_table(data_dir / DATABASE_FILE) == version_table(tmp_path / "stamped.sqlite3")


def test_a_failing_migration_leaves_the_database_as_it_was(data_dir: Path,
                                                          tmp_path: Path) -> None:
    """Every step of a migration is in one transaction: a failure half-way changes nothing."""
    newer = _migrations_plus(tmp_path, (
        '    op.create_table("scratch", sa.Column("id", sa.String(36), primary_key=True))\n'
        '    op.execute("UPDATE units SET name_en = \'changed\'")\n'
        '    raise RuntimeError("migration bug")\n'))
    open_data_dir(data_dir, "keelung").close()
    path = data_dir / DATABASE_FILE
    with pytest.raises(RuntimeError):
        open_database(path, newer)
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() \
            == [(SCHEMA_HEAD,)]
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "scratch" not in tables
        assert con.execute("SELECT count(*) FROM units WHERE name_en = 'changed'").fetchone() \
            == (0,)
    assert len(list((data_dir / "backups").glob(f"crisisdesk.before-{NEXT}-*.sqlite3"))) \
        == 1


def test_a_foundation_database_gains_incidents_and_the_case_index(data_dir: Path) -> None:
    """The real 0001 -> 0002 step: a file from the foundation release keeps its units and
    gets the incident tables and the full-text index a new file gets."""
    from models.storage.db import make_engine

    path = data_dir / DATABASE_FILE
    engine = make_engine(path)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        connection.execute(text(
            "INSERT INTO units (id, created_at, updated_at, updated_by, row_version, "
            "office_code, key, name_zh, name_en, kind, sort_order, active) VALUES "
            "('u1', '2026-01-01', '2026-01-01', 'x', 1, 'keelung', 'k', '業務一組', '', "
            "'division', 1, 1)"))
    engine.dispose()

    open_database(path).close()

    with sqlite3.connect(path) as con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"incidents", "timeline", "case_fts"} <= tables
        assert con.execute("SELECT name_zh FROM units").fetchall() == [("業務一組",)]
        con.execute("INSERT INTO case_fts (incident_id, body) VALUES ('i', '加熱菸走私案')")
        assert con.execute(
            "SELECT incident_id FROM case_fts WHERE case_fts MATCH '熱菸走'").fetchall() == [("i",)]


def test_an_incident_database_gains_the_drill_tables_with_its_incidents_intact(
        data_dir: Path) -> None:
    """The real 0002 -> 0003 step: a file of the incident release keeps every incident and
    its timeline, and gets the drill tables, in which a draw then works."""
    from models.drills.actions import draw_unit
    from models.incidents.queries import incident_view
    from models.org.people import Actor, Role
    from models.storage.db import make_engine

    path = data_dir / DATABASE_FILE
    engine = make_engine(path)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0002")
        connection.execute(text(
            "INSERT INTO incidents (id, created_at, updated_at, updated_by, row_version, "
            "office_code, title, summary, started_at, location, reporting_unit, source, "
            "category_key, subtype_key, scope, level_key, current_stage, status, is_example) "
            "VALUES ('i1', '2026-03-02 01:00:00', '2026-03-02 01:00:00', 'x', 3, 'keelung', "
            "'加熱菸走私案', '查獲', '2026-03-02 00:30:00', '基隆港', '', 'internal', "
            "'clearance', '', '本關', 'medium', 2, 'open', 0)"))
        connection.execute(text(
            "INSERT INTO timeline (id, incident_id, kind, data, event_at, entered_at, author, "
            "role) VALUES ('t1', 'i1', 'opened', '{\"title\": \"加熱菸走私案\"}', "
            "'2026-03-02 00:30:00', '2026-03-02 01:00:00', '林組長', 'unit_head')"))
    engine.dispose()

    database = open_data_dir(data_dir, "keelung")
    try:
        seen = incident_view(database, "i1", utcnow(), 10)
        assert (seen.title, seen.current_stage, seen.row_version) == ("加熱菸走私案", 2, 3)
        assert seen.number == "基隆關-115-0001"
        assert [(e.kind, e.author) for e in seen.timeline] == [("opened", "林組長")]
        month = _first_of_next_month()
        draw = draw_unit(database, Actor("王主秘", Role.SECRETARY), "keelung", month, seed=7)
        assert draw.month == month and draw.seed == 7
    finally:
        database.close()
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() \
            == [(SCHEMA_HEAD,)]
        assert con.execute("SELECT count(*) FROM incidents").fetchone() == (1,)
        assert con.execute("SELECT count(*) FROM drills").fetchone() == (1,)
    assert len(list((data_dir / "backups").glob(
        f"crisisdesk.before-{SCHEMA_HEAD}-*.sqlite3"))) == 1


def test_notifications_recorded_before_outcomes_were_kept_read_as_reached(
        data_dir: Path) -> None:
    """The real 0007 -> 0008 step: a notification of an older file reached its recipient as
    far as anyone recorded, and still counts as telling them."""
    from models.incidents.queries import incident_view
    from models.storage.db import make_engine

    path = data_dir / DATABASE_FILE
    engine = make_engine(path)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0007")
        connection.execute(text(
            "INSERT INTO incidents (id, created_at, updated_at, updated_by, row_version, "
            "office_code, title, summary, started_at, location, reporting_unit, source, "
            "category_key, subtype_key, scope, level_key, current_stage, status, is_example) "
            "VALUES ('i1', '2026-03-02 01:00:00', '2026-03-02 01:00:00', 'x', 1, 'keelung', "
            "'加熱菸走私案', '查獲', '2026-03-02 00:30:00', '基隆港', '', 'internal', "
            "'clearance', '', '本關', 'medium', 1, 'open', 0)"))
        connection.execute(text(
            "INSERT INTO notifications (id, incident_id, target_group, member_id, recipient, "
            "acting_for, means, notified_at, entered_at, entered_by, role) VALUES ('n1', 'i1', "
            "'secretary', '', '王主秘', '', 'phone', '2026-03-02 00:40:00', "
            "'2026-03-02 00:41:00', '林組長', 'unit_head')"))
    engine.dispose()

    database = open_data_dir(data_dir, "keelung")
    try:
        [note] = incident_view(database, "i1", utcnow(), 10).notifications
        assert note.outcome == "reached" and note.told
    finally:
        database.close()


def _first_of_next_month() -> date:
    from models.drills.kinds import add_months, taipei_today

    return add_months(taipei_today().replace(day=1), 1)


def test_backups_work_in_folders_with_odd_names(tmp_path: Path) -> None:
    from models.admin import backup

    data_dir = tmp_path / "data #1 ?x"
    database = open_data_dir(data_dir, "keelung")
    try:
        first, second = backup(database, tmp_path / "b"), backup(database, tmp_path / "b")
    finally:
        database.close()
    assert first != second
    with sqlite3.connect(first) as con:
        assert con.execute("SELECT count(*) FROM units").fetchone() == (15,)


# --- temporary files ---------------------------------------------------------------------------


def test_two_writers_of_one_file_never_share_a_temporary_file(tmp_path: Path) -> None:
    """The window and a scheduled command writing acks.json (or last-check.json) at once:
    with one fixed temporary name, the second truncated the first's file and the first's
    rename then failed."""
    from models.core.files import atomic_writer

    target = tmp_path / "acks.json"
    with atomic_writer(target) as first:
        first.write(b'{"writer": "window"}')
        with atomic_writer(target) as second:
            second.write(b'{"writer": "scheduled sync"}')
    assert target.read_bytes() == b'{"writer": "window"}'  # whole: the last one renamed
    assert [p.name for p in tmp_path.iterdir()] == ["acks.json"]


WRITERS = {
    "settings.json": lambda data_dir: save_settings(data_dir, Settings(
        user_name="林組長", unit_key="inspection")),
    "resume.json": lambda data_dir: save_resume(data_dir, Resume("incident", 2)),
    "last-check.json": lambda data_dir: errors_since_last_check(data_dir),
    "a backup": lambda data_dir: _backup(data_dir),
}
"""Each writer of the data folder, by the name of the file whose temporary name is taken."""


def _backup(data_dir: Path) -> None:
    from models.admin import backup

    database = open_data_dir(data_dir, "keelung")
    try:
        backup(database, data_dir / "backups")
    finally:
        database.close()


def _finishes(action: Callable[[], object]) -> None:
    """Run *action*, failing (not hanging the whole run) if it blocks: a pipe opened for
    writing waits for a reader for ever."""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            action()
        except BaseException as exc:
            failed.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "blocked on the pipe"
    if failed:
        raise failed[0]


@pytest.mark.skipif(sys.platform == "win32",
                    reason="os.mkfifo is POSIX and a symbolic link needs a privilege on "
                           "Windows; there O_EXCL (CREATE_NEW) is what refuses a taken name")
@pytest.mark.parametrize("kind", ["link", "pipe"])
@pytest.mark.parametrize("writer", WRITERS)
def test_a_link_or_pipe_under_a_temporary_name_in_the_data_folder_is_never_written_through(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writer: str, kind: str) -> None:
    """Another program that can write the data folder put a link under the temporary name
    of last-check.json (settings.json, resume.json, an attachment): the write went through
    it into whatever it led to; a pipe there hung `check` for good. The temporary file is
    made anew (O_EXCL): a taken name is left alone and another drawn."""
    data_dir = tmp_path / "data"
    (data_dir / "logs").mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"the user's own file")
    planted = plant_at_temporary_name(
        monkeypatch, lambda path: path.name == writer or writer == "a backup"
        and path.parent.name == "backups", kind, victim)

    _finishes(lambda: WRITERS[writer](data_dir))

    assert planted
    assert victim.read_bytes() == b"the user's own file"
    assert planted[0].is_symlink() if kind == "link" else stat.S_ISFIFO(
        planted[0].lstat().st_mode)


def test_a_new_database_is_not_refused_for_a_temporary_file_a_scanner_holds(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """After the hard link both names remain; an antivirus scanning the new file keeps
    Windows from deleting the temporary one. That used to fail the first start whose
    database was complete under its own name."""
    real_unlink = Path.unlink

    def held(path: Path, missing_ok: bool = False) -> None:
        if path.name.startswith(".crisisdesk.sqlite3.") and path.name.endswith(".new"):
            raise PermissionError(13, "The process cannot access the file", str(path))
        real_unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", held)
    database = open_database(data_dir / DATABASE_FILE)
    database.close()
    assert "cannot remove the temporary file" in caplog.text


def test_the_files_set_aside_carry_the_time_in_utc_as_they_sort() -> None:
    """One format for every name with a time (backups, a replaced or damaged database,
    damaged settings): the same on every PC whatever its time zone."""
    from zoneinfo import ZoneInfo

    from models.core.files import utc_stamp

    taipei = datetime(2026, 5, 4, 9, 30, 12, tzinfo=ZoneInfo("Asia/Taipei"))
    assert utc_stamp(taipei) == "20260504T013012Z"
    assert utc_stamp() <= utc_stamp()


def test_a_row_acted_on_is_there_or_gone_with_its_own_message(db: Database) -> None:
    """row_or_gone: a missing row and a tombstone both raise the caller's message; a row of a
    table without tombstones (a notification) only when missing."""
    from models.core.errors import UserError
    from models.incidents.entities import NotificationRow
    from models.org.entities import UnitRow
    from models.storage.db import row_or_gone

    with db.session() as session:
        unit = session.scalars(select(UnitRow)).first()
        assert unit is not None
        assert row_or_gone(session, UnitRow, unit.id, "gone") is unit
        unit.deleted_at = utcnow()
        with pytest.raises(UserError) as caught:
            row_or_gone(session, UnitRow, unit.id, "That unit no longer exists.")
        assert str(caught.value) == _("That unit no longer exists.")
        with pytest.raises(UserError):
            row_or_gone(session, NotificationRow, "no-such-id", "gone")
