"""The page cache a segment is applied with (models/sync/merge.py _writing_cache): given back
after, and never in the way of the reason a segment was refused."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine

from models.sync.merge import _writing_cache
from models.sync.segment import SegmentError


def test_the_cache_is_given_back_after_the_segment() -> None:
    with create_engine("sqlite://").connect() as connection:
        before = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
        with _writing_cache(connection):
            assert connection.exec_driver_sql("PRAGMA cache_size").scalar_one() != before
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar_one() == before


def test_a_refused_segment_says_its_own_reason_when_the_reset_fails_too(
        caplog: pytest.LogCaptureFixture) -> None:
    """A connection broken by the failure (a disk error) cannot take the reset either: the
    user reads why the segment was refused, and the reset's error is in the log."""
    with create_engine("sqlite://").connect() as connection:
        run = connection.exec_driver_sql

        def broken_after_the_segment(statement: str, *args: Any) -> Any:
            if statement.startswith("PRAGMA cache_size = ") and not statement.endswith(
                    "-65536"):
                raise OSError("disk I/O error")
            return run(statement, *args)

        with pytest.raises(SegmentError, match="the checksum does not match"):
            with _writing_cache(connection):
                setattr(connection, "exec_driver_sql", broken_after_the_segment)  # noqa: B010
                raise SegmentError("damaged: the checksum does not match")
    assert "could not be given back" in caplog.text
