"""Opening the database file: create, migrate (after a backup) or refuse.

A new file is created from the current tables and stamped with the newest migration. An older
file is copied aside with SQLite's backup API before Alembic upgrades it, so a failed upgrade
never costs data. A file stamped with a migration this app does not know was written by a newer
release: it is refused rather than opened, because an older app could silently damage fields it
does not understand.
"""

from __future__ import annotations

import sqlite3
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
from models.db import Base, Database, make_engine, utcnow
from models.errors import UserError
from models.files import unique_path
from models.sync_capture import ensure_device, install_capture

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
SCHEMA_HEAD = "0008"
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


def head_revision(migrations: Path = MIGRATIONS) -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(migrations))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None, "the app ships at least one migration"
    return head


def current_revision(connection: Connection) -> str | None:
    """The migration the file was last brought to (None for a file never stamped)."""
    stamped = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).first()
    if stamped is None:
        return None
    row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return str(row[0]) if row else None


def backup_file(source: Path, target: Path) -> None:
    """A consistent copy, safe while another connection writes (SQLite online backup API),
    checked before it is trusted: a backup that is not a complete database is an error."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # A URI built by pathlib: '#', '?' or spaces in the folder name would otherwise make
    # SQLite open (and create) some other, empty file.
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            tables = dst.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            verdict = dst.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dst.close()
    finally:
        src.close()
    if not tables or verdict != "ok":
        target.unlink(missing_ok=True)
        raise UserError(N_("The backup of {path} could not be verified; nothing was changed."),
                        path=str(source))


def open_database(path: Path, migrations: Path = MIGRATIONS) -> Database:
    """Open (creating or upgrading as needed) the database at *path*.

    *migrations* is the Alembic script folder; only tests point it elsewhere, to play an
    upgrade from an older schema."""
    path.parent.mkdir(parents=True, exist_ok=True)
    existed = path.exists() and path.stat().st_size > 0
    engine = make_engine(path)
    try:
        with engine.begin() as connection:
            _prepare(path, connection, existed, migrations)
    except OperationalError as exc:
        engine.dispose()
        raise DatabaseRefused(
            N_("Cannot open the database {path}: {error}"), path=str(path), error=_first(exc)
        ) from exc
    except DatabaseError as exc:  # "file is not a database": some other kind of file
        engine.dispose()
        raise DatabaseRefused(
            N_("The file {path} is not a CrisisDesk database ({error}); it was left untouched."),
            path=str(path),
            error=_first(exc),
        ) from exc
    except BaseException:
        engine.dispose()
        raise
    db = Database(path, engine)
    with engine.begin() as connection:
        ensure_device(connection)
    install_capture(db)
    return db


def _first(exc: DatabaseError) -> str:
    return str(exc.orig).splitlines()[0] if exc.orig else str(exc).splitlines()[0]


def _prepare(path: Path, connection: Connection, existed: bool, migrations: Path) -> None:
    current = current_revision(connection)
    if current is not None and migrations == MIGRATIONS and current == SCHEMA_HEAD:
        return
    from alembic import command
    from alembic.script import ScriptDirectory

    config = alembic_config(connection, migrations)
    script = ScriptDirectory.from_config(config)
    head = script.get_current_head()
    if current is None:
        if existed and set(inspect(connection).get_table_names()) - {"alembic_version"}:
            raise DatabaseRefused(
                N_("The file {path} holds tables but is not a CrisisDesk database; "
                   "it was left untouched."),
                path=str(path),
            )
        Base.metadata.create_all(connection)
        command.stamp(config, "head")
        return
    if current == head:
        return
    try:
        known = script.get_revision(current) is not None
    except Exception:
        known = False
    if not known:
        raise DatabaseRefused(
            N_("The database {path} was written by a newer version of CrisisDesk "
               "(schema {revision}). Install the newer version; this one will not open it, "
               "so that nothing in it is damaged."),
            path=str(path),
            revision=current,
        )
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    backup_file(path, unique_path(path.parent, f"{path.stem}.before-{head}-{stamp}", path.suffix))
    # One transaction (see models/db.py): a failing migration leaves the file as it was.
    command.upgrade(config, "head")
