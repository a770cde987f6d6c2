"""What the sync knows of any table it carries: how a value travels as JSON, which fields are
bookkeeping, which deletes a row, and the clock its versions are stamped with (docs/sync.md).
Which tables it carries, and what locks their rows, the features declare (models.sync.rules)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Column, Date, DateTime, Dialect

from i18n import _
from models.sync.policy import TOMBSTONE as TOMBSTONE  # which field deletes a row: declared there

BOOKKEEPING = frozenset({"created_at", "updated_at", "updated_by", "row_version"})
"""Fields every edit changes: they follow the winning version and are never a conflict."""

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
    return decoder(column)(raw)


def decoder(column: Column[Any]) -> Callable[[Any], Any]:
    """decode for one column, its kind looked up once: an import decodes tens of thousands
    of values of a few columns."""
    name, nullable = column.name, column.nullable
    typed = _typed(name, column.type)

    def decode_value(raw: Any) -> Any:
        if raw is None:
            if not nullable:
                raise BadValue(_("{column}: empty").format(column=name))
            return None
        return typed(raw)
    return decode_value


def storer(column: Column[Any], dialect: Dialect) -> Callable[[Any], Any]:
    """The column value for JSON data *raw* as *dialect*'s database stores it: decoder's value
    bound by the column type's own processor (an aware time as UTC text), so a row written
    with it reads back as one the ORM wrote. A time as encode writes it goes straight to its
    stored text, checked by the same parser: an import stores tens of thousands of them, and
    the detour through a datetime was most of writing its rows."""
    decode_value = decoder(column)
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return decode_value
    bound = process

    def store(raw: Any) -> Any:
        return bound(decode_value(raw))
    sample = datetime(2001, 2, 3, 4, 5, 6, 7, tzinfo=UTC)
    if not (isinstance(getattr(column.type, "impl", column.type), DateTime)
            and process(sample) == "2001-02-03 04:05:06.000007"):
        return store

    def store_time(raw: Any) -> Any:
        if not _as_encoded(raw):
            return store(raw)
        try:
            datetime.fromisoformat(raw[:26])
        except ValueError:
            raise BadValue(_("{column}: not a time").format(column=column.name)) from None
        return f"{raw[:10]} {raw[11:26]}"
    return store_time


_ENCODED = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", re.ASCII)
"""A time exactly as encode writes it: fromisoformat takes more (a week date, 2026-W49-1; an
offset where the seconds go), which the stored text, cut from this one, must never be."""


def _as_encoded(raw: Any) -> bool:
    """Is *raw* a time as encode writes it (2026-12-07T17:27:36.123456Z)?"""
    return isinstance(raw, str) and _ENCODED.fullmatch(raw) is not None


def _typed(name: str, kind: Any) -> Callable[[Any], Any]:
    """decode of a value that is not None, for column *name* of type *kind*."""
    impl = getattr(kind, "impl", kind)
    if isinstance(impl, DateTime):
        def as_time(raw: Any) -> datetime:
            try:
                if _as_encoded(raw):  # read by the C parser, faster than strptime
                    return datetime.fromisoformat(raw[:26]).replace(tzinfo=UTC)
                return datetime.strptime(raw, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
            except (TypeError, ValueError):
                raise BadValue(_("{column}: not a time").format(column=name)) from None
        return as_time
    if isinstance(impl, Date):
        def as_date(raw: Any) -> date:
            try:
                return date.fromisoformat(raw)
            except (TypeError, ValueError):
                raise BadValue(_("{column}: not a date").format(column=name)) from None
        return as_date
    try:
        expected = impl.python_type
    except NotImplementedError:
        expected = None
    length = getattr(impl, "length", None) if expected is str else None

    def as_value(raw: Any) -> Any:
        if expected is None:
            raise BadValue(_("{column}: of a kind this app cannot read").format(column=name))
        if expected is bool:
            if not isinstance(raw, bool):
                raise BadValue(_("{column}: not true/false").format(column=name))
        elif expected is int:
            if isinstance(raw, bool) or not isinstance(raw, int):
                raise BadValue(_("{column}: not a whole number").format(column=name))
        elif expected is str:
            if not isinstance(raw, str):
                raise BadValue(_("{column}: not text").format(column=name))
            if length is not None and len(raw) > length:
                raise BadValue(_("{column}: longer than {length} characters").format(
                    column=name, length=length))
        elif not isinstance(raw, expected):
            raise BadValue(_("{column}: not of its kind ({kind})").format(
                column=name, kind=expected.__name__))
        return raw
    return as_value
