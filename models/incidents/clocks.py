"""The legal clocks of a legislator's inquiry, as pure functions (no database, no Qt).

Two rules set them:
- 行政院及所屬機關機構請託關說登錄查察作業要點: a request for favour (請託關說) is registered
  with the 政風 unit within 3 days. The office counts working days: a weekend or a holiday the
  office lists (the playbook's holiday list, edited by the planning group) does not count.
  Make-up working Saturdays (補行上班日) are not modelled: such a Saturday is a working day the
  clock skips, so a request received in the days before one is shown due a day later than the
  rule's 3 working days (the section says weekends are skipped; the office registers early).
- 立法院職權行使法 §25: a written interpellation (書面質詢) is answered in writing within 20
  days, extendable by 5 when it covers too much. Calendar days. A due day falling on a weekend
  is not moved to the next working day (民法 §122 would allow it): the earlier day is the one
  the office can never be blamed for keeping.

The day of receipt does not count (始日不算入): a request received on Monday is due on
Thursday; the clock runs out at the end of the due day in the office's timezone.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from i18n.formatting import local_date

FAVOUR_WORKING_DAYS = 3
REPLY_DAYS = 20
EXTENSION_DAYS = 5


def is_working_day(day: date, holidays: Collection[date]) -> bool:
    """Monday to Friday, unless the office lists the day as a holiday."""
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, count: int, holidays: Collection[date]) -> date:
    """The *count*-th working day after *start* (start itself not counted)."""
    day = start
    left = count
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            left -= 1
    return day


def end_of_day(day: date, tz: str) -> datetime:
    """The last instant of *day* in the zone *tz* (an aware datetime): a clock due that day
    runs out when the day ends there, not at midnight UTC."""
    return datetime.combine(day + timedelta(days=1), time(0), ZoneInfo(tz)) - timedelta(
        microseconds=1)


def favour_due_day(received_at: datetime, tz: str, holidays: Collection[date]) -> date:
    """The day a request for favour received at *received_at* must be registered by."""
    return add_working_days(local_date(received_at, tz), FAVOUR_WORKING_DAYS, holidays)


def reply_due_day(received_at: datetime, tz: str, extended: bool) -> date:
    """The day a written interpellation received at *received_at* must be answered by."""
    days = REPLY_DAYS + (EXTENSION_DAYS if extended else 0)
    return local_date(received_at, tz) + timedelta(days=days)


@dataclass(frozen=True)
class Clock:
    """One running or stopped clock: its due day (in the office's zone) and, when the act it
    waits for is done, the day it was done."""

    kind: str
    """'favour' (registration with 政風) or 'reply' (the interpellation's written reply)."""
    due_day: date
    done_on: date | None = None

    def overdue(self, today: date) -> bool:
        """Past its due day with the act not done."""
        return self.done_on is None and today > self.due_day

    def late(self) -> bool:
        """Done, but after its due day."""
        return self.done_on is not None and self.done_on > self.due_day

    def days_left(self, today: date) -> int:
        """Whole days to the due day (0: due today; negative: overdue by that many)."""
        return (self.due_day - today).days
