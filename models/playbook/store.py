"""User actions on the stored playbook: load the default, read versions, save an edit, import,
export, and the handover (移交) record that a change of post leaves behind.

Each saved edit is a new immutable version (who, when, why); incidents and drills later pin the
version they ran under. Functions take the Database and return plain frozen dataclasses, so the
GUI never holds a session or a live ORM object.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from i18n import N_, pick
from models.core.errors import UserError, ValidationError, os_reason
from models.core.files import atomic_write_text
from models.org.people import Actor, Permission
from models.org.settings import export_target
from models.playbook.entities import HandoverRow, PlaybookVersionRow
from models.playbook.model import (
    Playbook,
    parse_playbook,
    parse_playbook_json,
    playbook_to_dict,
    playbook_to_json,
)
from models.playbook.shipped import default_version, version_values
from models.playbook.versions import HandoverInfo, VersionInfo
from models.storage.db import Database, is_seed
from models.sync.policy import SEEDING

MAX_REASON = 500
MAX_IMPORT_BYTES = 5_000_000


class StaleEdit(UserError):
    """Someone saved a newer version while this edit was open; saving would undo their work."""


def _info(row: PlaybookVersionRow) -> VersionInfo:
    return VersionInfo(
        id=row.id,
        number=row.number,
        created_at=row.created_at,
        created_by=row.created_by,
        created_role=row.created_role,
        reason=row.reason,
        sha256=row.content_sha256,
    )


def _latest(session: Session) -> PlaybookVersionRow | None:
    return session.scalars(
        select(PlaybookVersionRow).order_by(
            PlaybookVersionRow.number.desc(), PlaybookVersionRow.created_at.desc()
        ).limit(1)
    ).first()


def _insert(
    session: Session,
    playbook: Playbook,
    *,
    by: str,
    role: str,
    reason: str,
    parent: PlaybookVersionRow | None,
) -> PlaybookVersionRow:
    row = PlaybookVersionRow(
        **version_values(playbook, by=by, role=role, reason=reason, parent=parent)
    )
    session.add(row)
    session.flush()
    return row


def ensure_default_playbook(db: Database) -> VersionInfo:
    """On first run the database gets the shipped procedure as version 1."""
    with db.session() as session:
        latest = _latest(session)
        if latest is not None:
            return _info(latest)
        row = PlaybookVersionRow(**default_version())
        session.info[SEEDING] = True  # every PC's own, below any edit (SyncPolicy.seeds)
        session.add(row)
        session.flush()
        return _info(row)


def is_default_version(values: Mapping[str, Any]) -> bool:
    """Whether a version's field values as JSON data (a synced change's) are exactly version 1
    as this app seeds it on every PC (ensure_default_playbook): the shipped procedure's
    canonical JSON under its stable id, number 1, no parent, by the app itself, with its
    stored reason. Only created_at may differ (when each PC first started:
    models.storage.db.PER_PC_FIELDS).

    Every PC, a unit head's too, sends this row as its own change, stamped below any edit:
    the receivers accept it from any author (models.sync.policy.SyncPolicy.seeds), and a
    "version 1" of any other content only from who may edit the playbook."""
    return is_seed(values, default_version())


def current_playbook(db: Database) -> tuple[VersionInfo, Playbook]:
    with db.session() as session:
        row = _latest(session)
        if row is None:
            raise UserError(N_("The database holds no playbook yet."))
        return _info(row), parse_playbook_json(row.content)


def list_versions(db: Database) -> list[VersionInfo]:
    """Every saved version, newest first."""
    with db.session() as session:
        rows = session.scalars(
            select(PlaybookVersionRow).order_by(PlaybookVersionRow.number.desc())
        ).all()
        return [_info(r) for r in rows]


def load_version(db: Database, version_id: str) -> tuple[VersionInfo, Playbook]:
    with db.session() as session:
        row = session.get(PlaybookVersionRow, version_id)
        if row is None:
            raise UserError(N_("That playbook version does not exist (any more)."))
        return _info(row), parse_playbook_json(row.content)


def save_playbook(
    db: Database,
    actor: Actor,
    playbook: Playbook,
    reason: str,
    *,
    base_version_id: str,
    handover_notes: Mapping[str, str] | None = None,
) -> VersionInfo:
    """Save an edited playbook as a new version.

    *base_version_id* is the version the edit started from: if someone saved in between, the
    save is refused instead of silently undoing their change. Changing who holds a post (or
    who deputises) records a handover with the optional note for that member.
    """
    actor.require(Permission.EDIT_PLAYBOOK)
    reason = reason.strip()
    if not reason:
        raise ValidationError("reason", N_("Say why you are changing the playbook."))
    if len(reason) > MAX_REASON:
        raise ValidationError(
            "reason", N_("The reason is longer than {limit} characters."), limit=MAX_REASON
        )
    # Whatever the caller built, store only what the file format accepts.
    playbook = parse_playbook(playbook_to_dict(playbook))
    with db.session() as session:
        latest = _latest(session)
        if latest is None:
            raise UserError(N_("The database holds no playbook yet."))
        if latest.id != base_version_id:
            raise StaleEdit(
                N_("{who} saved version {number} while you were editing. Close the editor and "
                   "make your change again on the newest version."),
                who=latest.created_by,
                number=latest.number,
            )
        previous = parse_playbook_json(latest.content)
        if playbook_to_json(previous) == playbook_to_json(playbook):
            raise ValidationError("", N_("Nothing was changed, so no new version was saved."))
        row = _insert(
            session, playbook, by=actor.name, role=actor.role.value, reason=reason, parent=latest
        )
        _record_handovers(session, actor, previous, playbook, row, handover_notes or {})
        return _info(row)


def _record_handovers(
    session: Session,
    actor: Actor,
    old: Playbook,
    new: Playbook,
    version: PlaybookVersionRow,
    notes: Mapping[str, str],
) -> None:
    before = {m.id: m for m in old.team.members}
    for member in new.team.members:
        prior = before.get(member.id)
        if prior is None:
            continue
        for role, was, now in (
            ("holder", prior.holder.name.strip(), member.holder.name.strip()),
            ("deputy", prior.deputy.name.strip(), member.deputy.name.strip()),
        ):
            if was and was != now:
                session.add(
                    HandoverRow(
                        created_by=actor.name,
                        playbook_version_id=version.id,
                        member_id=member.id,
                        post=member.post["zh_TW"],  # the procedure's own wording
                        role=role,
                        from_name=was,
                        to_name=now,
                        note=notes.get(member.id, "").strip(),
                    )
                )


def list_handovers(db: Database) -> list[HandoverInfo]:
    with db.session() as session:
        rows = session.execute(
            select(HandoverRow, PlaybookVersionRow.number)
            .join(PlaybookVersionRow, HandoverRow.playbook_version_id == PlaybookVersionRow.id)
            .order_by(HandoverRow.created_at.desc())
        ).all()
        return [
            HandoverInfo(
                created_at=h.created_at,
                created_by=h.created_by,
                version_number=number,
                post=h.post,
                role=h.role,
                from_name=h.from_name,
                to_name=h.to_name,
                note=h.note,
            )
            for h, number in rows
        ]


def import_playbook(db: Database, actor: Actor, data: bytes, reason: str) -> VersionInfo:
    """Replace the playbook with a file's content, as a new version. The whole file is
    validated first; a rejected file changes nothing."""
    actor.require(Permission.EDIT_PLAYBOOK)
    playbook = parse_playbook_json(data)
    base, current = current_playbook(db)
    if playbook.office_code != current.office_code:
        raise ValidationError(
            "office.code",
            N_("is the playbook of {other}, not of {ours}; it was not imported"),
            other=pick(playbook.office_name),
            ours=pick(current.office_name),
        )
    return save_playbook(db, actor, playbook, reason, base_version_id=base.id)


def export_playbook(db: Database, version_id: str | None = None) -> str:
    """The documented JSON text of the current (or a given) version."""
    if version_id is None:
        _info_, playbook = current_playbook(db)
    else:
        _info_, playbook = load_version(db, version_id)
    return playbook_to_json(playbook)



def export_playbook_file(db: Database, path: Path) -> None:
    """Write the current playbook's JSON to *path* (command line and File menu alike), which
    must not be one of the data folder's own files (models.org.settings.export_target)."""
    export_target(db.path.parent, path)
    atomic_write_text(path, export_playbook(db))


def import_playbook_file(db: Database, actor: Actor, path: Path, reason: str) -> VersionInfo:
    """Read *path* and import it; an unreadable file is a user error, not a crash."""
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise ValidationError("(file)", N_("is larger than {limit} MB; a playbook is far "
                                               "smaller"), limit=MAX_IMPORT_BYTES // 1_000_000)
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(N_("Cannot read {path}: {error}"), path=str(path),
                        error=os_reason(exc)) from exc
    return import_playbook(db, actor, data, reason)


_PLAYBOOKS: dict[str, tuple[int, Playbook]] = {}
"""Parsed playbook versions by id; a version row never changes, so the cache never goes
stale (and parsing the JSON on every stage switch would cost more than the switch)."""


def numbered_playbook(session: Session, version_id: str | None) -> tuple[int, Playbook]:
    """The version number and playbook of *version_id* (the newest for None: its id is read,
    then the cache serves it as any other; Home asked for the newest a dozen times a refresh,
    each a parse of the whole playbook)."""
    if version_id is None:
        version_id = session.scalar(select(PlaybookVersionRow.id).order_by(
            PlaybookVersionRow.number.desc()).limit(1))
        if version_id is None:
            raise LookupError("the playbook has no version")
    if version_id in _PLAYBOOKS:
        return _PLAYBOOKS[version_id]
    row = session.scalar(select(PlaybookVersionRow).where(PlaybookVersionRow.id == version_id))
    if row is None:
        raise LookupError(f"playbook version {version_id} is missing")
    found = (row.number, parse_playbook_json(row.content))
    _PLAYBOOKS[row.id] = found
    return found


def playbook_at(session: Session, version_id: str | None) -> Playbook:
    """The playbook a record (an incident, a drill) runs under: the version it names, or the
    newest for a record that names none."""
    return numbered_playbook(session, version_id)[1]
