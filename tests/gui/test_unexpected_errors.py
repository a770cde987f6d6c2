"""Errors the app did not expect, as the window meets them: logged with their traceback, told
in a short translated box that sends IT staff to Help ▸ Open the log folder, and never shown
as Python's own English text."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

import models.sync.run
import ui.app as app_module
from models.org.settings import save_settings
from models.sync.status import UNEXPECTED, headline
from tests.helpers import snap
from ui.main_window import MainWindow
from ui.runtime.context import AppContext
from ui.runtime.feedback import report_unexpected_errors, show_error
from ui.runtime.language import apply_language
from ui.sync.controller import SyncController

BOX_ZH = ("CrisisDesk遇到非預期的問題。先前已儲存的資料均已保留。詳細情形已寫入紀錄檔，請資訊人員查看："
          "「說明」▸「開啟紀錄檔資料夾」。")


@pytest.fixture
def boxes(qtbot, monkeypatch: pytest.MonkeyPatch) -> list[QMessageBox]:  # type: ignore[no-untyped-def]
    """Every error box, built for real (to look at) instead of waiting for a click."""
    shown: list[QMessageBox] = []

    def critical(parent: QWidget | None, title: str, text: str, *_args: object) -> object:
        box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok,
                          parent)
        if parent is None:  # else its parent closes it
            qtbot.addWidget(box)
        shown.append(box)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", critical)
    return shown


def test_an_unexpected_failure_is_logged_and_told_briefly(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, boxes: list[QMessageBox], caplog, ui_font,
        artifacts: Path) -> None:
    """A database operation that raises: before, the box said "The action failed
    unexpectedly: no such column: incidents.foo", Python's words."""
    parent = QWidget()
    qtbot.addWidget(parent)

    def fault(_db: object) -> None:
        raise RuntimeError("no such column: incidents.foo")

    with caplog.at_level(logging.ERROR), qtbot.waitSignal(ctx.worker.finished, timeout=10000):
        ctx.worker.run("list_incidents", fault, None, lambda exc: show_error(parent, exc))
    [box] = boxes
    assert (box.windowTitle(), box.text()) == ("非預期的錯誤", BOX_ZH)
    assert "incidents.foo" not in box.text()
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.name == "ui.runtime.feedback" and record.exc_info is not None
    logged = caplog.text
    assert "RuntimeError: no such column: incidents.foo" in logged
    assert "in the database operation 'list_incidents'" in logged  # which one, for IT
    box.show()
    snap(box, artifacts / "unexpected-error-zh_TW.png")
    apply_language("en")
    show_error(parent, RuntimeError("again"))
    english = boxes[-1]
    assert english.text() == ("CrisisDesk ran into an unexpected problem. What was saved "
                              "before is kept. The details are in the log for your IT staff: "
                              "Help ▸ Open the log folder.")
    english.show()
    snap(english, artifacts / "unexpected-error-en.png")


@pytest.fixture
def reporting(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The window's hooks for exceptions nobody caught, removed after the test."""
    stop = report_unexpected_errors(qapp)
    yield
    stop()


def test_exceptions_nobody_caught_are_logged_and_shown_once(  # type: ignore[no-untyped-def]
        qtbot, reporting: None, boxes: list[QMessageBox], caplog) -> None:
    """In a slot (Qt hands it to sys.excepthook) and in a thread of our own: without the hooks
    the traceback went to a console the window does not have, and the user saw nothing."""

    def slot() -> None:
        raise KeyError("layout")

    with caplog.at_level(logging.ERROR):
        QTimer.singleShot(0, slot)
        qtbot.waitUntil(lambda: len(boxes) == 1, timeout=5000)
        thread = threading.Thread(target=lambda: 1 / 0, name="printing")
        thread.start()
        thread.join()
        qtbot.waitUntil(lambda: len(boxes) == 2, timeout=5000)
    assert all(box.text() == BOX_ZH for box in boxes)
    assert "KeyError: 'layout'" in caplog.text
    assert "unexpected error in thread printing" in caplog.text
    assert "ZeroDivisionError" in caplog.text


def test_help_opens_the_log_folder(qtbot, ctx: AppContext,  # type: ignore[no-untyped-def]
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    action = window.act_log_folder
    assert action in window.help_menu.actions()
    assert action.text() == "開啟紀錄檔資料夾(&L)"
    action.trigger()
    folder = ctx.data_dir / "logs"
    assert opened == [QUrl.fromLocalFile(str(folder))] and folder.is_dir()
    window.switch_language("en")
    assert action.text() == "Open the &log folder"


def test_a_window_that_cannot_be_built_says_so(  # type: ignore[no-untyped-def]
        qtbot, monkeypatch: pytest.MonkeyPatch, boxes: list[QMessageBox], caplog,
        data_dir: Path, settings) -> None:
    """A fault while the window is put together: before, the window never appeared and the
    windowed program had no console to say why."""
    save_settings(data_dir, settings)

    def broken(*_args: object) -> None:
        raise AttributeError("'NoneType' object has no attribute 'units'")

    monkeypatch.setattr(app_module, "start_window", broken)
    with caplog.at_level(logging.ERROR):
        assert app_module.run_gui(data_dir) == 1
    assert [box.text() for box in boxes] == [BOX_ZH]
    assert "the window could not start" in caplog.text and "AttributeError" in caplog.text


def test_a_sync_run_that_fails_unexpectedly_says_so_without_python_text(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog) -> None:
    """The status bar used to read "Shared folder not reachable: database is locked" for a
    fault that had nothing to do with the folder."""
    share = tmp_path / "share"
    share.mkdir()
    ctx.settings = ctx.settings.with_(share_folder=str(share))

    def fault(_db: object, _folder: Path, _rules: object, **_who: str) -> None:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(models.sync.run, "sync_once", fault)
    controller = SyncController(ctx)
    with caplog.at_level(logging.INFO), qtbot.waitSignal(controller.finished,
                                                         timeout=10000) as blocker:
        controller.sync_now()
    controller.shutdown()
    report = blocker.args[0]
    assert report.error == UNEXPECTED
    assert headline(report) == ("同步因非預期的問題而中止。詳細情形已寫入紀錄檔，請資訊人員查看："
                                "「說明」▸「開啟紀錄檔資料夾」。")
    assert "RuntimeError: database is locked" in caplog.text
    assert f"sync with {share}: not reachable (unexpected)" in caplog.text


def test_a_sync_whose_database_cannot_open_says_why_not_unexpected(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog) -> None:
    """A damaged database (or a full disk) met by the sync's own connection is a message the
    user can act on, as anywhere else in the window: before, it read as "unexpected" and
    logged a traceback as an error."""
    import models.startup
    from i18n import N_
    from models.core.faults import DatabaseDamaged

    share = tmp_path / "share"
    share.mkdir()
    ctx.settings = ctx.settings.with_(share_folder=str(share))
    path = ctx.data_dir / "crisisdesk.sqlite3"

    def damaged(_path: Path) -> None:
        raise DatabaseDamaged(path, N_("the file is cut short or blank"))

    monkeypatch.setattr(models.startup, "open_database", damaged)
    controller = SyncController(ctx)
    with caplog.at_level(logging.INFO), qtbot.waitSignal(controller.finished,
                                                         timeout=10000) as blocker:
        controller.sync_now()
    controller.shutdown()
    report = blocker.args[0]
    assert report.error == DatabaseDamaged(path, N_("the file is cut short or blank")).message()
    assert headline(report).startswith("同步已中止：資料庫") and str(path) in headline(report)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
