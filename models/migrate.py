"""Opening the database file: create, migrate (after a backup) or refuse.

A new file is created from the current tables and stamped with the newest migration. An older
file is copied aside with SQLite's backup API before Alembic upgrades it, so a failed upgrade
never costs data. A file stamped with a migration this app does not know was written by a newer
release: it is refused rather than opened, because an older app could silently damage fields it
does not understand. Only a missing file is new: an empty, cut-short or blank one is damage and
refused (see open_database).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect
from sqlalchemy.exc import DatabaseError, OperationalError

import models.entities  # noqa: F401  (registers the tables on Base.metadata)
import models.incident_entities  # noqa: F401
import models.drill_entities  # noqa: F401
import models.drill_report_entities  # noqa: F401
import models.signed_copy_entities  # noqa: F401
import models.scenario_entities  # noqa: F401
import models.sync_entities  # noqa: F401
from i18n import N_
from models.db import Base, Database, make_engine
from models.errors import UserError, os_reason
from models.files import create_temporary, publish, remove_temporary, unique_path, utc_stamp
from models.storage import (
    BACKUP_FOLDER,
    DatabaseDamaged,
    DatabaseMissing,
    DiskError,
    DiskFull,
    backup_file,
    newest_copy,
    sqlite_reason,
)
from models.sync_capture import ensure_device, install_capture

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

SQLITE_HEADER = b"SQLite format 3\x00"
"""The first 16 bytes of every SQLite database file (sqlite.org/fileformat.html)."""
MIGRATIONS = Path(__file__).with_name("migrations")
SCHEMA_HEAD = "0007"
"""The newest shipped migration. Known without Alembic, so an everyday start (nothing to
migrate) does not pay for loading Alembic; a test keeps it equal to the scripts' head."""


class DatabaseRefused(UserError):
    """The file cannot be opened safely by this version of the app."""


def alembic_config(connection: Connection, migrations: Path = MIGRATIONS) -> Config:
    from alembic.config import Config

    config = Config()
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


def open_database(path: Path, migrations: Path = MIGRATIONS) -> Database:
    """Open (creating or upgrading as needed) the database at *path*.

    Only a missing file is new, and only when the backups folder beside it holds no copy of
    it (a first start has none; else DatabaseMissing names the copy to restore). A new
    database is built under a temporary name and takes its name once complete, so the app
    never leaves an empty or partial file at *path*: one found there is damage (a failed copy,
    a full disk, a failing drive) and is refused with the newest backup named, never taken
    for a first start and silently replaced by an empty database.

    *migrations* is the Alembic script folder; only tests point it elsewhere, to play an
    upgrade from an older schema."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        copy = newest_copy(path)
        if copy is not None:  # not a first start: the database went missing
            raise DatabaseMissing(path, copy)
        _create(path, migrations)
    check_database_file(path)
    engine = make_engine(path)
    try:
        with engine.begin() as connection:
            _prepare(path, connection, migrations)
        with engine.begin() as connection:
            ensure_device(connection)
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
    db = Database(path, engine)
    install_capture(db)
    return db


def check_database_file(path: Path) -> None:
    """Refuse, before SQLite touches it, a file that cannot be a whole database: empty, shorter
    than SQLite's 100-byte header or blank there (damage), or some other kind of file. Reads
    100 bytes, so every open can afford it (a full check reads every page: see the daily
    backup in models/backups.py)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise DatabaseRefused(N_("Cannot open the database {path}: {error}"), path=str(path),
                              error=os_reason(exc)) from exc
    if not head:
        raise DatabaseDamaged(path, N_("the file is empty: 0 bytes"))
    if len(head) < 100 or not head.strip(b"\0"):
        raise DatabaseDamaged(path, N_("the file is cut short or blank"))
    if not head.startswith(SQLITE_HEADER):
        raise DatabaseRefused(N_("The file {path} is not a CrisisDesk database; it was left "
                                 "untouched."), path=str(path))


def _create(path: Path, migrations: Path) -> None:
    """A new database at *path*, built complete under a temporary name first."""
    from alembic import command

    tmp, made = create_temporary(path, "new")  # made anew: SQLite opens our own empty file
    made.close()
    try:
        engine = make_engine(tmp)
        try:
            with engine.begin() as connection:
                Base.metadata.create_all(connection)
                command.stamp(alembic_config(connection, migrations), "head")
        finally:
            engine.dispose()  # the last connection's close folds the -wal file into it
        publish(tmp, path)
    except FileExistsError:
        pass  # another process (the window, a scheduled sync) created it meanwhile: use that
    except (DiskFull, DiskError) as exc:
        raise type(exc)(path) from exc  # the user knows the database, not our temporary name
    finally:  # after a hard link, the temporary name is still there
        remove_temporary(tmp, "-wal", "-shm", "-journal")


def _prepare(path: Path, connection: Connection, migrations: Path) -> None:
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
        Base.metadata.create_all(connection)
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
    # One transaction (see models/db.py): a failing migration leaves the file as it was.
    command.upgrade(config, "head")
