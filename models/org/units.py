"""The office's units (組, 室, 分關) as editable data.

The defaults for each of the four customs offices come from the Customs Administration's
organisation (resources/units.json, from the budget explanation in the reference documents).
A unit that is removed becomes a tombstone: incidents and drills that name it keep their link.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from i18n import N_
from models.core.errors import UserError, ValidationError
from models.core.ids import stable_id
from models.org.entities import UnitRow
from models.org.offices import MAX_UNIT_NAME, UNIT_KINDS, UnitInfo, office
from models.org.people import Actor, Permission
from models.storage.db import Database, is_seed, row_or_gone, utcnow
from models.sync.policy import SEEDING


def _info(row: UnitRow) -> UnitInfo:
    return UnitInfo(
        id=row.id,
        office_code=row.office_code,
        key=row.key,
        name_zh=row.name_zh,
        name_en=row.name_en,
        kind=row.kind,
        sort_order=row.sort_order,
        active=row.active,
    )


SEEDED_BY = "CrisisDesk"
"""Who a seeded unit was last changed by: the app itself."""


def _default_units(office_code: str) -> dict[str, dict[str, Any]]:
    """The office's units as every PC seeds them (ensure_default_units), by key: every field
    but created_at and updated_at, set when they are stored."""
    return {
        unit.key: {
            "id": stable_id("unit", office_code, unit.key),
            "office_code": office_code,
            "key": unit.key,
            "name_zh": unit.name_zh,
            "name_en": unit.name_en,
            "kind": unit.kind,
            "sort_order": unit.sort_order,
            "active": True,
            "updated_by": SEEDED_BY,
            "row_version": 1,
            "deleted_at": None,
        }
        for unit in office(office_code).units
    }


def ensure_default_units(db: Database, office_code: str) -> None:
    """Seed the office's units the first time the office is used on this database."""
    defaults = _default_units(office_code)
    with db.session() as session:
        exists = session.scalar(
            select(UnitRow.id).where(UnitRow.office_code == office_code).limit(1)
        )
        if exists:
            return
        session.info[SEEDING] = True  # every PC's own, below any edit (SyncPolicy.seeds)
        for values in defaults.values():
            session.add(UnitRow(**values))


def is_default_unit(values: Mapping[str, Any]) -> bool:
    """Whether a unit's field values as JSON data (a synced change's) are exactly one of the
    units this app seeds on every PC of its office (ensure_default_units): the shipped
    defaults of that office code and key (models.org.offices), under their stable id, as the
    app itself wrote them. Only created_at and updated_at may differ (when each PC first
    started: models.storage.db.PER_PC_FIELDS).

    Every PC, a unit head's too, sends its seeded units as its own changes, stamped below any
    edit: the receivers accept them from any author (models.sync.policy.SyncPolicy.seeds), and
    a "seed" of any other content (a renamed unit, an unknown office or key) only from who may
    edit the units."""
    code, key = values.get("office_code"), values.get("key")
    if not isinstance(code, str) or not isinstance(key, str):
        return False
    try:
        seed = _default_units(code).get(key)
    except UserError:  # an office this app does not know
        return False
    return seed is not None and is_seed(values, seed)


def list_units(db: Database, office_code: str, *, include_inactive: bool = False,
               include_removed: bool = False) -> list[UnitInfo]:
    """The office's units; *include_removed*: deleted ones too, which old incidents and
    drills still name (the annual review, the follow-up list)."""
    with db.session() as session:
        query = select(UnitRow).where(UnitRow.office_code == office_code)
        if not include_removed:
            query = query.where(UnitRow.deleted_at.is_(None))
        if not include_inactive:
            query = query.where(UnitRow.active.is_(True))
        rows = session.scalars(query.order_by(UnitRow.sort_order, UnitRow.name_zh)).all()
        return [_info(r) for r in rows]


def unit_name_zh(db: Database, office_code: str, key: str) -> str:
    """The Chinese name of the office's unit *key* (the name every PC of the office reads, as
    in a PC's request to join), or the key when there is no such unit."""
    return next((u.name_zh for u in list_units(db, office_code, include_inactive=True)
                 if u.key == key), key)


def save_unit(
    db: Database,
    actor: Actor,
    office_code: str,
    *,
    unit_id: str | None,
    name_zh: str,
    name_en: str,
    kind: str,
    active: bool = True,
) -> UnitInfo:
    """Add a unit (unit_id None) or change one; names are checked before anything is stored."""
    actor.require(Permission.EDIT_UNITS)
    name_zh, name_en = name_zh.strip(), name_en.strip()
    if not name_zh:
        raise ValidationError("name_zh", N_("Enter the unit's Chinese name."))
    if len(name_zh) > MAX_UNIT_NAME or len(name_en) > MAX_UNIT_NAME:
        raise ValidationError(
            "name_zh", N_("A unit name is at most {limit} characters."), limit=MAX_UNIT_NAME
        )
    if kind not in UNIT_KINDS:
        raise ValidationError("kind", N_("Choose the kind of unit."))
    with db.session() as session:
        clash = session.scalar(
            select(UnitRow.id).where(
                UnitRow.office_code == office_code,
                UnitRow.name_zh == name_zh,
                UnitRow.deleted_at.is_(None),
                UnitRow.id != (unit_id or ""),
            )
        )
        if clash:
            raise ValidationError(
                "name_zh", N_("There is already a unit named {name}."), name=name_zh
            )
        if unit_id is None:
            last = session.scalar(
                select(UnitRow.sort_order)
                .where(UnitRow.office_code == office_code)
                .order_by(UnitRow.sort_order.desc())
                .limit(1)
            )
            key = f"u-{uuid.uuid4().hex[:10]}"
            row = UnitRow(
                id=stable_id("unit", office_code, key),
                office_code=office_code,
                key=key,
                sort_order=(last or 0) + 1,
                updated_by=actor.name,
            )
            session.add(row)
        else:
            row = _unit(session, unit_id)
            row.touch(actor.name)
        row.name_zh, row.name_en, row.kind, row.active = name_zh, name_en, kind, active
        session.flush()
        return _info(row)


def _unit(session: Session, unit_id: str) -> UnitRow:
    return row_or_gone(session, UnitRow, unit_id, N_("That unit no longer exists."))


def delete_unit(db: Database, actor: Actor, unit_id: str) -> None:
    """Remove a unit from the lists; the row stays as a tombstone for history and sync."""
    actor.require(Permission.EDIT_UNITS)
    with db.session() as session:
        row = _unit(session, unit_id)
        row.touch(actor.name)
        row.deleted_at = utcnow()
