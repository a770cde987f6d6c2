"""A time in a change file is read as the sync writes it, and only so: the fast path for the
usual form takes nothing the strict one refuses, and stores what the ORM would."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Column, MetaData, Table, create_engine, insert

from models.incidents.entities import TimelineRow
from models.storage.db import UTCDateTime
from models.sync.values import BadValue, decode, encode, storer

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
    "2026-W49-1T01:02:03.123456Z",  # a week date, which fromisoformat takes
    "2026-12-07T01:02+03.123456Z",  # an offset where the seconds go
    "x" * 27, 20261207, "",
])
def test_anything_else_is_refused(raw: object) -> None:
    with pytest.raises(BadValue):
        decode(COLUMN, raw)
    with pytest.raises(BadValue):
        storer(COLUMN, create_engine("sqlite://").dialect)(raw)


@pytest.mark.parametrize("when", [datetime(2026, 12, 7, 1, 2, 3, 456789, tzinfo=UTC),
                                  datetime(2026, 12, 7, 1, 2, 3, tzinfo=UTC)])
def test_a_time_is_stored_as_the_orm_stores_it(when: datetime) -> None:
    """An imported row reads back, and sorts in SQL, as one written on this PC."""
    table = Table("t", MetaData(), Column("at", UTCDateTime()))
    with create_engine("sqlite://").begin() as connection:
        table.create(connection)
        connection.execute(insert(table).values(at=when))
        written = connection.exec_driver_sql("SELECT at FROM t").scalar_one()
        assert storer(COLUMN, connection.dialect)(encode(when)) == written
