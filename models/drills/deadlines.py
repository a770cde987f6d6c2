"""The after-action deadlines of a drill (HSEEP's after-action practice, set by the office in
its playbook's drill rules, models.playbook.drill_rules): the evaluation is due a number of
days after the drill (30 by default), and each corrective action's follow-up another number
(60 by default) when the action has no due day of its own.

Both are counted from the day of the drill in Taipei (models.drills.queries.drill_day: the day
it was held, else the day it was planned for, else its month's first day) with the current
playbook's rules, so an office that changes them changes the open deadlines too. A deadline's
day is still on time; it is overdue from the next day on.

The evaluation counts as done once the planning group has submitted it for approval (陳核) or
it is signed: its signatures are the signers' items (the home screen's sign-offs). A returned
evaluation is the planning group's again, and overdue if its day has passed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models.drills.entities import DrillRow
from models.drills.kinds import HELD_STATUSES
from models.drills.queries import drill_day
from models.drills.reports.entities import DrillCorrectiveActionRow, DrillEvaluationRow
from models.playbook.drill_rules import DrillRules
from models.playbook.store import playbook_at
from models.storage.db import Database

EVALUATION_DONE = frozenset({"submitted", "signed"})
"""Evaluation statuses that meet the deadline (models.drills.reports.entities)."""


def evaluation_due(day: date, rules: DrillRules) -> date:
    """The last day the evaluation of a drill held on *day* is on time."""
    return day + timedelta(days=rules.evaluation_within_days)


def follow_up_due(day: date, own_due: date | None, rules: DrillRules) -> date:
    """The day a corrective action of a drill held on *day* is to be followed up by: its own
    due day if it has one, else the office's number of days after the drill."""
    return own_due if own_due is not None else day + timedelta(days=rules.follow_up_within_days)


@dataclass(frozen=True)
class EvaluationDeadline:
    """A held drill's evaluation against its deadline."""

    drill_id: str
    month: date
    unit_key: str
    drill_day: date
    due: date
    status: str
    """The evaluation's status, or "" when none is started."""

    @property
    def done(self) -> bool:
        return self.status in EVALUATION_DONE

    def overdue(self, today: date) -> bool:
        return not self.done and today > self.due


@dataclass(frozen=True)
class FollowUpDeadline:
    """An open corrective action of a drill's evaluation against its follow-up day."""

    action_id: str
    drill_id: str
    month: date
    unit_key: str
    description: str
    owner: str
    drill_day: date
    due: date
    own_due: bool
    """The action has its own due day (else the office's days after the drill)."""

    def overdue(self, today: date) -> bool:
        return today > self.due


@dataclass(frozen=True)
class AfterAction:
    """The deadlines of the drills read, and the rules they were computed with."""

    rules: DrillRules
    evaluations: tuple[EvaluationDeadline, ...]
    follow_ups: tuple[FollowUpDeadline, ...]

    def late_evaluations(self, today: date) -> tuple[EvaluationDeadline, ...]:
        return tuple(e for e in self.evaluations if e.overdue(today))

    def late_follow_ups(self, today: date) -> tuple[FollowUpDeadline, ...]:
        return tuple(f for f in self.follow_ups if f.overdue(today))


def _evaluations(session: Session, drills: list[DrillRow]) -> dict[str, tuple[str, str]]:
    """(evaluation id, status) of each drill's evaluation: one per drill, and should two PCs
    have made one each, the first, the one the app shows and works on
    (models.drills.reports.queries.drill_evaluation)."""
    found: dict[str, tuple[str, str]] = {}
    for drill_id, evaluation_id, value in session.execute(
            select(DrillEvaluationRow.drill_id, DrillEvaluationRow.id,
                   DrillEvaluationRow.status)
            .where(DrillEvaluationRow.drill_id.in_([d.id for d in drills]),
                   DrillEvaluationRow.deleted_at.is_(None))
            .order_by(DrillEvaluationRow.created_at)):
        found.setdefault(drill_id, (evaluation_id, value))
    return found


def _evaluation_deadlines(drills: list[DrillRow], evaluations: dict[str, tuple[str, str]],
                          rules: DrillRules) -> list[EvaluationDeadline]:
    status = {drill_id: value for drill_id, (_id, value) in evaluations.items()}
    return [EvaluationDeadline(d.id, d.month, d.unit_key, drill_day(d),
                               evaluation_due(drill_day(d), rules),
                               "signed" if d.status == "evaluated" else status.get(d.id, ""))
            for d in drills]


def _follow_up_deadlines(session: Session, drills: list[DrillRow],
                         evaluations: dict[str, tuple[str, str]],
                         rules: DrillRules) -> list[FollowUpDeadline]:
    by_id = {d.id: d for d in drills}
    found = []
    for action, drill_id in session.execute(
            select(DrillCorrectiveActionRow, DrillEvaluationRow.drill_id)
            .join(DrillEvaluationRow,
                  DrillEvaluationRow.id == DrillCorrectiveActionRow.evaluation_id)
            .where(DrillEvaluationRow.id.in_([e for e, _s in evaluations.values()]),
                   DrillCorrectiveActionRow.deleted_at.is_(None),
                   DrillCorrectiveActionRow.status != "done")
            .order_by(DrillCorrectiveActionRow.sort_order)):
        drill = by_id[drill_id]
        day = drill_day(drill)
        found.append(FollowUpDeadline(action.id, drill.id, drill.month, drill.unit_key,
                                      action.description, action.owner, day,
                                      follow_up_due(day, action.due, rules),
                                      action.due is not None))
    return found


def after_action(db: Database, office_code: str,
                 drill_ids: Iterable[str] | None = None, *, open_only: bool = False
                 ) -> AfterAction:
    """The evaluation deadline of every held drill of the office (or of *drill_ids* only) and
    the follow-up day of every open corrective action of their evaluations, soonest first.
    *open_only*: only the drills something is still owed for (not yet evaluated, or with an
    open corrective action), as Home asks on every refresh: an office's ten years of
    evaluated drills cost it nothing."""
    with db.session() as session:
        rules = playbook_at(session, None).drill.rules
        query = select(DrillRow).where(DrillRow.office_code == office_code,
                                       DrillRow.deleted_at.is_(None),
                                       DrillRow.status.in_(HELD_STATUSES))
        if drill_ids is not None:
            query = query.where(DrillRow.id.in_(list(drill_ids)))
        if open_only:
            owed = (select(DrillEvaluationRow.drill_id)
                    .join(DrillCorrectiveActionRow,
                          DrillCorrectiveActionRow.evaluation_id == DrillEvaluationRow.id)
                    .where(DrillCorrectiveActionRow.deleted_at.is_(None),
                           DrillCorrectiveActionRow.status != "done"))
            query = query.where(or_(DrillRow.status != "evaluated", DrillRow.id.in_(owed)))
        drills = list(session.scalars(query))
        shown = _evaluations(session, drills)
        evaluations = _evaluation_deadlines(drills, shown, rules)
        follow_ups = _follow_up_deadlines(session, drills, shown, rules)
    return AfterAction(rules, tuple(sorted(evaluations, key=lambda e: (e.due, e.month))),
                       tuple(sorted(follow_ups, key=lambda f: (f.due, f.month))))
