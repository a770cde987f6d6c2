"""Alembic environment: runs on the connection the app hands over (models/migrate.py), never
on a URL from an ini file, so migrations use the same engine settings as the app."""

from alembic import context

from models.db import Base
import models.entities  # noqa: F401  (registers the tables on Base.metadata)
import models.incident_entities  # noqa: F401
from models.incident_entities import SEARCH_TABLE_PREFIX


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Leave the derived full-text index (an FTS5 virtual table and its shadow tables) out of
    autogenerate: SQLAlchemy cannot describe it, the migrations create it with plain DDL."""
    return not (type_ == "table" and name and name.startswith(SEARCH_TABLE_PREFIX))


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
    include_name=include_name,
)
with context.begin_transaction():
    context.run_migrations()
