"""A time in a change file is read as the sync writes it, and only so: the fast path for the
usual form takes nothing the strict one refuses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from models.incidents.entities import TimelineRow
from models.sync.values import BadValue, decode, encode

COLUMN = TimelineRow.__table__.c.event_at


def test_a_time_comes_back_as_written() -> None:
    when = datetime(2026, 12, 7, 1, 2, 3, 456789, tzinfo=UTC)
    assert decode(COLUMN, encode(when)) == when


@pytest.mark.parametrize("raw", [
    "2026-12-07 01:02:03.456789Z",  # a space for the T
    "2026-12-07T01:02:03.456789+",  # no Z
    "2026-12-07T01:02:03.45+080Z",  # an offset where the microseconds go
    "2026-13-07T01:02:03.456789Z",  # no such month
    "2026-12-07T01:02:03Z",  # no microseconds
    "x" * 27, 20261207, "",
])
def test_anything_else_is_refused(raw: object) -> None:
    with pytest.raises(BadValue):
        decode(COLUMN, raw)
