"""The table of an incident's attachments: a photo, a scanned letter, a press clipping, a
recording or a document kept with the incident, or with one of its records (a statement, a
media item, an inquiry).

Insert-only, written once in its author's own name: an attachment is evidence, never edited
nor removed, so archiving the case keeps every one. The file itself is stored by its content
(models.core.content_files), the row keeps its SHA-256; the caption and the file name are
text only, never a path.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.core.ids import new_id
from models.storage.db import Base, UTCDateTime, utcnow


class AttachmentRow(Base):
    __tablename__ = "incident_attachments"
    __table_args__ = (Index("ix_incident_attachments_record", "record_kind", "record_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"), index=True)
    record_kind: Mapped[str] = mapped_column(String(30))
    """What it is attached to (models.incidents.attachments.RECORD_KINDS): the incident
    itself, or one of its statements, media items or inquiries."""
    record_id: Mapped[str] = mapped_column(String(36))
    """The id of that record (the incident's own for 'incident')."""
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    """The name the file had when attached: shown and printed, never used as a path."""
    size: Mapped[int] = mapped_column(Integer)
    caption: Mapped[str] = mapped_column(Text, default="")
    attached_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attached_by: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))
