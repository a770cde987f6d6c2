"""Administrator actions: health check, consistent backup, full JSON export.

They run the same from the command line (main.py check / backup / export-json) and from the
app, and change no record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text

from i18n import N_, _, ngettext
from models.db import Base, Database, utcnow
from models.errors import UserError, ValidationError, os_reason
from models.files import atomic_write_text, unique_path
from models.logs import errors_since_last_check
from models.meta import APP_NAME, VERSION
from models.migrate import backup_file, current_revision, head_revision
from models.playbook import roster_gaps
from models.playbook_store import current_playbook


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    warning: bool = False
    """A finding to act on that does not make the database unusable (exit code stays 0)."""


def check(db: Database) -> list[CheckResult]:
    """Schema version, SQLite integrity, and playbook consistency, each with a verdict."""
    results: list[CheckResult] = []
    with db.engine.connect() as connection:
        revision = current_revision(connection)
        head = head_revision()
        results.append(
            CheckResult(
                _("Schema version"),
                revision == head,
                _("database {found}, app {expected}").format(found=revision, expected=head),
            )
        )
        rows = [r[0] for r in connection.execute(text("PRAGMA integrity_check")).all()]
        results.append(CheckResult(_("SQLite integrity"), rows == ["ok"], "; ".join(rows[:5])))
        fk = connection.execute(text("PRAGMA foreign_key_check")).all()
        results.append(
            CheckResult(
                _("Foreign keys"),
                not fk,
                _("no broken references") if not fk else ngettext(
                    "{n} broken reference", "{n} broken references", len(fk)).format(n=len(fk)),
            )
        )
    try:
        # current_playbook re-reads the stored text through the full validator.
        info, playbook = current_playbook(db)
        results.append(
            CheckResult(
                _("Playbook consistency"),
                True,
                _("version {number}: {groups} groups, {categories} categories, {levels} levels, "
                  "{stages} stages").format(
                    number=info.number,
                    groups=len(playbook.team.groups),
                    categories=len(playbook.categories),
                    levels=len(playbook.levels),
                    stages=len(playbook.stages),
                ),
            )
        )
        gaps = roster_gaps(playbook)
        results.append(
            CheckResult(
                _("Team roster"),
                True,
                _("every post has a holder and a deputy")
                if not gaps
                else ngettext("{n} post still lacks a holder or a deputy",
                              "{n} posts still lack a holder or a deputy", len(gaps)).format(
                    n=len(gaps)),
                warning=bool(gaps),
            )
        )
    except (UserError, ValidationError) as exc:
        results.append(CheckResult(_("Playbook consistency"), False, exc.message()))
    return results


def check_log(data_dir: Path) -> CheckResult:
    """The errors logged since the previous check (models/logs.py).

    A warning, not a failure: something went wrong that IT staff should read about, but the
    database is sound, so a scheduled check keeps exit code 0. Each check reports an error
    once; the log keeps it."""
    found = errors_since_last_check(data_dir)
    if not found.count:
        return CheckResult(_("Log"), True, _("no errors logged since the last check"))
    return CheckResult(
        _("Log"),
        True,
        ngettext("{n} error logged since the last check; the newest, at {at}: {text} (the log "
                 "is in {folder})",
                 "{n} errors logged since the last check; the newest, at {at}: {text} (the log "
                 "is in {folder})", found.count).format(
            n=found.count, at=found.newest_at, text=found.newest, folder=found.folder),
        warning=True,
    )


def backup(db: Database, target_dir: Path) -> Path:
    """A consistent copy of the database (SQLite backup API: safe while the app writes)."""
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(
            N_("Cannot create the folder {path}: {error}"), path=str(target_dir),
            error=os_reason(exc)
        ) from exc
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    target = unique_path(target_dir, f"{db.path.stem}-{stamp}", db.path.suffix)
    backup_file(db.path, target)
    return target


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def export_all(db: Database) -> dict[str, Any]:
    """Every record of every table, including tombstones and history, as plain JSON values."""
    tables: dict[str, list[dict[str, Any]]] = {}
    with db.session() as session:
        for mapper in sorted(Base.registry.mappers, key=lambda m: m.class_.__tablename__):
            cls = mapper.class_
            columns = [c.key for c in inspect(cls).column_attrs]
            rows = session.query(cls).order_by(*inspect(cls).primary_key).all()
            tables[cls.__tablename__] = [
                {c: _jsonable(getattr(row, c)) for c in columns} for row in rows
            ]
    return {
        "format": "crisisdesk-export",
        "format_version": 1,
        "app": APP_NAME,
        "app_version": VERSION,
        "exported_at": utcnow().isoformat(),
        "tables": tables,
    }


def export_json(db: Database, path: Path) -> int:
    """Write export_all() to *path* atomically; returns the number of records written."""
    data = export_all(db)
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2))
    return sum(len(rows) for rows in data["tables"].values())
