"""Reading incidents: one incident in full, the list of open ones, a category's history.

The GUI gets frozen dataclasses (never ORM objects or a session), built here on the database
worker. Case numbers (基隆關-115-0007) are derived when read: the count of the office's
incidents of that ROC year opened up to this one. They are never keys, so two PCs that open
incidents at the same time never clash over a number (DESIGN.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, Generic, TypeGuard, TypeVar

from sqlalchemy import case, func, literal_column, select
from sqlalchemy.orm import Session

from i18n.formatting import DEFAULT_TIMEZONE, local_date
from models.core.batches import batches
from models.incidents.attachments import AttachmentInfo, attachments_in
from models.incidents.clocks_report import reporting_clocks
from models.incidents.entities import (
    AcknowledgementRow,
    ActionRow,
    CorrectiveActionRow,
    DecisionRow,
    IncidentFieldRow,
    IncidentRow,
    InquiryRow,
    NegotiationRow,
    NotificationRow,
    StatementEventRow,
    StatementRow,
    StatementVersionRow,
    TaskStateRow,
    TimelineRow,
)
from models.incidents.inquiries import (
    InquiryInfo,
    load_inquiries,
    office_holidays,
    overdue_clocks,
)
from models.incidents.kinds import CONFIRMATION
from models.incidents.real import DRILL_MARK, real
from models.incidents.media_watch import MediaItemInfo, media_items
from models.incidents.timeline import Entry, FieldChanged, Report, read_entry
from models.org.offices import office
from models.playbook.model import Playbook
from models.playbook.records import RecordHeader
from models.playbook.store import numbered_playbook
from models.storage.db import Database

TAIPEI_OFFSET = "+8 hours"
"""Taiwan has one zone and no daylight saving: the ROC year of a number is the year in
Taipei, fixed in SQL without a zone database."""


@dataclass(frozen=True)
class NotificationInfo:
    id: str
    target_group: str
    member_id: str
    recipient: str
    acting_for: str
    means: str
    notified_at: datetime
    entered_at: datetime
    entered_by: str
    acked_at: datetime | None
    settled: bool
    """Nothing more to wait for: acknowledged, an attempt nobody answered, or made moot by a
    later acknowledged notification of the same group (the deputy, when the holder did not
    answer)."""
    overdue: bool
    """Not settled within the office's acknowledgement time."""
    outcome: str = "reached"
    """models.incidents.kinds.NOTIFY_OUTCOMES."""

    @property
    def told(self) -> bool:
        """The person was told: reached, or they acknowledged the message left for them."""
        return self.outcome == "reached" or self.acked_at is not None

    @property
    def awaits_ack(self) -> bool:
        """An acknowledgement can still come: someone was reached or left a message."""
        return self.acked_at is None and self.outcome != "no_answer"


@dataclass(frozen=True)
class TaskInfo:
    stage: int
    key: str
    state: str
    reason: str
    remark: str
    entered_at: datetime
    entered_by: str


@dataclass(frozen=True)
class ActionInfo:
    id: str
    description: str
    group_key: str
    resources: str
    status: str
    updated_at: datetime
    updated_by: str
    owner: str = ""
    due_at: datetime | None = None
    decision_id: str | None = None
    """The decision that gave the task (a stage 3 action is a task of the board)."""

    def overdue(self, now: datetime) -> bool:
        """Its due time passed and it is not done."""
        return self.due_at is not None and self.due_at < now and self.status != "done"


@dataclass(frozen=True)
class DecisionInfo:
    id: str
    decided_at: datetime
    decided_by: str
    post: str
    acting_for: str
    basis: str
    options: str
    decision: str
    recorded_by: str


@dataclass(frozen=True)
class StatementVersionInfo:
    number: int
    text: str
    entered_at: datetime
    entered_by: str


@dataclass(frozen=True)
class StatementEventInfo:
    version_number: int
    event: str
    name: str
    """Who reviewed, approved or released it."""
    channel: str
    event_at: datetime
    entered_by: str = ""
    """Who recorded it: the same person, or whoever took it down from them by phone."""


@dataclass(frozen=True)
class StatementInfo:
    id: str
    kind: str
    title: str
    versions: tuple[StatementVersionInfo, ...]
    events: tuple[StatementEventInfo, ...]

    def events_of(self, number: int) -> dict[str, StatementEventInfo]:
        return {e.event: e for e in self.events if e.version_number == number}

    def releases_of(self, number: int) -> list[StatementEventInfo]:
        """The version's releases, one per channel, in the order they were made."""
        return [e for e in self.events if e.version_number == number and e.event == "released"]

    def releases(self) -> list[StatementEventInfo]:
        """Every release of any version, in the order they were made."""
        return [e for e in self.events if e.event == "released"]


@dataclass(frozen=True)
class NegotiationInfo:
    id: str
    party: str
    position: str
    agreement: str
    next_step: str
    updated_at: datetime


@dataclass(frozen=True)
class CorrectiveInfo:
    id: str
    incident_id: str
    description: str
    owner: str
    due: date | None
    status: str
    overdue: bool
    updated_at: datetime


What_co = TypeVar("What_co", bound=Entry, covariant=True)


@dataclass(frozen=True)
class TimelineEntry(Generic[What_co]):
    """One entry of the timeline: *what* happened (a kind of models.incidents.timeline), when
    it happened and when and by whom it was entered. Typed by its kind where that is known:
    `IncidentView.reports` gives ``TimelineEntry[Report]``, whose text needs no check."""

    id: str
    what: What_co
    event_at: datetime
    entered_at: datetime
    author: str
    role: str

    @property
    def kind(self) -> str:
        return self.what.kind

    @property
    def data(self) -> dict[str, Any]:
        """The entry's parameters in their stored form, as sync and case files carry them (the
        test suites compare them; readers in models/ use *what*)."""
        return self.what.to_data()


def _is_report(entry: TimelineEntry[Entry]) -> TypeGuard[TimelineEntry[Report]]:
    return isinstance(entry.what, Report)


@dataclass(frozen=True)
class IncidentView:
    """An incident with everything entered for it, as the wizard and the forms show it."""

    id: str
    number: str
    office_code: str
    title: str
    summary: str
    started_at: datetime
    ended_at: datetime | None
    location: str
    reporting_unit: str
    source: str
    category_key: str
    subtype_key: str
    scope: str
    level_key: str
    current_stage: int
    status: str
    archived_at: datetime | None
    is_example: bool
    row_version: int
    playbook_version: int
    playbook: Playbook
    fields: Mapping[str, str] = field(default_factory=dict)
    notifications: tuple[NotificationInfo, ...] = ()
    tasks: Mapping[tuple[int, str], TaskInfo] = field(default_factory=dict)
    actions: tuple[ActionInfo, ...] = ()
    decisions: tuple[DecisionInfo, ...] = ()
    statements: tuple[StatementInfo, ...] = ()
    negotiations: tuple[NegotiationInfo, ...] = ()
    corrective: tuple[CorrectiveInfo, ...] = ()
    timeline: tuple[TimelineEntry[Entry], ...] = ()
    attachments: tuple[AttachmentInfo, ...] = ()
    """The files attached to the incident and to its records, oldest first."""
    media: tuple[MediaItemInfo, ...] = ()
    """The media watch's items, newest seen first."""
    inquiries: tuple[InquiryInfo, ...] = ()
    holidays_listed: int = 0
    """How many holidays the office lists (the working-day clocks skip them)."""
    is_drill: bool = False
    """A drill's incident (演練, models/incidents/real.py): marked on screen and on paper,
    numbered apart, never counted or archived as a case."""
    classification: str = ""
    """Its 密等 (models.playbook.records), flagged in the window when 密 or above."""
    header: RecordHeader = RecordHeader()
    """Its 公文 header as stored, which every form's verification code covers."""

    def time_field(self, key: str) -> datetime | None:
        return stage_time(self.fields.get(key, ""))

    def task_state(self, stage: int, key: str) -> str:
        task = self.tasks.get((stage, key))
        return task.state if task else "open"

    def reports(self) -> list[TimelineEntry[Report]]:
        return [e for e in self.timeline if _is_report(e)]

    def confirmation_recorder(self) -> str:
        """Who recorded the plan's confirmation, when not the confirmer (a confirmation given
        by phone): the author of its timeline entry, whose name every receiving PC checks."""
        recorded = [e for e in self.timeline if isinstance(e.what, FieldChanged)
                    and e.what.key in CONFIRMATION]
        if not recorded:
            return ""
        author = max(recorded, key=lambda e: e.entered_at).author
        return "" if author == self.fields.get("s2.confirmed_by_name") else author


@dataclass(frozen=True)
class IncidentSummary:
    """A row of the incident list or of the case archive."""

    id: str
    number: str
    title: str
    category_key: str
    level_key: str
    current_stage: int
    status: str
    started_at: datetime
    archived_at: datetime | None
    reporting_unit: str
    is_example: bool
    unacknowledged: int = 0
    overdue: int = 0
    is_drill: bool = False
    """A drill's incident (演練): the list marks it; counts and the archive leave it out."""
    classification: str = ""
    """Its 密等 (a key of models.playbook.records.CLASSIFICATIONS; "" when never set): the
    list flags a record marked 密 or above."""


def stage_time(value: str) -> datetime | None:
    """A stage-form time (ISO 8601) as a datetime; None when empty or not a time (a value
    from a newer version or a damaged import is shown as absent, never a crash)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def case_prefix(office_code: str) -> str:
    return office(office_code).short_name["zh_TW"]


def taipei_year(column: Any) -> Any:
    """SQL for the year (Gregorian, as text) of a stored UTC time in Taipei. Written with
    literals, not bound parameters, so SQLite matches it to the expression of the
    ix_incidents_number index."""
    return func.strftime(literal_column("'%Y'"), column, literal_column(f"'{TAIPEI_OFFSET}'"))


def _year(moment: datetime) -> str:
    """The year of a UTC moment in Taipei, as taipei_year() gives it in SQL."""
    return f"{(moment + timedelta(hours=8)).year:04d}"


def sequences(session: Session, office_code: str, years: Iterable[str]) -> dict[str, int]:
    """The sequence number of every incident of the office in the given years (Taipei): its
    place in the year in the order incidents were opened. The window reads the
    ix_incidents_number index of those years only, so numbering a page of results costs
    about the incidents of its years, not of the whole archive. Real incidents are numbered
    among real incidents only, drill incidents among drill incidents (format_number marks
    theirs), so a drill never takes a number of the year's real sequence."""
    year = taipei_year(IncidentRow.started_at)
    is_real = case((real(), 1), else_=0)

    def running(counted: Any) -> Any:
        # Running counts over the one window the numbering always used (the year, in the
        # order opened): both sequences come from the same pass, the query plan unchanged.
        return func.sum(counted).over(partition_by=year,
                                      order_by=(IncidentRow.created_at, IncidentRow.id),
                                      rows=(None, 0))

    query = select(IncidentRow.id, is_real, running(is_real), running(1 - is_real)).where(
        IncidentRow.office_code == office_code, year.in_(sorted(set(years))))
    return {incident_id: int(reals if counts_real else drills)
            for incident_id, counts_real, reals, drills in session.execute(query)}


def format_number(office_code: str, started_at: datetime, sequence: int,
                  drill: bool = False) -> str:
    """基隆關-115-0007; a drill incident's 基隆關-演練-115-0001, from its own sequence (the
    mark is Chinese in both languages, as the office's prefix is: a number is never
    translated)."""
    roc_year = (started_at + timedelta(hours=8)).year - 1911
    prefix = f"{case_prefix(office_code)}-{DRILL_MARK}" if drill else case_prefix(office_code)
    return f"{prefix}-{roc_year}-{sequence:04d}"


def load_view(
    session: Session, incident_id: str, now: datetime, ack_minutes: int | None,
    tz: str = DEFAULT_TIMEZONE,
) -> IncidentView:
    """Everything of one incident. *ack_minutes* None: nothing counts as overdue. *tz*: the
    office's zone, in which the inquiries' clocks count days."""
    row = session.get(IncidentRow, incident_id)
    if row is None or row.deleted_at is not None:
        raise LookupError(incident_id)
    sequence = sequences(session, row.office_code, [_year(row.started_at)])[incident_id]
    number, playbook = numbered_playbook(session, row.playbook_version_id)
    fields = {
        key: value
        for key, value in session.execute(
            select(IncidentFieldRow.key, IncidentFieldRow.value).where(
                IncidentFieldRow.incident_id == incident_id,
                IncidentFieldRow.deleted_at.is_(None),
            )
        )
    }
    tasks: dict[tuple[int, str], TaskInfo] = {}
    for t in session.scalars(
        select(TaskStateRow)
        .where(TaskStateRow.incident_id == incident_id)
        .order_by(TaskStateRow.entered_at, TaskStateRow.id)
    ):
        tasks[(t.stage, t.task_key)] = TaskInfo(
            t.stage, t.task_key, t.state, t.reason, t.remark, t.entered_at, t.entered_by
        )
    return IncidentView(
        id=row.id,
        number=format_number(row.office_code, row.started_at, sequence,
                             row.drill_id is not None),
        office_code=row.office_code,
        title=row.title,
        summary=row.summary,
        started_at=row.started_at,
        ended_at=row.ended_at,
        location=row.location,
        reporting_unit=row.reporting_unit,
        source=row.source,
        category_key=row.category_key,
        subtype_key=row.subtype_key,
        scope=row.scope,
        level_key=row.level_key,
        current_stage=row.current_stage,
        status=row.status,
        archived_at=row.archived_at,
        is_example=row.is_example,
        row_version=row.row_version,
        playbook_version=number,
        playbook=playbook,
        fields=fields,
        notifications=tuple(_notifications(session, incident_id, now, ack_minutes)),
        tasks=tasks,
        actions=tuple(
            ActionInfo(a.id, a.description, a.group_key, a.resources, a.status,
                       a.updated_at, a.updated_by, a.owner, a.due_at, a.decision_id)
            for a in session.scalars(
                select(ActionRow)
                .where(ActionRow.incident_id == incident_id, ActionRow.deleted_at.is_(None))
                .order_by(ActionRow.created_at)
            )
        ),
        decisions=tuple(
            DecisionInfo(d.id, d.decided_at, d.decided_by, d.post, d.acting_for, d.basis,
                         d.options, d.decision, d.recorded_by)
            for d in session.scalars(
                select(DecisionRow)
                .where(DecisionRow.incident_id == incident_id, DecisionRow.deleted_at.is_(None))
                .order_by(DecisionRow.decided_at, DecisionRow.created_at)
            )
        ),
        statements=tuple(_statements(session, incident_id)),
        negotiations=tuple(
            NegotiationInfo(n.id, n.party, n.position, n.agreement, n.next_step, n.updated_at)
            for n in session.scalars(
                select(NegotiationRow)
                .where(NegotiationRow.incident_id == incident_id,
                       NegotiationRow.deleted_at.is_(None))
                .order_by(NegotiationRow.created_at)
            )
        ),
        corrective=tuple(_corrective(session, [incident_id], now)),
        timeline=tuple(_timeline(session, incident_id)),
        attachments=attachments_in(session, incident_id),
        media=tuple(media_items(session, incident_id)),
        **_inquiries(session, incident_id, tz),
        is_drill=row.drill_id is not None,
        classification=row.doc_classification,
        header=RecordHeader.of(row),
    )


def _inquiries(session: Session, incident_id: str, tz: str) -> dict[str, Any]:
    """The inquiries with their clocks, and how many holidays these skip; the office's
    holidays are read only when there are inquiries to count them for."""
    if not session.scalar(select(InquiryRow.id).where(InquiryRow.incident_id == incident_id,
                                                       InquiryRow.deleted_at.is_(None))
                          .limit(1)):
        return {}
    holidays = office_holidays(session)
    return {"inquiries": tuple(load_inquiries(session, incident_id, tz, holidays)),
            "holidays_listed": len(holidays)}


def _timeline(session: Session, incident_id: str) -> Iterator[TimelineEntry[Entry]]:
    """The incident's timeline, oldest first. Read as plain rows, not ORM objects: building
    an object per entry was most of the load of an incident with a long timeline."""
    for entry_id, kind, data, event_at, entered_at, author, role in session.execute(
        select(TimelineRow.id, TimelineRow.kind, TimelineRow.data, TimelineRow.event_at,
               TimelineRow.entered_at, TimelineRow.author, TimelineRow.role)
        .where(TimelineRow.incident_id == incident_id)
        .order_by(TimelineRow.event_at, TimelineRow.entered_at)
    ):
        yield TimelineEntry(entry_id, read_entry(kind, json.loads(data)), event_at,
                            entered_at, author, role)


def incident_view(db: Database, incident_id: str, now: datetime, ack_minutes: int,
                  tz: str = DEFAULT_TIMEZONE) -> IncidentView:
    with db.session() as session:
        return load_view(session, incident_id, now, ack_minutes, tz)


def _notifications(
    session: Session, incident_id: str, now: datetime, ack_minutes: int | None
) -> Iterable[NotificationInfo]:
    rows = session.execute(
        select(NotificationRow, AcknowledgementRow.acked_at)
        .outerjoin(AcknowledgementRow, AcknowledgementRow.notification_id == NotificationRow.id)
        .where(NotificationRow.incident_id == incident_id)
        .order_by(NotificationRow.notified_at)
    ).all()
    settled = _settled([(n.target_group, n.notified_at, acked_at, n.outcome)
                        for n, acked_at in rows])
    for (n, acked_at), done in zip(rows, settled, strict=True):
        overdue = (
            not done
            and ack_minutes is not None
            and now - n.notified_at > timedelta(minutes=ack_minutes)
        )
        yield NotificationInfo(
            n.id, n.target_group, n.member_id, n.recipient, n.acting_for, n.means,
            n.notified_at, n.entered_at, n.entered_by, acked_at, done, overdue, n.outcome,
        )


def _settled(notes: list[tuple[str, datetime, datetime | None, str]]) -> list[bool]:
    """For (group, notified_at, acked_at, outcome) in time order: acknowledged, unanswered
    (nothing to wait for), or followed by an acknowledged notification of the same group."""
    last_ack: dict[str, datetime] = {}
    for group, notified_at, acked_at, _outcome in notes:
        if acked_at is not None:
            last_ack[group] = max(notified_at, last_ack.get(group, notified_at))
    return [acked_at is not None or outcome == "no_answer"
            or (group in last_ack and last_ack[group] >= notified_at)
            for group, notified_at, acked_at, outcome in notes]


def _statements(session: Session, incident_id: str) -> Iterable[StatementInfo]:
    for s in session.scalars(
        select(StatementRow)
        .where(StatementRow.incident_id == incident_id, StatementRow.deleted_at.is_(None))
        .order_by(StatementRow.created_at)
    ):
        versions = tuple(
            StatementVersionInfo(v.number, v.text, v.entered_at, v.entered_by)
            for v in session.scalars(
                select(StatementVersionRow)
                .where(StatementVersionRow.statement_id == s.id)
                .order_by(StatementVersionRow.number)
            )
        )
        events = tuple(
            StatementEventInfo(e.version_number, e.event, e.name, e.channel, e.event_at,
                               e.entered_by)
            for e in session.scalars(
                select(StatementEventRow)
                .where(StatementEventRow.statement_id == s.id)
                .order_by(StatementEventRow.event_at)
            )
        )
        yield StatementInfo(s.id, s.kind, s.title, versions, events)


def _corrective(
    session: Session, incident_ids: list[str], now: datetime, *, only_open: bool = False
) -> Iterable[CorrectiveInfo]:
    query = select(CorrectiveActionRow).where(
        CorrectiveActionRow.incident_id.in_(incident_ids),
        CorrectiveActionRow.deleted_at.is_(None),
    )
    if only_open:
        query = query.where(CorrectiveActionRow.status == "open")
    today = (now + timedelta(hours=8)).date()
    for c in session.scalars(query.order_by(CorrectiveActionRow.created_at)):
        overdue = c.status == "open" and c.due is not None and c.due < today
        yield CorrectiveInfo(c.id, c.incident_id, c.description, c.owner, c.due, c.status,
                             overdue, c.updated_at)


def summaries(session: Session, office_code: str, query: Any) -> list[IncidentSummary]:
    """IncidentSummary rows for a select() of the office's IncidentRows (filtered by the
    caller)."""
    rows = session.scalars(query).all()
    numbers = sequences(session, office_code, {_year(r.started_at) for r in rows})
    return [
        IncidentSummary(
            id=r.id,
            number=format_number(r.office_code, r.started_at, numbers[r.id],
                                 r.drill_id is not None),
            title=r.title,
            category_key=r.category_key,
            level_key=r.level_key,
            current_stage=r.current_stage,
            status=r.status,
            started_at=r.started_at,
            archived_at=r.archived_at,
            reporting_unit=r.reporting_unit,
            is_example=r.is_example,
            is_drill=r.drill_id is not None,
            classification=r.doc_classification,
        )
        for r in rows
    ]


def _open_incidents(session: Session, office_code: str) -> list[IncidentSummary]:
    return summaries(
        session, office_code,
        select(IncidentRow)
        .where(IncidentRow.office_code == office_code, IncidentRow.status == "open",
               IncidentRow.deleted_at.is_(None))
        .order_by(IncidentRow.started_at.desc()),
    )


def _awaiting(session: Session, ids: list[str], now: datetime, ack_minutes: int
              ) -> Iterator[tuple[str, str, str, datetime, bool]]:
    """(incident id, notification id, recipient, notified at, late) of every notification of
    the incidents *ids* still awaiting its acknowledgement, oldest first; late once the
    office's acknowledgement time has passed."""
    by_incident: dict[str, list[Any]] = {}
    for row in session.execute(
        select(NotificationRow.incident_id, NotificationRow.id, NotificationRow.recipient,
               NotificationRow.target_group, NotificationRow.notified_at,
               AcknowledgementRow.acked_at, NotificationRow.outcome)
        .outerjoin(AcknowledgementRow, AcknowledgementRow.notification_id == NotificationRow.id)
        .where(NotificationRow.incident_id.in_(ids))
        .order_by(NotificationRow.notified_at)
    ):
        by_incident.setdefault(row.incident_id, []).append(row)
    limit = timedelta(minutes=ack_minutes)
    for incident_id, notes in by_incident.items():
        settled = _settled([(n.target_group, n.notified_at, n.acked_at, n.outcome)
                            for n in notes])
        for n, done in zip(notes, settled, strict=True):
            if not done:
                yield incident_id, n.id, n.recipient, n.notified_at, now - n.notified_at > limit


def list_incidents(
    db: Database, office_code: str, now: datetime, ack_minutes: int
) -> list[IncidentSummary]:
    """The open incidents, newest first, with their unacknowledged and overdue items."""
    with db.session() as session:
        found = _open_incidents(session, office_code)
        ids = [s.id for s in found]
        unacked: dict[str, int] = {}
        late: dict[str, int] = {}
        for incident_id, _note, _recipient, _at, is_late in _awaiting(session, ids, now,
                                                                      ack_minutes):
            unacked[incident_id] = unacked.get(incident_id, 0) + 1
            if is_late:
                late[incident_id] = late.get(incident_id, 0) + 1
        for item in _corrective(session, ids, now, only_open=True):
            if item.overdue:
                late[item.incident_id] = late.get(item.incident_id, 0) + 1
        for incident_id, clock in reporting_clocks(session, ids).items():
            if clock.overdue(now):  # the post the level names not told in time
                late[incident_id] = late.get(incident_id, 0) + 1
        today = local_date(now, DEFAULT_TIMEZONE)
        for incident_id, count in overdue_clocks(session, ids, DEFAULT_TIMEZONE, today).items():
            late[incident_id] = late.get(incident_id, 0) + count
        for batch in batches(ids, 400):  # the board's tasks past due, as Home lists them
            for incident_id, count in session.execute(
                    select(ActionRow.incident_id, func.count()).where(
                        ActionRow.incident_id.in_(batch), ActionRow.deleted_at.is_(None),
                        ActionRow.due_at.is_not(None), ActionRow.due_at < now,
                        ActionRow.status != "done").group_by(ActionRow.incident_id)):
                late[incident_id] = late.get(incident_id, 0) + count
    return [
        replace(s, unacknowledged=unacked.get(s.id, 0), overdue=late.get(s.id, 0))
        for s in found
    ]


@dataclass(frozen=True)
class OverdueNotice:
    """A notification of an open incident not acknowledged within the office's time: the
    window raises it wherever the user is (issue: nobody should have to look for it)."""

    incident_id: str
    number: str
    title: str
    notification_id: str
    recipient: str
    notified_at: datetime


def overdue_notifications(db: Database, office_code: str, now: datetime,
                          ack_minutes: int) -> list[OverdueNotice]:
    """Every notification of the office's open incidents that is late, oldest first. A drill
    incident's are left out: the alarm raised wherever the user is must never be a drill's
    (its own list and window show them, marked 演練)."""
    with db.session() as session:
        found = {s.id: s for s in _open_incidents(session, office_code) if not s.is_drill}
        late = [OverdueNotice(incident_id, found[incident_id].number, found[incident_id].title,
                              note, recipient, at)
                for incident_id, note, recipient, at, is_late
                in _awaiting(session, list(found), now, ack_minutes) if is_late]
    return sorted(late, key=lambda n: n.notified_at)


@dataclass(frozen=True)
class CategoryHistory:
    """What the office learned before about a category: its past cases and the corrective
    actions from them that are still open."""

    cases: tuple[IncidentSummary, ...]
    open_corrective: tuple[CorrectiveInfo, ...]


def category_history(
    db: Database, office_code: str, category_key: str, now: datetime, limit: int = 20
) -> CategoryHistory:
    with db.session() as session:
        cases = summaries(
            session, office_code,
            select(IncidentRow)
            .where(IncidentRow.office_code == office_code,
                   IncidentRow.category_key == category_key,
                   IncidentRow.status == "archived", IncidentRow.deleted_at.is_(None), real())
            .order_by(IncidentRow.started_at.desc())
            .limit(limit),
        )
        all_ids = list(session.scalars(  # examples set nobody any real work
            select(IncidentRow.id).where(IncidentRow.office_code == office_code,
                                         IncidentRow.category_key == category_key,
                                         IncidentRow.is_example.is_(False),
                                         IncidentRow.deleted_at.is_(None), real())))
        open_items = tuple(_corrective(session, all_ids, now, only_open=True))
    return CategoryHistory(tuple(cases), open_items)
