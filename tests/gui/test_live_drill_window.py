"""A whole live drill over two PCs sharing one folder, through the real windows: the planning
group chooses the scenario and starts the drill on the Drills screen, releases injects from
the control view (on schedule and by hand; one held back, one added on the fly); the drilled
unit's PC syncs, gets the 演練 notice, opens the drill incident in the real wizard, sets the
level, records a notification and drafts a statement; back on the planning group's PC the
deliveries show, the drill ends, and after the sync the unit can no longer edit the incident.

Nothing waits on time: each sync is started by hand once the window's sync is idle, and each
step waits for what the user would see. Screenshots of the control view, the notice and the
drilled unit's wizard, in both languages, go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from models.live_drills.kinds import InjectState
from models.live_drills.queries import DrillRun
from models.org.people import Role
from models.org.settings import Settings
from models.startup import open_data_dir
from models.storage.db import Database
from tests.gui.test_incident_wizard import fill_dialog, settle, timeline_texts
from tests.helpers import run_on_worker, snap
from tests.unit.drills.test_drill_reports import drawn_drill
from ui.incidents.escalation import NotifyDialog
from ui.incidents.facts import LevelDialog
from ui.incidents.list_screen import IncidentsScreen
from ui.incidents.workspace import IncidentWorkspace
from ui.live_drills.control import DrillControlView
from ui.live_drills.inject_dialog import AddInjectDialog
from ui.live_drills.notice import ArrivalNotice
from ui.main_window import MainWindow
from ui.runtime.context import AppContext

TIMEOUT = 30000
SCENARIO = "clearance-system-outage-peak"


@pytest.fixture
def share(tmp_path: Path) -> Path:
    folder = tmp_path / "share"
    folder.mkdir()
    return folder


@pytest.fixture
def settings(settings: Settings, share: Path) -> Settings:
    """The planning group's PC (林企劃), syncing with the shared folder."""
    return replace(settings, share_folder=str(share))


@pytest.fixture
def second_pc(qtbot: QtBot, tmp_path: Path, share: Path
              ) -> Iterator[Callable[[str], AppContext]]:
    """Another PC of the office: its own data folder, database worker and settings (a unit
    head of *unit_key*), syncing with the same folder; its worker is shut down afterwards."""
    from models.org.settings import save_settings
    from ui.runtime.worker import DbWorker

    made: list[AppContext] = []

    def make(unit_key: str) -> AppContext:
        data_dir = tmp_path / "unit-pc"
        data_dir.mkdir()
        settings = Settings(user_name="陳組長", unit_key=unit_key, role=Role.UNIT_HEAD,
                            share_folder=str(share))
        save_settings(data_dir, settings)
        worker = DbWorker()
        context = AppContext(data_dir, settings, worker)
        made.append(context)
        with qtbot.waitSignal(context.database_ready, timeout=TIMEOUT):
            worker.open(lambda: open_data_dir(data_dir, settings.office_code),
                        context.database_ready.emit, pytest.fail)
        return context

    yield make
    for context in made:
        context.worker.shutdown()


def window_of(qtbot: QtBot, ctx: AppContext) -> MainWindow:
    """The PC's main window, its screens loaded and its first sync run done."""
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.build_screens()
    window.resize(1280, 820)
    window.show()
    with qtbot.waitSignal(window.sync.finished, timeout=TIMEOUT,
                          check_params_cb=lambda report: report is not None):
        ctx.database_ready.emit()
    return window


def synced(qtbot: QtBot, window: MainWindow) -> None:
    """One whole sync run of *window*'s PC, started once no run is under way (the window also
    syncs by itself after saves), so the report awaited is this run's."""
    qtbot.waitUntil(lambda: not window.sync.busy, timeout=TIMEOUT)
    with qtbot.waitSignal(window.sync.finished, timeout=TIMEOUT,
                          check_params_cb=lambda report: report is not None) as blocker:
        window.act_sync.trigger()
    assert blocker.args[0].in_sync, blocker.args[0]


def shoot(widget: QWidget, contexts: list[AppContext], path: Callable[[str], Path]) -> None:
    """Screenshots of *widget* in both languages, back in Chinese afterwards."""
    from ui.runtime.language import apply_language

    for language in ("en", "zh_TW"):
        apply_language(language)
        for context in contexts:
            context.language_changed.emit()
        snap(widget, path(language))


def run_of(view: DrillControlView) -> DrillRun:
    assert view.data is not None
    return view.data.run


def inject(view: DrillControlView, number: int) -> InjectState:
    return next(i for i in run_of(view).injects if i.number == number)


def select(view: DrillControlView, number: int) -> None:
    view.table.selectRow([i.number for i in run_of(view).injects].index(number))


def test_a_live_drill_between_the_planning_group_and_the_drilled_units_pc(  # type: ignore[no-untyped-def]
        qtbot: QtBot, ctx: AppContext, second_pc, monkeypatch, artifacts: Path) -> None:
    # The executive secretary drew this month's unit; no scenario yet.
    drill_id = run_on_worker(qtbot, ctx, lambda db: drawn_drill(db, scenario=False))

    def unit_of(db: Database) -> str:
        from models.live_drills.queries import drill_run

        return drill_run(db, drill_id).drill.unit_key

    unit_key = run_on_worker(qtbot, ctx, unit_of)
    planning = window_of(qtbot, ctx)
    unit_ctx = second_pc(unit_key)
    unit = window_of(qtbot, unit_ctx)

    # The planning group chooses the scenario on the Drills screen and starts the drill.
    planning.go_to("drills")
    drills = planning.screens["drills"]
    bar = drills.live_bar  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bar.run is not None and bar.run.drill.id == drill_id,
                    timeout=TIMEOUT)
    assert not bar.start.isEnabled()  # no scenario chosen yet
    panel = drills.scenario_panel  # type: ignore[attr-defined]
    panel.category.setCurrentIndex(panel.category.findData("clearance"))
    panel.scenario.setCurrentIndex(panel.scenario.findData(SCENARIO))
    qtbot.mouseClick(panel.set_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bar.drill is not None and bar.drill.scenario_key == SCENARIO
                    and bar.start.isEnabled(), timeout=TIMEOUT)
    asked: list[str] = []

    def yes(_parent: object, title: str, *_args: object, **_kw: object
            ) -> QMessageBox.StandardButton:
        asked.append(title)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    qtbot.mouseClick(bar.start, Qt.MouseButton.LeftButton)
    assert asked == ["開始演練"]

    # The control view opens; the schedule releases inject 1 (due at the start) at once.
    qtbot.waitUntil(lambda: bool(planning.findChildren(DrillControlView)), timeout=TIMEOUT)
    view = planning.findChildren(DrillControlView)[0]
    qtbot.waitUntil(lambda: view.data is not None and run_of(view).injects[0].released_at
                    is not None, timeout=TIMEOUT)
    assert view.isVisible() and view.schedule_timer.isActive()
    news = view.news.text()
    assert news.startswith("依排程發布") and news.endswith("：第1則")
    assert len(run_of(view).injects) == 6 and run_of(view).running
    qtbot.waitUntil(lambda: bar.control.isVisible() and bar.incident.isVisible(),
                    timeout=TIMEOUT)
    assert "演練進行中" in bar.state.text()
    shoot(drills, [ctx], lambda lang: artifacts / f"drill-screen-live-{lang}.png")

    # Inject 2 held back, inject 3 released by hand.
    select(view, 2)
    assert view.hold.text() == "暫緩"
    qtbot.mouseClick(view.hold, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: inject(view, 2).held, timeout=TIMEOUT)
    assert view.hold.text() == "恢復排程"
    select(view, 3)
    qtbot.mouseClick(view.release, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: inject(view, 3).released_at is not None, timeout=TIMEOUT)
    assert not view.release.isEnabled()  # a released inject goes once

    # An inject added on the fly, due now: the schedule's next look releases it.
    qtbot.mouseClick(view.add, Qt.MouseButton.LeftButton)
    dialog = next(d for d in view.findChildren(AddInjectDialog) if d.isVisible())
    dialog.offset.setValue(0)
    dialog.sender_edit.setText("報關業者")
    dialog.recipient_edit.setText("處理組（業務一組組長）")
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)  # no message: refused at its field
    qtbot.waitUntil(dialog.error.isVisible, timeout=TIMEOUT)
    assert dialog.isVisible() and dialog.error.text()
    dialog.message.setPlainText("通關系統何時恢復？貨櫃已在碼頭排隊。")
    snap(dialog, artifacts / "drill-add-inject-zh_TW.png")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(run_of(view).injects) == 7, timeout=TIMEOUT)
    assert not dialog.isVisible()
    with qtbot.waitSignal(view.released, timeout=TIMEOUT) as released:
        view.schedule_timer.timeout.emit()  # the timer's tick, without waiting for it
    assert released.args[0] == [7]
    qtbot.waitUntil(lambda: sum(i.released_at is not None for i in run_of(view).injects) == 3,
                    timeout=TIMEOUT)
    assert sorted(i.number for i in run_of(view).injects if i.released_at) == [1, 3, 7]
    assert [i.number for i in run_of(view).injects if i.held] == [2]
    assert [i.number for i in run_of(view).injects][:2] == [1, 7]  # in schedule order
    shoot(view, [ctx, unit_ctx], lambda lang: artifacts / f"drill-control-{lang}.png")

    # The unit's PC: the sync brings the injects, the notice marked 演練 lists the three.
    synced(qtbot, planning)
    synced(qtbot, unit)
    qtbot.waitUntil(lambda: unit.drill_arrivals.notice is not None
                    and unit.drill_arrivals.notice.isVisible()
                    and len(unit.drill_arrivals.notice.arrivals) == 3, timeout=TIMEOUT)
    unit.go_to("drills")  # the unit's Drills screen says the drill is under way, no more
    unit_bar = unit.screens["drills"].live_bar  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: unit_bar.run is not None and unit_bar.run.running, timeout=TIMEOUT)
    assert not unit_bar.start.isVisible() and not unit_bar.control.isVisible()
    assert unit_bar.incident.isVisible() and "演練進行中" in unit_bar.state.text()
    notice = unit.drill_arrivals.notice
    assert isinstance(notice, ArrivalNotice)
    assert "演練" in notice.banner.text()
    assert [a.inject.number for a in notice.arrivals] == [1, 3, 7]
    text = notice.text.toPlainText()
    assert "通關系統何時恢復？貨櫃已在碼頭排隊。" in text
    assert "報關業者 → 處理組（業務一組組長）" in text
    shoot(notice, [ctx, unit_ctx], lambda lang: artifacts / f"drill-notice-{lang}.png")

    # It opens the drill incident in the real wizard; the injects are in its timeline.
    screen = unit.screens["incidents"]
    assert isinstance(screen, IncidentsScreen)
    ws = screen.workspace
    incident_id = run_of(view).incident_id
    with qtbot.waitSignal(ws.ctrl.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(notice.open_button, Qt.MouseButton.LeftButton)
    assert not notice.isVisible() and screen.currentWidget() is ws
    assert ws.ctrl.incident_id == incident_id and unit.stack.currentWidget() is screen
    qtbot.waitUntil(lambda: any("通關系統何時恢復" in t for t in timeline_texts(ws)),
                    timeout=TIMEOUT)
    assert sum("演練狀況注入第" in t for t in timeline_texts(ws)) == 3, timeline_texts(ws)
    shoot(unit, [ctx, unit_ctx], lambda lang: artifacts / f"drill-unit-wizard-{lang}.png")

    # The unit works it as a real incident: the level, a notification, a statement.
    level = ws.pages[0].findChild(object, "level")
    qtbot.mouseClick(level.change, Qt.MouseButton.LeftButton)
    dialog_level = next(d for d in ws.findChildren(LevelDialog) if d.isVisible())
    dialog_level.level.setCurrentIndex(dialog_level.level.findData("medium"))
    reason = {"level_reason": "通關系統中斷影響全關區"}
    view_u = fill_dialog(qtbot, ws, LevelDialog, reason)
    assert view_u.level_key == "medium"
    escalation = ws.pages[0].findChild(object, "escalation")
    holder = next(b for (_m, deputy), b in escalation.notify_buttons.items() if not deputy)
    qtbot.mouseClick(holder, Qt.MouseButton.LeftButton)
    view_u = fill_dialog(qtbot, ws, NotifyDialog, {"notify_recipient": "王主秘"})
    assert len(view_u.notifications) == 1
    statements = ws.pages[3].findChild(object, "statements")
    qtbot.mouseClick(statements.new_clarification, Qt.MouseButton.LeftButton)
    view_u = settle(qtbot, ws, lambda: qtbot.mouseClick(statements.save,
                                                        Qt.MouseButton.LeftButton))
    assert len(view_u.statements) == 1

    # Back at the planning group: the deliveries are shown; the drill ends.
    synced(qtbot, unit)
    synced(qtbot, planning)
    qtbot.waitUntil(lambda: all(inject(view, n).delivered_at(unit_key) is not None
                                for n in (1, 3, 7)), timeout=TIMEOUT)
    assert "已送達受測單位電腦" in view.table.item(0, 5).text()
    assert inject(view, 2).delivered_at(unit_key) is None  # held: never sent
    shoot(view, [ctx, unit_ctx], lambda lang: artifacts / f"drill-control-delivered-{lang}.png")
    qtbot.mouseClick(view.end, Qt.MouseButton.LeftButton)
    assert asked[-1] == "結束演練"
    qtbot.waitUntil(lambda: not run_of(view).running, timeout=TIMEOUT)
    assert not view.release.isEnabled() and not view.end.isEnabled()
    assert not view.schedule_timer.isActive()

    # After the sync the drill incident is read-only on the unit's PC.
    synced(qtbot, planning)
    synced(qtbot, unit)
    qtbot.waitUntil(lambda: ws.ctrl.view is not None and ws.ctrl.view.status != "open",
                    timeout=TIMEOUT)
    assert not level.change.isEnabled()
    assert not any(b.isEnabled() for b in escalation.notify_buttons.values())
    assert not statements.new_clarification.isEnabled()
    assert isinstance(ws, IncidentWorkspace)

    # The unit's report form comes pre-filled from the drill it ran.
    unit.go_to("drills")
    unit_drills = unit.screens["drills"]
    report = unit_drills.report_panel  # type: ignore[attr-defined]
    unit_drills.show_panel(report)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: report.view is not None and report.view.draft.time_end is not None
                    and bool(report.summary.toPlainText()), timeout=TIMEOUT)
    ran = run_of(view)
    assert ran.started_at is not None and ran.ended_at is not None
    # (The form was open on the unit's PC before the drill started and ended: its times,
    # still following the clock, take the drill's.)
    assert report.start.value() == ran.started_at.replace(second=0, microsecond=0)
    assert report.end.value() == ran.ended_at.replace(second=0, microsecond=0)
    assert [k for k, box in report.items.items() if box.isChecked()] == ["clearance"]
    assert report.case.text().startswith("年節尖峰期間")
    summary = report.summary.toPlainText()
    for said in ("演練狀況注入第1則", "演練狀況注入第3則", "演練狀況注入第7則", "以電話通報王主秘",
                 "中度危機", "新聞稿"):
        assert said in summary, summary
    assert "演練狀況注入第2則" not in summary  # held: never released

    # The planning group's evaluation shows what the drill measured.
    drills.show_panel(drills.evaluation_panel)  # type: ignore[attr-defined]
    evaluation = drills.evaluation_panel  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: evaluation.measures is not None and bool(evaluation.measured),
                    timeout=TIMEOUT)
    measures = evaluation.measures
    assert [i.number for i in measures.injects if i.released_at] == [1, 7, 3]
    assert all(i.delivery_minutes is not None for i in measures.injects if i.released_at)
    assert measures.told_at is not None and "執行秘書" in evaluation.measured[1].text()
    assert "首份新聞稿" in evaluation.measured[4].text()
    assert evaluation.notified_at.value() == measures.told_at.replace(second=0, microsecond=0)

    # The planning group's Drills screen showed the report form before the drill began: it
    # now comes pre-filled with the drill's own start and end, and the unit's handling.
    run = run_of(view)
    assert run.started_at is not None and run.ended_at is not None
    report = drills.report_panel  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: report.view is not None and report.view.drill.id == drill_id
                    and not report.end.following
                    and "王主秘" in report.summary.toPlainText(), timeout=TIMEOUT)
    assert report.start.value() == run.started_at.replace(second=0, microsecond=0)
    assert report.end.value() == run.ended_at.replace(second=0, microsecond=0)
    assert [k for k, box in report.items.items() if box.isChecked()] == ["clearance"]
    assert report.case.text()


def test_only_the_planning_group_may_start_a_drill_and_the_screen_says_so(  # type: ignore[no-untyped-def]
        qtbot: QtBot, ctx: AppContext) -> None:
    from ui.drills.screen import DrillsScreen

    ctx.settings = replace(ctx.settings, user_name="陳組長", unit_key="ops1",
                           role=Role.UNIT_HEAD, share_folder="")
    drill_id = run_on_worker(qtbot, ctx, lambda db: drawn_drill(db))
    screen = DrillsScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    screen.load()
    bar = screen.live_bar
    qtbot.waitUntil(lambda: bar.run is not None and bar.run.drill.id == drill_id,
                    timeout=TIMEOUT)
    assert bar.start.isVisible() and not bar.start.isEnabled()
    assert bar.state.text() == "演練由策劃組開始。" == bar.start.toolTip()


def test_the_drills_clock_reads_hours_minutes_and_seconds() -> None:
    from datetime import UTC, datetime, timedelta

    from ui.live_drills.control import clock_text

    start = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)
    assert clock_text(start, start + timedelta(hours=2, minutes=5, seconds=9)) == "2:05:09"
    assert clock_text(start, start - timedelta(seconds=5)) == "0:00:00"
