"""main.py export-json on a database that has been used: the demo cases, a whole drill cycle and
a sync with another PC (a conflict included). Every table is in the file, and every row reads
back, through the column types the file declares (docs/export-format.md), equal to the
database's."""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from i18n import _
from models.drills.reports.actions import (
    acknowledge_circulation,
    circulate,
    save_evaluation,
    sign_off_evaluation,
    submit_evaluation,
)
from models.incidents.actions import IncidentDraft, open_incident, set_field
from models.org.people import Actor, Role
from models.org.settings import Settings, save_settings
from models.schema import RULES
from models.startup import open_data_dir
from models.storage.db import Base, Database, utcnow
from models.sync.run import sync_once
from tests.e2e.test_cli import cli
from tests.unit.drills.test_drill_reports import (
    COMMANDER,
    PLANNER,
    SECRETARY,
    drawn_drill,
    full_evaluation,
    signed_report,
)

pytestmark = pytest.mark.slow

HEAD = Actor("林組長", Role.UNIT_HEAD, "inspection")
LEFT_OUT = "alembic_version", "case_fts"
"""Tables the export does not list (docs/export-format.md): the schema stamp, written as
"schema", and the case search index with its shadow tables (case_fts_*), derived data."""


def _drill_cycle(db: Database) -> None:
    """Draw, report signed, evaluation with a corrective action due (a date), signed and sent
    round, one unit acknowledging."""
    drill_id = drawn_drill(db)
    signed_report(db, drill_id)
    evaluation = save_evaluation(db, PLANNER, drill_id, full_evaluation())
    submit_evaluation(db, PLANNER, evaluation.id)
    sign_off_evaluation(db, COMMANDER, evaluation.id, as_role="commander", name="張副關務長")
    sign_off_evaluation(db, SECRETARY, evaluation.id, as_role="secretary", name="王主秘")
    [first, *_rest] = circulate(db, PLANNER, evaluation.id)
    acknowledge_circulation(db, PLANNER, evaluation.id, first.unit_key)


def _sync_with_another_pc(db: Database, other: Path, share: Path) -> None:
    """An incident opened on another PC, both PCs editing one of its fields at once: segments
    (bytes), versions, cursors, runs and a conflict."""
    share.mkdir()
    pc = open_data_dir(other, "keelung")
    try:
        incident = open_incident(pc, HEAD, "keelung", IncidentDraft(
            title="加熱菸走私案", summary="查獲貨櫃夾藏加熱菸",
            started_at=utcnow() - timedelta(hours=1), location="基隆港西岸碼頭",
            reporting_unit="", source="internal", category_key="clearance", subtype_key="",
            scope="本關", level_key="medium", suggested_level="medium", level_reason=""))
        for _round in range(2):
            sync_once(pc, share, RULES)
            sync_once(db, share, RULES)
        set_field(pc, HEAD, incident, "s2.plan", "A：擴大查緝")
        set_field(db, HEAD, incident, "s2.plan", "B：暫緩查緝")
        for _round in range(2):
            sync_once(pc, share, RULES)
            sync_once(db, share, RULES)
    finally:
        pc.close()


def _decode(kind: str, value: Any) -> Any:
    """A value of the file back to Python, by the column type the file declares."""
    if value is None:
        return None
    if kind == "datetime":
        assert value.endswith("Z")
        return datetime.fromisoformat(value).astimezone(UTC)
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "bytes":
        return base64.b64decode(value, validate=True)
    expected = {"text": str, "integer": int, "boolean": bool}[kind]
    assert type(value) is expected, (kind, value)
    return value


def test_export_json_holds_every_table_of_a_used_database(tmp_path: Path) -> None:
    data_dir, out = tmp_path / "data", tmp_path / "all records.json"
    assert cli(data_dir, "demo").returncode == 0
    db = open_data_dir(data_dir, "keelung")
    try:
        _drill_cycle(db)
        _sync_with_another_pc(db, tmp_path / "other", tmp_path / "share")
    finally:
        db.close()

    result = cli(data_dir, "export-json", str(out))

    assert result.returncode == 0, result.stderr
    exported = json.loads(out.read_text(encoding="utf-8"))
    tables = exported["tables"]
    assert (exported["format"], exported["format_version"]) == ("crisisdesk-export", 2)
    with sqlite3.connect(data_dir / "crisisdesk.sqlite3") as con:
        on_disk = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = "
                                             "'table' AND name NOT LIKE 'sqlite_%'")}
        assert exported["schema"] == con.execute(
            "SELECT version_num FROM alembic_version").fetchone()[0]
    assert set(tables) == {t for t in on_disk if not t.startswith(LEFT_OUT)}
    assert set(tables) == set(exported["columns"]) == set(Base.metadata.tables)
    # The kinds of value that failed the export before: dates, bytes; and what a sync brings.
    for used in ("corrective_actions", "drill_corrective_actions", "drill_draws",
                 "drill_evaluation_events", "sync_segments", "sync_versions", "sync_cursors",
                 "sync_conflicts", "sync_runs", "incidents", "timeline"):
        assert tables[used], f"{used} is empty: the test does not exercise it"

    db = open_data_dir(data_dir, "keelung")
    try:
        with db.reading() as connection:
            for name, table in Base.metadata.tables.items():
                kinds = exported["columns"][name]
                assert list(kinds) == [c.name for c in table.columns]
                in_file = [{k: _decode(kinds[k], v) for k, v in row.items()}
                           for row in tables[name]]
                in_db = [dict(row) for row in connection.execute(
                    select(table).order_by(*table.primary_key.columns)).mappings()]
                assert in_file == in_db, name
    finally:
        db.close()
    assert result.stdout.strip().endswith(str(out))
    assert str(sum(len(rows) for rows in tables.values())) in result.stdout


OWN_FILES = ["crisisdesk.sqlite3", "crisisdesk.sqlite3-wal", "settings.json", "resume.json",
             "backups/*", "logs/crisisdesk.log", "logs/new.json"]
"""The data folder's own files, as an export's target (a hand slip in a path, or a program
passing one): the database, its side file, its settings, a backup, anything in its folders."""


@pytest.mark.parametrize("command", ["export-json", "playbook export"])
@pytest.mark.parametrize("name", OWN_FILES)
def test_an_export_onto_a_file_of_the_data_folder_is_refused(tmp_path: Path, name: str,
                                                              command: str) -> None:
    """export-json onto the database replaced every record with JSON (exit 0, "3700
    records written"); onto a backup it replaced the copy `check` names for a restore."""
    data_dir = tmp_path / "data"
    assert cli(data_dir, "backup", str(data_dir / "backups")).returncode == 0
    save_settings(data_dir, Settings(user_name="林組長", unit_key="inspection"))
    target = next(data_dir.glob(name)) if "*" in name else data_dir / name
    before = {p: p.read_bytes() for p in data_dir.rglob("*") if p.is_file()}

    result = cli(data_dir, *command.split(), str(target))

    assert result.returncode == 1, result.stdout
    assert str(target) in result.stderr and "Traceback" not in result.stderr
    after = {p: p.read_bytes() for p in data_dir.rglob("*") if p.is_file()}
    assert {p: b for p, b in after.items() if p.parent.name != "logs"} == {
        p: b for p, b in before.items() if p.parent.name != "logs"}
    assert cli(data_dir, "check").returncode == 0


def test_an_export_replaces_a_file_of_the_users_and_says_so(tmp_path: Path) -> None:
    """Exporting twice to one file is ordinary: it is replaced, not silently."""
    data_dir, out = tmp_path / "data", tmp_path / "all.json"
    out.write_text("an earlier export", encoding="utf-8")

    result = cli(data_dir, "export-json", str(out))

    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == "crisisdesk-export"
    assert _("It replaced the file that was there.") in result.stdout
    fresh = cli(data_dir, "export-json", str(tmp_path / "new.json"))
    assert _("It replaced the file that was there.") not in fresh.stdout


@pytest.mark.skipif(sys.platform == "win32",
                    reason="os.mkfifo is POSIX and a symbolic link needs a privilege on "
                           "Windows")
@pytest.mark.parametrize("kind", ["pipe", "link", "folder"])
def test_an_export_onto_something_that_is_not_a_regular_file_is_refused(
        tmp_path: Path, kind: str) -> None:
    """A pipe or a link was replaced without a word: it is not a file the user chose to
    replace (the link's target is what they meant, or nothing they meant)."""
    data_dir, out = tmp_path / "data", tmp_path / "all.json"
    victim = tmp_path / "victim.txt"
    victim.write_text("the user's own file", encoding="utf-8")
    {"pipe": lambda: os.mkfifo(out), "link": lambda: out.symlink_to(victim),
     "folder": out.mkdir}[kind]()

    result = cli(data_dir, "export-json", str(out))

    assert result.returncode == 1 and str(out) in result.stderr, result.stderr
    assert victim.read_text(encoding="utf-8") == "the user's own file"
    assert out.is_symlink() if kind == "link" else True
