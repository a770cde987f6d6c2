"""Attaching the scan of a signed paper form to its record, and telling whether the paper
matches the record: the code printed on every form is computed from the record's id, version
and content (forms/verify.py), so the code read off the paper names the version it was
printed from, or none at all when the paper was printed from something else.

The scan is an untrusted file: its size is limited and it is stored by content under
attachments/ beside the database (models.core.content_files); the record only keeps its hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from forms.verify import normalize_code, read_payload
from i18n import N_
from models.core.content_files import read_chosen, store
from models.core.errors import ValidationError
from models.core.scan_codes import read_codes
from models.drills.reports.codes import match_report
from models.drills.reports.entities import DrillReportRow
from models.drills.reports.queries import report_view
from models.drills.reports.signed_copy_entities import SCAN_SUFFIXES, SignedCopyRow
from models.org.people import Actor
from models.storage.db import Database, row_or_gone

MAX_SCAN_BYTES = 20_000_000


@dataclass(frozen=True)
class SignedCopyInfo:
    id: str
    filename: str
    sha256: str
    typed_code: str
    matched_version: int | None
    current_version: int
    attached_at: datetime
    attached_by: str

    @property
    def matches_current(self) -> bool:
        return self.matched_version == self.current_version


def attach_report_copy(db: Database, actor: Actor, report_id: str, path: Path,
                       typed_code: str) -> SignedCopyInfo:
    """Attach the scan at *path* of a printed drill report, with the code of its QR code
    (read off the scan: slow, on the worker) or, where none can be read, the code typed off
    it. A QR code of another form or record is refused: the wrong file was chosen."""
    code = normalize_code(typed_code)
    if code and len(code.replace("-", "")) < 10:
        raise ValidationError("code", N_("Type the whole code printed under the form."))
    data = read_chosen(path, SCAN_SUFFIXES, MAX_SCAN_BYTES,
                       N_("Choose a scan: a PDF or an image file."))
    ours = [p for p in map(read_payload, read_codes(data, path.suffix)) if p is not None]
    printed = next((p for p in ours if p.kind == "drill_report" and p.record_id == report_id),
                   None)
    if printed is not None:
        code = printed.code
    elif ours:
        raise ValidationError("file", N_("The QR code on this scan is of another form or "
                                         "record: choose the scan of this form."))
    elif not code:
        raise ValidationError("code", N_("No QR code could be read off the scan: type the "
                                         "whole code printed under the form."))
    with db.session() as session:
        drill_id = row_or_gone(session, DrillReportRow, report_id,
                               N_("That report no longer exists.")).drill_id
    match = match_report(report_view(db, drill_id), code)
    matched = match.version if match is not None else None
    with db.session() as session:
        report = row_or_gone(session, DrillReportRow, report_id,
                             N_("That report no longer exists."))
        digest = store(db.path.parent, data, path.name)
        row_ = SignedCopyRow(record_kind="drill_report", record_id=report_id, sha256=digest,
                             filename=path.name[:255], size=len(data), typed_code=code,
                             matched_version=matched, attached_by=actor.name)
        session.add(row_)
        session.flush()
        return SignedCopyInfo(row_.id, row_.filename, digest, code, matched, report.version,
                              row_.attached_at, actor.name)



def report_copies(db: Database, report_id: str) -> tuple[SignedCopyInfo, ...]:
    """The scans attached to a report, oldest first, each with the version its code names and
    whether that is still the current one (a reopen after the scan makes it stale)."""
    with db.session() as session:
        report = session.get(DrillReportRow, report_id)
        if report is None:
            return ()
        rows = session.scalars(select(SignedCopyRow).where(
            SignedCopyRow.record_kind == "drill_report", SignedCopyRow.record_id == report_id)
            .order_by(SignedCopyRow.attached_at)).all()
        return tuple(SignedCopyInfo(r.id, r.filename, r.sha256, r.typed_code,
                                    r.matched_version, report.version, r.attached_at,
                                    r.attached_by) for r in rows)
