"""How a failed action is told to the user: at the field when we know which, else in a box.

An error the app did not expect is never shown as it is: its text is Python's, in English, and
means nothing to a unit head in the middle of an incident. It goes to the log with its
traceback (models/core/logs.py) and the user reads a short message that sends IT staff there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from i18n import _
from models.core.errors import UserError, ValidationError
from models.core.logs import install_excepthooks
from ui.runtime.naming import named

log = logging.getLogger(__name__)

ERROR_STYLE = "color: #b00020;"
"""The colour of an error message beside a field (and of a field's frame: FIELD_ERROR_STYLE)."""
FIELD_ERROR_STYLE = "border: 1px solid #b00020;"


def error_label(name: str) -> QLabel:
    """The hidden red label beside a form that shows why an entry was refused."""
    label = named(QLabel(), name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def plain_message(exc: UserError) -> str:
    """The message without a ValidationError's field name: beside its own field, the name
    ("reason", "team.members[3].post.zh_TW") only gets in the way."""
    return UserError.message(exc)


def unexpected_message() -> str:
    return _("CrisisDesk ran into an unexpected problem. What was saved before is kept. The "
             "details are in the log for your IT staff: Help ▸ Open the log folder.")


def error_text(exc: Exception) -> str:
    """What the user reads about *exc*: a user error's message; anything else is logged
    with its traceback and reads as unexpected_message()."""
    if isinstance(exc, UserError):
        return exc.message()
    log.error("unexpected error shown to the user", exc_info=exc)
    return unexpected_message()


def show_critical(parent: QWidget | None, title: str, text: str) -> None:
    """A box that stops the user: what went wrong that they must know before going on.

    QMessageBox is imported here, not before the window's show: PySide makes its Python type
    and five enums when it is first named, 1 ms of every start that shows no box
    (docs/benchmarks.md, issue 16)."""
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(parent, title, text)


def show_unexpected(parent: QWidget | None, title: str | None = None) -> None:
    show_critical(parent, title or _("Unexpected error"), unexpected_message())


def show_error(parent: QWidget | None, exc: Exception, title: str | None = None) -> None:
    """A user error reads as its message; anything else is logged and shown as unexpected.
    *title* names the action that failed ("Export all records"), for a box the user may meet
    long after starting it; without one the box says "Could not be done" or "Unexpected error"."""
    if isinstance(exc, UserError):
        from PySide6.QtWidgets import QMessageBox  # not before the show (show_critical)

        QMessageBox.warning(parent, title or _("Could not be done"), exc.message())
    else:
        error_text(exc)
        show_unexpected(parent, title)


class _UnexpectedErrors(QObject):
    """Carries "an exception nobody caught" from any thread to the GUI thread, where the box
    is shown from the event loop (not inside the paint or the slot that raised). One box at a
    time: a fault that repeats (in every paint, say) is logged each time, shown once."""

    caught = Signal()

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._showing = False
        # From another thread the signal arrives queued, from this one at once; either way
        # the box waits for the event loop's next turn. Not an explicit queued connection:
        # that reads Qt's namespace, whose first read creates all of its enum classes (30-50
        # ms), and this is made before the window shows.
        self.caught.connect(self._later)

    @Slot()
    def _later(self) -> None:
        QTimer.singleShot(0, self._show)

    def _show(self) -> None:
        if self._showing:
            return
        self._showing = True
        try:
            show_unexpected(QApplication.activeWindow())
        finally:
            self._showing = False


def report_unexpected_errors(app: QApplication) -> Callable[[], None]:
    """Install sys.excepthook and threading.excepthook for the window: the traceback to the
    log, a short translated box to the user. Returns a function that removes them."""
    bridge = _UnexpectedErrors(app)
    restore = install_excepthooks(bridge.caught.emit)

    def remove() -> None:
        restore()
        bridge.deleteLater()

    return remove


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
