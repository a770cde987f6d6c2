"""Database tables of a live drill (models/live_drills/actions.py): the injects it delivers
and what became of each.

Both are insert-only evidence, as a timeline is: the injects copied from the scenario when the
drill starts (and those the planning group adds on the fly), and every release, hold, resumption
and delivery of one. An inject's state is read from its events, never stored, so two PCs can
never conflict over it and the drill's record is complete by construction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.core.ids import new_id
from models.storage.db import Base, UTCDateTime, utcnow


class DrillInjectRow(Base):
    """One message the drill delivers to the drilled unit *offset_minutes* after it starts."""

    __tablename__ = "drill_injects"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    drill_id: Mapped[str] = mapped_column(ForeignKey("drills.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    """Its place in the scenario (1, 2, …); an inject added on the fly takes the next one."""
    offset_minutes: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    """JSON: {"sender": text, "recipient": text, "message": text}, each text bilingual as in
    the scenario file ({"zh_TW": …, "en": …})."""
    origin: Mapped[str] = mapped_column(String(20))
    """'scenario' (copied when the drill started) or 'added' (by the planning group)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))


class DrillInjectEventRow(Base):
    """A release, hold, resumption or delivery of an inject (models.live_drills.kinds.EVENTS)."""

    __tablename__ = "drill_inject_events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    inject_id: Mapped[str] = mapped_column(ForeignKey("drill_injects.id"), index=True)
    drill_id: Mapped[str] = mapped_column(ForeignKey("drills.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    """When it happened: a delivery's is when the inject reached the PC that recorded it."""
    entered_by: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))
    unit_key: Mapped[str] = mapped_column(String(60), default="")
    """The unit of who recorded it: a delivery counts for the drill when it reached the
    drilled unit."""
