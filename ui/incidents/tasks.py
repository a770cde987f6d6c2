"""The procedure's tasks of one stage as a checklist: state, reason, remark; the last change
is the task's second line (a column of its own cut the table at the width of a stage form).

"Not applicable" needs a reason (the domain refuses it without one): choosing it moves the
cursor to the reason, and the state is stored once a reason is typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from i18n import N_, _, pick
from i18n.formatting import format_datetime
from models.core.errors import UserError
from models.incidents.kinds import TASK_STATES
from ui.incidents.autosave import AutosaveLine
from ui.incidents.controller import IncidentController
from ui.runtime.feedback import error_label, plain_message, show_error
from ui.runtime.naming import named
from ui.widgets.items import cell

if TYPE_CHECKING:
    from models.incidents.queries import IncidentView
    from models.org.people import Actor
    from models.playbook.model import Task
    from models.storage.db import Database

COLUMNS = (N_("Task"), N_("State"), N_("Reason (if not applicable)"), N_("Remark"))


class TaskChecklist(QWidget):
    def __init__(self, ctrl: IncidentController, stage: int) -> None:
        super().__init__()
        self.ctrl = ctrl
        self.stage = stage
        self.setObjectName(f"tasks_{stage}")
        self.responsible = named(QLabel(), f"tasks_{stage}_responsible")
        self.responsible.setWordWrap(True)
        self.table = named(QTableWidget(0, len(COLUMNS)), f"tasks_{stage}_table")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        for column, mode in ((0, QHeaderView.ResizeMode.Stretch),
                             (1, QHeaderView.ResizeMode.Fixed),  # as wide as its combo boxes
                             (2, QHeaderView.ResizeMode.Stretch),
                             (3, QHeaderView.ResizeMode.Stretch)):
            header.setSectionResizeMode(column, mode)
        # Rows rewrap whenever the columns change width (a pane folded, the window resized).
        self._refit = QTimer(self, singleShot=True, interval=0)
        self._refit.timeout.connect(self._fit_rows)
        header.sectionResized.connect(lambda *_args: self._refit.start())
        # Every task on view: the stage page scrolls, the checklist inside it does not.
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.error = error_label(f"tasks_{stage}_error")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.responsible)
        layout.addWidget(self.table)
        layout.addWidget(self.error)
        self._keys: list[str] = []
        self.states: dict[str, QComboBox] = {}
        self.reasons: dict[str, AutosaveLine] = {}
        self.remarks: dict[str, AutosaveLine] = {}

    def retranslate(self) -> None:
        for combo in self.states.values():
            for i, key in enumerate(TASK_STATES):
                combo.setItemText(i, _(TASK_STATES[key]))
        self.retranslate_headers()
        if self.ctrl.view is not None:
            self.show_view(self.ctrl.view)

    def show_view(self, view: IncidentView) -> None:
        stage = next(s for s in view.playbook.stages if s.number == self.stage)
        self.responsible.setText(_("Responsible: {who}").format(who=pick(stage.responsible)))
        keys = [t.key for t in stage.tasks]
        if keys != self._keys:
            self._build(stage.tasks)
        for row, task in enumerate(stage.tasks):
            info = view.tasks.get((self.stage, task.key))
            combo = self.states[task.key]
            state = info.state if info else "open"
            if combo.currentData() != state and not self.reasons[task.key].hasFocus():
                combo.blockSignals(True)
                combo.setCurrentIndex(list(TASK_STATES).index(state))
                combo.blockSignals(False)
            self.reasons[task.key].show_value(info.reason if info else "")
            self.remarks[task.key].show_value(info.remark if info else "")
            text = pick(task.text) + ("" if task.required else _(" (optional)"))
            if info is not None:
                text += "\n" + _("Last change: {when}, {who}").format(
                    when=format_datetime(info.entered_at, long=False,
                                         tz=self.ctrl.ctx.settings.timezone),
                    who=info.entered_by)
            cell(self.table, row, 0).setText(text)
        editable = view.status == "open"
        for widget in (*self.states.values(), *self.reasons.values(), *self.remarks.values()):
            widget.setEnabled(editable)
        self._fit_rows()
        if not any(self._lacks_reason(key) for key in self._keys):
            self.error.hide()  # a reload put back a state that needs no reason

    def showEvent(self, event: QShowEvent) -> None:
        """A stage page shown for the first time lays its columns out only now."""
        super().showEvent(event)
        self._refit.start()

    def _fit_rows(self) -> None:
        self.table.resizeRowsToContents()
        self._fit_height()

    def _lacks_reason(self, key: str) -> bool:
        return (self.states[key].currentData() == "not_applicable"
                and not self.reasons[key].text().strip())

    def _fit_height(self) -> None:
        rows = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        header = self.table.horizontalHeader()
        # The header's own height is not known before it is first laid out: ask its hint.
        self.table.setFixedHeight(max(header.height(), header.sizeHint().height()) + rows
                                  + 2 * self.table.frameWidth())

    def _build(self, tasks: tuple[Task, ...]) -> None:
        self.table.setRowCount(len(tasks))
        self._keys = [t.key for t in tasks]
        self.states.clear()
        self.reasons.clear()
        self.remarks.clear()
        for row, task in enumerate(tasks):
            item = QTableWidgetItem()
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, 0, item)
            combo = named(QComboBox(), f"task_{self.stage}_{task.key}_state")
            for key, label in TASK_STATES.items():
                combo.addItem(_(label), key)
            combo.currentIndexChanged.connect(lambda _i, k=task.key: self._state_picked(k))
            reason = named(AutosaveLine(), f"task_{self.stage}_{task.key}_reason")
            reason.save = lambda _text, k=task.key: self._store(k)
            remark = named(AutosaveLine(), f"task_{self.stage}_{task.key}_remark")
            remark.save = lambda _text, k=task.key: self._store(k)
            self.states[task.key], self.reasons[task.key] = combo, reason
            self.remarks[task.key] = remark
            self.table.setCellWidget(row, 1, combo)
            self.table.setCellWidget(row, 2, reason)
            self.table.setCellWidget(row, 3, remark)
        self.retranslate_headers()

    def retranslate_headers(self) -> None:
        if self.states:
            widest = max(combo.sizeHint().width() for combo in self.states.values())
            self.table.horizontalHeader().resizeSection(1, widest + 4)
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])

    def _state_picked(self, key: str) -> None:
        if self._lacks_reason(key):
            self._show_error(_("Give the reason why this task does not apply."))
            self.reasons[key].setFocus()
            return
        self._store(key)

    def _store(self, key: str) -> None:
        state = self.states[key].currentData()
        reason = self.reasons[key].text()
        if state == "not_applicable" and not reason.strip():
            # Stored once the reason is given; say so, or a remark would seem lost.
            self._show_error(_("Give the reason why this task does not apply."))
            self.reasons[key].setFocus()
            return
        remark = self.remarks[key].text()
        if not any(self._lacks_reason(k) for k in self._keys):
            self.error.hide()  # another task still waiting for its reason keeps the line
        stage = self.stage
        incident_id = self.ctrl.incident_id

        def store(db: Database, actor: Actor) -> None:
            from models.incidents.actions import set_task_state

            set_task_state(db, actor, incident_id, stage, key, state, reason, remark)

        self.ctrl.act(store, on_error=self._failed)

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, UserError):
            self._show_error(plain_message(exc))
        else:
            show_error(self, exc)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
