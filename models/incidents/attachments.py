"""Attaching files to an incident or to one of its records, and listing them.

A photo of a container, a scanned letter, a press clipping, a recording of a call: evidence
the case file keeps. The file is untrusted (its kind, its size and its name are checked; it
is read within the limit), stored by its content beside the database and synced with its
row (models.incidents.attachment_policy). An attachment is written once, in its author's
own name, and never removed: archiving the case keeps every one, and nothing can be
attached to an archived case.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePath

from sqlalchemy import select
from sqlalchemy.orm import Session

from i18n import N_, _
from models.core.checks import MAX_LINE, checked_text, one_of
from models.core.content_files import ATTACHMENTS, read_chosen, store, stored_name
from models.core.errors import UserError, ValidationError
from models.core.files import (
    FileTooLarge,
    NotRegularFile,
    atomic_write_bytes,
    read_regular,
    shown_name,
)
from models.incidents.attachment_entities import AttachmentRow
from models.incidents.entities import IncidentRow, InquiryRow, StatementRow
from models.incidents.media_entities import MediaItemRow
from models.org.people import Actor
from models.storage.db import Base, Database, row_or_gone

log = logging.getLogger(__name__)

RECORD_KINDS = ("incident", "statement", "media_item", "inquiry")
"""What a file may be attached to: the incident itself or one of its records."""

RECORD_NAMES = {"incident": N_("The incident"), "statement": N_("Statement"),
                "media_item": N_("Media item"), "inquiry": N_("Inquiry")}
"""What each kind of record is called where an attachment names it (msgids)."""

_RECORD_TABLES: dict[str, type[Base]] = {"statement": StatementRow, "media_item": MediaItemRow,
                                          "inquiry": InquiryRow}
"""The table of each kind of record other than the incident, whose rows name their incident
(incident_id)."""

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp")
"""The attachments shown as a thumbnail."""

SUFFIXES = (*IMAGE_SUFFIXES, ".pdf",
            ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp",
            ".txt", ".mp3", ".m4a", ".wav", ".ogg", ".aac",
            ".mp4", ".mov", ".avi", ".wmv", ".mkv")
"""The kinds of file an attachment may be: images, PDF, office and ODF documents, plain
text, audio and video. Never a program or a script: the file is opened in the system's
viewer by whoever reads the case."""

MAX_ATTACHMENT_BYTES = 25_000_000
"""The size limit of an attached file: within the sync's limit of a file it moves
(models.sync.run._BLOB_LIMIT, 25 MiB), so every file the app accepts reaches every PC."""

_WRONG_KIND = N_("Choose a photo, a PDF, an office document, a text, a recording or a video.")

_HIDDEN = frozenset(("Cc", "Cf", "Cs", "Co", "Cn"))
"""The Unicode categories a file name may not hold: control characters, format characters
(the right-to-left override that shows "gpj.exe" as "exe.jpg"), lone surrogates (a name not
in UTF-8), private and unassigned code points."""


@dataclass(frozen=True)
class AttachmentInfo:
    id: str
    record_kind: str
    record_id: str
    sha256: str
    filename: str
    size: int
    caption: str
    attached_at: datetime
    attached_by: str

    @property
    def stored(self) -> str:
        """Its file's name within the data folder's ATTACHMENTS."""
        return stored_name(self.sha256, self.filename)

    @property
    def is_image(self) -> bool:
        return PurePath(self.filename).suffix.lower() in IMAGE_SUFFIXES


def file_size(size: int) -> str:
    """A file's size as read: in KB below a megabyte, else in MB to a tenth."""
    if size < 1_000_000:
        return _("{size} KB").format(size=max(1, round(size / 1000)))
    return _("{size} MB").format(size=f"{size / 1_000_000:.1f}")


def keepable_filename(name: object) -> bool:
    """Whether *name* may be kept and shown as a file's name (checked_filename); also what
    every receiver checks of an attachment's or a signed scan's name from another PC."""
    return (isinstance(name, str) and bool(name.strip()) and len(name) <= 255
            and "/" not in name and "\\" not in name
            and not any(unicodedata.category(c) in _HIDDEN for c in name))


def checked_filename(name: str) -> str:
    """The name of a file to attach as it is kept and shown: text, never a path. A name with
    a path sign, a control or hidden character, or longer than 255 characters is refused
    (named as it can be shown)."""
    if not keepable_filename(name):
        raise ValidationError("file", N_(
            "The file name {name} cannot be kept: rename the file without path signs or "
            "control characters and attach it again."), name=shown_name(name))
    return name


def attach(db: Database, actor: Actor, incident_id: str, record_kind: str, record_id: str,
           path: Path, caption: str) -> AttachmentInfo:
    """Attach the file at *path* to the incident (*record_kind* 'incident', *record_id* the
    incident's id) or to one of its records, with a caption; in *actor*'s name, now."""
    one_of("record_kind", record_kind, RECORD_KINDS)
    filename = checked_filename(path.name)
    caption = checked_text("caption", caption, MAX_LINE)
    if any(unicodedata.category(c) == "Cc" for c in caption):
        raise ValidationError("caption", N_("The caption holds a control character."))
    data = read_chosen(path, SUFFIXES, MAX_ATTACHMENT_BYTES, _WRONG_KIND)
    with db.session() as session:
        incident = row_or_gone(session, IncidentRow, incident_id,
                               N_("That incident no longer exists."))
        if incident.status != "open":
            raise UserError(N_("This incident is archived as a case file: nothing can be "
                               "attached to it any more. Its attachments are kept."))
        if record_kind == "incident":
            belongs = record_id == incident_id
        else:
            table = _RECORD_TABLES.get(record_kind)
            record = session.get(table, record_id) if table is not None else None
            belongs = (record is not None and getattr(record, "deleted_at", None) is None
                       and getattr(record, "incident_id", None) == incident_id)
        if not belongs:
            raise UserError(N_("That record no longer exists."))
        digest = store(db.path.parent, data, filename)
        row = AttachmentRow(incident_id=incident_id, record_kind=record_kind,
                            record_id=record_id, sha256=digest, filename=filename,
                            size=len(data), caption=caption, attached_by=actor.name,
                            role=actor.role.value)
        session.add(row)
        session.flush()
        return _info(row)


def _info(row: AttachmentRow) -> AttachmentInfo:
    return AttachmentInfo(row.id, row.record_kind, row.record_id, row.sha256, row.filename,
                          row.size, row.caption, row.attached_at, row.attached_by)


def attachments_in(session: Session, incident_id: str, record_kind: str | None = None,
                   record_id: str | None = None) -> tuple[AttachmentInfo, ...]:
    """The files attached to an incident, oldest first: all of them, or those of one record
    (*record_kind*, *record_id*)."""
    query = select(AttachmentRow).where(AttachmentRow.incident_id == incident_id)
    if record_kind is not None:
        query = query.where(AttachmentRow.record_kind == record_kind,
                            AttachmentRow.record_id == record_id)
    rows = session.scalars(query.order_by(AttachmentRow.attached_at, AttachmentRow.id)).all()
    return tuple(_info(row) for row in rows if _belongs(session, row))


def _belongs(session: Session, row: AttachmentRow) -> bool:
    """Is the record a row names one of its incident's, as attach() checks? A row from the
    share may name a record of another case (a tampered PC): it is not shown there. The sync
    cannot refuse it on receipt, since the record may come in the same file, after it."""
    if row.record_kind == "incident":
        return row.record_id == row.incident_id
    table = _RECORD_TABLES.get(row.record_kind)
    record = session.get(table, row.record_id) if table is not None else None
    return record is None or getattr(record, "incident_id", None) == row.incident_id


def attachments_of(db: Database, incident_id: str, record_kind: str | None = None,
                   record_id: str | None = None) -> tuple[AttachmentInfo, ...]:
    """attachments_in, in a session of its own."""
    with db.session() as session:
        return attachments_in(session, incident_id, record_kind, record_id)


def attachment_path(db: Database, info: AttachmentInfo) -> Path:
    """Where the file of an attachment is kept on this PC (it may not have arrived yet)."""
    return db.path.parent / ATTACHMENTS / info.stored


_UNSAFE = re.compile(r"[^\w .()\[\]-]")
"""What a viewer's copy may not keep of a name: anything but letters (Chinese included),
digits, spaces and plain punctuation."""

_RESERVED = frozenset(("CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)),
                       *(f"LPT{n}" for n in range(1, 10))))
"""Names Windows keeps for devices, whatever their suffix."""


def viewer_name(filename: str) -> str:
    """A safe version of an attachment's original name for the copy a viewer opens: its
    suffix (one of SUFFIXES), its stem with every other sign made "_"."""
    suffix = PurePath(filename).suffix.lower()
    stem = _UNSAFE.sub("_", filename[:len(filename) - len(suffix)]).strip(" .")[:100]
    if not stem or stem.split(".")[0].upper() in _RESERVED:
        stem = f"_{stem}"
    return stem + suffix


def viewer_copy(db: Database, info: AttachmentInfo, folder: Path) -> Path:
    """A copy in *folder* of the attachment's file, under viewer_name, for the system's
    viewer: it sees a proper name and suffix, and what it does to its copy (an editor saving
    over it) never touches the stored file. The stored file is read as untrusted (a regular
    file within the limit) and must be what its SHA-256 says."""
    if PurePath(info.filename).suffix.lower() not in SUFFIXES:
        raise UserError(N_("This kind of file is not opened."))
    try:
        data = read_regular(attachment_path(db, info), MAX_ATTACHMENT_BYTES)
    except FileNotFoundError:
        raise UserError(N_("The file of this attachment has not reached this PC yet: the "
                           "next sync brings it.")) from None
    except (NotRegularFile, FileTooLarge, OSError):
        log.warning("attachment %s cannot be read", info.stored, exc_info=True)
        raise UserError(N_("The file of this attachment on this PC is damaged: it is not "
                           "opened.")) from None
    if hashlib.sha256(data).hexdigest() != info.sha256:
        raise UserError(N_("The file of this attachment on this PC is damaged: it is not "
                           "opened."))
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / viewer_name(info.filename)
    atomic_write_bytes(target, data)
    return target
