"""The window's sync runs as a process of its own (ui/sync/controller.py): a restore waits for
it to end before the database file is replaced, and closing the window ends it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QProcess

import ui.sync.controller as controller_module
from models.sync.report_json import dump_report, stopped
from ui.runtime.context import AppContext
from ui.sync.controller import SyncController

TIMEOUT = 20000
HELD = """
import os, pathlib, socket, sys
report, started, report_text = map(pathlib.Path, sys.argv[1:4])
held = socket.create_connection(("127.0.0.1", int(sys.argv[4])))
started.write_text(str(os.getpid()))
held.recv(1)  # held until the test lets it go
report.write_text(report_text.read_text(encoding="utf-8"), encoding="utf-8")
(started.parent / "ended").write_text("")
"""


@dataclass
class Held:
    """The held sync process's files ("started" with its pid, "ended") and its release."""

    files: Path
    listener: socket.socket

    def let_go(self) -> None:
        """Let the process write its report and end (it waits for a byte on its connection)."""
        connection, _address = self.listener.accept()
        with connection:
            connection.sendall(b"g")


@pytest.fixture
def held(ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Held]:
    """The sync process is one that starts, then waits until the test lets it go before it
    writes an in-sync report and ends."""
    share = tmp_path / "share"
    share.mkdir()
    ctx.settings = ctx.settings.with_(share_folder=str(share))
    files = tmp_path / "held"
    files.mkdir()
    (files / "report").write_text(dump_report(stopped(share, "")), encoding="utf-8")
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(TIMEOUT / 1000)
    port = listener.getsockname()[1]

    def command(_data_dir: Path, _folder: Path, _settings: object,
                report: Path) -> tuple[str, list[str]]:
        return sys.executable, ["-c", HELD, str(report), str(files / "started"),
                                str(files / "report"), str(port)]

    monkeypatch.setattr(controller_module, "sync_command", command)
    with listener:
        yield Held(files, listener)


def test_closing_the_database_waits_for_the_sync_process(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, held: Held) -> None:
    """close_database (the worker calls it before a restore replaces the file) returns only
    once the process that has the database open has ended."""
    controller = SyncController(ctx)
    controller.sync_now()
    qtbot.waitUntil((held.files / "started").exists, timeout=TIMEOUT)
    waiting, returned = threading.Event(), threading.Event()
    ended: list[bool] = []

    def close() -> None:
        waiting.set()
        controller.close_database()
        ended.append((held.files / "ended").exists())
        returned.set()

    with qtbot.waitSignal(controller.finished, timeout=TIMEOUT) as blocker:
        threading.Thread(target=close, name="worker-like").start()
        qtbot.waitUntil(waiting.is_set, timeout=TIMEOUT)
        assert not returned.is_set()
        held.let_go()
    qtbot.waitUntil(returned.is_set, timeout=TIMEOUT)
    assert ended == [True]
    assert blocker.args[0].in_sync
    controller.shutdown()


@pytest.mark.skipif(sys.platform == "win32", reason="os.kill(pid, 0) asks only on POSIX")
def test_closing_the_window_ends_the_sync_process(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, held: Held) -> None:
    controller = SyncController(ctx)
    reports: list[object] = []
    controller.finished.connect(reports.append)
    controller.sync_now()
    qtbot.waitUntil(lambda: bool((held.files / "started").exists()
                                 and (held.files / "started").read_text()), timeout=TIMEOUT)
    pid = int((held.files / "started").read_text())

    controller.shutdown()

    with pytest.raises(ProcessLookupError):  # gone, and reaped
        os.kill(pid, 0)
    assert reports == []  # a run the window ended is not reported to a closing window


@pytest.mark.skipif(sys.platform == "win32", reason="os.kill(pid, 0) asks only on POSIX")
def test_a_sync_process_that_does_not_end_when_killed_does_not_hold_the_window(  # type: ignore[no-untyped-def]
        qtbot, qtlog, ctx: AppContext, held: Held, monkeypatch: pytest.MonkeyPatch) -> None:
    """A process stuck in a call to the share ends only when the call returns, kill or not.
    Closing the window lets it be: deleting it as running would wait up to 30 s for it, the
    window frozen (Qt then says "Destroyed while process ... is still running")."""
    monkeypatch.setattr(controller_module, "KILL_WAIT_MS", 50)
    monkeypatch.setattr(QProcess, "kill", lambda _process: None)  # the kill does not take
    controller = SyncController(ctx)
    controller.sync_now()
    qtbot.waitUntil(lambda: bool((held.files / "started").exists()
                                 and (held.files / "started").read_text()), timeout=TIMEOUT)
    pid = int((held.files / "started").read_text())
    process = controller.findChild(QProcess)
    try:
        controller.shutdown()
        qtbot.waitUntil(lambda: not shiboken6.isValid(process))  # deleted, as it was let go
        shiboken6.delete(controller)  # as closing the window deletes it
        os.kill(pid, 0)  # still running: nothing waited for it
        assert not [m for m in qtlog.records if "still running" in m.message]
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
