"""The scan of a signed drill report, attached through the path every printed form shares
(models.review.signed_scans): the QR code read off the scan first, the code typed off the
paper only where none can be read (typed as people type it), the version the paper names
(an older one after a reopen: print and sign again), and a wrong or damaged file refused
with nothing kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from i18n import _
from models.core.errors import UserError, ValidationError
from models.drills.print import report_form
from models.drills.reports.actions import reopen_report
from models.drills.reports.queries import report_view
from models.org.people import Actor, Role
from models.playbook.store import current_playbook
from models.review.signed_scans import Verdict, attach_scan, scans_of
from models.storage.db import Database
from tests.scans import blank_scan, scan_of
from tests.unit.drills.test_report_codes import SECRETARY, _printed_code, _signed_report

UNIT_HEAD = Actor("陳組長", Role.UNIT_HEAD)


def _attach(db: Database, path: Path, report_id: str, typed: str = "",
            actor: Actor = SECRETARY):  # type: ignore[no-untyped-def]
    return attach_scan(db, actor, "drill_report", report_id, path, typed)


def test_the_qr_code_on_the_scan_names_the_version_without_typing(db: Database,
                                                                  tmp_path: Path) -> None:
    drill_id, report_id = _signed_report(db)
    form = report_form(report_view(db, drill_id), current_playbook(db)[1], "Asia/Taipei")
    scan = scan_of(form, tmp_path / "signed.png")
    # The unit drilled files its own report's paper (not the office's own: no signer needed).
    check = _attach(db, scan, report_id, "ABCD-EFGH-JK", actor=UNIT_HEAD)  # the QR code wins
    assert (check.verdict, check.version, check.from_qr) == (Verdict.CURRENT, 1, True)
    assert check.code == _printed_code(db, drill_id)
    with pytest.raises(ValidationError) as untyped:  # no QR code, nothing typed
        _attach(db, blank_scan(tmp_path / "blank.png"), report_id)
    assert untyped.value.field == "code"
    assert [s.filename for s in scans_of(db, "drill_report", report_id)] == ["signed.png"]


def test_the_typed_code_names_the_version_and_a_reopen_makes_the_paper_older(
        db: Database, tmp_path: Path) -> None:
    drill_id, report_id = _signed_report(db)
    code = _printed_code(db, drill_id)
    scan = blank_scan(tmp_path / "scan.pdf")  # no QR code on it: the typed code
    typed = code.lower().replace("-", " ").replace("0", "o")  # as people type it
    check = _attach(db, scan, report_id, typed)
    assert (check.verdict, check.version, check.from_qr) == (Verdict.CURRENT, 1, False)
    assert (db.path.parent / "attachments" / f"{check.sha256}.pdf").read_bytes() == \
        scan.read_bytes()

    reopen_report(db, SECRETARY, report_id, "演練時間誤植")
    older = _attach(db, scan, report_id, code)
    assert (older.verdict, older.version, older.current_version) == (Verdict.OLDER, 1, 2)
    wrong = _attach(db, scan, report_id, "ABCD-EFGH-JK")
    assert (wrong.verdict, wrong.version) == (Verdict.NONE, None)
    listed = scans_of(db, "drill_report", report_id)  # the first, current then, is older now
    assert [(s.verdict, s.version) for s in listed] == [
        (Verdict.OLDER, 1), (Verdict.OLDER, 1), (Verdict.NONE, None)]


def test_bad_scans_and_codes_are_refused(db: Database, tmp_path: Path) -> None:
    _drill_id, report_id = _signed_report(db)
    text = tmp_path / "notes.txt"
    text.write_text("x")
    with pytest.raises(ValidationError) as not_a_scan:
        _attach(db, text, report_id, "ABCD-EFGH-JK")
    assert not_a_scan.value.field == "file"
    with pytest.raises(ValidationError) as short:
        _attach(db, blank_scan(tmp_path / "a.pdf"), report_id, "AB")
    assert short.value.field == "code"
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")
    with pytest.raises(ValidationError) as broken:
        _attach(db, damaged, report_id, "ABCD-EFGH-JK")
    assert broken.value.field == "file" and "damaged" in broken.value.msgid
    with pytest.raises(UserError) as missing:
        _attach(db, tmp_path / "missing.pdf", report_id, "ABCD-EFGH-JK")
    assert _("no such file or folder") in missing.value.message()  # not the system's English
    assert "No such file" not in missing.value.message()
    assert scans_of(db, "drill_report", report_id) == ()
    assert not (db.path.parent / "attachments").exists()
