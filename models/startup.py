"""Everything the app does to a data folder before the first screen can use it."""

from __future__ import annotations

from pathlib import Path

from models.db import Database
from models.migrate import open_database
from models.playbook_store import ensure_default_playbook
from models.settings import DATABASE_FILE
from models.units import ensure_default_units


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
