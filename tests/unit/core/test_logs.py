"""The log file IT staff read (models/core/logs.py): where it is and what a line holds, rotation
that loses nothing when another process holds the file, the errors `check` reports once, and
the hooks that log exceptions nobody caught."""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import models.core.logs as logs
from models.core.logs import (
    CHECK_STATE,
    LOG_FILE,
    errors_since_last_check,
    install_excepthooks,
    log_folder,
    start_logging,
    stop_logging,
)

LINE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d (INFO|WARNING|ERROR) "
                  r"\[[^\]]+\] [\w.]+: .*")


@pytest.fixture
def logging_to(data_dir: Path) -> Iterator[Path]:
    """The data folder's log, started as main() starts it; no handler outlives the test."""
    path = start_logging(data_dir)
    assert path is not None
    yield path
    stop_logging()


def test_records_go_to_the_data_folders_log_one_line_each(logging_to: Path,
                                                          data_dir: Path) -> None:
    logging.getLogger("models.sync.run").info("sync with %s: in sync", "\\\\fs01\\crisis")
    logging.getLogger("ui.runtime.feedback").debug("not written without --debug")
    try:
        raise RuntimeError("disk on fire")
    except RuntimeError:
        logging.getLogger("main").exception("check failed unexpectedly")
    assert logging_to == log_folder(data_dir) / LOG_FILE == data_dir / "logs" / "crisisdesk.log"
    text = logging_to.read_text(encoding="utf-8")
    first, second, *traceback = text.splitlines()
    assert LINE.fullmatch(first) and first.endswith(
        "INFO [MainThread] models.sync.run: sync with \\\\fs01\\crisis: in sync")
    assert LINE.fullmatch(second) and "ERROR [MainThread] main: check failed unexpectedly" in second
    assert traceback[0] == "Traceback (most recent call last):"
    assert traceback[-1] == "RuntimeError: disk on fire"
    assert "--debug" not in text


def test_debug_writes_everything_and_also_to_the_console(data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    try:
        start_logging(data_dir, debug=True)
        logging.getLogger("ui.runtime.worker").debug("opened")
    finally:
        stop_logging()
    assert "DEBUG [MainThread] ui.runtime.worker: opened" in capsys.readouterr().err
    assert "ui.runtime.worker: opened" in (data_dir / "logs" / LOG_FILE).read_text(encoding="utf-8")


def test_a_data_folder_that_cannot_hold_a_log_is_no_failure(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("x", encoding="utf-8")
    try:
        assert start_logging(not_a_folder) is None
        logging.getLogger("models.org.it_defaults").warning("IT defaults file ignored")
    finally:
        stop_logging()
    assert capsys.readouterr().err == ""  # nothing in English on the user's console


def test_stop_removes_only_its_own_handlers(data_dir: Path) -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    start_logging(data_dir)
    start_logging(data_dir)  # a second start replaces the first
    assert len(root.handlers) == len(before) + 1
    stop_logging()
    assert root.handlers == before


class Clock:
    """The handler's clock, moved by hand: a postponed rotation waits a minute."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def held(monkeypatch: pytest.MonkeyPatch, *sources: Path) -> list[str]:
    """os.replace refuses to move *sources*, as Windows does while another process has them
    open; returns the sources of every replace tried (held or not)."""
    real_replace = os.replace
    tried: list[str] = []

    def replace(source: str, target: str) -> None:
        tried.append(str(source))
        if str(source) in map(str, sources):
            raise PermissionError(13, "The process cannot access the file", source)
        real_replace(source, target)

    monkeypatch.setattr(logs.os, "replace", replace)
    return tried


def rotating(path: Path, size: int = 300, backups: int = 2) -> logging.Logger:
    handler = logs._SharedRotatingFileHandler(path, maxBytes=size, backupCount=backups,
                                              encoding="utf-8")
    logger = logging.getLogger(f"test.rotation.{path.parent.name}")
    logger.propagate = False
    logger.addHandler(handler)
    return logger


def close(logger: logging.Logger) -> None:
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


def test_the_log_rotates_keeping_the_newest_files(tmp_path: Path) -> None:
    path = tmp_path / LOG_FILE
    logger = rotating(path)
    try:
        for n in range(40):
            logger.warning("record %02d %s", n, "x" * 40)
    finally:
        close(logger)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        LOG_FILE, f"{LOG_FILE}.1", f"{LOG_FILE}.2"]
    assert "record 39" in path.read_text(encoding="utf-8")
    assert "record 00" not in "".join(p.read_text(encoding="utf-8") for p in tmp_path.iterdir())


def test_a_log_another_process_holds_open_is_not_rotated_and_loses_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows refuses to rename a file another process (the window, a scheduled sync) has
    open: the records go on into the full file and the older files stay as they were."""
    path = tmp_path / LOG_FILE
    (tmp_path / f"{LOG_FILE}.1").write_text("older\n", encoding="utf-8")
    (tmp_path / f"{LOG_FILE}.2").write_text("oldest\n", encoding="utf-8")
    real_replace = os.replace

    def locked(source: str, target: str) -> None:
        if source == str(path):
            raise PermissionError(13, "The process cannot access the file", source)
        real_replace(source, target)

    monkeypatch.setattr(logs.os, "replace", locked)
    clock = Clock()
    logger = rotating(path)
    logger.handlers[0].clock = clock  # type: ignore[attr-defined]
    try:
        for n in range(40):
            logger.warning("record %02d %s", n, "x" * 40)
        monkeypatch.setattr(logs.os, "replace", real_replace)  # the other process closed it
        clock.now += logs.RETRY_SECONDS  # the next try
        logger.warning("after the other process ended")
    finally:
        close(logger)
    whole = (tmp_path / f"{LOG_FILE}.1").read_text(encoding="utf-8")
    assert all(f"record {n:02d}" in whole for n in range(40))
    assert (tmp_path / f"{LOG_FILE}.2").read_text(encoding="utf-8") == "older\n"
    assert "after the other process ended" in path.read_text(encoding="utf-8")


def test_a_rotation_stopped_half_way_is_finished_and_loses_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The current file moved aside, then an older file another process holds cannot shift:
    the moved file waits as crisisdesk.log.rotating and the next rotation finishes it
    before anything else moves, instead of moving the current file over it."""
    path = tmp_path / LOG_FILE
    older = tmp_path / f"{LOG_FILE}.1"
    older.write_text("older\n", encoding="utf-8")
    real_replace = os.replace
    held(monkeypatch, older)
    clock = Clock()
    logger = rotating(path, backups=5)
    logger.handlers[0].clock = clock  # type: ignore[attr-defined]
    try:
        for n in range(12):
            logger.warning("record %02d %s", n, "x" * 40)
            clock.now += 61  # every record may try the rotation again
        monkeypatch.setattr(logs.os, "replace", real_replace)  # the other process let go
        for n in range(12, 16):
            logger.warning("record %02d %s", n, "x" * 40)
            clock.now += 61
    finally:
        close(logger)
    whole = "".join(p.read_text(encoding="utf-8") for p in tmp_path.iterdir())
    assert [n for n in range(16) if f"record {n:02d}" not in whole] == []
    assert "older" in whole
    assert not (tmp_path / f"{LOG_FILE}.rotating").exists()  # finished once it could


def test_a_postponed_rotation_is_tried_again_a_minute_later_not_at_every_record(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / LOG_FILE
    tried = held(monkeypatch, path)
    clock = Clock()
    logger = rotating(path)
    logger.handlers[0].clock = clock  # type: ignore[attr-defined]
    try:
        for n in range(40):
            logger.warning("record %02d %s", n, "x" * 40)
        assert tried == [str(path)]
        clock.now += logs.RETRY_SECONDS
        logger.warning("a minute later")
        assert tried == [str(path)] * 2
    finally:
        close(logger)


def test_check_counts_the_errors_of_a_rotation_stopped_half_way(data_dir: Path) -> None:
    folder = data_dir / "logs"
    folder.mkdir()
    (folder / f"{LOG_FILE}.rotating").write_text(error_line(
        datetime.now().astimezone() - timedelta(minutes=2), "main: sync failed unexpectedly"),
        encoding="utf-8")
    found = errors_since_last_check(data_dir)
    assert (found.count, found.newest) == (1, "main: sync failed unexpectedly")


def error_line(at: datetime, text: str, level: str = "ERROR") -> str:
    return f"{at.isoformat(timespec='milliseconds')} {level} [MainThread] {text}\n"


def test_check_counts_the_errors_since_the_previous_check_once(data_dir: Path) -> None:
    folder = data_dir / "logs"
    folder.mkdir()
    now = datetime.now().astimezone()
    (folder / f"{LOG_FILE}.1").write_text(
        error_line(now - timedelta(days=2), "ui.runtime.feedback: unexpected error shown to the user")
        + "Traceback (most recent call last):\nRuntimeError: old\n", encoding="utf-8")
    (folder / LOG_FILE).write_text(
        error_line(now - timedelta(hours=1), "main: check started", "INFO")
        + error_line(now - timedelta(minutes=5), "models.sync.run: sync with x: not reachable",
                     "WARNING")
        + error_line(now - timedelta(minutes=1), "ui.sync.controller: sync run with x failed")
        + "not a record: ERROR [x] y\n", encoding="utf-8")
    first = errors_since_last_check(data_dir)
    assert (first.count, first.newest) == (2, "ui.sync.controller: sync run with x failed")
    assert first.newest_at.startswith((now - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M"))
    assert errors_since_last_check(data_dir).count == 0
    # As if that check ran a minute ago and an error was logged since.
    state = folder / CHECK_STATE
    checked = datetime.fromisoformat(json.loads(state.read_text(encoding="utf-8"))["at"])
    state.write_text(json.dumps({"at": (checked - timedelta(seconds=30)).isoformat()}),
                     encoding="utf-8")
    with (folder / LOG_FILE).open("a", encoding="utf-8") as log_file:
        log_file.write(error_line(checked - timedelta(seconds=10),
                                  "main: sync failed unexpectedly"))
    later = errors_since_last_check(data_dir)
    assert (later.count, later.newest) == (1, "main: sync failed unexpectedly")


def test_check_with_no_log_finds_no_errors_and_writes_nothing(data_dir: Path) -> None:
    assert errors_since_last_check(data_dir).count == 0
    assert not (data_dir / "logs").exists()


def test_exceptions_nobody_caught_are_logged_and_told(logging_to: Path) -> None:
    told: list[str] = []
    restore = install_excepthooks(lambda: told.append(threading.current_thread().name))
    try:
        try:
            raise ValueError("in a slot")
        except ValueError:
            sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
        thread = threading.Thread(target=lambda: 1 / 0, name="sync")
        thread.start()
        thread.join()
        sys.excepthook(KeyboardInterrupt, KeyboardInterrupt(), None)  # Ctrl+C: no box
    finally:
        restore()
    assert told == ["MainThread", "sync"]
    text = logging_to.read_text(encoding="utf-8")
    assert "ERROR [MainThread] models.core.logs: unexpected error" in text
    assert "ValueError: in a slot" in text
    assert "ERROR [sync] models.core.logs: unexpected error in thread sync" in text
    assert "ZeroDivisionError: division by zero" in text


def test_the_hooks_are_put_back(data_dir: Path) -> None:
    before = sys.excepthook, threading.excepthook
    install_excepthooks(lambda: None)()
    assert (sys.excepthook, threading.excepthook) == before


def test_main_leaves_no_hook_handler_or_level_of_its_own_behind(tmp_path: Path) -> None:
    """main() run in-process (as the e2e tests of a full disk do) used to leave its log
    handler, the root level and its excepthooks in place for the rest of the process."""
    import main

    root = logging.getLogger()
    before = (sys.excepthook, threading.excepthook, list(root.handlers), root.level)
    code = main.main(["--data-dir", str(tmp_path / "data"), "restore",
                      str(tmp_path / "no such backup.sqlite3")])
    assert code == 1
    assert (sys.excepthook, threading.excepthook, list(root.handlers), root.level) == before
