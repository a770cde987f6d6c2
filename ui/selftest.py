"""`main.py selftest`: start the real window, say what it shows, and exit.

Why: after installing on a PC (or building a bundle), IT staff and CI need to know that the
program really starts there: Qt finds its platform plugin, the catalogs and Qt's own
translation are in the bundle, the database opens (and migrates) in the user's data folder,
and the IT defaults file is read. `check` covers the database only. The self-test takes the
same path as a user's start (ui.app.start_window), waits on the same signals a user waits
for (database ready, playbook on screen) and reports each step as `check` does:

    [OK  ] Window: CrisisDesk — 危機管理 (檔案 · 前往 · 語言 · 說明)
    [FAIL] Qt's own texts: not translated (qtbase_zh_TW.qm missing)

It never shows the first-run dialog and never saves settings: without saved settings it
starts from the IT defaults, as the first-run dialog would (over them, what could be read of
a damaged settings file, which fails the "Settings" step). Exit code 0 only when every step
passes; a step that does not finish within the time limit fails.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from appinfo.meta import APP_NAME, VERSION
from i18n import DEFAULT_LANGUAGE, _, current_language
from models.org.it_defaults import ItDefaults, load_it_defaults
from models.org.settings import default_data_dir, login_name, read_settings
from models.storage.names import DATABASE_FILE
from ui.app import make_application, qt_messages_to_log, start_window
from ui.main_window import WINDOW_TITLE, MainWindow
from ui.runtime.feedback import error_text
from ui.runtime.language import apply_language

if TYPE_CHECKING:
    from ui.playbook.screen import PlaybookScreen

EXIT_OK, EXIT_FAILED = 0, 1


@dataclass
class Step:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"[{'OK  ' if self.ok else 'FAIL'}] {self.name}: {self.detail}"


@dataclass
class _Run:
    """The steps so far; `finish` prints them and ends the event loop once."""

    app: QApplication
    steps: list[Step] = field(default_factory=list)
    done: bool = False

    def add(self, name: str, ok: bool, detail: str) -> None:
        step = Step(name, ok, detail)
        self.steps.append(step)
        print(step.line(), flush=True)

    def finish(self) -> None:
        if not self.done:
            self.done = True
            self.app.quit()

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(s.ok for s in self.steps)


def _plain(text: str) -> str:
    """A menu title without its mnemonic: "檔案(&F)" -> "檔案(F)", "&File" -> "File"."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _defaults_detail(defaults: ItDefaults) -> tuple[bool, str]:
    if not defaults.found:
        return True, _("none ({path})").format(path=defaults.path)
    if defaults.error is not None:
        return False, _("{path} ignored: {problem}").format(path=defaults.path,
                                                            problem=defaults.error.message())
    return True, _("{path} read").format(path=defaults.path)


def _check_translations(run: _Run) -> None:
    """Our catalog and Qt's own must both be in force unless the language is English."""
    if current_language() == "en":
        run.add(_("Translations"), True, _("English (source language)"))
        return
    ours = _(WINDOW_TITLE) != WINDOW_TITLE
    run.add(_("Translations"), ours, current_language() if ours else
            _("the {language} catalog is missing").format(language=current_language()))
    cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
    run.add(_("Qt's own texts"), cancel != "Cancel",
            _("\"Cancel\" reads \"{text}\"").format(text=cancel) if cancel != "Cancel"
            else _("not translated (Qt's catalog is missing)"))


def _report_window(run: _Run, window: MainWindow, screenshot: Path | None) -> None:
    menus = " · ".join(_plain(a.text()) for a in window.menuBar().actions())
    run.add(_("Window"), window.isVisible(), f"{window.windowTitle()} ({menus})")
    run.add(_("Status bar"), True, window.who.text())
    _check_translations(run)
    playbook = cast("PlaybookScreen", window.screens["playbook"])
    run.add(_("Playbook"), True, playbook.version_label.text())
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        saved = window.grab().save(str(screenshot))
        run.add(_("Screenshot"), saved, str(screenshot) if saved
                else _("could not write {path}").format(path=screenshot))


def run_selftest(data_dir: Path | None, screenshot: Path | None, timeout: float) -> int:
    """Start the window on *data_dir*, report, and return the exit code."""
    data_dir = data_dir or default_data_dir()
    stop_qt_log = qt_messages_to_log()
    try:
        return _selftest(data_dir, screenshot, timeout)
    finally:
        stop_qt_log()


def _selftest(data_dir: Path, screenshot: Path | None, timeout: float) -> int:
    app = make_application(sys.argv[:1])
    run = _Run(app)
    print(f"{APP_NAME} {VERSION}", flush=True)
    defaults = load_it_defaults()
    ok, detail = _defaults_detail(defaults)
    run.add(_("IT defaults"), ok, detail)
    saved = read_settings(data_dir)
    settings = saved.usable(defaults.settings.with_(user_name=login_name() or APP_NAME))
    apply_language(settings.language or DEFAULT_LANGUAGE)
    if saved.unreadable is not None:  # the rest still runs, on the defaults
        run.add(_("Settings"), False, saved.unreadable.message())
    elif saved.damaged is not None:  # the rest still runs, on what could be read
        run.add(_("Settings"), False, saved.damaged.message())
    else:
        run.add(_("Settings"), True, _("saved in {path}").format(path=data_dir)
                if saved.settings else _("none saved yet: the IT defaults are used"))

    def failed(exc: Exception) -> None:
        run.add(_("Database"), False, error_text(exc))
        run.finish()

    window = start_window(data_dir, settings, on_failed=failed)

    def database_ready() -> None:
        run.add(_("Database"), True, str(data_dir / DATABASE_FILE))
        playbook = cast("PlaybookScreen", window.screens["playbook"])

        def loaded() -> None:
            _report_window(run, window, screenshot)
            run.finish()

        playbook.loaded.connect(loaded)

    def timed_out() -> None:
        if not run.done:
            run.add(_("Time limit"), False,
                    _("not ready within {seconds} s").format(seconds=round(timeout)))
            run.finish()

    window.ctx.database_ready.connect(database_ready)
    QTimer.singleShot(round(timeout * 1000), timed_out)
    try:
        app.exec()
    finally:
        window.ctx.worker.shutdown()
        window.close()
    print(_("Self-test passed.") if run.ok else _("Self-test FAILED."), flush=True)
    return EXIT_OK if run.ok else EXIT_FAILED
