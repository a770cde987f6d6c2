"""The after-action deadlines: the evaluation due a set number of days after the drill, the
corrective actions' follow-up another (its own due day first), counted from the day of the
drill in Taipei, overdue from the day after; on the home screen of those who follow drills."""

from __future__ import annotations

from datetime import UTC, date, datetime

from models.drills.deadlines import after_action, evaluation_due, follow_up_due
from models.drills.entities import DrillRow
from models.drills.reports.entities import (
    DrillCorrectiveActionRow,
    DrillEvaluationRow,
    DrillReportRow,
)
from models.org.people import Actor, Role
from models.playbook.drill_rules import DrillRules
from models.review.dashboard import what_needs_me
from models.storage.db import Database
from tests.unit.drills.test_drill_rules_schedule import set_rules

LATE_EVENING = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)
"""00:30 on 2 March in Taipei: the drill's day is the 2nd, not the 1st (UTC)."""


def drill(db: Database, *, held_at: datetime | None = LATE_EVENING,
          planned_at: datetime | None = None, status: str = "reported",
          evaluation: str | None = None,
          actions: tuple[tuple[str, date | None, str], ...] = ()) -> str:
    """A drill, its report and (when *evaluation* names a status) its evaluation with
    corrective actions (description, own due day, status)."""
    with db.session() as session:
        row = DrillRow(office_code="keelung", month=date(2026, 3, 1), unit_key="ops1",
                       category_key="clearance", status=status, held_at=held_at,
                       planned_at=planned_at, updated_by="test")
        session.add(row)
        session.flush()
        if evaluation is not None:
            report = DrillReportRow(drill_id=row.id, status="signed")
            session.add(report)
            session.flush()
            ev = DrillEvaluationRow(drill_id=row.id, report_id=report.id, report_version=1,
                                    status=evaluation)
            session.add(ev)
            session.flush()
            for n, (text, due, state) in enumerate(actions):
                session.add(DrillCorrectiveActionRow(evaluation_id=ev.id, description=text,
                                                     owner="業務一課", due=due, status=state,
                                                     sort_order=n))
        return row.id


def test_the_days_count_from_the_drill() -> None:
    rules = DrillRules()
    assert evaluation_due(date(2026, 3, 2), rules) == date(2026, 4, 1)
    assert follow_up_due(date(2026, 3, 2), None, rules) == date(2026, 5, 1)
    assert follow_up_due(date(2026, 3, 2), date(2026, 3, 20), rules) == date(2026, 3, 20)
    own = DrillRules(evaluation_within_days=14, follow_up_within_days=45)
    assert evaluation_due(date(2026, 3, 2), own) == date(2026, 3, 16)
    assert follow_up_due(date(2026, 3, 2), None, own) == date(2026, 4, 16)


def test_the_evaluation_is_overdue_from_the_day_after_its_due_day_in_taipei(
        db: Database) -> None:
    drill_id = drill(db)
    [deadline] = after_action(db, "keelung").evaluations
    assert (deadline.drill_id, deadline.drill_day, deadline.due) == (
        drill_id, date(2026, 3, 2), date(2026, 4, 1))
    assert not deadline.overdue(date(2026, 4, 1))
    assert deadline.overdue(date(2026, 4, 2))


def test_an_evaluation_submitted_or_signed_meets_the_deadline(db: Database) -> None:
    drill(db, evaluation="draft")
    drill(db, evaluation="returned")
    drill(db, evaluation="submitted")
    drill(db, evaluation="signed", status="evaluated")
    late = after_action(db, "keelung").late_evaluations(date(2026, 5, 1))
    assert sorted(e.status for e in late) == ["draft", "returned"]


def test_a_drill_not_held_has_no_evaluation_due_and_a_planned_day_stands_in(
        db: Database) -> None:
    drill(db, held_at=None, status="planned")
    planned = drill(db, held_at=None, planned_at=datetime(2026, 3, 9, 2, tzinfo=UTC),
                    status="held")
    [deadline] = after_action(db, "keelung").evaluations
    assert (deadline.drill_id, deadline.due) == (planned, date(2026, 4, 8))


def test_the_follow_up_of_open_actions(db: Database) -> None:
    drill(db, evaluation="signed", status="evaluated", actions=(
        ("修訂通報名冊", None, "open"),                   # due 60 days after 2 March: 1 May
        ("補充備援電話", date(2026, 3, 20), "open"),      # its own day
        ("演練場地", None, "done")))                       # done: nothing to follow up
    follow_ups = after_action(db, "keelung").follow_ups
    assert [(f.description, f.due, f.own_due) for f in follow_ups] == [
        ("補充備援電話", date(2026, 3, 20), True), ("修訂通報名冊", date(2026, 5, 1), False)]
    after = after_action(db, "keelung")
    assert [f.description for f in after.late_follow_ups(date(2026, 5, 1))] == ["補充備援電話"]
    assert len(after.late_follow_ups(date(2026, 5, 2))) == 2


def test_the_offices_days_apply(db: Database) -> None:
    set_rules(db, evaluation_within_days=14, follow_up_within_days=45)
    drill(db, evaluation="draft", actions=(("修訂通報名冊", None, "open"),))
    after = after_action(db, "keelung")
    assert after.evaluations[0].due == date(2026, 3, 16)
    assert after.follow_ups[0].due == date(2026, 4, 16)


def test_home_shows_the_overdue_to_those_who_follow_drills(db: Database) -> None:
    drill(db, evaluation="signed", status="evaluated", actions=(
        ("修訂通報名冊", None, "open"), ("補充備援電話", date(2026, 3, 20), "open")))
    drill(db)  # held, no evaluation
    now, today = datetime(2026, 5, 2, 2, tzinfo=UTC), date(2026, 5, 2)
    planner = what_needs_me(db, "keelung", Actor("林企劃", Role.PLANNING, "secretariat"),
                            now, today, 10)
    assert [e.status for e in planner.late_evaluations] == [""]
    # the action with its own day is among the corrective actions already: not twice
    assert [a.description for a in planner.actions] == ["補充備援電話"]
    assert [f.description for f in planner.late_follow_ups] == ["修訂通報名冊"]
    assert planner.count() >= 3
    head = what_needs_me(db, "keelung", Actor("陳組長", Role.UNIT_HEAD, "ops1"), now, today, 10)
    assert (head.late_evaluations, head.late_follow_ups) == ((), ())


def test_two_evaluations_of_one_drill_count_as_the_one_the_screen_shows(db: Database) -> None:
    """Two PCs each started the evaluation of the same drill: the app works on the first
    (models.drills.reports.queries.drill_evaluation), so the deadline reads its status and
    its corrective actions only, not the other's."""
    from datetime import timedelta

    from models.drills.reports.queries import drill_evaluation

    drill_id = drill(db, evaluation="submitted", actions=(("更新通報名冊", None, "open"),))
    with db.session() as session:
        first = drill_evaluation(session, drill_id)
        assert first is not None
        later = DrillEvaluationRow(drill_id=drill_id, report_id=first.report_id,
                                   report_version=1, status="draft",
                                   created_at=first.created_at + timedelta(minutes=5))
        session.add(later)
        session.flush()
        session.add(DrillCorrectiveActionRow(evaluation_id=later.id, description="另一台的項目",
                                             owner="業務一課", due=None, status="open"))
    with db.session() as session:
        shown = drill_evaluation(session, drill_id)
        assert shown is not None and shown.status == "submitted"
    deadlines = after_action(db, "keelung")
    (evaluation,) = deadlines.evaluations
    assert evaluation.status == "submitted" and evaluation.done
    assert [f.description for f in deadlines.follow_ups] == ["更新通報名冊"]
