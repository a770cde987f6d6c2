"""Conflicts the sync found, as the user sees and settles them (docs/sync.md).

A conflict is a field of a record with more than one current value (two PCs changed it
without seeing each other's change), a record edited on one PC while deleted on another, or a
record changed on one PC after another had locked it (archived, submitted). Every candidate
value is listed side by side with where and when it was written; settling it writes the chosen
(or hand-merged) value as a new version on top of all of them, which syncs like any edit.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from i18n import N_
from models.core.errors import UserError
from models.org.people import Actor
from models.storage.db import Base, Database, Synced, utcnow
from models.sync.capture import EXTRA_SEEN, device_and_clock
from models.sync.entities import (
    SyncConflictRow,
    SyncVersionRow,
)
from models.sync.merge import contending, heads_of, locking_version
from models.sync.rules import SyncRules
from models.sync.values import (
    COUNTER_BITS,
    TOMBSTONE,
    BadValue,
    decode,
    encode,
)

log = logging.getLogger(__name__)

KINDS = {"value": N_("Changed on two PCs"), "delete": N_("Changed here, deleted there"),
         "locked": N_("Changed after it was locked")}

DELETED = N_("Deleted")
"""The label of every row's tombstone: the one column the engine itself gives every row."""


@dataclass(frozen=True)
class Candidate:
    """One current value of a field in conflict, where and when it was written."""

    version_id: str
    value: Any
    """JSON data (dates as ISO text)."""
    device: str
    written_at: datetime
    here: bool
    """Written on this PC."""
    author: str
    """Who wrote it, when the record keeps that (its updated_by); "" otherwise."""


@dataclass(frozen=True)
class ConflictInfo:
    table: str
    row_id: str
    field: str
    kind: str
    record_kind: str
    """How a record of its table is called (a msgid, SyncPolicy.record_names; "" when its
    feature does not say: the table name is shown)."""
    record: str
    """A few words naming the record (its title, key, name ...; a part of an incident is
    named by the incident's title: SyncPolicy.named_by)."""
    field_label: str
    """The field as a person calls it (a msgid, or the column name)."""
    shown: Any
    """The value the record shows now (the deterministic winner)."""
    candidates: tuple[Candidate, ...]
    detected_at: datetime


def _entity(table: str) -> type[Base]:
    for mapper in Base.registry.mappers:
        entity: type[Base] = mapper.class_
        if getattr(entity, "__tablename__", None) == table:
            return entity
    raise UserError(N_("This record is not known to this version of CrisisDesk."))


def _names(session: Session, rules: SyncRules, table: str, row_id: str,
           field: str) -> tuple[str, str]:
    """The record's name and the field's label, for the list."""
    label = (DELETED if field == TOMBSTONE
             else rules.column_labels.get(table, {}).get(field, field))
    known = rules.tables.get(table)
    row = None if known is None else session.execute(
        select(known).where(known.c.id == row_id)).mappings().first()
    if row is None:
        return row_id, label
    own_label = rules.field_labels.get(table)
    label = (own_label(dict(row)) if own_label else None) or label
    parent = rules.named_by.get(table)
    if parent is not None and row.get(parent.column):
        return _names(session, rules, parent.table, row[parent.column], "")[0], label
    name = rules.name_columns.get(table)
    if name is not None and row.get(name):
        return str(row[name])[:80], label
    return row_id, label


def _candidates(session: Session, table: str, row_id: str, field: str, kind: str,
                device: str) -> tuple[Candidate, ...]:
    # For an edit against a delete, the delete's side: whether the record is deleted.
    shown_field = TOMBSTONE if kind == "delete" else field
    heads = contending(heads_of(session.connection(), table, [row_id]).get(row_id, {}).get(
        shown_field, []))  # a first-run seed yields: no candidate
    return tuple(sorted(
        (Candidate(h.version_id, h.value, h.device,
                   datetime.fromtimestamp((h.stamp >> COUNTER_BITS) / 1000, UTC),
                   h.device == device, _author(session, h.change_id)) for h in heads),
        key=lambda c: c.written_at))


def _author(session: Session, change_id: int) -> str:
    value = session.scalar(select(SyncVersionRow.value).where(
        SyncVersionRow.change_id == change_id, SyncVersionRow.field == "updated_by"))
    author = json.loads(value) if value else ""
    return author if isinstance(author, str) else ""


def list_conflicts(db: Database, rules: SyncRules) -> list[ConflictInfo]:
    """Every open conflict, oldest first, named as *rules* say."""
    with db.session() as session:
        device = device_and_clock(session.connection())[0]
        result = []
        for c in session.scalars(select(SyncConflictRow).order_by(SyncConflictRow.detected_at)):
            known = rules.tables.get(c.tbl)
            shown: Any = None
            if known is not None and c.field in known.c:
                shown = session.execute(select(known.c[c.field]).where(
                    known.c.id == c.row_id)).scalar()
            result.append(ConflictInfo(
                c.tbl, c.row_id, c.field, c.kind, rules.record_names.get(c.tbl, ""),
                *_names(session, rules, c.tbl, c.row_id, c.field),
                encode(shown), _candidates(session, c.tbl, c.row_id, c.field, c.kind, device),
                c.detected_at))
        return result


def resolve_conflict(db: Database, rules: SyncRules, actor: Actor, table: str, row_id: str,
                     field: str, value: Any) -> None:
    """Settle a conflict with *value* (JSON data: one candidate's, or merged by hand). The
    window learns what it changed from the rows written (Database.tracking_writes).

    For an edit against a delete, *value* is None to keep the record or a time to delete it;
    for a change after a lock, the value kept is the locked one, whatever is passed."""
    with db.session() as session:
        conflict = session.get(SyncConflictRow, (table, row_id, field))
        if conflict is None:
            raise UserError(N_("This conflict has already been settled."))
        entity = _entity(table)
        obj = session.get(entity, row_id)
        if obj is None:
            raise UserError(N_("The record of this conflict is not on this PC."))
        if field not in rules.tables[table].c:
            raise UserError(N_("This field is not known to this version of CrisisDesk; a PC "
                               "with the newer version can decide it."))
        column = rules.tables[table].c[field]
        # Whatever the kind, this PC decides having seen the lock of the record, if it is
        # locked: without it in the decision's seen, a value conflict left open when the
        # record was archived would turn into a "locked" one, the choice not applied.
        locker = locking_version(session.connection(), rules, table, row_id)
        session.info[EXTRA_SEEN] = [locker] if locker else []
        if conflict.kind == "locked":
            new = getattr(obj, column.key)
        elif conflict.kind == "delete":
            new = None if value is None else utcnow()
        else:
            try:
                new = decode(column, value)
            except BadValue as exc:  # its reason, in English, for IT
                log.warning("a decided value of %s.%s does not fit: %s", table,
                            column.key, exc)
                raise UserError(N_("This value does not fit the field {field}."),
                                field=column.key) from exc
        setattr(obj, column.key, new)
        flag_modified(obj, column.key)  # a value equal to the shown one is still a decision
        if isinstance(obj, Synced):
            obj.touch(actor.name)
        session.flush()
