"""The year's figures of the team's crisis work, for the annual review (定期就危機管理作業予以
檢討、評估): what happened, how fast the team responded, what it learned and followed up, and
how the units practised.

Plain data of keys and numbers, no labels: the report and the screen name them in the
reader's language (models/review/report.py). Read in one snapshot, a year at a time, with the
year's rows only, so a busy office's ten years cost what its one year does.

What counts (docs/review.md says it for users):
- real incidents only: the example cases (is_example) and drills (their own tables) never;
- an incident belongs to the year (Taipei time) it started in, even when it ends or is
  archived in the next;
- it counts under the level it was last set to: the level that decided whom the procedure
  had told by the end;
- a response time runs from the incident's start to the first notification that reached its
  person, the first acknowledgement (a deputy's counts: they took it for the post), the stage
  2 meeting, the first statement released and the archiving; an incident without that step
  is left out of that step's figures, and the count beside each figure says how many it has;
- a corrective action belongs to the year it was opened in; it is done on time when it was
  last saved as done (its updated_at; saving it unchanged does not move it) on or before its
  due day, or has no due day; open, and overdue, are today's state, for a past year too;
- the archiving is the case's "archived" timeline entry: an imported case's says when the
  case was closed, where its archived_at is the moment of the import;
- drills are those that took place, counted in the year of the day they were held, for every
  unit active now or drilled in the year; ratings and corrective actions are those of signed
  evaluations only (a draft may still change).
"""

from __future__ import annotations

import logging
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from i18n.roc import roc_year
from models.core.batches import batches
from models.drills.entities import DrillRow
from models.drills.kinds import HELD_STATUSES, TAIPEI, half_year_due, taipei_date
from models.drills.queries import active_units, drill_day
from models.drills.reports.entities import DrillCorrectiveActionRow, DrillEvaluationRow
from models.drills.reports.kinds import RATINGS
from models.drills.reports.queries import load_ratings
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
from models.incidents.queries import format_number, sequences, stage_time
from models.incidents.real import real
from models.storage.db import Database

log = logging.getLogger(__name__)

_BATCH = 500
"""Incidents per query of their notifications, releases and fields."""

STEPS = ("notified", "acknowledged", "meeting", "statement", "archived")
"""The response steps timed from an incident's start, in the procedure's order."""


@dataclass(frozen=True)
class Timing:
    """Minutes from start to one step over the incidents that reached it."""

    count: int
    median: float | None
    longest: float | None

    @classmethod
    def of(cls, minutes: Sequence[float]) -> Timing:
        if not minutes:
            return cls(0, None, None)
        return cls(len(minutes), float(statistics.median(minutes)), max(minutes))


@dataclass(frozen=True)
class LevelTimes:
    level_key: str
    incidents: int
    steps: tuple[Timing, ...]
    """One Timing per STEPS entry, in its order."""


@dataclass(frozen=True)
class CaseLine:
    """An incident of the year, for the list of cases and their lessons."""

    incident_id: str
    number: str
    title: str
    category_key: str
    level_key: str
    started_at: datetime
    archived_at: datetime | None
    lessons: str
    classification: str = ""
    """Its 密等 (models.playbook.records): the list flags a case marked 密 or above."""


@dataclass(frozen=True)
class ActionLine:
    """A corrective action opened in the year, from an incident or a drill evaluation."""

    source: str
    """"incident" or "drill"."""
    reference: str
    """The case number; for a drill's, the drill's unit key (its month is *drill_month*)."""
    description: str
    owner: str
    due: date | None
    status: str
    closed_on: date | None
    """The day it was last saved as done (Taipei), None while open."""
    drill_month: date | None = None

    def on_time(self) -> bool:
        return self.closed_on is not None and (self.due is None or self.closed_on <= self.due)

    def overdue(self, today: date) -> bool:
        return self.closed_on is None and self.due is not None and self.due < today


@dataclass(frozen=True)
class ActionCounts:
    opened: int
    done_on_time: int
    done_late: int
    open: int
    open_overdue: int


@dataclass(frozen=True)
class UnitDrills:
    """One active unit's drills of the year and the half-year rule (at least every half year,
    reference 003) over it: kept when no day of the year (up to *as_of*) was past its due."""

    unit_key: str
    held: int
    by_category: tuple[tuple[str, int], ...]
    last_held: date | None
    compliant: bool


@dataclass(frozen=True)
class AnnualFigures:
    office_code: str
    year: int
    """Gregorian; roc_year gives the ROC one."""
    as_of: date
    """The last day the figures cover: the day they were read (Taipei), or the year's last
    day for a past year."""
    today: date
    """The day they were read: what is open and overdue is as of this day."""
    incidents: int
    by_category: tuple[tuple[str, int], ...]
    by_subtype: tuple[tuple[str, str, int], ...]
    by_level: tuple[tuple[str, int], ...]
    by_unit: tuple[tuple[str, int], ...]
    by_source: tuple[tuple[str, int], ...]
    by_month: tuple[int, ...]
    """Incidents started in each month, January first."""
    times: tuple[LevelTimes, ...]
    cases: tuple[CaseLine, ...]
    actions: tuple[ActionLine, ...]
    drills: tuple[UnitDrills, ...]
    ratings: tuple[tuple[int, tuple[float | None, ...]], ...]
    """Per stage number, the mean rating (1-4) of the evaluations of drills held in each
    quarter of the year (None: no evaluation that quarter)."""

    @property
    def roc_year(self) -> int:
        return roc_year(self.year)

    def action_counts(self, source: str | None = None) -> ActionCounts:
        lines = [a for a in self.actions if source is None or a.source == source]
        return ActionCounts(
            opened=len(lines),
            done_on_time=sum(1 for a in lines if a.on_time()),
            done_late=sum(1 for a in lines if a.closed_on is not None and not a.on_time()),
            open=sum(1 for a in lines if a.closed_on is None),
            open_overdue=sum(1 for a in lines if a.overdue(self.today)))


def annual_figures(db: Database, office_code: str, year: int, today: date) -> AnnualFigures:
    """The figures of Gregorian *year* for the office, as of *today* (Taipei); a year that has
    not begun has none (ValueError)."""
    if today < date(year, 1, 1):
        raise ValueError(f"{year} has not begun on {today}")
    as_of = min(today, date(year, 12, 31))
    begin = datetime(year, 1, 1, tzinfo=UTC) - TAIPEI
    end = datetime(year + 1, 1, 1, tzinfo=UTC) - TAIPEI
    with db.reading() as connection, Session(bind=connection) as session:
        incidents = list(session.scalars(
            select(IncidentRow).where(
                IncidentRow.office_code == office_code, IncidentRow.deleted_at.is_(None),
                IncidentRow.is_example.is_(False), IncidentRow.started_at >= begin,
                IncidentRow.started_at < end, real())
            .order_by(IncidentRow.started_at, IncidentRow.id)))
        ids = [i.id for i in incidents]
        moments = {step: _moments(session, ids, step) for step in _RECORDED}
        moments["meeting"] = {}
        fields = _fields(session, ids, ("s2.meeting_at", "s6.lessons"))
        numbers = sequences(session, office_code, [str(year)])
        actions = [*_incident_actions(session, office_code, begin, end, numbers),
                   *_drill_actions(session, office_code, begin, end)]
        drills, ratings = _drills(session, office_code, year, as_of)
    for (incident_id, key), value in fields.items():
        if key == "s2.meeting_at" and (meeting := stage_time(value)) is not None:
            moments["meeting"][incident_id] = [meeting]
    return AnnualFigures(
        office_code=office_code, year=year, as_of=as_of, today=today, incidents=len(incidents),
        by_category=_counted(i.category_key for i in incidents),
        by_subtype=tuple((c, s, n) for (c, s), n in sorted(
            Counter((i.category_key, i.subtype_key) for i in incidents if i.subtype_key).items())),
        by_level=_counted(i.level_key for i in incidents),
        by_unit=_counted(i.reporting_unit for i in incidents),
        by_source=_counted(i.source for i in incidents),
        by_month=tuple(sum(1 for i in incidents if (i.started_at + TAIPEI).month == m)
                       for m in range(1, 13)),
        times=_times(incidents, moments),
        cases=tuple(CaseLine(i.id, format_number(office_code, i.started_at, numbers.get(i.id, 0)),
                             i.title, i.category_key, i.level_key, i.started_at,
                             min(moments["archived"].get(i.id, ()), default=i.archived_at),
                             fields.get((i.id, "s6.lessons"), ""), i.doc_classification)
                    for i in incidents),
        actions=tuple(actions), drills=drills, ratings=ratings)


def _counted(keys: Iterable[str]) -> tuple[tuple[str, int], ...]:
    """(key, count), most first, then by key: the order a reader scans a count in."""
    return tuple(sorted(Counter(keys).items(), key=lambda kv: (-kv[1], kv[0])))


_RECORDED = ("notified", "acknowledged", "statement", "archived")
"""The steps read from their own records (the meeting is a stage 2 field)."""


def _moments(session: Session, ids: Sequence[str], step: str) -> dict[str, list[datetime]]:
    """Every moment each incident reached *step* (a notification that reached its person, an
    acknowledgement, a release, the archiving entry); _times takes the first after the
    start."""
    found: dict[str, list[datetime]] = {}
    for part in batches(ids, _BATCH):
        if step == "notified":
            query = select(NotificationRow.incident_id, NotificationRow.notified_at).where(
                NotificationRow.incident_id.in_(part), NotificationRow.outcome == "reached")
        elif step == "acknowledged":
            query = select(NotificationRow.incident_id, AcknowledgementRow.acked_at).join(
                AcknowledgementRow, AcknowledgementRow.notification_id == NotificationRow.id
            ).where(NotificationRow.incident_id.in_(part))
        elif step == "statement":
            query = select(StatementRow.incident_id, StatementEventRow.event_at).join(
                StatementEventRow, StatementEventRow.statement_id == StatementRow.id
            ).where(StatementRow.incident_id.in_(part), StatementRow.deleted_at.is_(None),
                    StatementEventRow.event == "released")
        else:
            query = select(TimelineRow.incident_id, TimelineRow.event_at).where(
                TimelineRow.incident_id.in_(part), TimelineRow.kind == "archived")
        for incident_id, moment in session.execute(query):
            found.setdefault(incident_id, []).append(moment)
    return found


def _fields(session: Session, ids: Sequence[str], keys: Sequence[str]
            ) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for part in batches(ids, _BATCH):
        for incident_id, key, value in session.execute(
                select(IncidentFieldRow.incident_id, IncidentFieldRow.key, IncidentFieldRow.value)
                .where(IncidentFieldRow.incident_id.in_(part), IncidentFieldRow.key.in_(keys),
                       IncidentFieldRow.deleted_at.is_(None))):
            found[incident_id, key] = value
    return found


def _times(incidents: Sequence[IncidentRow], moments: dict[str, dict[str, list[datetime]]]
           ) -> tuple[LevelTimes, ...]:
    """Per level, the minutes from each incident's start to the first moment of each step
    not before it (a moment before the start, a clock's error, is passed over)."""
    levels: dict[str, list[IncidentRow]] = {}
    for incident in incidents:
        levels.setdefault(incident.level_key, []).append(incident)

    def minutes(incident: IncidentRow, step: str) -> float | None:
        after = [m for m in moments[step].get(incident.id, ()) if m >= incident.started_at]
        return (min(after) - incident.started_at).total_seconds() / 60 if after else None

    return tuple(
        LevelTimes(level, len(rows), tuple(
            Timing.of([m for i in rows if (m := minutes(i, step)) is not None])
            for step in STEPS))
        for level, rows in sorted(levels.items()))


def _closed_on(status: str, updated_at: datetime) -> date | None:
    return taipei_date(updated_at) if status == "done" else None


def _incident_actions(session: Session, office_code: str, begin: datetime, end: datetime,
                      numbers: dict[str, int]) -> list[ActionLine]:
    lines = []
    result = list(session.execute(
        select(CorrectiveActionRow, IncidentRow.started_at)
        .join(IncidentRow, IncidentRow.id == CorrectiveActionRow.incident_id)
        .where(IncidentRow.office_code == office_code, IncidentRow.is_example.is_(False),
               IncidentRow.deleted_at.is_(None), CorrectiveActionRow.deleted_at.is_(None),
               CorrectiveActionRow.created_at >= begin, CorrectiveActionRow.created_at < end,
               real())
        .order_by(CorrectiveActionRow.created_at)))
    years = {f"{(start + TAIPEI).year:04d}" for _a, start in result}
    all_numbers = {**sequences(session, office_code, years), **numbers} if years else numbers
    for action, start in result:
        lines.append(ActionLine(
            "incident", format_number(office_code, start, all_numbers.get(action.incident_id, 0)),
            action.description, action.owner, action.due, action.status,
            _closed_on(action.status, action.updated_at)))
    return lines


def _drill_actions(session: Session, office_code: str, begin: datetime, end: datetime
                   ) -> list[ActionLine]:
    result = session.execute(
        select(DrillCorrectiveActionRow, DrillRow.month, DrillRow.unit_key)
        .join(DrillEvaluationRow,
              DrillEvaluationRow.id == DrillCorrectiveActionRow.evaluation_id)
        .join(DrillRow, DrillRow.id == DrillEvaluationRow.drill_id)
        .where(DrillRow.office_code == office_code, DrillRow.deleted_at.is_(None),
               DrillEvaluationRow.deleted_at.is_(None), DrillEvaluationRow.status == "signed",
               DrillCorrectiveActionRow.deleted_at.is_(None),
               DrillCorrectiveActionRow.created_at >= begin,
               DrillCorrectiveActionRow.created_at < end)
        .order_by(DrillCorrectiveActionRow.created_at, DrillCorrectiveActionRow.sort_order))
    return [ActionLine("drill", unit_key, action.description, action.owner, action.due,
                       action.status, _closed_on(action.status, action.updated_at), month)
            for action, month, unit_key in result]


def _drills(session: Session, office_code: str, year: int, as_of: date
            ) -> tuple[tuple[UnitDrills, ...], tuple[tuple[int, tuple[float | None, ...]], ...]]:
    rows = list(session.scalars(
        select(DrillRow).where(DrillRow.office_code == office_code,
                               DrillRow.deleted_at.is_(None),
                               DrillRow.status.in_(HELD_STATUSES),
                               DrillRow.month < date(year + 2, 1, 1))
        .order_by(DrillRow.month, DrillRow.created_at)))
    days = {r.id: drill_day(r) for r in rows}
    held_keys = {r.unit_key for r in rows if days[r.id].year == year and days[r.id] <= as_of}
    keys = [u.key for u in active_units(session, office_code)]
    keys += sorted(held_keys - set(keys))  # drilled, and since deactivated or removed
    units = []
    for key in keys:
        mine = sorted(days[r.id] for r in rows if r.unit_key == key and days[r.id] <= as_of)
        before = [d for d in mine if d.year < year]
        within = [d for d in mine if d.year == year and d <= as_of]
        units.append(UnitDrills(
            key, len(within),
            _counted(r.category_key or "" for r in rows
                     if r.unit_key == key and days[r.id].year == year
                     and days[r.id] <= as_of),
            within[-1] if within else (before[-1] if before else None),
            _kept_half_year(before[-1] if before else None, within, date(year, 1, 1), as_of)))
    held = [r for r in rows if days[r.id].year == year and days[r.id] <= as_of]
    evaluations = {e.drill_id: _ratings(e) for e in session.scalars(
        select(DrillEvaluationRow).where(DrillEvaluationRow.drill_id.in_([r.id for r in held]),
                                         DrillEvaluationRow.deleted_at.is_(None),
                                         DrillEvaluationRow.status == "signed"))}
    by_stage: dict[int, list[list[int]]] = {}
    for drill in held:
        quarter = (days[drill.id].month - 1) // 3
        for stage, rating in evaluations.get(drill.id, {}).items():
            by_stage.setdefault(stage, [[], [], [], []])[quarter].append(rating)
    ratings = tuple((stage, tuple(float(statistics.mean(q)) if q else None for q in quarters))
                    for stage, quarters in sorted(by_stage.items()))
    return tuple(units), ratings


def _ratings(evaluation: DrillEvaluationRow) -> dict[int, int]:
    """The ratings of a signed evaluation, those of the scale only: the row may come from
    another PC, and one damaged or forged value must not stop the office's review (it is
    logged, and left out)."""
    try:
        ratings = load_ratings(evaluation)
    except (ValueError, TypeError, AttributeError, OverflowError, RecursionError):
        log.warning("evaluation %s: its ratings are not readable; left out of the review",
                    evaluation.id)
        return {}
    kept = {stage: rating for stage, rating in ratings.items() if rating in RATINGS}
    if len(kept) != len(ratings):
        log.warning("evaluation %s: ratings off the 1-4 scale left out of the review",
                    evaluation.id)
    return kept


def _kept_half_year(last_before: date | None, held: Sequence[date], first: date,
                    last: date) -> bool:
    """Was no day from *first* to *last* past the half-year rule's due day, given the drill
    held before *first* and those held within? A unit never drilled before is due at once,
    as the Drills screen counts it (models.drills.kinds.is_overdue): it keeps the rule only
    with a drill on the year's first day."""
    due = half_year_due(last_before) or first
    for day in held:
        if day > due:
            return False
        due = half_year_due(day) or due
    return last <= due



def review_years(db: Database, office_code: str, today: date) -> tuple[int, ...]:
    """The Gregorian years there is something to review, newest first: from the first real
    incident's or drill's year (Taipei) to *today*'s, which is always offered."""
    with db.reading() as connection, Session(bind=connection) as session:
        first_incident = session.scalar(
            select(IncidentRow.started_at).where(
                IncidentRow.office_code == office_code, IncidentRow.deleted_at.is_(None),
                IncidentRow.is_example.is_(False), real())
            .order_by(IncidentRow.started_at).limit(1))
        first_drill = session.scalar(
            select(DrillRow.month).where(DrillRow.office_code == office_code,
                                         DrillRow.deleted_at.is_(None),
                                         DrillRow.status.in_(HELD_STATUSES))
            .order_by(DrillRow.month).limit(1))
    firsts = [today.year]
    if first_incident is not None:
        firsts.append((first_incident + TAIPEI).year)
    if first_drill is not None:
        firsts.append(first_drill.year)
    return tuple(range(today.year, min(firsts) - 1, -1))
