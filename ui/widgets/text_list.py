"""An editable list of bilingual texts: the duties of a group, the subtypes of a category, the
tasks of a response stage.

Why one widget for all of them: the playbook has many such lists, and a planner who learns to
add, reorder and translate one of them knows them all. Each row is a Chinese and an English
cell (the Chinese wording is the authoritative one, the English may stay empty), optionally a
"Required" check box. Cells take several lines (Enter starts a new line; Tab or a click elsewhere
finishes the cell), because duties in the procedure are often whole paragraphs.

Rows may carry the stable key the playbook uses to refer to them: existing rows keep theirs and
new rows get a generated ASCII key, so a reworded task stays "the same task" for incidents that
already ticked it off.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from i18n import _
from ui.runtime.naming import named
from ui.widgets.items import cell

__all__ = ["BilingualListEditor", "ListEntry"]

ZH, EN, REQUIRED = 0, 1, 2
KEY_ROLE = Qt.ItemDataRole.UserRole
# Column titles name the languages in their own language, like the language menu: a reader of
# either language must recognise the column of the other one.
LANGUAGE_HEADERS = ("中文", "English")
EDITOR_LINES = 4

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ListEntry:
    """One row: its text {"zh_TW", "en"}, its key (None for lists without keys) and whether
    the task is required (only meaningful with the "Required" column)."""

    text: Mapping[str, str]
    key: str | None = None
    required: bool = True


class _MultiLineDelegate(QStyledItemDelegate):
    """Edits a cell in a QPlainTextEdit, so a duty can hold several lines, and remembers the
    open editor so the list can be read while a cell is still being typed in."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._open: QPlainTextEdit | None = None

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget:
        editor = QPlainTextEdit(parent)
        editor.setObjectName("cell_editor")
        editor.setTabChangesFocus(True)
        self._open = editor
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QPlainTextEdit)
        editor.setPlainText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QPlainTextEdit)
        model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        # A one-line cell would leave no room to see the second line being typed.
        rect = option.rect
        rect.setHeight(max(rect.height(), editor.fontMetrics().lineSpacing() * EDITOR_LINES))
        editor.setGeometry(rect)

    def destroyEditor(self, editor: QWidget, index: Index) -> None:
        if editor is self._open:
            self._open = None
        super().destroyEditor(editor, index)

    def commit_open_editor(self) -> None:
        """Write the text of a cell still being edited into the table."""
        if self._open is not None:
            self.commitData.emit(self._open)


class BilingualListEditor(QWidget):
    """A table of Chinese / English texts with Add, Remove, Move up and Move down.

    *name* prefixes the object names: the table is ``<name>_table``, the buttons
    ``<name>_add``, ``<name>_remove``, ``<name>_up`` and ``<name>_down``. With *key_prefix*,
    rows carry keys and new rows get ``<key_prefix><8 hex digits>``; with *with_required*, a
    third column holds a "Required" check box.
    """

    def __init__(
        self,
        name: str,
        *,
        key_prefix: str | None = None,
        with_required: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._key_prefix = key_prefix
        self._with_required = with_required
        self.table = named(QTableWidget(0, 3 if with_required else 2), f"{name}_table")
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self._delegate = _MultiLineDelegate(self.table)
        self.table.setItemDelegateForColumn(ZH, self._delegate)
        self.table.setItemDelegateForColumn(EN, self._delegate)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ZH, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(EN, QHeaderView.ResizeMode.Stretch)
        if with_required:
            header.setSectionResizeMode(REQUIRED, QHeaderView.ResizeMode.ResizeToContents)
        # Rows grow with their wrapped text, also when the dialog is resized.
        self.table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.add_button = named(QPushButton(), f"{name}_add")
        self.remove_button = named(QPushButton(), f"{name}_remove")
        self.up_button = named(QPushButton(), f"{name}_up")
        self.down_button = named(QPushButton(), f"{name}_down")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_row)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.retranslate()
        self._update_buttons()

    def retranslate(self) -> None:
        headers = list(LANGUAGE_HEADERS)
        if self._with_required:
            headers.append(_("Required"))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setToolTip(
            _("Double-click a cell to edit it. Enter starts a new line; Tab or a click "
              "elsewhere finishes the cell.")
        )
        self.add_button.setText(_("Add"))
        self.remove_button.setText(_("Remove"))
        self.up_button.setText(_("Move up"))
        self.down_button.setText(_("Move down"))

    # -- Reading and writing the rows.

    def set_entries(self, entries: Sequence[ListEntry]) -> None:
        """Show *entries*, replacing the rows (an open cell editor is discarded)."""
        # Qt takes None (no current item); PySide6's stubs omit it.
        self.table.setCurrentItem(None)  # type: ignore[call-overload]
        self.table.setRowCount(0)
        for entry in entries:
            self._append(entry)
        self._update_buttons()

    def entries(self) -> list[ListEntry]:
        """The rows as they are now, including a cell that is still being typed in."""
        self._delegate.commit_open_editor()
        result = []
        for row in range(self.table.rowCount()):
            zh = cell(self.table, row, ZH)
            en = cell(self.table, row, EN)
            required = (
                cell(self.table, row, REQUIRED).checkState() == Qt.CheckState.Checked
                if self._with_required
                else True
            )
            result.append(
                ListEntry(
                    text={"zh_TW": zh.text(), "en": en.text()},
                    key=zh.data(KEY_ROLE),
                    required=required,
                )
            )
        return result

    def focus_cell(self, row: int, language: str) -> None:
        """Select the cell a validation message points at and give the table the focus."""
        column = EN if language == "en" else ZH
        if 0 <= row < self.table.rowCount():
            self.table.setCurrentCell(row, column)
            self.table.scrollToItem(cell(self.table, row, column))
        self.table.setFocus()

    # -- Buttons.

    def add_row(self) -> None:
        """Append an empty row and start typing its Chinese text."""
        key = f"{self._key_prefix}{uuid.uuid4().hex[:8]}" if self._key_prefix is not None else None
        row = self._append(ListEntry(text={"zh_TW": "", "en": ""}, key=key))
        self.table.setCurrentCell(row, ZH)
        self.table.editItem(cell(self.table, row, ZH))

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        self.table.removeRow(row)
        if self.table.rowCount():
            self.table.setCurrentCell(min(row, self.table.rowCount() - 1), ZH)
        self._update_buttons()

    def _move(self, step: int) -> None:
        row = self.table.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.table.rowCount():
            return
        self._delegate.commit_open_editor()
        column = self.table.currentColumn()
        for col in range(self.table.columnCount()):
            upper = self.table.takeItem(row, col)
            lower = self.table.takeItem(target, col)
            self.table.setItem(row, col, lower)
            self.table.setItem(target, col, upper)
        self.table.setCurrentCell(target, max(column, 0))
        self._update_buttons()

    def _append(self, entry: ListEntry) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        zh = QTableWidgetItem(entry.text.get("zh_TW", ""))
        zh.setData(KEY_ROLE, entry.key)
        self.table.setItem(row, ZH, zh)
        self.table.setItem(row, EN, QTableWidgetItem(entry.text.get("en", "")))
        if self._with_required:
            check = QTableWidgetItem()
            check.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            check.setCheckState(
                Qt.CheckState.Checked if entry.required else Qt.CheckState.Unchecked
            )
            self.table.setItem(row, REQUIRED, check)
        return row

    def _update_buttons(self) -> None:
        row = self.table.currentRow()
        selected = row >= 0 and bool(self.table.selectedItems())
        self.remove_button.setEnabled(selected)
        self.up_button.setEnabled(selected and row > 0)
        self.down_button.setEnabled(selected and row < self.table.rowCount() - 1)
