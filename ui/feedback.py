"""How a failed action is told to the user: at the field when we know which, else in a box."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from i18n import _
from models.errors import UserError, ValidationError

ERROR_STYLE = "color: #b00020;"
"""The colour of an error message beside a field (and of a field's frame: FIELD_ERROR_STYLE)."""
FIELD_ERROR_STYLE = "border: 1px solid #b00020;"


def error_label(name: str) -> QLabel:
    """The hidden red label beside a form that shows why an entry was refused."""
    label = QLabel(objectName=name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def plain_message(exc: UserError) -> str:
    """The message without a ValidationError's field name: beside its own field, the name
    ("reason", "team.members[3].post.zh_TW") only gets in the way."""
    return UserError.message(exc)


def show_error(parent: QWidget, exc: Exception) -> None:
    """A user error reads as its message; anything else as an unexpected fault."""
    if isinstance(exc, UserError):
        QMessageBox.warning(parent, _("Not done"), exc.message())
    else:
        QMessageBox.critical(parent, _("Unexpected error"),
                             _("The action failed unexpectedly: {error}").format(error=exc))


def show_at_field(
    parent: QWidget, exc: Exception, label: QLabel, fields: Mapping[str, QWidget]
) -> None:
    """Put a validation message in *label* and focus the field it names; other errors go to
    show_error. *fields* maps a ValidationError.field to its widget."""
    if isinstance(exc, ValidationError):
        widget = fields.get(exc.field)
        # Beside its own field the message needs no field name; a document path (from an
        # import or the content editor) is kept, since it is how the user finds the place.
        label.setText(plain_message(exc) if widget is not None else exc.message())
        label.show()
        if widget is not None:
            widget.setFocus()
        return
    show_error(parent, exc)
