"""The playbook's first read at start (models/playbook/first_read.py): the database file read
with sqlite3 before SQLAlchemy loads gives exactly what the open database gives, the newest
state of the file and never an older one, and nothing at all for a file it must not read."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from models.org.people import Actor
from models.playbook.first_read import first_start, read_current
from models.playbook.store import (
    current_playbook,
    export_playbook,
    import_playbook,
    list_handovers,
    list_versions,
    save_playbook,
)
from models.startup import open_data_dir
from models.storage.db import Database
from models.storage.names import DATABASE_FILE
from tests.unit.playbook.test_playbook_store import _with_commander


def _as_the_open_database_gives_it(db: Database) -> tuple:  # type: ignore[type-arg]
    current, playbook = current_playbook(db)
    return current, playbook, list_versions(db), list_handovers(db)


def test_it_gives_what_the_open_database_gives(db: Database, data_dir: Path,
                                               planner: Actor) -> None:
    base, first = _with_commander(db, "王大明", "李副座")
    v2 = save_playbook(db, planner, first, "名冊建立", base_version_id=base.id)
    _b, second = _with_commander(db, "陳新任", "李副座")
    save_playbook(db, planner, second, "職務異動", base_version_id=v2.id,
                  handover_notes={second.team.members[0].id: "已移交印信與通訊錄"})
    read = read_current(data_dir / DATABASE_FILE)
    assert read == _as_the_open_database_gives_it(db)
    assert read is not None and read[0].number == 3 and len(read[3]) == 1


def test_a_playbook_changed_since_the_last_read_is_read_as_it_is_now(
        db: Database, data_dir: Path, planner: Actor) -> None:
    """No cache to go stale: an edit (or a sync) since the last start is what the next
    start shows."""
    before = read_current(data_dir / DATABASE_FILE)
    data = json.loads(export_playbook(db))
    data["purpose"]["zh_TW"] = "修訂後之目的。"
    import_playbook(db, planner, json.dumps(data, ensure_ascii=False).encode(), "年度修訂")
    after = read_current(data_dir / DATABASE_FILE)
    assert before is not None and after is not None
    assert before[0].number == 1 and after[0].number == 2
    assert after[1].purpose["zh_TW"] == "修訂後之目的。"
    assert after == _as_the_open_database_gives_it(db)


def test_no_database_file_gives_nothing_and_creates_none(data_dir: Path) -> None:
    assert read_current(data_dir / DATABASE_FILE) is None
    assert list(data_dir.iterdir()) == []


def test_an_older_schema_gives_nothing(db: Database, data_dir: Path) -> None:
    """The open migrates it first: its rows may not mean what the newest schema's do."""
    with sqlite3.connect(data_dir / DATABASE_FILE) as con:
        con.execute("UPDATE alembic_version SET version_num = '0009'")
    assert read_current(data_dir / DATABASE_FILE) is None


def test_a_file_that_is_no_database_gives_nothing(data_dir: Path) -> None:
    (data_dir / DATABASE_FILE).write_bytes(b"not a database at all" * 100)
    assert read_current(data_dir / DATABASE_FILE) is None


def test_a_first_start_shows_the_version_its_open_stores(tmp_path: Path) -> None:
    """No file yet: what is shown before the open is version 1 exactly as the open then
    stores it (id, number, author, reason, content), all but the time it was stored."""
    shown_at = datetime.now(UTC)
    version, playbook, versions, handovers = first_start(shown_at)
    db = open_data_dir(tmp_path / "new", "keelung")
    try:
        stored, stored_playbook, stored_versions, stored_handovers = (
            _as_the_open_database_gives_it(db))
    finally:
        db.close()
    assert replace(version, created_at=stored.created_at) == stored
    assert playbook == stored_playbook
    assert [replace(v, created_at=stored.created_at) for v in versions] == stored_versions
    assert handovers == stored_handovers == []
