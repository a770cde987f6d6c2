"""The office's drill rules at work: which months want a drill under monthly, quarterly and
half-year rules, the overdue units by the office's minimum, the coverage's span and the
category rotation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from models.drills.kinds import (
    Coverage,
    CoverageEntry,
    coverage_months,
    drill_period,
    is_overdue,
    suggest_category,
)
from models.drills.queries import drill_schedule
from models.org.people import Actor, Role
from models.playbook.drill_rules import DrillRules
from models.playbook.store import current_playbook, save_playbook
from models.storage.db import Database
from tests.unit.drills.test_drills import CATEGORIES, add_drill, unit_keys

PLANNER = Actor("林企劃", Role.PLANNING, "secretariat")


def set_rules(db: Database, **rules: object) -> None:
    """Save a playbook version with these drill rules, as the planning group's editor does."""
    version, pb = current_playbook(db)
    new = replace(pb, drill=replace(pb.drill, rules=DrillRules(**rules)))  # type: ignore[arg-type]
    save_playbook(db, PLANNER, new, "演練規則", base_version_id=version.id)


def wanted(db: Database, today: date) -> list[int]:
    """The months of the year (numbers) the schedule shows as wanting a drill."""
    return [s.month.month for s in drill_schedule(db, "keelung", today).months if s.wanted]


def test_drill_periods_start_in_january() -> None:
    assert drill_period(date(2026, 5, 1), 1) == date(2026, 5, 1)
    assert drill_period(date(2026, 5, 1), 3) == date(2026, 4, 1)
    assert drill_period(date(2026, 6, 1), 6) == date(2026, 1, 1)
    assert drill_period(date(2026, 7, 1), 6) == date(2026, 7, 1)
    assert drill_period(date(2026, 12, 1), 12) == date(2026, 1, 1)


def test_monthly_every_month_without_a_drill_is_missing_one(db: Database) -> None:
    add_drill(db, unit_keys(db)[0], date(2026, 2, 10))
    assert wanted(db, date(2026, 6, 1)) == list(range(1, 13))


def test_quarterly_a_quarter_with_its_drill_misses_no_other_month(db: Database) -> None:
    set_rules(db, every_months=3)
    keys = unit_keys(db)
    add_drill(db, keys[0], date(2026, 2, 10))                      # Q1's drill in February
    add_drill(db, keys[1], date(2026, 5, 6), status="planned")     # Q2's planned in May
    add_drill(db, keys[2], date(2026, 7, 8), status="cancelled")   # Q3's was cancelled
    months = drill_schedule(db, "keelung", date(2026, 6, 1)).months
    assert [s.month.month for s in months if s.wanted] == [2, 5, 7, 8, 9, 10, 11, 12]
    # January and March are not shown as missing a drill: the quarter has its drill
    assert months[0].drill is None and not months[0].wanted
    # the cancelled drill leaves its quarter wanting one, in any of its months
    assert months[6].drill is not None and months[7].wanted


def test_half_yearly_one_drill_covers_six_months(db: Database) -> None:
    set_rules(db, every_months=6)
    add_drill(db, unit_keys(db)[0], date(2026, 3, 3))
    assert wanted(db, date(2026, 6, 1)) == [3, 7, 8, 9, 10, 11, 12]


def test_the_overdue_units_use_the_offices_minimum(db: Database) -> None:
    keys = unit_keys(db)
    add_drill(db, keys[0], date(2026, 5, 24))
    assert not drill_schedule(db, "keelung", date(2026, 8, 25)).units[-1].overdue
    set_rules(db, every_months=3, unit_every_months=3)
    schedule = drill_schedule(db, "keelung", date(2026, 8, 25))
    state = next(u for u in schedule.units if u.unit.key == keys[0])
    assert (state.due, state.overdue) == (date(2026, 8, 24), True)
    assert schedule.rules.unit_every_months == 3
    on_the_day = drill_schedule(db, "keelung", date(2026, 8, 24))
    assert not next(u for u in on_the_day.units if u.unit.key == keys[0]).overdue
    assert is_overdue(date(2026, 5, 24), date(2027, 5, 25), 12)
    assert not is_overdue(date(2026, 5, 24), date(2027, 5, 24), 12)


def test_the_coverage_spans_one_round_of_the_categories() -> None:
    assert coverage_months(6, 4) == 24       # today's two years
    assert coverage_months(3, 4) == 12
    assert coverage_months(12, 5) == 60


def held(unit: str, category: str, day: date) -> CoverageEntry:
    return CoverageEntry(f"{unit}-{day}", unit, category, day.replace(day=1), day)


def test_the_rotation_in_the_playbooks_order_follows_the_units_last_category() -> None:
    entries = (held("u", "legislator", date(2026, 1, 5)), held("u", "clearance", date(2026, 7, 3)),
               held("v", "emergency", date(2026, 4, 1)))
    cov = Coverage((), CATEGORIES, (), entries)
    # u practised clearance last: public_opinion is next, though legislator is older
    assert suggest_category(cov, "u", CATEGORIES, "in_order") == "public_opinion"
    assert suggest_category(cov, "u", CATEGORIES, "least_practised") == "public_opinion"
    assert suggest_category(cov, "v", CATEGORIES, "in_order") == "clearance"   # round again
    assert suggest_category(cov, "w", CATEGORIES, "in_order") == "clearance"   # never drilled
    gone = Coverage((), CATEGORIES, (), (held("u", "removed", date(2026, 1, 5)),))
    assert suggest_category(gone, "u", CATEGORIES, "in_order") == "clearance"


def test_least_practised_stays_the_default_rotation() -> None:
    entries = (held("u", "clearance", date(2026, 1, 5)), held("u", "public_opinion",
                                                              date(2026, 3, 5)))
    cov = Coverage((), CATEGORIES, (), entries)
    assert suggest_category(cov, "u", CATEGORIES) == "legislator"
    assert suggest_category(cov, "u", CATEGORIES, "in_order") == "legislator"
    cov = Coverage((), CATEGORIES, (), entries + (held("u", "emergency", date(2026, 4, 5)),
                                                  held("u", "legislator", date(2026, 5, 5))))
    assert suggest_category(cov, "u", CATEGORIES) == "clearance"
    assert suggest_category(cov, "u", CATEGORIES, "in_order") == "emergency"
