"""A new record's id: a UUID 7, in the order the records were made, so that a PC's new rows
land at the end of every index keyed by their ids (the history's inserts at import were three
times as slow with random ids: docs/benchmarks.md, issue 16)."""

from __future__ import annotations

import uuid

import pytest

from models.core import ids
from models.core.ids import new_id, stable_id


def test_new_ids_are_uuid_7_in_the_order_they_were_made() -> None:
    made = [new_id() for _ in range(5000)]  # more than the 4,096 a millisecond can count
    assert made == sorted(made)
    assert len(set(made)) == len(made)
    parsed = uuid.UUID(made[0])
    assert (parsed.version, parsed.variant) == (7, uuid.RFC_4122)
    assert str(parsed) == made[0]


def test_an_id_holds_the_time_it_was_made(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ids, "_last_ms", 0)
    monkeypatch.setattr(ids.time, "time_ns", lambda: 1_796_000_000_123 * 1_000_000)
    assert uuid.UUID(new_id()).int >> 80 == 1_796_000_000_123


def test_a_clock_stepping_back_never_makes_an_earlier_id(
        monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1_796_000_000_000]
    monkeypatch.setattr(ids, "_last_ms", 0)
    monkeypatch.setattr(ids.time, "time_ns", lambda: now[0] * 1_000_000)
    before = new_id()
    now[0] -= 60_000  # the PC's clock set back a minute
    after = [new_id() for _ in range(5000)]
    assert [before, *after] == sorted([before, *after])


def test_a_stable_id_is_the_same_for_the_same_parts_only() -> None:
    assert stable_id("drill", "keelung", "115-03") == stable_id("drill", "keelung", "115-03")
    assert stable_id("drill", "keelung", "115-03") != stable_id("drill", "keelung115-03")
