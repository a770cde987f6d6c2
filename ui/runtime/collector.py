"""Python's cyclic garbage collector runs on the GUI thread only.

Why (Anki and calibre do the same): CPython starts a collection on whichever thread happens
to allocate when a generation is due, and with SQLAlchemy on the database worker that is
mostly the worker thread. A collection there destroys every Python-owned Qt object that sits
in an unreachable reference cycle (a table model, an AppContext, a DbWorker, a parentless
dialog) on the wrong thread, while the GUI thread may be using what is connected to it. So
automatic collection is switched off, and a timer collects from the GUI thread's event loop,
generation by generation, when CPython itself would have.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

_THRESHOLDS = gc.get_threshold()


def collect_due() -> int:
    """Collect the generations whose counts passed CPython's thresholds, as the automatic
    collector would; returns the number of unreachable objects found. GUI thread only."""
    first, second, third = _THRESHOLDS
    count0, count1, count2 = gc.get_count()
    if count0 <= first:
        return 0
    generation = 0
    if count1 > second:
        generation = 2 if count2 > third else 1
    return gc.collect(generation)


class GarbageCollector(QObject):
    """Turns automatic collection off and runs ``collect_due`` every ``INTERVAL_MS`` on the
    thread it lives on. Created by ``install_garbage_collector``, child of the application."""

    INTERVAL_MS = 500

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.setObjectName("gui_thread_garbage_collector")
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(self.INTERVAL_MS)
        self._timer.timeout.connect(collect_due)
        self._timer.start()


def install_garbage_collector(app: QObject) -> GarbageCollector:
    """The application's collector, created on the first call; before any worker starts."""
    existing = app.findChild(GarbageCollector, "gui_thread_garbage_collector")
    return existing if existing is not None else GarbageCollector(app)
