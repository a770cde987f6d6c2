"""Capturing every edit for sync, in the transaction that makes it (the outbox of
docs/sync.md).

A SQLAlchemy ``after_flush`` hook on the database's sessions sees each inserted or changed row
of a synced table and records one change: a new version per changed field, based on the
field's heads at that moment. Nothing in the domain code knows about sync; a new table syncs
without sync code.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import partial
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, MetaData, Table, event, inspect, select
from sqlalchemy.orm import Session, UOWTransaction

from models.core.ids import new_id
from models.storage.db import Database
from models.sync.entities import (
    CHANGES,
    CONFLICTS,
    DEVICE,
    SUPERSEDED,
    VERSIONS,
)
from models.sync.keys import new_identity, version_tag
from models.sync.merge import (
    heads_of,
    locking_version,
    next_change_id,
    refresh_conflicts,
    write_history,
)
from models.sync.policy import SEEDING
from models.sync.rules import SyncRules
from models.sync.values import encode, next_stamp

FieldValues = dict[str, Any]

EXTRA_SEEN = "sync_extra_seen"
_LOCKERS = "sync_lockers"
"""The session's (one transaction's) parents looked up by _sealing, and those it locked."""
"""Key of Session.info: version ids a resolution adds to what its change has seen (the lock
it acknowledges), consumed by the next flush."""


def install_capture(db: Database, rules: SyncRules) -> None:
    """Record every later edit made through *db*'s sessions to a table of *rules* for sync."""
    event.listen(db.sessions, "after_flush", partial(_after_flush, rules))


def _after_flush(rules: SyncRules, session: Session, _flush: UOWTransaction) -> None:
    tables = rules.tables
    edits: list[tuple[str, str, FieldValues, bool]] = []
    for obj in session.new:
        state = inspect(obj)
        table = state.mapper.local_table
        if table.name in tables:
            values = {attr.columns[0].name: getattr(obj, attr.key)
                      for attr in state.mapper.column_attrs}
            edits.append((table.name, str(values["id"]), values, True))
    for obj in session.dirty:
        state = inspect(obj)
        table = state.mapper.local_table
        if table.name not in tables:
            continue
        values = {}
        for attr in state.mapper.column_attrs:
            if state.attrs[attr.key].history.has_changes():
                values[attr.columns[0].name] = getattr(obj, attr.key)
        if values:
            edits.append((table.name, str(state.identity[0]), values, False))
    if edits:
        record_edits(session.connection(), rules, edits, session.info.pop(EXTRA_SEEN, ()),
                     seeding=bool(session.info.get(SEEDING)),
                     lockers=session.info.setdefault(_LOCKERS, {}))


def device_and_clock(connection: Connection) -> tuple[str, int]:
    row = connection.execute(select(DEVICE.c.device_id, DEVICE.c.clock)).one()
    return str(row[0]), int(row[1])


def _writer_tag(connection: Connection, device: str) -> str | None:
    """The tag this PC's new version ids carry (models.sync.keys.version_tag): none while
    it has no key yet (a database from before PCs signed, until its next sync gives it one
    and a new identity), since only a keyed identity can prove, when a clone is caught, that
    the versions it wrote travel on under its successor (models.sync.run)."""
    keyed = connection.scalar(select(DEVICE.c.signing_key.is_not(None)))
    return version_tag(device) if keyed else None


def row_heads(connection: Connection, table: str, row_id: str) -> dict[str, list[str]]:
    """The current head version ids of every field of one row."""
    return {field: [h.version_id for h in heads]
            for field, heads in heads_of(connection, table, [row_id]).get(row_id, {}).items()}


def _part_heads(connection: Connection, rules: SyncRules, table: str, row_id: str) -> list[str]:
    """The head versions of every part of a row that is being locked (SyncPolicy.parts): what
    the locking PC had of them."""
    v, c, s = VERSIONS, CHANGES, SUPERSEDED
    found: list[str] = []
    for part, column in rules.parts_of(table):
        rows = rules.tables[part]
        found.extend(connection.scalars(select(v.c.version_id).join(
            c, c.c.id == v.c.change_id).where(
            c.c.tbl == part,
            c.c.row_id.in_(select(rows.c.id).where(rows.c[column] == row_id)),
            ~select(s.c.version_id).where(s.c.version_id == v.c.version_id).exists())))
    return found


def _sealing(connection: Connection, rules: SyncRules, table: str, values: FieldValues,
             known: dict[tuple[str, str], str | None]) -> list[str]:
    """The version locking the parent of a new row of a sealed table (SyncRules.sealed_by),
    when this PC holds its parent locked: a new record of an archived case knew the case
    archived, and every receiver refuses it (models.sync.merge). Empty for a parent that is
    not locked, or locked in this same transaction. *known*: the parents looked up so far in
    this transaction (an imported case adds hundreds of rows to one incident), and those it
    locked, as None."""
    parent = rules.sealed_by.get(table)
    parent_id = values.get(parent.column) if parent is not None else None
    if parent is None or not isinstance(parent_id, str):
        return []
    key = (parent.table, parent_id)
    if key not in known:
        known[key] = locking_version(connection, rules, parent.table, parent_id)
    locker = known[key]
    return [] if locker is None else [locker]


def record_edits(connection: Connection, rules: SyncRules,
                 edits: Sequence[tuple[str, str, FieldValues, bool]],
                 extra_seen: Sequence[str] = (), *, seeding: bool = False,
                 keyless: bool = False,
                 lockers: dict[tuple[str, str], str | None] | None = None) -> None:
    """Record changes made on this PC: (table, row id, changed fields, row is new); *seeding*:
    rows every PC seeds alike, stamped 0 (models.sync.policy.SEEDING); *keyless*: the
    identity has no key yet (the migration that introduced sync, before keys existed);
    *lockers*: the transaction's parents known to _sealing, kept across its flushes.

    A row added in the transaction that locks its parent is part of the same act (an
    imported case is stored archived, the incident flushed first, its records after it):
    it names no lock, wherever the flushes fall. Named, every receiver refused it when the
    case's changes filled more than one segment."""
    device, clock = device_and_clock(connection)
    tag = None if keyless else _writer_tag(connection, device)
    change_id = next_change_id(connection)
    changes: list[tuple[Any, ...]] = []
    versions: list[tuple[Any, ...]] = []
    superseded: list[tuple[str]] = []
    lockers = {} if lockers is None else lockers
    for table, row_id, values, _is_new in edits:
        lock = rules.locks.get(table)
        if lock is not None and lock.field in values:
            lockers[(table, row_id)] = None  # locked (or not) by this transaction itself
    for table, row_id, values, is_new in edits:
        heads = {} if is_new else row_heads(connection, table, row_id)
        stamp = 0 if seeding else (clock := next_stamp(clock))
        seen: list[str] = sorted(extra_seen)
        if is_new:
            seen = sorted({*seen, *_sealing(connection, rules, table, values, lockers)})
        if any(rules.locks_or_deletes(table, f, v) for f, v in values.items()):
            seen = sorted({*seen, *(vid for ids in heads.values() for vid in ids),
                           *_part_heads(connection, rules, table, row_id)})
        changes.append((change_id, device, None, table, row_id, stamp, json.dumps(seen)))
        for field, value in values.items():
            bases = sorted(heads.get(field, ()))
            versions.append((new_id(tag), change_id, field,
                             json.dumps(encode(value), ensure_ascii=False), json.dumps(bases)))
            superseded.extend((b,) for b in bases)
        change_id += 1
    connection.execute(DEVICE.update().values(clock=clock))
    write_history(connection, changes, versions, superseded)
    for table, row_id in {(t, r) for t, r, _v, is_new in edits if not is_new}:
        if connection.execute(select(CONFLICTS.c.field).where(
                CONFLICTS.c.tbl == table, CONFLICTS.c.row_id == row_id).limit(1)).first():
            refresh_conflicts(connection, rules, table, row_id)


def capture_existing(connection: Connection, rules: SyncRules) -> None:
    """Record every row already in the database as new (a database from before sync).

    Reads the tables as they are in the file, not as this app maps them, so that it works
    from the migration that introduced sync whatever later migrations add. The file stores
    times as UTC without a zone (models.storage.db.UTCDateTime), and a reflected column gives them
    back naive: they are marked UTC here, or encode() would read them as this PC's local time
    (eight hours off in Taiwan) and every older record would reach the other PCs shifted."""
    present = set(inspect(connection).get_table_names())
    for name in rules.tables:
        if name not in present:
            continue
        table = Table(name, MetaData(), autoload_with=connection)
        rows = connection.execute(select(table)).mappings().all()
        edits = [(name, str(r["id"]), {k: _as_utc(v) for k, v in r.items()}, True)
                 for r in rows]
        for start in range(0, len(edits), 2000):
            record_edits(connection, rules, edits[start:start + 2000], keyless=True)


def _as_utc(value: Any) -> Any:
    """A naive datetime read from the file is UTC (models.storage.db.UTCDateTime stores it so)."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def ensure_device(connection: Connection) -> str:
    """This database's sync identity, made on first use with its signing key.

    A database from before PCs signed has an identity without a key. If it has packed no
    segment yet, it takes a keyed identity here and its changes become that identity's;
    otherwise its segments are already under its old identity, and its next sync gives it a
    key and a new identity the way a cloned PC gets one (models.sync.run)."""
    row = connection.execute(
        select(DEVICE.c.device_id, DEVICE.c.signing_key, DEVICE.c.next_seq)).first()
    if row is not None and (row.signing_key is not None or row.next_seq > 1):
        return str(row.device_id)
    private, device = new_identity()
    if row is None:
        connection.execute(DEVICE.insert().values(
            key=1, device_id=device, clock=0, next_seq=1, former_ids="[]", signing_key=private))
        return device
    connection.execute(CHANGES.update().where(CHANGES.c.device == row.device_id)
                       .values(device=device))
    connection.execute(DEVICE.update().values(device_id=device, signing_key=private))
    return device
