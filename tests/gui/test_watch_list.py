"""The watch list through the real window: a low-level incident whose first review is past
is red on Home; the incident list's watch-list switch shows it alone; opened from there, a
review is logged, and one click (with the reason the level change asks) escalates it, after
which the escalation names the post to tell and the reporting clock runs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from models.incidents.actions import open_incident
from models.storage.db import Database, utcnow
from tests.gui.test_incident_wizard import fill_dialog
from tests.helpers import run_on_worker, snap, window_at_home
from tests.unit.incidents.test_incidents import HEAD, draft
from ui.incidents.facts import LevelDialog
from ui.incidents.watch import ReviewDialog, WatchPanel
from ui.main_window import MainWindow
from ui.review.home import URGENT, HomeScreen
from ui.runtime.context import AppContext

TIMEOUT = 20000


@pytest.fixture
def window(qtbot: QtBot, ctx: AppContext) -> Iterator[MainWindow]:
    def made(db: Database) -> None:
        open_incident(db, HEAD, "keelung", draft(
            title="網路謠傳本關放行疫區肉品", level_key="low", suggested_level="low",
            started_at=utcnow() - timedelta(days=3)))
        open_incident(db, HEAD, "keelung", draft(title="貨櫃夾藏加熱菸"))  # medium

    run_on_worker(qtbot, ctx, made)
    win = window_at_home(qtbot, ctx, (1180, 800), timeout=TIMEOUT)
    yield win


def test_a_review_is_logged_and_the_incident_escalated_from_the_watch_list(
        qtbot: QtBot, ctx: AppContext, window: MainWindow, artifacts: Path) -> None:
    home = window.screens["home"]
    assert isinstance(home, HomeScreen)
    rows = [home.items.item(i) for i in range(home.items.count())]
    due = next(item for item in rows if "網路謠傳" in item.text() and "觀察" in item.text())
    assert due.foreground().color() == URGENT
    snap(home, artifacts / "watch_home_zh.png")

    window.go_to("incidents")
    screen = window.screens["incidents"]
    qtbot.waitUntil(lambda: screen.proxy.rowCount() == 2, timeout=TIMEOUT)  # type: ignore[attr-defined]
    screen.watch.box.setChecked(True)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: screen.proxy.rowCount() == 1, timeout=TIMEOUT)  # type: ignore[attr-defined]
    index = screen.proxy.index(0, 1)  # type: ignore[attr-defined]
    assert index.data() == "網路謠傳本關放行疫區肉品"
    snap(screen, artifacts / "watch_list_filter_zh.png")

    workspace = screen.workspace  # type: ignore[attr-defined]
    panel = workspace.pages[0].findChild(WatchPanel)
    with qtbot.waitSignal(panel.feed.loaded, timeout=TIMEOUT):
        screen.table.activated.emit(index)  # type: ignore[attr-defined]
    assert workspace.shown_stage() == 1
    assert panel.state.text().startswith("持續觀察列管中") and "已逾期" in panel.state.text()
    assert "b00020" in panel.state.styleSheet()

    qtbot.mouseClick(panel.review_button, Qt.MouseButton.LeftButton)
    dialog = next(d for d in workspace.findChildren(ReviewDialog) if d.isVisible())
    dialog.seen.setPlainText("PTT 討論串已沉寂，無新報導。")
    fill_dialog(qtbot, workspace, ReviewDialog, {})
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=TIMEOUT)
    assert panel.table.item(0, 1).text() == ctx.actor.name
    assert panel.table.item(0, 2).text() == "PTT 討論串已沉寂，無新報導。"
    assert "下次觀察日期" in panel.state.text() and not panel.state.styleSheet()
    snap(panel, artifacts / "watch_panel_zh.png")

    qtbot.mouseClick(panel.escalate_button, Qt.MouseButton.LeftButton)
    level = next(d for d in workspace.findChildren(LevelDialog) if d.isVisible())
    assert level.level.currentData() == "medium"  # the next higher level, chosen
    view = fill_dialog(qtbot, workspace, LevelDialog, {"level_reason": "電視新聞跟進報導"})
    assert view.level_key == "medium"
    escalation = workspace.pages[0].findChild(object, "escalation")
    assert "中度危機" in escalation.rule.text() and "執行秘書" in escalation.rule.text()
    assert escalation.notify_buttons  # the post the new level names, to tell
    assert workspace.clocks.reporting.text().startswith("應於")  # its limit runs
    qtbot.waitUntil(lambda: not panel.escalate_button.isVisible(), timeout=TIMEOUT)
    assert panel.state.text() == "本事件目前之等級毋須列管持續觀察。"

    ctx.update_settings(ctx.settings.with_(language="en"))
    assert panel.review_button.text() == "Log a review…"
    snap(workspace.pages[0], artifacts / "watch_stage1_en.png")
