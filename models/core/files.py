"""Writing files so that a crash, a full disk or a second writer never leaves a half file or
overwrites an earlier one."""

from __future__ import annotations

import errno
import logging
import os
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, TypeVar

from i18n import N_
from models.core.errors import UserError, os_reason

log = logging.getLogger(__name__)

T = TypeVar("T")

REPLACE_DELAYS = (0.05, 0.1, 0.2, 0.4, 0.8)
"""Waits between tries of replacing a file another program holds open (1.5 s in all)."""


def retried(action: Callable[[], T], delays: Sequence[float],
            again: Callable[[OSError], bool]) -> T:
    """*action()*, tried again after each of *delays* while it fails with an error *again*
    accepts; the last try's error is raised.

    On Windows a file another program has open (an antivirus, an indexer, another PC reading
    it over the share) cannot be renamed, replaced or linked for a moment."""
    for delay in delays:
        try:
            return action()
        except OSError as exc:
            if not again(exc):
                raise
            log.info("file in use, trying again in %.2f s: %s", delay, exc)
        time.sleep(delay)
    return action()


def utc_stamp(when: datetime | None = None) -> str:
    """*when* (now) as the names of the files the app sets aside carry it, in UTC,
    ``20260504T013012Z``: names sort as they read, and read the same on every PC whatever its
    time zone (backups, databases a restore replaced, damaged settings)."""
    return (when or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def temporary_beside(path: Path, kind: str = "tmp") -> Path:
    """A name for a temporary file in *path*'s folder, to become *path* when complete.

    Hidden (a leading dot: the sync's listings skip such names) and unique (a random part):
    two writers of one file, the window and a scheduled command writing acks.json or the
    log's last-check.json, must never write into the same temporary file. Only a name: the
    file is made by create_temporary, which never opens one already there."""
    return path.with_name(f".{path.name}.{os.urandom(4).hex()}.{kind}")


_CREATE_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
                 | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
_NAME_TRIES = 8


def create_temporary(path: Path, kind: str = "tmp") -> tuple[Path, BinaryIO]:
    """A new, empty temporary file beside *path* (temporary_beside), open for writing, and
    its name.

    The folders it is made in (the share, the data folder) can be written by other
    programs, which may put a link or a pipe under the name first: writing through a link
    would overwrite whatever it leads to (the database, any file of the user's), and
    opening a pipe blocks until someone reads it. O_CREAT | O_EXCL makes the file here and
    now, or fails on any name already taken, a link (even one leading nowhere) included,
    without following it or opening it; on Windows, which has no O_NOFOLLOW, O_EXCL is
    what guards. A taken name is logged and another random one drawn."""
    for attempt in range(_NAME_TRIES):
        tmp = temporary_beside(path, kind)
        try:
            fd = os.open(tmp, _CREATE_FLAGS, 0o666)
        except FileExistsError:
            if attempt == _NAME_TRIES - 1:
                raise
            log.warning("a file was in the way of the temporary name %s; another is drawn",
                        tmp)
            continue
        return tmp, os.fdopen(fd, "wb")
    raise AssertionError("unreachable")


class NotRegularFile(UserError):
    """A link, pipe, device or folder where a file of the app's should be: never opened nor
    written through (a pipe would block the reader for ever, a link may lead anywhere), and
    not the app's to remove: the message names it for a person to remove."""

    def __init__(self, path: Path) -> None:
        super().__init__(N_("{file} is not a regular file: remove it"), file=str(path))
        self.path = path


class FileTooLarge(UserError):
    """A file larger than any the app writes under that name: not read further."""

    def __init__(self, path: Path, limit: int) -> None:
        super().__init__(N_("{file} is larger than {limit} bytes"), file=str(path),
                         limit=limit)


_OPEN_FLAGS = (getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
               | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))


def regular_fd(path: Path, flags: int, mode: int = 0o666) -> int:
    """A descriptor of *path* opened with *flags*, if it is a regular file; NotRegularFile if
    not (a link, a pipe, a device, a folder).

    Every file the app opens in a folder other programs can write (the share, the data
    folder) is opened so: O_NONBLOCK makes the opening of a pipe return at once instead of
    waiting for the other end, O_NOFOLLOW refuses a link, and the type is checked on the
    open file, so what was checked is what is read or written. Without O_NOFOLLOW (Windows)
    the path is checked unfollowed first."""
    if (not getattr(os, "O_NOFOLLOW", 0) and os.path.lexists(path)
            and not stat.S_ISREG(os.lstat(path).st_mode)):
        raise NotRegularFile(path)
    try:
        fd = os.open(path, flags | _OPEN_FLAGS, mode)
    except OSError:
        if os.path.islink(path):  # refused by O_NOFOLLOW (ELOOP)
            raise NotRegularFile(path) from None
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFile(path)
        if getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(fd, True)
        return fd
    except BaseException:
        os.close(fd)
        raise


def open_regular(path: Path) -> BinaryIO:
    """*path* opened for reading, if it is a regular file (regular_fd); NotRegularFile if
    not."""
    return os.fdopen(regular_fd(path, os.O_RDONLY), "rb")


def read_regular(path: Path, limit: int) -> bytes:
    """The content of the regular file *path* (open_regular), FileTooLarge when it holds more
    than *limit* bytes: never more than that is read, whatever the file's size."""
    with open_regular(path) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(path, limit)
    return data


def shown_name(name: str) -> str:
    """*name* (a file name or path) as it can be shown, stored and logged.

    A name that is not UTF-8 (a Big5 or Latin-1 name on a Linux NAS) reaches Python with
    its bytes as lone surrogates, which no text encoder takes: one such name in a listing
    stopped every sync run when the run was recorded. Its bytes are shown escaped
    (``\\xff``), the rest as it is."""
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate Windows allows in a name
        return name.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def remove_temporary(tmp: Path, *suffixes: str) -> None:
    """Remove the file *tmp*, and those named as it with each of *suffixes* (SQLite's
    "-journal", "-wal", "-shm"), where they are. A failure is only logged: a leftover
    temporary file is harmless, and a scanner still holding one must not turn a write that
    succeeded (or the error that ended one) into another error."""
    for path in (tmp, *(tmp.with_name(tmp.name + suffix) for suffix in suffixes)):
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("cannot remove the temporary file %s: %s", path, exc)


def atomic_write_text(path: Path, text: str,
                      delays: Sequence[float] = REPLACE_DELAYS) -> None:
    """Write *text* (UTF-8) atomically: see atomic_writer."""
    atomic_write_bytes(path, text.encode("utf-8"), delays)


def atomic_write_bytes(path: Path, data: bytes,
                       delays: Sequence[float] = REPLACE_DELAYS) -> None:
    """Write *data* atomically: see atomic_writer."""
    with atomic_writer(path, delays) as fh:
        fh.write(data)


@contextmanager
def atomic_writer(path: Path,
                  delays: Sequence[float] = REPLACE_DELAYS) -> Iterator[BinaryIO]:
    """A binary file to write *path* through, for content too large to hold in memory at once.

    It is a temporary file beside *path*, flushed to disk and renamed over *path* when the
    block ends: readers see the old file or the new one, never a part. The temporary file is
    made anew (create_temporary: a link or pipe put under its name is never written through)
    and the rename replaces whatever is under *path*, a link included, never what it leads
    to. On Windows the rename
    fails while another program has *path* open (PermissionError): it is tried again after
    each of *delays* (1.5 s in all by default) before the error names the file; the GUI
    thread, which must not wait, passes none. On any error the temporary file is removed and
    *path* is as it was; a full disk is said as such."""
    try:
        with replacing(path, delays) as fh:
            yield fh
    except OSError as exc:
        from models.core.faults import storage_fault  # models.core.faults uses this module

        raise storage_fault(exc, path) or UserError(
            N_("Cannot write {path}: {error}"), path=str(path), error=os_reason(exc)) from exc


@contextmanager
def replacing(path: Path, delays: Sequence[float] = REPLACE_DELAYS) -> Iterator[BinaryIO]:
    """atomic_writer's temporary file, flushed to disk and renamed over *path*, with an
    OSError raised as it is: for the caller that says a failure in its own words (a restore
    moving a database across drives names what holds it, not "cannot write")."""
    tmp: Path | None = None
    try:
        tmp, fh = create_temporary(path)
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        retried(lambda: os.replace(tmp, path), delays,
                lambda exc: isinstance(exc, PermissionError))
    finally:
        if tmp is not None:
            remove_temporary(tmp)


_WINDOWS_IN_USE = (32, 33)
"""ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION: CPython reports both as EACCES."""


def in_use(exc: OSError) -> bool:
    """Does *exc* say another program holds the file open for a moment (an antivirus or an
    indexer scanning it)? Windows says so by its own code; Linux's SMB client reports a
    sharing violation as EBUSY. A plain "access denied" is no such thing: waiting would
    not help."""
    return getattr(exc, "winerror", None) in _WINDOWS_IN_USE or exc.errno == errno.EBUSY


_NO_LINKS = (errno.EINVAL, errno.EPERM, errno.EACCES, errno.ENOTSUP, errno.EOPNOTSUPP,
             errno.ENOSYS, errno.EXDEV, errno.EMLINK)
"""How a file system without hard links refuses one. CPython on Windows reports
ERROR_INVALID_FUNCTION and ERROR_NOT_SUPPORTED (exFAT, FAT32, some NAS) as EINVAL; a NAS
whose disk has no links may answer "access denied" (Samba turns EPERM into it): the rename
then says whether the folder refuses writes as well."""


def publish(tmp: Path, path: Path) -> None:
    """Give *tmp* the name *path*, failing with FileExistsError if the name is taken (never
    replacing a file, unlike os.replace). The caller removes *tmp* afterwards (after a hard
    link both names remain)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError as exc:  # a file system without hard links (some shares): rename instead
        if exc.errno not in _NO_LINKS or in_use(exc):
            raise
        if path.exists():
            raise FileExistsError(path) from exc
        os.rename(tmp, path)


def unique_path(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem + suffix``, or with -1, -2 … added when that name is taken."""
    candidate = folder / f"{stem}{suffix}"
    n = 1
    while candidate.exists():
        candidate = folder / f"{stem}-{n}{suffix}"
        n += 1
    return candidate
