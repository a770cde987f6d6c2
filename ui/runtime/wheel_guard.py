"""The mouse wheel scrolls the page; it never changes a field the user has not chosen.

Why: Qt lets a spin box, a date or time field, a combo box or a slider take wheel events as
soon as the pointer is over it, and even take the focus from the wheel. On a long stage page
that is scrolled with the wheel, the field that passes under the pointer changes: a walk-through
found 結束時間 turned to 民國104年 and 類別 and 等級 changed while the user only scrolled.

One application-wide event filter fixes every such widget, in every screen and dialog, present
and future: when a widget is polished its focus policy loses "wheel" (so the wheel cannot give
it the focus), and a wheel event over it while it does not have the focus is left to its
parents, which scroll. A field the user clicked or tabbed into still steps with the wheel.

The cost of a Python filter on every event of the application, measured on the 2-core test
machine: 1.7 µs an event instead of 0.35 µs, about 1 % of the GUI thread at 10,000 events a
second, far more than a window sees when nobody is dragging.
"""

from __future__ import annotations

from typing import TypeGuard

from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import (
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QScrollBar,
    QWidget,
)
from shiboken6 import isValid

_GUARDED = (QAbstractSpinBox, QComboBox, QAbstractSlider)


def _guarded(obj: QObject) -> TypeGuard[QWidget]:
    # Scroll bars are sliders, and scrolling is exactly what the wheel is for.
    return isinstance(obj, _GUARDED) and not isinstance(obj, QScrollBar)


class WheelGuard(QObject):
    """The filter; install it once with install_wheel_guard()."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind == QEvent.Type.Polish and _guarded(watched):
            # QtCore.Qt, read here: the guard is installed before the window shows, which
            # reads nothing of Qt's namespace (ui/main_window.py's _FOREGROUND_ROLE says why).
            policy = watched.focusPolicy()
            if policy == QtCore.Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        elif kind == QEvent.Type.Wheel and _guarded(watched) and not watched.hasFocus():
            # Ignored and filtered: Qt hands the event on to the parent (the scroll area).
            event.ignore()
            return True
        return False


_installed: list[WheelGuard] = []
"""The filter installed, if any (not found with app.findChild: that gives every child of the
application a Python wrapper, the style among them, whose class and enums PySide then
creates, about 10 ms at start)."""


def install_wheel_guard(app: QCoreApplication | None = None) -> WheelGuard:
    """Install the filter on *app*, the running application by default (once; a second
    call returns the first filter).

    The window installs it once its frame is built (ui/app.py says why), the first-run
    dialog before it opens: before any field it guards exists."""
    app = app or QCoreApplication.instance()
    assert app is not None, "the application is created first"
    existing = next((g for g in _installed if isValid(g) and g.parent() is app), None)
    if existing is not None:
        return existing
    guard = WheelGuard(app)
    app.installEventFilter(guard)
    _installed[:] = [guard]
    return guard
