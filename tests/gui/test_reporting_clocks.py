"""The reporting clock through the real window: a high-level incident whose commander nobody
has told within the office's 30 minutes is red on Home and in the incident's header; telling
them there takes it off Home and the header says how long it took."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem
from pytestqt.qtbot import QtBot

from i18n import _
from models.storage.db import Database, utcnow
from tests.gui.test_incident_wizard import fill_dialog
from tests.helpers import run_on_worker, snap, window_at_home
from tests.review_data import incident
from ui.incidents.escalation import NotifyDialog
from ui.main_window import MainWindow
from ui.review.home import URGENT, HomeScreen
from ui.runtime.context import AppContext

TIMEOUT = 20000


@pytest.fixture
def window(qtbot: QtBot, ctx: AppContext) -> Iterator[MainWindow]:
    """The window over a high-level incident learned of 40 minutes ago, nobody told yet."""
    run_on_worker(qtbot, ctx, lambda db: incident(db, "碼頭吊車倒塌", utcnow()
                                                  - timedelta(minutes=40), "high"))
    win = window_at_home(qtbot, ctx, timeout=TIMEOUT)
    yield win


def home_rows(home: HomeScreen) -> list[QListWidgetItem]:
    return [item for i in range(home.items.count()) if (item := home.items.item(i))]


def test_an_overdue_reporting_clock_shows_on_home_and_in_the_header_until_told(
        qtbot: QtBot, ctx: AppContext, window: MainWindow, artifacts: Path) -> None:
    home = window.screens["home"]
    assert isinstance(home, HomeScreen)
    texts = [item.text() for item in home_rows(home)]
    assert _("Reporting time limits passed") in texts
    late = next(item for item in home_rows(home) if "總指揮兼發言人" in item.text())
    assert "30 分鐘" in late.text() and late.foreground().color() == URGENT
    snap(home, artifacts / "reporting_clock_home_zh.png")

    workspace = window.screens["incidents"].workspace  # type: ignore[attr-defined]
    with qtbot.waitSignal(workspace.ctrl.loaded, timeout=TIMEOUT):
        home.items.itemClicked.emit(late)
    assert workspace.shown_stage() == 1  # at the escalation
    header = workspace.clocks.reporting
    assert header.isVisible() and header.text().startswith("逾時")
    assert "b00020" in header.styleSheet()
    snap(workspace, artifacts / "reporting_clock_header_zh.png")

    escalation = workspace.pages[0].findChild(object, "escalation")
    holder = next(b for (_m, deputy), b in escalation.notify_buttons.items() if not deputy)
    qtbot.mouseClick(holder, Qt.MouseButton.LeftButton)
    fill_dialog(qtbot, workspace, NotifyDialog, {"notify_recipient": "李副關務長"})
    assert header.text().startswith("已通報總指揮兼發言人（歷時")
    assert "逾30 分鐘時限" in header.text()  # told, but later than the limit

    window.go_to("home")
    qtbot.waitUntil(lambda: _("Reporting time limits passed") not in [
        item.text() for item in home_rows(home)], timeout=TIMEOUT)

    ctx.update_settings(ctx.settings.with_(language="en"))
    window.go_to("incidents")
    assert header.text().startswith("Commander and Spokesperson told after")
    snap(workspace, artifacts / "reporting_clock_header_en.png")
