"""The one database worker: every database call runs here, one at a time, off the GUI thread.

Why (Anki's taskman, Picard's run_task): SQLite work can take long on a busy disk, and the GUI
must never freeze during an incident. A single worker also serialises writes, so two actions
never race on the file. Results travel back to the GUI thread through a queued Qt signal;
callbacks therefore run on the GUI thread and may touch widgets. Functions given to ``run``
receive the Database and must return plain values (dataclasses), never ORM objects.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

if TYPE_CHECKING:
    from models.db import Database

log = logging.getLogger(__name__)
T = TypeVar("T")


class DbWorker(QObject):
    """Runs database functions on one background thread.

    Signals:
        finished(str): an operation with this name completed (successfully or not); tests and
            status displays wait on it instead of sleeping.
        failed(object): an operation raised and had no error callback; the main window shows it.
        _deliver(object): internal, carries a finished future back to the GUI thread.
    """

    finished = Signal(str)
    failed = Signal(object)
    _deliver = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="crisisdesk-db")
        self._db: Database | None = None
        self._closed = False
        # Queued even when the job is already done as it is submitted (the callback then runs
        # on the GUI thread inside run()): results always arrive from the event loop.
        self._deliver.connect(self._on_delivered, Qt.ConnectionType.QueuedConnection)

    @property
    def ready(self) -> bool:
        return self._db is not None

    def open(
        self,
        opener: Callable[[], Database],
        on_done: Callable[[], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        """Open the database on the worker; nothing else runs before it is open. The
        Database object stays on the worker."""

        def job() -> None:
            self._db = opener()

        self._submit("open", job, lambda _none: on_done(), on_error)

    def run(
        self,
        name: str,
        fn: Callable[[Database], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        """Queue ``fn(db)``; ``on_done(result)`` or ``on_error(exc)`` runs on the GUI thread."""

        def job() -> T:
            if self._db is None:
                raise RuntimeError("the database is not open")
            return fn(self._db)

        self._submit(name, job, on_done, on_error)

    def _submit(
        self,
        name: str,
        job: Callable[[], Any],
        on_done: Callable[[Any], None] | None,
        on_error: Callable[[Exception], None] | None,
    ) -> None:
        if self._closed:
            # The app is closing: a view that refreshes in reaction to the last results has
            # nothing left to show them in.
            log.debug("database operation %s dropped: the worker is shut down", name)
            return
        future = self._executor.submit(job)
        future.add_done_callback(lambda f: self._deliver.emit((name, f, on_done, on_error)))

    @Slot(object)
    def _on_delivered(self, payload: tuple[Any, ...]) -> None:
        name, future, on_done, on_error = payload
        assert isinstance(future, Future)
        try:
            exc = future.exception()
            if exc is None:
                if on_done is not None:
                    on_done(future.result())
            elif not isinstance(exc, Exception):
                raise exc
            elif on_error is not None:
                on_error(exc)
            else:
                log.error("database operation %s failed", name, exc_info=exc)
                self.failed.emit(exc)
        finally:
            self.finished.emit(name)

    def shutdown(self) -> None:
        """Finish queued work (nothing entered is dropped), then close the database."""

        def close() -> None:
            if self._db is not None:
                self._db.close()
                self._db = None

        self._executor.submit(close)
        self._closed = True
        self._executor.shutdown(wait=True)
