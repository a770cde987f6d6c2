"""The drill procedure in the domain: who may draw, exclusions and redraws, the audit record and
its replay, the weights and their fairness, the half-year schedule, coverage and the category
suggestion, and the choice of a drill's category and scenario."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from i18n import _, set_language
from models.core.errors import PermissionDenied, UserError, ValidationError
from models.drills.actions import choose_scenario, draw_unit
from models.drills.entities import DrawRow, DrillRow
from models.drills.kinds import (
    NEVER_DRILLED_WEIGHT,
    Candidate,
    Coverage,
    CoverageEntry,
    add_months,
    drill_weight,
    half_year_due,
    is_overdue,
    pick_unit,
    recent_months,
    replay_draw,
    status_label,
    suggest_category,
    taipei_today,
)
from models.drills.queries import coverage, drill_schedule, list_draws
from models.incidents.queries import list_incidents
from models.org.people import Actor, Role
from models.org.units import list_units
from models.playbook.shipped import default_playbook
from models.storage.db import Database, utcnow

SECRETARY = Actor("王主秘", Role.SECRETARY, "secretariat")
PLANNER = Actor("林企劃", Role.PLANNING, "secretariat")
HEAD = Actor("陳組長", Role.UNIT_HEAD, "ops1")
CATEGORIES = ("clearance", "public_opinion", "legislator", "emergency")

CHI_SQUARE_CRITICAL_5DF = 20.515
"""The chi-square distribution's 0.999 quantile for 5 degrees of freedom: a fair draw exceeds
it one time in a thousand; the seeds are fixed, so the test gives the same statistic always."""


def this_month() -> date:
    return taipei_today().replace(day=1)


def next_month() -> date:
    return add_months(this_month(), 1)


def unit_keys(db: Database) -> list[str]:
    return [u.key for u in list_units(db, "keelung")]


def at(day: date) -> datetime:
    """10:00 in Taipei on *day*, as the UTC moment the database stores."""
    return datetime.combine(day, time(2, 0), tzinfo=UTC)


def add_drill(db: Database, unit_key: str, day: date, *, status: str = "held",
              category: str = "") -> str:
    """A drill of *unit_key* on *day* as a later part of the procedure leaves it (held,
    reported ...), stored directly: this part of the domain only plans drills."""
    with db.session() as session:
        row = DrillRow(office_code="keelung", month=day.replace(day=1), unit_key=unit_key,
                       category_key=category, status=status,
                       held_at=at(day) if status in ("held", "reported", "evaluated") else None,
                       planned_at=at(day) if status == "planned" else None, updated_by="test")
        session.add(row)
        session.flush()
        return row.id


def drill_of(db: Database, month: date) -> DrillRow:
    with db.session() as session:
        row = session.scalars(select(DrillRow).where(DrillRow.month == month)).one()
        session.expunge(row)
        return row


# --- who may draw, and what a draw needs --------------------------------------------------------


@pytest.mark.parametrize("actor", [HEAD, PLANNER, Actor("副關務長", Role.COMMANDER)])
def test_only_the_executive_secretary_draws(db: Database, actor: Actor) -> None:
    with pytest.raises(PermissionDenied) as caught:
        draw_unit(db, actor, "keelung", next_month())
    assert "抽選演練單位" in caught.value.message()
    assert list_draws(db, "keelung") == []


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"exclude": {"ops1": "  "}}, "exclude"),
    ({"exclude": {"no-such-unit": "改制"}}, "exclude"),
    ({"seed": -1}, "seed"),
    ({"seed": 2**63}, "seed"),
    ({"reason": "重抽"}, "reason"),
    ({"redraw_of": "no-such-draw", "reason": ""}, "reason"),
    ({"redraw_of": "no-such-draw", "reason": "單位忙於實際案件"}, "redraw_of"),
])
def test_bad_draws_name_the_field_and_record_nothing(db: Database, kwargs: dict[str, object],
                                                     field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        draw_unit(db, SECRETARY, "keelung", next_month(), **kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert list_draws(db, "keelung") == []
    with db.session() as session:
        assert session.scalars(select(DrillRow)).all() == []


def test_leaving_out_every_unit_is_refused(db: Database) -> None:
    everyone = {key: "人力調度" for key in unit_keys(db)}
    with pytest.raises(ValidationError) as caught:
        draw_unit(db, SECRETARY, "keelung", next_month(), exclude=everyone)
    assert caught.value.field == "exclude"


def test_a_draw_is_for_this_month_or_later(db: Database) -> None:
    for month in (add_months(this_month(), -1), date(taipei_today().year + 2, 1, 1)):
        with pytest.raises(ValidationError) as caught:
            draw_unit(db, SECRETARY, "keelung", month)
        assert caught.value.field == "month"
    draw = draw_unit(db, SECRETARY, "keelung", taipei_today())  # any day names its month
    assert draw.month == this_month() and draw.as_of == taipei_today()


def test_a_draw_plans_the_months_drill_and_keeps_an_audit_record(db: Database) -> None:
    keys = unit_keys(db)
    draw = draw_unit(db, SECRETARY, "keelung", next_month(), exclude={keys[0]: " 正辦理實際危機案件 "},
                     seed=20261124)
    assert [c.unit_key for c in draw.candidates] == keys[1:]
    assert [(e.unit_key, e.reason) for e in draw.excluded] == [(keys[0], "正辦理實際危機案件")]
    assert draw.excluded[0].name == "業務一組"
    assert draw.seed == 20261124 and draw.method == "mt-random-v1"
    assert (draw.drawn_by, draw.role, draw.redraw_of) == ("王主秘", "secretary", None)
    assert all(c.weight == NEVER_DRILLED_WEIGHT for c in draw.candidates)
    assert draw.result_unit_key in keys[1:] and draw.result.unit_key == draw.result_unit_key
    assert draw.chance(draw.result_unit_key) == pytest.approx(1 / 14)
    assert list_draws(db, "keelung") == [draw]

    drill = drill_of(db, next_month())
    assert (drill.unit_key, drill.status, drill.draw_id) == (draw.result_unit_key, "planned",
                                                             draw.id)
    assert (drill.category_key, drill.scenario_key) == ("", "")
    assert drill.playbook_version_id is not None


def test_a_fresh_seed_is_drawn_and_recorded_when_none_is_given(db: Database) -> None:
    first = draw_unit(db, SECRETARY, "keelung", next_month())
    second = draw_unit(db, SECRETARY, "keelung", add_months(next_month(), 1))
    assert first.seed != second.seed
    assert 0 <= first.seed < 2**63 and 0 <= second.seed < 2**63


# --- redraws --------------------------------------------------------------------------------------


def test_a_redraw_keeps_the_first_draw_and_records_its_reason(db: Database) -> None:
    month = next_month()
    first = draw_unit(db, SECRETARY, "keelung", month, seed=1)
    with db.session() as session:
        stored = {c.name: getattr(session.get(DrawRow, first.id), c.name)
                  for c in DrawRow.__table__.columns}
    with pytest.raises(UserError):
        draw_unit(db, SECRETARY, "keelung", month, seed=2)  # a second first draw
    with pytest.raises(ValidationError) as caught:
        draw_unit(db, SECRETARY, "keelung", month, seed=2, redraw_of=first.id)
    assert caught.value.field == "reason"
    other_month = draw_unit(db, SECRETARY, "keelung", add_months(month, 1), seed=3)
    with pytest.raises(ValidationError) as caught:
        draw_unit(db, SECRETARY, "keelung", month, redraw_of=other_month.id, reason="誤植")
    assert caught.value.field == "redraw_of"

    busy = {first.result_unit_key: "該單位正處理颱風災情"}
    second = draw_unit(db, SECRETARY, "keelung", month, exclude=busy, seed=2,
                       redraw_of=first.id, reason="原抽中單位無法配合演練")
    assert (second.redraw_of, second.redraw_reason) == (first.id, "原抽中單位無法配合演練")
    assert second.result_unit_key != first.result_unit_key
    draws = list_draws(db, "keelung", month)
    assert [d.id for d in draws] == [first.id, second.id]
    assert draws[0] == replace(first, replaced_by=second.id)
    assert draws[1].replaced_by is None
    with db.session() as session:
        assert {c.name: getattr(session.get(DrawRow, first.id), c.name)
                for c in DrawRow.__table__.columns} == stored
    drill = drill_of(db, month)
    assert (drill.unit_key, drill.draw_id) == (second.result_unit_key, second.id)

    with pytest.raises(ValidationError) as caught:  # only the draw in force is redrawn
        draw_unit(db, SECRETARY, "keelung", month, redraw_of=first.id, reason="再抽一次")
    assert caught.value.field == "redraw_of"


def test_a_redraw_to_another_unit_clears_the_category_chosen_for_the_first(
        db: Database) -> None:
    month = next_month()
    first = draw_unit(db, SECRETARY, "keelung", month, seed=5)
    drill_id = drill_of(db, month).id
    choose_scenario(db, PLANNER, drill_id, "public_opinion", "asf-rumour")
    same = draw_unit(db, SECRETARY, "keelung", month, seed=5, redraw_of=first.id,
                     reason="抽籤過程未經見證，依程序重抽")
    assert same.result_unit_key == first.result_unit_key  # the same seed, the same unit
    assert drill_of(db, month).category_key == "public_opinion"
    draw_unit(db, SECRETARY, "keelung", month, exclude={first.result_unit_key: "人事異動"},
              redraw_of=same.id, reason="原單位人事異動")
    drill = drill_of(db, month)
    assert drill.unit_key != first.result_unit_key
    assert (drill.category_key, drill.scenario_key, drill.row_version) == ("", "", 4)


def test_a_drill_that_took_place_cannot_be_redrawn(db: Database) -> None:
    month = next_month()
    first = draw_unit(db, SECRETARY, "keelung", month, seed=8)
    with db.session() as session:
        session.get(DrillRow, drill_of(db, month).id).status = "held"  # type: ignore[union-attr]
    with pytest.raises(UserError) as caught:
        draw_unit(db, SECRETARY, "keelung", month, redraw_of=first.id, reason="想換單位")
    assert not isinstance(caught.value, ValidationError)
    assert len(list_draws(db, "keelung")) == 1


# --- weights, replay and fairness -----------------------------------------------------------------


def test_weights_follow_the_time_since_the_last_drill() -> None:
    assert drill_weight(None) == NEVER_DRILLED_WEIGHT == 395
    assert [drill_weight(d) for d in (-5, 0, 1, 100, 365, 366, 5000)] == \
        [30, 30, 31, 130, 395, 395, 395]


def test_a_draw_weighs_units_by_their_last_drill_held_or_planned(db: Database) -> None:
    keys = unit_keys(db)
    month = add_months(this_month(), 2)  # counted to its first day, not to the clock
    add_drill(db, keys[0], month - timedelta(days=40))
    add_drill(db, keys[0], month - timedelta(days=300))       # an older drill does not count
    add_drill(db, keys[1], month - timedelta(days=200), status="reported")
    add_drill(db, keys[2], month - timedelta(days=800))
    add_drill(db, keys[3], add_months(month, 1), status="planned")  # planned after the draw
    add_drill(db, keys[4], month - timedelta(days=10), status="cancelled")
    draw = draw_unit(db, SECRETARY, "keelung", month, seed=11)
    assert draw.as_of == month
    seen = {c.unit_key: (c.last_drill, c.days_since, c.weight) for c in draw.candidates}
    assert seen[keys[0]] == (month - timedelta(days=40), 40, 70)
    assert seen[keys[1]] == (month - timedelta(days=200), 200, 230)
    assert seen[keys[2]] == (month - timedelta(days=800), 800, 395)
    assert seen[keys[3]] == (add_months(month, 1), 0, 30)
    assert seen[keys[4]] == (None, None, 395)


def test_replay_reproduces_every_recorded_draw(db: Database) -> None:
    keys = unit_keys(db)
    add_drill(db, keys[2], this_month() - timedelta(days=20))
    month = this_month()
    for i in range(8):
        draw_unit(db, SECRETARY, "keelung", add_months(month, i), seed=100 + i,
                  exclude={keys[i]: "支援實際危機處理"} if i % 2 else {})
    current = list_draws(db, "keelung", month)[-1]
    for seed, reason in ((200, "見證人未到場"), (None, "抽籤系統時間錯誤")):
        current = draw_unit(db, SECRETARY, "keelung", month, seed=seed,
                            redraw_of=current.id, reason=reason)
    draws = list_draws(db, "keelung")
    assert len(draws) == 10
    assert [replay_draw(d) for d in draws] == [d.result_unit_key for d in draws]
    # The record is what is replayed: change a weight or the seed and the outcome may change.
    changed = [replay_draw(replace(d, seed=d.seed + 1)) != d.result_unit_key for d in draws]
    assert any(changed)


def test_the_draw_is_fair_over_ten_thousand_seeds() -> None:
    """With known last drills the frequency of each unit follows weight / sum of weights."""
    days = {"never": None, "long_ago": 500, "half_year": 180, "quarter": 90, "month": 30,
            "yesterday": 1}
    candidates = [Candidate(key, key, key, None, d, drill_weight(d)) for key, d in days.items()]
    weights = {c.unit_key: c.weight for c in candidates}
    assert list(weights.values()) == [395, 395, 210, 120, 60, 31]
    draws = 10_000
    counts = Counter(pick_unit(candidates, seed) for seed in range(draws))
    total = sum(weights.values())
    expected = {key: draws * w / total for key, w in weights.items()}
    chi_square = sum((counts[key] - e) ** 2 / e for key, e in expected.items())
    assert chi_square < CHI_SQUARE_CRITICAL_5DF, (chi_square, counts)
    for key, weight in weights.items():
        assert abs(counts[key] / draws - weight / total) < 0.02
    assert counts["yesterday"] * 5 < counts["never"]


def test_the_choice_depends_only_on_the_seed_and_the_weights() -> None:
    candidates = [Candidate(k, k, k, None, None, w) for k, w in (("a", 1), ("b", 1_000_000))]
    assert {pick_unit(candidates, seed) for seed in range(50)} == {"b"}
    single = [Candidate("only", "", "", None, None, 30)]
    assert pick_unit(single, 123) == "only"
    with pytest.raises(ValueError):
        pick_unit([], 1)
    with pytest.raises(ValueError):
        pick_unit(single, 1, method="unknown")


# --- the schedule and the half-year rule ----------------------------------------------------------


def test_the_half_year_rule_at_its_boundary() -> None:
    may24 = date(2026, 5, 24)
    assert half_year_due(may24) == date(2026, 11, 24)
    assert not is_overdue(may24, date(2026, 11, 24))
    assert is_overdue(may24, date(2026, 11, 25))
    assert half_year_due(date(2026, 8, 31)) == date(2027, 2, 28)
    assert is_overdue(None, date(2026, 1, 1))


def test_the_schedule_lists_overdue_units_first(db: Database) -> None:
    keys = unit_keys(db)
    add_drill(db, keys[0], date(2026, 5, 24))
    add_drill(db, keys[1], date(2026, 8, 31))
    add_drill(db, keys[1], date(2026, 9, 15), status="cancelled")
    add_drill(db, keys[2], date(2026, 10, 5), status="planned")

    on_time = drill_schedule(db, "keelung", date(2026, 11, 24))
    never = [k for k in keys if k not in keys[:2]]
    assert [u.unit.key for u in on_time.units] == never + [keys[0], keys[1]]
    assert [u.overdue for u in on_time.units] == [True] * 13 + [False, False]
    assert (on_time.units[-2].last_held, on_time.units[-2].due) == (date(2026, 5, 24),
                                                                   date(2026, 11, 24))
    assert on_time.units[-1].due == date(2027, 2, 28)

    late = drill_schedule(db, "keelung", date(2026, 11, 25))
    assert [u.unit.key for u in late.units] == never + [keys[0], keys[1]]
    assert late.units[13].overdue and not late.units[14].overdue
    assert [u.unit.key for u in late.overdue] == never + [keys[0]]


def test_the_schedule_shows_each_month_of_the_year(db: Database) -> None:
    keys = unit_keys(db)
    today = taipei_today()
    other = date(today.year, 2 if today.month == 1 else 1, 12)
    add_drill(db, keys[3], other, category="emergency")
    first = draw_unit(db, SECRETARY, "keelung", today, seed=3)
    second = draw_unit(db, SECRETARY, "keelung", today, seed=4, redraw_of=first.id,
                       reason="重新抽選")

    schedule = drill_schedule(db, "keelung", today)
    assert (schedule.year, schedule.roc_year) == (today.year, today.year - 1911)
    assert [s.month for s in schedule.months] == [date(today.year, m, 1) for m in range(1, 13)]
    assert [s.drawn for s in schedule.months].count(True) == 2
    held = schedule.months[other.month - 1].drill
    assert held is not None and (held.unit_key, held.status) == (keys[3], "held")
    assert schedule.months[other.month - 1].draws == 0
    now = schedule.months[today.month - 1]
    assert now.draws == 2 and now.drill is not None
    assert (now.drill.unit_key, now.drill.status, now.drill.draw_id) == (
        second.result_unit_key, "planned", second.id)
    state = next(u for u in schedule.units if u.unit.key == second.result_unit_key)
    assert state.next_planned == this_month()


def test_status_labels_are_translated() -> None:
    set_language("en")
    assert status_label("held") == "Held"
    set_language("zh_TW")
    assert status_label("planned") == _("Planned") == "規劃中"
    assert status_label("evaluated") != "Evaluated"


# --- coverage and the suggestion ------------------------------------------------------------------


def test_coverage_shows_who_drilled_what_when_and_suggests_the_least_practised(
        db: Database) -> None:
    keys = unit_keys(db)
    a, b = keys[0], keys[1]
    add_drill(db, a, date(2026, 1, 20), category="legislator")
    add_drill(db, a, date(2026, 3, 10), category="clearance")
    add_drill(db, a, date(2026, 5, 6), category="public_opinion")
    add_drill(db, a, date(2026, 6, 16), category="clearance", status="evaluated")
    add_drill(db, b, date(2026, 7, 1), category="emergency", status="planned")  # not yet held
    add_drill(db, b, date(2026, 2, 3))                                          # no category

    year = coverage(db, "keelung", [date(2026, m, 1) for m in range(1, 13)])
    assert year.categories == CATEGORIES
    assert [u.key for u in year.units] == keys
    assert year.count(a, "clearance") == 2 and year.last(a, "clearance") == date(2026, 6, 16)
    cell = year.cell(a, date(2026, 3, 1))
    assert cell is not None and cell.category_key == "clearance"
    assert year.cell(b, date(2026, 7, 1)) is None and year.entries_of(b, "emergency") == ()
    assert suggest_category(year, a, year.categories) == "emergency"      # never practised
    assert suggest_category(year, b, year.categories) == "clearance"      # playbook order

    add_drill(db, a, date(2026, 8, 12), category="emergency")
    year = coverage(db, "keelung", [date(2026, m, 1) for m in range(1, 13)])
    # clearance 2, the others once each: legislator was practised longest ago.
    assert suggest_category(year, a, year.categories) == "legislator"

    since_february = coverage(db, "keelung", recent_months(date(2026, 8, 31), 7))
    assert since_february.months[0] == date(2026, 2, 1)
    assert since_february.count(a, "legislator") == 0
    assert suggest_category(since_february, a, since_february.categories) == "legislator"


def test_the_suggestion_breaks_ties_by_age_then_playbook_order() -> None:
    def held(category: str, day: date) -> CoverageEntry:
        return CoverageEntry("d", "u", category, day.replace(day=1), day)

    entries = (held("clearance", date(2026, 4, 1)), held("public_opinion", date(2026, 2, 1)),
               held("emergency", date(2026, 6, 1)), held("legislator", date(2026, 2, 1)))
    cov = Coverage((), CATEGORIES, (), entries)
    assert suggest_category(cov, "u", CATEGORIES) == "public_opinion"
    assert suggest_category(cov, "u", tuple(reversed(CATEGORIES))) == "legislator"
    assert suggest_category(cov, "other", CATEGORIES) == "clearance"
    with pytest.raises(ValueError):
        suggest_category(cov, "u", ())


# --- choosing the category and scenario -----------------------------------------------------------


def test_the_planning_group_chooses_the_category_and_scenario(db: Database) -> None:
    draw_unit(db, SECRETARY, "keelung", next_month(), seed=9)
    drill_id = drill_of(db, next_month()).id
    with pytest.raises(PermissionDenied):
        choose_scenario(db, HEAD, drill_id, "clearance", "")
    with pytest.raises(ValidationError) as caught:
        choose_scenario(db, PLANNER, drill_id, "nonsense", "")
    assert caught.value.field == "category_key"
    with pytest.raises(ValidationError) as caught:
        choose_scenario(db, PLANNER, drill_id, "clearance", "x" * 61)
    assert caught.value.field == "scenario_key"
    with pytest.raises(UserError):
        choose_scenario(db, PLANNER, "no-such-drill", "clearance", "")

    chosen = choose_scenario(db, PLANNER, drill_id, "clearance", "")
    assert (chosen.category_key, chosen.scenario_key, chosen.row_version) == ("clearance", "", 2)
    chosen = choose_scenario(db, SECRETARY, drill_id, "public_opinion", " heated-tobacco ")
    assert (chosen.category_key, chosen.scenario_key) == ("public_opinion", "heated-tobacco")
    assert (chosen.updated_by, chosen.row_version) == ("王主秘", 3)
    assert choose_scenario(db, PLANNER, drill_id, "public_opinion",
                           "heated-tobacco").row_version == 3  # unchanged: nothing written

    with db.session() as session:
        session.get(DrillRow, drill_id).status = "held"  # type: ignore[union-attr]
    with pytest.raises(UserError):
        choose_scenario(db, PLANNER, drill_id, "emergency", "")


def test_drills_never_count_as_incidents(db: Database) -> None:
    draw_unit(db, SECRETARY, "keelung", next_month(), seed=10)
    add_drill(db, unit_keys(db)[0], date(2026, 1, 5), category="clearance")
    assert list_incidents(db, "keelung", utcnow(), 10) == []
    assert {c.key for c in default_playbook().categories} == set(CATEGORIES)
