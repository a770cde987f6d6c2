"""The annual review's figures on a made-up year with known answers (ROC 115, 2026), including
the edges the procedure's review would get wrong by hand: an incident started on New Year's
Eve in Taipei (the UTC date is the day before), one started in 2026 and archived in 2027, a
level raised mid-way, a deputy's acknowledgement, a notification that reached nobody first,
an example case, and drills, which are never incidents."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from models.drills.entities import DrillRow
from models.drills.reports.entities import (
    DrillCorrectiveActionRow,
    DrillEvaluationRow,
    DrillReportRow,
)
from models.incidents.entities import (
    AcknowledgementRow,
    CorrectiveActionRow,
    IncidentFieldRow,
    IncidentRow,
    NotificationRow,
    StatementEventRow,
    StatementRow,
    TimelineRow,
)
from models.org.entities import UnitRow
from models.review.figures import STEPS, AnnualFigures, annual_figures, review_years
from models.storage.db import Database

TODAY = date(2026, 12, 7)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def incident(db: Database, title: str, start: datetime, level: str, *, category: str =
             "clearance", subtype: str = "", unit: str = "ops1", source: str = "internal",
             archived: datetime | None = None, example: bool = False) -> str:
    with db.session() as session:
        row = IncidentRow(office_code="keelung", title=title, started_at=start, source=source,
                          category_key=category, subtype_key=subtype, level_key=level,
                          reporting_unit=unit, is_example=example,
                          status="archived" if archived else "open", archived_at=archived)
        session.add(row)
        session.flush()
        if archived is not None:  # as archiving (and an import) writes it
            session.add(TimelineRow(incident_id=row.id, kind="archived", event_at=archived,
                                    author="陳組長", role="unit_head"))
        return str(row.id)


def notify(db: Database, incident_id: str, at: datetime, *, outcome: str = "reached",
           acked: datetime | None = None, acting_for: str = "") -> None:
    with db.session() as session:
        note = NotificationRow(incident_id=incident_id, target_group="commander",
                               recipient="王代理" if acting_for else "李總指揮",
                               acting_for=acting_for, means="phone", outcome=outcome,
                               notified_at=at, entered_by="陳組長", role="unit_head")
        session.add(note)
        session.flush()
        if acked is not None:
            session.add(AcknowledgementRow(notification_id=note.id, acked_at=acked,
                                           entered_by="陳組長"))


def field(db: Database, incident_id: str, key: str, value: str) -> None:
    with db.session() as session:
        session.add(IncidentFieldRow(incident_id=incident_id, key=key, value=value))


def released(db: Database, incident_id: str, at: datetime) -> None:
    with db.session() as session:
        statement = StatementRow(incident_id=incident_id, kind="clarification", title="說明")
        session.add(statement)
        session.flush()
        for event, moment in (("legal_review", at - timedelta(minutes=30)),
                              ("released", at), ("released", at + timedelta(hours=2))):
            session.add(StatementEventRow(statement_id=statement.id, version_number=1,
                                          event=event, event_at=moment, entered_by="公關組"))


def corrective(db: Database, incident_id: str, opened: datetime, due: date | None,
               done: datetime | None) -> None:
    with db.session() as session:
        session.add(CorrectiveActionRow(
            incident_id=incident_id, description="修訂查驗作業流程", owner="查驗課",
            due=due, status="done" if done else "open", created_at=opened,
            updated_at=done or opened))


def drill(db: Database, unit: str, held: datetime, category: str,
          ratings: dict[int, int] | None = None,
          action: tuple[datetime, date, datetime | None] | None = None,
          evaluation: str = "signed") -> None:
    with db.session() as session:
        row = DrillRow(office_code="keelung", month=date(held.year, held.month, 1),
                       unit_key=unit, category_key=category, status="evaluated",
                       held_at=held)
        session.add(row)
        session.flush()
        report = DrillReportRow(drill_id=row.id, status="signed")
        session.add(report)
        session.flush()
        evaluated = DrillEvaluationRow(drill_id=row.id, report_id=report.id, report_version=1,
                                       status=evaluation, ratings=json.dumps(
                                            {str(k): v for k, v in (ratings or {}).items()}))
        session.add(evaluated)
        session.flush()
        if action is not None:
            opened, due, done = action
            session.add(DrillCorrectiveActionRow(
                evaluation_id=evaluated.id, description="加強通報演練", owner="業務一組",
                due=due, status="done" if done else "open", created_at=opened,
                updated_at=done or opened))


@pytest.fixture
def year(db: Database) -> AnnualFigures:
    make_year(db)
    return annual_figures(db, "keelung", 2026, TODAY)


def make_year(db: Database) -> None:
    """The made-up year 2026 (ROC 115) every test of this module knows the answers of."""
    # A: high (raised from medium mid-way), a deputy acknowledges, the whole procedure run.
    a = incident(db, "貨櫃夾藏加熱菸", utc(2026, 3, 10, 2), "high", subtype="",
                 archived=utc(2026, 3, 13, 2))
    with db.session() as session:
        session.add(TimelineRow(incident_id=a, kind="level", event_at=utc(2026, 3, 10, 3),
                                data=json.dumps({"from": "medium", "to": "high",
                                                 "reason": "媒體關注"}),
                                author="陳組長", role="unit_head"))
    notify(db, a, utc(2026, 3, 10, 2, 12), acked=utc(2026, 3, 10, 2, 20), acting_for="李總指揮")
    field(db, a, "s2.meeting_at", "2026-03-10T03:00:00Z")
    field(db, a, "s6.lessons", "夜間通報名冊須每月更新")
    released(db, a, utc(2026, 3, 10, 5))
    corrective(db, a, utc(2026, 3, 13, 1), date(2026, 4, 1), utc(2026, 5, 1))  # done late
    corrective(db, a, utc(2026, 3, 13, 1), date(2026, 6, 1), None)  # open, overdue
    # B: medium; the first call reached nobody, the second did, never acknowledged.
    b = incident(db, "輿情：網路謠言", utc(2026, 7, 1, 1), "medium", category="public_opinion",
                 subtype="po_1", unit="ops2", source="media")
    notify(db, b, utc(2026, 7, 1, 1, 5), outcome="no_answer")
    notify(db, b, utc(2026, 7, 1, 1, 30))
    corrective(db, b, utc(2026, 7, 2), None, utc(2026, 7, 20))  # done, no due: on time
    # C: medium, New Year's Eve 23:00 in Taipei, archived in 2027: counted in 2026.
    c = incident(db, "跨年夜港區事故", utc(2026, 12, 31, 15), "medium", category="emergency",
                 subtype="em_1", archived=utc(2027, 1, 5, 15))
    notify(db, c, utc(2026, 12, 31, 15, 10), acked=utc(2026, 12, 31, 15, 40))
    # Not 2026's: 04:00 on 1 January 2027 in Taipei, though 31 December in UTC.
    incident(db, "元旦清晨", utc(2026, 12, 31, 20), "low")
    # Not counted: an example case of 2026.
    incident(db, "範例案件", utc(2026, 5, 5, 5), "high", example=True)
    # Drills: ops1 in October, then March and August (kept the half-year rule); ops2 in
    # January only.
    drill(db, "ops1", utc(2025, 10, 1, 2), "emergency")
    drill(db, "ops1", utc(2026, 3, 20, 2), "clearance", {1: 3, 2: 4},
          action=(utc(2026, 3, 25), date(2026, 5, 1), utc(2026, 4, 20)))
    drill(db, "ops1", utc(2026, 8, 20, 2), "emergency", {1: 2})
    drill(db, "ops2", utc(2026, 1, 15, 2), "clearance", {1: 4})
    drill(db, "ops2", utc(2025, 9, 15, 2), "legislator")  # last year's


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
