"""A real kill: a child process runs one sync of a PC's data folder and is SIGKILLed while it
writes a segment to the share or while it applies one to its database. What it leaves (a
temporary file on the share, an unfinished transaction in the database) must do no harm: the
next run finishes the work and every PC ends with the same rows."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from models.incidents.actions import add_entry, set_field
from models.storage.db import utcnow
from models.storage.names import DATABASE_FILE
from tests.sync.conftest import (
    HEAD,
    PC,
    assert_in_sync,
    assert_same_rows,
    new_incident,
    sync,
    sync_all,
    table_rows,
)


@pytest.fixture
def pcs(office_pcs: tuple[PC, PC, PC]) -> tuple[PC, PC, PC]:
    """Enrolled PCs of an office with an authority: the sync holds up with every check on."""
    return office_pcs

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")]

CHILD = """
import sys
from pathlib import Path
import models.sync.folder, models.sync.merge
from models.startup import open_data_dir
from models.schema import RULES
from models.sync.run import sync_once

def stop_here():
    print("stopped", flush=True)
    sys.stdin.read()  # until killed

if sys.argv[3] == "write":  # the temporary file is written and fsync'd, not yet named
    models.sync.folder._publish = lambda tmp, path: stop_here()
else:  # the rows are written in the open transaction, not yet committed
    materialize = models.sync.merge.materialize
    def stop_after(*args):
        materialize(*args)
        stop_here()
    models.sync.merge.materialize = stop_after
db = open_data_dir(Path(sys.argv[1]), "keelung")
sync_once(db, Path(sys.argv[2]), RULES)
print("finished", flush=True)
"""


def _kill_a_sync_of(pc: PC, share: Path, point: str) -> None:
    pc.db.close()
    with subprocess.Popen([sys.executable, "-c", CHILD, str(pc.data_dir), str(share), point],
                          cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}) as child:
        assert child.stdout is not None
        assert child.stdout.readline() == "stopped\n"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    with sqlite3.connect(pc.data_dir / DATABASE_FILE) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    pc.reopen()


def test_a_sync_killed_while_writing_to_the_share_sends_everything_next_time(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    a, b, c = pcs
    sync_all(pcs, share)
    incident = new_incident(a)
    set_field(a.db, HEAD, incident, "s2.plan", "擴大查緝")

    _kill_a_sync_of(a, share, "write")

    leftovers = list(share.rglob(".*.tmp"))
    assert leftovers, "the kill came after the temporary file was written"
    reports = sync_all(pcs, share)
    assert_in_sync(reports)
    assert all(r.foreign == [] for r in reports)  # our own temporary file is not junk
    rows = assert_same_rows(pcs)
    assert incident in {r["id"] for r in rows["incidents"]}


def test_a_sync_killed_while_applying_keeps_nothing_of_it_then_applies_it(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    a, b, c = pcs
    sync_all(pcs, share)
    before = table_rows(b.db)
    incident = new_incident(a)
    add_entry(a.db, HEAD, incident, "report", "已清查 12 櫃", utcnow())
    sync(a, share)

    _kill_a_sync_of(b, share, "apply")

    assert table_rows(b.db) == before
    assert_in_sync(sync_all(pcs, share))
    rows = assert_same_rows(pcs)
    assert incident in {r["id"] for r in rows["incidents"]}
