"""The legal clocks of an inquiry: working days skipping weekends and the office's holidays
(請託關說 registration, 3 working days), calendar days (書面質詢 reply, 20 + 5), due at the end
of the due day in the office's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from models.incidents.clocks import (
    Clock,
    add_working_days,
    end_of_day,
    favour_due_day,
    is_working_day,
    reply_due_day,
)

TZ = "Asia/Taipei"


def taipei(y: int, m: int, d: int, hour: int = 10) -> datetime:
    """A time in Taipei, as stored (UTC)."""
    return datetime(y, m, d, hour, tzinfo=UTC) - timedelta(hours=8)


def test_three_working_days_from_a_monday_end_on_thursday() -> None:
    assert add_working_days(date(2026, 12, 7), 3, ()) == date(2026, 12, 10)


def test_three_working_days_across_a_weekend() -> None:
    # Thursday 2026-12-10: Friday, (Sat, Sun), Monday, Tuesday.
    assert add_working_days(date(2026, 12, 10), 3, ()) == date(2026, 12, 15)
    assert not is_working_day(date(2026, 12, 12), ())


def test_three_working_days_across_a_listed_holiday() -> None:
    holiday = {date(2026, 12, 8)}  # a Tuesday the office lists
    assert add_working_days(date(2026, 12, 7), 3, holiday) == date(2026, 12, 11)


def test_three_working_days_across_a_weekend_followed_by_a_holiday() -> None:
    # Friday 2027-01-01 is New Year's Day; received Thursday 2026-12-31:
    # Fri (holiday), Sat, Sun, Mon 4, Tue 5, Wed 6.
    new_year = {date(2027, 1, 1)}
    assert add_working_days(date(2026, 12, 31), 3, new_year) == date(2027, 1, 6)
    # received on a Friday, the Monday after the weekend a holiday: Tue, Wed, Thu
    assert add_working_days(date(2027, 2, 5), 3, {date(2027, 2, 8)}) == date(2027, 2, 11)


def test_a_request_received_late_in_the_evening_counts_from_its_day_in_taipei() -> None:
    # 23:30 in Taipei on Friday is 15:30 UTC the same day; the clock counts from Friday.
    received = taipei(2026, 12, 11, 23) + timedelta(minutes=30)
    assert favour_due_day(received, TZ, ()) == date(2026, 12, 16)
    # 00:30 on Monday in Taipei is still Sunday in UTC: Taipei's Monday counts (Tue-Thu).
    assert favour_due_day(taipei(2026, 12, 14, 0) + timedelta(minutes=30), TZ, ()) == date(
        2026, 12, 17)


def test_a_written_interpellation_is_due_in_20_days_or_25_when_extended() -> None:
    received = taipei(2026, 12, 7)
    assert reply_due_day(received, TZ, extended=False) == date(2026, 12, 27)
    assert reply_due_day(received, TZ, extended=True) == date(2027, 1, 1)


def test_calendar_days_cross_month_ends_and_leap_days() -> None:
    assert reply_due_day(taipei(2028, 2, 10), TZ, False) == date(2028, 3, 1)  # 2028: leap
    assert reply_due_day(taipei(2027, 2, 10), TZ, False) == date(2027, 3, 2)
    assert reply_due_day(taipei(2027, 1, 31), TZ, True) == date(2027, 2, 25)
    assert add_working_days(date(2028, 2, 28), 3, ()) == date(2028, 3, 2)  # Mon: Tue 29 ...


def test_the_due_time_is_the_end_of_the_due_day_in_the_office_zone() -> None:
    end = end_of_day(date(2026, 12, 10), TZ)
    assert end.astimezone(UTC) == datetime(2026, 12, 10, 15, 59, 59, 999999, tzinfo=UTC)
    assert end_of_day(date(2026, 12, 10), "UTC").astimezone(UTC).hour == 23


def test_a_clock_is_overdue_after_its_day_and_late_when_done_after_it() -> None:
    clock = Clock("favour", date(2026, 12, 10))
    assert clock.days_left(date(2026, 12, 8)) == 2
    assert not clock.overdue(date(2026, 12, 10)) and clock.days_left(date(2026, 12, 10)) == 0
    assert clock.overdue(date(2026, 12, 11)) and clock.days_left(date(2026, 12, 11)) == -1
    done = Clock("favour", date(2026, 12, 10), done_on=date(2026, 12, 11))
    assert done.late() and not done.overdue(date(2027, 1, 1))
    assert not Clock("favour", date(2026, 12, 10), date(2026, 12, 9)).late()
