"""What needs the person at this PC now: the home screen's items (ui/review/home.py), read
in one go on the worker.

Each item says where its work is done (an incident, the drills, the corrective actions) so
that the screen opens it in one click; the words are the screen's, in the reader's language.
What is shown depends on the person's role and posts (models.org.people): a statement waits
for the legal group's review or the spokesperson's approval only on the PCs of those who may
give it, a report for sign-off only on the signers'.
"""

from __future__ import annotations

from collections.abc import Mapping
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from models.drills.deadlines import EvaluationDeadline, FollowUpDeadline, after_action
from models.drills.entities import DrillRow
from models.drills.queries import MonthSlot, UnitDrillState, drill_schedule
from models.drills.reports.actions import sign_refusal
from models.drills.reports.entities import DrillEvaluationRow, DrillReportRow
from models.drills.reports.queries import evaluation_events, report_events
from models.incidents.clocks import Clock
from models.incidents.clocks_report import ReportingClock, clock_of_view
from models.incidents.decisions import overdue_tasks
from models.incidents.progress import Missing, describe_missing, missing_for_stage
from models.incidents.queries import (
    IncidentSummary,
    OverdueNotice,
    incident_view,
    list_incidents,
    overdue_notifications,
)
from models.incidents.situation_reports import Cadence, cadence_of_view, last_filed
from models.incidents.watch import WatchState, latest_reviews, watch_of_view
from models.org.people import Actor, Permission, Role
from models.playbook.store import playbook_at
from models.core.errors import UserError
from models.review.actions import FollowedAction, followed_actions
from models.review.report import office_unit_names
from models.storage.db import Database

log = logging.getLogger(__name__)

DUE_SOON = timedelta(days=14)
"""A corrective action due within this is shown before it is late."""
MISSING_SHOWN = 2
"""The missing items of a stage named on the home screen (the wizard lists them all)."""


@dataclass(frozen=True)
class StageGaps:
    """What an open incident's current stage still needs."""

    incident: IncidentSummary
    stage: int
    missing: tuple[str, ...]
    """The first MISSING_SHOWN, in the reader's language."""
    count: int


@dataclass(frozen=True)
class StatementWaiting:
    incident: IncidentSummary
    statement_title: str
    version: int
    step: str
    """"legal_review" or "approved": the act it waits for."""


@dataclass(frozen=True)
class InquiryClock:
    """A legal clock of a legislator's inquiry still running (models.incidents.clocks)."""

    incident: IncidentSummary
    rep_name: str
    clock: Clock


@dataclass(frozen=True)
class LateTask:
    """A task of an open incident's board past its due time and not done."""

    incident: IncidentSummary
    description: str
    owner: str
    due_at: datetime


@dataclass(frozen=True)
class SignOffWaiting:
    drill_id: str
    month: date
    unit_key: str
    kind: str
    """"report" or "evaluation"."""


@dataclass(frozen=True)
class ReportingLate:
    """An open incident whose level's post was not told within the office's limit."""

    incident: IncidentSummary
    clock: ReportingClock
    post: Mapping[str, str]
    """The name of the group the level names, in every language."""


@dataclass(frozen=True)
class ReportDue:
    """An open incident whose level sets a cadence of situation reports: when the next is
    due (late: overdue)."""

    incident: IncidentSummary
    due: Cadence
    late: bool


@dataclass(frozen=True)
class WatchDue:
    """An incident on the watch list whose review is due (late: its day has passed)."""

    incident: IncidentSummary
    watch: WatchState
    late: bool


@dataclass(frozen=True)
class Needs:
    incidents: tuple[IncidentSummary, ...]
    late_notices: tuple[OverdueNotice, ...]
    gaps: tuple[StageGaps, ...]
    statements: tuple[StatementWaiting, ...]
    sign_offs: tuple[SignOffWaiting, ...]
    actions: tuple[FollowedAction, ...]
    overdue_units: tuple[UnitDrillState, ...]
    this_month: MonthSlot | None
    levels: Mapping[str, Mapping[str, str]]
    """The playbook's level names by key, in every language (the screen picks one)."""
    units: Mapping[str, str]
    """The office's unit names by key, removed ones too (models.review.report)."""
    late_reporting: tuple[ReportingLate, ...] = ()
    reports_due: tuple[ReportDue, ...] = ()
    watch_due: tuple[WatchDue, ...] = ()
    inquiry_clocks: tuple[InquiryClock, ...] = ()
    """Every running clock of the open incidents' inquiries, shown to everyone: the
    registration of a request for favour is the duty of whoever took it, who may be anyone
    on the team, and a late reply to the Legislative Yuan is the office's."""
    today: date | None = None
    """The day (Taipei) the clocks were counted on."""
    late_tasks: tuple[LateTask, ...] = ()
    """Every open incident's overdue tasks: the crisis team's, shown on every PC."""
    unit_every_months: int = 6
    """The office's minimum per unit (its playbook's drill rules): the overdue units' span."""
    late_evaluations: tuple[EvaluationDeadline, ...] = ()
    """Held drills whose evaluation is past its after-action deadline (for those who follow
    the drills: the planning group, the executive secretary)."""
    late_follow_ups: tuple[FollowUpDeadline, ...] = ()
    """Open corrective actions of drills past their follow-up day that `actions` does not
    show already (for those who follow the drills)."""

    def count(self) -> int:
        """The items that ask something of the person (open incidents are their context)."""
        return (len(self.late_notices) + len(self.gaps) + len(self.statements)
                + len(self.sign_offs) + len(self.actions) + len(self.overdue_units)
                + len(self.late_reporting) + sum(1 for r in self.reports_due if r.late)
                + len(self.watch_due) + len(self.overdue_clocks()) + len(self.late_tasks)
                + len(self.late_evaluations) + len(self.late_follow_ups))

    def overdue_clocks(self) -> list[InquiryClock]:
        today = self.today
        return [] if today is None else [c for c in self.inquiry_clocks
                                         if c.clock.overdue(today)]


def what_needs_me(db: Database, office_code: str, actor: Actor, now: datetime,
                  today: date, ack_minutes: int) -> Needs:
    """The home screen's items for *actor*, as of *now* (UTC) and *today* (Taipei)."""
    incidents = tuple(i for i in list_incidents(db, office_code, now, ack_minutes)
                      if not i.is_example and not i.is_drill)  # a drill raises no alarm
    gaps: list[StageGaps] = []
    statements: list[StatementWaiting] = []
    late_reporting: list[ReportingLate] = []
    reports_due: list[ReportDue] = []
    filed = last_filed(db, [i.id for i in incidents])
    watch_due: list[WatchDue] = []
    reviewed = latest_reviews(db, [i.id for i in incidents])
    clocks: list[InquiryClock] = []
    late_tasks: list[LateTask] = []
    for incident in incidents:
        try:  # one incident another PC wrote oddly (a level this playbook lacks) must not
            # take every other item off the screen with it
            view = incident_view(db, incident.id, now, ack_minutes)
            missing: list[Missing] = missing_for_stage(view, view.current_stage)
            described = tuple(describe_missing(view, m) for m in missing[:MISSING_SHOWN])
        except (KeyError, ValueError, UserError):
            log.warning("incident %s: what its stage lacks cannot be worked out", incident.id,
                        exc_info=True)
            continue
        if missing:
            gaps.append(StageGaps(incident, view.current_stage, described, len(missing)))
        clock = clock_of_view(view)
        if clock is not None and clock.overdue(now):
            late_reporting.append(ReportingLate(incident, clock,
                                                view.playbook.group(clock.group).name))
        due = cadence_of_view(view, filed.get(incident.id))
        if due is not None:
            reports_due.append(ReportDue(incident, due, due.overdue(now)))
        watch = watch_of_view(view, reviewed.get(incident.id))
        if watch is not None and watch.due(today):
            watch_due.append(WatchDue(incident, watch, watch.next_review < today))
        clocks += [InquiryClock(incident, i.rep_name, c) for i in view.inquiries
                   for c in i.clocks() if c.done_on is None]
        late_tasks.extend(LateTask(incident, t.description, t.owner, t.due_at)
                          for t in overdue_tasks(view, now) if t.due_at is not None)
        for statement in view.statements:
            if not statement.versions:
                continue
            number = max(v.number for v in statement.versions)
            done = statement.events_of(number)
            if "released" in done:
                continue
            if "legal_review" not in done and actor.may(Permission.REVIEW_STATEMENT):
                statements.append(StatementWaiting(incident, statement.title, number,
                                                   "legal_review"))
            elif ("legal_review" in done and "approved" not in done
                  and actor.may(Permission.APPROVE_STATEMENT)):
                statements.append(StatementWaiting(incident, statement.title, number,
                                                   "approved"))
    schedule = drill_schedule(db, office_code, today)
    units = office_unit_names(db, office_code)
    with db.session() as session:
        levels = {lv.key: lv.name for lv in playbook_at(session, None).levels}
    this_month = next((m for m in schedule.months
                       if (m.month.year, m.month.month) == (today.year, today.month)), None)
    if this_month is not None and not this_month.wanted:
        this_month = None  # the period's drill is in another month: nothing to draw now
    actions = _actions(db, office_code, actor, today, units)
    late_evaluations, late_follow_ups = _after_action(db, office_code, actor, today, actions)
    return Needs(
        incidents=incidents,
        late_notices=tuple(n for n in overdue_notifications(db, office_code, now, ack_minutes)
                           if n.incident_id in {i.id for i in incidents}),
        gaps=tuple(gaps), statements=tuple(statements),
        sign_offs=_sign_offs(db, office_code, actor) if actor.may(Permission.SIGN_OFF) else (),
        actions=actions,
        overdue_units=schedule.overdue if _follows_drills(actor) else (),
        this_month=this_month, levels=levels, units=units,
        late_reporting=tuple(late_reporting),
        reports_due=tuple(sorted(reports_due, key=lambda r: r.due.due_at)),
        watch_due=tuple(sorted(watch_due, key=lambda w: w.watch.next_review)),
        inquiry_clocks=tuple(sorted(clocks, key=lambda c: c.clock.due_day)), today=today,
        late_tasks=tuple(late_tasks), unit_every_months=schedule.rules.unit_every_months,
        late_evaluations=late_evaluations, late_follow_ups=late_follow_ups)


def _follows_drills(actor: Actor) -> bool:
    return actor.may(Permission.PLAN_DRILLS) or actor.may(Permission.DRAW_DRILL_UNIT)


def _after_action(db: Database, office_code: str, actor: Actor, today: date,
                  actions: tuple[FollowedAction, ...],
                  ) -> tuple[tuple[EvaluationDeadline, ...], tuple[FollowUpDeadline, ...]]:
    """The drills' evaluations and corrective actions past their after-action deadlines,
    for those who follow the drills; an action listed among *actions* (overdue on its own
    due day) is not listed twice."""
    if not _follows_drills(actor):
        return (), ()
    deadlines = after_action(db, office_code, open_only=True)
    shown = {a.action_id for a in actions}
    return (deadlines.late_evaluations(today),
            tuple(f for f in deadlines.late_follow_ups(today) if f.action_id not in shown))


def _actions(db: Database, office_code: str, actor: Actor, today: date,
             names: Mapping[str, str]) -> tuple[FollowedAction, ...]:
    """Corrective actions overdue or due within DUE_SOON: the person's own (named as owner)
    and their unit's; every one for those who follow them up for the office (the planning
    group, the executive secretary, the commander)."""
    everyone = actor.role in (Role.PLANNING, Role.SECRETARY, Role.COMMANDER)
    mine = [n for n in (names.get(actor.unit, ""), actor.name) if len(n) >= 2]

    def ours(action: FollowedAction) -> bool:
        """The unit's case or drill, or the owner naming the unit or the person."""
        owner = "".join(action.owner.split())
        return action.unit_key == actor.unit or any(n in owner for n in mine)

    return tuple(a for a in followed_actions(db, office_code, today, due_by=today + DUE_SOON)
                 if everyone or ours(a))


def _sign_offs(db: Database, office_code: str, actor: Actor) -> tuple[SignOffWaiting, ...]:
    """Drill reports and evaluations submitted for sign-off (陳核) that *actor* may sign now
    (not their own box signed already, not what they submitted, not the other box they
    signed: models.drills.reports.actions.sign_refusal), oldest month first."""
    found: list[SignOffWaiting] = []
    office = (DrillRow.office_code == office_code, DrillRow.deleted_at.is_(None))
    with db.session() as session:
        for report, month, unit_key in session.execute(
                select(DrillReportRow, DrillRow.month, DrillRow.unit_key)
                .join(DrillRow, DrillReportRow.drill_id == DrillRow.id)
                .where(*office, DrillReportRow.deleted_at.is_(None),
                       DrillReportRow.status == "submitted")):
            if sign_refusal(actor, locked=False, submitted=True,
                            events=report_events(session, report.id),
                            number=report.version or 0) == "":
                found.append(SignOffWaiting(report.drill_id, month, unit_key, "report"))
        for evaluation, month, unit_key in session.execute(
                select(DrillEvaluationRow, DrillRow.month, DrillRow.unit_key)
                .join(DrillRow, DrillEvaluationRow.drill_id == DrillRow.id)
                .where(*office, DrillEvaluationRow.deleted_at.is_(None),
                       DrillEvaluationRow.status == "submitted")):
            if sign_refusal(actor, locked=False, submitted=True,
                            events=evaluation_events(session, evaluation.id), number=0) == "":
                found.append(SignOffWaiting(evaluation.drill_id, month, unit_key, "evaluation"))
    return tuple(sorted(found, key=lambda s: (s.month, s.kind)))
