"""The free-text fields of a stage form (models.incidents.kinds.FIELDS), each autosaved.

Widgets follow the field's kind: a line, a multi-line text, an event time, or the names of
attendees ticked from the roster (holder or deputy of each post).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from i18n import _, pick
from models.core.errors import UserError
from models.incidents.kinds import FIELDS
from ui.incidents.autosave import AutosaveLine, AutosaveText
from ui.incidents.controller import IncidentController
from ui.runtime.feedback import error_label, plain_message, show_error
from ui.runtime.naming import named
from ui.widgets.event_time import EventTimeEdit

if TYPE_CHECKING:
    from models.incidents.queries import IncidentView
    from models.org.people import Actor
    from models.storage.db import Database


def roster_names(view: IncidentView) -> list[str]:
    """Everyone on the roster the incident runs under: "post name" for holder and deputy,
    or the post alone while the roster has no name for it."""
    names: list[str] = []
    for member in view.playbook.team.members:
        post = pick(member.post)
        names.append(f"{post} {member.holder.name}" if member.holder.name else post)
        if member.deputy.name:
            names.append(post + " " + member.deputy.name + _(" (deputy)"))
    return names


class RosterPicker(QListWidget):
    """Attendees ticked from the roster; stored as one name per line."""

    def __init__(self, objectName: str) -> None:
        super().__init__()
        self.setObjectName(objectName)
        self.save: Callable[[str], None] | None = None
        self.itemChanged.connect(self._changed)
        self._filling = False
        self.setMaximumHeight(160)

    def show_names(self, all_names: Sequence[str], chosen_text: str) -> None:
        chosen = [n for n in chosen_text.splitlines() if n]
        self._filling = True
        try:
            self.clear()
            for name in dict.fromkeys([*all_names, *chosen]):
                item = QListWidgetItem(name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if name in chosen
                                   else Qt.CheckState.Unchecked)
                self.addItem(item)
        finally:
            self._filling = False

    def chosen(self) -> str:
        return "\n".join(self.item(i).text() for i in range(self.count())
                         if self.item(i).checkState() == Qt.CheckState.Checked)

    def _changed(self) -> None:
        if not self._filling and self.save is not None:
            self.save(self.chosen())


class StageFields(QWidget):
    """A form of the given FIELDS keys, saved field by field as the user types."""

    def __init__(self, ctrl: IncidentController, keys: Sequence[str]) -> None:
        super().__init__()
        self.ctrl = ctrl
        self.keys = list(keys)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.labels: dict[str, QLabel] = {}
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        for key in self.keys:
            spec = FIELDS[key]
            name = "field_" + key.replace(".", "_")
            widget: QWidget
            if spec.kind == "line":
                widget = named(AutosaveLine(), name)
                widget.save = lambda text, k=key: self._store(k, text)
            elif spec.kind == "names":
                widget = RosterPicker(name)
                widget.save = lambda text, k=key: self._store(k, text)
            elif spec.kind == "datetime":
                widget = EventTimeEdit(ctrl.ctx.settings.timezone, name=name)
                widget.setObjectName(name)
                for edit in (widget.date, widget.time):
                    # Leaving a field that still shows the clock stores nothing: only a time
                    # the user set, or Now pressed, is a time worth recording.
                    edit.editingFinished.connect(
                        lambda k=key, w=widget: None if w.following else self._store_time(k, w))
                widget.now_button.clicked.connect(lambda _c=False, k=key, w=widget:
                                                  self._store_time(k, w))
            else:
                widget = named(AutosaveText(), name)
                widget.setMinimumHeight(70)
                widget.save = lambda text, k=key: self._store(k, text)
            label = QLabel()
            error = error_label(name + "_error")
            self.labels[key], self.widgets[key], self.errors[key] = label, widget, error
            self.form.addRow(label, widget)
            self.form.addRow("", error)
        self.retranslate()

    def retranslate(self) -> None:
        for key, label in self.labels.items():
            label.setText(_(FIELDS[key].label))
        for widget in self.widgets.values():
            if isinstance(widget, EventTimeEdit):
                widget.retranslate()

    def show_view(self, view: IncidentView) -> None:
        names = roster_names(view)
        editable = view.status == "open"
        for key, widget in self.widgets.items():
            value = view.fields.get(key, "")
            if isinstance(widget, AutosaveLine | AutosaveText):
                widget.show_value(value)
                widget.setReadOnly(not editable)
            elif isinstance(widget, RosterPicker):
                if widget.chosen() != value or widget.count() == 0:
                    widget.show_names(names, value)
                widget.setEnabled(editable)
            elif isinstance(widget, EventTimeEdit):
                moment = view.time_field(key)
                focus = QApplication.focusWidget()
                if focus is not None and widget.isAncestorOf(focus):
                    pass  # never overwrite what the user is typing
                elif moment is not None:
                    widget.set_value(moment)
                elif not widget.following:
                    widget.set_now()
                widget.setEnabled(editable)

    def _store_time(self, key: str, widget: EventTimeEdit) -> None:
        stored = self.ctrl.view.fields.get(key, "") if self.ctrl.view else ""
        value = widget.value().isoformat()
        if value != stored:
            self._store(key, value)

    def _store(self, key: str, value: str) -> None:
        incident_id = self.ctrl.incident_id
        self.errors[key].hide()

        def store(db: Database, actor: Actor) -> None:
            from models.incidents.actions import set_field

            set_field(db, actor, incident_id, key, value)

        def failed(exc: Exception) -> None:
            if isinstance(exc, UserError):
                self.errors[key].setText(plain_message(exc))
                self.errors[key].show()
            else:
                show_error(self, exc)

        self.ctrl.act(store, on_error=failed)
