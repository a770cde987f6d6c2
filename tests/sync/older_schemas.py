"""A database of an older schema made from one this app made (for the tests of upgrades):
what the migrations after 0011 added is taken away, newest first, so each test that needs
an older file starts from schema 0011 and takes away only what its own step added."""

from __future__ import annotations

import sqlite3

TABLES_AFTER_0011 = ("inquiries", "watch_reviews", "situation_reports", "media_items",
                     "incident_attachments")
"""The tables 0012–0015 added (attachments, the media watch, inquiries, situation reports
and watch reviews); 0016's are undone by undo_0016."""
ACTION_COLUMNS_0016 = ("owner", "due_at", "decision_id")


def undo_0016(con: sqlite3.Connection) -> None:
    """Take away what schema 0016 added: the decisions table, the actions' columns and
    their history."""
    con.execute(
        "DELETE FROM sync_versions WHERE field IN (?, ?, ?) AND change_id IN "
        "(SELECT id FROM sync_changes WHERE tbl = 'incident_actions')", ACTION_COLUMNS_0016)
    for column in ACTION_COLUMNS_0016:
        con.execute(f"ALTER TABLE incident_actions DROP COLUMN {column}")
    con.execute("DROP TABLE decisions")


def as_schema_0011(con: sqlite3.Connection) -> None:
    """The tables and columns of schema 0011, and its version number."""
    undo_0016(con)
    for table in TABLES_AFTER_0011:
        con.execute(f"DROP TABLE {table}")
    con.execute("UPDATE alembic_version SET version_num = '0011'")
