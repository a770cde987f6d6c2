"""The table of signed paper copies: a scan of a printed, signed form attached to its record.

Insert-only: attaching a scan never changes one attached before. The file itself is stored
by its content (attachments/<sha256><suffix> beside the database: models.core.content_files),
so the same scan attached twice is kept once and a later change of the file cannot go
unnoticed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.core.ids import new_id
from models.storage.db import Base, UTCDateTime, utcnow

SCAN_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")
"""The kinds of scan a signed copy may be (and the only suffixes its stored file may have)."""


class SignedCopyRow(Base):
    __tablename__ = "signed_copies"
    __table_args__ = (Index("ix_signed_copies_record", "record_kind", "record_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    record_kind: Mapped[str] = mapped_column(String(30))
    """The form the paper is (models.review.signed_scans.SIGNED_FORMS: 'drill_report',
    'notification', ...), as its code names it."""
    record_id: Mapped[str] = mapped_column(String(36))
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    typed_code: Mapped[str] = mapped_column(String(20))
    """The verification code as read off the paper."""
    matched_version: Mapped[int | None] = mapped_column(Integer, default=None)
    """The record version whose code it is; None when it is no version's."""
    attached_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attached_by: Mapped[str] = mapped_column(String(200))
