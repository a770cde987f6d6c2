"""Background sync for the window: on a timer, on demand, and soon after each save.

The run happens in a thread of its own with its own database connection, never on the GUI
thread and never on the database worker: a shared folder that hangs would otherwise stall
every save behind it (models/sync/folder.py gives up on it after a time-out). The window is
told through signals; the views reload what a run brought in (one ``ctx.data_changed`` with
the kinds of the tables it received, as an Op announces an act's).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from models.core.changes import Change
from models.org.people import Permission
from ui.runtime import jobs
from ui.runtime.context import AppContext
from ui.runtime.ops import Op

if TYPE_CHECKING:
    from models.storage.db import Database
    from models.sync.run import SyncReport

log = logging.getLogger(__name__)

INTERVAL_MS = 120_000
AFTER_SAVE_MS = 5_000

class SyncController(QObject):
    """Signals:
        running(): a run started.
        finished(object): a run ended with this SyncReport (None: skipped, nothing to do).
    """

    running = Signal()
    finished = Signal(object)
    _done = Signal(object)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last: SyncReport | None = None
        self.busy = False
        self._again = False
        self._closing = False
        self._db: Database | None = None
        self._lock = threading.Lock()
        self._timer = QTimer(self, interval=INTERVAL_MS)
        self._timer.timeout.connect(self.sync_now)
        self._soon = QTimer(self, singleShot=True, interval=AFTER_SAVE_MS)
        self._soon.timeout.connect(lambda: self.sync_now(only_if_unsent=True))
        self._done.connect(self._on_done)
        ctx.database_ready.connect(self._start)
        ctx.settings_changed.connect(self._start)
        ctx.worker.finished.connect(self._after_job)
        ctx.sync_requested.connect(self.sync_now)

    def _after_job(self, _name: str) -> None:
        """A database job ended (perhaps a save): sync soon, once typing has paused."""
        if self.folder is not None:
            self._soon.start()

    @property
    def folder(self) -> Path | None:
        configured = self.ctx.settings.share_folder
        return Path(configured) if configured else None

    def _start(self) -> None:
        if self.folder is None:
            self._timer.stop()
            return
        self._timer.start()
        self.sync_now()

    def sync_now(self, only_if_unsent: bool = False) -> None:
        """Start a run now (or right after the one under way)."""
        folder = self.folder
        if folder is None or self._closing or not self.ctx.worker.ready:
            return
        if self.busy:
            self._again = True
            return
        self.busy = True
        self.running.emit()
        threading.Thread(target=self._run, args=(folder, only_if_unsent), daemon=True,
                         name="sync").start()

    def _run(self, folder: Path, only_if_unsent: bool) -> None:
        """In the sync thread."""
        from models.core.errors import UserError
        from models.org.units import unit_name_zh
        from models.schema import RULES
        from models.sync.run import SyncReport, has_unsent, sync_once
        from models.sync.status import UNEXPECTED, log_report

        report: SyncReport | None
        with self._lock:
            try:
                if self._db is None:
                    from models.startup import open_database
                    from models.storage.names import DATABASE_FILE

                    self._db = open_database(self.ctx.data_dir / DATABASE_FILE)
                if only_if_unsent and not has_unsent(self._db):
                    report = None
                else:
                    settings = self.ctx.settings
                    unit = unit_name_zh(self._db, settings.office_code, settings.unit_key)
                    report = sync_once(self._db, folder, RULES, person=settings.user_name,
                                       unit=unit, role=settings.role)
            except UserError as exc:  # opening the database: damaged, refused, disk full
                log.warning("sync run with %s refused: %s", folder, exc.message())
                report = SyncReport(folder=str(folder), error=exc.message())
            except Exception:  # a fault of ours: the run ends, the window goes on
                log.exception("sync run with %s failed", folder)
                report = SyncReport(folder=str(folder), reachable=False, error=UNEXPECTED)
        if report is not None:
            log_report(report)
        if not self._closing:
            self._done.emit(report)

    def _on_done(self, report: SyncReport | None) -> None:
        self.busy = False
        if report is not None:
            self.last = report
            if report.standing is not None:  # an enrolment may have arrived
                self.ctx.set_standing(report.standing)
            if report.changes:  # the views reload what the run brought in, as after an act
                self.ctx.data_changed.emit(report.changes)
            if report.changes.touches(Change.DRILLS):
                self._settle_signatures()
        self.finished.emit(report)
        if self._again:
            self._again = False
            self.sync_now()

    def _settle_signatures(self) -> None:
        """On a signer's PC, lock what both signers signed at once on their own PCs
        (models.drills.reports.actions.settle_signatures); the lock goes out at the next run."""
        actor = self.ctx.actor
        if actor.may(Permission.SIGN_OFF):
            Op(self.ctx, "settle_signatures",
               lambda db: jobs.settle_signatures(db, actor)).run()

    def close_database(self, timeout: float = 10.0) -> None:
        """Close this PC's sync connection, from any thread (the worker, before a restore
        replaces the file); the next run opens it again. A run still holding it after
        *timeout* seconds (a hanging share) keeps it: the restore then finds the database in
        use and refuses, which changes nothing."""
        if self._lock.acquire(timeout=timeout):
            self._close_locked()

    def shutdown(self) -> None:
        """Stop the timers; close the connection unless a run still holds it (a run stuck
        on a hanging share is left to its daemon thread)."""
        self._closing = True
        self._timer.stop()
        self._soon.stop()
        if self._lock.acquire(blocking=False):
            self._close_locked()

    def _close_locked(self) -> None:
        """Close the connection, with the lock acquired; release the lock."""
        try:
            if self._db is not None:
                self._db.close()
                self._db = None
        finally:
            self._lock.release()
