"""What the sync knows about the tables it carries: which they are, how a value travels as
JSON, which fields are bookkeeping, and which fields lock or delete a row (docs/sync.md)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Column, Date, DateTime, Table

from i18n import _
from models.storage.db import Base
from models.sync.entities import SYNC_TABLE_PREFIX

BOOKKEEPING = frozenset({"created_at", "updated_at", "updated_by", "row_version"})
"""Fields every edit changes: they follow the winning version and are never a conflict."""

TOMBSTONE = "deleted_at"

LOCKS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "incidents": ("status", lambda value: value == "archived"),
    "drill_report_versions": ("submitted_at", lambda value: value is not None),
}
"""Per table, the field whose value locks the row and the test of that value. A locked row is
never changed again by the domain, so an edit the locking PC had not seen was concurrent with
the lock: it is kept and flagged, never applied over the lock."""

PARTS: dict[str, tuple[str, str]] = {
    "incident_fields": ("incidents", "incident_id"),
    "incident_actions": ("incidents", "incident_id"),
    "statements": ("incidents", "incident_id"),
    "negotiations": ("incidents", "incident_id"),
}
"""Rows locked with their parent (table, referring column): the parts of an archived incident.
Corrective actions are not among them: their status still moves after archiving."""

DAY_MS = 24 * 3600 * 1000
COUNTER_BITS = 16


def wall_ms() -> int:
    """This PC's clock in milliseconds (a module function so tests can move it)."""
    return time.time_ns() // 1_000_000


def next_stamp(last: int) -> int:
    """A stamp after *last* and not before the wall clock: monotonic even when the clock
    goes back."""
    return max(last + 1, wall_ms() << COUNTER_BITS)


def received_stamp(last: int, remote: int) -> tuple[int, bool]:
    """The clock after seeing *remote*, and whether *remote* is too far ahead to follow (more
    than a day past this PC's clock: clock skew, reported, never adopted)."""
    limit = (wall_ms() + DAY_MS) << COUNTER_BITS
    if remote > limit:
        return max(last, limit), True
    return max(last, remote), False


def locks_or_deletes(table: str, field: str, value: Any) -> bool:
    """Does writing *value* to *field* delete or lock the row (so the change records what it
    had seen)?"""
    if field == TOMBSTONE:
        return value is not None
    lock = LOCKS.get(table)
    return lock is not None and lock[0] == field and lock[1](value)


@cache
def synced_tables() -> dict[str, Table]:
    """Every mapped table but the sync's own, parents before children."""
    import models.schema  # noqa: F401  (registers every table on Base.metadata)

    return {t.name: t for t in Base.metadata.sorted_tables
            if not t.name.startswith(SYNC_TABLE_PREFIX)}


def encode(value: Any) -> Any:
    """A column value as JSON data: datetimes as ISO 8601 UTC, dates as ISO dates."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    return value


class BadValue(ValueError):
    """A value from the folder that does not fit its column."""


def decode(column: Column[Any], raw: Any) -> Any:
    """The column value for JSON data *raw*; BadValue when it does not fit (untrusted)."""
    name = column.name
    if raw is None:
        if not column.nullable:
            raise BadValue(_("{column}: empty").format(column=name))
        return None
    kind = column.type
    impl = getattr(kind, "impl", kind)
    if isinstance(impl, DateTime):
        try:
            return datetime.strptime(raw, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
        except (TypeError, ValueError):
            raise BadValue(_("{column}: not a time").format(column=name)) from None
    if isinstance(impl, Date):
        try:
            return date.fromisoformat(raw)
        except (TypeError, ValueError):
            raise BadValue(_("{column}: not a date").format(column=name)) from None
    try:
        expected = impl.python_type
    except NotImplementedError:
        raise BadValue(_("{column}: of a kind this app cannot read").format(
            column=name)) from None
    if expected is bool:
        if not isinstance(raw, bool):
            raise BadValue(_("{column}: not true/false").format(column=name))
    elif expected is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise BadValue(_("{column}: not a whole number").format(column=name))
    elif expected is str:
        if not isinstance(raw, str):
            raise BadValue(_("{column}: not text").format(column=name))
        length = getattr(impl, "length", None)
        if length is not None and len(raw) > length:
            raise BadValue(_("{column}: longer than {length} characters").format(
                column=name, length=length))
    elif not isinstance(raw, expected):
        raise BadValue(_("{column}: not of its kind ({kind})").format(
            column=name, kind=expected.__name__))
    return raw
