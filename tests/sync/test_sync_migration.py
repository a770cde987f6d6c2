"""A database from before sync (schema 0006) with records in it: the migration that brings
sync (0007) records every row as a change of the PC, and the other PCs receive those rows as
they are on that PC, on a PC whose clock is set to Taiwan's time as every office PC's is."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from models.incidents.actions import set_field
from models.storage.names import DATABASE_FILE
from tests.sync.conftest import HEAD, PC, assert_in_sync, assert_same_rows, new_incident, sync_all
from tests.sync.older_schemas import as_schema_0011


@pytest.fixture
def taipei_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process's local time zone is Asia/Taipei (UTC+8), as on the office PCs."""
    monkeypatch.setenv("TZ", "Asia/Taipei")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _as_before_sync(data_dir: Path) -> None:
    """Make the database of *data_dir* what schema 0006 left: the same records, no sync."""
    with sqlite3.connect(data_dir / DATABASE_FILE) as con:
        as_schema_0011(con)
        for (name,) in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'sync_%'").fetchall():
            con.execute(f'DROP TABLE "{name}"')
        con.execute("ALTER TABLE notifications DROP COLUMN outcome")  # came with 0008
        for table in ("drill_report_events", "drill_evaluation_events"):  # came with 0010
            con.execute(f"ALTER TABLE {table} DROP COLUMN login")
            con.execute(f"ALTER TABLE {table} DROP COLUMN pc")
        con.execute("UPDATE alembic_version SET version_num = '0006'")


def test_records_of_a_database_from_before_sync_reach_the_other_pcs_unchanged(
        make_pc: Callable[..., PC], share: Path, taipei_clock: None) -> None:
    """The migration reads the rows as the file stores them (times in UTC without a zone):
    they must travel as UTC, not as this PC's local time, or every time of every older record
    arrives eight hours early on the other PCs."""
    old = make_pc("A")
    incident = new_incident(old)
    set_field(old.db, HEAD, incident, "s2.plan", "擴大查緝")
    old.db.close()
    _as_before_sync(old.data_dir)
    a = make_pc("A", old.data_dir)
    b = make_pc("B")

    assert_in_sync(sync_all([a, b], share))

    rows = assert_same_rows([a, b])
    assert incident in {r["id"] for r in rows["incidents"]}
