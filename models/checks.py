"""Checks of what a user typed, shared by every act of the domain: a text within its limit
(required or not), a time that is not in the future, a value among those offered. Each
raises a ValidationError naming the field, so the screen shows it where it belongs."""

from __future__ import annotations

from collections.abc import Container
from datetime import datetime

from i18n import N_
from models.errors import ValidationError
from models.incident_kinds import CLOCK_SKEW
from models.json_reader import FIRST_YEAR


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
