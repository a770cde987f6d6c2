"""The dialog of an inject added while a drill runs: its offset, sender, recipient and
message, and whether it goes out at once. Refused input is shown at its field, with what was
typed kept (models.live_drills.actions.add_inject checks it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from i18n import _
from ui.runtime.feedback import error_label, show_at_field
from ui.runtime.naming import named
from ui.runtime.ops import Op

if TYPE_CHECKING:
    from models.storage.db import Database
    from ui.runtime.context import AppContext


class AddInjectDialog(QDialog):
    """Closes once the inject is stored; the control view reloads on the act's changes."""

    def __init__(self, ctx: AppContext, drill_id: str, offset: int, parent: QWidget) -> None:
        from models.drills.scenarios import MAX_OFFSET_MINUTES

        super().__init__(parent)
        self.setObjectName("add_inject_dialog")
        self.setWindowTitle(_("Add an inject"))
        self.ctx, self.drill_id = ctx, drill_id
        self.offset = named(QSpinBox(), "inject_offset")
        self.offset.setRange(0, MAX_OFFSET_MINUTES)
        self.offset.setValue(min(offset, MAX_OFFSET_MINUTES))
        self.offset.setSuffix(" " + _("min"))
        self.sender_edit = named(QLineEdit(), "inject_sender")
        self.recipient_edit = named(QLineEdit(), "inject_recipient")
        self.message = named(QPlainTextEdit(), "inject_message")
        self.message.setTabChangesFocus(True)
        self.release_now = named(QCheckBox(_("Release it now")), "inject_release_now")
        self.error = error_label("inject_error")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("Minutes after the start"), self.offset)
        form.addRow(_("Sender"), self.sender_edit)
        form.addRow(_("Recipient"), self.recipient_edit)
        form.addRow(_("Message"), self.message)
        form.addRow("", self.release_now)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(480, 320)

    def accept(self) -> None:
        from models.live_drills.actions import InjectDraft

        draft = InjectDraft(self.offset.value(), self.sender_edit.text(),
                            self.recipient_edit.text(), self.message.toPlainText())
        release_now, actor, drill_id = self.release_now.isChecked(), self.ctx.actor, self.drill_id

        def add(db: Database) -> str:
            from models.live_drills.actions import add_inject

            return add_inject(db, actor, drill_id, draft, release_now=release_now)

        def failed(exc: Exception) -> None:
            self.buttons.setEnabled(True)
            show_at_field(self, exc, self.error, {
                "offset_minutes": self.offset, "sender": self.sender_edit,
                "recipient": self.recipient_edit, "message": self.message})
            self.error.show()

        self.buttons.setEnabled(False)
        self.error.hide()
        Op(self.ctx, "add_inject", add, parent=self).on_done(
            lambda _id: QDialog.accept(self)).on_error(failed).run()
