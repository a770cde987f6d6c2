"""The office's holidays (國定假日、調整放假日): days the working-day clocks skip.

The list is office data, kept in the playbook so the planning group edits it with the rest of
the procedure and every PC counts the same days. It ships empty: the Directorate-General of
Personnel Administration (行政院人事行政總處) publishes each year's calendar, and a date the
app invented would be worse than none. Until the planning group enters them, the clocks skip
weekends only, and say so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from i18n import N_
from models.core.errors import ValidationError
from models.core.json_reader import JsonReader

MAX_NAME = 60


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str


def parse_holidays(r: JsonReader) -> tuple[Holiday, ...]:
    """The playbook's "holidays" list ([{"date": "YYYY-MM-DD", "name": ...}]), in date order;
    a date listed twice is refused with its path."""
    found = tuple(Holiday(h.get("date").day(), h.get("name").string(max_length=MAX_NAME))
                  for h in r.items(non_empty=False))
    seen: set[date] = set()
    for index, holiday in enumerate(found):
        if holiday.day in seen:
            raise ValidationError(f"{r.sub_path(index)}.date", N_("is listed twice"))
        seen.add(holiday.day)
    return tuple(sorted(found, key=lambda h: h.day))


def holidays_to_list(holidays: Iterable[Holiday]) -> list[dict[str, Any]]:
    return [{"date": h.day.isoformat(), "name": h.name} for h in holidays]


def holiday_days(holidays: Iterable[Holiday]) -> frozenset[date]:
    return frozenset(h.day for h in holidays)
