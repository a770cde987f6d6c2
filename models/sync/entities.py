"""Tables of the sync (docs/sync.md): this PC's identity and clock, every change and field
version ever written or received, the segments, the cursors and the open conflicts.

They live in the same database as the records, so capturing an edit and recording it for sync
is one transaction, and so is applying a segment and moving the cursor.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.storage.db import Base, UTCDateTime, utcnow

SYNC_TABLE_PREFIX = "sync_"
"""Tables whose name starts so are the sync's own bookkeeping, never synced themselves."""


def sync_table(entity: type[Base]) -> Table:
    """The Core table of an entity, for the bulk statements of the sync."""
    return Base.metadata.tables[entity.__tablename__]


class SyncDeviceRow(Base):
    """This PC's identity in the shared folder and its hybrid logical clock (one row)."""

    __tablename__ = "sync_device"

    key: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    clock: Mapped[int] = mapped_column(Integer, default=0)
    """The last stamp handed out: wall-clock milliseconds × 65536 + counter."""
    next_seq: Mapped[int] = mapped_column(Integer, default=1)
    """The number the next segment of this device will get."""
    former_ids: Mapped[str] = mapped_column(Text, default="[]")
    """Identities given up after a clash (a cloned PC), as a JSON list, newest last: a device
    id, or for a keyed identity its device and signed succession (models.sync.run)."""
    signing_key: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    """The Ed25519 private key (32 bytes) that signs this PC's segments, and from whose public
    key device_id derives (models.sync.keys); None in a database from before PCs signed,
    until it takes a key (models.sync.capture.ensure_device, models.sync.run)."""
    authority_key: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    """The office authority's public key, pinned (models.sync.enrolment): None until this PC
    creates the authority or is enrolled by it; from then on only PCs it enrolled are
    applied."""


class SyncChangeRow(Base):
    """One captured or received change of one row: a set of field versions with one stamp."""

    __tablename__ = "sync_changes"
    __table_args__ = (
        Index("ix_sync_changes_device_seq", "device", "seq"),
        Index("ix_sync_changes_row", "tbl", "row_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int | None] = mapped_column(Integer, default=None)
    """The segment that carried it; None for a change of this PC not yet sent."""
    tbl: Mapped[str] = mapped_column(String(80))
    row_id: Mapped[str] = mapped_column(String(36))
    stamp: Mapped[int] = mapped_column(Integer)
    seen: Mapped[str] = mapped_column(Text, default="[]")
    """For a delete or a lock: the version ids of the row's fields the writer had (JSON)."""


class SyncVersionRow(Base):
    """One value one field ever had: the history from which every value stays recoverable.
    Its table, row, stamp and device are its change's (sync_changes), stored once there:
    a change's eight versions repeating them were a third of an import's writing."""

    __tablename__ = "sync_versions"
    __table_args__ = (Index("ix_sync_versions_change_id", "change_id"),)

    version_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    change_id: Mapped[int] = mapped_column(ForeignKey("sync_changes.id"))
    field: Mapped[str] = mapped_column(String(80))
    value: Mapped[str] = mapped_column(Text)
    """The value as JSON text."""
    bases: Mapped[str] = mapped_column(Text, default="[]")
    """The version ids this value replaced where it was written (JSON list)."""


class SyncSupersededRow(Base):
    """A version id some known version names as a base: no longer a head of its field."""

    __tablename__ = "sync_superseded"

    version_id: Mapped[str] = mapped_column(String(36), primary_key=True)


class SyncSegmentRow(Base):
    """Every segment this PC wrote or applied, byte for byte (zlib), to write back to a share
    that lost it."""

    __tablename__ = "sync_segments"

    device: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    """False for a segment of this PC stored but not yet seen complete on the share."""


class SyncCursorRow(Base):
    """How far this PC has applied another device's log."""

    __tablename__ = "sync_cursors"

    device: Mapped[str] = mapped_column(String(36), primary_key=True)
    applied_seq: Mapped[int] = mapped_column(Integer, default=0)


class SyncConflictRow(Base):
    """A field with more than one current value (or a row edited and deleted at once) that a
    user has to decide. Kept up to date by every import and resolution."""

    __tablename__ = "sync_conflicts"

    tbl: Mapped[str] = mapped_column(String(80), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    field: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    """'value' (two values), 'delete' (edited and deleted), 'locked' (edited after a lock)."""
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SyncRunRow(Base):
    """The outcome of one sync run, for the status bar and the command line."""

    __tablename__ = "sync_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    folder: Mapped[str] = mapped_column(Text)
    ok: Mapped[bool] = mapped_column(Boolean)
    report: Mapped[str] = mapped_column(Text)
    """The run's SyncReport as JSON."""


class SyncTrustRecordRow(Base):
    """A signed trust record (models.sync.trust_records) this PC made or read from the share,
    as its bytes, named by their SHA-256."""

    __tablename__ = "sync_trust_records"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    """True once this PC has seen it in the share (read there, or written)."""


class SyncRefusedRow(Base):
    """A change another PC signed that the office's rules refuse (a role that may not, a
    locked record, an insert-only row rewritten): kept as evidence, never applied."""

    __tablename__ = "sync_refused"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(Integer)
    tbl: Mapped[str] = mapped_column(String(80))
    row_id: Mapped[str] = mapped_column(String(36))
    author: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    change: Mapped[str] = mapped_column(Text)
    """The change as its segment carries it (JSON)."""
    refused_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# The Core tables, for the sync's bulk statements (one definition, used by every sync module).
CHANGES = sync_table(SyncChangeRow)
VERSIONS = sync_table(SyncVersionRow)
SUPERSEDED = sync_table(SyncSupersededRow)
SEGMENTS = sync_table(SyncSegmentRow)
CURSORS = sync_table(SyncCursorRow)
DEVICE = sync_table(SyncDeviceRow)
CONFLICTS = sync_table(SyncConflictRow)
RUNS = sync_table(SyncRunRow)
TRUST_RECORDS = sync_table(SyncTrustRecordRow)
REFUSED = sync_table(SyncRefusedRow)
