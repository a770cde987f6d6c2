"""Applying another PC's segment to this database (docs/sync.md, "Import").

All of it happens in the caller's transaction: the segment is stored, its new field versions
are added to the history, the touched rows are written with each field's winning value, open
conflicts are brought up to date, and the cursor moves. A failure anywhere rolls all of it
back, and a replay is harmless because versions already known are skipped.
"""

from __future__ import annotations

import json
import logging
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import Connection, Table, delete, func, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from i18n import N_, _
from models.core.batches import batches
from models.sync.entities import (
    CHANGES,
    CONFLICTS,
    CURSORS,
    DEVICE,
    REFUSED,
    SEGMENTS,
    SUPERSEDED,
    VERSIONS,
)
from models.sync.policy import Author, MergedRows
from models.sync.rules import SyncRules
from models.sync.segment import UNSIGNED_VERSION, Change, Segment, SegmentError
from models.sync.values import (
    BOOKKEEPING,
    TOMBSTONE,
    BadValue,
    decode,
    decoder,
    received_stamp,
    storer,
)

log = logging.getLogger(__name__)

_CHUNK = 400
_PARAMETERS = 900
"""The most parameters a plain statement takes here (SQLite's limit in older builds: 999)."""
_WRITING_CACHE_KIB = 64 * 1024
"""SQLite's page cache while a segment is applied. Its default, 2 MB, is less than the pages
a segment of 5,000 changes writes: SQLite then spills pages to the log mid-transaction and
reads them back for the next row (most of an import's system calls)."""
_json_text = json.JSONEncoder(ensure_ascii=False).encode
"""json.dumps(value, ensure_ascii=False), as the history stores a value, its encoder made once
(not once a version)."""
_json_string = json.encoder.encode_basestring
"""_json_text of a text, called directly (most values are texts): what that encoder calls."""


@dataclass
class MergeResult:
    changes: int = 0
    """Changes that brought something new."""
    conflicts: int = 0
    """Fields of the touched rows now in conflict."""
    skewed: set[str] = field(default_factory=set)
    """Devices whose stamps were more than a day ahead of this PC's clock."""
    tables: set[str] = field(default_factory=set)
    """The tables that received something new (for the views to reload)."""
    refused: list[str] = field(default_factory=list)
    """The changes the office's rules refused, each named with the reason."""


class _Version(NamedTuple):
    """A field's version as the history holds it (a tuple: a large import makes one for
    each of its tens of thousands of versions)."""

    version_id: str
    change_id: int
    field: str
    value: Any
    stamp: int
    device: str

    @property
    def order(self) -> tuple[int, str, str]:
        return (self.stamp, self.device, self.version_id)


def _order(version: _Version) -> tuple[int, str, str]:
    return version.order


def store_segment(connection: Connection, device: str, seq: int, sha256: str, data: bytes,
                  *, published: bool) -> None:
    connection.execute(sqlite_insert(SEGMENTS).values(
        device=device, seq=seq, sha256=sha256, data=zlib.compress(data, 1),
        published=published).on_conflict_do_nothing())


def _check_chain(connection: Connection, segment: Segment) -> None:
    """A signed segment must name the device's previous segment as this PC holds it (the
    chain of docs/trust.md: a device's log cannot be rewritten or forked unseen). An unsigned
    one (format 1, from before PCs signed) is taken only where this PC holds the device's
    previous segment and that one is unsigned too: from a PC not updated yet whose log this PC
    already follows. A made-up device, the first file of one, or an unsigned file in a signed
    device's log is refused."""
    at_previous = (SEGMENTS.c.device == segment.device, SEGMENTS.c.seq == segment.seq - 1)
    if segment.key is not None:
        previous = connection.scalar(select(SEGMENTS.c.sha256).where(*at_previous))
        if segment.prev != (previous or ""):
            raise SegmentError(_("it does not follow the previous file of its device: forged, "
                                 "or that device's log was rewritten"))
        return
    packed = connection.scalar(select(SEGMENTS.c.data).where(*at_previous))
    if packed is None or _is_signed(zlib.decompress(packed)):
        raise SegmentError(_("not signed: only a PC not yet updated, whose earlier files this "
                             "PC already has, may still send an unsigned one"))


def _is_signed(data: bytes) -> bool:
    """Is *data*, a segment this PC stored, of a signed format?"""
    header = json.loads(data.split(b"\n", 1)[0])
    return int(header.get("version", UNSIGNED_VERSION)) > UNSIGNED_VERSION


def apply_segment(connection: Connection, rules: SyncRules, segment: Segment,
                  data: bytes, *, author: Author | None = None,
                  sealed: bool = False) -> MergeResult:
    """Apply *segment* (whose file bytes are *data*) under *rules* and move its device's
    cursor. *author*: the person the office enrolled the segment's device for, whose every
    change is checked by the features' rules (a refused one is kept in sync_refused, never
    applied); None where no office authority is known here. *sealed*: an unsigned segment
    the office sealed (models.sync.trust), taken as it is."""
    with _writing_cache(connection):
        return _apply(connection, rules, segment, data, author, sealed)


@contextmanager
def _writing_cache(connection: Connection) -> Iterator[None]:
    """The page cache made large enough for a segment's writes, and given back its size
    after (the pages are the connection's, which the pool keeps)."""
    size = int(connection.exec_driver_sql("PRAGMA cache_size").scalar_one())
    connection.exec_driver_sql(f"PRAGMA cache_size = -{_WRITING_CACHE_KIB}")
    try:
        yield
    except BaseException:
        try:  # the segment's own error is the one to report, not a failed reset after it
            connection.exec_driver_sql(f"PRAGMA cache_size = {size}")
        except Exception:
            log.warning("the page cache's size could not be given back", exc_info=True)
        raise
    connection.exec_driver_sql(f"PRAGMA cache_size = {size}")


def _apply(connection: Connection, rules: SyncRules, segment: Segment, data: bytes,
           author: Author | None, sealed: bool) -> MergeResult:
    result = MergeResult()
    own = _never_synced(connection, rules, {c.table for c in segment.changes})
    if own:
        raise SegmentError(_("changes to {tables}, which every PC keeps for itself and never "
                             "syncs").format(tables=", ".join(own)))
    if not sealed:
        _check_chain(connection, segment)
    connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    store_segment(connection, segment.device, segment.seq, segment.sha256, data,
                  published=True)
    # The rows this PC has a history of, before the segment: looked up once, in batches
    # (most of a large segment is new rows), for the rules and for the heads below.
    existing = {(t, r) for t in {c.table for c in segment.changes}
                for r in _rows_with_history(connection, t, sorted(
                    {c.row_id for c in segment.changes if c.table == t}))}
    accepted = list(segment.changes)
    if author is not None:
        accepted = _refuse(connection, rules, segment, author, existing, result)
    ids = [fv.version_id for c in accepted for fv in c.fields.values()]
    known = _known_versions(connection, ids)
    next_id = next_change_id(connection)
    changes: list[tuple[Any, ...]] = []
    versions: list[tuple[Any, ...]] = []
    superseded: list[tuple[str]] = []
    claims: list[tuple[str, str, str, str]] = []  # (base, table, row, field) of each base named
    touched: dict[str, set[str]] = {}
    clock = int(connection.scalar(select(DEVICE.c.clock)) or 0)
    # A row this PC has no history of, changed once here from nothing, shows that change's
    # values: known without a query (most of a large segment is such new rows).
    changed_once = Counter((c.table, c.row_id) for c in accepted)
    first_rows: dict[str, dict[str, dict[str, Any]]] = {}
    newest = 0
    # Usually every version is new here: then none is looked up as the loop goes (a segment
    # carries each version once: decode_segment refuses one that carries a version twice).
    fresh = not known
    for change in accepted:
        new = list(change.fields.items()) if fresh else [
            (name, fv) for name, fv in change.fields.items() if fv.version_id not in known]
        if not new:
            continue
        table, row_id, stamp = change.table, change.row_id, change.stamp
        changes.append((next_id, segment.device, segment.seq, table, row_id, stamp,
                        json.dumps(list(change.seen)) if change.seen else "[]"))
        if not fresh:
            known.update(fv.version_id for _name, fv in new)
        based = False
        for name, (version_id, value, bases) in new:
            if bases:
                based = True
                superseded.extend((b,) for b in bases)
                claims.extend((b, table, row_id, name) for b in bases)
            versions.append((version_id, next_id, name,
                             _json_string(value) if type(value) is str else _json_text(value),
                             json.dumps(list(bases)) if bases else "[]"))
        if (not based and len(new) == len(change.fields) and changed_once[table, row_id] == 1
                and table not in rules.parts):
            first_rows.setdefault(table, {})[row_id] = {name: fv.value for name, fv in new}
        next_id += 1
        touched.setdefault(table, set()).add(row_id)
        newest = max(newest, stamp)
    # Every change is the segment's device's: its newest stamp moves the clock as each would.
    clock, skewed = received_stamp(clock, newest)
    if skewed:
        result.skewed.add(segment.device)
    for table, rows in first_rows.items():
        for row_id in [r for r in rows if (table, r) in existing]:
            del rows[row_id]
    _check_bases(connection, claims, accepted)
    write_history(connection, changes, versions, superseded)
    connection.execute(update(DEVICE).values(clock=clock))
    result.changes = len(changes)
    result.tables = set(touched)
    result.conflicts = materialize(connection, rules, touched, first_rows)
    _check_references(connection, rules, touched)
    connection.execute(sqlite_insert(CURSORS).values(
        device=segment.device, applied_seq=segment.seq).on_conflict_do_update(
        index_elements=["device"], set_={"applied_seq": segment.seq}))
    return result


def _refuse(connection: Connection, rules: SyncRules, segment: Segment, author: Author,
            existing: set[tuple[str, str]], result: MergeResult) -> list[Change]:
    """The changes of *segment* the rules let *author* make; each other one is kept in
    sync_refused with its reason and named in *result*. *existing*: the (table, row) of the
    segment this PC had a history of before it.

    Refused (docs/trust.md, "What a receiving PC checks"): a change of a table whose
    feature's check (SyncPolicy.writers) says the author
    may not; a change to an existing row of an insert-only table; a change that knew of the
    lock of a locked row (a signed report, an archived incident) and still changes it; a new
    row its feature's related check refuses (SyncPolicy.related: the separation of duties).
    A table this app does not know is a newer app's, and not checked."""
    earlier: set[tuple[str, str]] = set()
    # Rows refused when new (never applied): a later change to one, or a row belonging to one,
    # would be applied without it (a part of a refused record, or half a row).
    refused_new: dict[tuple[str, str], set[str]] = {}
    for t, r, d in connection.execute(
            select(REFUSED.c.tbl, REFUSED.c.row_id, REFUSED.c.device).distinct().where(
                ~select(CHANGES.c.id).where(
                    CHANGES.c.tbl == REFUSED.c.tbl,
                    CHANGES.c.row_id == REFUSED.c.row_id).exists())):
        refused_new.setdefault((str(t), str(r)), set()).add(str(d))
    accepted: list[Change] = []
    pending: dict[str, list[dict[str, Any]]] = {}  # new rows accepted, for RelatedCheck
    added: set[tuple[str, str]] = set()  # new rows accepted, for SyncPolicy.refers
    for change in segment.changes:
        key = (change.table, change.row_id)
        new = key not in existing and key not in earlier
        earlier.add(key)
        related = rules.related.get(change.table) if new else None
        values = _decoded(rules, change) if related is not None else None
        reason = None if change.table not in rules.tables else (
            _of_refused(rules, change, key, refused_new)
            or _refusal(connection, rules, change, author, new)
            or (related(connection, author, values, pending.get(change.table, ()))
                if related is not None and values is not None else None)
            or (_names_no_record(connection, rules, change, added) if new else None))
        if reason is None:
            accepted.append(change)
            if new:
                added.add(key)
            if values is not None:
                pending.setdefault(change.table, []).append(values)
            continue
        if key not in existing:
            refused_new.setdefault(key, set()).add(segment.device)
        connection.execute(insert(REFUSED).values(
            device=segment.device, seq=segment.seq, tbl=change.table, row_id=change.row_id,
            author=author.person, reason=reason, change=json.dumps(
                {"stamp": change.stamp, "seen": list(change.seen),
                 "fields": {n: {"version": fv.version_id, "value": fv.value,
                                "bases": list(fv.bases)} for n, fv in change.fields.items()}},
                ensure_ascii=False)))
        record = rules.record_names.get(change.table)
        result.refused.append(_("{table} {row} by {author}: {reason}").format(
            table=_(record) if record else change.table, row=change.row_id,
            author=author.person, reason=_(reason)))
    return accepted


def _names_no_record(connection: Connection, rules: SyncRules, change: Change,
                     added: set[tuple[str, str]]) -> str | None:
    """Why a new row naming a record without a foreign key (SyncPolicy.refers: a signed copy
    of a form) is refused: that record is neither on this PC nor new earlier in the same file
    (*added*). A record another PC made reaches this PC before the row naming it, as the
    file's deps order it."""
    record_of = rules.refers.get(change.table)
    record = record_of({n: fv.value for n, fv in change.fields.items()}) if record_of else None
    if record is None or record in added:
        return None
    table = rules.tables.get(record[0])
    if table is not None and connection.execute(
            select(table.c.id).where(table.c.id == record[1])).first() is not None:
        return None
    return N_("it names a record this PC does not have")


def _decoded(rules: SyncRules, change: Change) -> dict[str, Any] | None:
    """The values of *change* as its table's row holds them (times as datetimes); None when
    one does not fit its column: writing it refuses the whole file (_write_rows)."""
    table = rules.tables.get(change.table)
    if table is None:
        return None
    try:
        return {name: decode(table.c[name], fv.value) for name, fv in change.fields.items()
                if name in table.c}
    except BadValue:
        return None


def _of_refused(rules: SyncRules, change: Change, key: tuple[str, str],
                refused_new: Mapping[tuple[str, str], set[str]]) -> str | None:
    """Why *change* must follow a refused one: it changes a row its own device had refused
    when new, or names a refused row as its parent (a foreign key: applied, it would break)."""
    if change.device in refused_new.get(key, ()):
        return N_("its record was refused")
    for fk in rules.tables[change.table].foreign_keys:
        version = change.fields.get(fk.parent.name)
        if version is not None and (fk.column.table.name, version.value) in refused_new:
            return N_("it belongs to a record that was refused")
    return None


def _refusal(connection: Connection, rules: SyncRules, change: Change, author: Author,
             new: bool) -> str | None:
    """Why *author* may not make *change* (a msgid), or None."""
    values = {name: fv.value for name, fv in change.fields.items()}
    if values.get("id", change.row_id) != change.row_id:
        return N_("it gives its record another id than its own")
    seed = rules.seeds.get(change.table)
    if (seed is not None and change.stamp == 0 and not change.seen
            and not any(fv.bases for fv in change.fields.values()) and seed(values)):
        # Every PC's own first-run row (SyncPolicy.seeds): a creation (it knew no version of
        # the row), so concurrent with every edit and, stamped 0, below each of them.
        return None
    if not new and change.table in rules.insert_only:
        return N_("a record that is never changed once written")
    heads = {} if new else heads_of(connection, change.table, [change.row_id]).get(
        change.row_id, {})
    current = None if new else {
        name: max(versions, key=_order).value for name, versions in heads.items()}
    check = rules.writers.get(change.table)
    reason = check(author, values, current) if check is not None else None
    if reason is not None:
        return reason
    if current is None:
        return _added_to_sealed(connection, rules, change, values)
    if change.table not in rules.locks and change.table not in rules.parts:
        return None
    locker = locking_version(connection, rules, change.table, change.row_id)
    knew = {*change.seen, *(b for fv in change.fields.values() for b in fv.bases)}
    if locker is None or locker not in knew:
        return None  # concurrent with the lock, or no lock: the merge flags or applies it
    if any(json.dumps(current.get(name)) != json.dumps(value) for name, value in values.items()):
        return N_("the record is locked (signed or archived) and the change knew it")
    return None


def _added_to_sealed(connection: Connection, rules: SyncRules, change: Change,
                     values: Mapping[str, Any]) -> str | None:
    """Why a new row may not be added under its parent: the parent is locked (an archived
    case) and the change knew it (its seen names the lock, models.sync.capture._sealing).
    A row written before its PC learned of the lock names none: concurrent with the lock, it
    stands, as honest offline work must."""
    parent = rules.sealed_by.get(change.table)
    parent_id = values.get(parent.column) if parent is not None else None
    if parent is None or not isinstance(parent_id, str) or not change.seen:
        return None  # a new row that names nothing it knew (every honest one of an open case)
    if locking_version(connection, rules, parent.table, parent_id) is None:
        return None
    # Any lock of the parent the change names, not only the one that wins here: two PCs
    # that archived the case at once each hold their own lock as the winner until the other
    # arrives, and a row that named the one lock was refused by the PCs where it won and
    # applied by the others, for good. The change's segment follows what it names (deps).
    lock = rules.locks[parent.table]
    for value, in _rows_among(
            connection, "SELECT v.value FROM sync_versions v JOIN sync_changes c "
            "ON c.id = v.change_id WHERE c.tbl = ? AND c.row_id = ? AND v.field = ? "
            "AND v.version_id IN ({})", sorted(change.seen), parent.table, parent_id,
            lock.field):
        if lock.locks(json.loads(value)):
            return N_("it adds to a record that is locked (signed or archived), and knew it")
    return None


def _never_synced(connection: Connection, rules: SyncRules, tables: set[str]) -> list[str]:
    """Those of *tables* this database holds and never syncs (the sync's own bookkeeping,
    the schema stamp, the case search index): a change to one is forged or damaged, and was
    counted as received. A table this app does not know at all is a newer app's: its
    changes are kept (docs/sync.md)."""
    here = set(connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").scalars())
    return sorted((tables & here) - set(rules.tables))


def write_history(connection: Connection, changes: Sequence[tuple[Any, ...]],
                  versions: Sequence[tuple[Any, ...]], superseded: Sequence[tuple[str]]) -> None:
    """Add changes (id, device, seq, table, row id, stamp, seen), their versions (version id,
    change id, field, value, bases) and superseded ids.

    Plain executemany: at thousands of rows the ORM's statement building costs more than
    SQLite does."""
    if changes:
        connection.exec_driver_sql(
            "INSERT INTO sync_changes (id, device, seq, tbl, row_id, stamp, seen) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", list(changes))
    if versions:
        connection.exec_driver_sql(
            "INSERT INTO sync_versions (version_id, change_id, field, value, bases) "
            "VALUES (?, ?, ?, ?, ?)", list(versions))
    if superseded:
        connection.exec_driver_sql(
            "INSERT OR IGNORE INTO sync_superseded (version_id) VALUES (?)", list(superseded))


def next_change_id(connection: Connection) -> int:
    return int(connection.scalar(select(func.max(CHANGES.c.id))) or 0) + 1


def _check_bases(connection: Connection, claims: Sequence[tuple[str, str, str, str]],
                 changes: Sequence[Change]) -> None:
    """SegmentError when a new version names as replaced (its bases) a version of another
    record or field, known here or carried by the same segment (*changes*): a writer names
    only the heads of the field it writes. Replaced, the other version would stop counting:
    naming an archived incident's lock from another record unlocked it. *claims*: (base,
    table, row, field) of each base named. A base not known here (a version this PC refused)
    replaces nothing it shows."""
    if not claims:
        return
    named = {claim[0] for claim in claims}
    place = {fv.version_id: (c.table, c.row_id, name) for c in changes
             for name, fv in c.fields.items() if fv.version_id in named}
    place.update((str(vid), (str(t), str(r), str(f))) for vid, t, r, f in _rows_among(
        connection, "SELECT v.version_id, c.tbl, c.row_id, v.field FROM sync_versions v "
        "JOIN sync_changes c ON c.id = v.change_id WHERE v.version_id IN ({})",
        sorted(named - set(place))))
    for base, table, row_id, name in claims:
        if place.get(base, (table, row_id, name)) != (table, row_id, name):
            raise SegmentError(_("{table} {row}, field {field}: it names as replaced a "
                                 "value of another record or field").format(
                table=table, row=row_id, field=name))


def _known_versions(connection: Connection, ids: Sequence[str]) -> set[str]:
    """Those of *ids* the history holds. Version ids are time-ordered (models.core.ids), so a
    segment's lie in a narrow range of the index: read at once, unless the range holds many
    more versions than the segment (older, random ids; or this PC wrote much in that time),
    when they are looked up by id. Only the speed depends on the order, never the answer."""
    if not ids:
        return set()
    limit = 2 * len(ids) + 1000
    held = connection.exec_driver_sql(
        "SELECT version_id FROM sync_versions WHERE version_id BETWEEN ? AND ? LIMIT ?",
        (min(ids), max(ids), limit)).scalars().all()
    if len(held) < limit:
        return set(held).intersection(ids)
    return _among(connection, "SELECT version_id FROM sync_versions WHERE version_id IN ({})",
                  ids)


def _among(connection: Connection, query: str, ids: Sequence[str], *params: Any) -> set[Any]:
    """The first column of _rows_among's rows."""
    return {row[0] for row in _rows_among(connection, query, ids, *params)}


def _rows_among(connection: Connection, query: str, ids: Sequence[str],
                *params: Any) -> Iterator[Sequence[Any]]:
    """The rows of *query* (its parameters *params*, then an IN list at its {}) run over
    *ids* in parts below SQLite's limit of parameters. Plain SQL: an import looks up tens of
    thousands of ids, and building the ORM's statement of each part cost more than SQLite
    answering it."""
    for part in batches(ids, _PARAMETERS - len(params)):
        yield from connection.exec_driver_sql(
            query.format(",".join("?" * len(part))), (*params, *part))


def _check_references(connection: Connection, rules: SyncRules,
                      touched: dict[str, set[str]]) -> None:
    for table in touched:
        if table in rules.tables:
            broken = connection.exec_driver_sql(
                f'PRAGMA foreign_key_check("{table}")').first()
            if broken is not None:
                raise SegmentError(_("a record of {table} refers to a record of {other} this PC "
                                     "does not have").format(table=table, other=broken[2]))


def heads_of(connection: Connection, table: str, row_ids: Sequence[str]
             ) -> dict[str, dict[str, list[_Version]]]:
    """The current versions (heads) of every field of these rows: row id → field → heads.
    The one query of heads the capture, the merge and the conflict list share."""
    v, c, s = VERSIONS, CHANGES, SUPERSEDED
    heads: dict[str, dict[str, list[_Version]]] = {}
    for part in batches(row_ids, _CHUNK):
        rows = connection.execute(
            select(c.c.row_id, v.c.version_id, v.c.change_id, v.c.field, v.c.value,
                   c.c.stamp, c.c.device).join(c, c.c.id == v.c.change_id).where(
                c.c.tbl == table, c.c.row_id.in_(part),
                ~select(s.c.version_id).where(s.c.version_id == v.c.version_id).exists()))
        for row_id, vid, cid, name, value, stamp, device in rows:
            heads.setdefault(row_id, {}).setdefault(name, []).append(
                _Version(vid, cid, name, json.loads(value), stamp, device))
    return heads


def _seen(connection: Connection, winner: _Version) -> set[str]:
    """What the writer of *winner* had: the versions it saw, and those of its own change."""
    seen = set(json.loads(connection.scalar(
        select(CHANGES.c.seen).where(CHANGES.c.id == winner.change_id)) or "[]"))
    seen.update(connection.scalars(
        select(VERSIONS.c.version_id).where(VERSIONS.c.change_id == winner.change_id)))
    return seen


def _concurrent(connection: Connection, head: _Version, locker: _Version,
                locker_seen: set[str]) -> bool:
    """Was *head* written without knowing of *locker*, and *locker* without knowing of it?

    Two versions of one PC never are: a PC has every version it wrote before. This is what
    clears the parts of a case imported archived: they are stored after the incident's
    archived status, in the same transaction, so the lock cannot name them and their own
    changes name no lock, yet the PC that wrote them held it. (Two disks cloned from one PC
    share its identity only until the first clash: the unsent versions of the one that
    finds it move to a new identity before they are sent.)"""
    return (head.device != locker.device and head.version_id not in locker_seen
            and locker.version_id not in _seen(connection, head))


def _latest_of(connection: Connection, ids: Iterable[str], table: str, row_id: str,
               name: str) -> _Version | None:
    v, c = VERSIONS, CHANGES
    rows = connection.execute(
        select(v.c.version_id, v.c.change_id, v.c.value, c.c.stamp, c.c.device)
        .join(c, c.c.id == v.c.change_id).where(
            v.c.version_id.in_(list(ids)), c.c.tbl == table, c.c.row_id == row_id,
            v.c.field == name)).all()
    found = [_Version(r[0], r[1], name, json.loads(r[2]), r[3], r[4]) for r in rows]
    return max(found, key=_order, default=None)


def contending(heads: list[_Version]) -> list[_Version]:
    """The heads of a field that contend for it: a seed's (stamped 0: SyncPolicy.seeds) yields
    to any edit, without a conflict, as it yields to a removal."""
    return [h for h in heads if h.stamp] or heads


def resolve_row(connection: Connection, rules: SyncRules, table: str, row_id: str,
                fields: dict[str, list[_Version]]) -> tuple[dict[str, Any], dict[str, str]]:
    """The value each field of a row shows, and the fields in conflict (with their kind).

    A function of the versions alone, so every PC that holds the same versions shows the same
    row and the same conflicts."""
    values = {name: heads[0].value if len(heads) == 1 else max(heads, key=_order).value
              for name, heads in fields.items()}
    conflicts = {name: "value" for name, heads in fields.items()
                 if len(heads) > 1 and name not in BOOKKEEPING  # one head: nothing contends
                 and len({json.dumps(h.value) for h in contending(heads)}) > 1}
    locker = _locker(connection, rules, table, fields, values)
    if locker is not None:
        seen = _seen(connection, locker)
        for name, heads in fields.items():
            if locker in heads or name in BOOKKEEPING:
                continue
            unseen = [h for h in heads if _concurrent(connection, h, locker, seen)]
            if not unseen:
                continue
            kept = _latest_of(connection, seen, table, row_id, name)
            if kept is not None:
                values[name] = kept.value
                if all(json.dumps(h.value) == json.dumps(kept.value) for h in unseen):
                    continue  # the locked value written again elsewhere: nothing to decide
            conflicts[name] = "locked"
    if values.get(TOMBSTONE) is not None:
        deleter = max(fields[TOMBSTONE], key=_order)
        seen = _seen(connection, deleter)
        if any(h.version_id not in seen for name, heads in fields.items()
               if name not in BOOKKEEPING and name != TOMBSTONE for h in heads if h.stamp):
            values[TOMBSTONE] = None
            conflicts[TOMBSTONE] = "delete"
    return values, conflicts


def _locker(connection: Connection, rules: SyncRules, table: str,
            fields: dict[str, list[_Version]], values: dict[str, Any]) -> _Version | None:
    """The version that locks this row, if it is locked: the winner of its own lock field
    (SyncPolicy.locks: a signed report version, an archived incident) or of its parent's
    (SyncPolicy.parts: a part of an archived incident)."""
    lock = rules.locks.get(table)
    if lock is not None and lock.field in fields and lock.locks(values[lock.field]):
        return max(fields[lock.field], key=_order)
    part = rules.parts.get(table)
    parent_id = values.get(part.column) if part else None
    if part is None or not isinstance(parent_id, str):
        return None
    parent_lock = rules.locks[part.table]
    heads = heads_of(connection, part.table, [parent_id]).get(parent_id, {}).get(
        parent_lock.field, [])
    winner = max(heads, key=_order, default=None)
    return winner if winner is not None and parent_lock.locks(winner.value) else None


def locking_version(connection: Connection, rules: SyncRules, table: str,
                    row_id: str) -> str | None:
    """The id of the version that locks the row (for a resolution to acknowledge)."""
    fields = heads_of(connection, table, [row_id]).get(row_id, {})
    values = {name: max(heads, key=_order).value for name, heads in fields.items()}
    locker = _locker(connection, rules, table, fields, values)
    return locker.version_id if locker else None


def refresh_conflicts(connection: Connection, rules: SyncRules, table: str, row_id: str) -> None:
    """Bring the conflicts of one row up to date after an edit on this PC (a resolution)."""
    fields = heads_of(connection, table, [row_id]).get(row_id, {})
    _record_conflicts(connection, table, row_id,
                      resolve_row(connection, rules, table, row_id, fields)[1])


def _rows_with_history(connection: Connection, table: str, row_ids: Sequence[str]) -> set[str]:
    return _among(connection, "SELECT DISTINCT row_id FROM sync_changes WHERE tbl = ? "
                  "AND row_id IN ({})", row_ids, table)


def materialize(connection: Connection, rules: SyncRules, touched: dict[str, set[str]],
                first_rows: dict[str, dict[str, dict[str, Any]]] | None = None) -> int:
    """Write the current value of every field of the touched rows into their tables and
    bring their conflicts up to date; the number of fields now in conflict. *first_rows*
    gives, per table, the values of rows whose every field has one version, all of one
    change, in a table that is no part of another (SyncPolicy.parts): what resolve_row gives
    such a row without a query (its versions contend with none; a lock of the row's own, or
    its deletion, is that change's, which knew every other version), and no conflict. The
    rows written are then given to the features' after_merge hooks (SyncPolicy.after_merge).

    Statements are batched per table (one lookup, one executemany of inserts, one of
    updates), since a segment can touch thousands of rows."""
    tables = rules.tables
    hooked = {t for hook_tables, _hook in rules.after_merge for t in hook_tables}
    parents = {p.table for p in rules.parts.values()}
    open_conflicts = 0
    merged: dict[str, dict[str, dict[str, Any]]] = {}
    for name in [*tables, *(t for t in touched if t not in tables)]:
        if name not in touched:  # looked up as the loop goes: a lock adds its parts
            continue
        row_ids = sorted(touched[name])
        given = (first_rows or {}).get(name, {})
        heads = heads_of(connection, name, [r for r in row_ids if r not in given])
        table = tables.get(name)
        resolved: dict[str, dict[str, Any]] = {}
        conflicts: dict[str, dict[str, str]] = {}
        for row_id in row_ids:
            if row_id in given:
                resolved[row_id], conflicts[row_id] = given[row_id], {}
            else:
                resolved[row_id], conflicts[row_id] = resolve_row(
                    connection, rules, name, row_id, heads.get(row_id, {}))
        if table is not None:
            _write_rows(connection, table, resolved)
            if name in hooked:
                merged[name] = resolved
            if name in parents:
                lock = rules.locks[name]
                _touch_parts(connection, rules, name,
                             {row_id for row_id, values in resolved.items()
                              if lock.locks(values.get(lock.field))}, touched)
        open_conflicts += _record_all_conflicts(connection, name, conflicts)
    for hook_tables, hook in rules.after_merge:
        rows: MergedRows = {t: merged[t] for t in hook_tables if t in merged}
        if rows:
            hook(connection, rows)
    return open_conflicts


def _touch_parts(connection: Connection, rules: SyncRules, parent: str, parent_ids: set[str],
                 touched: dict[str, set[str]]) -> None:
    """Add the parts of locked parents to the rows to write: a part edited here before the
    lock arrived must show what the locking PC had (SyncPolicy.parts)."""
    if not parent_ids:
        return
    for part, column in rules.parts_of(parent):
        rows = rules.tables[part]
        for chunk in batches(sorted(parent_ids), _CHUNK):
            touched.setdefault(part, set()).update(connection.scalars(
                select(rows.c.id).where(rows.c[column].in_(chunk))))


def _write_rows(connection: Connection, table: Table, rows: dict[str, dict[str, Any]]) -> None:
    """Insert or update *rows* (id → field → value as JSON data) with their values checked
    against their columns (SegmentError names the first that does not fit, and why)."""
    existing = _among(connection, f'SELECT id FROM "{table.name}" WHERE id IN ({{}})',
                      list(rows))
    inserts: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
    updates: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
    storers = [(c.name, storer(c, connection.dialect)) for c in table.columns if c.name != "id"]
    required = [c.name for c in table.columns if c.name != "id" and not c.nullable
                and c.default is None]
    for row_id, raw in rows.items():
        values = _converted(table, row_id, raw, storers)
        if row_id in existing:
            if values:
                updates.setdefault(tuple(values), []).append((*values.values(), row_id))
            continue
        missing = [name for name in required if name not in values]
        if missing:
            raise SegmentError(_("record {row} of {table} arrives without {fields}").format(
                row=row_id, table=table.name, fields=", ".join(missing)))
        inserts.setdefault(tuple(values), []).append((row_id, *values.values()))
    every = {c.name for c in table.columns}
    decoders = [(c.name, decoder(c)) for c in table.columns if c.name != "id"]
    for columns, batch in inserts.items():
        if every == {"id", *columns}:
            names = ", ".join(f'"{c}"' for c in ("id", *columns))
            connection.exec_driver_sql(f'INSERT INTO "{table.name}" ({names}) VALUES '
                                       f'({", ".join("?" * (len(columns) + 1))})', batch)
        else:  # a column left to its default, which the ORM's statement fills in
            connection.execute(insert(table), [
                {"id": row[0], **_converted(table, row[0], rows[row[0]], decoders)}
                for row in batch])
    for columns, batch in updates.items():
        assignments = ", ".join(f'"{c}" = ?' for c in columns)
        connection.exec_driver_sql(
            f'UPDATE "{table.name}" SET {assignments} WHERE id = ?', batch)


def _converted(table: Table, row_id: str, raw: Mapping[str, Any],
               converters: Sequence[tuple[str, Callable[[Any], Any]]]) -> dict[str, Any]:
    """The values of *raw* for the table's columns, each through its converter (decoder's
    Python value or storer's stored one), in the table's column order."""
    try:
        return {name: convert(raw[name]) for name, convert in converters if name in raw}
    except BadValue as exc:
        raise SegmentError(_("record {row} of {table}: {problem}").format(
            row=row_id, table=table.name, problem=exc)) from exc


def _record_all_conflicts(connection: Connection, table: str,
                          conflicts: dict[str, dict[str, str]]) -> int:
    """Replace the recorded conflicts of these rows of *table* by *conflicts*."""
    recorded = _among(connection, "SELECT row_id FROM sync_conflicts WHERE tbl = ? "
                      "AND row_id IN ({})", list(conflicts), table)
    count = 0
    for row_id, fields in conflicts.items():
        if fields or row_id in recorded:
            count += _record_conflicts(connection, table, row_id, fields)
    return count


def _record_conflicts(connection: Connection, table: str, row_id: str,
                      conflicts: dict[str, str]) -> int:
    c = CONFLICTS
    connection.execute(delete(c).where(c.c.tbl == table, c.c.row_id == row_id,
                                       c.c.field.not_in(list(conflicts))))
    for name, kind in conflicts.items():
        connection.execute(sqlite_insert(c).values(
            tbl=table, row_id=row_id, field=name, kind=kind).on_conflict_do_update(
            index_elements=["tbl", "row_id", "field"], set_={"kind": kind}))
    return len(conflicts)
