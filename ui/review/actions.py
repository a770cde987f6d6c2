"""Corrective actions across cases: every improvement the incidents and drill evaluations
asked for, in one list with its owner, unit, due day and state, overdue in red, filtered; a
chosen one's status moved, with a note in the case's timeline, even after the case is
archived (models/review/actions.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from i18n import N_, _
from i18n.formatting import format_date
from models.drills.kinds import taipei_today
from models.playbook.model import CORRECTIVE_STATUSES
from models.review.labels import ORIGINS, drill_reference
from ui.runtime.context import AppContext
from ui.runtime.feedback import error_label, show_at_field
from ui.runtime.naming import named
from ui.runtime.ops import Op

if TYPE_CHECKING:
    from models.review.actions import FollowedAction
    from models.storage.db import Database

COLUMNS = (N_("Origin"), N_("Case or drill"), N_("Unit"), N_("Action"), N_("Owner"), N_("Due"),
           N_("State"))
SHOWING = {"open": N_("Still to do"), "overdue": N_("Overdue only"),
           "done": N_("Done"), "all": N_("All")}
"""The state filter's choices (the first is the default: what still needs doing)."""
SOURCES = {"all": N_("Incidents and drills"), **ORIGINS}
OVERDUE = QColor("#b00020")


class ActionsPanel(QWidget):
    """Signals:
        loaded(): the list is on screen.
    """

    loaded = Signal()

    def __init__(self, ctx: AppContext, units: dict[str, str]) -> None:
        super().__init__()
        self.ctx = ctx
        self.units = units
        """Unit names by key, shared with the screen that holds the panel."""
        self.showing = named(QComboBox(), "actions_showing")
        self.source = named(QComboBox(), "actions_source")
        for combo in (self.showing, self.source):
            combo.activated.connect(lambda _i: self._fill())
        self.count = named(QLabel(), "actions_count")
        self.move_button = named(QPushButton(), "actions_move")
        self.move_button.setEnabled(False)
        self.move_button.clicked.connect(self.move_chosen)
        self.table = named(QTableWidget(0, len(COLUMNS)), "actions_table")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(
            lambda: self.move_button.setEnabled(self.chosen() is not None))
        self.table.doubleClicked.connect(lambda _index: self.move_chosen())
        top = QHBoxLayout()
        top.addWidget(self.showing)
        top.addWidget(self.source)
        top.addStretch(1)
        top.addWidget(self.move_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self.items: list[FollowedAction] = []
        self.shown: list[FollowedAction] = []
        self._wanted = ""
        """An action to select once it is listed (ReviewScreen.show_action)."""
        self.retranslate()

    def retranslate(self) -> None:
        for combo, choices in ((self.showing, SHOWING), (self.source, SOURCES)):
            chosen = combo.currentData()
            combo.clear()
            for key, label in choices.items():
                combo.addItem(_(label), key)
            combo.setCurrentIndex(max(combo.findData(chosen), 0))
        self.move_button.setText(_("Move the status…"))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self._fill()

    def choose(self, action_id: str) -> None:
        """Select *action_id*'s row, showing every state and source so that it is there;
        when the list is still loading, once it is loaded."""
        self._wanted = action_id
        self.showing.setCurrentIndex(max(self.showing.findData("all"), 0))
        self.source.setCurrentIndex(max(self.source.findData("all"), 0))
        self._fill()

    def load(self) -> None:
        office_code = self.ctx.settings.office_code

        def read(db: Database) -> list[FollowedAction]:
            from models.review.actions import followed_actions

            return followed_actions(db, office_code, taipei_today())

        Op(self.ctx, "followed_actions", read, parent=self).on_done(self._loaded).run()

    def _loaded(self, actions: list[FollowedAction]) -> None:
        self.items = actions
        self._fill()
        self._wanted = ""  # asked for and not there: gone (deleted, or not this office's)
        self.loaded.emit()

    def _fill(self) -> None:
        """The rows the filters let through; the chosen action stays chosen (its row may
        move: a sync adds an overdue one above it), or none is."""
        chosen = self.chosen()
        if chosen is not None and not self._wanted:
            self._wanted = chosen.action_id
        self.table.clearSelection()
        today = taipei_today()
        showing, source = self.showing.currentData(), self.source.currentData()
        self.shown = [
            a for a in self.items
            if (source in (None, "all") or a.source == source)
            and (showing == "all"
                 or showing == "done" and a.status == "done"
                 or showing == "overdue" and a.overdue(today)
                 or showing in (None, "open") and a.status != "done")]
        self.table.setRowCount(len(self.shown))
        for row, action in enumerate(self.shown):
            late = action.overdue(today)
            cells = (_(SOURCES[action.source]), self._reference(action),
                     self.units.get(action.unit_key, action.unit_key), action.description,
                     action.owner, format_date(action.due, long=False) if action.due else "",
                     _("Past due") if late else _(CORRECTIVE_STATUSES.get(action.status,
                                                                         action.status)))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if late:
                    item.setForeground(QBrush(OVERDUE))
                self.table.setItem(row, column, item)
        wanted = next((row for row, a in enumerate(self.shown)
                       if a.action_id == self._wanted), None)
        if wanted is not None:
            self.table.selectRow(wanted)
            self.table.scrollTo(self.table.model().index(wanted, 0))
            self._wanted = ""
        overdue = sum(1 for a in self.shown if a.overdue(today))
        self.count.setText(_("{shown} shown, {overdue} of them overdue").format(
            shown=len(self.shown), overdue=overdue))
        self.move_button.setEnabled(self.chosen() is not None)

    def _reference(self, action: FollowedAction) -> str:
        if action.drill_month is None:
            return action.reference
        return drill_reference(action.drill_month,
                               self.units.get(action.unit_key, action.unit_key))

    def chosen(self) -> FollowedAction | None:
        rows = self.table.selectionModel().selectedRows()
        return self.shown[rows[0].row()] if rows and rows[0].row() < len(self.shown) else None

    def move_chosen(self) -> None:
        action = self.chosen()
        if action is not None:
            # The move announces its change (ctx.data_changed): the screen reads the list again.
            MoveDialog(self.ctx, action, self._reference(action), self).open()


class MoveDialog(QDialog):
    """The new status of one corrective action, and for an incident's why it moved (the
    note goes into the case's timeline with the person's name)."""

    def __init__(self, ctx: AppContext, action: FollowedAction, reference: str,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("move_action_dialog")
        self.ctx = ctx
        self.action = action
        self.setWindowTitle(_("Move the status of a corrective action"))
        self.status = named(QComboBox(), "move_action_status")
        for key, label in CORRECTIVE_STATUSES.items():
            if key != action.status:  # a move moves: the same status again is no follow-up
                self.status.addItem(_(label), key)
        self.note = named(QPlainTextEdit(), "move_action_note")
        self.note.setPlaceholderText(_("What was done, or why it is open again"))
        self.note.setVisible(action.source == "incident")
        self.error = error_label("move_action_error")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.setObjectName("move_action_buttons")
        self.buttons.accepted.connect(self.store)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(QLabel(_("Case or drill")), QLabel(reference))
        form.addRow(QLabel(_("Action")), QLabel(action.description))
        form.addRow(QLabel(_("State")), self.status)
        if action.source == "incident":
            form.addRow(QLabel(_("Note for the case's timeline")), self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def store(self) -> None:
        action, actor = self.action, self.ctx.actor
        status, note = str(self.status.currentData()), self.note.toPlainText()
        self.buttons.setEnabled(False)

        def failed(exc: Exception) -> None:
            self.buttons.setEnabled(True)
            show_at_field(self, exc, self.error, {"status": self.status, "note": self.note})

        def move(db: Database) -> None:
            from models.review.actions import move_status

            move_status(db, actor, action, status, note)

        Op(self.ctx, "move_corrective", move, parent=self).on_done(
            lambda _none: self.accept()).on_error(failed).run()
