"""Signed scans of every form: the QR code is read off a scan as a scanner makes it (150 dpi,
turned 2.5°, out of focus) and the paper is matched to its record, as the current version or
an older one; a scan without a readable code falls back on the code typed off the paper, and
a damaged, huge or disguised file is refused with the reason."""

from __future__ import annotations

import struct
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image

from forms.verify import read_payload
from i18n import set_language
from models.core.errors import UserError, ValidationError
from models.drills.print import draw_record, evaluation_form, report_form
from models.drills.reports.actions import reopen_report
from models.drills.reports.queries import evaluation_view, report_view
from models.incidents.actions import open_incident, set_field
from models.incidents.print import case_file, notification_form
from models.incidents.queries import incident_view
from models.playbook.store import current_playbook
from models.review.signed_scans import Verdict, attach_scan, scans_of
from models.storage.db import Database, utcnow
from tests.scans import scan_of
from tests.unit.drills.test_report_codes import SECRETARY, _signed_report
from tests.unit.incidents.test_incidents import HEAD, draft

TZ = "Asia/Taipei"


def _incident(db: Database) -> str:
    return open_incident(db, HEAD, "keelung", draft(started_at=utcnow() - timedelta(hours=1)))


def _notification(db: Database, incident_id: str):  # type: ignore[no-untyped-def]
    return notification_form(incident_view(db, incident_id, utcnow(), 0), {}, TZ)


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".tif", ".pdf"])
def test_a_scanned_notification_form_is_matched_by_its_qr_code(
        db: Database, tmp_path: Path, suffix: str) -> None:
    incident_id = _incident(db)
    doc = _notification(db, incident_id)
    scan = scan_of(doc, tmp_path / f"scan{suffix}")
    check = attach_scan(db, HEAD, "notification", incident_id, scan)  # nothing typed
    assert check.from_qr and check.verdict == Verdict.CURRENT
    assert doc.verification is not None and check.code == doc.verification.code
    assert (db.path.parent / "attachments" / f"{check.sha256}{suffix}").read_bytes() == \
        scan.read_bytes()
    assert [c.verdict for c in scans_of(db, "notification", incident_id)] == [Verdict.CURRENT]


def test_an_older_printout_is_reported_as_older(db: Database, tmp_path: Path) -> None:
    incident_id = _incident(db)
    old = scan_of(case_file(incident_view(db, incident_id, utcnow(), 0), {}, TZ),
                  tmp_path / "old.png", angle=-2.0, blur=1.0)
    first = attach_scan(db, HEAD, "case_file", incident_id, old)
    assert first.verdict == Verdict.CURRENT
    set_field(db, HEAD, incident_id, "s2.plan", "擴大查緝同一進口商")
    again = attach_scan(db, HEAD, "case_file", incident_id, old)
    assert again.from_qr and again.verdict == Verdict.OLDER
    # the scan attached while current is now stale too; the notification form is apart
    assert [c.verdict for c in scans_of(db, "case_file", incident_id)] == [Verdict.OLDER] * 2
    assert scans_of(db, "notification", incident_id) == ()


def test_a_scan_without_a_qr_code_falls_back_on_the_typed_code(db: Database,
                                                               tmp_path: Path) -> None:
    incident_id = _incident(db)
    doc = _notification(db, incident_id)
    assert doc.verification is not None
    scan = scan_of(doc, tmp_path / "scan.png")
    with Image.open(scan) as image:  # the bottom of the page, with the code, cut off
        image.crop((0, 0, image.width, image.height // 2)).save(tmp_path / "top.png")
    top = tmp_path / "top.png"
    with pytest.raises(ValidationError) as untyped:
        attach_scan(db, HEAD, "notification", incident_id, top)
    assert untyped.value.field == "code"
    typed = doc.verification.code.lower().replace("-", " ")
    check = attach_scan(db, HEAD, "notification", incident_id, top, typed)
    assert not check.from_qr and check.verdict == Verdict.CURRENT
    wrong = attach_scan(db, HEAD, "notification", incident_id, top, "ABCD-EFGH-JK")
    assert wrong.verdict == Verdict.NONE and wrong.version is None


def test_the_scan_of_another_record_or_form_is_refused(db: Database, tmp_path: Path) -> None:
    incident_id, other_id = _incident(db), _incident(db)
    scan = scan_of(_notification(db, other_id), tmp_path / "other.png")
    for form, record in (("notification", incident_id), ("case_file", other_id)):
        with pytest.raises(ValidationError) as refused:
            attach_scan(db, HEAD, form, record, scan, "ABCD-EFGH-JK")
        assert refused.value.field == "file" and "another form" in refused.value.msgid
    assert scans_of(db, "notification", incident_id) == ()
    with pytest.raises(UserError):
        attach_scan(db, SECRETARY, "annual_review", incident_id, scan)


def test_drill_forms_are_matched_and_an_older_report_version_named(
        db: Database, tmp_path: Path) -> None:
    drill_id, report_id = _signed_report(db)
    playbook = current_playbook(db)[1]
    report = scan_of(report_form(report_view(db, drill_id), playbook, TZ), tmp_path / "r.png")
    assert attach_scan(db, SECRETARY, "drill_report", report_id, report).verdict == \
        Verdict.CURRENT
    reopen_report(db, SECRETARY, report_id, "演練時間誤植")
    older = attach_scan(db, SECRETARY, "drill_report", report_id, report)
    assert (older.verdict, older.version, older.current_version) == (Verdict.OLDER, 1, 2)

    from models.drills.queries import draw_info
    from models.drills.entities import DrawRow
    from sqlalchemy import select

    with db.session() as session:
        draw = draw_info(session.scalars(select(DrawRow)).one())
    scan = scan_of(draw_record(draw, TZ), tmp_path / "draw.jpg", angle=3.0)
    assert attach_scan(db, SECRETARY, "drill_draw", draw.id, scan).verdict == Verdict.CURRENT


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims a size: a few bytes that would decode into a huge image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                                               0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("bomb.png", _png_header(60_000, 60_000), "too large"),
    ("large.png", _png_header(8_000, 8_000), "too large"),  # below Pillow's own limit
    ("garbage.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "damaged"),
    ("truncated.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x01" * 50, "damaged"),
    ("script.png", b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", "damaged"),
    ("fake.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "damaged"),
    ("zip.tif", b"PK\x03\x04" + b"\x00" * 100, "damaged"),
])
def test_hostile_scans_are_refused_with_the_reason(db: Database, tmp_path: Path, name: str,
                                                    content: bytes, reason: str) -> None:
    incident_id = _incident(db)
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValidationError) as refused:
        attach_scan(db, HEAD, "notification", incident_id, path, "ABCD-EFGH-JK")
    assert refused.value.field == "file" and reason in refused.value.msgid  # its reason
    assert refused.value.message() != refused.value.msgid  # in the user's language
    assert scans_of(db, "notification", incident_id) == ()
    assert not (db.path.parent / "attachments").exists()


def test_an_evaluation_printed_before_a_change_is_older(db: Database, tmp_path: Path) -> None:
    """The evaluation keeps no versions: its paper from before a change is recognised by the
    QR code naming it, as an older printout of the same version number."""
    from models.drills.reports.actions import save_evaluation
    from tests.unit.drills.test_drill_reports import (
        PLANNER,
        drawn_drill,
        full_evaluation,
        signed_report,
    )

    drill_id = drawn_drill(db)
    signed_report(db, drill_id)
    evaluation = save_evaluation(db, PLANNER, drill_id, full_evaluation())
    scan = scan_of(evaluation_form(evaluation_view(db, drill_id), TZ), tmp_path / "e.tif")
    assert attach_scan(db, PLANNER, "drill_evaluation", evaluation.id, scan).verdict == \
        Verdict.CURRENT
    save_evaluation(db, PLANNER, drill_id, full_evaluation(strengths="研判正確。"))
    older = attach_scan(db, PLANNER, "drill_evaluation", evaluation.id, scan)
    assert (older.verdict, older.version, older.current_version) == (Verdict.OLDER, 1, 1)


def test_the_annual_review_is_current_until_a_figure_changes(db: Database,
                                                             tmp_path: Path) -> None:
    from models.drills.kinds import taipei_today
    from models.review.report import load_review, review_id

    today = taipei_today()
    record = review_id("keelung", today.year)
    doc = load_review(db, "keelung", today.year, today, TZ)
    assert doc.verification is not None
    printed = read_payload(doc.verification.qr_payload)
    assert printed is not None and (printed.kind, printed.record_id) == ("annual_review", record)
    scan = scan_of(doc, tmp_path / "annual.png")
    with pytest.raises(UserError) as refused:  # the office's own paper: not a unit head's
        attach_scan(db, HEAD, "annual_review", record, scan)
    assert "planning group" in refused.value.msgid
    first = attach_scan(db, SECRETARY, "annual_review", record, scan)
    assert first.from_qr and first.verdict == Verdict.CURRENT
    set_language("en")
    try:  # the code covers the figures, not their words
        assert load_review(db, "keelung", today.year, today, TZ).verification == doc.verification
    finally:
        set_language("zh_TW")
    _incident(db)  # one more incident this year: another figure
    assert attach_scan(db, SECRETARY, "annual_review", record, scan).verdict == Verdict.OLDER
    with pytest.raises(ValidationError):  # last year's paper is not this year's
        attach_scan(db, SECRETARY, "annual_review", review_id("keelung", today.year - 1), scan)


def test_a_pdf_claiming_huge_pages_is_read_at_a_bounded_size(db: Database,
                                                            tmp_path: Path) -> None:
    """Five pages of 5 by 5 metres: only two are looked at, each rendered no larger than an
    A3 page at 200 dpi; no code on them, so the typed code decides."""
    import io

    import pypdfium2

    from models.core import scan_codes

    document = pypdfium2.PdfDocument.new()
    for _page in range(5):
        document.new_page(14_400, 14_400)
    out = io.BytesIO()
    document.save(out)
    document.close()
    sizes: list[int] = []
    decode = scan_codes._decode

    def counted(image):  # type: ignore[no-untyped-def]
        sizes.append(image.width * image.height)
        return decode(image)

    path = tmp_path / "huge.pdf"
    path.write_bytes(out.getvalue())
    incident_id = _incident(db)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scan_codes, "_decode", counted)
        check = attach_scan(db, HEAD, "notification", incident_id, path, "ABCD-EFGH-JK")
    assert check.verdict == Verdict.NONE and not check.from_qr
    assert len(sizes) == scan_codes.PDF_PAGES and max(sizes) <= scan_codes.PDF_MAX_PIXELS


def test_a_scan_at_600_dpi_is_reduced_and_read(db: Database, tmp_path: Path) -> None:
    """35 million pixels: opened, reduced for the decoder, and its code read all the same."""
    incident_id = _incident(db)
    scan = scan_of(_notification(db, incident_id), tmp_path / "fine.png", blur=2.0, dpi=600)
    with Image.open(scan) as image:
        assert image.width * image.height > 30_000_000
    check = attach_scan(db, HEAD, "notification", incident_id, scan)
    assert check.from_qr and check.verdict == Verdict.CURRENT
