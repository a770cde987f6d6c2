"""Every form the app prints, filled with example data, for trying a printer and its margins
before a drill (`main.py forms sample --out DIR`).

The examples are made by the app's own actions in a scratch database that is thrown away: the
demo cases give the incident forms and the favour registration, an open case of our own the
daily media summary and the situation report, a scripted drill (draw, report signed by a deputy
and the secretary, evaluation, circulation) the drill forms, and the year's figures the annual
review. So a sample is always exactly
what the app prints today, never a hand-made look-alike.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from dataclasses import replace

from forms.document import FormDocument
from i18n.formatting import local_date
from models.drills.actions import choose_scenario, draw_unit
from models.drills.kinds import month_start, taipei_today
from models.drills.print import draw_record, evaluation_form, report_form
from models.drills.queries import drill_schedule
from models.drills.record_header import draw_header, drill_official_header, set_drill_header
from models.drills.reports.actions import (
    circulate,
    save_evaluation,
    save_report,
    sign_off,
    sign_off_evaluation,
    submit_evaluation,
    submit_report,
)
from models.drills.reports.kinds import CorrectiveDraft, EvaluationDraft, ReportDraft
from models.drills.reports.queries import evaluation_view, report_view
from models.incidents.actions import IncidentDraft, open_incident, record_notification
from models.incidents.case_import import load_demo
from models.incidents.entities import IncidentRow
from models.incidents.inquiry_print import favour_form
from models.incidents.media_actions import MediaItemDraft, save_media_item
from models.incidents.media_print import media_summary
from models.incidents.print import BUILDERS
from models.incidents.print_situation import situation_report_form
from models.incidents.queries import incident_view
from models.incidents.record_header import incident_official_header, set_incident_header
from models.incidents.situation_reports import file_report, snapshot_of
from models.org.people import Actor, Role
from models.org.units import list_units
from models.playbook.records import RecordHeader
from models.playbook.store import current_playbook
from models.review.report import load_review
from models.startup import open_data_dir
from models.storage.db import Database, utcnow

OFFICE = "keelung"


def sample_forms(tz: str) -> dict[str, FormDocument]:
    """File name stem -> form, one of each form the app prints."""
    secretary = Actor("周執秘", Role.SECRETARY, login="chou.ms", pc="KL-SEC-01")
    commander = Actor("黃副關務長", Role.COMMANDER, login="huang.dg", pc="KL-CMD-01")
    planner = Actor("林企劃", Role.PLANNING)
    out: dict[str, FormDocument] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = open_data_dir(Path(tmp), OFFICE)
        try:
            load_demo(db, planner, OFFICE)
            with db.session() as session:
                case_id = session.query(IncidentRow.id).order_by(IncidentRow.started_at).first()
            assert case_id is not None
            view = incident_view(db, case_id[0], utcnow(), 10)
            units = {u.key: u.name for u in list_units(db, OFFICE, include_inactive=True)}
            # The demo case is archived: its header is the rule's (models.playbook.records).
            header = incident_official_header(db, case_id[0])
            for kind, build in BUILDERS.items():
                out[f"sample-{kind}"] = replace(build(view, units, tz), header=header)
            out |= _demo_favour_form(db, tz)
            out |= _open_case_forms(db, tz)

            draw = draw_unit(db, secretary, OFFICE, month_start(taipei_today()), seed=2026)
            out["sample-draw-record"] = draw_record(draw, tz)
            drill_id = _month_drill_id(db)
            choose_scenario(db, planner, drill_id, "public_opinion", "po-asf-rumour")
            # A drill marked 密, to show the marking at the top and bottom of every page.
            set_drill_header(db, planner, drill_id, RecordHeader(
                classification="restricted", declassify="本件於演練評核完成後解密"))
            header = drill_official_header(db, drill_id)
            out["sample-draw-record"] = replace(draw_record(draw, tz, draw_header(db, draw.id)),
                                                header=header)
            start = utcnow() - timedelta(hours=3)
            report = save_report(db, planner, drill_id, ReportDraft(
                time_start=start, time_end=start + timedelta(hours=2),
                items=("public_opinion",), simulated_case="網傳海關放行染非洲豬瘟肉品之輿情事件",
                summary="09:30 接獲媒體詢問；09:40 通報執行秘書；10:10 發布澄清稿；"
                        "10:40 召開危機管理小組會議。",
                participants=("業務一組組長", "秘書室公關機要股股長"),
                went_well="通報迅速，澄清稿於四十分鐘內發布。",
                to_improve="輿情監看分工未明確。", suggestions="建立澄清稿範本。"))
            submit_report(db, planner, report.id)
            sign_off(db, commander, report.id, as_role="commander", name="黃副關務長",
                     deputy_for="張關務長")
            sign_off(db, secretary, report.id, as_role="secretary", name="周執秘")
            playbook = current_playbook(db)[1]
            out["sample-drill-report"] = replace(
                report_form(report_view(db, drill_id), playbook, tz), header=header)
            evaluation = save_evaluation(db, planner, drill_id, EvaluationDraft(
                ratings={s.number: 3 for s in playbook.stages}, level_key="high",
                inject_at=start, notified_at=start + timedelta(minutes=10),
                strengths="十分鐘內通報。", improvements="媒體詢問紀錄不完整。",
                actions=(CorrectiveDraft("訂定輿情監看分工表", "秘書室",
                                         taipei_today() + timedelta(days=30)),)))
            submit_evaluation(db, planner, evaluation.id)
            sign_off_evaluation(db, commander, evaluation.id, as_role="commander",
                                name="張關務長")
            sign_off_evaluation(db, secretary, evaluation.id, as_role="secretary",
                                name="周執秘")
            circulate(db, planner, evaluation.id)
            out["sample-drill-evaluation"] = replace(
                evaluation_form(evaluation_view(db, drill_id), tz), header=header)
            # This year's review, with the open case and the drill above in its figures.
            out["sample-annual-review"] = load_review(db, OFFICE, taipei_today().year,
                                                      taipei_today(), tz)
        finally:
            db.close()
    return out


def _demo_favour_form(db: Database, tz: str) -> dict[str, FormDocument]:
    """The request-for-favour registration form of the demo case that has one."""
    with db.session() as session:
        ids = [i for (i,) in session.query(IncidentRow.id).order_by(IncidentRow.started_at)]
    for incident_id in ids:
        view = incident_view(db, incident_id, utcnow(), 10, tz)
        for inquiry in view.inquiries:
            if inquiry.favour:
                return {"sample-favour-registration": replace(
                    favour_form(view, inquiry, tz),
                    header=incident_official_header(db, incident_id))}
    return {}


def _open_case_forms(db: Database, tz: str) -> dict[str, FormDocument]:
    """An open case of this office: a unit head's, its commander told through a deputy, one
    press item seen and a situation report filed; marked 速件, kept the office's years. Gives
    the daily media summary and the situation report, which the archived demo cases cannot."""
    head = Actor("林組長", Role.UNIT_HEAD, "inspection")
    now = utcnow()
    incident_id = open_incident(db, head, OFFICE, IncidentDraft(
        title="快遞貨棧查獲夾藏加熱菸（範例）", summary="快遞貨物查獲夾藏加熱菸三百條，媒體已詢問。",
        started_at=now - timedelta(hours=3), location="臺北港快遞專區", reporting_unit="",
        source="internal", category_key="clearance", subtype_key="", scope="本關",
        level_key="medium", suggested_level="medium", level_reason=""))
    record_notification(db, head, incident_id, target_group="commander", member_id="",
                        recipient="王副關務長", acting_for="張關務長", means="phone",
                        notified_at=now - timedelta(hours=2, minutes=40))
    save_media_item(db, head, incident_id, None, MediaItemDraft(
        outlet="自由時報", channel="online_news", seen_at=now - timedelta(hours=2),
        headline="快遞夾藏加熱菸　海關查獲三百條", tone="neutral", reach="medium",
        link="https://news.example.tw/a/123", reach_note="地方版"))
    secretary = Actor("周執秘", Role.SECRETARY, login="chou.ms", pc="KL-SEC-01")
    set_incident_header(db, secretary, incident_id, RecordHeader(
        file_number="115/0301/1", speed="urgent"))
    header = incident_official_header(db, incident_id)
    view = incident_view(db, incident_id, now, 10, tz)
    report = file_report(db, head, incident_id, snapshot_of(view, {}), "明日上午複查貨棧監視紀錄。")
    day = local_date(view.media[0].seen_at, tz)
    return {"sample-media-summary": replace(media_summary(view, tz, day, now), header=header),
            "sample-situation-report": replace(situation_report_form(report, tz),
                                               header=header)}


def _month_drill_id(db: Database) -> str:
    """The drill the draw of this month planned."""
    this_month = month_start(taipei_today())
    schedule = drill_schedule(db, OFFICE, taipei_today())
    return next(s.drill.id for s in schedule.months if s.month == this_month and s.drill)
