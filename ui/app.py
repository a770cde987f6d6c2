"""Starting the window: Qt, fonts, language, first-run, then the database on its worker.

The window is shown before the database is open: opening (and, after an update, migrating)
runs on the database worker, and the screens fill in when it reports ready. A database that
cannot be opened (written by a newer version, not ours, damaged) is said in a dialog and the
app ends; it never opens such a file.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import (
    QMessageLogContext,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
    qVersion,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from appinfo.meta import APP_NAME, VERSION
from appinfo.resources import resource_path
from i18n import _
from models.core.errors import UserError
from models.org.settings import (
    DamagedSettings,
    SavedSettings,
    Settings,
    default_data_dir,
    read_settings,
    save_settings,
)
from ui.main_window import NAV, MainWindow
from ui.printing.warm import warm_up_printing
from ui.runtime import jobs
from ui.runtime.after_paint import after_paint
from ui.runtime.collector import install_garbage_collector
from ui.runtime.context import AppContext
from ui.runtime.feedback import (
    error_text,
    report_unexpected_errors,
    show_critical,
    show_error,
    show_unexpected,
)
from ui.runtime.fonts import install_ui_font
from ui.runtime.language import apply_language
from ui.runtime.worker import DbWorker

if TYPE_CHECKING:
    from models.org.it_defaults import ItDefaults
    from models.storage.db import Database

log = logging.getLogger(__name__)


_QT_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}


def qt_messages_to_log() -> Callable[[], None]:
    """Send Qt's own messages to the log (logger "qt") instead of stderr; returns a function
    that puts the previous handler back.

    They are English and for IT staff (the off-screen platform says "This plugin does not
    support propagateSizeHints()" at every `selftest`): on the command line's output they
    read as an error of the app's. With --debug the log is on stderr too."""
    qt_log = logging.getLogger("qt")

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s (%s)", message,
                   context.category or "default")

    previous = qInstallMessageHandler(handler)

    def restore() -> None:
        qInstallMessageHandler(previous)

    return restore


def make_application(argv: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication(argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(VERSION)
    app.setWindowIcon(QIcon(str(resource_path("icons", "crisisdesk.svg"))))
    install_ui_font(app)
    # Before the database worker starts: Qt objects must only ever be collected here.
    install_garbage_collector(app)
    log.info("Qt %s, PySide6 %s, platform %s", qVersion(), PySide6.__version__,
             app.platformName())
    return app


def ask_first_run(data_dir: Path, defaults: ItDefaults,
                  damaged: DamagedSettings | None = None) -> Settings | None:
    """The first-run dialog, starting from the IT defaults (and saying so when their file
    could not be used) and over them what could be read of a damaged settings file (saying
    where it was set aside and why); the language combo switches the dialog's language live."""
    from ui.runtime.wheel_guard import install_wheel_guard
    from ui.settings.first_run import FirstRunDialog  # needed once per PC, not at every start

    # The name starts empty: the login ("root", "user01") is no one's name on a signed form;
    # the form shows it beside the field instead.
    start = defaults.settings
    if damaged is not None:
        start = damaged.over(start)
    apply_language(start.language)
    install_wheel_guard()
    dialog = FirstRunDialog(start, defaults, damaged)

    def preview(code: str) -> None:
        apply_language(code)
        dialog.retranslate()

    dialog.language_picked.connect(preview)
    if dialog.exec() != FirstRunDialog.DialogCode.Accepted or dialog.result_settings is None:
        return None
    try:
        save_settings(data_dir, dialog.result_settings)
    except UserError as exc:  # the data folder is not writable: say so, do not start
        show_critical(None, _("Cannot save the settings"), exc.message())
        return None
    return dialog.result_settings


def start_window(data_dir: Path, settings: Settings,
                 on_failed: Callable[[Exception], None] | None = None) -> MainWindow:
    """Show the window, then the playbook, then the rest (_StartSequence); returns the window.

    A database that cannot be opened is said in a message box and the window closes, unless
    *on_failed* takes the error instead (the self-test reports it and exits). A damaged or
    missing one leaves the window open without a database: its File ▸ Restore from a backup…
    is the way out that the message names.

    Once the database is open, the day's first start backs it up (models/storage/backups.py), after
    the screens have what they need. That copy is also the day's full check: a database it
    finds damaged is closed and the window offers the restore, as for one damaged at start."""
    worker = DbWorker()
    ctx = AppContext(data_dir, settings, worker)
    window = MainWindow(ctx)

    def failed(exc: Exception) -> None:
        from models.core.faults import DatabaseDamaged, DatabaseMissing

        show_critical(window, _("Cannot open the database"), error_text(exc))
        if isinstance(exc, (DatabaseDamaged, DatabaseMissing)):
            window.show_damaged()  # File ▸ Restore from a backup… is the way out it names
        else:
            window.close()

    def backup_failed(exc: Exception) -> None:
        from models.core.faults import DatabaseDamaged

        if not isinstance(exc, DatabaseDamaged):
            show_error(window, exc)
            return
        # The copy failed the integrity check: the database is damaged. Nothing more may
        # be written into it (the worker's and the sync's connections close); the window
        # stays for File ▸ Restore from a backup…, which the message names.
        show_critical(window, _("The database is damaged"), exc.message())
        window.show_damaged()
        worker.run_released("release_damaged", window.sync.close_database, lambda _none: None,
                            lambda error: show_error(window, error))

    def ready() -> None:
        ctx.database_ready.emit()
        window.land_home()
        worker.run("daily_backup", jobs.daily_backup, None, on_failed or backup_failed)
        warm_up_printing()  # the first Print of the day then costs what every later one does

    start = _StartSequence(window, lambda: open_data(data_dir, settings.office_code), ready,
                           on_failed or failed)
    window.show()
    QTimer.singleShot(0, start.begin)
    return window


class _StartSequence:
    """What follows the window's first show, in the order a user needs it.

    Everything runs from the event loop, after the window is on screen:

    1. The playbook's screen alone, filled from the database file read directly on the
       worker, or on a first start from the shipped procedure the open is about to store
       (ui.runtime.jobs.first_playbook_snapshot): no SQLAlchemy, no Alembic.
    2. Once that text is painted: the database opens on the worker (SQLAlchemy and Alembic
       load there) while the other six screens are built (their modules take most of a
       second to load). Not before the paint: the worker's imports would compete with the
       paint for the interpreter.
    3. When both are done: ``ready`` (database_ready: every screen loads; the playbook's own
       load replaces its first read, redrawing only if the database changed meanwhile).

    On a first start the playbook is the shipped procedure the open is about to store. When
    the file cannot be read so (an older one is migrated; a missing one with backups is
    refused), the database opens first and the playbook comes from it, then the other
    screens. A window
    that never paints (started minimised) goes on after PAINT_WAIT_MS all the same.
    """

    PAINT_WAIT_MS = 1000

    def __init__(self, window: MainWindow, opener: Callable[[], Database],
                 ready: Callable[[], None], failed: Callable[[Exception], None]) -> None:
        self.window = window
        self.worker = window.ctx.worker
        self.opener = opener
        self.ready = ready
        self.failed = failed
        self.opening = False
        self.opened = False

    def begin(self) -> None:
        # The wheel guard only now, before the first screen: a Python filter on the whole
        # application sees the events of Qt's private objects too, and each new kind it sees
        # (the gesture manager of the navigation list, a scroll area; the window's surface as
        # it shows) makes PySide create that class, with its enums, to find its type: 70-110
        # ms before the window could show when the filter came before the frame was built,
        # still 3 ms when it came before the show. The frame has no field the guard is for.
        from ui.runtime.wheel_guard import install_wheel_guard

        install_wheel_guard()
        self.window.build_playbook_screen()
        self.worker.run_plain("first_playbook_read",
                              lambda: jobs.first_playbook_snapshot(self.window.ctx.data_dir),
                              self._first_read, self._first_read_failed)

    def _first_read(self, snapshot: jobs.PlaybookSnapshot | None) -> None:
        if snapshot is None:
            self._open()
        else:
            self._show_first(snapshot, self._go_on)

    def _first_read_failed(self, exc: Exception) -> None:
        # Nothing is lost: the playbook comes from the open database, as at a first start.
        log.error("the playbook could not be read before the database opened", exc_info=exc)
        self._open()

    def _show_first(self, snapshot: jobs.PlaybookSnapshot, then: Callable[[], None]) -> None:
        """Show *snapshot* and call *then* once it is painted (or PAINT_WAIT_MS later)."""
        playbook = self.window.build_playbook_screen()
        playbook.show_first(snapshot)
        after_paint(playbook.view.viewport(), then)
        QTimer.singleShot(self.PAINT_WAIT_MS, then)

    def _go_on(self) -> None:
        self._open()
        self._build_the_rest()

    def _open(self) -> None:
        if not self.opening:
            self.opening = True
            self.worker.open(self.opener, self._opened, self._failed)

    def _opened(self) -> None:
        self.opened = True
        playbook = self.window.build_playbook_screen()
        if playbook.snapshot is None:  # nothing shown yet: the playbook first, then the rest
            self.worker.run("first_playbook_load", lambda db: jobs.playbook_snapshot(db, None),
                            lambda loaded: self._show_first(loaded, self._build_the_rest),
                            self._first_load_failed)
        elif len(self.window.screens) == len(NAV):
            self.ready()
        # else the other screens are being built: _build_the_rest calls ready

    def _first_load_failed(self, exc: Exception) -> None:
        show_error(self.window, exc)
        self._build_the_rest()

    def _failed(self, exc: Exception) -> None:
        self.window.build_screens()
        self.failed(exc)

    def _build_the_rest(self) -> None:
        if len(self.window.screens) == len(NAV):
            return
        self.window.build_screens()
        if self.opened:
            self.ready()


def open_data(data_dir: Path, office_code: str) -> Database:
    """Runs on the worker: SQLAlchemy and Alembic load there, so the window shows without
    waiting for them."""
    from models.startup import open_data_dir

    return open_data_dir(data_dir, office_code)


def run_gui(data_dir: Path | None, saved: SavedSettings | None = None) -> int:
    """Start the window and run it until it closes; returns the exit code. *saved* is what
    main.py has read of the data folder's settings already (read again when not given).

    From here on no fault ends in silence: exceptions nobody caught are logged and shown in
    a short box (ui/runtime/feedback.py), and so is a failure while the window is put together,
    instead of a window that simply never appears."""
    data_dir = data_dir or default_data_dir()
    stop_qt_log = qt_messages_to_log()
    app = make_application(sys.argv)
    stop_reporting = report_unexpected_errors(app)
    try:
        try:
            window = _first_window(data_dir, saved)
        except UserError as exc:  # settings that cannot be read now: said, nothing saved
            log.warning("the window could not start: %s", exc.message())
            show_critical(None, _("CrisisDesk cannot start"), exc.message())
            return 1
        except Exception:
            log.exception("the window could not start")
            show_unexpected(None)
            return 1
        if window is None:
            return 0
        try:
            return app.exec()
        finally:
            window.ctx.worker.shutdown()
    finally:
        stop_reporting()
        stop_qt_log()


def _first_window(data_dir: Path, saved: SavedSettings | None = None) -> MainWindow | None:
    """The main window on *data_dir*, after the first-run dialog when no settings are saved
    (or they were damaged); None when the user cancelled that dialog. Settings that are there
    but cannot be read now raise SettingsUnreadable: the first-run dialog would save over
    them."""
    saved = saved or read_settings(data_dir)
    if saved.unreadable is not None:
        raise saved.unreadable
    settings = saved.settings
    if settings is None:
        from models.org.it_defaults import load_it_defaults  # first run only

        settings = ask_first_run(data_dir, load_it_defaults(), saved.damaged)
        if settings is None:
            return None
    else:
        apply_language(settings.language)
    return start_window(data_dir, settings)
