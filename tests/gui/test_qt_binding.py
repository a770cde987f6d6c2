"""The installed Qt binding must not leak references to None/True/False.

PySide6 6.12.0 on Python 3.11 drops a reference to None on every call of a Qt method that
returns nothing, and one to True on every signal emitted from Python; after enough calls a
long session aborts with "none_dealloc". pyproject.toml keeps that combination out; this test
fails if it ever comes back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLineEdit


class _Emitter(QObject):
    fired = Signal()


def test_void_qt_calls_and_signals_keep_reference_counts(qtbot) -> None:  # type: ignore[no-untyped-def]
    edit = QLineEdit()
    qtbot.addWidget(edit)
    emitter = _Emitter()
    before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(500):
        edit.setEnabled(True)
        emitter.fired.emit()
    assert (sys.getrefcount(None), sys.getrefcount(True)) == before
