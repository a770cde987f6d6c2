"""The annual review's figures on a made-up year with known answers (ROC 115, 2026), including
the edges the procedure's review would get wrong by hand: an incident started on New Year's
Eve in Taipei (the UTC date is the day before), one started in 2026 and archived in 2027, a
level raised mid-way, a deputy's acknowledgement, a notification that reached nobody first,
an example case, and drills, which are never incidents."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models.drills.reports.entities import DrillEvaluationRow
from models.incidents.entities import IncidentRow
from models.org.entities import UnitRow
from models.review.figures import STEPS, AnnualFigures, annual_figures, review_years
from models.storage.db import Database
from tests.review_data import TODAY, drill, incident, make_year, utc


@pytest.fixture
def year(db: Database) -> AnnualFigures:
    make_year(db)
    return annual_figures(db, "keelung", 2026, TODAY)


def test_only_the_years_real_incidents_count_in_taipei_time(year: AnnualFigures) -> None:
    assert year.roc_year == 115
    assert year.incidents == 3
    assert [c.title for c in year.cases] == ["貨櫃夾藏加熱菸", "輿情：網路謠言", "跨年夜港區事故"]
    assert year.by_month == (0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1)
    assert dict(year.by_category) == {"clearance": 1, "public_opinion": 1, "emergency": 1}
    assert year.by_subtype == (("emergency", "em_1", 1), ("public_opinion", "po_1", 1))
    assert year.by_level == (("medium", 2), ("high", 1))  # the level each was last set to
    assert year.by_unit == (("ops1", 2), ("ops2", 1))
    assert dict(year.by_source) == {"internal": 2, "media": 1}


def test_case_numbers_and_lessons_are_the_case_files(year: AnnualFigures) -> None:
    first = year.cases[0]
    assert first.number == "基隆關-115-0001"
    assert first.lessons == "夜間通報名冊須每月更新"
    assert year.cases[2].archived_at == utc(2027, 1, 5, 15)


def test_response_times_per_level(year: AnnualFigures) -> None:
    times = {t.level_key: dict(zip(STEPS, t.steps, strict=True)) for t in year.times}
    high, medium = times["high"], times["medium"]
    assert (high["notified"].median, high["acknowledged"].median) == (12, 20)  # a deputy's
    assert (high["meeting"].median, high["statement"].median) == (60, 180)  # first release
    assert high["archived"].median == 3 * 24 * 60
    # B's first call reached nobody: its notice is the second call's, 30 minutes.
    assert (medium["notified"].count, medium["notified"].median) == (2, 20)
    assert medium["notified"].longest == 30
    assert (medium["acknowledged"].count, medium["acknowledged"].median) == (1, 40)
    assert medium["archived"].count == 1  # C, archived in 2027
    assert (medium["meeting"].count, medium["statement"].count) == (0, 0)


def test_corrective_actions_of_incidents_and_drills(year: AnnualFigures) -> None:
    incidents = year.action_counts("incident")
    assert (incidents.opened, incidents.done_on_time, incidents.done_late, incidents.open,
            incidents.open_overdue) == (3, 1, 1, 1, 1)
    drills = year.action_counts("drill")
    assert (drills.opened, drills.done_on_time) == (1, 1)
    assert year.actions[0].reference == "基隆關-115-0001"
    assert [(a.reference, a.drill_month) for a in year.actions if a.source == "drill"] == [
        ("ops1", date(2026, 3, 1))]
    assert year.action_counts().opened == 4


def test_drills_per_unit_and_the_half_year_rule(year: AnnualFigures) -> None:
    units = {u.unit_key: u for u in year.drills}
    assert (units["ops1"].held, dict(units["ops1"].by_category)) == (
        2, {"clearance": 1, "emergency": 1})
    assert units["ops1"].compliant  # October, March, August: never more than half a year
    assert units["ops2"].held == 1 and not units["ops2"].compliant  # none since January
    assert units["ops2"].last_held == date(2026, 1, 15)
    never = [u for key, u in units.items() if key not in ("ops1", "ops2")]
    assert never and all(u.held == 0 and not u.compliant for u in never)


def test_ratings_per_stage_by_quarter(year: AnnualFigures) -> None:
    assert dict(year.ratings) == {1: (3.5, None, 2.0, None), 2: (4.0, None, None, None)}


def test_drills_are_never_counted_as_incidents(db: Database) -> None:
    drill(db, "ops1", utc(2026, 3, 20, 2), "clearance", {1: 3})
    figures = annual_figures(db, "keelung", 2026, TODAY)
    assert (figures.incidents, figures.cases, figures.times, figures.by_category) == (
        0, (), (), ())
    assert sum(u.held for u in figures.drills) == 1


def test_a_year_with_nothing_has_zero_figures(db: Database) -> None:
    figures = annual_figures(db, "keelung", 2020, TODAY)
    assert figures.incidents == 0 and figures.action_counts().opened == 0
    assert figures.as_of == date(2020, 12, 31) and figures.ratings == ()


def test_the_years_to_review_run_from_the_first_record_to_today(db: Database) -> None:
    assert review_years(db, "keelung", TODAY) == (2026,)
    drill(db, "ops1", utc(2024, 3, 20, 2), "clearance")
    incident(db, "範例案件", utc(2019, 5, 5, 5), "high", example=True)  # not a record to review
    assert review_years(db, "keelung", TODAY) == (2026, 2025, 2024)


def test_what_is_not_final_or_not_real_stays_out(db: Database) -> None:
    """A draft evaluation's ratings and actions, a case imported today that closed in March
    (its archiving is its timeline's, not the import's), a unit deactivated after its drill,
    and a year that has not begun."""
    drill(db, "ops1", utc(2026, 4, 1, 2), "clearance", {1: 4},
          action=(utc(2026, 4, 2), date(2026, 5, 1), None), evaluation="draft")
    imported = incident(db, "匯入的案件", utc(2026, 3, 1, 2), "low", archived=utc(2026, 3, 2, 2))
    with db.session() as session:
        row = session.get(IncidentRow, imported)
        assert row is not None
        row.archived_at = utc(2026, 12, 1)  # the moment of the import
    with db.session() as session:
        for unit in session.scalars(select(UnitRow).where(UnitRow.key == "ops1")):
            unit.active = False
    figures = annual_figures(db, "keelung", 2026, TODAY)
    assert figures.ratings == () and figures.action_counts("drill").opened == 0
    [times] = figures.times
    assert dict(zip(STEPS, times.steps, strict=True))["archived"].median == 24 * 60
    assert figures.cases[0].archived_at == utc(2026, 3, 2, 2)
    assert [(u.unit_key, u.held) for u in figures.drills if u.held] == [("ops1", 1)]
    with pytest.raises(ValueError):
        annual_figures(db, "keelung", 2027, TODAY)


@pytest.mark.parametrize("stored", ['{"1": "x"}', "[1, 2]", '{"1": 99, "2": 3}', "not json",
                                    '{"1": 1e999}'])
def test_a_damaged_or_forged_rating_from_another_pc_is_left_out(db: Database,
                                                                stored: str) -> None:
    drill(db, "ops1", utc(2026, 3, 20, 2), "clearance", {2: 3})
    drill(db, "ops1", utc(2026, 4, 20, 2), "clearance")
    with db.session() as session:
        evaluation = session.scalars(select(DrillEvaluationRow).where(
            DrillEvaluationRow.ratings == "{}")).one()
        evaluation.ratings = stored
    figures = annual_figures(db, "keelung", 2026, TODAY)
    assert dict(figures.ratings).get(2, (3.0,))[0] == 3.0
    assert all(value in (None, 3.0) for _stage, values in figures.ratings for value in values)
