"""The planning group sets a level's clocks in the playbook editor: the reporting limit and
the situation reports' cadence; what is only looked at is not a change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLineEdit, QListWidget, QSpinBox, QTabWidget

from models.playbook.store import current_playbook
from tests.gui.test_playbook_edit import choose, click, open_editor
from tests.helpers import run_on_worker, snap


def test_the_levels_clocks_are_edited_and_saved(qtbot: Any, ctx: Any, artifacts: Path) -> None:
    dialog = open_editor(qtbot, ctx)
    dialog.findChild(QTabWidget, "edit_tabs").setCurrentIndex(2)
    levels = dialog.findChild(QListWidget, "level_list")
    limit = dialog.findChild(QSpinBox, "level_report_within_minutes")
    cadence = dialog.findChild(QSpinBox, "level_update_every_minutes")
    choose(levels, "低度危機")
    assert (limit.value(), cadence.value()) == (0, 0)
    assert limit.text() == "無" and cadence.text() == "無"
    choose(levels, "高度危機")
    assert (limit.value(), cadence.value()) == (30, 60)
    assert not dialog.is_modified()  # looking at the defaults changes nothing
    snap(dialog, artifacts / "playbook_level_clocks_zh.png")
    limit.setValue(15)
    choose(levels, "低度危機")
    cadence.setValue(1440)
    qtbot.keyClicks(dialog.findChild(QLineEdit, "reason"), "Faster reporting")
    with qtbot.waitSignal(ctx.data_changed, timeout=10000):
        click(qtbot, dialog, "save")
    _info, playbook = run_on_worker(qtbot, ctx, current_playbook)
    assert [(lv.report_within_minutes, lv.update_every_minutes) for lv in playbook.levels] == [
        (15, 60), (60, 240), (None, 1440)]
