"""Stage 3's decisions and tasks through the real window: a decision given by phone is
recorded with two tasks, they stand on the board (the late one in red), one is moved to done;
the Home screen lists the overdue task and opens the incident at stage 3. Screenshots of the
section in both languages go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel
from pytestqt.qtbot import QtBot

from i18n import ngettext
from models.incidents.queries import IncidentView
from models.storage.db import Database, utcnow
from tests.helpers import run_on_worker, snap, window_at_home
from tests.review_data import incident
from ui.incidents.decisions import OVERDUE, DecisionDialog, DecisionsPanel, TaskDialog
from ui.incidents.list_screen import IncidentsScreen
from ui.main_window import MainWindow
from ui.review.home import TARGET, URGENT, HomeScreen
from ui.runtime.context import AppContext
from ui.runtime.feedback import ERROR_STYLE
from ui.runtime.language import apply_language

TIMEOUT = 10000


@pytest.fixture
def window(qtbot: QtBot, ctx: AppContext) -> Iterator[tuple[MainWindow, str]]:
    """The planning group's window (林企劃, who may not decide) over an incident begun three
    hours ago, open at stage 3."""
    case = run_on_worker(qtbot, ctx, lambda db: incident(
        db, "貨櫃夾藏加熱菸", utcnow() - timedelta(hours=3), "medium"))
    win = window_at_home(qtbot, ctx, (1280, 900))
    yield win, case


def open_stage3(qtbot: QtBot, win: MainWindow, case: str) -> DecisionsPanel:
    screen = win.screens["incidents"]
    assert isinstance(screen, IncidentsScreen)
    with qtbot.waitSignal(screen.workspace.ctrl.loaded, timeout=TIMEOUT):
        win.go_to("incidents")
        screen.open_incident(case, 3)
    qtbot.waitUntil(lambda: screen.workspace.shown_stage() == 3, timeout=TIMEOUT)
    panel = screen.workspace.pages[2].findChild(DecisionsPanel, "decisions")
    assert panel is not None
    return panel


def stored(qtbot: QtBot, panel: DecisionsPanel, dialog: QDialog) -> IncidentView:
    """Save *dialog* and wait until the incident is stored and shown again."""
    with qtbot.waitSignal(panel.ctrl.loaded, timeout=TIMEOUT):
        dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert panel.ctrl.view is not None
    return panel.ctrl.view


def board(panel: DecisionsPanel) -> list[tuple[str, ...]]:
    return [tuple(panel.board.item(r, c).text() for c in range(panel.board.columnCount()))
            for r in range(panel.board.rowCount())]


def fitted(panel: DecisionsPanel) -> bool:
    """Every row of both tables is as tall as its wrapped text, once the layouts the texts
    of a new language asked for are done (the columns' widths are then final)."""
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    return all(table.rowHeight(r) >= table.sizeHintForRow(r)
               for table in (panel.log, panel.board) for r in range(table.rowCount()))


def visible(panel: DecisionsPanel, kind: type[Any]) -> Any:
    return next(d for d in panel.findChildren(kind) if d.isVisible())


def test_a_decision_gives_two_tasks_the_late_one_red_and_one_is_done(
        qtbot: QtBot, ctx: AppContext, window: tuple[MainWindow, str],
        artifacts: Path) -> None:
    win, case = window
    panel = open_stage3(qtbot, win, case)
    assert panel.log.rowCount() == 0 and panel.board.rowCount() == 0

    qtbot.mouseClick(panel.record, Qt.MouseButton.LeftButton)
    dialog = visible(panel, DecisionDialog)
    assert dialog.decided_by.text() == ""  # a planner records a decision given to them
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    dialog.when.set_value(now - timedelta(hours=1))
    dialog.decided_by.setText("陳副關務長")
    dialog.post.setCurrentIndex(dialog.post.findData("commander"))
    dialog.basis.setPlainText("X 光影像顯示夾層")
    dialog.options.setPlainText("僅查本櫃；擴大清查同一進口商")
    dialog.decision.setPlainText("擴大清查同一進口商之貨櫃")
    first = dialog.rows[0]
    first.description.setText("發布澄清稿")
    first.owner.setText("公關股")
    first.group.setCurrentIndex(first.group.findData("liaison"))
    first.due.has.setChecked(True)
    first.due.when.set_value(now - timedelta(minutes=30))
    qtbot.mouseClick(dialog.add_task, Qt.MouseButton.LeftButton)
    second = dialog.rows[1]
    second.description.setText("清查同一進口商貨櫃")
    second.owner.setText("林組長")
    second.due.has.setChecked(True)
    second.due.when.set_value(now + timedelta(hours=2))
    snap(dialog, artifacts / "decision-dialog-zh_TW.png")
    view = stored(qtbot, panel, dialog)

    assert [(d.decided_by, d.recorded_by) for d in view.decisions] == [("陳副關務長", "林企劃")]
    assert panel.log.rowCount() == 1
    assert "擴大清查同一進口商之貨櫃" in panel.log.item(0, 2).text()
    assert "林企劃" in panel.log.item(0, 1).text()  # recorded for the commander, by whom
    rows = board(panel)
    assert [r[1] for r in rows] == ["發布澄清稿", "清查同一進口商貨櫃"]  # by due time
    assert "逾期" in rows[0][4] and "逾期" not in rows[1][4]
    assert panel.board.item(0, 1).foreground().color() == OVERDUE
    assert panel.board.item(1, 1).foreground().color() != OVERDUE
    assert rows[0][5] == rows[1][5] == "第 1 項"
    outside = win.findChild(QLabel, "incident_outside_clocks")  # the header says it too
    assert outside.text() == ngettext("{n} task overdue", "{n} tasks overdue", 1).format(n=1)
    assert ERROR_STYLE in outside.styleSheet()
    snap(win, artifacts / "incident-header-clocks-zh_TW.png")
    for language in ("zh_TW", "en"):
        apply_language(language)
        ctx.language_changed.emit()
        qtbot.waitUntil(lambda: fitted(panel), timeout=TIMEOUT)  # nothing cut off
        snap(panel, artifacts / f"decisions-{language}.png")
    apply_language("zh_TW")
    ctx.language_changed.emit()

    panel.board.selectRow(1)
    qtbot.mouseClick(panel.edit, Qt.MouseButton.LeftButton)
    task = visible(panel, TaskDialog)
    assert task.owner.text() == "林組長"
    task.status.setCurrentIndex(task.status.findData("done"))
    view = stored(qtbot, panel, task)

    assert {t.description: t.status for t in view.actions} == {
        "發布澄清稿": "planned", "清查同一進口商貨櫃": "done"}
    rows = board(panel)
    assert [(r[0], r[1]) for r in rows] == [("規劃中", "發布澄清稿"), ("已完成", "清查同一進口商貨櫃")]


def test_a_decision_without_its_text_is_refused_at_the_field(
        qtbot: QtBot, window: tuple[MainWindow, str]) -> None:
    win, case = window
    panel = open_stage3(qtbot, win, case)
    qtbot.mouseClick(panel.record, Qt.MouseButton.LeftButton)
    dialog = visible(panel, DecisionDialog)
    dialog.decided_by.setText("陳副關務長")
    dialog.accept()
    qtbot.waitUntil(dialog.error.isVisible, timeout=TIMEOUT)
    assert dialog.isVisible() and dialog.error.text()
    assert panel.ctrl.view is not None and panel.ctrl.view.decisions == ()


def test_home_lists_the_overdue_task_and_opens_stage_3(
        qtbot: QtBot, ctx: AppContext, window: tuple[MainWindow, str],
        artifacts: Path) -> None:
    from models.incidents.decisions import DecisionDraft, TaskDraft, record_decision
    from models.org.people import Actor, Role

    win, case = window

    def decide(db: Database) -> None:
        record_decision(db, Actor("林企劃", Role.PLANNING), case, DecisionDraft(
            decided_at=utcnow() - timedelta(hours=1), decided_by="陳副關務長",
            post="commander", decision="發布澄清稿",
            tasks=(TaskDraft("發布澄清稿", "公關股", "liaison",
                             utcnow() - timedelta(minutes=20)),)))

    home = win.screens["home"]
    assert isinstance(home, HomeScreen)
    with qtbot.waitSignal(home.loaded, timeout=TIMEOUT):
        run_on_worker(qtbot, ctx, decide)
        home.reload()
    [late] = [home.items.item(i) for i in range(home.items.count())
              if "發布澄清稿（公關股）" in home.items.item(i).text()]
    assert late.foreground().color() == URGENT and late.data(TARGET) == ("tasks", case)
    snap(home, artifacts / "home-late-task-zh_TW.png")

    screen = win.screens["incidents"]
    assert isinstance(screen, IncidentsScreen)
    with qtbot.waitSignal(screen.workspace.ctrl.loaded, timeout=TIMEOUT):
        home.items.itemClicked.emit(late)
    qtbot.waitUntil(lambda: screen.workspace.shown_stage() == 3, timeout=TIMEOUT)
    assert win.stack.currentWidget() is screen
