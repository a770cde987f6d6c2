"""The 演練過程摘要 a live drill drafts (models.live_drills.summary) and the report form it
pre-fills: the lines in order with their times, each kind of entry, a drill with none, damaged
entries from another PC, and a saved draft never overwritten."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from i18n import set_language
from i18n.formatting import format_datetime
from models.drills.reports.actions import save_report
from models.drills.reports.queries import report_view
from models.incidents.actions import add_entry, save_action
from models.incidents.entities import TimelineRow
from models.live_drills.actions import start_drill
from models.live_drills.summary import MAX_LINE_CHARS, drill_summary, live_report_view
from models.storage.db import Database
from tests.unit.drills.test_drill_reports import PLANNER, drawn_drill
from tests.unit.live_drills.finished_drill import finished_live_drill

TZ = "Asia/Taipei"


def test_the_summary_tells_injects_level_notifications_and_statements_in_order(
        db: Database) -> None:
    set_language("zh_TW")
    drill = finished_live_drill(db)
    with db.session() as session:
        lines = drill_summary(session, drill.incident_id, TZ).splitlines()
    kinds = [line.split(" ", 2)[2].split("：")[0][:6] for line in lines]
    assert kinds[:4] == ["演練狀況注入", "通報", "演練狀況注入", "演練狀況注入"]
    assert lines[0].split(" ", 2)[2].startswith("演練狀況注入第1則（現場關員")
    assert "等級" in kinds and lines[-1].endswith("策劃組已結束演練，演練事件已唯讀")
    assert sum(1 for k in kinds if k == "新聞稿") == 4  # saved, reviewed, approved, released
    # Each line starts with its time in the office's zone, ROC style, oldest first.
    first = format_datetime(drill.released_at[0], long=False, tz=TZ)
    assert lines[0].startswith(first + " ") and first.startswith("115/")
    assert "以電話通報王主秘" in lines[1]
    assert "由低度危機調整為中度危機" in next(line for line in lines if "等級" in line)
    # The opening of the incident (title, the planner's level) is the setting, not told.
    assert not any("年節尖峰期間" in line for line in lines)


def test_the_summary_is_drafted_in_the_readers_language(db: Database) -> None:
    drill = finished_live_drill(db)
    set_language("en")
    try:
        with db.session() as session:
            text = drill_summary(session, drill.incident_id, TZ)
    finally:
        set_language("zh_TW")
    assert "Drill inject 1 from" in text and "Drill inject: " not in text
    assert "Notification: 王主秘 notified by Phone" in text


def test_actions_and_decisions_are_told_and_notes_are_not(db: Database) -> None:
    drill = finished_live_drill(db, end=False)
    save_action(db, drill.unit, drill.incident_id, None, description="改採人工收單",
                group_key="handling", resources="", status="in_progress")
    add_entry(db, drill.unit, drill.incident_id, "note", "一則備註", drill.released_at[-1])
    with db.session() as session:
        text = drill_summary(session, drill.incident_id, TZ)
    assert "改採人工收單" in text and "一則備註" not in text


def test_a_drill_with_no_entries_drafts_nothing(db: Database) -> None:
    drill_id = drawn_drill(db)
    incident_id = start_drill(db, PLANNER, drill_id)
    with db.session() as session:
        assert drill_summary(session, incident_id, TZ) == ""
    draft = live_report_view(db, drill_id, TZ).draft
    assert draft.summary == "" and draft.time_start is not None and draft.time_end is None


def test_damaged_entries_from_another_pc_do_not_break_the_summary(db: Database) -> None:
    drill = finished_live_drill(db, end=False)
    inject_at = drill.released_at[0]
    with db.session() as session:
        session.add(TimelineRow(incident_id=drill.incident_id, kind="notified", data="{not json",
                                event_at=inject_at + timedelta(minutes=2),
                                entered_at=inject_at, author="x", role="unit_head"))
        session.add(TimelineRow(incident_id=drill.incident_id, kind="drill_inject",
                                data=json.dumps({"number": "many", "message": 5}),
                                event_at=inject_at + timedelta(minutes=3),
                                entered_at=inject_at, author="x", role="planning"))
        session.add(TimelineRow(incident_id=drill.incident_id, kind="statement",
                                data=json.dumps({"title": "一\n二\x00\x1b" + "長" * 5000,
                                                 "kind": "statement", "version": 1}),
                                event_at=inject_at + timedelta(minutes=4),
                                entered_at=inject_at, author="x", role="unit_head"))
    with db.session() as session:
        lines = drill_summary(session, drill.incident_id, TZ).splitlines()
    assert any(line.endswith("通報：notified") for line in lines)
    assert any(line.endswith("drill_inject") for line in lines)
    long = next(line for line in lines if "一 二" in line)
    assert len(long) == MAX_LINE_CHARS and "\x00" not in long and "\x1b" not in long


def test_the_report_form_of_a_live_drill_comes_pre_filled(db: Database) -> None:
    drill = finished_live_drill(db)
    view = live_report_view(db, drill.drill_id, TZ)
    with db.session() as session:
        summary = drill_summary(session, drill.incident_id, TZ)
    assert view.report is None
    assert view.draft.time_start == drill.started_at
    assert view.draft.time_end is not None and view.draft.time_end > drill.released_at[-1]
    assert view.draft.items == ("clearance",)
    assert view.draft.simulated_case.startswith("年節尖峰期間")
    assert view.draft.summary == summary != ""
    # Without the live drill's drafter the report is as it always was: no summary.
    assert report_view(db, drill.drill_id).draft.summary == ""


def test_a_saved_draft_is_never_overwritten_and_an_empty_summary_is_filled(
        db: Database) -> None:
    drill = finished_live_drill(db)
    head = drill.unit
    draft = live_report_view(db, drill.drill_id, TZ).draft
    save_report(db, head, drill.drill_id, replace(draft, summary="本單位自行撰寫的摘要"))
    assert live_report_view(db, drill.drill_id, TZ).draft.summary == "本單位自行撰寫的摘要"
    save_report(db, head, drill.drill_id, replace(draft, summary="", simulated_case="自訂案由"))
    again = live_report_view(db, drill.drill_id, TZ).draft
    assert again.simulated_case == "自訂案由"
    assert again.summary == draft.summary


def test_a_drill_recorded_after_the_fact_keeps_its_form(db: Database) -> None:
    drill_id = drawn_drill(db)
    draft = live_report_view(db, drill_id, TZ).draft
    assert draft.summary == "" and draft.time_end is None
    assert draft == report_view(db, drill_id).draft
