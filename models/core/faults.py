"""What can go wrong with the files under the database, said so that the user can act, and the
verified copies that let them recover.

Why one place: SQLite reports a full disk, a failing disk and a damaged file with the same few
result codes wherever they surface (opening, a save, a backup, a read deep inside a query).
Turning them into UserErrors here (through `models.storage.db.make_engine`'s error hook, `backup_file`
and `models.core.files.atomic_write_bytes`) means the window and the command line both say what
happened and what to do, in the user's language, instead of a raw English exception; and the
transaction that met the error is rolled back as any failed action is, so nothing is half-saved.

Why the backups are found here too: a damaged database is only useful to hear about together
with the copy to restore, so the message names the newest one in the data folder.

No SQLAlchemy here: the window imports this module's errors before the database layer loads.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import time
from pathlib import Path

from i18n import N_
from models.core.errors import UserError, os_reason
from models.core.files import create_temporary, remove_temporary

log = logging.getLogger(__name__)

BACKUP_FOLDER = "backups"
"""Inside the data folder: every copy the app makes by itself (daily, before an upgrade, the
database a restore replaced, a damaged file set aside)."""

_SQLITE_FULL, _SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_NOTADB = 13, 10, 11, 26
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_CANTOPEN = 3, 5, 6, 8, 14
"""SQLite's primary result codes (sqlite.org/rescode.html); extended codes keep them in the
low byte."""


def _primary(exc: BaseException) -> int | None:
    """The primary SQLite result code of *exc* (sqlite3's, or SQLAlchemy's wrapping one)."""
    code = getattr(getattr(exc, "orig", None) or exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def sqlite_reason(exc: BaseException, path: Path) -> UserError:
    """Why SQLite refused *path*, in the user's language, to put in a message as its reason.

    SQLite's own text ("no such table: units", "database is locked") is English and means
    nothing to a user: it goes to the log, for IT staff."""
    log.warning("SQLite refused %s: %s", path, getattr(exc, "orig", None) or exc)
    primary = _primary(exc)
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return UserError(N_("another program is using it"))
    if primary in (_SQLITE_PERM, _SQLITE_READONLY):
        return UserError(N_("no permission to write it, or the disk is read-only"))
    if primary == _SQLITE_CANTOPEN:
        return UserError(N_("it cannot be opened: the folder or the file does not allow it"))
    return UserError(N_("SQLite cannot use it as it is; the details are in the log for IT"))


class DiskFull(UserError):
    """The disk (or the user's quota) is full: the save was rolled back."""

    def __init__(self, path: Path) -> None:
        super().__init__(N_("The disk holding {path} is full, so nothing was saved. Free some "
                            "space on it (or ask IT), then try again."), path=str(path))


class DiskError(UserError):
    """The operating system could not read or write the file (a failing disk, a removed
    drive, a network drive gone for a moment): SQLite's "disk I/O error".

    Often passing: the database is usually sound. A restore would take away everything saved
    since the backup, so it is IT's call, not advice for any I/O error."""

    def __init__(self, path: Path) -> None:
        super().__init__(N_("The disk could not read or write {path}, so nothing was saved. "
                            "Try again; if it happens again, ask IT to check the disk. Do not "
                            "restore a backup unless IT says so: it would take away what was "
                            "saved since."), path=str(path))


class DatabaseDamaged(UserError):
    """The database file is damaged (cut short, blank, pages overwritten): named with the
    newest backup to restore, and what to do. *problem* is a msgid (N_)."""

    def __init__(self, path: Path, problem: str) -> None:
        reason = UserError(problem)  # translated when shown, as the message
        backup = newest_backup(path)
        if backup is not None:
            super().__init__(
                N_("The database {path} is damaged ({problem}). Nothing was changed in it. "
                   "Restore the newest backup, {backup}, with File ▸ Restore from a backup… "
                   "or main.py restore; ask IT if unsure."),
                path=str(path), problem=reason, backup=str(backup))
        else:
            super().__init__(
                N_("The database {path} is damaged ({problem}). Nothing was changed in it. "
                   "There is no backup in {folder}: ask IT for a copy (main.py backup makes "
                   "them) and restore it with File ▸ Restore from a backup… or main.py "
                   "restore."),
                path=str(path), problem=reason, folder=str(path.parent / BACKUP_FOLDER))


class DatabaseMissing(UserError):
    """The database file is gone, but the backups folder beside it holds copies of it: it was
    moved or deleted, quarantined by an antivirus, or a restore could not finish. A first
    start has no backups folder, so a new, empty database here would silently take the
    place of the user's records: refused, naming the copy to restore."""

    def __init__(self, path: Path, copy: Path) -> None:
        super().__init__(
            N_("The database {path} is missing, but {folder} holds copies of it: it was moved "
               "or deleted (an antivirus may have quarantined it). No new database was made "
               "in its place. Restore the newest copy, {backup}, with File ▸ Restore from a "
               "backup… or main.py restore; ask IT if unsure."),
            path=str(path), folder=str(path.parent / BACKUP_FOLDER), backup=str(copy))


def storage_fault(exc: BaseException, path: Path) -> UserError | None:
    """The UserError that says what *exc* (from SQLite or the operating system, met while
    working on *path*) means for the user, or None when it is not a storage fault."""
    if isinstance(exc, sqlite3.Error):
        primary = _primary(exc)
        if primary == _SQLITE_FULL:
            return DiskFull(path)
        if primary == _SQLITE_IOERR:
            return DiskError(path)
        if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
            return DatabaseDamaged(path, N_("SQLite reports it as malformed"))
    elif isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(path)
    return None


def backup_file(source: Path, target: Path) -> None:
    """A consistent copy of the database *source* at *target*, safe while another connection
    writes: see copy_database."""
    try:
        # A URI built by pathlib: '#', '?' or spaces in the folder name would otherwise make
        # SQLite open (and create) some other, empty file.
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise storage_fault(exc, source) or exc
    try:
        copy_database(src, source, target)
    finally:
        src.close()


def copy_database(src: sqlite3.Connection, source: Path, target: Path) -> None:
    """Copy the database *source*, open as *src*, to *target* with SQLite's online backup API
    (which also takes what is still in the -wal file), and check the copy before it is trusted.

    The copy is built under a temporary name and renamed when verified, so *target* is a whole
    database or absent, even after a crash or a full disk. It is left in rollback-journal mode:
    one self-contained file, readable from read-only media. A copy that fails SQLite's
    integrity check means *source* is damaged (the API copies pages as they are)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        tmp, made = create_temporary(target)  # made anew: SQLite then opens our own file
    except OSError as exc:  # a folder that takes no file: named, never our temporary name
        raise storage_fault(exc, target) or UserError(
            N_("Cannot write {path}: {error}"), path=str(target),
            error=os_reason(exc)) from exc
    made.close()
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
            tables = dst.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            verdict = dst.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.Error as exc:  # pages too damaged to check; a full or failing disk
            fault = storage_fault(exc, source)  # is the target's
            if isinstance(fault, (DiskFull, DiskError)):
                fault = storage_fault(exc, target)
            raise fault or exc
        finally:
            dst.close()
        if not tables or verdict != "ok":
            raise DatabaseDamaged(source, N_("a copy of it fails SQLite's integrity check"))
        os.replace(tmp, target)
    finally:
        remove_temporary(tmp, "-journal")


def newest_copy(database: Path) -> Path | None:
    """The newest backup of *database* (newest_backup), else the newest file a restore set
    aside (the database it replaced, or a damaged one); None when the backups folder holds
    no copy of it at all."""
    found = newest_backup(database)
    if found is not None:
        return found
    folder = database.parent / BACKUP_FOLDER
    try:
        kept = [p for p in folder.glob(f"{database.stem}.*{database.suffix}") if p.is_file()]
        return max(kept, key=lambda p: p.stat().st_mtime, default=None)
    except OSError:
        return None


CLOCK_SLACK = 5 * 60
"""Seconds a file's time may lie ahead of this PC's clock before it counts as dated in the
future (a clock corrected by a few minutes meanwhile)."""


def backups_of(database: Path) -> list[tuple[Path, float]]:
    """The backups of *database* in its data folder's backups folder, each with the time it
    was made (its modification time): the daily ones, those made before an upgrade (or by
    main.py backup into that folder), never a file a restore set aside; none when the
    folder cannot be read."""
    folder = database.parent / BACKUP_FOLDER
    stem, suffix = database.stem, database.suffix
    try:
        return [(p, p.stat().st_mtime) for pattern in (f"{stem}-*{suffix}",
                                                        f"{stem}.before-*{suffix}")
                for p in folder.glob(pattern) if p.is_file()]
    except OSError:  # the folder is unreadable: no backup to point to
        return []


def in_the_future(made: float, now: float | None = None) -> bool:
    """Is the time *made* ahead of this PC's clock (beyond CLOCK_SLACK)? The PC's clock ran
    ahead when the file was made, or someone set its time: the newest by its time it is
    not."""
    return made > (time.time() if now is None else now) + CLOCK_SLACK


def newest_backup(database: Path) -> Path | None:
    """The newest backup of *database* (backups_of); None if there is none. Those dated in
    the future come only when there is no other: their time says nothing of how recent
    they are."""
    found = backups_of(database)
    present = [(p, made) for p, made in found if not in_the_future(made)]
    return max(present or found, key=lambda item: item[1], default=(None, 0.0))[0]
