"""Scenarios an office made itself (from its archived cases), stored beside the shipped
library. Synced: a scenario made on one PC is offered on every PC of the office."""

from __future__ import annotations

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.storage.db import Base, Synced


class OfficeScenarioRow(Synced, Base):
    __tablename__ = "office_scenarios"
    __table_args__ = (UniqueConstraint("office_code", "key"),)

    office_code: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(80))
    category_key: Mapped[str] = mapped_column(String(60))
    content: Mapped[str] = mapped_column(Text)
    """The scenario in the scenario file format (docs/scenario-format.md), one entry."""
    source_incident_id: Mapped[str] = mapped_column(String(36), default="")
