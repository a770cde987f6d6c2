"""Killing the app loses nothing already entered: a child process enters an incident through
the app's own actions and reports each stored edit; it is killed with SIGKILL mid-stream, and
a fresh start shows every edit it reported, in a sound database."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from models.incidents.queries import incident_view
from models.startup import open_data_dir
from models.storage.db import utcnow

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")]

CHILD = """
import sys
from datetime import timedelta
from pathlib import Path
from models.storage.db import utcnow
from models.incidents.actions import IncidentDraft, add_entry, open_incident, set_field
from models.org.people import Actor, Role
from models.startup import open_data_dir

db = open_data_dir(Path(sys.argv[1]), "keelung")
actor = Actor("林組長", Role.UNIT_HEAD)
incident = open_incident(db, actor, "keelung", IncidentDraft(
    title="貨櫃夾藏加熱菸", summary="", started_at=utcnow() - timedelta(hours=1), location="",
    reporting_unit="", source="internal", category_key="clearance", subtype_key="", scope="",
    level_key="medium", suggested_level="medium"))
print("incident", incident, flush=True)
n = 0
while True:
    n += 1
    add_entry(db, actor, incident, "report", f"回報 {n}", utcnow())
    set_field(db, actor, incident, "s2.information", f"資訊第 {n} 版")
    print("saved", n, flush=True)
"""


def test_a_killed_app_keeps_every_edit_it_reported(tmp_path: Path) -> None:
    with subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path)], cwd=ROOT,
                          stdout=subprocess.PIPE, text=True, encoding="utf-8",
                          env={**os.environ, "PYTHONPATH": str(ROOT)}) as child:
        assert child.stdout is not None
        incident_id = child.stdout.readline().split()[1]
        last = 0
        while last < 25:
            line = child.stdout.readline()
            assert line.startswith("saved"), line
            last = int(line.split()[1])
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    with sqlite3.connect(tmp_path / "crisisdesk.sqlite3") as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db = open_data_dir(tmp_path, "keelung")
    try:
        view = incident_view(db, incident_id, utcnow(), 10)
    finally:
        db.close()
    reports = [e.data["text"] for e in view.reports()]
    assert reports[:last] == [f"回報 {n}" for n in range(1, last + 1)]
    stored = int(view.fields["s2.information"].split()[1])
    assert stored >= last  # the kill may have come after one more edit, never before
    assert len(reports) in (stored, stored + 1)
