"""The office's default retention (保存年限) set by the planning group in the playbook editor:
looking changes nothing, a new default is saved with the playbook's new version, and a record
left to the rule then prints it. Screenshots of the tab in both languages."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLineEdit, QSpinBox, QTabWidget
from pytestqt.qtbot import QtBot

from models.playbook.records import RecordHeader, RecordRules, retention_of
from models.playbook.store import current_playbook
from tests.gui.test_playbook_edit import click, open_editor
from tests.helpers import run_on_worker, snap
from ui.runtime.context import AppContext
from ui.runtime.language import apply_language


def test_the_planning_group_sets_the_default_retention(qtbot: QtBot, ctx: AppContext,
                                                       artifacts: Path) -> None:
    dialog = open_editor(qtbot, ctx)
    tabs = dialog.findChild(QTabWidget, "edit_tabs")
    tabs.setCurrentWidget(dialog.records_tab)
    assert tabs.tabText(tabs.currentIndex()) == "檔案保存"
    years = dialog.findChild(QSpinBox, "records_retention_years")
    assert years.value() == 10 and years.suffix() == "年"
    assert not dialog.is_modified()  # an old playbook, read with the default
    snap(dialog, artifacts / "playbook_records_zh.png")
    apply_language("en")
    ctx.language_changed.emit()
    assert tabs.tabText(tabs.currentIndex()) == "Records"
    snap(dialog, artifacts / "playbook_records_en.png")
    apply_language("zh_TW")
    ctx.language_changed.emit()

    years.setValue(30)
    qtbot.keyClicks(dialog.findChild(QLineEdit, "reason"), "records schedule 2027")
    with qtbot.waitSignal(ctx.data_changed, timeout=10000):
        click(qtbot, dialog, "save")
    _version, saved = run_on_worker(qtbot, ctx, current_playbook)
    assert saved.records == RecordRules(30)
    assert retention_of(RecordHeader(), saved.records, most_serious=False) == "30"
