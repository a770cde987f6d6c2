"""The shared folder, as docs/sync.md lays it out: where each file lives, writing a file once
and for all, reading with limits and time-outs.

Every operation on the share runs in a daemon thread and is waited for at most TIMEOUT
seconds: an SMB share that hangs must turn into "folder not responding", not into a frozen
sync. A hung system call cannot be interrupted, so its thread is left behind; while it hangs
no other operation on that share starts (each would hang as well, and the window's timer
would pile them up). Another share (the user points Settings at a working one) is not held
up by it.

Only regular files are opened: a pipe (or device) under one of our names would block the read
for ever, and a link may lead out of the share. For the same reason every folder of the
share's structure (devices/, a device's folder and its log/, blobs/) must be a real folder:
O_NOFOLLOW guards only the last part of a path, so a link in place of a folder would lead
every read and write under it out of the share (to the root of the PC's disk, say). Such a
link is named, and nothing is read or written through it.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import queue
import re
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from i18n import _
from models.core.errors import UserError, os_reason
from models.core.files import NotRegularFile as _NotRegular
from models.core.files import (
    atomic_write_text,
    create_temporary,
    open_regular,
    remove_temporary,
    retried,
    shown_name,
)
from models.core.files import in_use as _in_use
from models.core.files import publish as _publish  # by this name the sync tests interrupt it

T = TypeVar("T")
log = logging.getLogger(__name__)

TIMEOUT = 20.0
FORMAT_FILE = "crisisdesk-sync.json"
FORMAT_VERSION = 1
DEVICES = "devices"
BLOBS = "blobs"
TRUST = "trust"
"""The office's signed trust records (models.sync.trust_records), each named by its SHA-256."""
_MAX_TRUST_FILES = 20000
_SEGMENT_NAME = re.compile(r"^([0-9]{10})\.seg$")
"""ASCII digits only: \\d takes other scripts' digits too, which int() reads as numbers."""
_RETRY_DELAYS = (0.1, 0.2, 0.4, 0.8, 1.6, 2.0)


class FolderError(Exception):
    """The folder cannot be reached, read or written (a message for the status)."""


class FolderClash(FolderError):
    """A file that should be ours already exists with other content."""


class FolderTimeout(FolderError):
    """The share did not answer in time: the whole run stops, since every further operation
    would hang as long (a problem of one file is a FolderError, and the run goes on)."""


class TooLarge(FolderError):
    """A file of the share larger than what may be read of it: its content, not a passing
    state of the share."""


class NotRegularFile(FolderError):
    """A link, pipe, device or folder where a file of ours should be: never opened, never
    replaced (it is not ours to remove); the message names it for a person to remove."""

    def __init__(self, path: Path) -> None:
        super().__init__(_("{file} is not a regular file: remove it").format(file=path))


class NotAFolder(FolderError):
    """A link or a file where a folder of the share's structure should be (devices/, a
    device's folder or its log/, blobs/): nothing is read or written through it, and it is
    not ours to remove."""

    def __init__(self, path: Path) -> None:
        super().__init__(_("{folder} is not a folder of the shared folder's own (a link or a "
                           "file lies there): remove it").format(folder=path))


_hung: dict[str, threading.Thread] = {}
"""Per share (its root, as the key _share gives), the operation that timed out and still
waits for it."""
_hung_lock = threading.Lock()


def _share(root: Path) -> str:
    return os.path.normcase(os.path.abspath(root))


def call(root: Path, fn: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
    """*fn(*args)*, an operation on the share *root*, in a daemon thread, waited for at most
    *timeout* (TIMEOUT) seconds.

    Refused at once (FolderTimeout) while an earlier operation on the same share still
    hangs: one thread at most is left waiting on a share, however many runs find it hung."""
    share = _share(root)
    with _hung_lock:
        stuck = _hung.get(share)
        if stuck is not None and stuck.is_alive():
            raise FolderTimeout(_("the shared folder does not respond: an earlier operation "
                                  "on it still waits for an answer"))
        _hung.pop(share, None)
    box: queue.SimpleQueue[tuple[bool, Any]] = queue.SimpleQueue()

    def run() -> None:
        try:
            box.put((True, fn(*args)))
        except BaseException as exc:  # handed over to the caller's thread
            box.put((False, exc))

    thread = threading.Thread(target=run, daemon=True, name="share-io")
    thread.start()
    try:
        ok, result = box.get(timeout=TIMEOUT if timeout is None else timeout)
    except queue.Empty:
        with _hung_lock:
            _hung[share] = thread
        waited = TIMEOUT if timeout is None else timeout
        log.warning("%s(%s) on the share %s did not answer within %g s; its thread is left "
                    "waiting, and the share is not used until it returns", fn.__name__,
                    ", ".join(map(str, args)), root, waited)
        raise FolderTimeout(_("the shared folder does not respond")) from None
    thread.join()  # it has put its result: gone in an instant, and no thread outlives a run
    if ok:
        return result  # type: ignore[no-any-return]
    if isinstance(result, OSError):
        if result.errno == errno.ENOSPC:  # the share's disk, not this PC's
            raise FolderError(_("the shared folder is full")) from result
        reason = os_reason(result).message()  # the system's own text is English
        raise FolderError(_("{file}: {problem}").format(file=result.filename, problem=reason)
                          if result.filename else reason) from result
    raise result


@dataclass(frozen=True)
class Listing:
    """What one device folder holds: its segments by number, and files that are not ours."""

    segments: dict[int, Path]
    foreign: tuple[str, ...]


def log_dir(root: Path, device: str) -> Path:
    return root / DEVICES / device / "log"


def segment_path(root: Path, device: str, seq: int) -> Path:
    return log_dir(root, device) / f"{seq:010d}.seg"


def _list_log(root: Path, folder: Path) -> Listing:
    segments: dict[int, Path] = {}
    foreign: list[str] = []
    try:
        _real_folders(root, folder)
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return Listing({}, ())
    for entry in entries:
        match = _SEGMENT_NAME.match(entry.name)
        if match and entry.is_file(follow_symlinks=False) and int(match[1]) > 0:
            segments[int(match[1])] = Path(entry.path)
        elif not entry.name.startswith("."):  # our temporary files start with a dot
            foreign.append(shown_name(entry.name))
    return Listing(segments, tuple(sorted(foreign)))


def list_log(root: Path, device: str) -> Listing:
    return call(root, _list_log, root, log_dir(root, device))


def _real_folders(root: Path, folder: Path, *, create: bool = False) -> None:
    """Make sure every folder from *root* (not included: the user chose it) down to *folder*
    is a real folder, not a link or a file (NotAFolder); with *create*, those missing are
    made one by one (a folder another PC makes meanwhile is taken as it is). Without,
    FileNotFoundError says one is missing."""
    current = root
    for part in folder.relative_to(root).parts:
        current = current / part
        try:
            found = os.lstat(current)
        except FileNotFoundError:
            if not create:
                raise
            try:
                os.mkdir(current)
            except FileExistsError:
                pass
            found = os.lstat(current)
        # A Windows junction is a directory to lstat, but a reparse point.
        if (not stat.S_ISDIR(found.st_mode)
                or getattr(found, "st_file_attributes", 0) & stat.FILE_ATTRIBUTE_REPARSE_POINT):
            raise NotAFolder(current)


def _require_root(root: Path) -> None:
    """The share itself must be there: a vanished share is unreachable, never an empty one
    (which would read as "nothing new" and end the run "in sync")."""
    if not root.is_dir():
        raise FolderError(_("the folder {path} does not exist").format(path=root))


def _foreign_names(folder: Path, ours: Callable[[os.DirEntry[str]], bool]) -> list[str]:
    """The names in *folder* that are not ours (our temporary files start with a dot), as
    they can be shown (shown_name)."""
    return [shown_name(e.name) for e in os.scandir(folder)
            if not ours(e) and not e.name.startswith(".")]


def _list_devices(root: Path) -> tuple[list[str], list[str]]:
    _require_root(root)
    foreign = _foreign_names(root, lambda e: e.name in (FORMAT_FILE, DEVICES, BLOBS, TRUST))
    folder = root / DEVICES
    try:
        _real_folders(root, folder)
    except FileNotFoundError:
        return [], sorted(foreign)
    devices = [e.name for e in os.scandir(folder) if _is_device(e)]
    foreign += [f"{DEVICES}/{name}" for name in _foreign_names(folder, _is_device)]
    return sorted(devices), sorted(foreign)


def _is_device(entry: os.DirEntry[str]) -> bool:
    """A device's folder: a real folder, never a link (O_NOFOLLOW guards only the last part
    of a path, so a linked folder would lead every read under it out of the share)."""
    return (entry.is_dir(follow_symlinks=False)
            and re.fullmatch(r"[0-9a-f-]{36}", entry.name) is not None)


def list_devices(root: Path) -> tuple[list[str], list[str]]:
    """The device folders, and what else lies in the share and in devices/ (as paths from
    the share: docs/sync.md counts every foreign file, desktop.ini at the top included)."""
    return call(root, _list_devices, root)


def _open_regular(path: Path) -> BinaryIO:
    """*path* opened for reading if it is a regular file (models.core.files.open_regular: never
    a pipe, never through a link); NotRegularFile if not."""
    try:
        return open_regular(path)
    except _NotRegular:
        raise NotRegularFile(path) from None


def _read(path: Path, limit: int) -> bytes:
    with _open_regular(path) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(_("{file} is larger than {limit} bytes").format(file=path.name,
                                                                       limit=limit))
    return data


def _read_inside(root: Path, path: Path, limit: int) -> bytes:
    _real_folders(root, path.parent)
    return _read(path, limit)


def read_file(root: Path, path: Path, limit: int) -> bytes:
    """At most *limit* bytes of *path*, a file in the share *root* (read through real folders
    only: see _real_folders)."""
    return call(root, _read_inside, root, path, limit)


def _write_once(root: Path, path: Path, data: bytes) -> bool:
    _real_folders(root, path.parent, create=True)
    if os.path.lexists(path):
        return _same_or_clash(path, data)
    tmp: Path | None = None
    try:
        tmp, fh = create_temporary(path)
        with fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        made = tmp
        retried(lambda: _publish(made, path), _RETRY_DELAYS, _in_use)
    except FileExistsError:
        if tmp is None:  # every temporary name drawn was taken, not the file's own
            raise
        return _same_or_clash(path, data)
    except OSError as exc:
        if _in_use(exc):
            raise FolderError(_("{file} is in use by another program (an antivirus or an "
                                "indexer)").format(file=path)) from exc
        if isinstance(exc, PermissionError):
            raise FolderError(_("no permission to write {file}").format(file=path)) from exc
        raise
    finally:
        if tmp is not None:
            remove_temporary(tmp)
    if hashlib.sha256(_read(path, len(data))).digest() != hashlib.sha256(data).digest():
        raise FolderError(_("{file} reads back different from what was written").format(
            file=path))
    return True


def _same_or_clash(path: Path, data: bytes) -> bool:
    # Not _read: a longer file there is a clash like any other difference, not a FolderError
    # (which would end every run as "unreachable" instead of taking a new identity).
    with _open_regular(path) as fh:
        if fh.read(len(data) + 1) == data:
            return False
    raise FolderClash(f"{path.name} exists with other content")


def write_once(root: Path, path: Path, data: bytes) -> bool:
    """Write *data* to *path* in the share *root*, which must not exist yet: through a
    temporary file, fsync'd, linked (or renamed) to its name, read back. False when the same
    bytes were already there; FolderClash when other bytes are."""
    return call(root, _write_once, root, path, data)


@dataclass(frozen=True)
class FolderFormat:
    can_read: bool
    can_write: bool


def _check_format(root: Path) -> FolderFormat:
    _require_root(root)
    path = root / FORMAT_FILE
    data: Any = None
    try:
        data = json.loads(_read(path, 64 * 1024))
    except FileNotFoundError:
        pass
    except NotRegularFile:
        raise  # not ours to replace: the run ends naming it
    except (ValueError, UnicodeDecodeError, RecursionError, FolderError):  # damaged
        data = None
    if not isinstance(data, dict) or data.get("format") != "crisisdesk-sync" or not all(
            _version_number(data.get(key, 1)) for key in ("min_reader", "min_writer")):
        # Damaged (a "1" where a number goes was read as a newer app's): it holds no state.
        content = {"format": "crisisdesk-sync", "version": FORMAT_VERSION,
                   "min_reader": 1, "min_writer": 1}
        try:
            _write_once(root, path, json.dumps(content, indent=2).encode("utf-8") + b"\n")
        except FolderClash:  # a damaged file: replace it, it holds no state
            path.unlink(missing_ok=True)
            _write_once(root, path, json.dumps(content, indent=2).encode("utf-8") + b"\n")
        return FolderFormat(True, True)
    return FolderFormat(can_read=data.get("min_reader", 1) <= FORMAT_VERSION,
                        can_write=data.get("min_writer", 1) <= FORMAT_VERSION)


def _version_number(value: Any) -> bool:
    """Is *value* a format version: a whole number from 1 (true is an int to Python)?"""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def check_format(root: Path) -> FolderFormat:
    """Read (or, for a new folder, write) the folder's format file."""
    return call(root, _check_format, root)


def _write_json(root: Path, path: Path, data: Any) -> None:
    """Replace a small informational file of our own (acks.json); a folder, link or pipe
    under its name is not ours to replace (NotRegularFile)."""
    _real_folders(root, path.parent, create=True)
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            raise NotRegularFile(path)
    except FileNotFoundError:
        pass
    try:
        atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2))
    except UserError as exc:
        raise FolderError(exc.message()) from exc


def write_json(root: Path, path: Path, data: Any) -> None:
    call(root, _write_json, root, path, data)


def blob_path(root: Path, sha256: str) -> Path:
    return root / BLOBS / sha256


def _list_blobs(root: Path) -> set[str]:
    try:
        _real_folders(root, root / BLOBS)
        return {e.name for e in os.scandir(root / BLOBS)}
    except FileNotFoundError:
        return set()


def list_blobs(root: Path) -> set[str]:
    """The names in blobs/ (one listing a run, not one read of every attachment)."""
    return call(root, _list_blobs, root)


def trust_path(root: Path, name: str) -> Path:
    return root / TRUST / name


_RECORD_NAME = re.compile(r"[0-9a-f]{64}\.json")


def _list_trust(root: Path) -> tuple[list[str], list[str]]:
    try:
        _real_folders(root, root / TRUST)
    except FileNotFoundError:
        return [], []
    records: list[str] = []
    foreign: list[str] = []
    with os.scandir(root / TRUST) as entries:
        for entry in entries:
            if entry.name.startswith("."):  # our temporary files
                continue
            if _RECORD_NAME.fullmatch(entry.name) is None:
                if len(foreign) < _MAX_TRUST_FILES:
                    foreign.append(shown_name(entry.name))
                continue
            records.append(entry.name)
            if len(records) >= _MAX_TRUST_FILES:  # bounded work on a hostile share
                break
    return sorted(records), sorted(foreign)


def list_trust(root: Path) -> tuple[list[str], list[str]]:
    """The record names in trust/ (at most _MAX_TRUST_FILES of them), and the other names
    there (junk: never read)."""
    return call(root, _list_trust, root)
