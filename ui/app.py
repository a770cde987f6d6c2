"""Starting the window: Qt, fonts, language, first-run, then the database on its worker.

The window is shown before the database is open: opening (and, after an update, migrating)
runs on the database worker, and the screens fill in when it reports ready. A database that
cannot be opened (written by a newer version, not ours, damaged) is said in a dialog and the
app ends; it never opens such a file.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from i18n import _
from models.errors import UserError
from models.meta import APP_NAME, VERSION
from models.resources import resource_path
from models.settings import Settings, default_data_dir, load_settings, login_name, save_settings
from ui.collector import install_garbage_collector
from ui import jobs
from ui.context import AppContext
from ui.feedback import show_error
from ui.fonts import install_ui_font
from ui.language import apply_language
from ui.main_window import MainWindow
from ui.worker import DbWorker

if TYPE_CHECKING:
    from models.db import Database
    from models.it_defaults import ItDefaults


def make_application(argv: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication(argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(VERSION)
    app.setWindowIcon(QIcon(str(resource_path("icons", "crisisdesk.svg"))))
    install_ui_font(app)
    # Before the database worker starts: Qt objects must only ever be collected here.
    install_garbage_collector(app)
    return app


def ask_first_run(data_dir: Path, defaults: ItDefaults) -> Settings | None:
    """The first-run dialog, starting from the IT defaults (and saying so when their file
    could not be used); the language combo switches the dialog's language live."""
    from ui.dialogs.first_run import FirstRunDialog  # needed once per PC, not at every start

    dialog = FirstRunDialog(defaults.settings.with_(user_name=login_name()), defaults)

    def preview(code: str) -> None:
        apply_language(code)
        dialog.retranslate()

    dialog.language_picked.connect(preview)
    if dialog.exec() != FirstRunDialog.DialogCode.Accepted or dialog.result_settings is None:
        return None
    try:
        save_settings(data_dir, dialog.result_settings)
    except UserError as exc:  # the data folder is not writable: say so, do not start
        QMessageBox.critical(None, _("Cannot save the settings"), exc.message())
        return None
    return dialog.result_settings


def start_window(data_dir: Path, settings: Settings,
                 on_failed: Callable[[Exception], None] | None = None) -> MainWindow:
    """Show the window, then build its screens and open the database in the background.

    Both happen from the event loop, after the window is on screen: the screens' modules take
    time to load, and opening the database loads SQLAlchemy on the worker, which would
    otherwise compete for the interpreter with building the window.

    A database that cannot be opened is said in a message box and the window closes, unless
    *on_failed* takes the error instead (the self-test reports it and exits). A damaged one
    leaves the window open without a database: its File ▸ Restore from a backup… is the way
    out that the message names.

    Once the database is open, the day's first start backs it up (models/backups.py), after
    the screens have what they need."""
    worker = DbWorker()
    ctx = AppContext(data_dir, settings, worker)
    window = MainWindow(ctx)

    def failed(exc: Exception) -> None:
        from models.storage import DatabaseDamaged

        message = exc.message() if isinstance(exc, UserError) else str(exc)
        QMessageBox.critical(window, _("Cannot open the database"), message)
        if isinstance(exc, DatabaseDamaged):
            window.show_damaged()
        else:
            window.close()

    def opened() -> None:
        ctx.database_ready.emit()
        worker.run("daily_backup", jobs.daily_backup, None,
                   on_failed or (lambda exc: show_error(window, exc)))

    def continue_start() -> None:
        window.build_screens()
        worker.open(lambda: open_data(data_dir, settings.office_code), opened,
                    on_failed or failed)

    window.show()
    QTimer.singleShot(0, continue_start)
    return window


def open_data(data_dir: Path, office_code: str) -> Database:
    """Runs on the worker: SQLAlchemy and Alembic load there, so the window shows without
    waiting for them."""
    from models.startup import open_data_dir

    return open_data_dir(data_dir, office_code)


def run_gui(data_dir: Path | None) -> int:
    data_dir = data_dir or default_data_dir()
    app = make_application(sys.argv)
    settings = load_settings(data_dir)
    if settings is None:
        from models.it_defaults import load_it_defaults  # first run only

        defaults = load_it_defaults()
        apply_language(defaults.settings.language)
        settings = ask_first_run(data_dir, defaults)
        if settings is None:
            return 0
    else:
        apply_language(settings.language, settings.pseudo)
    window = start_window(data_dir, settings)
    try:
        return app.exec()
    finally:
        window.ctx.worker.shutdown()
