"""Administrator actions: health check, consistent backup, full JSON export.

They run the same from the command line (main.py check / backup / export-json) and from the
app, and change no record.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    String,
    select,
    text,
)
from sqlalchemy.types import TypeDecorator, TypeEngine

from appinfo.meta import APP_NAME, VERSION
from i18n import N_, _, ngettext
from models.core.errors import UserError, ValidationError, os_reason
from models.core.faults import (
    BACKUP_FOLDER,
    DatabaseDamaged,
    backup_file,
    backups_of,
    in_the_future,
    newest_backup,
    sqlite_reason,
)
from models.core.files import atomic_writer, unique_path, utc_stamp
from models.core.logs import errors_since_last_check
from models.org.settings import export_target
from models.playbook.model import roster_gaps
from models.playbook.store import current_playbook
from models.storage.db import Base, Database, utcnow
from models.storage.migrate import current_revision, foreign_schema, head_revision
from models.sync.values import encode

EXPORT_FORMAT = "crisisdesk-export"
EXPORT_VERSION = 2
"""2: the schema revision and the type of every column; bytes in base64, times in UTC with
"Z" (1 failed on any date or bytes, so on every database in use)."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    warning: bool = False
    """A finding to act on that does not make the database unusable (exit code stays 0)."""


def check(db: Database) -> list[CheckResult]:
    """Schema version, SQLite integrity, the newest backup and playbook consistency, each with
    a verdict."""
    results: list[CheckResult] = []
    with db.reading() as connection:
        revision = current_revision(connection)
        head = head_revision()
        results.append(
            CheckResult(
                _("Schema version"),
                revision == head,
                _("database {found}, app {expected}").format(found=revision, expected=head),
            )
        )
        integrity = _integrity(connection, db.path)
        results.append(integrity)
        if integrity.ok and revision == head:  # the other checks would only stumble on
            results.append(_schema_check(connection, revision, db.path))  # damaged pages
        if integrity.ok:
            fk = connection.execute(text("PRAGMA foreign_key_check")).all()
            results.append(
                CheckResult(
                    _("Foreign keys"),
                    not fk,
                    _("no broken references") if not fk else ngettext(
                        "{n} broken reference", "{n} broken references", len(fk)).format(
                        n=len(fk)),
                )
            )
    results.append(backup_check(db.path))
    if not integrity.ok:
        return results
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
    """The errors logged since the previous check (models/core/logs.py).

    A warning, not a failure: something went wrong that IT staff should read about, but the
    database is sound, so a scheduled check keeps exit code 0. Each check reports an error
    once; the log keeps it. A log that cannot be written or read (a folder, a link or a
    pipe under its name) is said first: errors may be missing from it, and from the count."""
    found = errors_since_last_check(data_dir)
    problems = [p.message() for p in found.problems]
    if not found.count:
        if problems:
            problems.append(_("errors logged meanwhile may be missing"))
            # TRANSLATORS: between two problems of the log
            return CheckResult(_("Log"), True, _("; ").join(problems), warning=True)
        return CheckResult(_("Log"), True, _("no errors logged since the last check"))
    counted = ngettext(
        "{n} error logged since the last check; the newest, at {at}: {text} (the log is in "
        "{folder})",
        "{n} errors logged since the last check; the newest, at {at}: {text} (the log is in "
        "{folder})", found.count).format(
        n=found.count, at=found.newest_at, text=found.newest, folder=found.folder)
    return CheckResult(_("Log"), True, _("; ").join([*problems, counted]), warning=True)


def _schema_check(connection: Connection, revision: str, database: Path) -> CheckResult:
    """The database's tables, indexes, views and triggers against what the app's migrations
    make (models.storage.migrate.foreign_schema). The database can be changed with any SQLite tool;
    a trigger added so runs on every change, unseen by the app and by the sync (one that
    emptied the timeline at each sync left every other check "OK")."""
    foreign = foreign_schema(connection, revision)
    if not foreign:
        return CheckResult(_("Schema objects"), True, _("only those CrisisDesk makes"))
    backup = newest_backup(database)
    return CheckResult(_("Schema objects"), False, _(
        "not made by CrisisDesk: {objects}. Another program changed the database; ask IT "
        "(the newest backup is {backup}).").format(objects=", ".join(foreign[:5]) + (
            " …" if len(foreign) > 5 else ""), backup=backup or _("none")))


def _integrity(connection: Connection, database: Path) -> CheckResult:
    """SQLite's full integrity check; for a damaged database, what to do and which backup."""
    name = _("SQLite integrity")
    try:
        rows = [r[0] for r in connection.execute(text("PRAGMA integrity_check")).all()]
    except DatabaseDamaged as exc:  # too damaged even to list the damage
        return CheckResult(name, False, exc.message())
    if rows == ["ok"]:
        return CheckResult(name, True, "ok")
    damaged = DatabaseDamaged(database, N_("its integrity check found errors"))
    return CheckResult(name, False, f"{damaged.message()} ({'; '.join(rows[:3])})")


BACKUP_WARN_DAYS = 2
"""A newest backup older than this is a warning: the window makes one at its first start of
each day, so an older one means the app has not been started, or its backups fail."""


def backup_check(database: Path, now: datetime | None = None) -> CheckResult:
    """The newest backup in the data folder (models/storage/backups.py) and how old it is; backups
    dated in the future are named apart (the PC's clock ran ahead when they were made): a
    file a year ahead was "the newest, made less than a day ago" while no copy was kept."""
    now = now or utcnow()
    newest = newest_backup(database)
    name = _("Newest backup")
    ahead = sorted(str(p) for p, made in backups_of(database)
                   if in_the_future(made, now.timestamp()))
    future = ngettext(
        "{n} backup is dated in the future (this PC's clock was ahead when it was made, or "
        "someone set its time): {files}",
        "{n} backups are dated in the future (this PC's clock was ahead when they were made, "
        "or someone set their time): {files}", len(ahead)).format(
        n=len(ahead), files=", ".join(ahead[:3]) + (" …" if len(ahead) > 3 else ""))
    if newest is None or ahead and str(newest) in ahead:
        none = _("none in {folder}: the window makes one at its first start each day").format(
            folder=database.parent / BACKUP_FOLDER)
        # TRANSLATORS: between two findings of one check
        return CheckResult(name, True, _("; ").join([none, future] if ahead else [none]),
                           warning=True)
    made = datetime.fromtimestamp(newest.stat().st_mtime, UTC)
    days = max((now - made).days, 0)
    age = (_("made less than a day ago") if not days else
           ngettext("made {n} day ago", "made {n} days ago", days).format(n=days))
    detail = f"{newest}, {age}"
    return CheckResult(name, True, _("; ").join([detail, future]) if ahead else detail,
                       warning=days > BACKUP_WARN_DAYS or bool(ahead))


def backup(db: Database, target_dir: Path) -> Path:
    """A consistent copy of the database (SQLite backup API: safe while the app writes)."""
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(
            N_("Cannot create the folder {path}: {error}"), path=str(target_dir),
            error=os_reason(exc)
        ) from exc
    target = unique_path(target_dir, f"{db.path.stem}-{utc_stamp()}", db.path.suffix)
    try:
        backup_file(db.path, target)
    except sqlite3.Error as exc:  # SQLite cannot make the copy there (a special folder)
        raise UserError(N_("Cannot write {path}: {error}"), path=str(target),
                        error=sqlite_reason(exc, target)) from exc
    return target


COLUMN_KINDS: tuple[tuple[type[TypeEngine[Any]], str], ...] = (
    (Boolean, "boolean"),
    (Integer, "integer"),
    (String, "text"),
    (DateTime, "datetime"),
    (Date, "date"),
    (LargeBinary, "bytes"),
)
"""How each column type is written (docs/export-format.md); a type not listed fails the export
(and its test) rather than writing something a reader cannot type back."""


def _column_kind(column: Column[Any]) -> str:
    """The export's name for the type of *column* ("text", "datetime", "bytes" …)."""
    impl = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    for type_, kind in COLUMN_KINDS:
        if isinstance(impl, type_):
            return kind
    raise TypeError(f"{column.table.name}.{column.name}: no export encoding for {impl!r}")


def _encode(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "bytes":
        return base64.b64encode(value).decode("ascii")
    return encode(value)  # datetimes as UTC ISO 8601 with "Z", dates as ISO dates (as in sync)


def export_json(db: Database, path: Path) -> int:
    """Write every row of every table (tombstones, history and the sync's bookkeeping
    included) to *path* as JSON (docs/export-format.md); returns the number of rows.

    The tables are those the app defines (`Base.metadata`), parents before children; left out
    are only the schema stamp (written as "schema") and the case search index, which is derived
    from the incidents. Rows are read in one snapshot, so the file is consistent across tables,
    and written one by one to a temporary file that takes the name when complete, so a large
    database needs no more memory than its largest row and a failure leaves no partial file.
    The data folder's own files, and anything not a regular file, are refused
    (models.org.settings.export_target)."""
    export_target(db.path.parent, path)
    tables = Base.metadata.sorted_tables
    count = 0
    with db.reading() as connection, atomic_writer(path) as out:
        header = {
            "format": EXPORT_FORMAT,
            "format_version": EXPORT_VERSION,
            "app": APP_NAME,
            "app_version": VERSION,
            "schema": current_revision(connection),
            "exported_at": encode(utcnow()),
            "columns": {t.name: {c.name: _column_kind(c) for c in t.columns} for t in tables},
        }
        head = json.dumps(header, ensure_ascii=False, indent=2).removesuffix("\n}")
        out.write(f'{head},\n  "tables": {{'.encode())
        for number, table in enumerate(tables):
            kinds = [(c.name, _column_kind(c)) for c in table.columns]
            out.write(f'{"," if number else ""}\n    {json.dumps(table.name)}: ['.encode())
            rows = connection.execute(select(table).order_by(*table.primary_key.columns))
            for index, row in enumerate(rows.mappings()):
                record = {name: _encode(kind, row[name]) for name, kind in kinds}
                out.write(f'{"," if index else ""}\n      '.encode())
                out.write(json.dumps(record, ensure_ascii=False).encode())
                count += 1
            out.write(b"\n    ]")
        out.write(b"\n  }\n}\n")
    return count
