"""The verification code of every form of a record covers the record's 公文 header: a 密
marking or a 保存年限 changed after signing makes the signed paper an older printout, matched
as the app matches every signed scan (models.review.signed_scans). A header left to the rule,
or set to the defaults it prints alike, keeps the code a form printed before headers had."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import select

from models.drills.entities import DrawRow
from models.drills.print import draw_record, evaluation_form, report_form
from models.drills.queries import draw_info
from models.drills.record_header import draw_header, set_drill_header
from models.drills.reports.actions import save_evaluation
from models.drills.reports.queries import evaluation_view, report_view
from models.incidents.print import BUILDERS
from models.incidents.queries import incident_view
from models.incidents.record_header import set_incident_header
from models.playbook.records import RecordHeader
from models.playbook.store import current_playbook
from models.review.signed_scans import Verdict, attach_scan, scans_of
from models.storage.db import Database, utcnow
from tests.scans import scan_of
from tests.unit.drills.test_drill_reports import PLANNER, full_evaluation
from tests.unit.drills.test_report_codes import SECRETARY, _signed_report
from tests.unit.incidents.test_record_header_trace import COMMANDER
from tests.unit.incidents.test_incidents import HEAD
from tests.unit.review.test_signed_scans import TZ, _incident, _notification

RESTRICTED = RecordHeader(classification="restricted", declassify="本案結案後解密")


def test_every_incident_form_code_covers_the_header(db: Database) -> None:
    view = incident_view(db, _incident(db), utcnow(), 0)
    for kind, build in BUILDERS.items():
        codes = {h: build(replace(view, header=h), {}, TZ).verification.code  # type: ignore
                 for h in (RecordHeader(), RecordHeader(speed="ordinary", classification="open"),
                           RESTRICTED, RecordHeader(retention="5"))}
        assert len(set(codes.values())) == 3, kind  # the explicit defaults print alike


def test_a_notification_signed_before_it_was_marked_is_older(db: Database,
                                                              tmp_path: Path) -> None:
    incident_id = _incident(db)
    scan = scan_of(_notification(db, incident_id), tmp_path / "signed.png")
    assert attach_scan(db, HEAD, "notification", incident_id, scan).verdict == Verdict.CURRENT
    set_incident_header(db, COMMANDER, incident_id, RESTRICTED)
    assert attach_scan(db, HEAD, "notification", incident_id, scan).verdict == Verdict.OLDER
    assert [c.verdict for c in scans_of(db, "notification", incident_id)] == [Verdict.OLDER] * 2
    again = scan_of(_notification(db, incident_id), tmp_path / "again.png")
    assert attach_scan(db, HEAD, "notification", incident_id, again).verdict == Verdict.CURRENT


def test_drill_forms_signed_before_a_header_change_are_older(db: Database,
                                                              tmp_path: Path) -> None:
    drill_id, report_id = _signed_report(db)
    playbook = current_playbook(db)[1]
    with db.session() as session:
        draw = draw_info(session.scalars(select(DrawRow)).one())
    evaluation = save_evaluation(db, PLANNER, drill_id, full_evaluation())
    papers = {
        ("drill_report", report_id): lambda: report_form(report_view(db, drill_id), playbook, TZ),
        ("drill_evaluation", evaluation.id): lambda: evaluation_form(
            evaluation_view(db, drill_id), TZ),
        ("drill_draw", draw.id): lambda: draw_record(draw, TZ, draw_header(db, draw.id)),
    }
    scans = {key: scan_of(make(), tmp_path / f"{key[0]}.png") for key, make in papers.items()}

    def verdicts() -> list[Verdict]:
        return [attach_scan(db, SECRETARY, form, record, scans[form, record]).verdict
                for form, record in papers]

    assert verdicts() == [Verdict.CURRENT] * 3
    set_drill_header(db, PLANNER, drill_id, RecordHeader(speed="ordinary"))  # prints alike
    assert verdicts() == [Verdict.CURRENT] * 3
    set_drill_header(db, PLANNER, drill_id, RecordHeader(retention="permanent"))
    assert verdicts() == [Verdict.OLDER] * 3
    for (form, record), make in papers.items():  # printed again, the paper is current
        fresh = scan_of(make(), tmp_path / f"{form}-again.png")
        assert attach_scan(db, SECRETARY, form, record, fresh).verdict == Verdict.CURRENT


def test_the_situation_report_and_media_summary_codes_cover_the_header(db: Database) -> None:
    from datetime import date

    from models.incidents.media_print import media_summary
    from models.incidents.print_situation import situation_report_form
    from models.incidents.situation_reports import file_report, snapshot_of

    incident_id = _incident(db)
    view = incident_view(db, incident_id, utcnow(), 0)
    report = file_report(db, HEAD, incident_id, snapshot_of(view, {}), "續查")
    for make in (lambda h: situation_report_form(report, TZ, header=h),
                 lambda h: media_summary(replace(view, header=h), TZ, date.today(), utcnow())):
        plain, marked = (make(h).verification.code for h in (RecordHeader(), RESTRICTED))
        assert plain != marked
