"""Text fields that store themselves as the user types (autosave).

A pause in typing (or leaving the field) sends the text to the database worker; nothing waits
for a Save button, so a crash or a killed app loses at most the last keystrokes. A field the
user is working in (focused, or holding typing not yet stored) is never overwritten by a
reload; otherwise it shows what is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

PAUSE_MS = 400
"""How long typing must pause before the text is stored."""


class _Autosave:
    """The shared behaviour; mixed into a line edit and a multi-line edit."""

    save: Callable[[str], None] | None

    hasFocus: Any

    def _setup(self) -> None:
        self.save = None
        self._stored = ""
        # The mixin is always mixed into a QWidget (AutosaveLine, AutosaveText).
        self._timer = QTimer(self)  # type: ignore[arg-type]
        self._timer.setSingleShot(True)
        self._timer.setInterval(PAUSE_MS)
        self._timer.timeout.connect(self.flush)

    def text_value(self) -> str:
        raise NotImplementedError

    def _set_text(self, text: str) -> None:
        raise NotImplementedError

    def _edited(self) -> None:
        self._timer.start()

    def flush(self) -> None:
        """Store the text now if it changed (also called when focus leaves the field)."""
        self._timer.stop()
        text = self.text_value()
        if text != self._stored and self.save is not None:
            self._stored = text
            self.save(text)

    def show_value(self, text: str) -> None:
        """Show the stored *text*, unless the user is working in the field: while it has the
        focus or holds typing not yet stored, a reload (which may predate the last save)
        never replaces what is there. The domain stores text stripped at both ends, so a
        difference only there is no difference."""
        dirty = self._timer.isActive() or self.text_value().strip() != self._stored.strip()
        self._stored = text
        if dirty or self.hasFocus():
            return
        if self.text_value().strip() != text.strip():
            self._set_text(text)

    def revert(self, text: str) -> None:
        """Show *text* whatever was typed (after a refused save)."""
        self._timer.stop()
        self._stored = text
        self._set_text(text)


class AutosaveLine(QLineEdit, _Autosave):
    def __init__(self, parent: QWidget | None = None, objectName: str = "") -> None:
        super().__init__(parent)
        self.setObjectName(objectName)
        self._setup()
        self.textEdited.connect(self._edited)
        self.editingFinished.connect(self.flush)

    def text_value(self) -> str:
        return self.text()

    def _set_text(self, text: str) -> None:
        self.setText(text)


class AutosaveText(QPlainTextEdit, _Autosave):
    def __init__(self, parent: QWidget | None = None, objectName: str = "") -> None:
        super().__init__(parent)
        self.setObjectName(objectName)
        self._setup()
        self.setTabChangesFocus(True)
        self.textChanged.connect(self._on_changed)
        self._setting = False

    def _on_changed(self) -> None:
        if not self._setting:
            self._edited()

    def text_value(self) -> str:
        return self.toPlainText()

    def _set_text(self, text: str) -> None:
        self._setting = True
        try:
            self.setPlainText(text)
        finally:
            self._setting = False

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.flush()
        super().focusOutEvent(event)
