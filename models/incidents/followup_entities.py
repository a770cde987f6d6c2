"""Tables of keeping the team in step after the first notification: the situation reports
(處理情形) filed for the commander, and the reviews of an incident on the watch list
(持續觀察). Both are evidence written once, in their author's own name, like the timeline:
insert-only, so two PCs never conflict over them and nothing filed is ever rewritten."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.core.ids import new_id
from models.storage.db import Base, UTCDateTime, utcnow


MAX_REPORT_NUMBER = 100_000
"""More situation reports than any incident files: a number beyond is no report's (one at
SQLite's largest integer, from a tampered PC, stopped every PC filing the next)."""


class SituationReportRow(Base):
    """A situation report as filed: what the incident looked like then (`snapshot`, JSON of
    what the author was shown: models/incidents/situation_reports.py), the next steps they
    typed, and its number among the incident's reports.

    The number is the one the author saw and printed. Two PCs filing at the same moment
    may both file number n; both are kept, in filing order (insert-only rows never clash)."""

    __tablename__ = "situation_reports"
    __table_args__ = (Index("ix_situation_reports_incident", "incident_id", "number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"))
    number: Mapped[int] = mapped_column(Integer)
    level_key: Mapped[str] = mapped_column(String(60))
    """The level when filed (in the snapshot too): the cadence reads it without the JSON."""
    snapshot: Mapped[str] = mapped_column(Text)
    next_steps: Mapped[str] = mapped_column(Text, default="")
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    entered_by: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))


class WatchReviewRow(Base):
    """A look at an incident on the watch list: when, by whom, what was seen, and the date
    of the next look."""

    __tablename__ = "watch_reviews"
    __table_args__ = (Index("ix_watch_reviews_incident", "incident_id", "reviewed_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    seen: Mapped[str] = mapped_column(Text)
    next_review: Mapped[date] = mapped_column(Date)
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    entered_by: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))
