"""The drill procedure's vocabularies and the rules that need no database: how a draw weighs
the units and picks one from its seed (and replays it), the half-year rule, and which
category a unit should practise next.

Procedure (reference 001, 七): the executive secretary draws the unit to drill (抽選演練單位)
and holds simulated drills month by month (按月模擬演練); the planning group chooses a crisis
category for the unit and runs the test; the unit fills in the drill report form
(危機管理演練報告表). Reference 003 asks for a crisis drill at least every half year.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from i18n import N_, _, pick
from models.org.offices import UnitInfo

DRILL_STATUSES = {
    "planned": N_("Planned"),
    "held": N_("Held"),
    "reported": N_("Reported"),
    "evaluated": N_("Evaluated"),
    "cancelled": N_("Cancelled"),
}
"""A drill is planned when its unit is drawn, held when it took place, reported when the
unit's report form is signed, evaluated when the planning group's evaluation is done."""

HELD_STATUSES = frozenset({"held", "reported", "evaluated"})
"""Statuses of a drill that took place."""

LIVE_STATUSES = HELD_STATUSES | {"planned"}
"""Statuses of a drill that counts for a unit's last drill in a draw (all but cancelled)."""

MAX_DAYS = 365
"""Days since the last drill beyond which a unit weighs no more (a year)."""
BASE_WEIGHT = 30
"""Every candidate's weight floor: a unit drilled yesterday still has a chance."""
NEVER_DRILLED_WEIGHT = MAX_DAYS + BASE_WEIGHT

DRAW_METHOD = "mt-random-v1"
"""How a seed becomes a unit (see `pick_unit`); recorded with every draw, so that a later
change of the method cannot make an old draw replay differently."""
SEED_BITS = 63
"""Seeds are 63-bit: SQLite's INTEGER is signed 64-bit, so a 64-bit seed could not be stored."""
MAX_SEED = 2**SEED_BITS - 1

HALF_YEAR_MONTHS = 6
"""Reference 003: a crisis drill at least every half year."""

TAIPEI = timedelta(hours=8)
"""Taiwan has one zone and no daylight saving (as in models/incidents/queries.py)."""


def status_label(status: str) -> str:
    """The drill status in the current language."""
    return _(DRILL_STATUSES.get(status, status))


def taipei_date(moment: datetime) -> date:
    """The calendar day in Taiwan of an aware UTC moment."""
    return (moment + TAIPEI).date()


def taipei_today() -> date:
    return taipei_date(datetime.now(UTC))


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The same day *months* calendar months later (or earlier), at most the month's last day:
    31 August + 6 months is 28 (or 29) February."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_of_year(year: int) -> tuple[date, ...]:
    """The twelve months (their first days) of a Gregorian year."""
    return tuple(date(year, m, 1) for m in range(1, 13))


def recent_months(today: date, count: int) -> tuple[date, ...]:
    """The *count* months up to and including today's, oldest first."""
    this = month_start(today)
    return tuple(add_months(this, -i) for i in range(count - 1, -1, -1))


# ---------------------------------------------------------------------------------------------
# The draw


def drill_weight(days_since: int | None) -> int:
    """A unit's weight in the draw: ``min(days since its last drill, 365) + 30``, and 395 (the
    most) for a unit never drilled.

    The longer a unit has gone without a drill, the likelier it is drawn, up to a year; a
    unit drilled yesterday keeps 30 (about a thirteenth of a never-drilled unit's chance), so
    no unit can ever count on being left alone. A drill still planned counts as its date, and
    one planned for later than the draw counts as 0 days.
    """
    if days_since is None:
        return NEVER_DRILLED_WEIGHT
    return min(max(days_since, 0), MAX_DAYS) + BASE_WEIGHT


@dataclass(frozen=True)
class Candidate:
    """A unit that could be drawn, as recorded in the draw."""

    unit_key: str
    name_zh: str
    name_en: str
    last_drill: date | None
    days_since: int | None
    weight: int

    @property
    def name(self) -> str:
        return pick({"zh_TW": self.name_zh, "en": self.name_en})

    @property
    def why(self) -> str:
        """Its chance in words a civil servant reads, where the record keeps the weight
        (「從未演練，機會最高」 rather than 「權重 395」)."""
        if self.days_since is None:
            return _("never drilled: the highest chance")
        if self.days_since >= MAX_DAYS:
            return _("no drill for a year or more: the highest chance")
        return _("last drilled {days} days ago: the longer ago, the likelier").format(
            days=max(self.days_since, 0))


DRAW_METHODS = {
    DRAW_METHOD: N_("drawn by the computer, each unit's chance weighted by the time since its "
                    "last drill; the seed replays it"),
}
"""The draw's method, in words; the record keeps its code for the audit."""


def method_label(method: str) -> str:
    return _(DRAW_METHODS[method]) if method in DRAW_METHODS else method


def audit_line(draw: DrawInfo) -> str:
    """The draw's technical record in one line, for an auditor who replays it: the method's
    code, the seed and each unit's weight (the words beside it are for everyone else)."""
    weights = ", ".join(f"{c.unit_key} {c.weight}" for c in draw.candidates)
    return _("Method {method}, seed {seed}, weights: {weights}.").format(
        method=draw.method, seed=draw.seed, weights=weights)


@dataclass(frozen=True)
class Exclusion:
    """A unit left out of a draw, and why (away on a real incident, reorganised ...)."""

    unit_key: str
    name_zh: str
    name_en: str
    reason: str

    @property
    def name(self) -> str:
        return pick({"zh_TW": self.name_zh, "en": self.name_en})


@dataclass(frozen=True)
class DrawInfo:
    """One recorded draw: enough to show it, audit it and replay it (`replay_draw`)."""

    id: str
    office_code: str
    month: date
    as_of: date
    candidates: tuple[Candidate, ...]
    excluded: tuple[Exclusion, ...]
    method: str
    seed: int
    result_unit_key: str
    drawn_by: str
    role: str
    drawn_at: datetime
    redraw_of: str | None
    redraw_reason: str
    replaced_by: str | None = None
    """The later draw that replaced this one, if any (a redraw)."""

    @property
    def result(self) -> Candidate:
        return next(c for c in self.candidates if c.unit_key == self.result_unit_key)

    def chance(self, unit_key: str) -> float:
        """The probability the unit had in this draw: its weight over the sum of weights."""
        total = sum(c.weight for c in self.candidates)
        return sum(c.weight for c in self.candidates if c.unit_key == unit_key) / total


def pick_unit(candidates: Sequence[Candidate], seed: int, method: str = DRAW_METHOD) -> str:
    """The unit a seed draws from weighted candidates.

    ``random.Random(seed).random()`` gives r in [0, 1); the ticket ``floor(r * total)`` falls
    in the range of one unit when each unit, in the recorded order, holds as many consecutive
    tickets as its weight. Only ``random()`` is used because Python promises it gives the same
    sequence for the same seed in every version (randrange or choices carry no such promise),
    so a draw recorded today replays the same on any later Python.
    """
    if method != DRAW_METHOD:
        raise ValueError(f"unknown draw method {method!r}")
    if not candidates or any(c.weight <= 0 for c in candidates):
        raise ValueError("a draw needs candidates with positive weights")
    total = sum(c.weight for c in candidates)
    ticket = int(random.Random(seed).random() * total)
    for candidate in candidates:
        if ticket < candidate.weight:
            return candidate.unit_key
        ticket -= candidate.weight
    raise AssertionError("unreachable: the ticket lies below the total")


def replay_draw(info: DrawInfo) -> str:
    """Recompute a recorded draw's result from its recorded candidates, weights and seed; an
    auditor compares it with `info.result_unit_key`."""
    return pick_unit(info.candidates, info.seed, info.method)


# ---------------------------------------------------------------------------------------------
# The half-year rule


def half_year_due(last_held: date | None, months: int = HALF_YEAR_MONTHS) -> date | None:
    """The last day a unit's next drill is due on: six calendar months (or the office's
    *months*, its playbook's drill rules) after its last drill (None for a unit never
    drilled: due already)."""
    return None if last_held is None else add_months(last_held, months)


def is_overdue(last_held: date | None, today: date, months: int = HALF_YEAR_MONTHS) -> bool:
    """Overdue when the unit has no drill on record or its last one lies more than six months
    (or *months*) back: drilled on 24 May, it is due by 24 November and overdue from 25
    November."""
    due = half_year_due(last_held, months)
    return due is None or today > due


def drill_period(month: date, every_months: int) -> date:
    """The first month of the drill period *month* lies in, when the office drills every
    *every_months* months (a number that divides the year): quarterly, May lies in the
    period that starts in April."""
    return date(month.year, (month.month - 1) // every_months * every_months + 1, 1)


def coverage_months(unit_every_months: int, categories: int) -> int:
    """The months the coverage looks back: one round of every category for a unit drilled
    at the office's minimum (six months and four categories: two years)."""
    return unit_every_months * max(categories, 1)


# ---------------------------------------------------------------------------------------------
# Coverage: which unit practised which category when


@dataclass(frozen=True)
class CoverageEntry:
    """A drill that took place: the unit, the category it practised, the month and the day."""

    drill_id: str
    unit_key: str
    category_key: str
    month: date
    held_on: date


@dataclass(frozen=True)
class Coverage:
    """Units × playbook categories × months: the office's held drills in the months asked for.

    Only drills that took place (held, reported, evaluated) with a chosen category count."""

    months: tuple[date, ...]
    categories: tuple[str, ...]
    """The playbook's categories, in playbook order."""
    units: tuple[UnitInfo, ...]
    entries: tuple[CoverageEntry, ...]

    def cell(self, unit_key: str, month: date) -> CoverageEntry | None:
        """The unit's drill of the month, if it had one."""
        return next((e for e in self.entries
                     if e.unit_key == unit_key and e.month == month), None)

    def entries_of(self, unit_key: str, category_key: str) -> tuple[CoverageEntry, ...]:
        return tuple(e for e in self.entries
                     if e.unit_key == unit_key and e.category_key == category_key)

    def count(self, unit_key: str, category_key: str) -> int:
        return len(self.entries_of(unit_key, category_key))

    def last(self, unit_key: str, category_key: str) -> date | None:
        return max((e.held_on for e in self.entries_of(unit_key, category_key)), default=None)


def suggest_category(coverage: Coverage, unit_key: str, categories: Sequence[str],
                     rotation: str = "least_practised") -> str:
    """The category the unit should practise next, by the office's *rotation*
    (models.playbook.drill_rules.ROTATIONS).

    "least_practised": the category the unit has practised least in the coverage's months;
    among equals, the one it practised longest ago (never counts as longest), then the first
    in *categories* (the playbook's order). "in_order": a fixed cycle in the playbook's order,
    the category after the one of the unit's last drill in the coverage (the first when it has
    none there, or its last category is no longer in the playbook)."""
    if not categories:
        raise ValueError("no categories to choose from")
    if rotation == "in_order":
        return next_in_order(coverage, unit_key, categories)
    order = {key: i for i, key in reversed(list(enumerate(categories)))}
    return min(categories, key=lambda key: (coverage.count(unit_key, key),
                                            coverage.last(unit_key, key) or date.min,
                                            order[key]))


def next_in_order(coverage: Coverage, unit_key: str, categories: Sequence[str]) -> str:
    """The category after the unit's last practised one, in *categories*' order, round."""
    mine = [e for e in coverage.entries if e.unit_key == unit_key]
    if not mine:
        return categories[0]
    last = max(mine, key=lambda e: (e.held_on, e.month)).category_key
    if last not in categories:
        return categories[0]
    return categories[(list(categories).index(last) + 1) % len(categories)]
