"""The composition root: everything the app does to a data folder before the first screen can
use it. Storage opens the file with the schema's tables; the sync then gives it its device
identity and records every later edit; the playbook and units are seeded."""

from __future__ import annotations

from pathlib import Path

from models.org.units import ensure_default_units
from models.playbook.store import ensure_default_playbook
from models.schema import RULES, TABLES
from models.storage import migrate
from models.storage.db import Database
from models.storage.names import DATABASE_FILE
from models.sync.capture import ensure_device, install_capture


def open_database(path: Path, migrations: Path = migrate.MIGRATIONS) -> Database:
    """Open (create, migrate) the database at *path* and install the sync's capture on it.
    *migrations* is for tests that play an upgrade from an older schema."""
    db = migrate.open_database(path, TABLES, migrations, on_open=ensure_device)
    install_capture(db, RULES)
    return db


def open_data_dir(data_dir: Path, office_code: str) -> Database:
    """Open (create, migrate) the database and seed the default playbook and units."""
    db = open_database(data_dir / DATABASE_FILE)
    try:
        ensure_default_playbook(db)
        ensure_default_units(db, office_code)
    except BaseException:
        db.close()
        raise
    return db
