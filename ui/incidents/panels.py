"""Sections of stages 2 and 3: the confirmation of the decided plan, and time-stamped entries
(progress reports, 回報) added over time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from i18n import _
from i18n.formatting import format_datetime
from models.incidents.kinds import CONFIRMERS
from models.org.people import Permission
from models.incidents.timeline import Written
from ui.incidents.controller import IncidentController
from ui.runtime.feedback import error_label, show_at_field
from ui.runtime.naming import named
from ui.widgets.event_time import EventTimeEdit

if TYPE_CHECKING:
    from models.incidents.queries import IncidentView
    from models.org.people import Actor
    from models.storage.db import Database


class ConfirmPanel(QWidget):
    """Stage 2 ends with the plan confirmed by the commander or the executive secretary."""

    def __init__(self, ctrl: IncidentController) -> None:
        super().__init__()
        self.setObjectName("confirm")
        self.ctrl = ctrl
        self.state = named(QLabel(), "confirm_state")
        self.state.setWordWrap(True)
        self.role = named(QComboBox(), "confirm_role")
        for key in CONFIRMERS:
            self.role.addItem("", key)
        self.name = named(QLineEdit(), "confirm_name")
        self.when = EventTimeEdit(ctrl.ctx.settings.timezone, name="confirm_when")
        self.button = named(QPushButton(), "confirm_button")
        self.button.clicked.connect(self.confirm)
        self.error = error_label("confirm_error")
        self.role_label, self.name_label, self.when_label = QLabel(), QLabel(), QLabel()
        self.form = QFormLayout()
        self.form.addRow(self.role_label, self.role)
        self.form.addRow(self.name_label, self.name)
        self.form.addRow(self.when_label, self.when)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.state)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.button)

    def retranslate(self) -> None:
        for i, key in enumerate(CONFIRMERS):
            self.role.setItemText(i, _(CONFIRMERS[key]))
        self.role_label.setText(_("Confirmed by"))
        self.name_label.setText(_("Full name"))
        self.when_label.setText(_("Time"))
        self.when.retranslate()
        self.button.setText(_("Confirm the plan"))

    def show_view(self, view: IncidentView) -> None:
        f = view.fields
        confirmed_at = view.time_field("s2.confirmed_at")
        if f.get("s2.confirmed_by_name"):
            text = _("Confirmed by {role} {name} at {when}.").format(
                role=_(CONFIRMERS.get(f.get("s2.confirmed_by_role", ""), "")),
                name=f["s2.confirmed_by_name"],
                when=format_datetime(confirmed_at, tz=self.ctrl.ctx.settings.timezone)
                if confirmed_at else "")
            recorder = view.confirmation_recorder()
            if recorder:
                text += " " + _("Recorded by {name}.").format(name=recorder)
            self.state.setText(text)
        else:
            self.state.setText(_("The plan is not confirmed yet."))
        self.button.setEnabled(view.status == "open")

    def reset(self) -> None:
        """Empty, for a confirmation given by phone; the commander or the executive secretary
        at this PC confirm as themselves."""
        actor = self.ctrl.ctx.actor
        if actor.may(Permission.CONFIRM_PLAN):
            self.role.setCurrentIndex(max(0, self.role.findData(actor.role.value)))
            self.name.setText(actor.name)
        else:
            self.name.clear()
        self.when.set_now()
        self.error.hide()

    def confirm(self) -> None:
        role, name, at = self.role.currentData(), self.name.text(), self.when.value()
        incident_id = self.ctrl.incident_id
        self.error.hide()

        def store(db: Database, actor: Actor) -> None:
            from models.incidents.actions import confirm_plan

            confirm_plan(db, actor, incident_id, role, name, at)

        def failed(exc: Exception) -> None:
            show_at_field(self, exc, self.error,
                          {"confirmed_by_name": self.name, "confirmed_at": self.when})
            self.error.show()

        self.ctrl.act(store, on_error=failed)


class EntryPanel(QWidget):
    """Time-stamped entries of one kind ('report': progress reports; 'note': free notes),
    listed oldest first, with a field to add one."""

    def __init__(self, ctrl: IncidentController, kind: str) -> None:
        super().__init__()
        self.setObjectName(f"entries_{kind}")
        self.ctrl, self.kind = ctrl, kind
        self.list = named(QListWidget(), f"entries_{kind}_list")
        self.list.setWordWrap(True)
        self.text = named(QPlainTextEdit(), f"entries_{kind}_text")
        self.text.setTabChangesFocus(True)
        self.text.setMaximumHeight(80)
        self.when = EventTimeEdit(ctrl.ctx.settings.timezone, name=f"entries_{kind}_when")
        self.add = named(QPushButton(), f"entries_{kind}_add")
        self.add.clicked.connect(self.submit)
        self.error = error_label(f"entries_{kind}_error")
        # The time above its button, not beside it: side by side they made the timeline pane
        # (and so the stage form beside it) at least 383 pixels wide.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.add)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addWidget(self.text)
        layout.addWidget(self.when)
        layout.addLayout(row)
        layout.addWidget(self.error)

    def retranslate(self) -> None:
        self.when.retranslate()
        self.add.setText(_("Add report") if self.kind == "report" else _("Add note"))
        self.text.setPlaceholderText(
            _("What has been done, and what is the situation now?") if self.kind == "report"
            else _("A note for the timeline"))

    def show_view(self, view: IncidentView) -> None:
        tz = self.ctrl.ctx.settings.timezone
        line = _("{when} {who}: {text}")
        self.list.clear()
        # A long incident has a thousand reports: the list is filled in one call.
        self.list.addItems([
            line.format(when=format_datetime(entry.event_at, long=False, tz=tz),
                        who=entry.author, text=entry.what.text)
            for entry in view.timeline
            if isinstance(entry.what, Written) and entry.kind == self.kind])
        editable = view.status == "open"
        self.text.setEnabled(editable)
        self.add.setEnabled(editable)

    def reset(self) -> None:
        """A newly opened incident starts with an empty entry, timed now."""
        self.text.clear()
        self.when.set_now()
        self.error.hide()

    def submit(self) -> None:
        text, at, kind = self.text.toPlainText(), self.when.value(), self.kind
        incident_id = self.ctrl.incident_id
        self.error.hide()
        self.add.setEnabled(False)  # one click, one entry

        def store(db: Database, actor: Actor) -> None:
            from models.incidents.actions import add_entry

            add_entry(db, actor, incident_id, kind, text, at)

        def done(_result: object) -> None:
            self.add.setEnabled(True)
            if self.text.toPlainText() == text:  # not what was typed meanwhile
                self.reset()

        def failed(exc: Exception) -> None:
            self.add.setEnabled(True)
            show_at_field(self, exc, self.error, {"text": self.text, "event_at": self.when})
            self.error.show()

        self.ctrl.act(store, done, failed)
