"""The home screen as the people of the procedure meet it after start: what needs them now,
each item one click from where its work is done, and fresh after a sync brings a new
incident."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QListWidgetItem
from pytestqt.qtbot import QtBot

from models.core.changes import Change, OpChanges
from models.drills.kinds import add_months, taipei_today
from models.storage.db import Database, utcnow
from tests.helpers import run_on_worker, snap, window_at_home
from tests.review_data import corrective, incident, notify
from ui.main_window import MainWindow
from ui.review.home import TARGET, URGENT, HomeScreen
from ui.runtime.context import AppContext


@pytest.fixture
def window(qtbot: QtBot, ctx: AppContext) -> Iterator[MainWindow]:
    """The planning group's window (林企劃, a planner: they follow corrective actions and
    drills up for the office) over an open incident whose notification is overdue and a
    corrective action past its due day."""
    now = utcnow()

    def made(db: Database) -> None:
        case = incident(db, "貨櫃夾藏加熱菸", now - timedelta(hours=3), "high")
        notify(db, case, now - timedelta(hours=2), outcome="left_message")
        old = incident(db, "去年的案件", now - timedelta(days=200), "medium",
                       archived=now - timedelta(days=190))
        corrective(db, old, now - timedelta(days=190), taipei_today() - timedelta(days=2), None)

    run_on_worker(qtbot, ctx, made)
    win = window_at_home(qtbot, ctx)
    yield win


def rows(home: HomeScreen) -> list[QListWidgetItem]:
    return [item for i in range(home.items.count()) if (item := home.items.item(i))]


def row(home: HomeScreen, text: str) -> QListWidgetItem:
    found = [item for item in rows(home) if text in item.text()]
    assert found, [item.text() for item in rows(home)]
    return found[0]


def test_the_home_screen_is_where_the_window_lands(window: MainWindow) -> None:
    assert window.stack.currentWidget() is window.screens["home"]


def test_what_needs_the_planning_group_is_listed_and_urgent_in_red(
        window: MainWindow, artifacts: Path) -> None:
    home = window.screens["home"]
    assert isinstance(home, HomeScreen)
    open_incident = row(home, "貨櫃夾藏加熱菸")
    assert "高度危機" in open_incident.text()
    late = row(home, "李總指揮")  # notified 2 hours ago, never acknowledged
    assert late.foreground().color() == URGENT
    action = row(home, "修訂查驗作業流程")
    assert action.foreground().color() == URGENT and action.data(TARGET)[0] == "actions"
    assert home.summary.text().startswith("有 ")
    snap(home, artifacts / "home_zh.png")


def test_each_item_opens_where_its_work_is_done(qtbot: QtBot, window: MainWindow) -> None:
    home = window.screens["home"]
    assert isinstance(home, HomeScreen)
    incidents = window.screens["incidents"]
    workspace = incidents.workspace  # type: ignore[attr-defined]
    with qtbot.waitSignal(workspace.ctrl.loaded, timeout=20000):
        home.items.itemClicked.emit(row(home, "貨櫃夾藏加熱菸"))
    assert window.stack.currentWidget() is incidents
    assert incidents.currentWidget() is workspace  # type: ignore[attr-defined]
    assert workspace.ctrl.view.title == "貨櫃夾藏加熱菸"
    home.items.itemClicked.emit(row(home, "修訂查驗作業流程"))
    review = window.screens["review"]
    assert window.stack.currentWidget() is review
    followed = review.followed  # type: ignore[attr-defined]
    assert review.tabs.currentWidget() is followed  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: followed.chosen() is not None, timeout=20000)
    assert followed.chosen().description == "修訂查驗作業流程"
    home.items.itemClicked.emit(row(home, "本月演練"))
    assert window.stack.currentWidget() is window.screens["drills"]
    home.items.itemClicked.emit(row(home, "未設定共用資料夾"))  # no shared folder: its setting
    assert window.stack.currentWidget() is window.screens["settings"]


def test_a_new_incident_from_a_sync_appears(qtbot: QtBot, ctx: AppContext,
                                            window: MainWindow) -> None:
    home = window.screens["home"]
    assert isinstance(home, HomeScreen)
    window.go_to("home")

    def arrived(db: Database) -> None:  # as another PC's incident lands in the database
        incident(db, "基隆港區火警", utcnow() - timedelta(minutes=20), "medium")

    run_on_worker(qtbot, ctx, arrived)
    with qtbot.waitSignal(home.loaded, timeout=20000):
        ctx.data_changed.emit(OpChanges.of([Change.INCIDENTS]))  # what a sync run announces
    assert "20 分鐘" in row(home, "基隆港區火警").text()


def test_the_home_screen_reads_in_english(qtbot: QtBot, ctx: AppContext, window: MainWindow,
                                         artifacts: Path) -> None:
    home = window.screens["home"]
    assert isinstance(home, HomeScreen)
    window.go_to("home")
    with qtbot.waitSignal(home.loaded, timeout=20000):
        ctx.update_settings(ctx.settings.with_(language="en"))
    assert home.heading.text() == "What needs me now"
    assert "High-Level Crisis" in row(home, "貨櫃夾藏加熱菸").text()
    assert row(home, "Sync: no shared folder").data(TARGET) == ("sync", "")
    snap(home, artifacts / "home_en.png")


def test_a_sign_off_item_opens_its_drills_month_at_the_form(qtbot: QtBot,
                                                            window: MainWindow) -> None:
    month = add_months(taipei_today().replace(day=1), -1)  # last month's drill, as is usual
    window.open_from_home("evaluation", month.isoformat())
    drills = window.screens["drills"]
    assert window.stack.currentWidget() is drills
    assert drills.month() == month  # type: ignore[attr-defined]
    tab = drills.tabs.currentWidget()  # type: ignore[attr-defined]
    assert tab.isAncestorOf(drills.evaluation_panel)  # type: ignore[attr-defined]
