"""Database table of the office's units (組, 室, 分關), which incidents and drills refer to."""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.storage.db import Base, Synced


class UnitRow(Synced, Base):
    """A unit (組, 室, 分關) of the office; incidents and drills refer to it."""

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("office_code", "key"),)

    office_code: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(60))
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
