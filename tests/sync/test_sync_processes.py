"""Real processes: the command-line sync (``main.py --data-dir DIR sync --folder SHARE``) of
three PCs runs at the same time against one shared folder while each PC's user goes on
editing in another process on the same database. Every run ends with a known exit code, and
once the edits stop, a few rounds bring every PC to the same rows with every edit in them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models.incidents.entities import IncidentRow
from models.incidents.queries import incident_view
from models.startup import open_data_dir
from models.storage.db import utcnow
from models.sync.entities import SyncConflictRow
from models.sync.status import EXIT_IN_SYNC, EXIT_NOT_IN_SYNC, EXIT_UNREACHABLE
from tests.sync.conftest import PC, assert_same_rows, field_value, new_incident, sync_all


@pytest.fixture
def pcs(office_pcs: tuple[PC, PC, PC]) -> tuple[PC, PC, PC]:
    """Enrolled PCs of an office with an authority: the sync holds up with every check on."""
    return office_pcs

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
EDITS = 40
pytestmark = pytest.mark.slow

EDITOR = """
import sys
from pathlib import Path
from models.storage.db import utcnow
from models.incidents.actions import add_entry, set_field
from models.org.people import Actor, Role
from models.startup import open_data_dir

folder, incident, key, name, edits = sys.argv[1:]
db = open_data_dir(Path(folder), "keelung")
actor = Actor("林組長", Role.UNIT_HEAD, "inspection")
for n in range(1, int(edits) + 1):
    set_field(db, actor, incident, key, f"{name} 第 {n} 版")
    add_entry(db, actor, incident, "note", f"{name} 紀錄 {n}", utcnow())
db.close()
"""


def _sync_command(pc: PC, share: Path) -> list[str]:
    return [sys.executable, str(ROOT / "main.py"), "--data-dir", str(pc.data_dir), "sync",
            "--folder", str(share)]


def _round(pcs: list[PC], share: Path) -> list[int]:
    """Every PC's command-line sync, all started at once; their exit codes."""
    runs = [subprocess.Popen(_sync_command(pc, share), cwd=ROOT, env=ENV,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            for pc in pcs]
    codes = []
    for run in runs:
        _out, err = run.communicate(timeout=120)
        assert not err.strip(), err  # no traceback, no warning
        codes.append(run.returncode)
    return codes


def test_command_line_syncs_at_once_while_users_edit_end_in_sync(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    a, b, c = pcs
    incident = new_incident(a)
    sync_all(pcs, share)
    for pc in pcs:
        pc.db.close()
    keys = {"A": "s2.plan", "B": "s2.information", "C": "s2.diagnosis"}

    editors = [subprocess.Popen(
        [sys.executable, "-c", EDITOR, str(pc.data_dir), incident, keys[pc.name], pc.name,
         str(EDITS)], cwd=ROOT, env=ENV, stderr=subprocess.PIPE, text=True) for pc in pcs]
    busy_rounds = 0
    while any(e.poll() is None for e in editors) or busy_rounds < 2:
        assert set(_round(list(pcs), share)) <= {EXIT_IN_SYNC, EXIT_NOT_IN_SYNC}
        busy_rounds += 1
    for editor in editors:
        _out, err = editor.communicate(timeout=120)
        assert editor.returncode == 0, err
    for _attempt in range(5):
        if _round(list(pcs), share) == [EXIT_IN_SYNC] * 3:
            break
    else:
        pytest.fail("the PCs did not reach the same state in five rounds after the edits")

    for pc in pcs:
        pc.reopen()
    assert_same_rows(pcs)
    for pc in pcs:
        for name, key in keys.items():
            assert field_value(pc, incident, key) == f"{name} 第 {EDITS} 版"
        notes = {e.data["text"] for e in incident_view(pc.db, incident, utcnow(), 10).timeline
                 if e.kind == "note"}
        assert notes == {f"{n} 紀錄 {i}" for n in keys for i in range(1, EDITS + 1)}


def test_the_command_line_says_a_missing_share_is_unreachable(
        pcs: tuple[PC, PC, PC], tmp_path: Path) -> None:
    pcs[0].db.close()
    run = subprocess.run(_sync_command(pcs[0], tmp_path / "no-such-share"), cwd=ROOT, env=ENV,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == EXIT_UNREACHABLE
    assert str(tmp_path / "no-such-share") in run.stdout
    pcs[0].db = open_data_dir(pcs[0].data_dir, "keelung")


def test_cases_loaded_on_one_pc_reach_the_others_without_a_conflict(tmp_path: Path) -> None:
    """``main.py demo`` stores the example cases archived, with their parts; synced by the
    command line, every PC ends each run in sync (exit 0, no conflict) and holds them."""
    share = tmp_path / "share"
    share.mkdir()
    folders = [tmp_path / name for name in "ABC"]

    def main(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir",
                               str(folder), *args], cwd=ROOT, env=ENV, capture_output=True,
                              text=True, timeout=120)

    loaded = main(folders[0], "demo")
    assert loaded.returncode == 0, loaded.stderr
    for _round in range(2):
        for folder in folders:
            run = main(folder, "sync", "--folder", str(share))
            assert (run.returncode, run.stderr) == (EXIT_IN_SYNC, ""), run.stdout

    titles = []
    for folder in folders:
        db = open_data_dir(folder, "keelung")
        try:
            with db.session() as session:
                titles.append(sorted(session.scalars(select(IncidentRow.title).where(
                    IncidentRow.is_example, IncidentRow.status == "archived"))))
                assert session.scalar(select(func.count()).select_from(SyncConflictRow)) == 0
        finally:
            db.close()
    assert titles[0] and titles == [titles[0]] * 3
