"""Alembic environment: runs on the connection the app hands over (models/storage/migrate.py), never
on a URL from an ini file, so migrations use the same engine settings as the app."""

import warnings

from alembic import context
from sqlalchemy.exc import SAWarning

from models.incidents.entities import SEARCH_TABLE_PREFIX
from models.schema import TABLES

EXPRESSION_INDEXES = frozenset({"ix_incidents_number"})
"""Indexes on an expression: SQLAlchemy cannot reflect them, so autogenerate would see them
as missing; the migrations create them explicitly."""


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Leave the derived full-text index (an FTS5 virtual table and its shadow tables) and the
    expression indexes out of autogenerate: the migrations write them by hand."""
    if type_ == "table" and name and name.startswith(SEARCH_TABLE_PREFIX):
        return False
    return not (type_ == "index" and name in EXPRESSION_INDEXES)


def include_object(obj: object, name: str | None, type_: str, reflected: bool,
                   compare_to: object) -> bool:
    return not (type_ == "index" and name in EXPRESSION_INDEXES)


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=TABLES,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
    include_name=include_name,
    include_object=include_object,
)
with context.begin_transaction(), warnings.catch_warnings():
    # Reflection and autogenerate warn that they skip expression indexes; they are accounted
    # for by EXPRESSION_INDEXES above.
    warnings.filterwarnings("ignore", message=".*expression-based index", category=SAWarning)
    warnings.filterwarnings("ignore", message=".*expression-based index", category=UserWarning)
    context.run_migrations()
