"""Opening the database file: create, migrate (after a backup) or refuse.

A new file is created from the current tables and stamped with the newest migration. An older
file is copied aside with SQLite's backup API before Alembic upgrades it, so a failed upgrade
never costs data. A file stamped with a migration this app does not know was written by a newer
release: it is refused rather than opened, because an older app could silently damage fields it
does not understand. Only a missing file is new: an empty, cut-short or blank one is damage and
refused (see open_database).
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import (
    Column,
    Connection,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    inspect,
)
from sqlalchemy.exc import DatabaseError, OperationalError

from i18n import N_, _
from models.core.errors import UserError, os_reason
from models.core.faults import (
    BACKUP_FOLDER,
    DatabaseDamaged,
    DatabaseMissing,
    DiskError,
    DiskFull,
    backup_file,
    newest_copy,
    sqlite_reason,
)
from models.core.files import (
    NotRegularFile,
    create_temporary,
    open_regular,
    publish,
    remove_temporary,
    unique_path,
    utc_stamp,
)
from models.storage.db import Database, make_engine
from models.storage.names import SCHEMA_HEAD

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

SQLITE_HEADER = b"SQLite format 3\x00"
"""The first 16 bytes of every SQLite database file (sqlite.org/fileformat.html)."""
MIGRATIONS = Path(__file__).with_name("migrations")


class DatabaseRefused(UserError):
    """The file cannot be opened safely by this version of the app."""


class NotADatabase(DatabaseDamaged, DatabaseRefused):
    """Something other than an SQLite database where one should be: another program's file,
    a file written over the database (an export, a copy gone wrong), a link, a pipe.

    In the database's place it is damage like any other: named with the backup to restore,
    and a restore sets it aside and puts the backup in (the way back). Offered to a restore
    as the backup, it is refused as no CrisisDesk database."""

    def __init__(self, path: Path,
                 problem: str = N_("it is not a database file: another program wrote over "
                                   "it, or it is another kind of file")) -> None:
        super().__init__(path, problem)


SIDE_FILES = ("-wal", "-shm", "-journal")
"""SQLite's files beside a database: its write-ahead log, its index, its rollback journal."""


def alembic_config(connection: Connection, migrations: Path = MIGRATIONS) -> Config:
    from alembic.config import Config

    # Alembic's default stream is the sys.stdout of when alembic.config was first imported,
    # which may be a stream closed since (a test's captured output): the current one instead.
    config = Config(stdout=sys.stdout)
    config.set_main_option("script_location", str(migrations))
    config.attributes["connection"] = connection
    return config


def _scripts(migrations: Path) -> ScriptDirectory:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(migrations))
    return ScriptDirectory.from_config(config)


def head_revision(migrations: Path = MIGRATIONS) -> str:
    head = _scripts(migrations).get_current_head()
    assert head is not None, "the app ships at least one migration"
    return head


def revision_known(revision: str, migrations: Path = MIGRATIONS) -> bool:
    """Whether this app's migrations know *revision*: its own schema or an older one (which
    it upgrades), not one a newer release wrote."""
    return _knows(_scripts(migrations), revision)


def _knows(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # Alembic raises for an id it cannot resolve at all
        return False


def current_revision(connection: Connection) -> str | None:
    """The migration the file was last brought to (None for a file never stamped)."""
    stamped = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).first()
    if stamped is None:
        return None
    row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return str(row[0]) if row else None


Schema = dict[tuple[str, str], frozenset[str]]
"""The tables, indexes, views and triggers of a database by (type, name): each table with
its columns' names, each index, view and trigger with its SQL (blanks made single). SQLite's
own objects (sqlite_*, the indexes of constraints) are left out."""


def schema_of(connection: Connection) -> Schema:
    """The schema of the database open as *connection* (see Schema).

    Tables are compared by their columns only: the order of the constraints in their SQL
    differs between a database the models made and one the migrations brought up to date.
    Indexes, views and triggers by their SQL: a trigger runs code on every change (one that
    deleted the timeline at each sync went unseen), a unique index refuses rows the app
    writes."""
    found: Schema = {}
    for kind, name, sql in connection.exec_driver_sql(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'index', "
            "'view', 'trigger') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").all():
        if kind == "table":
            found[(str(kind), str(name))] = frozenset(str(row[0]) for row in (
                connection.exec_driver_sql("SELECT name FROM pragma_table_info(?)", (name,))))
        else:
            found[(str(kind), str(name))] = frozenset({" ".join(str(sql).split())})
    return found


@cache
def migrated_schema(revision: str) -> Schema:
    """What this app's migrations make of an empty database at *revision*: what a database
    of that revision holds (a new database is made from the models at the newest revision,
    which the migrations match: `alembic check` in the tests)."""
    from alembic import command
    from sqlalchemy import create_engine

    engine = create_engine("sqlite://")  # in memory: one connection, nothing on the disk
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)
            return schema_of(connection)
    finally:
        engine.dispose()


def foreign_schema(connection: Connection, revision: str) -> list[str]:
    """What the database open as *connection*, stamped *revision*, holds that this app's
    migrations do not make at that revision, or lacks of what they make ("trigger evil"),
    and what it holds otherwise than they make it ("table units (not as CrisisDesk makes
    it)": other columns); empty when the schema is the app's."""
    found, expected = schema_of(connection), migrated_schema(revision)
    changed = [f"{kind} {name}" for (kind, name), value in found.items()
               if (kind, name) in expected and expected[(kind, name)] != value]
    return sorted(f"{kind} {name}" for kind, name in set(found) ^ set(expected)) + sorted(
        _("{object} (not as CrisisDesk makes it)").format(object=item) for item in changed)


def open_database(path: Path, tables: MetaData, migrations: Path = MIGRATIONS,
                  on_open: Callable[[Connection], object] | None = None) -> Database:
    """Open (creating or upgrading as needed) the database at *path*, whose *tables* are the
    whole schema (`models.schema.TABLES`: storage knows no feature's tables itself).

    Only a missing file is new, and only when the backups folder beside it holds no copy of
    it (a first start has none; else DatabaseMissing names the copy to restore). A new
    database is built under a temporary name and takes its name once complete, so the app
    never leaves an empty or partial file at *path*: one found there is damage (a failed copy,
    a full disk, a failing drive) and is refused with the newest backup named, never taken
    for a first start and silently replaced by an empty database.

    *migrations* is the Alembic script folder; only tests point it elsewhere, to play an
    upgrade from an older schema. *on_open* runs in its own transaction once the schema is
    current (the sync's device identity), its failures refused as the opening's own."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        copy = newest_copy(path)
        if copy is not None:  # not a first start: the database went missing
            raise DatabaseMissing(path, copy)
        _create(path, tables, migrations)
    check_database_file(path)
    engine = make_engine(path)
    try:
        with engine.begin() as connection:
            _prepare(path, connection, tables, migrations)
        if on_open is not None:
            with engine.begin() as connection:
                on_open(connection)
    except OperationalError as exc:  # a table missing, the file locked: SQLite's words logged
        engine.dispose()
        raise DatabaseRefused(
            N_("Cannot open the database {path}: {error}"), path=str(path),
            error=sqlite_reason(exc, path)) from exc
    except DatabaseError as exc:  # "file is not a database": some other kind of file
        engine.dispose()
        raise DatabaseRefused(
            N_("The file {path} is not a CrisisDesk database ({error}); it was left untouched."),
            path=str(path),
            error=sqlite_reason(exc, path),
        ) from exc
    except BaseException:
        engine.dispose()
        raise
    return Database(path, engine)


def check_database_file(path: Path) -> None:
    """Refuse, before SQLite touches it, a file that cannot be a whole database: empty, shorter
    than SQLite's 100-byte header or blank there (damage), something that is not a database
    at all (NotADatabase: another kind of file, a link, a pipe), a folder in its place, or a
    folder, link or pipe where SQLite's side files go (SQLite's own words for those, "unable
    to open database file", name neither the file nor what to do). Reads 100 bytes, so every
    open can afford it (a full check reads every page: see the daily backup in
    models/storage/backups.py)."""
    head = _head(path)
    if not head:
        raise DatabaseDamaged(path, N_("the file is empty: 0 bytes"))
    if not head.strip(b"\0") or len(head) < 100 and SQLITE_HEADER.startswith(head[:16]):
        raise DatabaseDamaged(path, N_("the file is cut short or blank"))
    if not head.startswith(SQLITE_HEADER):
        raise NotADatabase(path)
    check_side_files(path)


def check_side_files(path: Path) -> None:
    """Refuse a folder, link or device where SQLite keeps a file beside the database *path*
    (SIDE_FILES): SQLite says only "unable to open database file" or "attempt to write a
    readonly database", naming neither the file nor what to do."""
    for suffix in SIDE_FILES:
        side = path.with_name(path.name + suffix)
        try:
            mode = os.lstat(side).st_mode
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise DatabaseRefused(N_("Cannot open the database {path}: {error}"),
                                  path=str(side), error=os_reason(exc)) from exc
        if not stat.S_ISREG(mode):
            raise DatabaseRefused(
                N_("{file} is in the way of the database {path}: it is not a file but a "
                   "folder, a link or a device, where SQLite keeps a file of its own. Move it "
                   "away, then try again."), file=str(side), path=str(path))


def _head(path: Path) -> bytes:
    """The first 100 bytes of the database file *path*, read from a regular file only
    (models.core.files.open_regular: a pipe would block the open for good)."""
    try:
        with open_regular(path) as fh:
            return fh.read(100)
    except NotRegularFile:
        if path.is_dir() and not path.is_symlink():
            raise DatabaseRefused(
                N_("{path} is a folder, not the database file. CrisisDesk did not make it: "
                   "move it out of the data folder, then try again (restore the newest "
                   "backup if it held the database)."), path=str(path)) from None
        raise NotADatabase(path, N_("it is not a regular file: a link, a pipe or a "
                                    "device")) from None
    except OSError as exc:
        raise DatabaseRefused(N_("Cannot open the database {path}: {error}"), path=str(path),
                              error=os_reason(exc)) from exc


def database_size(path: Path) -> int:
    """The size of the database *path* in bytes, as its header gives it (page size × page
    count), checked against the file before anything copies it.

    SQLite copies (backup API) as many pages as the header says, or, when the header does
    not say (its size field is zero, or stale: bytes 92 to 95 differ from the change counter
    at 24), the whole file: a sparse file of 10 GB that claims nothing would take a minute
    and 10 GB of disk before the copy's check refused it. Every SQLite since 3.7.0 (2010)
    keeps the size valid, so a file without it is not a backup the app made: damaged. A
    file shorter than its header says is cut short."""
    head = _head(path)
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    if (not pages or head[24:28] != head[92:96] or page_size < 512
            or page_size & (page_size - 1)):
        raise DatabaseDamaged(path, N_("its header does not say how large it is"))
    try:
        actual = os.stat(path).st_size
    except OSError as exc:
        raise DatabaseRefused(N_("Cannot open the database {path}: {error}"), path=str(path),
                              error=os_reason(exc)) from exc
    if actual < page_size * pages:
        raise DatabaseDamaged(path, N_("the file is cut short or blank"))
    return page_size * pages


def _stamp(connection: Connection, migrations: Path) -> None:
    """Record in a new database that its tables are those of the newest migration.

    With the shipped migrations, the version table is written as Alembic's own stamp writes
    it (alembic.ddl.impl.DefaultImpl.version_table_impl; a test compares the two): loading
    Alembic for it took a quarter of a second of a first start, before the playbook could
    show. Other migrations (tests playing an upgrade) are stamped by Alembic."""
    if migrations != MIGRATIONS:
        from alembic import command

        command.stamp(alembic_config(connection, migrations), "head")
        return
    version = Table("alembic_version", MetaData(),
                    Column("version_num", String(32), nullable=False),
                    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"))
    version.create(connection)
    connection.execute(version.insert().values(version_num=SCHEMA_HEAD))


def _create(path: Path, tables: MetaData, migrations: Path) -> None:
    """A new database at *path*, built complete under a temporary name first."""
    tmp, made = create_temporary(path, "new")  # made anew: SQLite opens our own empty file
    made.close()
    try:
        engine = make_engine(tmp)
        try:
            with engine.begin() as connection:
                tables.create_all(connection)
                _stamp(connection, migrations)
        finally:
            engine.dispose()  # the last connection's close folds the -wal file into it
        publish(tmp, path)
    except FileExistsError:
        pass  # another process (the window, a scheduled sync) created it meanwhile: use that
    except (DiskFull, DiskError) as exc:
        raise type(exc)(path) from exc  # the user knows the database, not our temporary name
    finally:  # after a hard link, the temporary name is still there
        remove_temporary(tmp, "-wal", "-shm", "-journal")


def _prepare(path: Path, connection: Connection, tables: MetaData, migrations: Path) -> None:
    current = current_revision(connection)
    if current is not None and migrations == MIGRATIONS and current == SCHEMA_HEAD:
        return
    from alembic import command
    from alembic.script import ScriptDirectory

    config = alembic_config(connection, migrations)
    script = ScriptDirectory.from_config(config)
    head = script.get_current_head()
    if current is None:
        if set(inspect(connection).get_table_names()) - {"alembic_version"}:
            raise DatabaseRefused(
                N_("The file {path} holds tables but is not a CrisisDesk database; "
                   "it was left untouched."),
                path=str(path),
            )
        # An SQLite file with nothing in it (made by some tool): nothing to lose.
        tables.create_all(connection)
        command.stamp(config, "head")
        return
    if current == head:
        return
    if not _knows(script, current):
        raise DatabaseRefused(
            N_("The database {path} was written by a newer version of CrisisDesk "
               "(schema {revision}). Install the newer version; this one will not open it, "
               "so that nothing in it is damaged."),
            path=str(path),
            revision=current,
        )
    backup_file(path, unique_path(path.parent / BACKUP_FOLDER,
                                  f"{path.stem}.before-{head}-{utc_stamp()}", path.suffix))
    # One transaction (see models/storage/db.py): a failing migration leaves the file as it was.
    command.upgrade(config, "head")
