"""The database's file name in the data folder and its newest schema, in a module of their own:
the settings read before the window shows need the name (to tell the data folder's own files),
the playbook's first read the schema (models/playbook/first_read.py), and neither may load
SQLAlchemy."""

DATABASE_FILE = "crisisdesk.sqlite3"

SCHEMA_HEAD = "0018"
"""The newest shipped migration. Known without Alembic, so an everyday start (nothing to
migrate) does not pay for loading Alembic; a test keeps it equal to the scripts' head."""
