"""The log IT staff read when something went wrong: ``<data folder>/logs/crisisdesk.log``.

Why a file in the data folder: the window has no console, and a user can only report that
something failed; the file keeps what happened for IT staff (Help ▸ Open the log folder
shows it). The command line writes to the same file, so a scheduled sync's troubles are
there too. What goes in: each start and stop (version, command, data folder, Python and Qt),
each sync run's summary, warnings, and errors with their tracebacks: the command line's,
the window's unexpected errors, and exceptions nobody caught (`install_excepthooks`). The
user sees a short translated message instead; `--debug` also shows the records on the
console.

One record a line (a traceback follows on its own lines), in this PC's local time with its
offset, so a line reads like the clock on the wall and still sorts and compares:

    2026-05-04T09:30:12.345+08:00 ERROR [sync] ui.sync.controller: sync run failed

`errors_since_last_check` gives `main.py check` the errors logged since its previous run.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

from i18n import N_
from models.core.errors import UserError, os_reason
from models.core.files import (
    NotRegularFile,
    atomic_write_text,
    open_regular,
    read_regular,
    regular_fd,
)

log = logging.getLogger(__name__)

LOG_FOLDER = "logs"
LOG_FILE = "crisisdesk.log"
MAX_BYTES = 1024 * 1024
BACKUPS = 5
"""1 MB and five older files: months of ordinary use, and a burst of errors cannot fill the
disk."""
CHECK_STATE = "last-check.json"
"""When `main.py check` last looked at the log (beside the log, so one folder holds both)."""
FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"
_RECORD = re.compile(r"(?P<at>\d{4}-\d\d-\d\dT\S+) (?P<level>[A-Z]+) \[.*?\] (?P<text>.*)")
ROTATING = "rotating"
"""The suffix of the current file while a rotation moves it (see _SharedRotatingFileHandler)."""
RETRY_SECONDS = 60.0
"""How long a rotation that another process prevented waits before it is tried again."""
_OURS = "crisisdesk"
"""The name of the handlers start_logging adds, so stop_logging removes only those."""
READ_LIMIT = 4 * MAX_BYTES
"""How much of the end of each log file `check` reads: a file rotates at MAX_BYTES, and one
whose rotation another process held up for a while grows a little past it. Anything larger
is not a log the app wrote whole: its end is what holds the newest records."""


def log_folder(data_dir: Path) -> Path:
    return data_dir / LOG_FOLDER


class _Formatter(logging.Formatter):
    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created).astimezone().isoformat(
            timespec="milliseconds")


class _SharedRotatingFileHandler(logging.FileHandler):
    """A rotating file that another CrisisDesk process may hold open at the same time (the
    window beside a scheduled ``main.py sync``).

    Built on logging.FileHandler, not on logging.handlers' RotatingFileHandler: that module
    loads socket and pickle for its other handlers, 10-20 ms of every start before the
    window can show; what this class takes of RotatingFileHandler is its size check
    (`shouldRollover`) and its `emit`.

    Windows refuses to rename a file another process has open. RotatingFileHandler shifts
    the older files first and then fails on the current one, so every record would shift
    them again and the oldest would be lost one by one. Here the current file moves first,
    to ``crisisdesk.log.rotating``, and then the older files shift. When a step fails,
    nothing further moves: the records go on into the full file, and the rotation is tried
    again a minute later (`RETRY_SECONDS`), not at every record (each try closes and reopens
    the file). A rotation stopped half-way (an older file held open) leaves its
    ``.rotating`` file, which the next one finishes before it moves anything else: it is
    never overwritten. A log that cannot be written never disturbs the app
    (`handleError`)."""

    def __init__(self, filename: Path, maxBytes: int, backupCount: int,  # noqa: N803
                 encoding: str | None = None, errors: str | None = None) -> None:
        super().__init__(filename, "a", encoding=encoding, errors=errors)
        self.maxBytes = maxBytes
        self.backupCount = backupCount
        self.clock: Callable[[], float] = time.monotonic
        """Seconds, for the pause between tries (tests replace it)."""
        self._next_try = float("-inf")

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.shouldRollover(record):
                self.doRollover()
            super().emit(record)
        except Exception:
            self.handleError(record)

    def shouldRollover(self, record: logging.LogRecord) -> bool:
        """True when *record* would take the file to maxBytes or beyond (as
        RotatingFileHandler decides), unless a postponed rotation is waiting."""
        if self.clock() < self._next_try:
            return False
        # As RotatingFileHandler (bpo-45401): never rotate anything but a regular file.
        if os.path.exists(self.baseFilename) and not os.path.isfile(self.baseFilename):
            return False
        if self.stream is None:
            self.stream = self._open()
        message = f"{self.format(record)}\n"
        self.stream.seek(0, 2)  # Windows does not keep an appending file's position at its end
        return self.stream.tell() + len(message) >= self.maxBytes

    def doRollover(self) -> None:
        if self.stream:
            self.stream.close()
            self.stream = None
        pending = f"{self.baseFilename}.{ROTATING}"
        postponed: OSError | None = None
        try:
            if os.path.exists(pending):  # an earlier rotation stopped half-way: finish it
                self._shift(pending)
            os.replace(self.baseFilename, pending)
            self._shift(pending)
        except OSError as exc:  # held open elsewhere: keep writing here, try again later
            self._next_try = self.clock() + RETRY_SECONDS
            postponed = exc
        else:
            self._next_try = float("-inf")
        self.stream = self._open()
        if postponed is not None:  # into the file kept (no rotation is due for a minute)
            log.info("log rotation postponed for %.0f s: %s", RETRY_SECONDS, postponed)

    def _shift(self, pending: str) -> None:
        """Move each older file one number up (the oldest beyond backupCount is replaced),
        then *pending* to ``.1``."""
        for number in range(self.backupCount - 1, 0, -1):
            older = f"{self.baseFilename}.{number}"
            if os.path.exists(older):
                os.replace(older, f"{self.baseFilename}.{number + 1}")
        os.replace(pending, f"{self.baseFilename}.1")

    def handleError(self, record: logging.LogRecord) -> None:
        """A full disk or a vanished folder: drop the record. The default prints a
        traceback on stderr, which is the command line's output."""

    def _open(self) -> io.TextIOWrapper:
        """The log file, opened for appending only if it is a regular file.

        Another program that can write the data folder may put a link (to any file the
        user can write, or to /dev/full) or a pipe under the log's name: appending through
        the link would write the log into that file, and opening the pipe blocks every
        command and the window at their start. O_NOFOLLOW refuses the link, O_NONBLOCK
        makes the pipe's opening return, and the type is checked on the open file
        (NotRegularFile: start_logging runs on without a log, `check` says why)."""
        fd = regular_fd(Path(self.baseFilename), os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            return open(fd, "a", encoding=self.encoding, errors=self.errors)
        except BaseException:
            os.close(fd)
            raise


def start_logging(data_dir: Path, *, debug: bool = False) -> Path | None:
    """Send INFO and above (everything with *debug*) to the data folder's log; with *debug*
    also to stderr. Returns the log file, or None when it cannot be opened (a read-only or
    misnamed data folder): the app runs on without one, and since a handler is in place
    Python does not fall back to printing warnings, in English, on the console."""
    stop_logging()
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    # Seven lines about its plugins each time Alembic reads its scripts (every check): noise.
    logging.getLogger("alembic.runtime.plugins").setLevel(
        logging.DEBUG if debug else logging.WARNING)
    handlers: list[logging.Handler] = []
    if debug:
        handlers.append(logging.StreamHandler(sys.stderr))
    file = log_folder(data_dir) / LOG_FILE
    path: Path | None = file
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        # backslashreplace: a name that is not UTF-8 (a file in the share) must not drop
        # the record that names it.
        handlers.append(_SharedRotatingFileHandler(file, maxBytes=MAX_BYTES,
                                                   backupCount=BACKUPS, encoding="utf-8",
                                                   errors="backslashreplace"))
    except (OSError, NotRegularFile):
        path = None
        handlers.append(logging.NullHandler())
    for handler in handlers:
        handler.set_name(_OURS)
        handler.setFormatter(_Formatter(FORMAT))
        root.addHandler(handler)
    return path


def stop_logging() -> None:
    """Remove and close the handlers start_logging added (tests, and a second start)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == _OURS]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(logging.WARNING)


def install_excepthooks(tell: Callable[[], None]) -> Callable[[], None]:
    """Route exceptions nobody caught, on any thread, to the log with their traceback, then
    call *tell* (on the thread that raised) to show the user a short message. Returns a
    function that puts the previous hooks back.

    Without them, Python prints the traceback on a console the window does not have, and
    the user sees nothing at all, or an action that silently did not happen."""
    previous = sys.excepthook, threading.excepthook

    def unhandled(kind: type[BaseException], exc: BaseException,
                  traceback: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            log.info("interrupted (Ctrl+C)")
            return
        log.error("unexpected error", exc_info=(kind, exc, traceback))
        tell()

    def thread_unhandled(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "?"
        log.error("unexpected error in thread %s", name, exc_info=args.exc_value)
        tell()

    sys.excepthook, threading.excepthook = unhandled, thread_unhandled

    def restore() -> None:
        sys.excepthook, threading.excepthook = previous

    return restore


@dataclass(frozen=True)
class LoggedErrors:
    """The errors found in the log since the previous check."""

    count: int
    newest: str = ""
    """The newest one's first line: its logger and message."""
    newest_at: str = ""
    folder: Path | None = None
    problems: tuple[UserError, ...] = ()
    """Why the log cannot be written or read (a folder, link or pipe under its name, no
    logs folder): what was logged may be missing, and the count with it."""


def errors_since_last_check(data_dir: Path) -> LoggedErrors:
    """Count the ERROR and CRITICAL records written after the previous call (ever, the first
    time), and remember this call's time for the next one.

    Records are compared by their time, not by a position in a file: rotation renames the
    files, and the window may write while a check runs. A record is counted once: records
    carry milliseconds, so this check takes those before the current millisecond and leaves
    the rest to the next one."""
    folder = log_folder(data_dir)
    state = folder / CHECK_STATE
    now = datetime.now().astimezone()
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)
    since = _last_check(state, now)
    count, newest_at, newest = 0, None, ""
    problems: list[UserError] = []
    # The file a rotation is moving holds records too (and, when it stopped half-way, for a
    # while): read it with the others.
    names = [LOG_FILE, f"{LOG_FILE}.{ROTATING}",
             *(f"{LOG_FILE}.{n}" for n in range(1, BACKUPS + 1))]
    if not folder.is_dir() and os.path.lexists(folder):
        problems.append(UserError(N_("{folder} is not a folder: the log cannot be written"),
                                  folder=str(folder)))
        names = []
    for path in (folder / name for name in names):
        try:
            text = _tail(path)
        except FileNotFoundError:
            continue
        except NotRegularFile as exc:
            problems.append(exc)
            continue
        except OSError as exc:
            problems.append(UserError(N_("{file}: {problem}"), file=str(path),
                                      problem=os_reason(exc)))
            continue
        for line in text.splitlines():
            found = _RECORD.fullmatch(line)
            if found is None or found["level"] not in ("ERROR", "CRITICAL"):
                continue
            try:
                at = datetime.fromisoformat(found["at"])
            except ValueError:
                continue
            if at >= now or (since is not None and at < since):
                continue
            count += 1
            if newest_at is None or at >= newest_at:
                newest_at, newest = at, found["text"]
    if folder.is_dir():
        try:
            atomic_write_text(state, json.dumps({"at": now.isoformat()}))
        except UserError:
            log.warning("cannot remember the time of this check in %s", state)
    return LoggedErrors(count, newest, newest_at.isoformat(timespec="seconds")
                        if newest_at is not None else "", folder, tuple(problems))


def _last_check(state: Path, now: datetime) -> datetime | None:
    """When the previous check ran, from *state*; None for none, a damaged note, or a time
    after *now*: a note dated in the future (a clock that ran ahead, or a hand edit) would
    hide every error logged until then."""
    try:
        since = datetime.fromisoformat(json.loads(read_regular(state, 4096))["at"])
    except (OSError, UserError, ValueError, KeyError, TypeError):  # none, or damaged
        return None
    if since.tzinfo is None or since > now:
        log.warning("the time of the last check in %s is not usable (%s); the log is read "
                    "from its start", state, since)
        return None
    return since


def _tail(path: Path) -> str:
    """The text of the log file *path*, at most its last READ_LIMIT bytes (from a whole
    line): a regular file only (models.core.files.open_regular), so a pipe or a link to an
    endless device (/dev/zero, /dev/full) neither blocks the check nor fills the memory."""
    with open_regular(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > READ_LIMIT:
            fh.seek(size - READ_LIMIT)
            fh.readline()  # the rest of a line cut by the seek
        return fh.read(READ_LIMIT).decode("utf-8", errors="replace")
