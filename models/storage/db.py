"""SQLite storage: the engine, the declarative base and the columns every synced record has.

Why these choices (DESIGN.md, sqlite.org/wal): the database lives on the PC's local disk, in WAL
mode so readers never block the writer, with foreign keys enforced on every connection. Every
record that will sync carries a UUID key, UTC created/updated times, who changed it last and a
tombstone instead of a row removal, so a delete can travel to other PCs later.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    URL,
    Connection,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    create_engine,
    event,
    inspect,
)
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    UOWTransaction,
    mapped_column,
    sessionmaker,
)
from sqlalchemy.types import TypeDecorator

from models.core.errors import UserError
from models.core.faults import storage_fault
from models.core.ids import new_id

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Named constraints: Alembic's batch mode needs names to alter SQLite tables later."""


def utcnow() -> datetime:
    return datetime.now(UTC)


PER_PC_FIELDS = frozenset({"created_at", "updated_at"})
"""The fields of a row the app seeds on every PC (the first playbook version, the office's
units) that differ from PC to PC by nature: when that PC was first started."""


def is_seed(values: Mapping[str, Any], seed: Mapping[str, Any]) -> bool:
    """Whether a row's field values as JSON data (a synced change's) are exactly *seed*, the row
    as the app itself writes it on first run under its stable id (models.core.ids), all but
    PER_PC_FIELDS: every other field there with the same value of the same JSON type (true is
    not 1), and no field more or less.

    Every PC sends its own seed as its own change, whatever its role: the receivers recognise
    it here by recomputing it, never by what the change says of itself."""

    def fields(row: Mapping[str, Any]) -> str:
        return json.dumps({k: v for k, v in row.items() if k not in PER_PC_FIELDS},
                          sort_keys=True, ensure_ascii=False)

    return fields(values) == fields(seed)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and gives them back aware, never naive.

    SQLite has no time-zone type; without this, values come back naive and a later
    comparison with an aware "now" raises, or worse, silently compares local with UTC.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


R = TypeVar("R")


def row_or_gone(session: Session, cls: type[R], row_id: str, message: str) -> R:
    """The row of *cls* the user acts on, or UserError(*message*) when it is not there or is
    a tombstone: another PC's delete arrived by sync, or another window deleted it, after
    the list the user chose it from was shown. *message* names the thing (a translatable
    msgid, "That drill no longer exists.")."""
    row = session.get(cls, row_id)
    if row is None or getattr(row, "deleted_at", None) is not None:
        raise UserError(message)
    return row


class Synced:
    """Columns of every record that syncs between PCs (mixed into entity classes)."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    def touch(self, who: str) -> None:
        """Mark an edit: who made it, when, and a new version number."""
        self.updated_at = utcnow()
        self.updated_by = who
        self.row_version = (self.row_version or 0) + 1


BUSY_TIMEOUT_MS = 30_000
"""How long a write waits for another connection's transaction before it fails as locked.
The window's sync runs in a process of its own (ui/sync/controller.py) that applies each
segment it receives in one transaction, about a second for 5,000 changes on an office PC and
several on a loaded one (docs/benchmarks.md, issue 16): a user's save made meanwhile must
wait for it on the worker, never fail. It was 5 s, which a loaded PC came within a few ms of."""


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin: the module's
    # own handling commits before every CREATE/ALTER, so a failed migration would leave a
    # half-changed file.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


SNAPSHOT = "crisisdesk_snapshot"
"""Execution option of a connection that only reads: see Database.reading()."""


def _on_begin(connection: Connection) -> None:
    # IMMEDIATE takes the write lock at the start: a check-then-insert (a new playbook
    # version number) cannot interleave with another process's, e.g. the command line's.
    # A reading connection takes none: in WAL mode its snapshot never makes a writer wait.
    snapshot = connection.get_execution_options().get(SNAPSHOT, False)
    connection.exec_driver_sql("BEGIN" if snapshot else "BEGIN IMMEDIATE")


def make_engine(path: Path) -> Engine:
    # URL.create, not an f-string: a '?' or '#' in a folder name would end the path early.
    engine = create_engine(URL.create("sqlite", database=str(path)))
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)

    def on_error(context: ExceptionContext) -> None:
        """A full disk, a failing disk or a damaged file, wherever it surfaces (a save, a
        read, a commit), becomes the UserError that says so and names this file; the
        transaction is rolled back as for any error."""
        fault = storage_fault(context.original_exception, path)
        if fault is not None:
            raise fault from context.original_exception

    event.listen(engine, "handle_error", on_error)
    return engine


_FLUSHED = "crisisdesk_flushed_tables"
"""Key of Session.info: the tables the session has flushed rows of since it last committed."""


def _note_flushed(session: Session, _flush: UOWTransaction) -> None:
    changed = [*session.new, *session.deleted,
               *(obj for obj in session.dirty
                 if session.is_modified(obj, include_collections=False))]
    session.info.setdefault(_FLUSHED, set()).update(
        inspect(obj).mapper.local_table.name for obj in changed)


def _forget_flushed(session: Session) -> None:
    session.info.pop(_FLUSHED, None)


class Database:
    """An open, migrated database file. Used only from the one database worker thread
    (or from the command line): sessions and ORM objects never reach the GUI."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        """Public so the sync can listen to every flush (models.sync.capture)."""
        self._written: set[str] | None = None
        event.listen(self.sessions, "after_flush", _note_flushed)
        event.listen(self.sessions, "after_commit", self._note_committed)
        event.listen(self.sessions, "after_rollback", _forget_flushed)

    @contextmanager
    def tracking_writes(self) -> Iterator[set[str]]:
        """Collect the names of the tables whose rows the sessions opened in the block insert,
        change or delete and commit: what an act changed is measured, not declared by the
        code that asks for it (the views reload from it: models.schema.changes_of). The
        Database serves one thread, so one block tracks at a time."""
        if self._written is not None:
            raise RuntimeError("tracking_writes blocks do not nest: one act at a time")
        written: set[str] = set()
        self._written = written
        try:
            yield written
        finally:
            self._written = None

    def _note_committed(self, session: Session) -> None:
        # Only what is committed: a rolled-back session changed nothing.
        flushed = session.info.pop(_FLUSHED, set())
        if self._written is not None:
            self._written |= flushed

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error, so a
        failed action leaves nothing half-saved."""
        with self.sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """One read-only transaction: a consistent snapshot of every table that takes no write
        lock, so a long export never makes the app's saves wait (or fail after the busy
        time-out)."""
        with self.engine.connect() as connection:
            transaction = connection.execution_options(**{SNAPSHOT: True}).begin()
            try:
                yield connection
            finally:
                transaction.rollback()  # it wrote nothing: ending it needs no commit

    def close(self) -> None:
        self.engine.dispose()
