"""Every form the app prints, filled with example data, for trying a printer and its margins
before a drill (`main.py forms sample --out DIR`).

The examples are made by the app's own actions in a scratch database that is thrown away: the
demo cases give the incident forms, and a scripted drill (draw, report signed by a deputy and
the secretary, evaluation, circulation) gives the drill forms. So a sample is always exactly
what the app prints today, never a hand-made look-alike.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from dataclasses import replace

from forms.document import FormDocument
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
from models.incidents.case_import import load_demo
from models.incidents.entities import IncidentRow
from models.incidents.print import BUILDERS
from models.incidents.queries import incident_view
from models.incidents.record_header import incident_official_header
from models.org.people import Actor, Role
from models.org.units import list_units
from models.playbook.records import RecordHeader
from models.playbook.store import current_playbook
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
        finally:
            db.close()
    return out



def _month_drill_id(db: Database) -> str:
    """The drill the draw of this month planned."""
    this_month = month_start(taipei_today())
    schedule = drill_schedule(db, OFFICE, taipei_today())
    return next(s.drill.id for s in schedule.months if s.month == this_month and s.drill)
