"""One sync run against the shared folder (docs/sync.md): check the folder and this PC's
identity, send unsent changes, write back what the folder lost, apply what others wrote, and
exchange attachment files. Used by the background sync of the app and by ``main.py sync``.

Database transactions are short and never wait on the share: a segment is read from the share
first, then applied in one transaction.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import platform
import re
import sqlite3
import stat
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from appinfo.meta import VERSION
from i18n import N_, _
from models.core.changes import OpChanges
from models.core.errors import UserError, os_reason
from models.core.faults import DatabaseDamaged
from models.core.files import FileTooLarge, atomic_write_bytes, read_regular, shown_name
from models.core.files import NotRegularFile as NotRegularLocal
from models.org.it_defaults import load_it_defaults
from models.org.people import Role
from models.storage.db import Database, utcnow
from models.sync.entities import (
    CHANGES,
    CONFLICTS,
    CURSORS,
    DEVICE,
    RUNS,
    SEGMENTS,
    TRUST_RECORDS,
)
from models.sync.folder import (
    TRUST,
    FolderClash,
    FolderError,
    FolderTimeout,
    Listing,
    NotRegularFile,
    TooLarge,
    blob_path,
    check_format,
    list_blobs,
    list_devices,
    list_log,
    list_trust,
    read_file,
    segment_path,
    trust_path,
    write_json,
    write_once,
)
from models.sync.enrolment import (
    Me,
    anchor_authority,
    load_me,
    refuse_records,
    request_record,
    store,
)
from models.sync.keys import new_identity, public_key_of
from models.sync.merge import apply_segment, store_segment
from models.sync.policy import Attachments, Author
from models.sync.rules import SyncRules
from models.sync.trust_records import (
    MAX_RECORD_BYTES,
    Record,
    RecordError,
    decode_record,
    record_file_name,
    sha_of_file_name,
)
from models.sync.segment import (
    MAX_BYTES,
    MAX_FORMERS,
    SEGMENT_CHANGES,
    Segment,
    SegmentError,
    SegmentTooNew,
    decode_segment,
    encode_lines,
    stored_change_lines,
    succession,
)

log = logging.getLogger(__name__)

_SEGMENT_TARGET_BYTES = 8 * 1024 * 1024
_KEEP_RUNS = 200
_BLOB_LIMIT = 25 * 1024 * 1024


@dataclass
class SyncReport:
    """What a run did and what is left; the status bar and the command line show it."""

    folder: str
    started_at: str = ""
    finished_at: str = ""
    reachable: bool = True
    error: str = ""
    read_only: bool = False
    sent_segments: int = 0
    sent_changes: int = 0
    received_segments: int = 0
    received_changes: int = 0
    repaired: int = 0
    blobs_sent: int = 0
    blobs_received: int = 0
    unsent_changes: int = 0
    conflicts: int = 0
    waiting: list[str] = field(default_factory=list)
    """Segments that cannot be applied yet, with the reason."""
    refused: list[str] = field(default_factory=list)
    """Changes of enrolled PCs the office's rules refused (kept as evidence, never applied)."""
    foreign: list[str] = field(default_factory=list)
    skewed: list[str] = field(default_factory=list)
    new_identity: str = ""
    received_tables: list[str] = field(default_factory=list)
    changes: OpChanges = field(default_factory=OpChanges)
    """What the received rows are to the views (SyncPolicy.changes): the kinds to reload.
    Kept in memory only: the stored report keeps the shape it had (received_tables)."""
    standing: Me | None = None
    """This PC's standing in the office after the run (its enrolment, the office's PCs), for
    the window (in memory only)."""

    @property
    def in_sync(self) -> bool:
        """Everything sent and received, nothing waiting, no conflict to decide."""
        return (self.reachable and not self.error and not self.read_only
                and not self.waiting and not self.unsent_changes and not self.conflicts
                and not self.refused)

    def finished_at_time(self) -> datetime:
        return datetime.strptime(self.finished_at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)

    def to_json(self) -> str:
        stored = {f.name: getattr(self, f.name) for f in fields(self)
                  if f.name not in ("changes", "standing")}
        return json.dumps(stored, ensure_ascii=False)


def _now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class _Identity:
    device: str
    next_seq: int
    former: tuple[str, ...]
    key: bytes | None
    """The private key signing the segments (None: a database from before PCs signed)."""
    stored_formers: tuple[str | dict[str, str], ...] = ()
    """The former identities as stored, newest last: a device id (given up before it had a
    key) or, with its device, the succession its key signed (models.sync.segment.succession)."""

    @property
    def successions(self) -> list[dict[str, str]]:
        """The proofs that this identity took the place of its keyed former ones, written
        into the header of every segment it signs."""
        return [{k: v for k, v in f.items() if k != "device"} for f in self.stored_formers
                if isinstance(f, dict)]


def _identity(connection: Connection) -> _Identity:
    row = connection.execute(select(DEVICE.c.device_id, DEVICE.c.next_seq, DEVICE.c.former_ids,
                                    DEVICE.c.signing_key)).one()
    formers = tuple(json.loads(row[2]))
    return _Identity(row[0], row[1], tuple(f["device"] if isinstance(f, dict) else f
                                           for f in formers), row[3], formers)


def _cursors(connection: Connection) -> dict[str, int]:
    return {d: n for d, n in connection.execute(select(CURSORS.c.device,
                                                       CURSORS.c.applied_seq))}


def sync_once(db: Database, folder: Path, rules: SyncRules, *, person: str = "",
              unit: str = "", role: Role | None = None) -> SyncReport:
    """Run one sync with *folder* under *rules* (models.schema.RULES); never raises for a
    folder problem, nor for one of this PC's database or disk that the user can act on (a
    full disk, a damaged database): each ends the run with its message in the report, which
    is still recorded when it can be. *person*, *unit* and *role* describe this PC in its
    request to join the office, while it is not enrolled (the settings' name, unit and role).

    Not in a database found damaged: its message says nothing was changed in it, and
    writing into damaged pages can only spread the damage (the run is logged instead)."""
    report = SyncReport(folder=str(folder), started_at=_now_text())
    damaged = False
    try:
        form = check_format(folder)
        if not form.can_read:
            report.error = "needs-newer-app"
            return report
        report.read_only = not form.can_write
        if form.can_write:
            _check_identity(db, folder, report)
            _send(db, folder, report)
        trust = exchange_trust(db, folder, report, person=person, unit=unit, role=role,
                               write=form.can_write)
        devices, foreign = list_devices(folder)
        report.foreign.extend(foreign)
        held = _held(db)
        listings, unlistable = _list_logs(folder, sorted(set(devices) | set(held)))
        if form.can_write:
            _repair(db, folder, report, held, listings)
        report.standing = trust
        with _collection_paused():
            _receive(db, rules, folder, report, devices, listings, unlistable, trust)
        _exchange_blobs(db, rules.attachments, folder, report, send=form.can_write)
        if form.can_write:
            _write_acks(db, folder, report)
    except FolderError as exc:
        report.reachable = False
        report.error = str(exc)
    except UserError as exc:  # this PC's side: the folder was reached, the run stopped here
        log.warning("sync with %s stopped: %s", folder, exc.message())
        report.error = exc.message()
        damaged = isinstance(exc, DatabaseDamaged)
    finally:
        report.finished_at = _now_text()
        _shown(report)
        try:
            if not damaged:
                _finish(db, report)
        except UserError as exc:  # the same full disk: the report still reaches the user
            log.warning("the sync run with %s could not be recorded: %s", folder,
                        exc.message())
            report.error = report.error or exc.message()
    return report


def _shown(report: SyncReport) -> None:
    """Every text of *report* as it can be shown, stored and logged (models.core.files.shown_name):
    a path or name from the share that is not UTF-8 must not stop the run's recording."""
    for name, value in vars(report).items():
        if isinstance(value, str):
            setattr(report, name, shown_name(value))
        elif isinstance(value, list):
            setattr(report, name, [shown_name(v) if isinstance(v, str) else v for v in value])


# --------------------------------------------------------------------------- identity


def _check_identity(db: Database, folder: Path, report: SyncReport) -> None:
    """A segment under this PC's name that this PC did not write but that is signed with its
    key means another PC has its identity (a cloned disk, or this database restored from a
    backup): take a new one. So does a PC whose segments were written before PCs signed them:
    its next ones are signed, under the identity its new key proves. Any other file there is
    named, and changes nothing."""
    with db.session() as session:
        me = _identity(session.connection())
    if me.key is None:
        _take_new_identity(db, me, None)
        return
    listing = list_log(folder, me.device)
    # What this PC holds is read after the listing: a segment is stored here before it is
    # written to the folder, so a second sync of this PC (the window and a scheduled
    # `main.py sync`) writing one meanwhile is never taken for a stranger.
    with db.session() as session:
        held = set(session.scalars(select(SEGMENTS.c.seq).where(
            SEGMENTS.c.device == me.device)))
    strangers = sorted(seq for seq in listing.segments if seq not in held)
    if any(_written_with_my_key(folder, me, listing.segments[seq]) for seq in strangers):
        _take_new_identity(db, me, report)
        return
    for seq in strangers:  # not this PC's, nor a copy's: forged or damaged, never a reason
        _name_stranger(report, me, seq)  # to give up this PC's identity


def ensure_signing_key(db: Database) -> None:
    """Give a PC from before PCs signed its key now (as its next sync would), for an act that
    needs it (enrolment)."""
    with db.session() as session:
        me = _identity(session.connection())
    if me.key is None:
        _take_new_identity(db, me, None)


def _written_with_my_key(folder: Path, me: _Identity, path: Path) -> bool:
    """Was the file *path* in this PC's folder signed with this PC's key? Then another PC
    holds the key: a cloned disk, or this database restored on a second PC. A file anyone
    else wrote there proves nothing and costs this PC nothing but a line in the status."""
    seq = int(path.stem)
    try:
        segment = decode_segment(read_file(folder, path, MAX_BYTES), device=me.device, seq=seq)
    except FolderTimeout:
        raise
    except (SegmentError, FolderError):
        return False
    return (me.key is not None and segment.key is not None
            and segment.key == public_key_of(me.key))


def _name_stranger(report: SyncReport, me: _Identity, seq: int) -> None:
    line = _("{file}: in this PC's folder, but neither written by this PC nor signed with its "
             "key (forged or damaged): remove it").format(file=f"{me.device}/{seq}")
    if line not in report.waiting:  # the check of the folder and the write may both see it
        log.warning("devices/%s/log/%s: not written by this PC, nor signed with its key",
                    me.device, seq)
        report.waiting.append(line)


def _take_new_identity(db: Database, me: _Identity, report: SyncReport | None) -> None:
    """Give up *me* for an identity proved by a new key, its unsent changes moving with it;
    *report* says so to the user (None when there is nothing to say: a PC that took its
    first key)."""
    key, new = new_identity()
    with db.session() as session:
        conn = session.connection()
        published = conn.scalar(select(func.max(SEGMENTS.c.seq)).where(
            SEGMENTS.c.device == me.device, SEGMENTS.c.published.is_(True))) or 0
        unpublished = conn.scalars(select(SEGMENTS.c.seq).where(
            SEGMENTS.c.device == me.device, SEGMENTS.c.published.is_(False))).all()
        conn.execute(update(CHANGES).where(
            CHANGES.c.device == me.device, CHANGES.c.seq.in_(unpublished)).values(seq=None))
        conn.execute(delete(SEGMENTS).where(
            SEGMENTS.c.device == me.device, SEGMENTS.c.published.is_(False)))
        # Their versions move with them: a version's device is its change's.
        conn.execute(update(CHANGES).where(
            CHANGES.c.device == me.device, CHANGES.c.seq.is_(None)).values(device=new))
        conn.execute(CURSORS.insert().values(device=me.device, applied_seq=published))
        conn.execute(update(DEVICE).values(
            device_id=new, next_seq=1, former_ids=json.dumps([*me.stored_formers, (
                me.device if me.key is None else
                {"device": me.device, **succession(me.key, new)})]),
            signing_key=key))
    log.info("this PC's sync identity is now %s (was %s)", new, me.device)
    if report is not None:
        report.new_identity = new


# --------------------------------------------------------------------------- sending


def _pack(db: Database) -> tuple[str, int, bytes] | None:
    """Put the oldest unsent changes into a new stored segment: its device, number and bytes;
    None when none are left."""
    with db.session() as session:
        conn = session.connection()
        me = _identity(conn)
        unsent = (CHANGES.c.device == me.device, CHANGES.c.seq.is_(None))
        driver = _driver(conn)
        changes = driver.execute(_UNSENT, (me.device, SEGMENT_CHANGES)).fetchall()
        if not changes:
            return None
        lines = stored_change_lines(me.device, changes, driver.execute(
            _UNSENT_VERSIONS, (me.device, SEGMENT_CHANGES)))
        deps = _cursors(conn)
        if me.key is None:  # a sync takes a key first (_check_identity): never unsigned
            raise FolderError(_("this PC has no signing key yet: sync again"))
        prev = conn.scalar(select(SEGMENTS.c.sha256).where(
            SEGMENTS.c.device == me.device, SEGMENTS.c.seq == me.next_seq - 1)) or ""
        created = _now_text()
        data = encode_lines(me.key, me.next_seq, created, VERSION, deps, lines, prev=prev,
                            formers=me.successions[-MAX_FORMERS:])
        if len(data) > _SEGMENT_TARGET_BYTES:
            lines = _fitting(lines)  # and the segment written again of those
            data = encode_lines(me.key, me.next_seq, created, VERSION, deps, lines, prev=prev,
                            formers=me.successions[-MAX_FORMERS:])
        if len(data) > MAX_BYTES:
            raise FolderError(_("a single change is larger than a segment may be"))
        store_segment(conn, me.device, me.next_seq, hashlib.sha256(data).hexdigest(), data,
                      published=False)
        # The changes taken are the first unsent ones, in id order: those up to the last.
        conn.execute(update(CHANGES).where(*unsent, CHANGES.c.id <= changes[len(lines) - 1][0])
                     .values(seq=me.next_seq))
        conn.execute(update(DEVICE).values(next_seq=me.next_seq + 1))
    return me.device, me.next_seq, data


_UNSENT_WHERE = "device = ? AND seq IS NULL ORDER BY id LIMIT ?"
_UNSENT = f"SELECT id, tbl, row_id, stamp, seen FROM sync_changes WHERE {_UNSENT_WHERE}"
"""A device's first unsent changes (at most a number), as the history stores them."""
_UNSENT_VERSIONS = (
    "SELECT change_id, field, version_id, value, bases FROM sync_versions WHERE change_id IN "
    f"(SELECT id FROM sync_changes WHERE {_UNSENT_WHERE}) ORDER BY change_id")
"""Their field versions, grouped by change (the index on change_id gives that order)."""


def _driver(connection: Connection) -> sqlite3.Connection:
    """*connection*'s own sqlite3 connection, in its transaction: its rows are plain tuples,
    without SQLAlchemy's Row made for each (a quarter of reading a segment's 40,000
    versions)."""
    return connection.connection.driver_connection  # type: ignore[return-value]


def _fitting(lines: list[bytes]) -> list[bytes]:
    """The first of the change *lines* that make at most the segment's target size (at least
    one)."""
    size = 0
    for n, line in enumerate(lines):
        size += len(line)  # bytes, not characters: the limit is in bytes
        if n and size > _SEGMENT_TARGET_BYTES:
            return lines[:n]
    return lines


def _send(db: Database, folder: Path, report: SyncReport) -> None:
    packed: dict[tuple[str, int], bytes] = {}
    while (made := _pack(db)) is not None:
        device, seq, data = made
        packed[device, seq] = data  # written from here, not read back from the database
    with db.session() as session:
        me = _identity(session.connection())
        pending = session.scalars(select(SEGMENTS.c.seq).where(
            SEGMENTS.c.device == me.device, SEGMENTS.c.published.is_(False))
            .order_by(SEGMENTS.c.seq)).all()
    for seq in pending:
        data = packed.get((me.device, seq)) or _stored_segment(db, me.device, seq)
        path = segment_path(folder, me.device, seq)
        try:
            write_once(folder, path, data)
        except FolderClash:
            if not _written_with_my_key(folder, me, path):
                _name_stranger(report, me, seq)  # the log waits there until it is removed
                return
            _take_new_identity(db, me, report)
            _send(db, folder, report)
            return
        with db.session() as session:
            session.execute(update(SEGMENTS).where(
                SEGMENTS.c.device == me.device, SEGMENTS.c.seq == seq).values(published=True))
            count = session.scalar(select(func.count()).select_from(CHANGES).where(
                CHANGES.c.device == me.device, CHANGES.c.seq == seq)) or 0
        report.sent_segments += 1
        report.sent_changes += count


def _stored_segment(db: Database, device: str, seq: int) -> bytes:
    """The bytes of a segment this PC holds (packed by an earlier run and not yet sent)."""
    with db.session() as session:
        return zlib.decompress(session.scalars(select(SEGMENTS.c.data).where(
            SEGMENTS.c.device == device, SEGMENTS.c.seq == seq)).one())


def _held(db: Database) -> dict[str, set[int]]:
    """The segments this PC holds and knows to have been in the folder, per device."""
    held: dict[str, set[int]] = {}
    with db.session() as session:
        for device, seq in session.execute(select(SEGMENTS.c.device, SEGMENTS.c.seq).where(
                SEGMENTS.c.published.is_(True))).all():
            held.setdefault(device, set()).add(seq)
    return held


def _list_logs(folder: Path, devices: Iterable[str]) -> tuple[dict[str, Listing], dict[str, str]]:
    """Each device folder listed once per run (on an SMB share a listing is a round trip),
    for the repair and the import; and why any of them could not be listed."""
    listings: dict[str, Listing] = {}
    unlistable: dict[str, str] = {}
    for d in devices:
        try:
            listings[d] = list_log(folder, d)
        except FolderTimeout:
            raise
        except FolderError as exc:  # this device's folder only (not a folder, no permission)
            unlistable[d] = f"devices/{d}/log: {exc}"
    return listings, unlistable


def _repair(db: Database, folder: Path, report: SyncReport, held: dict[str, set[int]],
            listings: dict[str, Listing]) -> None:
    """Write back every segment this PC holds that the folder lacks (wiped, or restored from
    an older backup): byte for byte what was there, so any PC's copy is the same."""
    for device, seqs in held.items():
        if device not in listings:  # that device's folder only: _receive names it as waiting
            continue
        for seq in sorted(seqs - set(listings[device].segments)):
            with db.session() as session:
                packed = session.scalar(select(SEGMENTS.c.data).where(
                    SEGMENTS.c.device == device, SEGMENTS.c.seq == seq))
            try:
                if packed is not None and write_once(folder, segment_path(folder, device, seq),
                                                     zlib.decompress(packed)):
                    report.repaired += 1
            except FolderClash:
                report.waiting.append(_("{file}: differs from this PC's copy").format(
                    file=f"{device}/{seq}"))
            except NotRegularFile as exc:  # in the segment's place, not listed as one
                report.waiting.append(str(exc))


# --------------------------------------------------------------------------- receiving


def _receive(db: Database, rules: SyncRules, folder: Path, report: SyncReport,
             devices: list[str], listings: dict[str, Listing],
             unlistable: dict[str, str], trust: Me) -> None:
    """Apply what the other devices wrote, each log in order. Where this PC knows the office's
    authority, only enrolled PCs' signed segments (and the sealed unsigned history) are
    applied, each change checked against the rules for the person the PC is enrolled for; a
    PC that is not enrolled yet in an office that has an authority applies nothing."""
    if not trust.state.active and trust.state.office_enrols:
        report.waiting.append(_("This PC waits for the office's approval: give its code "
                                "{code} to the approver.").format(code=trust.code))
        return
    with db.session() as session:
        me = _identity(session.connection())
        applied = _cursors(session.connection())
    blocked = {d: why for d, why in unlistable.items() if d in devices and d != me.device}
    listings = {d: listing for d, listing in listings.items()
                if d in devices and d != me.device}
    others = list(listings)
    for d, listing in listings.items():
        report.foreign.extend(f"devices/{d}/log/{name}" for name in listing.foreign)
    progress = True
    while progress:
        progress = False
        for d in others:
            seq = applied.get(d, 0) + 1
            path = listings[d].segments.get(seq)
            if path is None:
                if any(s > seq for s in listings[d].segments):
                    blocked[d] = _("{file}: missing, though later files are present").format(
                        file=f"{d}/{seq}")
                continue
            try:
                data = read_file(folder, path, MAX_BYTES)
                segment = decode_segment(data, device=d, seq=seq)
            except SegmentTooNew as exc:
                blocked[d] = _("{file} from {device}: needs a newer version of CrisisDesk ({detail})").format(
                    file=path.name, device=d, detail=exc)
                continue
            except FolderTimeout:
                raise  # the share hangs: end the run unreachable, not "waiting" per device
            except (SegmentError, FolderError) as exc:
                blocked[d] = _("{file} from {device}: {problem}").format(file=path.name, device=d,
                                                                       problem=exc)
                continue
            if segment.key is None and d in me.former:  # this PC's old log: it signs since
                blocked[d] = _("{file} from {device}: {problem}").format(
                    file=path.name, device=d, problem=_(
                        "not signed, in a log this PC gave up: it has signed everything it "
                        "wrote since (forged)"))
                continue
            refusal = trust.state.refusal(
                d, seq, signed=segment.key is not None, sha256=segment.sha256,
                formers=segment.formers) if trust.state.active else None
            if refusal is not None:
                blocked[d] = _("{file} from {device}: {problem}").format(
                    file=path.name, device=d, problem=refusal)
                continue
            unmet = [f"{dd}/{s}" for dd, s in segment.deps.items()
                     if (s >= me.next_seq if dd == me.device else applied.get(dd, 0) < s)]
            if unmet:
                blocked[d] = _("{file} from {device}: waiting for {segments}").format(
                    file=path.name, device=d, segments=", ".join(sorted(unmet)))
                continue
            try:
                with db.session() as session:
                    result = apply_segment(session.connection(), rules, segment, data,
                                           author=_author(trust, d, segment),
                                           sealed=trust.state.active and segment.key is None)
            except SegmentError as exc:
                blocked[d] = _("{file} from {device}: {problem}").format(file=path.name, device=d,
                                                                       problem=exc)
                continue
            except IntegrityError as exc:  # a row clashing with one of ours on a unique key
                log.warning("%s of %s clashes with a record here: %s", path.name, d, exc.orig)
                blocked[d] = _("{file} from {device}: {problem}").format(
                    file=path.name, device=d,
                    problem=_("a record in it clashes with one of this PC's (the details are in "
                              "the log for IT)"))
                continue
            blocked.pop(d, None)
            applied[d] = seq
            progress = True
            report.received_segments += 1
            report.received_changes += result.changes
            report.skewed.extend(sorted(result.skewed - set(report.skewed)))
            report.received_tables = sorted(result.tables | set(report.received_tables))
            report.changes |= rules.changes_of(result.tables)
            for line in result.refused:
                log.warning("%s of %s: refused %s", path.name, d, line)
            report.refused.extend(result.refused)
    report.waiting.extend(blocked[d] for d in sorted(blocked))


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Python's cyclic collector held off while segments are read and applied: their
    thousands of lines and versions, none in a cycle, made it run every few hundred of them,
    each time over every object of the process, for about half the reading of a segment
    (issue 16's profile). Where automatic collection is off already, it stays off."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _author(trust: Me, device: str, segment: Segment) -> Author | None:
    """The person whose changes a signed segment of an enrolled *device* are (None where no
    authority is known here, and for the sealed history, taken as the office sealed it)."""
    grant = trust.state.grant(device) if trust.state.active else None
    if grant is None or segment.key is None:
        return None
    return Author(grant.person, grant.role.value, grant.posts, grant.login, grant.pc)


# --------------------------------------------------------------------------- trust records


def exchange_trust(db: Database, folder: Path, report: SyncReport, *, person: str = "",
                   unit: str = "", role: Role | None = None, write: bool = True,
                   ask: bool = True) -> Me:
    """Read the trust records in the share this PC does not hold, write those it holds that
    the share lacks (and, while not enrolled, its request to join), and return this PC's
    standing. A file in trust/ that is not a valid record is named and never used. *ask*:
    False where this PC only approves (IT with the authority's key file): it asks nothing."""
    with db.session() as session:
        held = set(session.scalars(select(TRUST_RECORDS.c.sha256)))
    names, junk = list_trust(folder)
    report.foreign.extend(f"{TRUST}/{name}" for name in junk)
    found: list[Record] = []
    refused: list[str] = []
    for name in names:
        sha = sha_of_file_name(name)
        if sha is None or sha in held:
            continue
        try:
            record = decode_record(read_file(folder, trust_path(folder, name), MAX_RECORD_BYTES))
            if record.sha256 != sha:
                raise RecordError(N_("its name is not its SHA-256"))
        except FolderTimeout:
            raise
        except (FolderError, RecordError) as exc:
            problem = exc.message() if isinstance(exc, RecordError) else str(exc)
            log.warning("trust/%s refused: %s", name, problem)
            report.waiting.append(_("{file}: {problem}").format(file=f"{TRUST}/{name}",
                                                                problem=problem))
            if isinstance(exc, (RecordError, TooLarge)):  # its content: never read again
                refused.append(sha)
            continue
        found.append(record)
    with db.session() as session:
        store(session.connection(), found, published=True)
        refuse_records(session.connection(), refused)
    if write:
        with db.session() as session:
            conn = session.connection()
            request = request_record(conn, person=person, unit=unit, role=role) if ask else None
            if request is not None and not _asked_already(conn, request):
                store(conn, [request], published=False)
            unpublished = conn.execute(select(TRUST_RECORDS.c.sha256, TRUST_RECORDS.c.data)
                                       .where(TRUST_RECORDS.c.published.is_(False))).all()
        listed = set(names)
        for sha, data in unpublished:
            _publish_record(db, folder, sha, data, listed)
    anchor = load_it_defaults().authority
    with db.session() as session:
        if anchor is not None:
            anchor_authority(session.connection(), anchor)
        return load_me(session.connection(), pin=True)


def _asked_already(connection: Connection, request: Record) -> bool:
    """Does this PC hold a request of its own saying the same (so none is written again)?"""
    for data in connection.scalars(select(TRUST_RECORDS.c.data).where(
            TRUST_RECORDS.c.kind == "request")):
        try:
            held = decode_record(data)
        except RecordError:
            continue
        if held.signer == request.signer and held.body == request.body:
            return True
    return False


def _publish_record(db: Database, folder: Path, sha: str, data: bytes, listed: set[str]) -> None:
    name = record_file_name(sha)
    if name not in listed:
        try:
            write_once(folder, trust_path(folder, name), data)
        except FolderClash:  # a file of its name, other bytes: the receivers name it
            return
    with db.session() as session:
        session.execute(update(TRUST_RECORDS).where(TRUST_RECORDS.c.sha256 == sha)
                        .values(published=True))


# --------------------------------------------------------------------------- attachments


_SHA256 = re.compile(r"[0-9a-f]{64}")


def plain_attachment_name(attachments: Attachments, sha: str, name: str) -> bool:
    """Is *name* the name of an attachment of *sha*: the SHA-256 in 64 lower-case hex digits
    and an allowed suffix, so no path (no separator, no ``..``, no drive) can hide in it?"""
    return (_SHA256.fullmatch(sha) is not None and name.startswith(sha)
            and name[len(sha):] in attachments.suffixes)


def _local_blobs(db: Database, declared: Iterable[Attachments], report: SyncReport
                 ) -> Iterator[tuple[Attachments, str, Path]]:
    """Each file the rows name, with its declaration, its SHA-256 and its path here; a name
    that is not an attachment's (plain_attachment_name) is refused, named in the report."""
    for attachments in declared:
        with db.session() as session:
            files = list(attachments.files(session.connection()))
        for sha, name in files:
            if plain_attachment_name(attachments, sha, name):
                yield attachments, sha, db.path.parent / attachments.folder / name
                continue
            log.warning("attachment refused: %r (SHA-256 %r) is not a plain name", name, sha)
            report.waiting.append(_(
                "A record names an attachment {file} that is not a plain file name of an "
                "allowed kind: it was neither sent nor fetched.").format(
                    file=shown_name(f"{attachments.folder}/{name}")))


def _local_blob(attachments: Attachments, local: Path, sha: str) -> bytes | str:
    """The content of the attachment file *local*, or why it must not be sent.

    The attachments folder can be written by other programs: a link there would publish
    whatever it leads to (any file this PC's user can read) to every PC, a pipe would
    block the run, and a file that is not what its name says would be taken by every
    receiver for the real one and never replaced (a file in blobs/ is written once). So
    only a regular file (models.core.files.read_regular) within the limit of an attachment
    whose SHA-256 is its name is sent."""
    name = f"{attachments.folder}/{local.name}"
    try:
        data = read_regular(local, _BLOB_LIMIT)
    except (NotRegularLocal, FileTooLarge) as exc:
        return _("{file}: {problem}").format(file=name, problem=exc.message())
    except OSError as exc:
        return _("{file}: {problem}").format(file=name, problem=os_reason(exc).message())
    if hashlib.sha256(data).hexdigest() != sha:
        return _("{file} on this PC is not the attachment its name says (damaged or "
                 "replaced): it was not sent. Remove it; the next sync fetches it again "
                 "if another PC has sent it.").format(file=name)
    return data


def _exchange_blobs(db: Database, declared: Iterable[Attachments], folder: Path,
                    report: SyncReport, *, send: bool) -> None:
    """Send the attachment files the share lacks, fetch those this PC lacks
    (SyncPolicy.attachments)."""
    listed = list_blobs(folder) if send else set()
    for attachments, sha, local in _local_blobs(db, declared, report):
        shared = blob_path(folder, sha)
        if os.path.lexists(local):
            # Only those missing from the share: reading every attachment here and there at
            # every run would grow with the archive. A damaged copy there is the receivers'
            # to report; once a person removes it, it is missing and written again.
            if send and sha not in listed:
                data = _local_blob(attachments, local, sha)
                if isinstance(data, str):
                    log.warning("attachment not sent: %s", data)
                    report.waiting.append(data)
                    continue
                try:
                    if write_once(folder, shared, data):
                        report.blobs_sent += 1
                except FolderClash:  # written meanwhile, and not with our bytes
                    report.waiting.append(_("{file}: differs from this PC's copy").format(
                        file=f"blobs/{sha}"))
            elif not stat.S_ISREG(os.lstat(local).st_mode):  # a link or pipe in its place:
                report.waiting.append(_("{file}: {problem}").format(  # unusable here too
                    file=f"{attachments.folder}/{local.name}", problem=NotRegularLocal(local)))
            continue
        try:
            data = read_file(folder, shared, _BLOB_LIMIT)
        except FolderTimeout:
            raise
        except FolderError as exc:
            if not isinstance(exc.__cause__, FileNotFoundError):  # not there yet: no news
                report.waiting.append(_("{file}: {problem}").format(file=f"blobs/{sha}",
                                                                    problem=exc))
            continue
        if hashlib.sha256(data).hexdigest() == sha:
            local.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(local, data)
            report.blobs_received += 1
        else:
            report.waiting.append(_("{file}: damaged").format(file=f"blobs/{sha}"))


def _write_acks(db: Database, folder: Path, report: SyncReport) -> None:
    """This PC's acks.json: informational (docs/sync.md), so a file that cannot be written
    (a folder or a link of that name) is named as waiting, and the run is still a run."""
    with db.session() as session:
        me = _identity(session.connection())
        applied = _cursors(session.connection())
    try:
        write_json(folder, folder / "devices" / me.device / "acks.json",
                   {"device": me.device, "computer": platform.node(), "applied": applied,
                    "sent": me.next_seq - 1, "app": VERSION, "at": _now_text()})
    except NotRegularFile as exc:
        report.waiting.append(str(exc))


# --------------------------------------------------------------------------- status


def _finish(db: Database, report: SyncReport) -> None:
    with db.session() as session:
        conn = session.connection()
        me = _identity(conn)
        report.unsent_changes = conn.scalar(select(func.count()).select_from(CHANGES).where(
            CHANGES.c.device == me.device, CHANGES.c.seq.is_(None))) or 0
        report.unsent_changes += conn.scalar(
            select(func.count()).select_from(CHANGES).join(
                SEGMENTS, (SEGMENTS.c.device == CHANGES.c.device)
                & (SEGMENTS.c.seq == CHANGES.c.seq)).where(
                CHANGES.c.device == me.device, SEGMENTS.c.published.is_(False))) or 0
        report.conflicts = conn.scalar(select(func.count()).select_from(CONFLICTS)) or 0
        conn.execute(RUNS.insert().values(started_at=utcnow(), folder=report.folder,
                                           ok=report.in_sync, report=report.to_json()))
        last = conn.scalar(select(func.max(RUNS.c.id))) or 0
        conn.execute(delete(RUNS).where(RUNS.c.id <= last - _KEEP_RUNS))


def has_unsent(db: Database) -> bool:
    """Are there edits of this PC not yet in a segment (cheap: for the sync after a save)?"""
    with db.session() as session:
        me = _identity(session.connection())
        return session.execute(select(CHANGES.c.id).where(
            CHANGES.c.device == me.device, CHANGES.c.seq.is_(None)).limit(1)).first() is not None

