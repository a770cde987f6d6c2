"""A table of an incident's entries (negotiation parties, corrective actions) with
Add, Edit and Remove, and the one dialog that edits any of them.

The lists differ only in their fields, so they share this code and describe their fields
as `Column`s; the dialog stays open with the message beside the field when the domain refuses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from i18n import _, translated
from i18n.formatting import format_date
from ui.incidents.act_dialog import ActDialog
from ui.incidents.controller import IncidentController
from ui.runtime.naming import named
from ui.widgets.roc_date_edit import RocDateEdit, a_month_ahead

if TYPE_CHECKING:
    from models.incidents.queries import IncidentView
    from models.org.people import Actor
    from models.storage.db import Database


@dataclass(frozen=True)
class Column:
    """A field of an entry. kind: 'line', 'text', 'choice' (choices: key -> msgid, or a
    callable giving key -> shown text from the view) or 'date' (may be empty)."""

    key: str
    label: str
    kind: str = "line"
    choices: Any = None


def _choices(column: Column, view: IncidentView) -> dict[str, str]:
    if callable(column.choices):
        return dict(column.choices(view))
    return translated(column.choices)


def shown(column: Column, value: Any, view: IncidentView) -> str:
    if column.kind == "choice":
        return _choices(column, view).get(value, str(value))
    if column.kind == "date":
        return format_date(value, long=False) if value else ""
    return str(value)


class RowDialog(ActDialog):
    """Edit one entry; *act_for(values)* gives the act that stores them."""

    def __init__(
        self,
        ctrl: IncidentController,
        parent: QWidget,
        title: str,
        columns: Sequence[Column],
        view: IncidentView,
        values: dict[str, Any],
        act_for: Callable[[dict[str, Any]], Callable[[Database, Actor], Any]],
        name: str,
    ) -> None:
        super().__init__(ctrl, parent, name, title)
        self.columns = columns
        self._act_for = act_for
        self.widgets: dict[str, QWidget] = {}
        for column in columns:
            widget = self._widget(column, view, values.get(column.key))
            widget.setObjectName(f"{name}_{column.key}")
            self.widgets[column.key] = widget
            self.form.addRow(_(column.label), widget)
        self.resize(520, self.sizeHint().height())

    def _widget(self, column: Column, view: IncidentView, value: Any) -> QWidget:
        if column.kind == "text":
            text = QPlainTextEdit(str(value or ""))
            text.setTabChangesFocus(True)
            return text
        if column.kind == "choice":
            combo = QComboBox()
            for key, label in _choices(column, view).items():
                combo.addItem(label, key)
            if value is not None and combo.findData(value) >= 0:
                combo.setCurrentIndex(combo.findData(value))
            return combo
        if column.kind == "date":
            box = QWidget()
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            # The row's label names the field; the box only says whether it has a date.
            has = QCheckBox(_("Set a date"))
            edit = RocDateEdit()
            has.setChecked(value is not None)
            edit.setEnabled(value is not None)
            has.toggled.connect(edit.setEnabled)
            edit.setDate(QDate(value.year, value.month, value.day) if isinstance(value, date)
                         else a_month_ahead())
            row.addWidget(has)
            row.addWidget(edit, 1)
            box.setProperty("kind", "date")
            return box
        return QLineEdit(str(value or ""))

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for column in self.columns:
            widget = self.widgets[column.key]
            if isinstance(widget, QPlainTextEdit):
                out[column.key] = widget.toPlainText()
            elif isinstance(widget, QComboBox):
                out[column.key] = widget.currentData()
            elif isinstance(widget, QLineEdit):
                out[column.key] = widget.text()
            else:
                has = widget.findChild(QCheckBox)
                edit = widget.findChild(RocDateEdit)
                assert has is not None and edit is not None
                out[column.key] = edit.date().toPython() if has.isChecked() else None
        return out

    def accept(self) -> None:
        self.store(self._act_for(self.values()), self.widgets)


SaveFn = Callable[["Database", "Actor", str, "str | None", dict[str, Any]], Any]


class RowTable(QWidget):
    """The entries of one kind, with Add, Edit and Remove.

    *rows_of(view)* gives the entries (dataclasses with an `id` and the columns' keys);
    *save(db, actor, incident_id, entry_id, values)* stores one; *kind* names them for
    `delete_entry` (None: entries cannot be removed).
    """

    def __init__(
        self,
        ctrl: IncidentController,
        name: str,
        title: str,
        columns: Sequence[Column],
        rows_of: Callable[[IncidentView], Sequence[Any]],
        save: SaveFn,
        kind: str | None,
        editable_when_archived: bool = False,
    ) -> None:
        super().__init__()
        self.setObjectName(name)
        self.ctrl, self.name, self.title = ctrl, name, title
        self.columns, self.rows_of, self._store, self.kind = columns, rows_of, save, kind
        self.editable_when_archived = editable_when_archived
        self.table = named(QTableWidget(0, len(columns)), f"{name}_table")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self.edit)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.add_button = named(QPushButton(), f"{name}_add")
        self.add_button.clicked.connect(self.add)
        self.edit_button = named(QPushButton(), f"{name}_edit")
        self.edit_button.clicked.connect(self.edit)
        self.remove_button = named(QPushButton(), f"{name}_remove")
        self.remove_button.clicked.connect(self.remove)
        self.remove_button.setVisible(kind is not None)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._entries: list[Any] = []
        self.retranslate()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([_(c.label) for c in self.columns])
        self.add_button.setText(_("Add…"))
        self.edit_button.setText(_("Edit…"))
        self.remove_button.setText(_("Remove"))
        if self.ctrl.view is not None:
            self.show_view(self.ctrl.view)

    def show_view(self, view: IncidentView) -> None:
        self._entries = list(self.rows_of(view))
        self.table.setRowCount(len(self._entries))
        for row, entry in enumerate(self._entries):
            for col, column in enumerate(self.columns):
                item = QTableWidgetItem(shown(column, getattr(entry, column.key), view))
                if getattr(entry, "overdue", False):
                    item.setForeground(Qt.GlobalColor.red)
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()
        self._update_buttons()

    def _editable(self) -> bool:
        view = self.ctrl.view
        return view is not None and (view.status == "open" or self.editable_when_archived)

    def _update_buttons(self) -> None:
        open_ = self.ctrl.view is not None and self.ctrl.view.status == "open"
        selected = self.table.currentRow() >= 0 and bool(self.table.selectedItems())
        self.add_button.setEnabled(open_)
        self.edit_button.setEnabled(self._editable() and selected)
        self.remove_button.setEnabled(open_ and selected)

    def _open_dialog(self, entry: Any) -> None:
        view = self.ctrl.view
        assert view is not None
        values = {c.key: getattr(entry, c.key) for c in self.columns} if entry else {}
        entry_id = entry.id if entry else None
        incident_id = self.ctrl.incident_id
        # The entry as shown: a change made meanwhile on another PC is not overwritten.
        seen = {"seen_at": entry.updated_at} if entry else {}

        def act_for(values: dict[str, Any]) -> Callable[[Database, Actor], Any]:
            return lambda db, actor: self._store(db, actor, incident_id, entry_id,
                                                 {**values, **seen})

        RowDialog(self.ctrl, self, _(self.title), self.columns, view, values, act_for,
                  self.name).open()

    def add(self) -> None:
        self._open_dialog(None)

    def edit(self) -> None:
        row = self.table.currentRow()
        if self._editable() and 0 <= row < len(self._entries):
            self._open_dialog(self._entries[row])

    def remove(self) -> None:
        row = self.table.currentRow()
        if self.kind is None or not 0 <= row < len(self._entries):
            return
        entry_id, kind, incident_id = self._entries[row].id, self.kind, self.ctrl.incident_id

        def delete(db: Database, actor: Actor) -> None:
            from models.incidents.actions import delete_entry

            delete_entry(db, actor, incident_id, kind, entry_id)

        self.ctrl.act(delete)
