"""The small dialogs that record one act on an incident (a notification, a level change, a
statement's review, an entry of a list): a form, a red line for what was refused, Save and
Cancel. Save runs the act on the worker; the dialog closes only when it is stored, and a
refusal is shown at its field with everything typed still there."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from ui.incidents.controller import IncidentController
from ui.runtime.feedback import error_label, show_at_field

if TYPE_CHECKING:
    from models.org.people import Actor
    from models.storage.db import Database


class ActDialog(QDialog):
    def __init__(self, ctrl: IncidentController, parent: QWidget, name: str,
                 title: str) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}_dialog")
        self.ctrl = ctrl
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = error_label(f"{name}_error")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def store(self, act: Callable[[Database, Actor], Any],
              fields: Mapping[str, QWidget]) -> None:
        """Run *act*; close when it is stored, else show the refusal at the field named in
        *fields* (a ValidationError's field -> its widget)."""

        def failed(exc: Exception) -> None:
            self.buttons.setEnabled(True)
            show_at_field(self, exc, self.error, fields)
            self.error.show()
            self.refused(exc)

        self.buttons.setEnabled(False)
        self.ctrl.act(act, lambda _result: QDialog.accept(self), failed)

    def refused(self, exc: Exception) -> None:
        """After a refusal is shown: a dialog that shows stored data may read it again."""
