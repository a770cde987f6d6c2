"""The first half of a verification (models.sync.audit): the stored sync files and the history
tables against each other.

Every segment this PC wrote or applied is kept byte for byte, signed by its device (format 2),
so it is evidence that the tables of the history cannot be: whoever can write the database
file can rewrite sync_versions, but cannot sign. Each stored file is checked as a receiver
checks it (its checksum, signature, key and chain), then everything it carries must be in the
history as it carries it, and every change of the history that names a file must be in that
file. What no file carries is only this PC's own unsent work.

One segment is in memory at a time (at most 5,000 changes), with the history rows that name
it; the checks over the whole history are SQL that streams.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from hashlib import sha256
from typing import Any

from sqlalchemy import Connection, and_, func, select

from i18n import N_
from models.core.batches import batches
from models.core.errors import UserError
from models.sync.audit_findings import Findings, shown
from models.sync.entities import CHANGES, DEVICE, REFUSED, SEGMENTS, VERSIONS
from models.sync.segment import Change, Segment, SegmentError, decode_segment

_CHUNK = 400


@dataclass(frozen=True)
class _Held:
    """A version of the history with the change that holds it."""

    field: str
    value: str
    bases: str
    change_id: int
    table: str
    row_id: str
    stamp: int
    device: str
    seen: str


def check_log(connection: Connection, findings: Findings) -> tuple[int, int]:
    """Check every stored segment and the history tables; the number of segments and of
    versions checked."""
    keys = connection.execute(select(SEGMENTS.c.device, SEGMENTS.c.seq, SEGMENTS.c.sha256)
                              .order_by(SEGMENTS.c.device, SEGMENTS.c.seq)).all()
    previous: tuple[str, int, str] | None = None
    signed_before = False
    for device, seq, stored_sha in keys:
        if previous is None or previous[0] != device:
            previous, signed_before = (device, 0, ""), False
        follows = seq == previous[1] + 1
        if seq == previous[1] + 2:
            findings.add(N_("Sync file {device}/{seq}: missing from this PC's copy of its "
                            "device's log"), device=device, seq=seq - 1)
        elif seq > previous[1] + 2:
            findings.add(N_("Sync files {device}/{first} to {last}: missing from this PC's "
                            "copy of its device's log"),
                         device=device, first=previous[1] + 1, last=seq - 1)
        segment = _checked_segment(connection, device, seq, stored_sha, findings)
        if segment is not None:
            if segment.key is not None:
                # The file before it as this PC holds it ("" before the first); after a
                # gap there is none to follow, and the gap is named.
                if follows and segment.prev != previous[2]:
                    findings.add(N_("Sync file {device}/{seq}: it does not follow the "
                                    "previous file of its device (the log was rewritten)"),
                                 device=device, seq=seq)
                signed_before = True
            elif signed_before:
                findings.add(N_("Sync file {device}/{seq}: not signed, after signed files of "
                                "its device"), device=device, seq=seq)
            _compare(connection, segment, findings)
        previous = (device, seq, stored_sha)
    _check_history(connection, findings)
    versions = int(connection.scalar(select(func.count()).select_from(VERSIONS)) or 0)
    return len(keys), versions


def _checked_segment(connection: Connection, device: str, seq: int, stored_sha: str,
                     findings: Findings) -> Segment | None:
    """The stored segment *device*/*seq*, checked as a receiver checks it; None (and named)
    when it does not hold."""
    packed = connection.scalar(select(SEGMENTS.c.data).where(
        SEGMENTS.c.device == device, SEGMENTS.c.seq == seq))
    try:
        data = zlib.decompress(bytes(packed or b""))
    except (zlib.error, TypeError):
        findings.add(N_("Sync file {device}/{seq}: this PC's copy cannot be unpacked "
                        "(damaged)"), device=device, seq=seq)
        return None
    if sha256(data).hexdigest() != stored_sha:
        findings.add(N_("Sync file {device}/{seq}: its content is not what its checksum "
                        "says (altered)"), device=device, seq=seq)
    try:
        return decode_segment(data, device=device, seq=seq)
    except SegmentError as exc:
        findings.add(N_("Sync file {device}/{seq}: {problem}"), device=device, seq=seq,
                     problem=str(exc))
        return None


def _held(connection: Connection, where: Any) -> dict[str, _Held]:
    v, c = VERSIONS, CHANGES
    rows = connection.execute(select(
        v.c.version_id, v.c.field, v.c.value, v.c.bases, v.c.change_id, c.c.tbl, c.c.row_id,
        c.c.stamp, c.c.device, c.c.seen,
    ).join(c, c.c.id == v.c.change_id).where(where))
    return {str(r[0]): _Held(*tuple(r)[1:]) for r in rows}


def _compare(connection: Connection, segment: Segment, findings: Findings) -> None:
    """Everything *segment* carries is in the history as it carries it; every change of the
    history that names it is in it."""
    here = and_(CHANGES.c.device == segment.device, CHANGES.c.seq == segment.seq)
    named = _held(connection, here)
    carried = [fv.version_id for c in segment.changes for fv in c.fields.values()]
    elsewhere: dict[str, _Held] = {}
    for part in batches([vid for vid in carried if vid not in named], _CHUNK):
        # Carried by two files (a cloned PC's unsent work, sent under both identities): the
        # history names the file it came in first, which must carry it too.
        elsewhere.update(_held(connection, VERSIONS.c.version_id.in_(part)))
    kept_out = _refused_versions(connection, segment)
    place = f"{segment.device}/{segment.seq}"
    matched: set[int] = set()
    for change in segment.changes:
        for name, fv in change.fields.items():
            held = named.pop(fv.version_id, None)
            ours = held is not None
            held = held or elsewhere.get(fv.version_id)
            if held is None:
                if fv.version_id not in kept_out:
                    findings.add(N_("{table}, record {row}, field {field}: the value {value} "
                                    "of sync file {file} is missing from the history "
                                    "(deleted outside the app)"),
                                 table=change.table, row=change.row_id, column=name,
                                 value=shown(fv.value), file=place)
                continue
            problem = _differs(held, change, name, fv.value, fv.bases, ours=ours)
            if problem is not None:
                findings.add(N_("{table}, record {row}, field {field}: the history differs "
                                "from sync file {file} ({part})"),
                             table=change.table, row=change.row_id, column=name, file=place,
                             part=problem)
            if ours:
                matched.add(held.change_id)
    for held in named.values():  # the history says this file carries them; it does not
        findings.add(N_("{table}, record {row}, field {field}: the value {value} is in no "
                        "signed sync file (inserted outside the app)"),
                     table=held.table, row=held.row_id, column=held.field,
                     value=_shown_json(held.value))
        matched.add(held.change_id)
    for change_id, table, row_id in connection.execute(
            select(CHANGES.c.id, CHANGES.c.tbl, CHANGES.c.row_id).where(here)):
        if change_id not in matched:
            findings.add(N_("{table}, record {row}: a change of the history names sync file "
                            "{file}, which does not carry it (inserted outside the app)"),
                         table=table, row=row_id, file=place)


def _differs(held: _Held, change: Change, name: str, value: Any, bases: Sequence[str],
             *, ours: bool) -> UserError | None:
    """The first part of a version the history holds otherwise than the segment carries it
    (None when none), as a message. Only the history's own record of the change (*ours*)
    must name the segment's device and its change's stamp and seen."""
    if (held.table, held.row_id, held.field) != (change.table, change.row_id, name):
        return UserError(N_("it is filed under {table}, record {row}, field {field}"),
                         table=held.table, row=held.row_id, field=held.field)
    if not _same_json(held.value, value):
        return UserError(N_("the history says {value}, the file {expected}"),
                         value=_shown_json(held.value), expected=shown(value))
    if not _same_json(held.bases, sorted(bases), as_set=True):
        return UserError(N_("the values it replaced"))
    if held.stamp != change.stamp:
        return UserError(N_("the time it was written"))
    if ours:
        if held.device != change.device:
            return UserError(N_("the PC that wrote it"))
        if not _same_json(held.seen, sorted(change.seen), as_set=True):
            return UserError(N_("what its writer had seen"))
    return None


def _same_json(text: str, value: Any, *, as_set: bool = False) -> bool:
    if text == json.dumps(value, ensure_ascii=False):
        return True  # as the merge and the capture store it: the usual case, without parsing
    try:
        stored = json.loads(text)
    except ValueError:
        return False
    if as_set:
        return isinstance(stored, list) and sorted(map(str, stored)) == sorted(map(str, value))
    return json.dumps(stored, sort_keys=True) == json.dumps(value, sort_keys=True)


def _shown_json(text: str) -> str:
    try:
        return shown(json.loads(text))
    except ValueError:
        return shown(text)


def _refused_versions(connection: Connection, segment: Segment) -> set[str]:
    """The versions of *segment* the office's rules refused (models.sync.merge, sync_refused):
    the file carries them, the history rightly does not."""
    found: set[str] = set()
    for text in connection.scalars(select(REFUSED.c.change).where(
            REFUSED.c.device == segment.device, REFUSED.c.seq == segment.seq)):
        try:
            fields = json.loads(text)["fields"]
            found.update(str(f["version"]) for f in fields.values())
        except (ValueError, KeyError, TypeError, AttributeError):
            continue  # damaged evidence: its versions stay "missing from the history"
    return found


def _check_history(connection: Connection, findings: Findings) -> None:
    """What holds of the history as a whole: each version belongs to a change, each
    change that names a segment names one this PC holds, unsent work is this PC's own, and
    the list of replaced versions is the one the versions' bases give."""
    me = connection.scalar(select(DEVICE.c.device_id))
    for version, name in connection.exec_driver_sql(
            "SELECT version_id, field FROM sync_versions v WHERE NOT EXISTS "
            "(SELECT 1 FROM sync_changes c WHERE c.id = v.change_id)"):
        findings.add(N_("History: version {version} of field {field} belongs to no change "
                        "(altered outside the app)"), version=version, column=name)
    for row in connection.exec_driver_sql(
            "SELECT c.tbl, c.row_id, v.field FROM sync_versions v JOIN sync_changes c "
            "ON c.id = v.change_id WHERE NOT json_valid(v.value) OR NOT json_valid(v.bases)"):
        findings.add(N_("{table}, record {row}, field {field}: a version of the history "
                        "cannot be read (altered outside the app)"), **_place(row))
    for table, row_id, device, seq in connection.exec_driver_sql(
            "SELECT tbl, row_id, device, seq FROM sync_changes c WHERE seq IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM sync_segments s "
            "WHERE s.device = c.device AND s.seq = c.seq)"):
        findings.add(N_("{table}, record {row}: a change of the history names sync file "
                        "{file}, which this PC does not hold"),
                     table=table, row=row_id, file=f"{device}/{seq}")
    for table, row_id in connection.exec_driver_sql(
            "SELECT tbl, row_id FROM sync_changes WHERE seq IS NULL AND device IS NOT ?",
            (me,)):
        findings.add(N_("{table}, record {row}: a change not yet sent, of another PC "
                        "(inserted outside the app)"), table=table, row=row_id)
    replaced = ("SELECT DISTINCT j.value FROM sync_versions v, json_each(v.bases) j "
                "WHERE json_valid(v.bases)")
    for (version,) in connection.exec_driver_sql(
            f"SELECT version_id FROM sync_superseded EXCEPT {replaced}"):
        findings.add(N_("History: version {version} is counted as replaced, though no "
                        "version replaces it (altered outside the app)"), version=version)
    for (version,) in connection.exec_driver_sql(
            f"{replaced} EXCEPT SELECT version_id FROM sync_superseded"):
        findings.add(N_("History: version {version} is replaced, yet counted as a current "
                        "value (altered outside the app)"), version=version)


def _place(row: Sequence[Any]) -> dict[str, str]:
    return {"table": str(row[0]), "row": str(row[1]), "column": str(row[2])}
