"""Dates and times as the current language shows them.

Chinese screens and forms use the ROC calendar (民國115年11月24日), as every government document
does; English uses babel's medium date ("Nov 24, 2026") and ISO dates where space is short.
Times are stored in UTC (see DESIGN.md) and shown in the office's zone, Asia/Taipei by default,
always on the 24-hour clock that duty logs use.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


from i18n import _, current_language
from i18n.roc import ROC_OFFSET, format_roc_long, format_roc_short, roc_year

__all__ = ["DEFAULT_TIMEZONE", "format_date", "format_datetime"]

#: The zone times are shown in unless the caller says otherwise.
DEFAULT_TIMEZONE = "Asia/Taipei"


def format_date(d: date, long: bool = True) -> str:
    """`d` in the current language: "民國115年11月24日" / "115/11/24" in Chinese,
    "Nov 24, 2026" / "2026-11-24" in English. A date these cannot show (before the ROC
    calendar; format_datetime: past year 9999 in the zone) comes from a damaged or hostile
    record and is shown as written, never raised: one such record must not take a screen or a
    printout down with it."""
    if current_language() == "zh_TW":
        if d.year <= ROC_OFFSET:  # no ROC year (a damaged or hostile record): as written
            return d.isoformat()
        return format_roc_long(d) if long else format_roc_short(d)
    if not long:
        return d.isoformat()
    from babel.dates import format_date as babel_format_date  # loaded on first English date

    return babel_format_date(d, "medium", locale="en")


def format_month(d: date) -> str:
    """A month as the reader writes it: "民國115年11月" in Chinese, "2026-11" in English."""
    if current_language() == "zh_TW":
        return f"民國{roc_year(d.year)}年{d.month}月"
    return f"{d.year}-{d.month:02d}"


def local_date(dt: datetime, tz: str = DEFAULT_TIMEZONE) -> date:
    """The calendar day of the UTC moment `dt` in zone `tz` (an incident at 07:00 in Taipei
    on 1 March is on 1 March, though it is still 28 February in UTC)."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    try:
        return dt.astimezone(ZoneInfo(tz)).date()
    except OverflowError:  # past year 9999 in the zone: its UTC day
        return dt.date()


def format_minutes(minutes: float | None) -> str:
    """A duration as a reader takes it in: minutes (rounded half up) up to two hours, then
    hours, then days, with one decimal; "–" for none."""
    if minutes is None:
        return "–"
    if minutes < 120:
        return _("{n} min").format(n=int(minutes + 0.5))
    if minutes < 48 * 60:
        return _("{n} h").format(n=f"{minutes / 60:.1f}")
    return _("{n} days").format(n=f"{minutes / 1440:.1f}")


def format_datetime(dt: datetime, long: bool = True, tz: str = DEFAULT_TIMEZONE) -> str:
    """The local time in zone `tz` of the UTC moment `dt` (a naive `dt` is taken as UTC, the way
    the database stores it): "民國115年11月24日 14:05" / "115/11/24 14:05" in Chinese,
    "Nov 24, 2026, 14:05" / "2026-11-24 14:05" in English."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    try:
        local = dt.astimezone(ZoneInfo(tz))
    except OverflowError:  # past year 9999 in the zone: a damaged or hostile record
        return dt.isoformat(timespec="minutes")
    day = format_date(local.date(), long)
    separator = ", " if long and current_language() != "zh_TW" else " "
    return f"{day}{separator}{local:%H:%M}"
