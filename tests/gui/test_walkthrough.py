"""The walk-through of issue 13, in the real window at 1366×768 and in both languages: a new
incident through its six stages to the case archive, searched and printed; then a month's
drill drawn, reported, signed by both, evaluated, submitted, signed and circulated. Each step
is driven through the widgets a user clicks, and a screenshot of each goes to test-artifacts/
for a person to look at."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard

from i18n import _
from models.org.people import Role
from tests.gui.test_incident_wizard import complete, fill_dialog, settle, tick_tasks
from tests.helpers import pages_on_screen, snap
from ui.drills.screen import DrillsScreen
from ui.incidents.archive import ArchiveScreen
from ui.incidents.escalation import NotifyDialog
from ui.incidents.list_screen import IncidentsScreen
from ui.incidents.new_incident import NewIncidentWizard
from ui.incidents.rows import RowDialog
from ui.incidents.statements import EventDialog
from ui.main_window import MainWindow
from ui.runtime.context import AppContext
from ui.runtime.language import apply_language

TIMEOUT = 15000
SIZE = (1366, 768)


@pytest.fixture(params=["zh_TW", "en"])
def window(request, qtbot, ctx: AppContext) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    apply_language(request.param)
    ctx.update_settings(ctx.settings.with_(language=request.param))
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.build_screens()
    with qtbot.waitSignal(win.screens["playbook"].loaded, timeout=TIMEOUT):  # type: ignore[attr-defined]
        ctx.database_ready.emit()
    win.resize(*SIZE)
    win.show()
    qtbot.waitExposed(win)
    yield win
    apply_language("zh_TW")


def shot(window: MainWindow, artifacts: Path, ctx: AppContext, name: str) -> None:
    for _round in range(3):  # the rows' refit after a re-layout runs from the event loop, and
        QApplication.processEvents()  # may set off one more re-layout and refit
    snap(window, artifacts / f"walk-{name}-{ctx.settings.language}.png")


def test_an_incident_from_the_first_call_to_the_printed_case_file(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, window: MainWindow, artifacts: Path, monkeypatch) -> None:
    screen = window.screens["incidents"]
    assert isinstance(screen, IncidentsScreen)
    window.go_to("incidents")
    qtbot.waitUntil(screen.new_button.isEnabled, timeout=TIMEOUT)
    shot(window, artifacts, ctx, "1-list")

    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    wizard = next(w for w in screen.findChildren(NewIncidentWizard) if w.isVisible())
    wizard.title.setText("網傳非洲豬瘟肉品經本關放行")
    wizard.summary.setPlainText("網路社群流傳本關放行染疫肉品之不實訊息")
    wizard.next()
    wizard.category.setCurrentIndex(wizard.category.findData("public_opinion"))
    wizard.next()
    snap(wizard, artifacts / f"walk-2-new-incident-{ctx.settings.language}.png")
    ws = screen.workspace
    settle(qtbot, ws, lambda: qtbot.mouseClick(
        wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton))

    escalation = ws.pages[0].findChild(object, "escalation")
    holder = next(b for (m, d), b in escalation.notify_buttons.items() if not d)
    qtbot.mouseClick(holder, Qt.MouseButton.LeftButton)
    fill_dialog(qtbot, ws, NotifyDialog, {"notify_recipient": "王主秘",
                                          "notify_outcome": "no_answer"})
    deputy = next(b for (m, d), b in escalation.notify_buttons.items() if d)
    qtbot.mouseClick(deputy, Qt.MouseButton.LeftButton)
    fill_dialog(qtbot, ws, NotifyDialog, {"notify_recipient": "陳秘書",
                                          "notify_acting_for": "王主秘"})
    tick_tasks(qtbot, ws, 1)
    shot(window, artifacts, ctx, "3-stage1")
    complete(qtbot, ws)

    plan = ws.pages[1].findChild(object, "field_s2_plan")
    settle(qtbot, ws, lambda: (plan.setPlainText("發布澄清稿並說明檢疫程序"), plan.flush()))
    confirm = ws.pages[1].findChild(object, "confirm")
    confirm.name.setText("張副關務長")
    settle(qtbot, ws, lambda: qtbot.mouseClick(confirm.button, Qt.MouseButton.LeftButton))
    tick_tasks(qtbot, ws, 2)
    shot(window, artifacts, ctx, "4-stage2")
    complete(qtbot, ws)

    reports = ws.pages[2].findChild(object, "entries_report")
    reports.text.setPlainText("已聯繫防檢署確認檢疫紀錄")
    settle(qtbot, ws, lambda: qtbot.mouseClick(reports.add, Qt.MouseButton.LeftButton))
    tick_tasks(qtbot, ws, 3)
    complete(qtbot, ws)

    statements = ws.pages[3].findChild(object, "statements")
    qtbot.mouseClick(statements.new_clarification, Qt.MouseButton.LeftButton)
    settle(qtbot, ws, lambda: qtbot.mouseClick(statements.save, Qt.MouseButton.LeftButton))
    for event in ("legal_review", "approved", "released"):
        qtbot.mouseClick(statements.event_buttons[event], Qt.MouseButton.LeftButton)
        values = {"statement_event_name": "李科長"}
        if event == "released":
            values["statement_event_channel"] = "website"
        fill_dialog(qtbot, ws, EventDialog, values)
    tick_tasks(qtbot, ws, 4)
    shot(window, artifacts, ctx, "5-stage4")
    complete(qtbot, ws)
    tick_tasks(qtbot, ws, 5)
    complete(qtbot, ws)

    for key, text in (("s6_what_happened", "不實訊息於社群擴散"), ("s6_lessons", "澄清稿範本預備")):
        field = ws.pages[5].findChild(object, f"field_{key}")
        settle(qtbot, ws, lambda f=field, t=text: (f.setPlainText(t), f.flush()))
    corrective = ws.pages[5].findChild(object, "corrective")
    qtbot.mouseClick(corrective.add_button, Qt.MouseButton.LeftButton)
    fill_dialog(qtbot, ws, RowDialog, {"corrective_description": "建立澄清稿範本",
                                       "corrective_owner": "秘書室"})
    tick_tasks(qtbot, ws, 6)
    shot(window, artifacts, ctx, "6-stage6")
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    view = complete(qtbot, ws)
    assert view.status == "archived"

    archive = window.screens["archive"]
    assert isinstance(archive, ArchiveScreen)
    window.go_to("archive")
    with qtbot.waitSignal(archive.searched, timeout=TIMEOUT):
        archive.search.setText("豬瘟")
    assert archive.table.rowCount() == 1
    with qtbot.waitSignal(archive.case_shown, timeout=TIMEOUT):
        archive.table.selectRow(0)
    shot(window, artifacts, ctx, "7-archive")
    with qtbot.waitSignal(archive.printer.previewed, timeout=TIMEOUT) as previewed:
        qtbot.mouseClick(archive.print_button, Qt.MouseButton.LeftButton)
    preview = previewed.args[0]
    pages_on_screen(qtbot, preview, TIMEOUT)
    text = subprocess.run(["pdftotext", str(preview.path), "-"], capture_output=True, text=True,
                          check=True).stdout.replace(" ", "")
    for expected in ("網傳非洲豬瘟肉品經本關放行", "陳秘書", "建立澄清稿範本"):
        assert expected in text, expected
    snap(preview, artifacts / f"walk-8-case-file-{ctx.settings.language}.png")
    preview.close()


def test_a_drill_from_the_draw_to_the_circulated_evaluation(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, window: MainWindow, artifacts: Path) -> None:
    screen = window.screens["drills"]
    assert isinstance(screen, DrillsScreen)
    ctx.update_settings(ctx.settings.with_(role=Role.SECRETARY, user_name="周執秘"))
    window.go_to("drills")
    qtbot.waitUntil(screen.draw_panel.draw_button.isEnabled, timeout=TIMEOUT)
    report, evaluation = screen.report_panel, screen.evaluation_panel
    with qtbot.waitSignal(report.shown, timeout=TIMEOUT):
        qtbot.mouseClick(screen.draw_panel.draw_button, Qt.MouseButton.LeftButton)
    shot(window, artifacts, ctx, "9-draw")
    scenarios = screen.scenario_panel
    scenarios.category.setCurrentIndex(scenarios.category.findData("public_opinion"))
    with qtbot.waitSignal(report.shown, timeout=TIMEOUT):
        qtbot.mouseClick(scenarios.set_button, Qt.MouseButton.LeftButton)

    with qtbot.waitSignal(screen.loaded, timeout=TIMEOUT):  # the unit drawn fills its report
        ctx.update_settings(ctx.settings.with_(role=Role.UNIT_HEAD, user_name="陳組長"))
    screen.show_panel(report)
    qtbot.waitUntil(lambda: bool(report.case.text()), timeout=TIMEOUT)  # carried over
    report.summary.setPlainText("09:30 接獲媒體詢問，09:40 通報執行秘書，10:10 發布澄清稿。")
    qtbot.mouseClick(report.buttons["save"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: report.view.report is not None, timeout=TIMEOUT)
    qtbot.mouseClick(report.buttons["submit"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: report.view.report.status == "submitted", timeout=TIMEOUT)
    for signed, (role, name) in enumerate(((Role.COMMANDER, "張關務長"),
                                           (Role.SECRETARY, "周執秘")), start=1):
        ctx.update_settings(ctx.settings.with_(role=role, user_name=name))
        qtbot.waitUntil(report.buttons["sign"].isEnabled, timeout=TIMEOUT)
        qtbot.mouseClick(report.buttons["sign"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda n=signed: len(report.view.signatures()) == n, timeout=TIMEOUT)
    shot(window, artifacts, ctx, "10-report-signed")

    ctx.update_settings(ctx.settings.with_(role=Role.PLANNING, user_name="林企劃"))
    qtbot.waitUntil(evaluation.buttons["save"].isEnabled, timeout=TIMEOUT)
    screen.show_panel(evaluation)
    for combo in evaluation.ratings.values():
        combo.setCurrentIndex(combo.findData(3))
    evaluation.strengths.setPlainText("十分鐘內通報執行秘書")
    qtbot.mouseClick(evaluation.buttons["submit"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: evaluation.view.evaluation is not None
                    and evaluation.view.evaluation.status == "submitted", timeout=TIMEOUT)
    for role, name in ((Role.COMMANDER, "張關務長"), (Role.SECRETARY, "周執秘")):
        ctx.update_settings(ctx.settings.with_(role=role, user_name=name))
        qtbot.waitUntil(evaluation.buttons["sign"].isEnabled, timeout=TIMEOUT)
        qtbot.mouseClick(evaluation.buttons["sign"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda r=role: r.value in {e.as_role for e in evaluation.view.signatures},
                        timeout=TIMEOUT)
    assert evaluation.view.locked
    ctx.update_settings(ctx.settings.with_(role=Role.PLANNING, user_name="林企劃"))
    qtbot.waitUntil(evaluation.buttons["circulate"].isEnabled, timeout=TIMEOUT)
    qtbot.mouseClick(evaluation.buttons["circulate"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(evaluation.view.circulation), timeout=TIMEOUT)
    assert screen.month_drill().status == "evaluated"
    assert _("Submitted for approval") in evaluation.history.toPlainText()
    shot(window, artifacts, ctx, "11-evaluation-circulated")
