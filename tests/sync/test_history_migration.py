"""A database of schema 0010, whose field versions repeated their change's table, row, stamp
and device: the migration to 0011 keeps every version, each under its change, and the PC goes
on syncing as before. A version written outside the app without a change is dropped and named
in the log; one that disagreed with its change takes its change's."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command

from models.incidents.actions import set_field
from models.storage.db import make_engine
from models.storage.migrate import alembic_config
from models.storage.names import DATABASE_FILE
from tests.sync.conftest import (
    HEAD,
    PC,
    assert_in_sync,
    assert_same_rows,
    field_value,
    history,
    new_incident,
    sync_all,
)
from tests.sync.older_schemas import as_schema_0011

_FULL = """
CREATE TABLE sync_versions_full (
    version_id VARCHAR(36) NOT NULL, change_id INTEGER NOT NULL, tbl VARCHAR(80) NOT NULL,
    row_id VARCHAR(36) NOT NULL, field VARCHAR(80) NOT NULL, value TEXT NOT NULL,
    bases TEXT NOT NULL, stamp INTEGER NOT NULL, device VARCHAR(36) NOT NULL,
    CONSTRAINT pk_sync_versions PRIMARY KEY (version_id),
    CONSTRAINT fk_sync_versions_change_id_sync_changes FOREIGN KEY(change_id)
        REFERENCES sync_changes (id));
INSERT INTO sync_versions_full SELECT v.version_id, v.change_id, c.tbl, c.row_id, v.field,
    v.value, v.bases, c.stamp, c.device FROM sync_versions v JOIN sync_changes c
    ON c.id = v.change_id;
DROP TABLE sync_versions;
ALTER TABLE sync_versions_full RENAME TO sync_versions;
CREATE INDEX ix_sync_versions_change_id ON sync_versions (change_id);
CREATE INDEX ix_sync_versions_field ON sync_versions (tbl, row_id, field);
UPDATE alembic_version SET version_num = '0010';
"""


def _as_schema_0010(data_dir: Path) -> None:
    """Make the history of *data_dir* what schema 0010 stored: the same versions, each with
    its change's table, row, stamp and device (and none of the later tables)."""
    with sqlite3.connect(data_dir / DATABASE_FILE) as con:
        as_schema_0011(con)
        con.executescript(_FULL)
    con.close()


def _full(data_dir: Path) -> set[tuple[str, ...]]:
    """Each version with the table, row, stamp and device schema 0010 stored beside it."""
    with sqlite3.connect(data_dir / DATABASE_FILE) as con:
        found = {tuple(map(str, row)) for row in con.execute(
            "SELECT version_id, change_id, tbl, row_id, field, value, bases, stamp, device "
            "FROM sync_versions")}
    con.close()
    return found


def _versions(data_dir: Path) -> set[tuple[str, ...]]:
    with sqlite3.connect(data_dir / DATABASE_FILE) as con:
        found = {tuple(map(str, row)) for row in con.execute(
            "SELECT version_id, change_id, field, value, bases FROM sync_versions")}
    con.close()
    return found


def test_a_history_of_schema_0010_is_kept_whole_and_the_pc_syncs_on(
        make_pc: Callable[..., PC], share: Path, caplog: pytest.LogCaptureFixture) -> None:
    old, b = make_pc("A"), make_pc("B")
    incident = new_incident(old)
    set_field(old.db, HEAD, incident, "s2.plan", "擴大查緝")
    sync_all([old, b], share)
    old.db.close()
    before = _versions(old.data_dir)
    _as_schema_0010(old.data_dir)
    with sqlite3.connect(old.data_dir / DATABASE_FILE) as con:
        con.execute("INSERT INTO sync_versions VALUES ('orphan-1', 99999, 'incidents', ?, "
                    "'title', '\"偽造\"', '[]', 1, 'x')", (incident,))
        con.execute("UPDATE sync_versions SET stamp = 1, device = 'forged' "
                    "WHERE tbl = 'incidents' AND field = 'title'")
    con.close()

    with caplog.at_level(logging.WARNING):
        a = make_pc("A", old.data_dir)

    assert _versions(a.data_dir) == before
    assert "1 history versions written outside the app belong to no change" in caplog.text
    assert "orphan-1" in caplog.text
    assert "differed from their change" in caplog.text
    assert history(a, "incidents", incident, "title") == history(b, "incidents", incident,
                                                                 "title") != set()
    set_field(a.db, HEAD, incident, "s2.plan", "結案")
    assert_in_sync(sync_all([a, b], share))
    assert field_value(b, incident, "s2.plan") == "結案"
    assert_same_rows([a, b])


def test_a_downgrade_to_0010_gives_each_version_its_change_again(
        make_pc: Callable[..., PC], share: Path) -> None:
    """The way back (models/storage/migrations/versions/0011_slim_history.py downgrade): the
    versions as schema 0010 held them, and up again the same history."""
    a, b = make_pc("A"), make_pc("B")
    incident = new_incident(a)
    sync_all([a, b], share)
    set_field(b.db, HEAD, incident, "s2.plan", "擴大查緝")
    sync_all([a, b], share)
    a.db.close()
    before = _versions(a.data_dir)
    _as_schema_0010(a.data_dir)
    expected = _full(a.data_dir)
    a = make_pc("A", a.data_dir)
    a.db.close()
    engine = make_engine(a.data_dir / DATABASE_FILE)
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0010")
    engine.dispose()

    assert _full(a.data_dir) == expected
    a = make_pc("A", a.data_dir)
    assert _versions(a.data_dir) == before
    assert_in_sync(sync_all([a, b], share))


@pytest.mark.parametrize("foreign", [
    ["CREATE VIEW spy AS SELECT tbl, row_id FROM sync_versions"],
    ["CREATE TRIGGER spy AFTER INSERT ON sync_changes BEGIN "
     "SELECT tbl FROM sync_versions WHERE tbl = NEW.tbl; END"],
    ["DROP INDEX ix_sync_versions_change_id",
     "CREATE INDEX ix_sync_versions_change_id ON sync_changes (id)"],
], ids=["view", "trigger", "index"])
def test_schema_made_outside_the_app_does_not_stop_the_upgrade(
        make_pc: Callable[..., PC], share: Path, foreign: list[str]) -> None:
    """The app of schema 0010 started and synced with these; the upgrade's rename and index
    must not stop at them (the integrity check names them)."""
    old, b = make_pc("A"), make_pc("B")
    incident = new_incident(old)
    sync_all([old, b], share)
    old.db.close()
    before = _versions(old.data_dir)
    _as_schema_0010(old.data_dir)
    with sqlite3.connect(old.data_dir / DATABASE_FILE) as con:
        for statement in foreign:
            con.execute(statement)
    con.close()

    a = make_pc("A", old.data_dir)

    assert _versions(a.data_dir) == before
    assert history(a, "incidents", incident, "title") != set()
