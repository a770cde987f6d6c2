"""Errors the app did not expect, as the window meets them: logged with their traceback, told
in a short translated box that sends IT staff to Help ▸ Open the log folder, and never shown
as Python's own English text."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

import ui.app as app_module
import ui.sync.controller as controller_module
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


FAILED_CHILDREN = {
    "crashes": "import os; os.abort()",
    "ends with an error": "import sys; sys.exit('Error: something of its own')",
    "writes garbage": "import sys; open(sys.argv[1], 'w').write('{\"folder\": 1'); print('x')",
    "writes a report of another kind": ("import json, sys; json.dump({'folder': 'share', "
                                        "'conflicts': '3'}, open(sys.argv[1], 'w'))"),
}


@pytest.mark.parametrize("child", [*FAILED_CHILDREN, "is missing"])
def test_a_sync_process_that_fails_says_so_without_python_text(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog,
        child: str) -> None:
    """The window's sync runs in a process of its own (ui/sync/controller.py): one that dies,
    leaves anything but a report of this app's, or cannot be started is the "unexpected
    problem" in the status bar, and the log says how it ended, for IT."""
    share = tmp_path / "share"
    share.mkdir()
    ctx.settings = ctx.settings.with_(share_folder=str(share))

    def command(*_args: object, report: Path, **_kw: object) -> tuple[str, list[str]]:
        if child == "is missing":
            return str(tmp_path / "no-such-program"), []
        return sys.executable, ["-c", FAILED_CHILDREN[child], str(report)]

    monkeypatch.setattr(controller_module, "sync_command",
                        lambda data_dir, folder, settings, report: command(report=report))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    with caplog.at_level(logging.INFO), qtbot.waitSignal(window.sync.finished,
                                                         timeout=20000) as blocker:
        window.sync.sync_now()
    report = blocker.args[0]
    assert report.error == UNEXPECTED
    assert headline(report) == ("同步因非預期的問題而中止。詳細情形已寫入紀錄檔，請資訊人員查看："
                                "「說明」▸「開啟紀錄檔資料夾」。")
    assert window.sync_state.text().endswith(headline(report))
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.getMessage().startswith("the sync process left no report")
    if child == "ends with an error":
        assert "exit code 1" in record.getMessage() and "something of its own" in caplog.text


def test_a_sync_whose_database_cannot_open_says_why_not_unexpected(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog) -> None:
    """A damaged database (or a full disk) met by the sync process is a message the user can
    act on, as anywhere else in the window: before, it read as "unexpected" and logged a
    traceback as an error. (The process is pointed at a damaged copy: the worker's own
    connection keeps the window's database open.)"""
    share = tmp_path / "share"
    share.mkdir()
    ctx.settings = ctx.settings.with_(share_folder=str(share))
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    save_settings(damaged, ctx.settings)
    path = damaged / "crisisdesk.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)
    real = controller_module.sync_command
    monkeypatch.setattr(controller_module, "sync_command",
                        lambda _data_dir, folder, settings, report: real(damaged, folder,
                                                                        settings, report))
    controller = SyncController(ctx)
    with caplog.at_level(logging.INFO), qtbot.waitSignal(controller.finished,
                                                         timeout=20000) as blocker:
        controller.sync_now()
    controller.shutdown()
    report = blocker.args[0]
    assert report.error.startswith("資料庫") and str(path) in report.error
    assert headline(report).startswith("同步已中止：資料庫") and str(path) in headline(report)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "sync with" in (damaged / "logs" / "crisisdesk.log").read_text(encoding="utf-8")
