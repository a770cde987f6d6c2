"""Work the screens hand to the database worker.

Each function runs on the worker thread and imports the database layer there: the modules
loaded before the window first shows must not pull in SQLAlchemy or Alembic (a test checks
it), so start-up stays close to a bare Qt window. File I/O happens here too, off the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.org.offices import UnitInfo
    from models.org.people import Actor, Role
    from models.playbook.model import Group, Playbook
    from models.playbook.versions import HandoverInfo, VersionInfo
    from models.storage.backups import Restored
    from models.storage.db import Database
    from models.sync.audit import AuditReport
    from models.sync.conflicts import ConflictInfo
    from models.sync.enrolment import Me
    from models.sync.trust import Grant


def export_playbook(db: Database, path: Path) -> None:
    from models.playbook.store import export_playbook_file

    export_playbook_file(db, path)


def import_playbook(db: Database, actor: Actor, path: Path, reason: str) -> VersionInfo:
    from models.playbook.store import import_playbook_file

    return import_playbook_file(db, actor, path, reason)


def backup(db: Database, folder: Path) -> Path:
    from models.admin import backup as do_backup

    return do_backup(db, folder)


def daily_backup(db: Database) -> Path | None:
    from datetime import date

    from models.storage.backups import daily_backup as make

    return make(db.path, date.today())  # the PC's own calendar day


def restore(data_dir: Path, backup: Path) -> Restored:
    from models.storage.backups import restore as do_restore

    return do_restore(data_dir, backup)


def export_json(db: Database, path: Path) -> int:
    from models.admin import export_json as do_export

    return do_export(db, path)


def list_units(db: Database, office_code: str) -> list[UnitInfo]:
    from models.org.units import list_units as do_list

    return do_list(db, office_code, include_inactive=True)


def ensure_default_units(db: Database, office_code: str) -> None:
    from models.org.units import ensure_default_units as do_ensure

    do_ensure(db, office_code)


def save_unit(db: Database, actor: Actor, office_code: str, *, unit_id: str | None,
              name_zh: str, name_en: str, kind: str, active: bool) -> UnitInfo:
    from models.org.units import save_unit as do_save

    return do_save(db, actor, office_code, unit_id=unit_id, name_zh=name_zh, name_en=name_en,
                   kind=kind, active=active)


def delete_unit(db: Database, actor: Actor, unit_id: str) -> None:
    from models.org.units import delete_unit as do_delete

    do_delete(db, actor, unit_id)


@dataclass(frozen=True)
class PlaybookSnapshot:
    """What the playbook browser shows, fetched in one job."""

    current: VersionInfo
    shown: VersionInfo
    playbook: Playbook
    versions: list[VersionInfo]
    handovers: list[HandoverInfo]


def playbook_snapshot(db: Database, version_id: str | None) -> PlaybookSnapshot:
    """The current version, or *version_id* if older, with history and handovers."""
    from models.playbook.store import current_playbook, list_handovers, list_versions, load_version

    current, playbook = current_playbook(db)
    shown = current
    if version_id is not None and version_id != current.id:
        shown, playbook = load_version(db, version_id)
    return PlaybookSnapshot(current, shown, playbook, list_versions(db), list_handovers(db))


def first_playbook_snapshot(data_dir: Path) -> PlaybookSnapshot | None:
    """The current playbook read from the data folder's database file before it is opened, or
    on a first start (no file yet) the shipped one the open is about to store
    (models/playbook/first_read.py); None when it cannot be read so. Needs no open database."""
    from datetime import UTC, datetime

    from models.core.faults import newest_copy
    from models.playbook.first_read import first_start, read_current
    from models.storage.names import DATABASE_FILE

    path = data_dir / DATABASE_FILE
    read = read_current(path)
    # A first start has no file and no copy: a file gone while its backups are there is not
    # made anew, the open refuses it and offers the restore (models/storage/migrate.py).
    if read is None and not path.exists() and newest_copy(path) is None:
        read = first_start(datetime.now(UTC))
    if read is None:
        return None
    current, playbook, versions, handovers = read
    return PlaybookSnapshot(current, current, playbook, versions, handovers)


def load_standing(db: Database) -> Me:
    """This PC in the office's enrolment (under the authority IT names, if it does)."""
    from models.trust_admin import standing

    return standing(db)


def approve_pc(db: Database, code: str, *, person: str, login: str, role: Role,
               posts: list[str]) -> Grant:
    """Approve a PC from this (approver's) PC: stored here, written to the share by the next
    sync (the worker never waits on the share)."""
    from models.trust_admin import approve_here

    return approve_here(db, code, person=person, login=login, role=role, posts=posts)


def settle_signatures(db: Database, actor: Actor) -> int:
    from models.drills.reports.actions import settle_signatures as settle

    return settle(db, actor)


def team_posts(db: Database) -> tuple[Group, ...]:
    from models.trust_admin import team_posts as posts

    return posts(db)


def revoke_pc(db: Database, code: str) -> None:
    from models.sync.enrolment import revoke

    with db.session() as session:
        revoke(session.connection(), code)


def list_conflicts(db: Database) -> list[ConflictInfo]:
    from models.schema import RULES
    from models.sync.conflicts import list_conflicts as listed

    return listed(db, RULES)


def verify_history(db: Database) -> AuditReport:
    from models.schema import RULES
    from models.sync.audit import verify_history as verify

    return verify(db, RULES)


def resolve_conflict(db: Database, actor: Actor, table: str, row_id: str, field: str,
                     value: object) -> None:
    from models.schema import RULES
    from models.sync.conflicts import resolve_conflict as resolve

    resolve(db, RULES, actor, table, row_id, field, value)
