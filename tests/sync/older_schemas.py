"""A database of an older schema made from one this app made (for the tests of upgrades):
what the migrations after 0011 added is taken away, newest first, so each test that needs
an older file starts from schema 0011 and takes away only what its own step added."""

from __future__ import annotations

import sqlite3

TABLES_AFTER_0011 = ("inquiries", "watch_reviews", "situation_reports", "media_items",
                     "incident_attachments")
"""The tables 0012–0015 added (attachments, the media watch, inquiries, situation reports
and watch reviews); 0016's are undone by undo_0016, 0017's by undo_0017."""
ACTION_COLUMNS_0016 = ("owner", "due_at", "decision_id")


DRILL_COLUMNS_0017 = ("started_at", "ended_at")
HEADER_COLUMNS_0018 = ("doc_file_number", "doc_retention", "doc_speed", "doc_classification",
                       "doc_declassify")


def undo_0018(con: sqlite3.Connection) -> None:
    """Take away what schema 0018 added: the records' header columns, and the history of the
    drills' ones. An incident's keep their history, as its drill_id does (undo_0017)."""
    con.execute(
        f"DELETE FROM sync_versions WHERE field IN ({', '.join('?' * 5)}) AND change_id IN "
        "(SELECT id FROM sync_changes WHERE tbl = 'drills')", HEADER_COLUMNS_0018)
    for table in ("incidents", "drills"):
        for column in HEADER_COLUMNS_0018:
            con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")


def undo_0017(con: sqlite3.Connection) -> None:
    """Take away what schema 0017 added: the live drills' tables and columns, and the history
    of the drills' new columns. An incident's drill_id (null in every test that goes back) keeps
    its history: the tests of the history's migration compare it whole before and after."""
    con.execute(
        "DELETE FROM sync_versions WHERE field IN (?, ?) AND change_id IN "
        "(SELECT id FROM sync_changes WHERE tbl = 'drills')", DRILL_COLUMNS_0017)
    for table in ("drill_inject_events", "drill_injects"):
        con.execute(f"DROP TABLE {table}")
    for column in DRILL_COLUMNS_0017:
        con.execute(f"ALTER TABLE drills DROP COLUMN {column}")
    con.execute("DROP INDEX ix_incidents_drill_id")
    con.execute("ALTER TABLE incidents DROP COLUMN drill_id")


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
    undo_0018(con)
    undo_0017(con)
    undo_0016(con)
    for table in TABLES_AFTER_0011:
        con.execute(f"DROP TABLE {table}")
    con.execute("UPDATE alembic_version SET version_num = '0011'")
