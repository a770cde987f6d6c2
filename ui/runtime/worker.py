"""The one database worker: every database call runs here, one at a time, off the GUI thread.

Why (Anki's taskman, Picard's run_task): SQLite work can take long on a busy disk, and the GUI
must never freeze during an incident. A single worker also serialises writes, so two actions
never race on the file. Results travel back to the GUI thread through a queued Qt signal;
callbacks therefore run on the GUI thread and may touch widgets. Functions given to ``run``
receive the Database and must return plain values (dataclasses), never ORM objects.

Why the worker thread never holds the last reference to anything the GUI gave it: a job's
function and callbacks are closures over widgets (``lambda units: self._show_units(...)``).
Whichever thread drops the last reference to a Python-owned widget runs its C++ destructor; on
the worker thread that tears a widget down while the GUI thread paints it, and the process
dies with a segmentation fault. The old design delivered the concurrent.futures Future itself;
the Future (with its done-callbacks, and so the on_done closure) stayed referenced by the
executor's work item until the worker thread got round to dropping it, which, when the GUI
thread had meanwhile handled the result and the test (or window) had let go of the widget,
was the last reference. So now every job lives in ``_jobs``, owned by the GUI thread; the
work item carries only the job's number, and the worker drops its own references before it
announces the result. The GUI thread removes the job when it delivers it (or at shutdown), so
closures, results and exceptions (whose tracebacks reference the closures' frames) always die
on the GUI thread.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot

if TYPE_CHECKING:
    from models.storage.db import Database

log = logging.getLogger(__name__)
T = TypeVar("T")


class _Released(Exception):
    """A job queued behind a successful ``run_released``: dropped without a message."""


@dataclass(eq=False)
class _Job:
    """One queued operation. Created, delivered and dropped on the GUI thread; the worker
    thread only runs ``call`` and stores ``outcome`` (ok, result or exception)."""

    name: str
    call: Callable[[], Any]
    on_done: Callable[[Any], object] | None  # what it returns is not used
    on_error: Callable[[Exception], None] | None
    outcome: tuple[bool, Any] | None = None


def receiver_deleted(callback: Callable[..., Any] | None, depth: int = 2) -> bool:
    """True for a callback tied to a Qt object whose C++ side is gone (a dialog closed with
    WA_DeleteOnClose, a screen closed, before the database answered): such a callback is not
    called, as Qt does not call a slot of a deleted receiver. Tied means a method of it, or a
    closure over it (``def shown(result): self.table...``), looked for *depth* closures deep."""
    receiver = getattr(callback, "__self__", None)
    if isinstance(receiver, QObject):
        return not shiboken6.isValid(receiver)
    for cell in getattr(callback, "__closure__", None) or ():
        try:
            value = cell.cell_contents
        except ValueError:  # a cell not filled yet
            continue
        if isinstance(value, QObject) and not shiboken6.isValid(value):
            return True
        if depth and callable(value) and receiver_deleted(value, depth - 1):
            return True
    return False


class DbWorker(QObject):
    """Runs database functions on one background thread.

    Call ``shutdown()`` before letting go of a worker: it waits for the thread, so nothing on
    it refers to the worker any more.

    Signals:
        finished(str): an operation with this name completed (successfully or not); tests and
            status displays wait on it instead of sleeping.
        failed(object): an operation raised and had no error callback; the main window shows
            it (ui/runtime/feedback.py show_error, which logs an unexpected one with its traceback).
        _deliver(object): internal, carries a finished job's number back to the GUI thread.
    """

    finished = Signal(str)
    failed = Signal(object)
    _deliver = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="crisisdesk-db")
        self._db: Database | None = None
        self._opener: Callable[[], Database] | None = None
        self._closed = False
        self._released = False
        self._tickets = itertools.count(1)
        self._jobs: dict[int, _Job] = {}
        self._connected = False

    @property
    def ready(self) -> bool:
        return self._db is not None and not self._released

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

        self._opener = opener
        self._submit("open", job, lambda _none: on_done(), on_error)

    def run_plain(
        self,
        name: str,
        fn: Callable[[], T],
        on_done: Callable[[T], object],
        on_error: Callable[[Exception], None],
    ) -> None:
        """Queue ``fn()``, which needs no open database, before ``open``: work that reads
        files directly while the database layer has not loaded yet (the playbook's first read
        at start). It runs on the worker all the same, so its result arrives like any job's."""
        self._submit(name, fn, on_done, on_error)

    def run(
        self,
        name: str,
        fn: Callable[[Database], T],
        on_done: Callable[[T], object] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        """Queue ``fn(db)``; ``on_done(result)`` or ``on_error(exc)`` runs on the GUI thread.

        A callback that is a method of, or a closure over, a Qt object deleted meanwhile is
        skipped (an error then goes to ``failed``, as one without a handler does)."""

        def job() -> T:
            if self._db is None:
                raise _Released() if self._released else RuntimeError("the database is not open")
            return fn(self._db)

        self._submit(name, job, on_done, on_error)

    def run_released(
        self,
        name: str,
        fn: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        """Close the database, then run ``fn()`` on the worker: work on the file itself that
        no connection may hold (a restore replaces it).

        From this call on ``ready`` is False, so nothing else (the sync) opens the file
        meanwhile. When ``fn`` succeeds the database stays closed and jobs queued after it
        are dropped: the window closes, and nothing of this session may write into the new
        file. When it fails, the database is opened again as it was and work goes on, unless
        its file is gone (``ready`` stays False: the window offers only the restore)."""
        self._released = True

        def job() -> T:
            path = self._db.path if self._db is not None else None
            if self._db is not None:
                self._db.close()
                self._db = None
            try:
                return fn()
            except BaseException:
                # Only the file that was open: one *fn* could not put back is not there, and
                # opening would make a new, empty database in its place.
                if path is not None and path.exists() and self._opener is not None:
                    try:
                        self._db = self._opener()
                    except Exception:  # the error of *fn* is the one to tell
                        log.exception("cannot open the database again after %s", name)
                raise

        def failed(exc: Exception) -> None:
            # Open again: work goes on. Not open (its file gone, or never opened): jobs
            # queued meanwhile or later are dropped as after a success, not failed one by one.
            self._released = self._db is None
            on_error(exc)

        self._submit(name, job, on_done, failed)

    def _submit(
        self,
        name: str,
        call: Callable[[], Any],
        on_done: Callable[[Any], object] | None,
        on_error: Callable[[Exception], None] | None,
    ) -> None:
        if self._closed:
            # The app is closing: a view that refreshes in reaction to the last results has
            # nothing left to show them in.
            log.debug("database operation %s dropped: the worker is shut down", name)
            return
        if not self._connected:
            # Queued even when the job is already done as it is submitted: results always
            # arrive from the event loop, on the GUI thread. Connected at the first job, not
            # when the worker is made before the window shows: the first read of Qt's
            # namespace creates all of its enum classes (about a hundred, 30-50 ms).
            from PySide6.QtCore import Qt

            self._deliver.connect(self._on_delivered, Qt.ConnectionType.QueuedConnection)
            self._connected = True
        ticket = next(self._tickets)
        self._jobs[ticket] = _Job(name, call, on_done, on_error)
        # Only the number crosses to the worker thread: the work item (which the executor
        # releases whenever its thread gets round to it) holds nothing of the GUI's.
        self._executor.submit(self._execute, ticket)

    def _execute(self, ticket: int) -> None:
        """Runs on the worker thread."""
        job = self._jobs[ticket]
        try:
            job.outcome = (True, job.call())
        except BaseException as exc:  # noqa: BLE001 - all of them: the GUI thread decides
            # Whoever logs it (ui/runtime/feedback.py) then says which operation it was.
            exc.add_note(f"in the database operation {job.name!r}")
            job.outcome = (False, exc)
        # Drop our reference before announcing: once the signal is posted, the GUI thread may
        # deliver the job and let go of it at any moment; its closures must not die here.
        del job
        self._deliver.emit(ticket)

    @Slot(object)
    def _on_delivered(self, ticket: int) -> None:
        job = self._jobs.pop(ticket, None)
        if job is None:
            return  # shut down before this result arrived: nobody is waiting for it any more
        assert job.outcome is not None
        ok, value = job.outcome
        try:
            if ok:
                if job.on_done is not None and not receiver_deleted(job.on_done):
                    job.on_done(value)
            elif not isinstance(value, Exception):
                raise value
            elif isinstance(value, _Released):
                log.debug("database operation %s dropped: the database was released", job.name)
            elif job.on_error is not None and not receiver_deleted(job.on_error):
                job.on_error(value)
            else:  # the window shows it (and logs it, when unexpected)
                self.failed.emit(value)
        finally:
            self.finished.emit(job.name)

    def shutdown(self) -> None:
        """Finish queued work (nothing entered is dropped), then close the database.

        Results that have not reached the GUI thread by then are not delivered: the windows
        they were for are closing. Their callbacks are released here, on the GUI thread."""

        def close() -> None:
            if self._db is not None:
                self._db.close()
                self._db = None

        self._executor.submit(close)
        self._closed = True
        self._executor.shutdown(wait=True)
        self._jobs.clear()
