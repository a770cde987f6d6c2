"""The office's drill rules through the windows: the planning group sets them in the playbook
editor (a bad combination is named at its field and saves nothing), and the home screen of the
planning group shows a drill's evaluation past its after-action deadline, one click from the
drill's evaluation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox, QTabWidget
from pytestqt.qtbot import QtBot

from i18n import _
from models.drills.entities import DrillRow
from i18n.formatting import format_month
from models.drills.kinds import TAIPEI, add_months, drill_period, taipei_today
from models.playbook.drill_rules import DrillRules
from models.playbook.store import current_playbook
from models.storage.db import Database, utcnow
from tests.gui.test_playbook_edit import click, open_editor
from tests.helpers import drills_screen_shown, run_on_worker, snap, window_at_home
from tests.unit.drills.test_drill_rules_schedule import set_rules
from ui.main_window import MainWindow
from ui.review.home import TARGET, URGENT, HomeScreen
from ui.runtime.context import AppContext
from ui.runtime.language import apply_language


def choose_data(box: QComboBox, value: object) -> None:
    index = box.findData(value)
    assert index >= 0, value
    box.setCurrentIndex(index)


def test_the_planning_group_sets_the_drill_rules(qtbot: QtBot, ctx: AppContext,
                                                 artifacts: Path) -> None:
    dialog = open_editor(qtbot, ctx)
    tabs = dialog.findChild(QTabWidget, "edit_tabs")
    tabs.setCurrentWidget(dialog.rules_tab)
    every = dialog.findChild(QComboBox, "rules_every_months")
    unit = dialog.findChild(QSpinBox, "rules_unit_every_months")
    rotation = dialog.findChild(QComboBox, "rules_rotation")
    evaluation = dialog.findChild(QSpinBox, "rules_evaluation_within_days")
    follow_up = dialog.findChild(QSpinBox, "rules_follow_up_within_days")
    assert every.currentText() == _("Every month")   # 基隆關's 按月模擬演練
    assert (unit.value(), evaluation.value(), follow_up.value()) == (6, 30, 60)
    assert rotation.currentData() == "least_practised"
    assert not dialog.is_modified()  # looking at the rules changes nothing
    snap(dialog, artifacts / "playbook_drill_rules_zh.png")

    choose_data(every, 3)
    unit.setValue(12)
    choose_data(rotation, "in_order")
    evaluation.setValue(21)
    follow_up.setValue(14)  # before the evaluation's day: refused at its field
    qtbot.keyClicks(dialog.findChild(QLineEdit, "reason"), "Taichung drill plan")
    click(qtbot, dialog, "save")
    error = dialog.findChild(QLabel, "error")
    assert error.isVisible() and "drill.rules.follow_up_within_days" in error.text()
    assert follow_up.hasFocus() or dialog.focusWidget() is follow_up
    _version, unchanged = run_on_worker(qtbot, ctx, current_playbook)
    assert unchanged.drill.rules == DrillRules()  # nothing saved

    follow_up.setValue(90)
    with qtbot.waitSignal(ctx.data_changed, timeout=10000):
        click(qtbot, dialog, "save")
    _version, saved = run_on_worker(qtbot, ctx, current_playbook)
    assert saved.drill.rules == DrillRules(every_months=3, unit_every_months=12,
                                           rotation="in_order", evaluation_within_days=21,
                                           follow_up_within_days=90)


def test_the_rules_tab_reads_in_english(qtbot: QtBot, ctx: AppContext,
                                        artifacts: Path) -> None:
    dialog = open_editor(qtbot, ctx)
    dialog.findChild(QTabWidget, "edit_tabs").setCurrentWidget(dialog.rules_tab)
    apply_language("en")
    try:
        ctx.language_changed.emit()
        assert dialog.findChild(QComboBox, "rules_every_months").currentText() == "Every month"
        assert dialog.findChild(QTabWidget, "edit_tabs").tabText(4) == "Drill rules"
        snap(dialog, artifacts / "playbook_drill_rules_en.png")
    finally:
        apply_language("zh_TW")
        ctx.language_changed.emit()


@pytest.fixture
def window(qtbot: QtBot, ctx: AppContext) -> Iterator[MainWindow]:
    """The planning group's window (林企劃) over a drill held 40 days ago whose evaluation
    nobody has written: it was due 30 days after the drill."""
    held = utcnow() - timedelta(days=40)
    month = (held + TAIPEI).date().replace(day=1)

    def made(db: Database) -> None:
        with db.session() as session:
            session.add(DrillRow(office_code="keelung", month=month, unit_key="ops1",
                                 category_key="clearance", status="reported", held_at=held,
                                 updated_by="test"))

    run_on_worker(qtbot, ctx, made)
    win = window_at_home(qtbot, ctx)
    yield win


def evaluation_row(home: HomeScreen, words: str) -> Any:
    found = [item for i in range(home.items.count())
             if words in (item := home.items.item(i)).text()]
    assert found, [home.items.item(i).text() for i in range(home.items.count())]
    return found[0]


def test_home_shows_the_overdue_evaluation_and_opens_it(qtbot: QtBot, ctx: AppContext,
                                                        window: MainWindow,
                                                        artifacts: Path) -> None:
    home = window.screens["home"]
    assert isinstance(home, HomeScreen)
    due = taipei_today() - timedelta(days=10)
    item = evaluation_row(home, "評估")
    assert item.foreground().color() == URGENT
    assert "業務一" in item.text() or "ops1" in item.text()
    assert item.data(TARGET)[0] == "evaluation"
    snap(home, artifacts / "home_overdue_evaluation_zh.png")
    apply_language("en")
    ctx.language_changed.emit()  # the items are written again in the new language
    try:
        item = evaluation_row(home, "Evaluation of the drill")
        assert "overdue" in item.text()
        snap(home, artifacts / "home_overdue_evaluation_en.png")
    finally:
        apply_language("zh_TW")
        ctx.language_changed.emit()
    drills = window.screens["drills"]
    with qtbot.waitSignal(drills.loaded, timeout=20000):  # type: ignore[attr-defined]
        home.items.itemClicked.emit(evaluation_row(home, "評估"))
    assert window.stack.currentWidget() is drills
    label = drills.deadlines  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "逾期" in label.text() or "overdue" in label.text(), timeout=20000)
    assert str(due.day) in label.text()
    snap(drills, artifacts / "drills_deadlines_zh.png")



def test_the_drills_screen_follows_a_quarterly_rule(qtbot: QtBot, ctx: AppContext,
                                                    artifacts: Path) -> None:
    """A quarter with its drill in its first month: its other two months want none; the
    overdue units are counted by the office's minimum, which the screen names."""
    start = drill_period(taipei_today().replace(day=1), 3)
    held = datetime.combine(start, time(0, 0), tzinfo=UTC) - TAIPEI  # 00:00 in Taipei

    def made(db: Database) -> None:
        set_rules(db, every_months=3, unit_every_months=3)
        with db.session() as session:
            session.add(DrillRow(office_code="keelung", month=start, unit_key="ops1",
                                 category_key="clearance", status="held", held_at=held,
                                 updated_by="test"))

    run_on_worker(qtbot, ctx, made)
    screen = drills_screen_shown(qtbot, ctx)
    status = {screen.schedule.item(r, 0).text(): screen.schedule.item(r, 2).text()
              for r in range(screen.schedule.rowCount())}
    assert status[format_month(start)] == _("Held")
    for later in (add_months(start, 1), add_months(start, 2)):
        assert status[format_month(later)] == _(
            "no drill due (the period's drill is in another month)")
    assert "每季" in screen.rules_line.text()
    assert "3個月" in screen.overdue_label.text()
    snap(screen, artifacts / "drills_quarterly_zh.png")
    apply_language("en")
    try:
        ctx.language_changed.emit()
        assert screen.overdue_label.text() == "Units overdue for their drill (at least every " \
                                              "3 months)"
        snap(screen, artifacts / "drills_quarterly_en.png")
    finally:
        apply_language("zh_TW")
        ctx.language_changed.emit()
