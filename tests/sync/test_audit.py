"""`main.py audit verify`: a PC's records are what their signed sync history says. A database
fresh from the first start, after a day's work and syncs between PCs (conflicts and a record
locked under an edit included), or upgraded from before sync, verifies clean; a record,
a stored sync file or a version of the history changed outside the app is named, by table,
record and field, and the command fails."""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

import main
from models.incidents.actions import record_notification, set_field
from models.schema import RULES
from models.storage.db import utcnow
from models.storage.names import DATABASE_FILE
from models.sync.audit import AuditReport, verify_history
from tests.scans import blank_scan
from tests.sync.conftest import HEAD, PC, assert_same_rows, new_incident, sync_all
from tests.sync.test_sync_basic import (
    _archived_on_a_while_b_edits,
    _edit_the_same_field_on_two_pcs,
    full_drill,
    full_incident,
)
from tests.sync.test_sync_migration import _as_before_sync

MakePC = Callable[..., PC]


def verified(pc: PC) -> AuditReport:
    return verify_history(pc.db, RULES)


def audit(pc: PC, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """`main.py --data-dir <pc> audit verify` on the PC's closed database: its exit code and
    the lines it printed."""
    pc.db.close()
    code = main.main(["--data-dir", str(pc.data_dir), "audit", "verify"])
    return code, capsys.readouterr().out.splitlines()


def tamper(pc: PC, *statements: tuple[str, tuple[object, ...]]) -> None:
    """Change the PC's database file as an SQLite tool would, the app closed."""
    pc.db.close()
    with sqlite3.connect(pc.data_dir / DATABASE_FILE) as con:
        for sql, params in statements:
            assert con.execute(sql, params).rowcount == 1, sql
    con.close()


def worked_and_synced(make_pc: MakePC, share: Path, tmp_path: Path) -> tuple[PC, PC, PC]:
    """Three PCs after a realistic stretch of work: whole incidents and drills, a conflict
    still open, a record archived on one PC while another edited it, all synced."""
    scan = blank_scan(tmp_path / "scan.pdf")
    pcs = make_pc("A"), make_pc("B"), make_pc("C")
    a, b, _c = pcs
    full_incident(a)
    full_drill(b, scan)
    _edit_the_same_field_on_two_pcs(pcs, share)
    _archived_on_a_while_b_edits(pcs, share)
    sync_all(pcs, share)
    assert_same_rows(pcs)
    return pcs


def test_a_fresh_database_verifies(make_pc: MakePC, capsys: pytest.CaptureFixture[str]) -> None:
    pc = make_pc("A")
    report = verified(pc)
    assert report.ok and report.findings == () and report.rows > 0

    code, lines = audit(pc, capsys)
    assert code == main.EXIT_OK
    assert lines == [report.summary()]


def test_records_after_work_and_syncs_between_pcs_verify_on_every_pc(
        make_pc: MakePC, share: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    pcs = worked_and_synced(make_pc, share, tmp_path)

    for pc in pcs:
        report = verified(pc)
        assert [f.message() for f in report.findings] == [], pc.name
        assert report.segments >= 3 and report.versions > 0
    code, lines = audit(pcs[1], capsys)
    assert code == main.EXIT_OK and len(lines) == 1


def test_a_database_from_before_sync_verifies_after_its_upgrade_and_sync(
        make_pc: MakePC, share: Path) -> None:
    """Records older than the sync were recorded by its migration, and a notification older
    than its outcome column reads as reached without any history of that column."""
    old = make_pc("A")
    incident = new_incident(old)
    record_notification(old.db, HEAD, incident, target_group="secretary", member_id="",
                        recipient="王主秘", acting_for="", means="phone", notified_at=utcnow())
    old.db.close()
    _as_before_sync(old.data_dir)
    a, b = make_pc("A", old.data_dir), make_pc("B")
    sync_all([a, b], share)

    for pc in (a, b):
        assert [f.message() for f in verified(pc).findings] == [], pc.name


def _places(report: AuditReport) -> set[tuple[str, str, str]]:
    return {(f.table, f.row_id, f.field) for f in report.findings}


def test_a_title_changed_outside_the_app_is_named_and_fails_the_command(
        make_pc: MakePC, share: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    pcs = worked_and_synced(make_pc, share, tmp_path)
    a = pcs[0]
    incident = new_incident(a, "走私漁船案")
    sync_all(pcs, share)
    tamper(a, ("UPDATE incidents SET title = ? WHERE id = ?", ("無事", incident)))

    code, lines = audit(a, capsys)

    assert code == main.EXIT_FAILED
    [finding] = [line for line in lines if incident in line]
    assert "incidents" in finding and "title" in finding and "無事" in finding
    assert "走私漁船案" in finding  # what the history says it is
    assert len(lines) == 2  # the finding and the summary


def test_a_drill_report_summary_changed_outside_the_app_is_named(
        make_pc: MakePC, share: Path, tmp_path: Path) -> None:
    pcs = worked_and_synced(make_pc, share, tmp_path)
    c = pcs[2]
    with sqlite3.connect(c.data_dir / DATABASE_FILE) as con:
        version_id, content = con.execute(
            "SELECT id, content FROM drill_report_versions").fetchone()
    con.close()
    forged = json.loads(content)
    assert forged["summary"]
    forged["summary"] = "演練順利，無待改進事項。"
    tamper(c, ("UPDATE drill_report_versions SET content = ? WHERE id = ?",
               (json.dumps(forged, ensure_ascii=False), version_id)))
    c.reopen()

    report = verified(c)

    assert _places(report) == {("drill_report_versions", version_id, "content")}
    assert not report.ok


def test_a_stored_sync_file_altered_is_named(make_pc: MakePC, share: Path,
                                             tmp_path: Path) -> None:
    pcs = worked_and_synced(make_pc, share, tmp_path)
    b = pcs[1]
    device = pcs[0].device
    with sqlite3.connect(b.data_dir / DATABASE_FILE) as con:
        packed = con.execute("SELECT data FROM sync_segments WHERE device = ? AND seq = 1",
                             (device,)).fetchone()[0]
    con.close()
    altered = zlib.decompress(packed).replace("擴大查緝".encode(), "暫緩查緝".encode(), 1)
    assert altered != zlib.decompress(packed)
    tamper(b, ("UPDATE sync_segments SET data = ? WHERE device = ? AND seq = 1",
               (zlib.compress(altered), device)))
    b.reopen()

    messages = [f.message() for f in verified(b).findings]

    assert any(f"{device}/1" in m for m in messages), messages


def _synced_version(pc: PC, incident: str) -> tuple[str, str]:
    """A version of the incident's title that came to *pc* in a sync file: (id, its change)."""
    with sqlite3.connect(pc.data_dir / DATABASE_FILE) as con:
        row = con.execute(
            "SELECT v.version_id, v.change_id FROM sync_versions v JOIN sync_changes c "
            "ON c.id = v.change_id WHERE c.tbl = 'incidents' AND c.row_id = ? "
            "AND v.field = 'title' AND c.seq IS NOT NULL", (incident,)).fetchone()
    con.close()
    return str(row[0]), str(row[1])


@pytest.mark.parametrize("tampering", [
    "DELETE FROM sync_versions WHERE version_id = ?",
    "UPDATE sync_versions SET change_id = 999999 WHERE version_id = ?",
], ids=["deleted", "moved to no change"])
def test_a_version_deleted_or_moved_out_of_the_history_is_named(
        make_pc: MakePC, share: Path, tmp_path: Path, tampering: str) -> None:
    """Either way the signed file's value is missing from the history; a version whose
    change is gone belongs to no record, and is named by its id too."""
    pcs = worked_and_synced(make_pc, share, tmp_path)
    a, b = pcs[0], pcs[1]
    incident = new_incident(a, "走私漁船案")
    sync_all(pcs, share)
    version, _change = _synced_version(b, incident)
    tamper(b, (tampering, (version,)))
    b.reopen()

    report = verified(b)

    assert ("incidents", incident, "title") in _places(report)
    assert not report.ok
    if tampering.startswith("UPDATE"):
        assert any(version in f.message() for f in report.findings), report.findings


def test_a_version_inserted_into_the_history_is_named(make_pc: MakePC, share: Path,
                                                      tmp_path: Path) -> None:
    """A value slipped into the history as if it had come in a signed file, and made the
    record's: neither the file nor the record's own history backs it."""
    pcs = worked_and_synced(make_pc, share, tmp_path)
    a, b = pcs[0], pcs[1]
    incident = new_incident(a, "走私漁船案")
    sync_all(pcs, share)
    version, change = _synced_version(b, incident)
    tamper(b, ("INSERT INTO sync_versions (version_id, change_id, field, value, bases) "
               "VALUES ('forged-1', ?, 'summary', ?, '[]')", (change, json.dumps("無事"))))

    b.reopen()
    report = verified(b)

    found = {f.field for f in report.findings if f.row_id == incident}
    assert "summary" in found and not report.ok


def _three_files_from_a(make_pc: MakePC, share: Path) -> tuple[PC, PC, str]:
    """A has sent three sync files about one incident, and B has applied them."""
    a, b = make_pc("A"), make_pc("B")
    incident = new_incident(a, "走私漁船案")
    for plan in ("初步計畫", "擴大查緝"):
        sync_all([a, b], share)
        set_field(a.db, HEAD, incident, "s2.plan", plan)
    sync_all([a, b], share)
    return a, b, incident


def test_a_stored_sync_file_removed_from_the_middle_of_a_log_is_named(
        make_pc: MakePC, share: Path) -> None:
    a, b, _incident = _three_files_from_a(make_pc, share)
    device = a.device
    tamper(b, ("DELETE FROM sync_segments WHERE device = ? AND seq = 2", (device,)))
    b.reopen()

    messages = [f.message() for f in verified(b).findings]

    assert any(f"{device}/2" in m and f"{device}/3" not in m for m in messages), messages


def test_a_record_added_or_removed_outside_the_app_is_named(make_pc: MakePC,
                                                            share: Path) -> None:
    _a, b, incident = _three_files_from_a(make_pc, share)
    with sqlite3.connect(b.data_dir / DATABASE_FILE) as con:
        columns = [row[1] for row in con.execute("PRAGMA table_info(units)")]
    con.close()
    copied = ", ".join("?" if c in ("id", "key") else c for c in columns)
    keys = ("forged-unit", "forged") if columns.index("id") < columns.index("key") else (
        "forged", "forged-unit")
    tamper(b, (f"INSERT INTO units ({', '.join(columns)}) SELECT {copied} FROM units LIMIT 1",
               keys),
           ("DELETE FROM incidents WHERE id = ?", (incident,)))
    b.reopen()

    report = verified(b)

    assert _places(report) == {("units", "forged-unit", ""), ("incidents", incident, "")}
