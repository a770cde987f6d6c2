"""Signed scans of every printed form that carries signature boxes and a verification code: the
notification form, the case file, a situation report and a request for favour's registration
form of an incident, the record of a drill draw, the drill report, the evaluation and the
annual review. (The daily media summary is of an incident's day, not of a record, and the
activity log has no signatures: no scan is kept of either.) The scan is kept with its
record (a row of signed_copies naming the form and the record, as the drill report's scans
always were), and the app says whether the paper is the record as it stands, an older
printout of it (print and sign again) or none of its versions.

How the paper is identified: the QR code read off the scan (models.core.scan_codes) names
the form, the record, the version and the code; the code typed off the paper is the fallback
for a scan on which no code can be read. A QR code of another form or record is not this
paper's: the person chose the wrong file. This module sits with the review because it reads
incidents and drills alike (neither may import the other).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select

from forms.document import Verification
from forms.verify import CODE_LENGTH, Printed, normalize_code, read_payload, verification
from i18n import N_
from i18n.formatting import DEFAULT_TIMEZONE
from models.core.content_files import read_chosen, store
from models.core.errors import UserError, ValidationError
from models.core.scan_codes import read_codes
from models.drills.entities import DrawRow
from models.drills.kinds import taipei_today
from models.drills.print import draw_content
from models.drills.queries import draw_info
from models.drills.record_header import draw_header
from models.drills.reports.codes import (
    evaluation_verification,
    match_evaluation,
    match_report,
    report_verification,
)
from models.drills.reports.entities import DrillEvaluationRow, DrillReportRow
from models.drills.reports.queries import evaluation_view, report_view
from models.drills.reports.signed_copy_entities import SCAN_SUFFIXES, SignedCopyRow
from models.incidents.attachments import checked_filename
from models.incidents.entities import IncidentRow, InquiryRow
from models.incidents.inquiry_print import favour_form
from models.incidents.print import BUILDERS
from models.incidents.print_situation import situation_report_form
from models.incidents.queries import incident_view
from models.incidents.record_header import incident_header
from models.incidents.situation_reports import load_report
from models.org.people import Actor
from models.org.units import list_units
from models.review.figures import annual_figures
from models.review.report import review_verification
from models.review.signed_scans_policy import (
    FILED_BY_SIGNERS,
    RECORD_TABLES,
    may_file,
    review_year,
)
from models.storage.db import Database, row_or_gone, utcnow

MAX_SCAN_BYTES = 20_000_000
"""The largest scan taken (a few pages at 300 dpi fit; a file beyond it is refused unread)."""

SIGNED_FORMS = {"notification": N_("Notification form"), "case_file": N_("Case file"),
                "drill_draw": N_("Record of the drill unit draw"),
                "drill_report": N_("Crisis management drill report"),
                "drill_evaluation": N_("Crisis management drill evaluation report"),
                "annual_review": N_("Annual crisis management review"),
                "situation_report": N_("Situation report"),
                "favour_registration": N_("Request for favour registration form")}
"""The forms a signed scan may be attached to (the record_kind of its row), with their names.
The kind is the one the form's code and QR code carry (forms.verify)."""


class Verdict(StrEnum):
    CURRENT = "current"
    """The paper is the record as it stands."""
    OLDER = "older"
    """The paper was printed from this record, but the record has changed since."""
    NONE = "none"
    """The code is none of this record's."""


@dataclass(frozen=True)
class Standing:
    """A record as it stands, for checking paper: its current version and code, and how a
    code read off paper is matched (*match*: the version it names and whether that is the
    record as it stands, or None)."""

    version: int
    code: str
    match: Callable[[str], tuple[int, bool] | None]


@dataclass(frozen=True)
class ScanCheck:
    """One signed scan of a form and what its paper is."""

    id: str
    form: str
    record_id: str
    filename: str
    sha256: str
    code: str
    """The code as read off the paper (from its QR code, or typed)."""
    verdict: Verdict
    version: int | None
    """The version the paper was printed from, where known."""
    current_version: int
    attached_at: datetime
    attached_by: str
    from_qr: bool = False
    """Whether the code was read off the scan's QR code (only known when attaching)."""


def _current_only(verified: Verification, version: int) -> Standing:
    """A record whose earlier versions are not kept: only its current code can be matched
    (older paper is recognised by its QR code naming the record)."""
    return Standing(version, verified.code,
                    lambda code: (version, True) if code == verified.code else None)


def _incident(kind: str) -> Callable[[Database, str], Standing]:
    def standing(db: Database, record_id: str) -> Standing:
        with db.session() as session:
            office_code = row_or_gone(session, IncidentRow, record_id,
                                      N_("That incident no longer exists.")).office_code
        view = incident_view(db, record_id, utcnow(), 0)
        units = {u.key: u.name for u in list_units(db, office_code, include_inactive=True)}
        verified = BUILDERS[kind](view, units, DEFAULT_TIMEZONE).verification
        assert verified is not None
        return _current_only(verified, len(view.timeline))
    return standing


def _situation_report(db: Database, record_id: str) -> Standing:
    """A filed report never changes, but its code covers the incident's 公文 header as it
    stands: paper printed before the header changed is an older printout of the same number."""
    report = load_report(db, record_id)
    verified = situation_report_form(report, DEFAULT_TIMEZONE,
                                     header=incident_header(db, report.incident_id)).verification
    assert verified is not None
    return _current_only(verified, report.number)


def _favour(db: Database, record_id: str) -> Standing:
    """The inquiry's registration form as it prints now. Its version is the incident's number
    of timeline entries, which every act on the incident adds to (an edit of the inquiry
    among them): paper printed before is an older printout, as the incident's other forms'."""
    gone = N_("That inquiry no longer exists.")
    with db.session() as session:
        incident_id = row_or_gone(session, InquiryRow, record_id, gone).incident_id
    view = incident_view(db, incident_id, utcnow(), 0)
    inquiry = next((i for i in view.inquiries if i.id == record_id), None)
    if inquiry is None:
        raise UserError(gone)
    verified = favour_form(view, inquiry, DEFAULT_TIMEZONE).verification
    assert verified is not None
    return _current_only(verified, len(view.timeline))


def _draw(db: Database, record_id: str) -> Standing:
    with db.session() as session:
        draw = draw_info(row_or_gone(session, DrawRow, record_id,
                                     N_("That draw no longer exists.")))
    return _current_only(verification("drill_draw", draw.id, 1,
                                      draw_content(draw, draw_header(db, record_id))), 1)


def _report(db: Database, record_id: str) -> Standing:
    with db.session() as session:
        drill_id = row_or_gone(session, DrillReportRow, record_id,
                               N_("That report no longer exists.")).drill_id
    view = report_view(db, drill_id)
    latest = view.report.version if view.report else 0

    def match(code: str) -> tuple[int, bool] | None:
        found = match_report(view, code)
        return (found.version, found.current) if found else None

    code = report_verification(view, latest).code if view.versions else ""
    return Standing(latest, code, match)


def _evaluation(db: Database, record_id: str) -> Standing:
    with db.session() as session:
        drill_id = row_or_gone(session, DrillEvaluationRow, record_id,
                               N_("That evaluation no longer exists.")).drill_id
    view = evaluation_view(db, drill_id)
    def match(code: str) -> tuple[int, bool] | None:
        found = match_evaluation(view, code)
        return (found.version, found.current) if found else None

    return Standing(1, evaluation_verification(view).code, match)


def _annual(db: Database, record_id: str) -> Standing:
    """The year's review as it reads today ("keelung:2026": report.review_id)."""
    year = review_year(record_id)
    if year is None:
        raise UserError(N_("Scans cannot be attached to this form."))
    figures = annual_figures(db, record_id.rpartition(":")[0], year, taipei_today())
    return _current_only(review_verification(figures), 1)


_STANDINGS: dict[str, Callable[[Database, str], Standing]] = {
    "notification": _incident("notification"), "case_file": _incident("case_file"),
    "drill_draw": _draw, "drill_report": _report, "drill_evaluation": _evaluation,
    "annual_review": _annual, "situation_report": _situation_report,
    "favour_registration": _favour}


def standing(db: Database, form: str, record_id: str) -> Standing:
    """The record *record_id* as form *form* prints it now (UserError when it is gone)."""
    if form not in _STANDINGS:
        raise UserError(N_("Scans cannot be attached to this form."))
    return _STANDINGS[form](db, record_id)


def judge(now: Standing, code: str, printed: Printed | None) -> tuple[Verdict, int | None]:
    """What the paper with *code* is (and the version it names): the current version, an
    older one, or none. *printed* is what its QR code says, already known to name this
    record: a code it names that is no longer any version's is still an older printout."""
    found = now.match(code)
    if found is not None:
        return (Verdict.CURRENT if found[1] else Verdict.OLDER), found[0]
    if printed is not None and printed.version <= now.version:
        return Verdict.OLDER, printed.version
    return Verdict.NONE, None


def attach_scan(db: Database, actor: Actor, form: str, record_id: str, path: Path,
                typed_code: str = "") -> ScanCheck:
    """Attach the scan at *path* of a printed *form* of the record *record_id*: its QR code
    is read (on the worker: this is slow), the typed code used where there is none. Refused,
    with nothing kept, when the file is refused, when its QR code is another record's, or
    when neither a QR code nor a whole typed code names the paper; when the form is the
    office's own and *actor* may not file it (models.review.signed_scans_policy: what every
    receiver checks too). An archived case takes its signed paper as an open one does."""
    if not may_file(form, actor.may):
        raise UserError(FILED_BY_SIGNERS)
    # Its name is shown in the list of scans on every PC: no override showing
    # "scan\u202efdp.png" as "scangnp.pdf", no control character, as an incident's attachment.
    checked_filename(path.name)
    data = read_chosen(path, SCAN_SUFFIXES, MAX_SCAN_BYTES,
                       N_("Choose a scan: a PDF or an image file."))
    ours = [p for p in map(read_payload, read_codes(data, path.suffix)) if p is not None]
    printed = next((p for p in ours if p.kind == form and p.record_id == record_id), None)
    if printed is not None:
        code = printed.code
    elif ours:
        raise ValidationError("file", N_("The QR code on this scan is of another form or "
                                         "record: choose the scan of this form."))
    else:
        code = normalize_code(typed_code)
        if len(code.replace("-", "")) != CODE_LENGTH:
            raise ValidationError("code", N_("No QR code could be read off the scan: type "
                                             "the whole code printed under the form."))
    now = standing(db, form, record_id)
    verdict, version = judge(now, code, printed)
    with db.session() as session:
        if RECORD_TABLES[form] == IncidentRow.__tablename__:
            row_or_gone(session, IncidentRow, record_id, N_("That incident no longer exists."))
        digest = store(db.path.parent, data, path.name)
        row = SignedCopyRow(record_kind=form, record_id=record_id, sha256=digest,
                            filename=path.name, size=len(data), typed_code=code,
                            matched_version=version, attached_by=actor.name)
        session.add(row)
        session.flush()
        return ScanCheck(row.id, form, record_id, row.filename, digest, code, verdict, version,
                         now.version, row.attached_at, actor.name, printed is not None)


def scans_of(db: Database, form: str, record_id: str) -> tuple[ScanCheck, ...]:
    """The scans attached to *form* of the record, oldest first, each judged against the
    record as it stands now (a scan that was current goes stale when the record changes)."""
    with db.session() as session:
        rows = session.scalars(select(SignedCopyRow).where(
            SignedCopyRow.record_kind == form, SignedCopyRow.record_id == record_id)
            .order_by(SignedCopyRow.attached_at)).all()
        session.expunge_all()
    if not rows:
        return ()
    now = standing(db, form, record_id)
    checks = []
    for r in rows:
        found = now.match(r.typed_code)
        version: int | None
        if found is not None:
            verdict, version = (Verdict.CURRENT if found[1] else Verdict.OLDER), found[0]
        else:
            verdict = Verdict.OLDER if r.matched_version is not None else Verdict.NONE
            version = r.matched_version
        checks.append(ScanCheck(r.id, form, record_id, r.filename, r.sha256, r.typed_code,
                                verdict, version, now.version, r.attached_at, r.attached_by))
    return tuple(checks)
