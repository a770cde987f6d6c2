"""The report a sync process hands to the window (models/sync/report_json.py): what a real run
reports comes back the same, with the kinds of records it brought in; anything else that may be
in the file (cut short, another program's, a field of the wrong kind) is refused, never taken
for a run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from models.core.changes import Change
from models.sync.report_json import (
    ReportUnreadable,
    dump_report,
    load_report,
    read_report,
    write_report,
)
from models.sync.run import SyncReport
from tests.sync.conftest import PC, new_incident, sync

ROOT = Path(__file__).resolve().parents[2]


def test_a_runs_report_comes_back_as_it_was(pcs: tuple[PC, PC, PC], share: Path,
                                            tmp_path: Path) -> None:
    a, b, _c = pcs
    new_incident(a, "颱風期間貨櫃落海")
    sync(a, share)
    report = sync(b, share)
    assert report.received_changes > 0 and report.changes.touches(Change.INCIDENTS)

    write_report(tmp_path / "report.json", report)
    back, standing = read_report(tmp_path / "report.json")

    assert standing is True  # the run read this PC's standing; the window reads it itself
    report.standing = None
    assert back == report


def _tampered(**changes: object) -> dict[str, object]:
    data = json.loads(dump_report(SyncReport(folder="/share",
                                             finished_at="2026-12-07T04:00:00.000000Z")))
    data.update(changes)
    return data


@pytest.mark.parametrize("data", [
    [],
    {"folder": "/share"},
    _tampered(conflicts="3"),
    _tampered(conflicts=-1),
    _tampered(reachable=1),
    _tampered(waiting=["ok", 2]),
    _tampered(changes=["incidents", "passwords"]),
    _tampered(standing="yes"),
    _tampered(finished_at="yesterday"),
    _tampered(admin=True),
], ids=["a list", "one field", "a count as text", "a negative count", "a number as a flag",
        "a list with a number", "an unknown kind", "standing as text", "no time",
        "an unknown field"])
def test_what_is_not_a_report_is_refused(data: object) -> None:
    with pytest.raises(ReportUnreadable):
        load_report(data)


@pytest.mark.parametrize("content", [b"", b'{"folder": "/sh', b"\xff\xfe", b"[" * 100_000])
def test_a_file_cut_short_or_garbled_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "report.json"
    path.write_bytes(content)
    with pytest.raises(ReportUnreadable):
        read_report(path)


def test_the_command_line_writes_the_report_for_the_window(pcs: tuple[PC, PC, PC],
                                                           share: Path, tmp_path: Path) -> None:
    """``main.py sync --report FILE``, as the window starts it, with the person, unit and role
    the window names (here for a PC whose settings were never saved)."""
    a, b, _c = pcs
    new_incident(a)
    sync(a, share)
    b.db.close()
    path = tmp_path / "out" / "report.json"
    path.parent.mkdir()
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), f"--data-dir={b.data_dir}",
                           "sync", f"--folder={share}", f"--report={path}",
                           "--person=-林組長",  # "--x=value": a value may start with "-"
                           "--unit=inspection", "--role=unit_head"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report, standing = read_report(path)
    assert report.in_sync and report.received_changes > 0 and standing
    assert report.changes.touches(Change.INCIDENTS)


def test_a_database_that_cannot_open_is_in_the_report(tmp_path: Path, share: Path) -> None:
    data_dir = tmp_path / "pc"
    data_dir.mkdir()
    (data_dir / "crisisdesk.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)
    path = tmp_path / "report.json"
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), f"--data-dir={data_dir}",
                           "sync", f"--folder={share}", f"--report={path}"],
                          capture_output=True, text=True, cwd=tmp_path)
    report, standing = read_report(path)
    assert done.returncode == 3 and not standing
    assert str(data_dir / "crisisdesk.sqlite3") in report.error and report.finished_at
