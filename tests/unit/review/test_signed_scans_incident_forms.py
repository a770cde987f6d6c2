"""Signed scans of the incident's two forms with a record of their own: a situation report
(the filed report) and the registration form of a request for favour (the inquiry). Each is
read by its QR code off a scan as a scanner makes it (150 dpi, turned, out of focus) and
matched to its record; the registration form goes older when the inquiry is edited, the
report (which never changes once filed) when the incident's 公文 header its code covers does."""

from __future__ import annotations

from pathlib import Path

from models.incidents.inquiry_actions import save_inquiry
from models.incidents.inquiry_print import favour_form
from models.incidents.print_situation import situation_report_form
from models.incidents.queries import incident_view
from models.incidents.record_header import incident_header, set_incident_header
from models.incidents.situation_reports import file_report, load_report, snapshot_of
from models.playbook.records import RecordHeader
from models.review.signed_scans import Verdict, attach_scan, scans_of
from models.storage.db import Database, utcnow
from tests.scans import scan_of
from tests.unit.incidents.test_incidents import HEAD
from tests.unit.incidents.test_inquiries import inquiry
from tests.unit.incidents.test_record_header_trace import COMMANDER
from tests.unit.review.test_signed_scans import TZ, _incident


def _report_paper(db: Database, report_id: str):  # type: ignore[no-untyped-def]
    """The report as the stage-3 section prints it (ui/incidents/situation_reports.py)."""
    report = load_report(db, report_id)
    return situation_report_form(report, TZ, False, incident_header(db, report.incident_id))


def _favour_paper(db: Database, incident_id: str, inquiry_id: str):  # type: ignore[no-untyped-def]
    view = incident_view(db, incident_id, utcnow(), 0, TZ)
    return favour_form(view, next(i for i in view.inquiries if i.id == inquiry_id), TZ)


def test_a_situation_report_is_current_until_the_header_its_code_covers_changes(
        db: Database, tmp_path: Path) -> None:
    incident_id = _incident(db)
    view = incident_view(db, incident_id, utcnow(), 0)
    report = file_report(db, HEAD, incident_id, snapshot_of(view, {}), "明日上午複查")
    paper = _report_paper(db, report.id)
    scan = scan_of(paper, tmp_path / "report.png")
    first = attach_scan(db, HEAD, "situation_report", report.id, scan)  # nothing typed
    assert first.from_qr and first.verdict == Verdict.CURRENT
    assert paper.verification is not None and first.code == paper.verification.code
    # the incident goes on: the filed report, and its paper, stay as they were
    file_report(db, HEAD, incident_id, snapshot_of(incident_view(db, incident_id, utcnow(), 0),
                                                   {}), "續查")
    assert attach_scan(db, HEAD, "situation_report", report.id, scan).verdict == \
        Verdict.CURRENT
    set_incident_header(db, COMMANDER, incident_id,
                        RecordHeader(classification="restricted", declassify="本案結案後解密"))
    older = attach_scan(db, HEAD, "situation_report", report.id, scan)
    assert (older.verdict, older.version, older.current_version) == (Verdict.OLDER, 1, 1)
    assert [c.verdict for c in scans_of(db, "situation_report", report.id)] == \
        [Verdict.OLDER] * 3
    again = scan_of(_report_paper(db, report.id), tmp_path / "again.pdf", angle=-2.0)
    assert attach_scan(db, HEAD, "situation_report", report.id, again).verdict == \
        Verdict.CURRENT
    assert scans_of(db, "notification", incident_id) == ()  # the incident's forms are apart


def test_a_favour_registration_form_is_older_once_the_inquiry_is_edited(
        db: Database, tmp_path: Path) -> None:
    incident_id = _incident(db)
    inquiry_id = save_inquiry(db, HEAD, incident_id, None, inquiry(favour=True))
    scan = scan_of(_favour_paper(db, incident_id, inquiry_id), tmp_path / "favour.jpg",
                   angle=3.0)
    first = attach_scan(db, HEAD, "favour_registration", inquiry_id, scan)
    assert first.from_qr and first.verdict == Verdict.CURRENT
    printed_as = first.version
    save_inquiry(db, HEAD, incident_id, inquiry_id,
                 inquiry(favour=True, request="關切某報關行貨櫃查驗進度及放行時程"))
    older = attach_scan(db, HEAD, "favour_registration", inquiry_id, scan)
    assert older.from_qr and older.verdict == Verdict.OLDER
    assert printed_as is not None and older.version == printed_as < older.current_version
    assert [c.verdict for c in scans_of(db, "favour_registration", inquiry_id)] == \
        [Verdict.OLDER] * 2
    fresh = scan_of(_favour_paper(db, incident_id, inquiry_id), tmp_path / "fresh.tif")
    assert attach_scan(db, HEAD, "favour_registration", inquiry_id, fresh).verdict == \
        Verdict.CURRENT


def test_every_form_with_a_scan_is_known_to_the_act_the_sync_and_the_dialog() -> None:
    """A form added to one list and not the others would be offered and then refused (or
    taken here and refused on every other PC)."""
    from models.review.signed_scans import _STANDINGS, SIGNED_FORMS
    from models.review.signed_scans_policy import RECORD_TABLES
    from ui.printing.signed_scans import _SHOWN_FROM, FORM_NAMES

    assert set(SIGNED_FORMS) == set(_STANDINGS) == set(RECORD_TABLES) == set(FORM_NAMES) \
        == set(_SHOWN_FROM) >= {"situation_report", "favour_registration"}
    assert FORM_NAMES == SIGNED_FORMS
