"""Checks of what a user typed, shared by every act of the domain: a text within its limit
(required or not), a time that is not in the future, a value among those offered. Each
raises a ValidationError naming the field, so the screen shows it where it belongs."""

from __future__ import annotations

from collections.abc import Container
from datetime import datetime, timedelta

from i18n import N_
from models.core.errors import ValidationError
from models.core.json_reader import FIRST_YEAR

CLOCK_SKEW = timedelta(minutes=5)
"""How far ahead of this PC's clock a given time may be before it counts as 'in the future'
(another PC's clock, a wall clock read aloud on the phone)."""

MAX_TITLE = 200
MAX_LINE = 200
MAX_TEXT = 20_000
"""The longest texts a record keeps: a title, a one-line field, a free text."""


def checked_text(field: str, value: str, limit: int, *, required: bool = False) -> str:
    """*value* without spaces at its ends, within *limit* characters."""
    value = value.strip()
    if required and not value:
        raise ValidationError(field, N_("This field cannot be empty."))
    if len(value) > limit:
        raise ValidationError(field, N_("At most {limit} characters."), limit=limit)
    return value


def past_time(field: str, when: datetime, now: datetime) -> datetime:
    """An aware time not after *now* (give or take another PC's clock), in the ROC era."""
    if when.tzinfo is None:
        raise ValidationError(field, N_("The time has no time zone."))
    if when > now + CLOCK_SKEW:
        raise ValidationError(field, N_("The time lies in the future."))
    if when.year < FIRST_YEAR:
        raise ValidationError(field, N_("lies before 1912, the first ROC year"))
    return when


def one_of(field: str, value: str, allowed: Container[str]) -> str:
    if value not in allowed:
        raise ValidationError(field, N_("Choose one of the offered values."))
    return value
