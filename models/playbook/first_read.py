"""The playbook as the database holds it, read with the standard library's sqlite3 before the
database is opened: the first thing a user reads at start, on screen without waiting for
SQLAlchemy and Alembic to load (about a third of a second; docs/benchmarks.md).

This is no cache: it reads the database file itself, in one read transaction, the same rows
and order as models.playbook.store (current_playbook, list_versions, list_handovers), so what
it gives is the database's current playbook. It gives nothing (None) whenever the file is not
a database this app could read as it stands: missing (see `first_start`), of another
schema than the newest (the open migrates it first), damaged, or locked; the window then shows
the playbook once the database is open, as before. The open's checks and the screens' own load
follow in every case; the screen replaces this read with that load (ui/playbook/screen.py).

A first start has no file to read, and the open is about to store the shipped procedure as
version 1: `first_start` gives that version as the open will store it (its id and content;
its time is when it is read, which the open's own load then replaces).
"""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from models.core.errors import UserError
from models.playbook.model import Playbook, parse_playbook_json
from models.playbook.shipped import default_playbook, default_version
from models.playbook.versions import HandoverInfo, VersionInfo
from models.storage.names import SCHEMA_HEAD

log = logging.getLogger(__name__)

_VERSIONS = ("SELECT id, number, created_at, created_by, created_role, reason, content_sha256 "
             "FROM playbook_versions ORDER BY number DESC")
_CURRENT = ("SELECT id, content FROM playbook_versions "
            "ORDER BY number DESC, created_at DESC LIMIT 1")
_HANDOVERS = ("SELECT h.created_at, h.created_by, v.number, h.post, h.role, h.from_name, "
              "h.to_name, h.note FROM handovers AS h "
              "JOIN playbook_versions AS v ON h.playbook_version_id = v.id "
              "ORDER BY h.created_at DESC")


def _utc(text: str) -> datetime:
    """A time as models.storage.db.UTCDateTime stores it (UTC, without a zone), made aware."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def read_current(path: Path) -> tuple[VersionInfo, Playbook, list[VersionInfo],
                                      list[HandoverInfo]] | None:
    """The current version and its playbook, every version (newest first) and the handovers
    (newest first) of the database at *path*; None when it cannot be read as it stands (see
    the module's docstring). Never creates, changes or waits for the file."""
    if not path.is_file():
        return None
    try:
        # Read-only (never creates the file); a writer holding a lock answers "busy" at once.
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=0)) as con:
            with con:  # one read transaction: all four reads see the same state
                con.execute("BEGIN")
                revision = con.execute("SELECT version_num FROM alembic_version").fetchall()
                if revision != [(SCHEMA_HEAD,)]:
                    return None
                current = con.execute(_CURRENT).fetchone()
                if current is None:
                    return None
                versions = [VersionInfo(id, number, _utc(created_at), by, role, reason, sha)
                            for id, number, created_at, by, role, reason, sha
                            in con.execute(_VERSIONS)]
                handovers = [HandoverInfo(_utc(created_at), *rest)
                             for created_at, *rest in con.execute(_HANDOVERS)]
    except (sqlite3.Error, ValueError) as exc:  # the open that follows says what is wrong
        log.info("the playbook is not read before the database opens: %s", exc)
        return None
    shown = next((v for v in versions if v.id == current[0]), None)
    if shown is None:
        return None
    try:
        playbook = parse_playbook_json(current[1])
    except UserError as exc:
        log.info("the playbook is not read before the database opens: %s", exc.message())
        return None
    return shown, playbook, versions, handovers


def first_start(now: datetime) -> tuple[VersionInfo, Playbook, list[VersionInfo],
                                         list[HandoverInfo]]:
    """What read_current will give once a first start's open has stored the shipped procedure
    (models.playbook.store.ensure_default_playbook), stored at *now*."""
    values = default_version()
    version = VersionInfo(values["id"], values["number"], now, values["created_by"],
                          values["created_role"], values["reason"], values["content_sha256"])
    return version, default_playbook(), [version], []
