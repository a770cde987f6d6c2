"""Stage 3's "Decisions and tasks": the decision log (newest first, the plan confirmed at
stage 2 among its entries: models.incidents.decisions), a dialog that records a decision with
the tasks it gives, and the board of tasks by state, overdue ones in red.

A task is a handling action of stage 3 (the procedure's 危機處理 with its resources); the
board edits one in a dialog of its own, as the other lists of an incident do, so a change made
meanwhile on another PC is not written over (seen_at)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from i18n import _, pick, translated
from i18n.formatting import format_datetime
from models.incidents.decisions_print import decider_text, decision_text, tasks_text
from models.incidents.kinds import ACTION_STATUSES, DECISION_POSTS
from models.org.people import Permission
from ui.incidents.act_dialog import ActDialog
from ui.incidents.controller import IncidentController
from ui.runtime.naming import named
from ui.widgets.combos import choice_combo
from ui.widgets.event_time import EventTimeEdit

if TYPE_CHECKING:
    from models.incidents.queries import ActionInfo, IncidentView
    from models.org.people import Actor
    from models.storage.db import Database

OVERDUE = QColor("#b00020")
STATE_ORDER = {key: i for i, key in enumerate(ACTION_STATUSES)}
"""The board's order: planned, in progress, done."""
DUE_AHEAD = timedelta(hours=1)
"""A new due time offered: an hour from now (a crisis counts in hours)."""
REFRESH_MS = 60_000
"""The board is drawn again this often: a task turns overdue with no record changing."""


def _groups(view: IncidentView) -> dict[str, str]:
    return {g.key: pick(g.name) for g in view.playbook.team.groups}


class DueEdit(QWidget):
    """A due time, or none: a box that says whether there is one, and the time."""

    def __init__(self, timezone: str, name: str, value: datetime | None) -> None:
        super().__init__()
        self.has = named(QCheckBox(_("Due by")), f"{name}_has")
        self.when = EventTimeEdit(timezone, name=name)
        self.when.set_value(value or datetime.now(UTC).replace(second=0, microsecond=0)
                            + DUE_AHEAD)
        self.has.setChecked(value is not None)
        self.when.setEnabled(value is not None)
        self.has.toggled.connect(self.when.setEnabled)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.has)
        row.addWidget(self.when, 1)

    def value(self) -> datetime | None:
        return self.when.value() if self.has.isChecked() else None


class TaskRow:
    """The widgets of one task in the decision dialog."""

    def __init__(self, dialog: DecisionDialog, index: int, view: IncidentView) -> None:
        name = f"decision_task{index}"
        self.description = named(QLineEdit(), f"{name}_description")
        self.owner = named(QLineEdit(), f"{name}_owner")
        self.group = choice_combo(f"{name}_group", _groups(view))
        self.due = DueEdit(dialog.ctrl.ctx.settings.timezone, f"{name}_due", None)
        self.status = choice_combo(f"{name}_status", translated(ACTION_STATUSES))
        self.widgets = (self.description, self.owner, self.group, self.due, self.status)

    def filled(self) -> bool:
        """A row left empty is no task; one partly filled is checked (its text is required)."""
        return bool(self.description.text().strip() or self.owner.text().strip())

    def fields(self, index: int) -> dict[str, QWidget]:
        """The act's field names of the *index*-th task it was given -> this row's widgets."""
        return {f"task{index}_{key}": widget for key, widget in zip(
            ("description", "owner", "group", "due", "status"), self.widgets)}

    def draft(self) -> Any:
        from models.incidents.decisions import TaskDraft

        return TaskDraft(self.description.text(), self.owner.text(), self.group.currentData(),
                         self.due.value(), self.status.currentData())


class DecisionDialog(ActDialog):
    """Record a decision and the tasks it gives. Whoever may decide records their own
    decision by default; anyone else records one given to them (by phone, at a meeting) in the
    decider's name, and the record names them as its recorder."""

    def __init__(self, ctrl: IncidentController, parent: QWidget, view: IncidentView) -> None:
        super().__init__(ctrl, parent, "decision", _("Record a decision"))
        self.view = view
        actor = ctrl.ctx.actor
        self.when = EventTimeEdit(ctrl.ctx.settings.timezone, name="decision_when")
        self.decided_by = named(QLineEdit(), "decision_decided_by")
        self.post = choice_combo("decision_post", translated(DECISION_POSTS))
        if actor.may(Permission.CONFIRM_PLAN):
            self.decided_by.setText(actor.name)
            self.post.setCurrentIndex(max(0, self.post.findData(actor.role.value)))
        self.acting_for = named(QLineEdit(), "decision_acting_for")
        self.acting_for.setPlaceholderText(_("When a deputy decided: the post holder (代)"))
        self.basis = self._text("decision_basis")
        self.options = self._text("decision_options")
        self.decision = self._text("decision_decision")
        for label, widget in ((_("Decided at"), self.when), (_("Decided by"), self.decided_by),
                              (_("As"), self.post), (_("Acting for"), self.acting_for),
                              (_("Basis"), self.basis), (_("Options weighed"), self.options),
                              (_("Decision"), self.decision)):
            self.form.addRow(label, widget)
        self.tasks_grid = QGridLayout()
        for col, title in enumerate((_("Task"), _("Owner"), _("Group"), _("Due"), _("State"))):
            self.tasks_grid.addWidget(QLabel(title), 0, col)
        self.tasks_grid.setColumnStretch(0, 3)
        self.rows: list[TaskRow] = []
        self.add_task = named(QPushButton(_("Add a task")), "decision_add_task")
        self.add_task.clicked.connect(self.add_row)
        tasks = QWidget()
        column = QVBoxLayout(tasks)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self.tasks_grid)
        column.addWidget(self.add_task, 0, Qt.AlignmentFlag.AlignLeft)
        self.form.addRow(_("Tasks it gives"), tasks)
        self.add_row()
        self.resize(900, self.sizeHint().height())

    @staticmethod
    def _text(name: str) -> QPlainTextEdit:
        text = named(QPlainTextEdit(), name)
        text.setTabChangesFocus(True)
        text.setFixedHeight(60)
        return text

    def add_row(self) -> None:
        row = TaskRow(self, len(self.rows), self.view)
        for col, widget in enumerate(row.widgets):
            self.tasks_grid.addWidget(widget, len(self.rows) + 1, col)
        self.rows.append(row)

    def accept(self) -> None:
        from models.incidents.decisions import DecisionDraft

        filled = [r for r in self.rows if r.filled()]
        tasks = tuple(r.draft() for r in filled)
        draft = DecisionDraft(
            decided_at=self.when.value(), decided_by=self.decided_by.text(),
            post=self.post.currentData(), decision=self.decision.toPlainText(),
            acting_for=self.acting_for.text(), basis=self.basis.toPlainText(),
            options=self.options.toPlainText(), tasks=tasks)
        incident_id = self.ctrl.incident_id

        def record(db: Database, actor: Actor) -> str:
            from models.incidents.decisions import record_decision

            return record_decision(db, actor, incident_id, draft)

        fields: dict[str, QWidget] = {
            "decided_at": self.when, "decided_by": self.decided_by, "post": self.post,
            "acting_for": self.acting_for, "basis": self.basis, "options": self.options,
            "decision": self.decision}
        for index, row in enumerate(filled):
            fields |= row.fields(index)
        self.store(record, fields)


class TaskDialog(ActDialog):
    """Add a task without a logged decision, or change one: its state, owner, due time."""

    def __init__(self, ctrl: IncidentController, parent: QWidget, view: IncidentView,
                 task: ActionInfo | None) -> None:
        super().__init__(ctrl, parent, "task", _("Task"))
        self.task = task
        self.description = named(QPlainTextEdit(task.description if task else ""),
                                 "task_description")
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(60)
        self.owner = named(QLineEdit(task.owner if task else ""), "task_owner")
        self.group = choice_combo("task_group_key", _groups(view), task.group_key if task else None)
        self.resources = named(QLineEdit(task.resources if task else ""), "task_resources")
        self.due = DueEdit(ctrl.ctx.settings.timezone, "task_due",
                           task.due_at if task else None)
        self.status = choice_combo("task_status", translated(ACTION_STATUSES),
                             task.status if task else None)
        for label, widget in ((_("Task"), self.description), (_("Owner"), self.owner),
                              (_("Group"), self.group), (_("Resources"), self.resources),
                              (_("Due"), self.due), (_("State"), self.status)):
            self.form.addRow(label, widget)
        self.resize(560, self.sizeHint().height())

    def accept(self) -> None:
        task, incident_id = self.task, self.ctrl.incident_id
        values = dict(description=self.description.toPlainText(), owner=self.owner.text(),
                      group_key=self.group.currentData(), resources=self.resources.text(),
                      due_at=self.due.value(), status=self.status.currentData())

        def save(db: Database, actor: Actor) -> str:
            from models.incidents.actions import save_action

            return save_action(db, actor, incident_id, task.id if task else None,
                               seen_at=task.updated_at if task else None, **values)

        self.store(save, {"description": self.description, "owner": self.owner,
                          "group_key": self.group, "resources": self.resources,
                          "due_at": self.due, "status": self.status})


def _table(name: str, columns: int) -> QTableWidget:
    table = named(QTableWidget(0, columns), name)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(True)
    table.setTextElideMode(Qt.TextElideMode.ElideNone)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    # Rows grow to their wrapped text whenever the columns' widths change (the pane resized),
    # once the header has given every column its width: during the resize they are not final.
    fit = QTimer(table, singleShot=True, interval=0)
    fit.timeout.connect(table.resizeRowsToContents)
    header.sectionResized.connect(lambda *_args: fit.start())
    return table


class DecisionsPanel(QWidget):
    """The decision log over the task board (see the module docstring)."""

    def __init__(self, ctrl: IncidentController) -> None:
        super().__init__()
        self.setObjectName("decisions")
        self.ctrl = ctrl
        self.log_heading = QLabel()
        self.board_heading = QLabel()
        for heading in (self.log_heading, self.board_heading):
            heading.setStyleSheet("font-weight: bold;")
        self.log = _table("decisions_log", 4)
        self.record = named(QPushButton(), "decisions_record")
        self.record.clicked.connect(self.record_decision)
        self.board = _table("decisions_board", 6)
        self.board.doubleClicked.connect(self.edit_task)
        self.board.itemSelectionChanged.connect(self._update_buttons)
        self.add = named(QPushButton(), "decisions_add_task")
        self.add.clicked.connect(lambda: self._task_dialog(None))
        self.edit = named(QPushButton(), "decisions_edit_task")
        self.edit.clicked.connect(self.edit_task)
        self.remove = named(QPushButton(), "decisions_remove_task")
        self.remove.clicked.connect(self.remove_task)
        buttons = QHBoxLayout()
        for button in (self.add, self.edit, self.remove):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.log_heading)
        layout.addWidget(self.log)
        layout.addWidget(self.record, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.board_heading)
        layout.addWidget(self.board)
        layout.addLayout(buttons)
        self.tasks: list[ActionInfo] = []
        self._refresh = QTimer(self, interval=REFRESH_MS)
        self._refresh.timeout.connect(self._redraw)
        self._refresh.start()
        self.retranslate()

    def _redraw(self) -> None:
        if self.ctrl.view is not None and self.isVisible():
            self.show_view(self.ctrl.view)

    def retranslate(self) -> None:
        self.log_heading.setText(_("Decision log"))
        self.board_heading.setText(_("Task board"))
        self.log.setHorizontalHeaderLabels(
            [_("Decided at"), _("Decided by"), _("Decision"), _("Tasks it gives")])
        self.board.setHorizontalHeaderLabels(
            [_("State"), _("Task"), _("Owner"), _("Group"), _("Due"), _("Decision")])
        self.record.setText(_("Record a decision…"))
        self.add.setText(_("Add a task…"))
        self.edit.setText(_("Edit task…"))
        self.remove.setText(_("Remove task"))
        if self.ctrl.view is not None:
            self.show_view(self.ctrl.view)

    def _when(self, moment: datetime | None) -> str:
        return format_datetime(moment, long=False, tz=self.ctrl.ctx.settings.timezone) \
            if moment else ""

    def show_view(self, view: IncidentView) -> None:
        from models.incidents.decisions import decision_log

        entries = decision_log(view)
        self.log.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            for col, text in enumerate((self._when(entry.decided_at), decider_text(entry),
                                        decision_text(entry), tasks_text(entry.tasks))):
                self.log.setItem(row, col, QTableWidgetItem(text))
        self.log.resizeRowsToContents()
        now = datetime.now(UTC)
        numbers = {e.id: len(entries) - i for i, e in enumerate(entries)}
        self.tasks = sorted(view.actions, key=lambda t: (
            STATE_ORDER.get(t.status, 0), t.due_at is None, t.due_at or now))
        groups = _groups(view)
        self.board.setRowCount(len(self.tasks))
        for row, task in enumerate(self.tasks):
            late = task.overdue(now)
            due = self._when(task.due_at) + (" " + _("(overdue)") if late else "")
            decided = _("No. {n}").format(n=numbers[task.decision_id]) \
                if task.decision_id in numbers else ""
            for col, text in enumerate((_(ACTION_STATUSES.get(task.status, task.status)),
                                        task.description, task.owner,
                                        groups.get(task.group_key, task.group_key), due,
                                        decided)):
                item = QTableWidgetItem(text)
                if late:
                    item.setForeground(QBrush(OVERDUE))
                self.board.setItem(row, col, item)
        self.board.resizeRowsToContents()
        self._update_buttons()

    def _update_buttons(self) -> None:
        view = self.ctrl.view
        open_ = view is not None and view.status == "open"
        selected = 0 <= self.board.currentRow() < len(self.tasks) \
            and bool(self.board.selectedItems())
        for button in (self.record, self.add):
            button.setEnabled(open_)
        for button in (self.edit, self.remove):
            button.setEnabled(open_ and selected)

    def record_decision(self) -> None:
        if self.ctrl.view is not None:
            DecisionDialog(self.ctrl, self, self.ctrl.view).open()

    def _selected(self) -> ActionInfo | None:
        row = self.board.currentRow()
        return self.tasks[row] if 0 <= row < len(self.tasks) else None

    def _task_dialog(self, task: ActionInfo | None) -> None:
        view = self.ctrl.view
        if view is not None and view.status == "open":
            TaskDialog(self.ctrl, self, view, task).open()

    def edit_task(self) -> None:
        task = self._selected()
        if task is not None:
            self._task_dialog(task)

    def remove_task(self) -> None:
        task, incident_id = self._selected(), self.ctrl.incident_id
        if task is None:
            return
        task_id = task.id

        def delete(db: Database, actor: Actor) -> None:
            from models.incidents.actions import delete_entry

            delete_entry(db, actor, incident_id, "action", task_id)

        self.ctrl.act(delete)

