"""The data folder's own backups, and putting a backup back.

Daily: the window's first start of a day copies the database into ``backups/`` of the data
folder (`daily_backup`) and keeps the newest `DAILY_KEEP` of them. The copy is made with SQLite's
backup API and integrity-checked (`models.core.faults.backup_file`), so it is also the day's full
check of the database: a damaged one is found there, not by a check at every start (a full
check reads every page: for a 230 MB file, 0.16 s for quick_check and 0.54 s for
integrity_check with a warm cache, seconds from a cold office disk).

Restore (`restore`): the backup is copied into the data folder and checked there (a complete,
undamaged SQLite file; a schema this app knows, its own or older, which the next start
upgrades, with exactly the tables, columns, views and triggers this app's migrations give
that schema: a restore file is untrusted input, and other programs use Alembic's ids too)
before anything is changed; the database in use is then copied (or, damaged, moved)
into ``backups/`` and the checked copy takes its place with one rename. A refusal changes nothing;
no step leaves half a database under the database's name.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.exc import DBAPIError

from i18n import N_
from models.core.errors import UserError, os_reason
from models.core.faults import (
    BACKUP_FOLDER,
    DatabaseDamaged,
    DiskError,
    DiskFull,
    backup_file,
    copy_database,
    in_the_future,
    sqlite_reason,
    storage_fault,
)
from models.core.files import (
    REPLACE_DELAYS,
    open_regular,
    remove_temporary,
    replacing,
    retried,
    temporary_beside,
    utc_stamp,
)
from models.storage.migrate import (
    NotADatabase,
    Schema,
    check_database_file,
    check_side_files,
    current_revision,
    database_size,
    migrated_schema,
    revision_known,
    schema_of,
)
from models.storage.names import DATABASE_FILE, SCHEMA_HEAD

log = logging.getLogger(__name__)

DAILY_KEEP = 14
"""Daily backups kept: two weeks of working days back, about 14 × the database's size."""


def daily_backup(database: Path, today: date) -> Path | None:
    """Today's backup of *database* in its backups folder, made if it is not there yet (the
    day's first start); the oldest daily ones beyond DAILY_KEEP are then deleted. Returns the
    new file, or None when today's exists already. A damaged database raises DatabaseDamaged
    (its copy fails the integrity check) and no file is made."""
    folder = database.parent / BACKUP_FOLDER
    target = folder / f"{database.stem}-{today:%Y%m%d}{database.suffix}"
    if target.exists():
        return None
    backup_file(database, target)
    # By when they were made, not by the date in their names: after the PC's clock ran ahead
    # (names dated next year), today's copy would sort first and be deleted at once, and
    # made again at every start. Today's is kept whatever the others say. Those made while
    # the clock ran ahead (dated in the future) go first: kept as the newest, they would
    # push out every copy made since, one a day.
    daily = re.compile(rf"{re.escape(database.stem)}-\d{{8}}{re.escape(database.suffix)}")
    others = [(p, p.stat().st_mtime) for p in folder.iterdir()
              if daily.fullmatch(p.name) and p != target]
    for old, _made in sorted(others, key=lambda item: (
            not in_the_future(item[1]), item[1], item[0].name))[:-(DAILY_KEEP - 1)]:
        old.unlink(missing_ok=True)
    return target


class RestoreRefused(UserError):
    """The backup cannot be restored, or not now; nothing was changed."""


@dataclass(frozen=True)
class Restored:
    backup: Path
    """The file that was restored (it is left where it was)."""
    database: Path
    set_aside: Path | None
    """Where the database that was in use now is (None: there was none)."""
    revision: str
    """The restored file's schema."""

    @property
    def older(self) -> bool:
        """Made by an older version: its schema is upgraded when the app next opens it."""
        return self.revision != SCHEMA_HEAD


def restore(data_dir: Path, backup: Path) -> Restored:
    """Put *backup* in place of the data folder's database (see the module docstring).

    Neither the window nor another program may have the database open: the window closes its
    connections first, and a database still open elsewhere (another window, a scheduled
    main.py sync) is refused as in use."""
    database = data_dir / DATABASE_FILE
    if not backup.exists():
        raise RestoreRefused(N_("{path} cannot be restored: there is no such file. Nothing "
                                "was changed."), path=str(backup))
    if not backup.is_file():
        raise RestoreRefused(N_("{path} cannot be restored: it is not a file but a folder, a "
                                "pipe or a device. Nothing was changed."), path=str(backup))
    if database.exists() and backup.resolve() == database.resolve():
        raise RestoreRefused(N_("{path} is the database in use, not a backup of it. Nothing "
                                "was changed."), path=str(backup))
    data_dir.mkdir(parents=True, exist_ok=True)
    check_side_files(database)  # before anything is copied or set aside
    incoming = temporary_beside(database, "restore")
    stamp = utc_stamp()
    try:
        revision = _checked_copy(backup, incoming, database)
        set_aside = _set_aside(database, stamp) if os.path.lexists(database) else None
        moved = set_aside is not None and ".damaged-" in set_aside.name
        try:
            # *incoming* was written and closed a moment ago, which is when an antivirus
            # scans a new file; Windows refuses the replace meanwhile.
            retried(lambda: os.replace(incoming, database), REPLACE_DELAYS,
                    lambda exc: isinstance(exc, PermissionError))
        except OSError as exc:
            if set_aside is not None and moved:
                try:
                    _move_back(set_aside, database)
                except OSError as again:
                    raise RestoreRefused(
                        N_("{path} cannot be replaced now ({error}), and the damaged database "
                           "could not be put back: it is kept as {moved}. Close every program "
                           "using the data folder, then restore a backup again."),
                        path=str(database), error=os_reason(exc), moved=str(set_aside)) from again
            # A copy of a sound database stays in backups/: it is a backup like any other.
            raise _in_use(database, exc) from exc
    finally:
        remove_temporary(incoming, "-journal")
    # Only now: until the replace, the index file belonged to the database in use (its -wal
    # file was folded in when _set_aside closed it, or the restore stopped there).
    remove_temporary(database.with_name(database.name + "-shm"))
    return Restored(backup, database, set_aside, revision)


def _checked_copy(backup: Path, incoming: Path, database: Path) -> str:
    """Copy *backup* to *incoming* (SQLite's backup API, so a -wal file beside it counts),
    check the copy and make sure it is on the disk; its schema revision.

    Before anything is copied, the file's header must give its size, and the file hold it
    (models.storage.migrate.database_size): the copy then takes that many pages, never a sparse
    tail of gigabytes. A rollback journal beside the backup means it was copied in the
    middle of a change: SQLite would have to write to the backup to undo it (it reads it
    read-only, and said "attempt to write a readonly database"). The index file (-shm)
    SQLite makes beside a backup that has a -wal file is removed again: a restore changes
    nothing where the backup lies. Messages name the backup and the database, never the
    temporary copy."""
    not_ours = RestoreRefused(N_("{path} cannot be restored: it is not a CrisisDesk database. "
                                 "Nothing was changed."), path=str(backup))
    journal = backup.with_name(backup.name + "-journal")
    if journal.is_file() and journal.stat().st_size:
        raise RestoreRefused(
            N_("{path} cannot be restored: {journal} beside it shows it was copied in the "
               "middle of a change. Choose another backup (or move that file away if you "
               "know it does not belong to this one). Nothing was changed."),
            path=str(backup), journal=str(journal))
    index = backup.with_name(backup.name + "-shm")
    had_index = os.path.lexists(index)
    try:
        check_database_file(backup)
        database_size(backup)
        backup_file(backup, incoming)
    except NotADatabase as exc:
        raise not_ours from exc
    except DatabaseDamaged as exc:
        raise RestoreRefused(
            N_("{path} cannot be restored: it is damaged ({problem}). Choose another backup. "
               "Nothing was changed."), path=str(backup), problem=exc.params["problem"]) from exc
    except DiskFull as exc:
        raise RestoreRefused(N_("{path} cannot be restored. {reason}"), path=str(backup),
                             reason=DiskFull(database)) from exc
    except DiskError as exc:
        raise RestoreRefused(
            N_("{path} cannot be restored: the disk could not read it, or write its copy "
               "beside {database} (the details are in the log for IT). Nothing was changed."),
            path=str(backup), database=str(database)) from exc
    except UserError as exc:  # unreadable, side files in the way
        raise RestoreRefused(N_("{path} cannot be restored. {reason}"), path=str(backup),
                             reason=exc) from exc
    except sqlite3.Error as exc:
        raise RestoreRefused(N_("{path} cannot be restored: it cannot be read as a database "
                                "({error}). Nothing was changed."),
                             path=str(backup), error=sqlite_reason(exc, backup)) from exc
    finally:
        if not had_index:
            remove_temporary(index)
    try:
        revision, schema = _revision_and_schema(incoming)
    except DBAPIError as exc:  # a virtual table of a module this SQLite lacks, say
        log.warning("restore of %s refused: its schema cannot be read: %s", backup, exc)
        raise not_ours from exc
    if revision is None:
        raise not_ours
    if revision != SCHEMA_HEAD and not revision_known(revision):
        raise RestoreRefused(
            N_("{path} cannot be restored: a newer version of CrisisDesk wrote it (schema "
               "{revision}). Install that version first. Nothing was changed."),
            path=str(backup), revision=revision)
    expected = migrated_schema(revision)
    if schema != expected:
        log.warning("restore of %s refused: schema %s, but not ours: unexpected %s; missing %s",
                    backup, revision, sorted(set(schema.items()) - set(expected.items())),
                    sorted(set(expected.items()) - set(schema.items())))
        raise not_ours
    with open(incoming, "rb+") as fh:
        os.fsync(fh.fileno())
    return revision


def _revision_and_schema(path: Path) -> tuple[str | None, Schema]:
    """The schema stamp and the schema of the database file at *path*, read without changing
    the file."""
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(
        f"{path.resolve().as_uri()}?mode=ro", uri=True))
    try:
        with engine.connect() as connection:
            return current_revision(connection), schema_of(connection)
    finally:
        engine.dispose()


def _set_aside(database: Path, stamp: str) -> Path:
    """Keep the database in use in the backups folder; its path there.

    A sound database is copied through a connection that holds it exclusively (so nothing
    writes into it meanwhile, and what its -wal file holds is in the copy), then closed, which
    folds the -wal file in and deletes it. A -wal file still there after the close (the close
    could not fold it in, or another program opened the database meanwhile) would be read
    into the restored database, and deleting it would take from the database in use what
    only it holds: the restore stops there, the copy kept. A damaged database cannot be
    copied that way: it is moved there as it is, with its -wal file."""
    folder = database.parent / BACKUP_FOLDER
    try:
        check_database_file(database)
        lock = _lock(database)
    except DatabaseDamaged:
        return _move_damaged(database, folder / f"{database.stem}.damaged-{stamp}"
                                                f"{database.suffix}")
    target = folder / f"{database.stem}.replaced-{stamp}{database.suffix}"
    try:
        copy_database(lock, database, target)
    except DatabaseDamaged:
        lock.close()
        return _move_damaged(database, folder / f"{database.stem}.damaged-{stamp}"
                                                f"{database.suffix}")
    except BaseException:
        lock.close()
        raise
    lock.close()
    if database.with_name(database.name + "-wal").exists():
        raise RestoreRefused(
            N_("{path} could not be closed cleanly: its -wal file is still there, so it was "
               "not replaced. A copy of it with everything it held is kept as {copy}. Close "
               "every program using it, then try again."), path=str(database), copy=str(target))
    return target


def _move_damaged(database: Path, target: Path) -> Path:
    """Move a damaged database (or whatever else lies in its place: another program's file,
    an export written over it, a link) and its -wal file to *target* unchanged (for IT, or
    a data recovery service); its -shm file, an index SQLite rebuilds, is deleted."""
    target.parent.mkdir(parents=True, exist_ok=True)
    wal = database.with_name(database.name + "-wal")
    try:
        _move(database, target)
        if wal.exists():
            try:
                _move(wal, target.with_name(target.name + "-wal"))
            except OSError:
                _move(target, database)  # never leave the old -wal beside the new file
                raise
    except OSError as exc:  # Windows: another program holds the file
        raise _in_use(database, exc) from exc
    remove_temporary(database.with_name(database.name + "-shm"))
    return target


def _move(source: Path, target: Path) -> None:
    """Rename *source* to *target*; where they are on different drives (the backups folder
    a link to another disk), copy it, make sure the copy is on the disk, then remove
    *source*. A link or pipe is moved by its name only: across drives it is refused."""
    try:
        os.replace(source, target)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    try:
        with replacing(target, delays=()) as out, open_regular(source) as src:
            shutil.copyfileobj(src, out, 1024 * 1024)
    except UserError as exc:  # open_regular refused a link or a pipe
        raise OSError(errno.EXDEV, str(exc), str(source)) from exc
    source.unlink()


def _in_use(database: Path, exc: OSError) -> RestoreRefused:
    """The refusal of a restore whose move or replace of *database* the system refused (on
    Windows: another program holds the file), before anything changed."""
    return RestoreRefused(
        N_("{path} cannot be replaced now ({error}): close every program using it, then try "
           "again. Nothing was changed."), path=str(database), error=os_reason(exc))


def _move_back(moved: Path, database: Path) -> None:
    """Undo _move_damaged."""
    os.replace(moved, database)
    wal = moved.with_name(moved.name + "-wal")
    if wal.exists():
        os.replace(wal, database.with_name(database.name + "-wal"))


def _lock(database: Path) -> sqlite3.Connection:
    """A connection holding the database exclusively; refused when any other connection has
    it open (in WAL mode every open connection holds a shared lock), the window's or a
    scheduled sync's."""
    con = sqlite3.connect(f"{database.resolve().as_uri()}", uri=True, timeout=0,
                          isolation_level=None)
    try:
        con.execute("PRAGMA locking_mode=EXCLUSIVE")
        con.execute("BEGIN EXCLUSIVE")
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        con.execute("COMMIT")  # the lock stays: in exclusive mode it is kept until closed
    except sqlite3.Error as exc:
        con.close()
        raise storage_fault(exc, database) or RestoreRefused(
            N_("The database {path} is in use: close every CrisisDesk window on this PC (and "
               "stop any scheduled main.py sync), then try again. Nothing was changed."),
            path=str(database)) from exc
    return con
