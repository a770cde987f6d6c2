"""Database tables of drills (不定期演練): the drill of each month and the draws that chose its
unit.

The two kinds of table of DESIGN.md, as for incidents:
- the month's drill is edited in place (its category, scenario and status change as it is
  planned, held, reported and evaluated), so it is `Synced`: UUID, version, tombstone;
- a draw of the unit (抽選演練單位) is an audit record: insert-only, never changed. A redraw
  is a new row that names the draw it replaces; the first draw stays as it was.

A drill's plan and paperwork live in these tables. A drill run live (models/live_drills) has
a drill incident in `incidents`, for the real wizard, marked by its drill_id: a simulated
crisis is not a real one, so everything that counts or lists real incidents (case numbers,
the incident list, the case archive and its search, statistics) leaves it out
(models/incidents/real.py).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.core.ids import new_id
from models.storage.db import Base, Synced, UTCDateTime, utcnow


class DrawRow(Base):
    """One draw of the unit to drill in a month, with everything needed to audit and replay
    it: who could be drawn and with what weight, who was left out and why, and the seed of the
    random choice. Insert-only."""

    __tablename__ = "drill_draws"
    __table_args__ = (Index("ix_drill_draws_office_month", "office_code", "month"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    office_code: Mapped[str] = mapped_column(String(40))
    month: Mapped[date] = mapped_column(Date)
    """The drill month, as its first day."""
    as_of: Mapped[date] = mapped_column(Date)
    """The day the times since each unit's last drill were counted to (Taipei)."""
    candidates: Mapped[str] = mapped_column(Text)
    """JSON list, in drawing order: unit key, names, last drill date, days since, weight."""
    excluded: Mapped[str] = mapped_column(Text, default="[]")
    """JSON list: unit key, names and the reason each unit was left out of the draw."""
    method: Mapped[str] = mapped_column(String(20))
    """How the seed chose among the weights (models.drills.kinds.DRAW_METHOD)."""
    seed: Mapped[int] = mapped_column(Integer)
    result_unit_key: Mapped[str] = mapped_column(String(60))
    drawn_by: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    redraw_of: Mapped[str | None] = mapped_column(ForeignKey("drill_draws.id"), default=None)
    """The draw this one replaces (None for the month's first draw)."""
    redraw_reason: Mapped[str] = mapped_column(Text, default="")


class DrillRow(Synced, Base):
    """The simulated drill of one month (按月模擬演練): the unit drawn, the crisis category and
    scenario the planning group chose for it, and how far it has come."""

    __tablename__ = "drills"
    __table_args__ = (Index("ix_drills_office_month", "office_code", "month"),)

    office_code: Mapped[str] = mapped_column(String(40))
    month: Mapped[date] = mapped_column(Date)
    """The drill month, as its first day. One drill per office and month (kept by the
    domain functions, not by a unique index, so that two PCs drawing the same month become a
    conflict to resolve when syncing rather than a failed import)."""
    unit_key: Mapped[str] = mapped_column(String(60))
    """The unit drilled (units.key)."""
    category_key: Mapped[str] = mapped_column(String(60), default="")
    """The playbook category drilled; "" until the planning group chooses it."""
    scenario_key: Mapped[str] = mapped_column(String(60), default="")
    """The scenario of the scenario library; "" until chosen."""
    status: Mapped[str] = mapped_column(String(20), default="planned")
    """planned, held, reported, evaluated or cancelled (models.drills.kinds.DRILL_STATUSES)."""
    planned_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    """When the drill is to take place, once set."""
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    playbook_version_id: Mapped[str | None] = mapped_column(
        ForeignKey("playbook_versions.id"), default=None
    )
    """The playbook version the drill runs under (its categories and report form)."""
    draw_id: Mapped[str | None] = mapped_column(ForeignKey("drill_draws.id"), default=None)
    """The draw in force: the latest of the month's draws."""
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    """When the planning group started the live drill (its drill incident opened and the
    injects' clock began); None for a drill not run live (one recorded after the fact)."""
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    """When the planning group ended the live drill: its drill incident is read-only from
    then on."""
    # The 公文 header of the record's forms (models.playbook.records): "" where nobody chose.
    doc_file_number: Mapped[str] = mapped_column(String(60), default="", server_default="")
    doc_retention: Mapped[str] = mapped_column(String(20), default="", server_default="")
    doc_speed: Mapped[str] = mapped_column(String(20), default="", server_default="")
    doc_classification: Mapped[str] = mapped_column(String(20), default="", server_default="")
    doc_declassify: Mapped[str] = mapped_column(String(200), default="", server_default="")
