"""Run a function once a widget has painted, not before.

Why: new content (the playbook's text at start) reaches the screen only when Qt gets round
to painting it, after the text document is laid out and the window's update request comes;
heavy work started from a zero-time timer (building the other screens) ran before that and
kept the content off the screen until it was done. Waiting for the widget's own paint event
is the one order that holds.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _PaintWatch(QObject):
    """Calls *fn* from the event loop once *widget* has painted, then goes."""

    def __init__(self, widget: QWidget, fn: Callable[[], object]) -> None:
        super().__init__(widget)
        self._fn = fn
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self.deleteLater()
            QTimer.singleShot(0, self._fn)  # after this paint is done
        return False


def after_paint(widget: QWidget, fn: Callable[[], object]) -> None:
    """Call *fn* once *widget* has next painted. Never, if it does not paint (hidden,
    minimised) or is deleted first: the caller has its own way on for that case."""
    _PaintWatch(widget, fn)
    widget.update()
