"""The media watch's table: items seen in the media about an incident (輿情監看).

A `Synced` record edited in place: an outlet misspelled or a tone judged again is corrected,
and two PCs correcting different fields of one item merge field by field (docs/sync.md). An
item is a part of its incident, locked once the case is archived (models.incidents.media_policy).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.incidents.media_kinds import MAX_LINK
from models.storage.db import Base, Synced, UTCDateTime


class MediaItemRow(Synced, Base):
    """A report, broadcast or post about the incident: where and when it was seen, what it
    says and how it reads, and the statement that answers it."""

    __tablename__ = "media_items"

    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"), index=True)
    outlet: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20))
    """models.incidents.media_kinds.MEDIA_CHANNELS."""
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    headline: Mapped[str] = mapped_column(String(200))
    link: Mapped[str] = mapped_column(String(MAX_LINK), default="")
    """An http(s) address, or empty (a newspaper clipping, a TV item: see clipping)."""
    clipping: Mapped[str] = mapped_column(Text, default="")
    tone: Mapped[str] = mapped_column(String(20))
    reach: Mapped[str] = mapped_column(String(20))
    reach_note: Mapped[str] = mapped_column(String(200), default="")
    needs_clarification: Mapped[bool] = mapped_column(Boolean, default=False)
    statement_id: Mapped[str | None] = mapped_column(ForeignKey("statements.id"), default=None)
    """The statement or clarification that answers the item (one of the incident's)."""
