"""Background sync for the window: on a timer, on demand, and soon after each save.

A run happens in a process of its own, ``main.py sync --report FILE`` (the same program, as
the frozen bundle is too): in a thread of the window's process it held Python's lock, and
the garbage collector's work on what it made, for long stretches while it imported thousands
of changes, and the window froze meanwhile. The process is started and watched with QProcess,
whose signals arrive on the GUI thread: nothing here waits on it, on the database or on the
shared folder (which may hang; models/sync/folder.py gives up on it after a time-out). The run
writes its report to a file the window reads back checked (models/sync/report_json.py); a
process that dies, or leaves anything but a report, gives the "unexpected problem" status and
a log entry. The views reload what a run brought in (one ``ctx.data_changed`` with the kinds
of the tables it received, as an Op announces an act's).

The window's database worker stays the one writer the window waits on; the sync process is a
second connection to the same file, as a scheduled ``main.py sync`` is (SQLite's WAL and busy
time-out, models/storage/db.py, make each wait for the other's transaction).
"""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
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
    from models.org.settings import Settings
    from models.storage.db import Database
    from models.sync.enrolment import Me
    from models.sync.run import SyncReport
    from ui.sync.process import SyncProcess

log = logging.getLogger(__name__)

INTERVAL_MS = 120_000
AFTER_SAVE_MS = 5_000
KILL_WAIT_MS = 2_000
"""How long closing the window waits for a killed sync process to be gone."""
UNSENT_JOB, REPORT_JOB, STANDING_JOB = "sync_unsent", "sync_report", "sync_standing"
"""The controller's own reads on the worker: no save, so no reason to sync soon after."""
MAIN_SCRIPT = Path(__file__).resolve().parents[2] / "main.py"
REPORT_FILE = "report.json"


def sync_command(data_dir: Path, folder: Path, settings: Settings,
                 report: Path) -> tuple[str, list[str]]:
    """The program and arguments of one run: this very program with the sync command, from
    the sources (``python main.py``) or frozen (the bundle's executable is the app itself,
    which runs a command without opening a window, or a console on Windows). The person, unit
    and role this PC's request to join names are the window's settings, as they are now;
    ``--name=value`` keeps a value starting with "-" from reading as an option."""
    head = [] if getattr(sys, "frozen", False) else [str(MAIN_SCRIPT)]
    arguments = [*head, f"--data-dir={data_dir}", "sync", f"--folder={folder}",
                 f"--report={report}", f"--person={settings.user_name}",
                 f"--unit={settings.unit_key}"]
    if settings.role is not None:
        arguments.append(f"--role={settings.role.value}")
    return sys.executable, arguments


class SyncController(QObject):
    """Signals:
        running(): a run started (its process; a run skipped for want of changes to send
            emits none).
        finished(object): a run ended with this SyncReport (None: skipped, nothing to do).
    """

    running = Signal()
    finished = Signal(object)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last: SyncReport | None = None
        self.busy = False
        self._again: bool | None = None
        """A run asked for while one was under way, started when it ends: True for one only
        if changes wait to be sent, False for a full one (None: none asked for)."""
        self._closing = False
        self._process: SyncProcess | None = None
        self._idle = threading.Event()
        """Set while no sync process runs (close_database waits for it, from the worker)."""
        self._idle.set()
        self._reports: Path | None = None
        self._timer = QTimer(self, interval=INTERVAL_MS)
        self._timer.timeout.connect(self.sync_now)
        self._soon = QTimer(self, singleShot=True, interval=AFTER_SAVE_MS)
        self._soon.timeout.connect(lambda: self.sync_now(only_if_unsent=True))
        ctx.database_ready.connect(self._start)
        ctx.settings_changed.connect(self._start)
        ctx.worker.finished.connect(self._after_job)
        ctx.sync_requested.connect(self.sync_now)

    def _after_job(self, name: str) -> None:
        """A database job ended (perhaps a save): sync soon, once typing has paused."""
        if self.folder is not None and name not in (UNSENT_JOB, REPORT_JOB, STANDING_JOB):
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
        """Start a run now (or right after the one under way); *only_if_unsent*: only when
        this PC has changes to send (asked on the worker, which is cheaper than a process)."""
        folder = self.folder
        if folder is None or self._closing or not self.ctx.worker.ready:
            return
        if self.busy:
            self._again = only_if_unsent and self._again is not False
            return
        self.busy = True
        if not only_if_unsent:
            self._launch(folder)
            return

        def failed(exc: Exception) -> None:  # the run meets it again and says it
            log.warning("cannot tell whether changes wait to be sent", exc_info=exc)
            self._launch(folder)

        self.ctx.worker.run(UNSENT_JOB, _has_unsent,
                            lambda unsent: self._launch(folder) if unsent else self._ended(None),
                            failed)

    def _launch(self, folder: Path) -> None:
        if self._closing or not self.ctx.worker.ready:  # closing, or a restore under way
            self._ended(None)
            return
        if self._reports is None:
            self._reports = Path(tempfile.mkdtemp(prefix="crisisdesk-sync-"))
        report = self._reports / REPORT_FILE
        report.unlink(missing_ok=True)  # a report left by an earlier run is not this one's
        program, arguments = sync_command(self.ctx.data_dir, folder, self.ctx.settings, report)
        from ui.sync.process import SyncProcess  # not at start (its module says why)

        process = SyncProcess(
            self, program, arguments,
            lambda ended, code, crashed, said: self._exited(ended, folder, report, code,
                                                            crashed, said),
            lambda failed, why: self._not_started(failed, folder, why))
        self._process = process
        self._idle.clear()
        self.running.emit()
        process.start()

    def _not_started(self, process: SyncProcess, folder: Path, why: str) -> None:
        if process is self._process:
            self._gone(process)
            self._collect(folder, None, why)

    def _exited(self, process: SyncProcess, folder: Path, path: Path, code: int,
                crashed: bool, said: str) -> None:
        if process is not self._process:
            return
        self._gone(process)
        self._collect(folder, path, f"exit code {code}{', crashed' if crashed else ''}; what "
                                    f"it said: {said.strip()[-2000:] or 'nothing'}",
                      crashed=crashed)

    def _collect(self, folder: Path, path: Path | None, how: str, *,
                 crashed: bool = False) -> None:
        """Read the report the run left at *path* on the worker (a file on this PC's disk,
        and the first report loads the sync's modules: neither on the GUI thread). None there,
        or anything but a report, ends the run as unexpected, logged with *how* it ended."""
        if self._closing:
            self._ended(None)
            return

        def failed(exc: Exception) -> None:
            log.error("the sync process left no report (%s): %s", how, exc)
            self._ended(_unexpected(folder))

        self.ctx.worker.run(REPORT_JOB, lambda _db: _read_report(path, crashed),
                            lambda read: self._ended(*read), failed)

    def _gone(self, process: SyncProcess) -> None:
        self._process = None
        self._idle.set()
        process.deleteLater()

    def _abandon(self, process: SyncProcess) -> None:
        """Let go of a killed process the system has not ended yet (stuck in a call to a
        share), without waiting for it (SyncProcess.let_go)."""
        log.warning("the sync process %s did not end when killed; the window closes without "
                    "waiting for it", process.processId())
        process.let_go()
        self._gone(process)

    def _ended(self, report: SyncReport | None, standing: bool = False) -> None:
        """The run ended (*report* None: skipped); *standing*: it read this PC's standing in
        the office, which the window then reads from the database (an enrolment may have
        arrived), before it settles signatures as the standing allows."""
        self.busy = False
        if self._closing:
            return
        if report is not None:
            self.last = report
            if report.changes:  # the views reload what the run brought in, as after an act
                self.ctx.data_changed.emit(report.changes)
            drills = report.changes.touches(Change.DRILLS)
            if standing:
                self.ctx.worker.run(STANDING_JOB, jobs.load_standing,
                                    lambda me: self._standing_read(me, drills),
                                    lambda exc: log.warning("cannot read this PC's standing "
                                                            "after a sync", exc_info=exc))
            elif drills:
                self._settle_signatures()
        self.finished.emit(report)
        again, self._again = self._again, None
        if again is not None:
            self.sync_now(only_if_unsent=again)

    def _standing_read(self, standing: Me, drills: bool) -> None:
        self.ctx.set_standing(standing)
        if drills:
            self._settle_signatures()

    def _settle_signatures(self) -> None:
        """On a signer's PC, lock what both signers signed at once on their own PCs
        (models.drills.reports.actions.settle_signatures); the lock goes out at the next run."""
        actor = self.ctx.actor
        if actor.may(Permission.SIGN_OFF):
            Op(self.ctx, "settle_signatures",
               lambda db: jobs.settle_signatures(db, actor)).run()

    def close_database(self, timeout: float = 10.0) -> None:
        """Wait until no sync process holds the database: on the worker, before a restore
        replaces the file (the worker is then not ready, so no run starts); never on the GUI
        thread, whose event loop is what learns that the process ended. A run still going
        after *timeout* seconds (a hanging share) keeps it: the restore then finds the
        database in use and refuses, which changes nothing."""
        self._idle.wait(timeout)

    def shutdown(self) -> None:
        """Stop the timers and end a run under way: killed, as a run in a thread ended with
        the process before. That is safe at any point: SQLite drops a transaction left open,
        and a file for the shared folder is written under a temporary name (which listings
        skip) and only then given its own, after the database has kept what the next run
        writes again (models/sync/folder.py, models/sync/run.py)."""
        self._closing = True
        self._timer.stop()
        self._soon.stop()
        process = self._process
        if process is not None:
            log.info("the window closes: the sync under way is stopped")
            process.kill()
            if not process.waitForFinished(KILL_WAIT_MS):  # stuck in the system (a share)
                self._abandon(process)
        if self._reports is not None:
            shutil.rmtree(self._reports, ignore_errors=True)
            self._reports = None


def _has_unsent(db: Database) -> bool:
    """On the worker."""
    from models.sync.run import has_unsent

    return has_unsent(db)


def _read_report(path: Path | None, crashed: bool) -> tuple[SyncReport, bool]:
    """On the worker: the report at *path* and whether the run read this PC's standing."""
    from models.sync.report_json import ReportUnreadable, read_report

    if path is None or crashed:
        raise ReportUnreadable("the process did not end by itself")
    return read_report(path)


def _unexpected(folder: Path) -> SyncReport:
    """The report of a run whose process ended without one (the reason is in the log)."""
    from models.sync.report_json import stopped
    from models.sync.status import UNEXPECTED

    return stopped(folder, UNEXPECTED, reachable=False)
