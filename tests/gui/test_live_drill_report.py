"""A finished live drill on the Drills screen: the report form opens pre-filled from the drill
(演練時間 start and end, 演練項目, 模擬案由, the drafted 演練過程摘要), and the evaluation shows
what the drill measured beside the stage ratings, with the level, the inject and the
notification pre-filled from it; screenshots of both in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from i18n import _
from models.org.people import Role
from models.org.settings import Settings
from tests.helpers import run_on_worker, snap
from tests.unit.live_drills.finished_drill import FinishedDrill, finished_live_drill
from ui.drills.screen import DrillsScreen
from ui.runtime.context import AppContext
from ui.runtime.language import apply_language

TIMEOUT = 10000


@pytest.fixture
def settings() -> Settings:
    return Settings(user_name="林企劃", unit_key="secretariat", role=Role.PLANNING)


@pytest.fixture
def drill(qtbot, ctx: AppContext) -> FinishedDrill:  # type: ignore[no-untyped-def]
    return run_on_worker(qtbot, ctx, finished_live_drill)


@pytest.fixture
def screen(qtbot, ctx: AppContext, drill: FinishedDrill) -> DrillsScreen:  # type: ignore[no-untyped-def]
    widget = DrillsScreen(ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 900)
    widget.show()
    with qtbot.waitSignal(widget.loaded, timeout=TIMEOUT):
        widget.load()
    return widget


def test_the_report_form_of_a_live_drill_opens_pre_filled(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, screen: DrillsScreen, drill: FinishedDrill,
        artifacts: Path) -> None:
    report = screen.report_panel
    screen.show_panel(report)
    qtbot.waitUntil(lambda: report.view is not None and bool(report.summary.toPlainText()),
                    timeout=TIMEOUT)
    assert report.start.value() == drill.started_at
    from models.live_drills.queries import drill_run

    ended_at = run_on_worker(qtbot, ctx, lambda db: drill_run(db, drill.drill_id).ended_at)
    assert ended_at is not None
    assert report.end.value() == ended_at.replace(second=0, microsecond=0)  # to the minute
    assert [k for k, box in report.items.items() if box.isChecked()] == ["clearance"]
    assert report.case.text().startswith("年節尖峰期間")
    lines = report.summary.toPlainText().splitlines()
    assert lines[0].split(" ", 2)[2].startswith("演練狀況注入第1則")
    assert any("以電話通報王主秘" in line for line in lines)
    assert any("中度危機" in line for line in lines)
    assert any("通關系統中斷說明" in line for line in lines)
    assert report.view.missing == ()  # nothing left to type before submitting
    for language in ("zh_TW", "en"):
        apply_language(language)
        ctx.language_changed.emit()
        snap(screen, artifacts / f"live-drill-report-{language}.png")
    apply_language("zh_TW")


def test_the_evaluation_shows_the_measured_times(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, screen: DrillsScreen, drill: FinishedDrill,
        artifacts: Path) -> None:
    evaluation = screen.evaluation_panel
    screen.show_panel(evaluation)
    qtbot.waitUntil(lambda: evaluation.measures is not None and bool(evaluation.measured),
                    timeout=TIMEOUT)
    m = evaluation.measures
    stage_1 = evaluation.measured[1].text()
    assert "狀況注入至單位首次反應：最慢反應" in stage_1
    assert "中度危機：首則狀況注入後 11 分鐘 通報執行秘書，未逾 60 分鐘時限。" in stage_1
    assert "演練結束時尚缺之必要項目：缺 3 項" in stage_1
    assert "狀況注入至首份新聞稿：首則狀況注入後" in evaluation.measured[4].text()
    assert evaluation.measured[5].text().endswith("未進行至本階段。")
    table = evaluation.measures_box.injects
    assert table.rowCount() == len(m.injects)
    assert table.item(0, 2).text() == "1 分鐘" and table.item(0, 3).text() == "11 分鐘（通報）"
    assert table.item(5, 1).text() == "尚未發布"
    assert "3 達成" in evaluation.measures_box.guidance.text()
    from PySide6.QtCore import Qt

    criteria = evaluation.ratings[4].itemData(3, Qt.ItemDataRole.ToolTipRole)
    assert "依演練實測數據：" in criteria and "擬妥首份新聞稿" in criteria
    # Before the first save the level, the inject and the notification are as measured.
    assert evaluation.level.currentData() == "medium"
    assert evaluation.inject_at.value() == drill.released_at[0]
    assert evaluation.notified_at.value() == m.told_at
    for language in ("zh_TW", "en"):
        apply_language(language)
        ctx.language_changed.emit()
        label = evaluation.measured[1]
        if language == "en":  # the figures' words are read again in the new language
            qtbot.waitUntil(lambda: "Task not done" in label.text(), timeout=TIMEOUT)
            assert _("Inject to the unit's first reaction") in label.text()
        qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()),
                        timeout=TIMEOUT)
        snap(screen, artifacts / f"live-drill-evaluation-{language}.png")
    apply_language("zh_TW")


def test_forms_shown_before_the_drill_ran_take_its_times_after(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext) -> None:
    """The planning group starts the drill from this very screen, so its report form and
    evaluation were on screen (their times following the clock) before the drill began. Once
    it has run, the form's 演練時間 are the drill's start and end, the summary drafted when the
    screen showed the drill half-way gives way to the whole drill's, and the evaluation's
    inject, notification and level are as measured, not the moment the screen was first shown;
    what the user set or typed is never replaced (ReportPanel._carry_over,
    EvaluationPanel._carry_measures)."""
    from datetime import timedelta

    from models.incidents.actions import change_level, record_notification
    from models.live_drills.actions import end_drill, release_inject, start_drill
    from models.live_drills.queries import DrillRun, drill_run
    from models.storage.db import Database, utcnow
    from tests.unit.drills.test_drill_reports import PLANNER, drawn_drill
    from tests.unit.live_drills.finished_drill import unit_actor

    drill_id = run_on_worker(qtbot, ctx, drawn_drill)
    widget = DrillsScreen(ctx)
    qtbot.addWidget(widget)
    widget.show()
    with qtbot.waitSignal(widget.loaded, timeout=TIMEOUT):
        widget.load()
    report, evaluation = widget.report_panel, widget.evaluation_panel
    qtbot.waitUntil(lambda: report.view is not None and evaluation.view is not None,
                    timeout=TIMEOUT)
    assert report.start.following and report.end.following  # the drill has not run yet
    assert evaluation.measures is None and evaluation.inject_at.following
    report.participants.setPlainText("周科長")  # typed meanwhile: kept
    start = (utcnow() - timedelta(minutes=90)).replace(second=0, microsecond=0)

    def begin(db: Database) -> str:
        incident_id = start_drill(db, PLANNER, drill_id, start)
        release_inject(db, PLANNER, drill_run(db, drill_id).injects[0].id,
                       start + timedelta(minutes=1))
        return incident_id

    incident_id = run_on_worker(qtbot, ctx, begin)
    # Shown mid-drill (a sync brought the release): the summary so far is drafted.
    with qtbot.waitSignal(widget.loaded, timeout=TIMEOUT):
        widget.load()
    qtbot.waitUntil(lambda: "演練狀況注入第1則" in report.summary.toPlainText(), timeout=TIMEOUT)
    assert "王主秘" not in report.summary.toPlainText()

    def run(db: Database) -> DrillRun:
        unit = unit_actor(db, drill_id)
        record_notification(db, unit, incident_id, target_group="secretary", member_id="",
                            recipient="王主秘", acting_for="", means="phone",
                            notified_at=start + timedelta(minutes=12), outcome="reached")
        change_level(db, unit, incident_id, "medium", "系統中斷影響全關通關")
        end_drill(db, PLANNER, drill_id, start + timedelta(minutes=80))
        return drill_run(db, drill_id)

    ran = run_on_worker(qtbot, ctx, run)
    assert ran.ended_at is not None
    with qtbot.waitSignal(widget.loaded, timeout=TIMEOUT):
        widget.load()
    qtbot.waitUntil(lambda: report.view is not None and report.view.draft.time_end is not None
                    and evaluation.measures is not None, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not report.end.following, timeout=TIMEOUT)
    assert report.start.value() == start
    assert report.end.value() == start + timedelta(minutes=80)
    assert report.participants.toPlainText() == "周科長"
    # The summary drafted mid-drill, untouched, gives way to the whole drill's.
    qtbot.waitUntil(lambda: "王主秘" in report.summary.toPlainText(), timeout=TIMEOUT)
    assert "演練狀況注入第1則" in report.summary.toPlainText()
    qtbot.waitUntil(lambda: not evaluation.notified_at.following, timeout=TIMEOUT)
    assert evaluation.inject_at.value() == start + timedelta(minutes=1)
    assert evaluation.notified_at.value() == start + timedelta(minutes=12)
    assert evaluation.level.currentData() == "medium"
