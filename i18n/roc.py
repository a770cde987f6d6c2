"""Dates in the ROC (Minguo) calendar, as Taiwan's government writes them.

Why a helper of our own: neither babel 2.18 nor Qt 6.12 knows the ROC calendar. It is the
Gregorian calendar with years counted from 1912 (民國元年), so the only work is the year offset,
the word 元 for year 1 and a forgiving parser for the ways people type dates.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date

from i18n import N_, _

__all__ = [
    "ROC_OFFSET",
    "RocDateError",
    "format_roc_long",
    "format_roc_short",
    "parse_roc_date",
    "roc_year",
]

#: ROC year = Gregorian year - ROC_OFFSET; 民國元年 is 1912.
ROC_OFFSET = 1911

_FIRST_YEAR = 1
_LAST_YEAR = date.max.year - ROC_OFFSET

# "中華民國115年11月24日", "民國115年11月24日", "115年11月24日", "民國元年1月1日". A sign is
# accepted so that "民國-1年..." gets the clear year message rather than "not a date".
_LONG = re.compile(
    r"(?:中華)?(?:民國)?\s*(?P<year>元|[-+]?[0-9]{1,9})\s*年"
    r"\s*(?P<month>[0-9]{1,9})\s*月\s*(?P<day>[0-9]{1,9})\s*日"
)
# "115/11/24", "115-11-24", "115.11.24", with the same separator twice.
_SHORT = re.compile(
    r"(?P<year>[-+]?[0-9]{1,9})\s*(?P<sep>[/.-])\s*(?P<month>[0-9]{1,9})"
    r"\s*(?P=sep)\s*(?P<day>[0-9]{1,9})"
)

# "1151124", "991124": digits only, as typed on a number pad: a year of two or three digits,
# then two for the month and two for the day.
_COMPACT = re.compile(r"(?P<year>[0-9]{2,3})(?P<month>[0-9]{2})(?P<day>[0-9]{2})")

# Messages are msgids, translated where they are shown (RocDateError.translated).
MSG_EMPTY = N_("Enter a date in the ROC calendar, for example 115/11/24.")
MSG_SHAPE = N_("“%(text)s” is not a date in the ROC calendar; write it like 115/11/24.")
MSG_YEAR_TOO_SMALL = N_(
    "Year %(year)d does not exist in the ROC calendar: it begins with year 1 (1912)."
)
MSG_YEAR_TOO_LARGE = N_("Year %(year)d is out of range: the latest supported ROC year is %(last)d.")
MSG_MONTH = N_("Month %(month)d does not exist: months run from 1 to 12.")
MSG_DAY = N_("Day %(day)d does not exist: month %(month)d of ROC year %(year)d has %(days)d days.")


class RocDateError(ValueError):
    """Text that is not a valid ROC date.

    Carries the untranslated message (`msgid`) and its `params` rather than translated text,
    so that whoever shows it translates into the language in force at that moment; str() gives
    the English text for logs.
    """

    def __init__(self, msgid: str, **params: object) -> None:
        self.msgid = msgid
        self.params: dict[str, object] = params
        super().__init__(msgid % params)

    def translated(self) -> str:
        """The message in the current language, ready to show to the user."""
        return _(self.msgid) % self.params


def roc_year(gregorian_year: int) -> int:
    """The ROC year of a Gregorian year (2026 -> 115); years before 1912 have none."""
    if gregorian_year <= ROC_OFFSET:
        raise ValueError(f"{gregorian_year} is before the ROC calendar began in 1912")
    return gregorian_year - ROC_OFFSET


def format_roc_long(d: date) -> str:
    """The long form used on documents: "民國115年11月24日", "民國元年1月1日" for year 1."""
    year = roc_year(d.year)
    year_text = "元" if year == 1 else str(year)
    return f"民國{year_text}年{d.month}月{d.day}日"


def format_roc_short(d: date) -> str:
    """The short form used in tables and typed by users: "115/11/24", "115/01/05"."""
    return f"{roc_year(d.year)}/{d.month:02d}/{d.day:02d}"


def parse_roc_date(text: str) -> date:
    """Read an ROC date in the long or short form.

    Accepts "民國115年11月24日", "中華民國115年11月24日", "115年11月24日", "民國元年1月1日",
    "115/11/24", "115-11-24", "115.11.24" and the digits alone, "1151124" (or "991124" for a
    two-digit year), with full-width digits and punctuation (as Chinese input methods
    produce) and surrounding spaces. Raises RocDateError otherwise.
    """
    # NFKC folds full-width digits, ／, －, ． and the ideographic space into ASCII.
    normalized = unicodedata.normalize("NFKC", text).strip()
    if not normalized:
        raise RocDateError(MSG_EMPTY)
    match = (_LONG.fullmatch(normalized) or _SHORT.fullmatch(normalized)
             or _COMPACT.fullmatch(normalized))
    if match is None:
        raise RocDateError(MSG_SHAPE, text=text.strip())
    year_text = match["year"]
    year = 1 if year_text == "元" else int(year_text)
    month = int(match["month"])
    day = int(match["day"])
    if year < _FIRST_YEAR:
        raise RocDateError(MSG_YEAR_TOO_SMALL, year=year)
    if year > _LAST_YEAR:
        raise RocDateError(MSG_YEAR_TOO_LARGE, year=year, last=_LAST_YEAR)
    if not 1 <= month <= 12:
        raise RocDateError(MSG_MONTH, month=month)
    days = calendar.monthrange(year + ROC_OFFSET, month)[1]
    if not 1 <= day <= days:
        raise RocDateError(MSG_DAY, day=day, month=month, year=year, days=days)
    return date(year + ROC_OFFSET, month, day)


_MONTH = re.compile(r"(?:中華)?(?:民國)?\s*(?P<year>[0-9]{1,3}|元)\s*[年/.\-]\s*(?P<month>[0-9]{1,2})\s*月?")


def parse_roc_month(text: str) -> date:
    """Read an ROC month ("115/11", "民國115年11月"); its first day. Raises RocDateError."""
    normalized = unicodedata.normalize("NFKC", text).strip()
    match = _MONTH.fullmatch(normalized)
    if match is None:
        raise RocDateError(MSG_SHAPE, text=text.strip())
    return parse_roc_date(f"{match['year']}/{match['month']}/1")
