"""What a live drill measures (models.live_drills.measures) and how it reads
(measures_text): each inject's delivery and the unit's first reaction, the notification of
the level's post (a deputy, a message acknowledged, the wrong post), the first statement, the
stage items missing at the end, and the printed evaluation carrying them."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from i18n import set_language
from models.drills.print import evaluation_form
from models.drills.reports.queries import evaluation_view
from models.incidents.actions import set_task_state
from models.live_drills.actions import record_deliveries
from models.live_drills.measures import DrillMeasures, drill_measures
from models.live_drills.measures_text import (
    measures_blocks,
    notification_text,
    stage_lines,
    statement_text,
)
from models.playbook.shipped import default_playbook
from models.storage.db import Database
from tests.unit.drills.test_drill_reports import drawn_drill
from tests.unit.live_drills.finished_drill import (
    DELIVERY_DELAY,
    RELEASE_MINUTES,
    Notice,
    finished_live_drill,
)

TZ = "Asia/Taipei"
PLAYBOOK = default_playbook()


def measured(db: Database, drill_id: str) -> DrillMeasures:
    m = drill_measures(db, drill_id, TZ)
    assert m is not None
    return m


def test_each_inject_is_measured_from_release_to_delivery_and_reaction(db: Database) -> None:
    drill = finished_live_drill(db)
    m = measured(db, drill.drill_id)
    first, second, third, *unreleased = m.injects
    assert first.released_at == drill.released_at[0] == m.since
    assert first.delivery_minutes == DELIVERY_DELAY.total_seconds() / 60
    # The notification 12 minutes after the start answers the first inject (released at 1).
    assert first.reaction_kind == "notified" and first.reaction_minutes == 11
    # The later ones are answered by the level the unit set afterwards.
    assert second.reaction_kind == third.reaction_kind == "level"
    assert all(i.released_at is None and i.reaction_minutes is None for i in unreleased)
    assert not first.reacted_before_delivery


def test_no_reaction_yet(db: Database) -> None:
    drill = finished_live_drill(db, level=None, notices=(), statement=False, end=False)
    m = measured(db, drill.drill_id)
    released = [i for i in m.injects if i.released_at is not None]
    assert len(released) == len(RELEASE_MINUTES)
    assert all(i.reacted_at is None and i.reaction_minutes is None for i in released)
    assert m.right_post is None and m.first_notified_at is None
    set_language("zh_TW")
    assert "3 則中有 3 則無反應" in stage_lines(m, PLAYBOOK, 1)[0]
    assert notification_text(m, PLAYBOOK) == "低度危機：未通報任何人。"


def test_a_reaction_before_the_delivery_was_recorded_counts_from_the_release(
        db: Database) -> None:
    drill = finished_live_drill(db, notices=(Notice(minutes=3),), deliver=False, end=False)
    record_deliveries(db, drill.unit, [drill.inject_ids[0]],
                      drill.started_at + timedelta(minutes=5))
    first = measured(db, drill.drill_id).injects[0]
    assert first.reaction_minutes == 2 and first.delivery_minutes == 4
    assert first.reacted_before_delivery


def test_a_deputy_told_tells_the_post(db: Database) -> None:
    drill = finished_live_drill(db, notices=(Notice(acting_for="王主秘", minutes=21),))
    m = measured(db, drill.drill_id)
    assert m.post == "secretary" and m.right_post
    assert m.told_minutes == 20 and m.told_in_time and m.limit_minutes == 60
    set_language("zh_TW")
    assert notification_text(m, PLAYBOOK) == (
        "中度危機：首則狀況注入後 20 分鐘 通報執行秘書，未逾 60 分鐘時限。")


def test_a_message_left_tells_the_post_once_acknowledged(db: Database) -> None:
    left = finished_live_drill(db, notices=(Notice(outcome="left_message", minutes=5),))
    m = measured(db, left.drill_id)
    assert m.first_notified_at == left.started_at + timedelta(minutes=5)
    assert m.told_at is None and m.right_post is False


def test_a_message_acknowledged_counts_when_acknowledged(db: Database) -> None:
    drill = finished_live_drill(db, notices=(
        Notice(outcome="left_message", minutes=5, acked_minutes=71),))
    m = measured(db, drill.drill_id)
    assert m.first_notify_minutes == 4
    assert m.told_minutes == 70 and m.told_in_time is False
    set_language("en")
    try:
        assert notification_text(m, PLAYBOOK).endswith(", beyond the limit of 60 min.")
    finally:
        set_language("zh_TW")


def test_the_wrong_post_for_the_level(db: Database) -> None:
    drill = finished_live_drill(db, level="high")  # the commander's, but the secretary told
    m = measured(db, drill.drill_id)
    assert m.post == "commander" and m.groups_notified == ("secretary",)
    assert m.right_post is False and m.told_at is None
    set_language("zh_TW")
    assert notification_text(m, PLAYBOOK) == "高度危機：未通報總指揮兼發言人（僅通報：執行秘書）。"


def test_no_statement(db: Database) -> None:
    set_language("zh_TW")
    none = measured(db, finished_live_drill(db, statement=False).drill_id)
    assert none.statement_drafted_at is None and none.statement_minutes is None
    assert statement_text(none) == "未擬新聞稿。"


def test_a_statement_drafted_not_released(db: Database) -> None:
    set_language("zh_TW")
    drafted = measured(db, finished_live_drill(db, release_statement=False,
                                               end=False).drill_id)
    assert drafted.statement_minutes is not None and drafted.statement_released_at is None
    assert statement_text(drafted).endswith("；未發布。")


def test_the_stage_items_missing_at_the_end(db: Database) -> None:
    set_language("zh_TW")
    drill = finished_live_drill(db, notices=(), end=False)
    set_task_state(db, drill.unit, drill.incident_id, 1, "grasp", "done")
    m = measured(db, drill.drill_id)
    stage_1 = m.missing_at(1)
    assert stage_1 is not None and len(stage_1.items) == 3  # two tasks and the notification
    assert any("依危機等級視情形陳報" in item for item in stage_1.items)
    assert any("執行秘書" in item for item in stage_1.items)
    assert not any("各單位主管第一時間" in item for item in stage_1.items)
    assert m.missing_at(2) is None
    assert stage_lines(m, PLAYBOOK, 2) == ["演練結束時尚缺之必要項目：未進行至本階段。"]


def test_a_drill_recorded_after_the_fact_measures_nothing(db: Database) -> None:
    assert drill_measures(db, drawn_drill(db), TZ) is None


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_printed_evaluation_carries_the_figures(db: Database, artifacts: Path) -> None:
    """And the pre-filled report form prints: both kept as PDF to look at."""
    from forms.render import render_pdf
    from models.drills.print import report_form
    from models.live_drills.summary import live_report_view
    from tests.unit.drills.test_drill_drafts_print import text_of

    set_language("zh_TW")
    drill = finished_live_drill(db)
    m = measured(db, drill.drill_id)
    doc = evaluation_form(evaluation_view(db, drill.drill_id), TZ,
                          measures_blocks(m, PLAYBOOK, TZ))
    pdf = render_pdf(doc)
    (artifacts / "live-drill-evaluation-form.pdf").write_bytes(pdf)
    report = render_pdf(report_form(live_report_view(db, drill.drill_id, TZ), PLAYBOOK, TZ))
    (artifacts / "live-drill-report-form.pdf").write_bytes(report)
    assert "以電話通報王主秘" in text_of(report)
    text = text_of(pdf)
    for words in ("演練實測：狀況注入", "首次反應歷時", "11分鐘（通報）", "評分準則",
                  "首則狀況注入後11分鐘通報執行秘書", "擬妥首份新聞稿"):
        assert words in text, words


def test_the_releasers_own_entries_are_not_the_units_reaction(db: Database) -> None:
    from models.incidents.actions import add_entry
    from tests.unit.drills.test_drill_reports import PLANNER

    drill = finished_live_drill(db, level=None, notices=(), statement=False, end=False)
    add_entry(db, PLANNER, drill.incident_id, "note", "已發布第3則",
              drill.released_at[-1] + timedelta(minutes=1))
    assert measured(db, drill.drill_id).injects[2].reacted_at is None
    add_entry(db, drill.unit, drill.incident_id, "note", "已收悉",
              drill.released_at[-1] + timedelta(minutes=2))
    third = measured(db, drill.drill_id).injects[2]
    assert third.reaction_minutes == 2 and third.reaction_kind == "note"


def test_the_time_to_the_first_notification_is_shown_whoever_was_told(db: Database) -> None:
    """The issue's figure "time to the first notification": measured, and shown beside stage
    1's rating (and so printed) even when the level's post was not the one told."""
    set_language("zh_TW")
    wrong = measured(db, finished_live_drill(db, level="high").drill_id)
    assert wrong.first_notify_minutes == 11 and wrong.right_post is False
    lines = stage_lines(wrong, PLAYBOOK, 1)
    assert "狀況注入至首次通報：首則狀況注入後 11 分鐘" in lines


def test_no_notification_at_all_says_so(db: Database) -> None:
    set_language("zh_TW")
    none = measured(db, finished_live_drill(db, notices=(), end=False).drill_id)
    assert "狀況注入至首次通報：未通報任何人" in stage_lines(none, PLAYBOOK, 1)


def test_a_notification_before_the_first_inject_counts_as_at_once(db: Database) -> None:
    """The unit may notify on the scenario's background alone, before any inject: its time
    to the first notification is nought, never a negative time."""
    drill = finished_live_drill(db, notices=(Notice(minutes=0),))
    m = measured(db, drill.drill_id)
    assert m.first_notified_at is not None and m.first_notified_at < m.since
    assert m.first_notify_minutes == 0
