"""Database tables of the drill report (危機管理演練報告表) and its evaluation (評估與觀摩).

The procedure (reference 001, 七 (二) and (三)): the unit tested fills in the drill report
form and submits it to the commander and the executive secretary (簽報); the planning group
then writes an evaluation report from it, has it approved (陳核) and sends copies to every
unit (影送各單位參考).

The kinds of table of DESIGN.md, as for incidents and drills:
- the report and the evaluation themselves are `Synced` (their status moves on);
- a report's content is kept as versions: a draft version's content may be overwritten by the
  next save, but once a version is submitted its content never changes again; a change after
  that (a return, a reopen) starts a new version;
- sign-offs, returns, reopens, the circulation and each unit's acknowledgement are
  insert-only events: never changed, so the history is complete by construction.

Drills are not incidents: none of these tables refers to `incidents` or is read by anything
that lists or counts real incidents, so a drill never enters the statistics of real crises.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.core.ids import new_id
from models.storage.db import Base, Synced, UTCDateTime, utcnow


class DrillReportRow(Synced, Base):
    """The drill report form of one drill: its status and the number of its current version.

    One per drill, kept by the domain functions (as the drill of a month is)."""

    __tablename__ = "drill_reports"

    drill_id: Mapped[str] = mapped_column(ForeignKey("drills.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    """draft, submitted, returned or signed (models.drills.reports.kinds.REPORT_STATUSES)."""
    version: Mapped[int] = mapped_column(Integer, default=1)
    """The number of the current version (drill_report_versions.number)."""


class DrillReportVersionRow(Base):
    """One version of a report's content, as canonical JSON (`report_content`). Changed only
    while it is a draft (never submitted); after that, never."""

    __tablename__ = "drill_report_versions"
    __table_args__ = (UniqueConstraint("report_id", "number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    report_id: Mapped[str] = mapped_column(ForeignKey("drill_reports.id"))
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    """Why the version was started: "" for the first, the reopen's reason, or that the
    previous version was returned."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    saved_by: Mapped[str] = mapped_column(String(200))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    """Set once, when the version is submitted (簽報); from then on the row never changes."""


class DrillReportEventRow(Base):
    """Something done to a report version: submitted, signed (by the commander or the
    executive secretary, possibly a deputy for them: 代), returned with a comment, or reopened
    with a reason. Insert-only."""

    __tablename__ = "drill_report_events"
    __table_args__ = (Index("ix_drill_report_events_report", "report_id", "entered_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    report_id: Mapped[str] = mapped_column(ForeignKey("drill_reports.id"))
    version_number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    as_role: Mapped[str] = mapped_column(String(20), default="")
    """For a sign-off: 'commander' or 'secretary', the box signed."""
    name: Mapped[str] = mapped_column(String(200), default="")
    """Who signed (for a sign-off), as written in the box."""
    deputy_for: Mapped[str] = mapped_column(String(200), default="")
    """The post holder's name when their deputy signed for them (代)."""
    comment: Mapped[str] = mapped_column(Text, default="")
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    entered_by: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))
    login: Mapped[str] = mapped_column(String(200), default="")
    """The Windows login and the PC the event was entered from, as the office enrolled that
    PC (printed under a signature; every receiver checks them: models.org.authorship)."""
    pc: Mapped[str] = mapped_column(String(200), default="")


class DrillEvaluationRow(Synced, Base):
    """The planning group's evaluation of a drill (評估報告), from its signed report: a rating
    per response stage, the timeliness of the notification, strengths and improvements.
    Locked once the commander and the executive secretary have both signed it."""

    __tablename__ = "drill_evaluations"

    drill_id: Mapped[str] = mapped_column(ForeignKey("drills.id"), index=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("drill_reports.id"))
    report_version: Mapped[int] = mapped_column(Integer)
    """The signed report version the evaluation is based on."""
    status: Mapped[str] = mapped_column(String(20), default="draft")
    """draft, submitted (陳核), returned or signed (labelled by
    models.drills.reports.kinds.evaluation_status_label)."""
    ratings: Mapped[str] = mapped_column(Text, default="{}")
    """JSON: stage number (as text) -> rating on models.drills.reports.kinds.RATING_SCALE."""
    level_key: Mapped[str] = mapped_column(String(60), default="")
    """The crisis level the drilled unit judged; its rule says when to notify."""
    inject_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    notify_minutes: Mapped[int | None] = mapped_column(Integer, default=None)
    """Whole minutes from the inject to the notification, computed when saved."""
    notify_within: Mapped[bool | None] = mapped_column(Boolean, default=None)
    """Whether the notification kept the level's rule, judged when saved (so a later change
    of the rule does not rewrite a signed evaluation)."""
    strengths: Mapped[str] = mapped_column(Text, default="")
    improvements: Mapped[str] = mapped_column(Text, default="")


class DrillCorrectiveActionRow(Synced, Base):
    """A corrective action of a drill evaluation, followed until done (its status may still
    change after the evaluation is signed)."""

    __tablename__ = "drill_corrective_actions"

    evaluation_id: Mapped[str] = mapped_column(ForeignKey("drill_evaluations.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(20), default="open")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class DrillEvaluationEventRow(Base):
    """Something done to an evaluation: signed (commander or executive secretary, 代 for a
    deputy), sent to a unit (circulated) or acknowledged by that unit. Insert-only."""

    __tablename__ = "drill_evaluation_events"
    __table_args__ = (
        Index("ix_drill_evaluation_events_evaluation", "evaluation_id", "entered_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    evaluation_id: Mapped[str] = mapped_column(ForeignKey("drill_evaluations.id"))
    kind: Mapped[str] = mapped_column(String(20))
    as_role: Mapped[str] = mapped_column(String(20), default="")
    name: Mapped[str] = mapped_column(String(200), default="")
    deputy_for: Mapped[str] = mapped_column(String(200), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    unit_key: Mapped[str] = mapped_column(String(60), default="")
    """For circulated and acknowledged: the unit (units.key)."""
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    entered_by: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))
    login: Mapped[str] = mapped_column(String(200), default="")
    """The Windows login and the PC the event was entered from, as the office enrolled that
    PC (printed under a signature; every receiver checks them: models.org.authorship)."""
    pc: Mapped[str] = mapped_column(String(200), default="")
