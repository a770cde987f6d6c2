"""Database tables of the playbook: its versions and the handovers of team posts.

Playbook versions and handovers are insert-only (an edit adds a row, nothing is overwritten),
so history is complete and, later, two PCs can never conflict over them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.core.ids import new_id
from models.storage.db import Base, UTCDateTime, utcnow


class PlaybookVersionRow(Base):
    """One saved state of the whole playbook, as its canonical JSON text."""

    __tablename__ = "playbook_versions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    number: Mapped[int] = mapped_column(Integer, index=True)
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("playbook_versions.id"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))
    created_role: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64))
    format_version: Mapped[int] = mapped_column(Integer)


class HandoverRow(Base):
    """A change of who holds a team post (移交), recorded when a roster edit is saved."""

    __tablename__ = "handovers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))
    playbook_version_id: Mapped[str] = mapped_column(ForeignKey("playbook_versions.id"))
    member_id: Mapped[str] = mapped_column(String(36), index=True)
    post: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    """'holder' or 'deputy': which of the post's two people changed."""
    from_name: Mapped[str] = mapped_column(String(200))
    to_name: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
