"""The signed copies (the scans of every printed form's signed paper, models.review.signed_scans)
as the sync and the views see them, and who may file one: the same rule for the act on this PC
and for every receiver of another PC's copy (docs/trust.md).

A signed copy says "this is the signed paper of that record": a forged one makes a record look
signed, or makes its paper look stale. So a copy is filed in its author's own name, dated no
later than now, of a form the app prints with a code and of a record there is; it is written
once and never changed or removed (no act does either). An archived case still takes one: a
copy changes nothing of the case, and the case file is printed and signed when the case is
closed, so its signed paper comes after the archiving. The paper of one unit's work (an incident's notification
form, case file, situation reports and registration forms of requests for favour, the drill
report of the drilled unit) is filed by whoever handles it; the
office's own paper (the record of the draw, the evaluation, the annual review) by its
planning group and its signers, who make and sign it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from i18n import N_
from models.core.changes import Change
from models.core.content_files import ATTACHMENTS, named_files
from models.drills.entities import DrawRow
from models.drills.reports.entities import DrillEvaluationRow, DrillReportRow
from models.drills.reports.signed_copy_entities import SCAN_SUFFIXES, SignedCopyRow
from models.incidents.attachment_policy import NAME_REFUSED
from models.incidents.attachments import keepable_filename
from models.incidents.entities import IncidentRow, InquiryRow
from models.incidents.followup_entities import SituationReportRow
from models.org.authorship import may, written_by
from models.org.people import Permission
from models.sync.policy import Attachments, Author, SyncPolicy

RECORD_TABLES: dict[str, str | None] = {
    "notification": IncidentRow.__tablename__, "case_file": IncidentRow.__tablename__,
    "drill_draw": DrawRow.__tablename__, "drill_report": DrillReportRow.__tablename__,
    "drill_evaluation": DrillEvaluationRow.__tablename__, "annual_review": None,
    "situation_report": SituationReportRow.__tablename__,
    "favour_registration": InquiryRow.__tablename__}
"""Each form a signed copy may be of (its record_kind) and the table of its record (None: the
annual review is of a year, "keelung:2026", not of a row). A situation report's is the filed
report, a registration form's the inquiry: anyone of the team files them, as the incident's
other forms."""

OFFICE_PAPER = frozenset({"drill_draw", "drill_evaluation", "annual_review"})
"""The forms that are the office's own paper, filed by its planning group and its signers."""

FILERS = (Permission.PLAN_DRILLS, Permission.SIGN_OFF)
"""Who files the office's own paper: the planning group (who draws up the draw record, the
evaluation and the review) and whoever signs it (the executive secretary, the commander)."""

FILED_BY_SIGNERS = N_("The signed paper of the office's own forms (the record of the draw, "
                      "the evaluation, the annual review) is filed by the planning group and "
                      "by those who sign it.")
"""Why someone else may not file it (the act's refusal, the dialog's tooltip)."""


def may_file(form: str, may_do: Callable[[Permission], bool]) -> bool:
    """Whether someone with these permissions (*may_do*) may file a signed copy of *form*."""
    return form not in OFFICE_PAPER or any(may_do(p) for p in FILERS)


def review_year(record_id: object) -> int | None:
    """The year of an annual review's record ("keelung:2026"), or None when it names none: a
    year of the Republic (1912 on) up to next year."""
    if not isinstance(record_id, str):
        return None
    office_code, _sep, year = record_id.rpartition(":")
    if not (office_code and year.isascii() and year.isdigit() and len(year) == 4):
        return None
    return int(year) if 1912 <= int(year) <= datetime.now(UTC).year + 1 else None


_in_person = written_by(by="attached_by", times=("attached_at",))


def _a_signed_copy(author: Author, values: Mapping[str, Any],
                   current: Mapping[str, Any] | None) -> str | None:
    """A new signed copy (insert_only refuses any change to one): of a form the app prints
    with a code, filed by who may file it, in the author's own name, dated no later than now;
    an annual review's of a year there is a review of."""
    form = values.get("record_kind", (current or {}).get("record_kind"))
    if not isinstance(form, str) or form not in RECORD_TABLES:
        return N_("it is a signed copy of no form the app prints with a code")
    if not may_file(form, lambda permission: may(author, permission)):
        return N_("the role of the PC that wrote it may not do this")
    if form == "annual_review" and review_year(values.get("record_id")) is None:
        return N_("it names no year's annual review")
    if "filename" in values and not keepable_filename(values["filename"]):
        return NAME_REFUSED
    return _in_person(author, values, current)


def _record_of(values: Mapping[str, Any]) -> tuple[str, str] | None:
    """The record a signed copy is of (SyncPolicy.refers), which the receiver must hold."""
    form, record_id = values.get("record_kind"), values.get("record_id")
    table = RECORD_TABLES.get(form) if isinstance(form, str) else None
    if table is None:
        return None
    return table, record_id if isinstance(record_id, str) else ""


POLICY = SyncPolicy(
    changes={"signed_copies": Change.SIGNED_COPIES},
    record_names={"signed_copies": N_("Signed copy")},
    column_labels={"filename": N_("File name")},
    name_columns={"signed_copies": "filename"},
    attachments=Attachments(ATTACHMENTS, named_files(SignedCopyRow), SCAN_SUFFIXES),
    writers={"signed_copies": _a_signed_copy},
    insert_only=frozenset({"signed_copies"}),
    refers={"signed_copies": _record_of},
)
