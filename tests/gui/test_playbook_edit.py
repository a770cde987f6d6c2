"""The playbook editor: edits made through its widgets become a new version; an invalid edit
is named by its path, shown in the dialog and saves nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTabWidget,
)

from i18n import _
from models.core.changes import Change, OpChanges
from models.org.people import Role
from models.playbook.store import current_playbook, list_versions
from tests.helpers import run_on_worker, snap
from ui.playbook.edit import PlaybookEditDialog
from ui.widgets.text_list import BilingualListEditor, ListEntry

NEW_DUTY_ZH = "彙整演練檢討報告並追蹤改善。"
NEW_DUTY_EN = "Compile the drill review report and follow up the improvements."
NEW_TASK_ZH = "各單位主管第一時間了解突發事件，立即回報執行秘書。"


def open_editor(qtbot: Any, ctx: Any) -> PlaybookEditDialog:
    version, playbook = run_on_worker(qtbot, ctx, current_playbook)
    dialog = PlaybookEditDialog(ctx, version, playbook)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def choose(widget: QListWidget, text: str) -> None:
    rows = [r for r in range(widget.count()) if widget.item(r).text() == text]
    assert rows, f"{text!r} is not in the list"
    widget.setCurrentRow(rows[0])


def click(qtbot: Any, dialog: Any, name: str) -> None:
    button = dialog.findChild(QPushButton, name)
    assert button is not None and button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def discard_on_close(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answer "Discard" when the dialog asks before dropping edits (a modal box would hang a
    headless test); the list records each question."""
    asked: list[str] = []

    def fake(parent: Any, title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Discard

    monkeypatch.setattr(QMessageBox, "question", fake)
    return asked


def test_added_duty_and_reworded_task_become_version_2(qtbot: Any, ctx: Any) -> None:
    dialog = open_editor(qtbot, ctx)
    tabs = dialog.findChild(QTabWidget, "edit_tabs")
    assert tabs.currentIndex() == 0

    choose(dialog.findChild(QListWidget, "group_list"), "策劃組")
    duties = dialog.findChild(QTableWidget, "duties_table")
    before = duties.rowCount()
    click(qtbot, dialog, "duties_add")
    assert duties.rowCount() == before + 1
    # Add opens the new row's Chinese cell for typing; the text is still in that editor
    # when Save is clicked, and must not be lost.
    cell = next(e for e in duties.findChildren(QPlainTextEdit, "cell_editor") if e.isVisible())
    cell.setPlainText(NEW_DUTY_ZH)
    duties.item(before, 1).setText(NEW_DUTY_EN)

    tabs.setCurrentIndex(3)
    choose(dialog.findChild(QListWidget, "stage_list"), "1. 危機掌握與辨識")
    tasks = dialog.findChild(QTableWidget, "tasks_table")
    tasks.item(0, 0).setText(NEW_TASK_ZH)

    qtbot.keyClicks(dialog.findChild(QLineEdit, "reason"), "Drill review 2026")
    with qtbot.waitSignal(ctx.data_changed, timeout=10000) as changed:
        click(qtbot, dialog, "save")
    assert changed.args == [OpChanges.of([Change.PLAYBOOK])]
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.saved_version is not None and dialog.saved_version.number == 2

    info, playbook = run_on_worker(qtbot, ctx, current_playbook)
    assert info.number == 2
    assert info.reason == "Drill review 2026"
    assert info.created_by == ctx.actor.name
    assert playbook.group("planning").duties[-1] == {"zh_TW": NEW_DUTY_ZH, "en": NEW_DUTY_EN}
    task = playbook.stages[0].tasks[0]
    assert task.key == "grasp"  # reworded, still the same task
    assert task.text["zh_TW"] == NEW_TASK_ZH
    assert len(playbook.stages[0].tasks) == 3


def test_empty_chinese_name_is_named_and_nothing_is_saved(
    qtbot: Any, ctx: Any, discard_on_close: list[str]
) -> None:
    dialog = open_editor(qtbot, ctx)
    tabs = dialog.findChild(QTabWidget, "edit_tabs")
    tabs.setCurrentIndex(1)
    choose(dialog.findChild(QListWidget, "category_list"), "輿情案件")
    name = dialog.findChild(QLineEdit, "category_name_zh")
    name.setText("")
    tabs.setCurrentIndex(0)  # the error must lead back to the tab and the item
    qtbot.keyClicks(dialog.findChild(QLineEdit, "reason"), "rename")

    click(qtbot, dialog, "save")

    error = dialog.findChild(QLabel, "error")
    assert error.isVisible()
    assert "categories[1].name.zh_TW" in error.text()
    assert tabs.currentIndex() == 1
    assert dialog.findChild(QListWidget, "category_list").currentRow() == 1
    assert dialog.focusWidget() is name
    assert dialog.isVisible()
    assert len(run_on_worker(qtbot, ctx, list_versions)) == 1

    click(qtbot, dialog, "cancel")
    assert len(discard_on_close) == 1  # there were edits: the user was asked
    assert not dialog.isVisible()


def test_empty_task_points_at_its_cell(qtbot: Any, ctx: Any, discard_on_close: list[str]) -> None:
    dialog = open_editor(qtbot, ctx)
    tabs = dialog.findChild(QTabWidget, "edit_tabs")
    tabs.setCurrentIndex(3)
    choose(dialog.findChild(QListWidget, "stage_list"), "2. 危機評估與決策")
    tasks = dialog.findChild(QTableWidget, "tasks_table")
    tasks.item(2, 0).setText("  ")
    tabs.setCurrentIndex(2)
    click(qtbot, dialog, "save")
    assert "stages[1].tasks[2].text.zh_TW" in dialog.findChild(QLabel, "error").text()
    assert tabs.currentIndex() == 3
    assert (tasks.currentRow(), tasks.currentColumn()) == (2, 0)


def test_missing_reason_is_refused_by_the_save(
    qtbot: Any, ctx: Any, discard_on_close: list[str]
) -> None:
    dialog = open_editor(qtbot, ctx)
    dialog.findChild(QLineEdit, "group_name_en").setText("Commander")
    with qtbot.waitSignal(ctx.worker.finished, timeout=10000,
                          check_params_cb=lambda name: name == "save_playbook"):
        click(qtbot, dialog, "save")
    error = dialog.findChild(QLabel, "error")
    assert error.isVisible()
    assert error.text() == _("Say why you are changing the playbook.")
    assert dialog.focusWidget() is dialog.findChild(QLineEdit, "reason")
    assert dialog.findChild(QPushButton, "save").isEnabled()
    assert len(run_on_worker(qtbot, ctx, list_versions)) == 1


def test_only_categories_added_here_can_be_removed(
    qtbot: Any, ctx: Any, discard_on_close: list[str]
) -> None:
    dialog = open_editor(qtbot, ctx)
    dialog.findChild(QTabWidget, "edit_tabs").setCurrentIndex(1)
    categories = dialog.findChild(QListWidget, "category_list")
    remove = dialog.findChild(QPushButton, "category_remove")
    assert categories.count() == 4
    assert not remove.isEnabled()

    click(qtbot, dialog, "category_add")
    assert categories.count() == 5 and categories.currentRow() == 4
    key = dialog.categories_tab.items[4]["key"]
    assert key.isascii() and key.startswith("c-")
    dialog.findChild(QLineEdit, "category_name_zh").setText("資安案件")
    click(qtbot, dialog, "category_add")
    assert remove.isEnabled()
    click(qtbot, dialog, "category_remove")
    assert categories.count() == 5
    assert categories.currentItem().text() == "資安案件"
    assert [c["name"]["zh_TW"] for c in dialog.edited()["categories"]][-1] == "資安案件"


def test_list_editor_keeps_keys_and_reorders(qtbot: Any) -> None:
    editor = BilingualListEditor("subtypes", key_prefix="s-", with_required=True)
    qtbot.addWidget(editor)
    editor.set_entries([
        ListEntry({"zh_TW": "甲", "en": "A"}, key="a", required=True),
        ListEntry({"zh_TW": "乙", "en": "B"}, key="b", required=False),
    ])
    editor.table.setCurrentCell(1, 0)
    qtbot.mouseClick(editor.findChild(QPushButton, "subtypes_up"), Qt.MouseButton.LeftButton)
    assert [(e.key, e.required) for e in editor.entries()] == [("b", False), ("a", True)]
    assert not editor.up_button.isEnabled()

    qtbot.mouseClick(editor.findChild(QPushButton, "subtypes_add"), Qt.MouseButton.LeftButton)
    added = editor.entries()[-1]
    assert added.key is not None and added.key.startswith("s-") and added.key.isascii()
    assert added.text == {"zh_TW": "", "en": ""}

    editor.table.setCurrentCell(0, 0)
    qtbot.mouseClick(editor.findChild(QPushButton, "subtypes_remove"),
                     Qt.MouseButton.LeftButton)
    assert [e.key for e in editor.entries()] == ["a", added.key]


def test_screenshots(qtbot: Any, ctx: Any, artifacts: Path,
                     discard_on_close: list[str]) -> None:
    dialog = open_editor(qtbot, ctx)
    tabs = dialog.findChild(QTabWidget, "edit_tabs")
    choose(dialog.findChild(QListWidget, "group_list"), "連絡暨公關組")
    names = ("groups", "categories", "levels", "stages")
    for language in ("zh_TW", "en"):
        if language != ctx.settings.language:
            ctx.update_settings(ctx.settings.with_(language=language))
        for index, name in enumerate(names):
            tabs.setCurrentIndex(index)
            if name == "categories":
                dialog.findChild(QListWidget, "category_list").setCurrentRow(3)
            if name == "levels":
                dialog.findChild(QListWidget, "level_list").setCurrentRow(2)
            snap(dialog, artifacts / f"playbook_edit_{language}_{name}.png")
        assert tabs.tabText(0) == _("Team groups and duties")
    # The English screen shows the English data: names picked, combos relabelled.
    assert dialog.findChild(QComboBox, "level_notify_group").currentText() == "Executive Secretary"
    assert dialog.findChild(QCheckBox, "level_keep_watching").text() == (
        "The responsible unit keeps watching the case")
    tabs.setCurrentIndex(1)
    dialog.findChild(QLineEdit, "category_name_zh").setText("")
    click(qtbot, dialog, "save")
    snap(dialog, artifacts / "playbook_edit_en_error.png")


def test_other_roles_can_read_but_not_save(qtbot: Any, ctx: Any) -> None:
    ctx.update_settings(ctx.settings.with_(role=Role.UNIT_HEAD))
    dialog = open_editor(qtbot, ctx)
    assert not dialog.findChild(QPushButton, "save").isVisible()
    assert not dialog.findChild(QPushButton, "category_add").isVisible()
    assert not dialog.findChild(QLineEdit, "group_name_zh").isEnabled()
    assert dialog.findChild(QListWidget, "group_list").isEnabled()  # still browsable
