"""Alembic environment: runs on the connection the app hands over (models/migrate.py), never
on a URL from an ini file, so migrations use the same engine settings as the app."""

from alembic import context

from models.db import Base
import models.entities  # noqa: F401  (registers the tables on Base.metadata)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
