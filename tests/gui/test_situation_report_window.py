"""Situation reports through the real window: a high-level incident an hour and a half old
with no report is overdue on Home and in the header; the unit head files one on stage 3 (the
snapshot shown first, the next steps typed) and the next due time moves an hour ahead; the
chosen report prints as one page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem
from pytestqt.qtbot import QtBot

from models.incidents.actions import open_incident
from models.storage.db import Database, utcnow
from tests.gui.test_incident_wizard import fill_dialog
from tests.helpers import run_on_worker, snap, window_at_home
from tests.unit.incidents.test_incidents import HEAD, draft
from ui.incidents.situation_reports import FileReportDialog, SituationReportsPanel
from ui.main_window import MainWindow
from ui.review.home import URGENT, HomeScreen
from ui.runtime.context import AppContext

TIMEOUT = 20000


@pytest.fixture
def window(qtbot: QtBot, ctx: AppContext) -> Iterator[MainWindow]:
    def made(db: Database) -> str:
        return open_incident(db, HEAD, "keelung", draft(
            title="港區油料外洩", level_key="high", suggested_level="high",
            started_at=utcnow() - timedelta(minutes=90)))

    run_on_worker(qtbot, ctx, made)
    win = window_at_home(qtbot, ctx, (1180, 800), timeout=TIMEOUT)
    yield win


def home_rows(home: HomeScreen) -> list[QListWidgetItem]:
    return [item for i in range(home.items.count()) if (item := home.items.item(i))]


def test_filing_a_report_moves_the_next_due_time(qtbot: QtBot, ctx: AppContext,
                                                 window: MainWindow, artifacts: Path) -> None:
    home = window.screens["home"]
    assert isinstance(home, HomeScreen)
    overdue = next(item for item in home_rows(home) if "處理情形報告已逾期" in item.text())
    assert overdue.foreground().color() == URGENT

    workspace = window.screens["incidents"].workspace  # type: ignore[attr-defined]
    panel = workspace.pages[2].findChild(SituationReportsPanel)
    with qtbot.waitSignal(panel.feed.loaded, timeout=TIMEOUT):
        home.items.itemClicked.emit(overdue)
    assert workspace.shown_stage() == 3
    header = workspace.clocks.situation
    assert header.text().startswith("處理情形報告已逾期") and "b00020" in header.styleSheet()
    assert panel.due.text() == header.text() and panel.table.rowCount() == 0

    qtbot.mouseClick(panel.file_button, Qt.MouseButton.LeftButton)
    dialog = next(d for d in workspace.findChildren(FileReportDialog) if d.isVisible())
    preview = dialog.preview.toPlainText()
    assert "港區油料外洩" in preview and "高度危機" in preview
    dialog.next_steps.setPlainText("下午二時召開第二次會議；明晨複查油污範圍。")
    snap(dialog, artifacts / "situation_file_dialog_zh.png")
    with qtbot.waitSignal(panel.feed.loaded, timeout=TIMEOUT):
        fill_dialog(qtbot, workspace, FileReportDialog, {})
    assert panel.table.rowCount() == 1
    assert panel.table.item(0, 0).text() == "1"
    assert panel.table.item(0, 2).text() == ctx.actor.name
    assert panel.table.item(0, 4).text().startswith("下午二時召開")
    assert panel.due.text().startswith("下次處理情形報告") and not panel.due.styleSheet()
    assert header.text() == panel.due.text() and "b00020" not in header.styleSheet()
    snap(panel, artifacts / "situation_reports_zh.png")

    panel.table.selectRow(0)
    with qtbot.waitSignal(panel.printer.previewed, timeout=TIMEOUT) as opened:
        qtbot.mouseClick(panel.print_button, Qt.MouseButton.LeftButton)
    preview_dialog = opened.args[0]
    assert len(preview_dialog.views) == 1  # one A4 page
    preview_dialog.close()

    window.go_to("home")
    qtbot.waitUntil(lambda: any("下次處理情形報告" in item.text()
                                for item in home_rows(home)), timeout=TIMEOUT)

    with qtbot.waitSignal(home.loaded, timeout=TIMEOUT):
        ctx.update_settings(ctx.settings.with_(language="en"))
    snap(home, artifacts / "situation_home_en.png")
    window.go_to("incidents")
    assert panel.due.text().startswith("Next situation report due")
    assert panel.file_button.text() == "File a situation report…"
    snap(panel, artifacts / "situation_reports_en.png")


def test_a_report_refused_as_stale_keeps_the_dialog_open(qtbot: QtBot, ctx: AppContext,
                                                         window: MainWindow) -> None:
    workspace = window.screens["incidents"].workspace  # type: ignore[attr-defined]
    panel = workspace.pages[2].findChild(SituationReportsPanel)
    incident_id = window.screens["home"].needs.incidents[0].id  # type: ignore[attr-defined]
    with qtbot.waitSignal(panel.feed.loaded, timeout=TIMEOUT):
        window.open_from_home("situation", incident_id)
    qtbot.mouseClick(panel.file_button, Qt.MouseButton.LeftButton)
    dialog = next(d for d in workspace.findChildren(FileReportDialog) if d.isVisible())
    dialog.next_steps.setPlainText("持續監控")

    def elsewhere(db: Database) -> None:  # another PC's change arrives meanwhile
        from models.incidents.actions import update_fact

        update_fact(db, HEAD, incident_id, "summary", "油污已擴及東岸碼頭")

    run_on_worker(qtbot, ctx, elsewhere)
    with qtbot.waitSignal(workspace.ctrl.loaded, timeout=TIMEOUT):  # read again
        dialog.accept()
    assert dialog.isVisible() and dialog.error.isVisible()
    assert "重新確認" in dialog.error.text()
    assert "油污已擴及東岸碼頭" in dialog.preview.toPlainText()  # the change is shown
    assert panel.table.rowCount() == 0
    fill_dialog(qtbot, workspace, FileReportDialog, {})  # now it files what was read
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=TIMEOUT)
