"""Screens that reload when their data changes, but only while someone looks at them.

Every autosave of an incident announces a change; a hidden screen that reloaded each time
would keep the one database worker busy for nothing. A hidden screen only notes that it is
stale and loads when it is shown again."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget


class ReloadsWhenShown(QWidget):
    """Subclasses define `load()` and call `reload()` when their data changed."""

    _stale = False

    def load(self) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        if self.isVisible():
            self.load()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.load()
