"""Database tables of incidents and their case files.

Two kinds of table, as DESIGN.md asks for sync:
- records a user edits in place (the incident's facts, its stage fields, actions, statements,
  negotiation entries, corrective actions) are `Synced`: UUID, version, tombstone;
- everything that happened (timeline entries, notifications and their acknowledgements, task
  states, statement versions and their review events) is insert-only: a row is never changed,
  so two PCs can never conflict over it and the history is complete by construction.

The full-text index of archived cases (`case_fts`) is derived data: an FTS5 table with the
trigram tokenizer, because Chinese has no spaces between words and trigrams give substring
search in any language. It is created with the tables (see `SEARCH_DDL`) and rebuilt from the
incidents whenever a case is archived or imported.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column

from models.core.ids import new_id
from models.storage.db import Base, Synced, UTCDateTime, utcnow


class IncidentRow(Synced, Base):
    """An incident from its first report to its archiving as a case file (案例檔案)."""

    __tablename__ = "incidents"
    __table_args__ = (
        # The incident list and the archive: an office's incidents of one status by start.
        Index("ix_incidents_list", "office_code", "status", "started_at"),
        # Case numbers: the office's incidents of a year (in Taipei) in the order opened,
        # read in index order by the numbering window (models/incidents/queries.py).
        Index("ix_incidents_number", "office_code",
              text("strftime('%Y', started_at, '+8 hours')"), "created_at", "id"),
    )

    office_code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    location: Mapped[str] = mapped_column(String(200), default="")
    reporting_unit: Mapped[str] = mapped_column(String(60), default="")
    """The unit key (units.key); a derived name is shown, the key survives a renamed unit."""
    source: Mapped[str] = mapped_column(String(20))
    category_key: Mapped[str] = mapped_column(String(60))
    subtype_key: Mapped[str] = mapped_column(String(60), default="")
    scope: Mapped[str] = mapped_column(Text, default="")
    level_key: Mapped[str] = mapped_column(String(60))
    current_stage: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(20), default="open")
    """'open' while being handled, 'archived' once stage 6 is complete (a case file)."""
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    playbook_version_id: Mapped[str | None] = mapped_column(
        ForeignKey("playbook_versions.id"), default=None
    )
    """The playbook version the incident ran under: later edits of the playbook do not
    rewrite what the team was asked to do at the time."""
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)
    """Demo data (loaded on request); never mistaken for a real case."""
    drill_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    """The drill this incident simulates (a drill incident, 演練), or None for a real one.
    Set when the planning group starts the drill and never changed (the sync refuses a
    change): a drill incident runs in the real wizard but is kept out of every count, list,
    number and archive of real incidents (models/incidents/real.py). No foreign key: the
    drills' tables are another feature's, and a column with one cannot be dropped in place."""
    # The 公文 header of the record's forms (models.playbook.records): "" where nobody chose.
    doc_file_number: Mapped[str] = mapped_column(String(60), default="", server_default="")
    doc_retention: Mapped[str] = mapped_column(String(20), default="", server_default="")
    doc_speed: Mapped[str] = mapped_column(String(20), default="", server_default="")
    doc_classification: Mapped[str] = mapped_column(String(20), default="", server_default="")
    doc_declassify: Mapped[str] = mapped_column(String(200), default="", server_default="")


class IncidentFieldRow(Synced, Base):
    """One free-text field of a stage form (meeting place, diagnosis, lessons ...).

    A row per field rather than a column per field: the stage forms can grow without a
    migration, and two PCs editing different fields of one incident never touch one row.
    """

    __tablename__ = "incident_fields"
    __table_args__ = (UniqueConstraint("incident_id", "key"),)

    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"))
    key: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(Text, default="")


class TimelineRow(Base):
    """One entry of an incident's activity log: what happened (kind + data), when it happened
    (event_at, which the user may give) and when and by whom it was entered."""

    __tablename__ = "timeline"
    __table_args__ = (Index("ix_timeline_incident_event", "incident_id", "event_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"))
    kind: Mapped[str] = mapped_column(String(30))
    data: Mapped[str] = mapped_column(Text, default="{}")
    """JSON parameters; the text is composed when shown, in the reader's language."""
    event_at: Mapped[datetime] = mapped_column(UTCDateTime())
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    author: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))


class NotificationRow(Base):
    """Someone was told of the incident (escalation by level): to whom, for whom, how, when."""

    __tablename__ = "notifications"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"), index=True)
    target_group: Mapped[str] = mapped_column(String(60))
    member_id: Mapped[str] = mapped_column(String(36), default="")
    recipient: Mapped[str] = mapped_column(String(200))
    acting_for: Mapped[str] = mapped_column(String(200), default="")
    """The post holder's name when their deputy took the notification (代)."""
    means: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(String(20), default="reached",
                                         server_default="reached")
    """What the attempt achieved (models.incidents.kinds.NOTIFY_OUTCOMES): only 'reached'
    tells the person; a message left or a call back awaits their acknowledgement."""
    notified_at: Mapped[datetime] = mapped_column(UTCDateTime())
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    entered_by: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))


class AcknowledgementRow(Base):
    """The person notified confirmed they received it."""

    __tablename__ = "acknowledgements"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    notification_id: Mapped[str] = mapped_column(ForeignKey("notifications.id"), index=True)
    acked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    entered_by: Mapped[str] = mapped_column(String(200))


class TaskStateRow(Base):
    """A procedure task's state was set; the latest row per task is its current state."""

    __tablename__ = "task_states"
    __table_args__ = (Index("ix_task_states_incident", "incident_id", "stage", "task_key"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"))
    stage: Mapped[int] = mapped_column(Integer)
    task_key: Mapped[str] = mapped_column(String(60))
    state: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    remark: Mapped[str] = mapped_column(Text, default="")
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    entered_by: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))


class ActionRow(Synced, Base):
    """A handling action of stage 3 (危機處理): what, by which group, with what, how far."""

    __tablename__ = "incident_actions"

    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    group_key: Mapped[str] = mapped_column(String(60))
    resources: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20))
    owner: Mapped[str] = mapped_column(String(200), default="", server_default="")
    """Who carries the task out (a name or a unit, as the decision says it)."""
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    decision_id: Mapped[str | None] = mapped_column(String(36), default=None)
    """The decision that gave the task (models.incidents.decisions), or None: recorded
    before decisions were logged, or without one. Not a foreign key: a task names its
    decision as a statement version names its number, and a decision removed by mistake
    leaves its tasks standing on the board."""


class DecisionRow(Synced, Base):
    """A decision of the incident's command (各項應變措施之決定, 001 §三): when, who decided
    and as what (and 代: for whom, when a deputy decided), on what basis, the options
    weighed, what was decided, and who recorded it. Its tasks are `ActionRow`s naming it."""

    __tablename__ = "decisions"

    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"), index=True)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by: Mapped[str] = mapped_column(String(200))
    post: Mapped[str] = mapped_column(String(40))
    """models.incidents.kinds.DECISION_POSTS."""
    acting_for: Mapped[str] = mapped_column(String(200), default="")
    """The post holder's name when their deputy decided (代)."""
    basis: Mapped[str] = mapped_column(Text, default="")
    options: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))


class StatementRow(Synced, Base):
    """A press statement or clarification of stage 4; its texts are `StatementVersionRow`s."""

    __tablename__ = "statements"

    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))


class StatementVersionRow(Base):
    """One draft of a statement's text; every version is kept."""

    __tablename__ = "statement_versions"
    __table_args__ = (UniqueConstraint("statement_id", "number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    statement_id: Mapped[str] = mapped_column(ForeignKey("statements.id"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    entered_by: Mapped[str] = mapped_column(String(200))


class StatementEventRow(Base):
    """A statement version was reviewed by the legal group, approved, or released."""

    __tablename__ = "statement_events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    statement_id: Mapped[str] = mapped_column(ForeignKey("statements.id"), index=True)
    version_number: Mapped[int] = mapped_column(Integer)
    event: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200), default="")
    channel: Mapped[str] = mapped_column(String(200), default="")
    event_at: Mapped[datetime] = mapped_column(UTCDateTime())
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    entered_by: Mapped[str] = mapped_column(String(200))


class NegotiationRow(Synced, Base):
    """A party of stage 5 (協調談判): their position, what was agreed, what comes next."""

    __tablename__ = "negotiations"

    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"), index=True)
    party: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(Text, default="")
    agreement: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str] = mapped_column(Text, default="")


class CorrectiveActionRow(Synced, Base):
    """A corrective action from the review (stage 6), followed until done."""

    __tablename__ = "corrective_actions"

    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(20), default="open")


class InquiryRow(Synced, Base):
    """A legislator's or councillor's inquiry about the incident (民代關切): who, how it came,
    what they asked, and the legal clocks it may start (models.incidents.clocks): registration
    of a request for favour (請託關說) with the 政風 unit, the reply to a written
    interpellation (書面質詢), which is a statement of kind 'reply' (reply_statement_id)."""

    __tablename__ = "inquiries"

    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"), index=True)
    rep_kind: Mapped[str] = mapped_column(String(20))
    rep_name: Mapped[str] = mapped_column(String(200))
    rep_office: Mapped[str] = mapped_column(String(200), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    channel: Mapped[str] = mapped_column(String(30))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(200), default="")
    received_by: Mapped[str] = mapped_column(String(200), default="")
    """Who in the office took it (受請託關說者 on the registration form)."""
    request: Mapped[str] = mapped_column(Text, default="")
    relation: Mapped[str] = mapped_column(Text, default="")
    """How the representative relates to the case's party (constituent, company, ...)."""
    favour: Mapped[bool] = mapped_column(Boolean, default=False)
    """It may be a request for favour (請託關說): registration with 政風 is due."""
    registered_on: Mapped[date | None] = mapped_column(Date, default=None)
    registered_with: Mapped[str] = mapped_column(String(200), default="")
    registration_no: Mapped[str] = mapped_column(String(60), default="")
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    """Why the reply takes 5 more days (立法院職權行使法 §25); empty: not extended."""
    reply_statement_id: Mapped[str | None] = mapped_column(
        ForeignKey("statements.id"), default=None)
    reply: Mapped[str] = mapped_column(Text, default="")
    """How an inquiry other than a written interpellation was answered."""
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


SEARCH_DDL = (
    "CREATE VIRTUAL TABLE case_fts USING fts5("
    "incident_id UNINDEXED, body, tokenize='trigram')"
)
"""The case archive's full-text index (derived; see the module docstring)."""
SEARCH_TABLE_PREFIX = "case_fts"
"""FTS5 keeps its data in shadow tables named case_fts_*; they belong to the index."""



@event.listens_for(Base.metadata, "after_create")
def _create_search_index(_target: object, connection: Connection, **_kw: object) -> None:
    """A new database gets the index with its tables (create_all knows no virtual tables)."""
    connection.exec_driver_sql(SEARCH_DDL)
