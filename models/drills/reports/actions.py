"""User actions on a drill's report form and its evaluation, one function per act of the
procedure's section 七 (二) and (三).

- The unit tested fills in the drill report form (危機管理演練報告表) and submits it (簽報) to
  the commander (總指揮) and the executive secretary (執行秘書); either may return it with a
  comment; once both have signed, it is locked, and the drill is 'reported'. A locked report
  changes only through a reopen with a reason, which starts a new version: the signed version
  and its signatures stay as they were.
- The planning group (策劃組) evaluates the drill from the signed report (評估與觀摩): a
  rating per response stage, the notification's timeliness, strengths, improvements and
  corrective actions; it submits the evaluation for approval (陳核), which freezes it; the
  commander and the executive secretary sign it, or either returns it with a comment (and
  the signatures of that submission no longer count); both signatures lock it and make the
  drill 'evaluated'; the planning group sends it to every unit for reference (影送各單位參考)
  and each unit acknowledges it. What is signed is exactly what was submitted: an
  evaluation under approval does not change.

Every function is one transaction; input is checked before anything is written, and a
ValidationError names the field at fault; the role is checked here (Actor.require).

Drills never count among real incidents: nothing here reads or writes an incident table
(incidents, timeline, notifications, case files, the case search), so no case number, incident
list or statistic of real crises can include a drill, its report or its evaluation.
"""

from __future__ import annotations

import json
from contextlib import suppress
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from i18n import N_, _, pick
from models.core.checks import MAX_LINE, MAX_TEXT, checked_text, past_time
from models.core.errors import PermissionDenied, UserError, ValidationError
from models.core.ids import stable_id
from models.drills.entities import DrillRow
from models.drills.queries import active_units, live_drill
from models.drills.reports.entities import (
    DrillCorrectiveActionRow,
    DrillEvaluationEventRow,
    DrillEvaluationRow,
    DrillReportEventRow,
    DrillReportRow,
    DrillReportVersionRow,
)
from models.drills.reports.kinds import (
    RATINGS,
    REPORT_FIELDS,
    SIGNERS,
    CirculationEntry,
    EvaluationDraft,
    EvaluationInfo,
    ReportDraft,
    ReportInfo,
    ReportVersion,
    SignEvent,
    draft_from_content,
    evaluation_missing,
    missing_fields,
    notification_timeliness,
    report_content,
)
from models.drills.reports.queries import (
    circulation,
    drill_evaluation,
    drill_report,
    duty_refusal,
    evaluation_events,
    evaluation_info,
    load_ratings,
    report_events,
    report_info,
    unit_row,
    valid_signatures,
)
from models.org.people import Actor, Permission
from models.playbook.model import CORRECTIVE_STATUSES, Playbook
from models.playbook.store import playbook_at as playbook_at
from models.storage.db import Database, row_or_gone, utcnow

MAX_PARTICIPANTS = 200


class ReportIncomplete(ValidationError):
    """A report or evaluation cannot go on while required fields are empty; ``missing`` names
    them (keys of the form), and the message lists their labels."""

    def __init__(self, missing: Sequence[str], labels: Sequence[str]) -> None:
        super().__init__(", ".join(missing), N_("Fill in first: {fields}."),
                         fields=", ".join(labels))
        self.missing = tuple(missing)


# ---------------------------------------------------------------------------------------------
# Checking input



def _version_id(report_id: str, number: int) -> str:
    """Version *number* of a report is one row on every PC (docs/sync.md, "the X of Y"): two
    PCs starting it at once make a conflict to decide, not two clashing rows."""
    return stable_id("drill_report_version", report_id, str(number))

def _check_draft(draft: ReportDraft, pb: Playbook) -> ReportDraft:
    """The draft with its texts trimmed and its items in playbook order; raises naming the
    first bad field. Empty fields are allowed until the report is submitted."""
    now = utcnow()
    start = (past_time("time_start", draft.time_start, now) if draft.time_start else None)
    end = (past_time("time_end", draft.time_end, now) if draft.time_end else None)
    if start is not None and end is not None and end < start:
        raise ValidationError("time_end", N_("The end lies before the start."))
    known = [c.key for c in pb.categories]
    if any(item not in known for item in draft.items):
        raise ValidationError("items", N_("Choose a category of the playbook."))
    participants = tuple(p for p in (checked_text("participants", p, MAX_LINE)
                                     for p in draft.participants) if p)
    if len(participants) > MAX_PARTICIPANTS:
        raise ValidationError("participants", N_("At most {limit} names."),
                              limit=MAX_PARTICIPANTS)
    return ReportDraft(
        time_start=start,
        time_end=end,
        items=tuple(k for k in known if k in draft.items),
        simulated_case=checked_text("simulated_case", draft.simulated_case, MAX_TEXT),
        summary=checked_text("summary", draft.summary, MAX_TEXT),
        participants=participants,
        went_well=checked_text("went_well", draft.went_well, MAX_TEXT),
        to_improve=checked_text("to_improve", draft.to_improve, MAX_TEXT),
        suggestions=checked_text("suggestions", draft.suggestions, MAX_TEXT),
    )


def sign_refusal(actor: Actor, *, locked: bool, submitted: bool, events: Sequence[SignEvent],
                 number: int) -> str:
    """Why *actor* cannot sign a report or an evaluation now, the first reason that holds:
    "locked" (both boxes signed), "role" (not a signer), "submitted" (not submitted to the
    signers), "signed" (their own box is signed), "submitter" (they submitted it: another
    person approves it), "twice" (they signed the other box: the commander and the executive
    secretary sign as two people); "" when they may. sign_off and sign_off_evaluation refuse
    on these grounds (_signer: the role, duty_refusal: the last two); the drill screens ask
    this to offer signing only where it would succeed. *events*: the report's or evaluation's, of
    every version; *number*: the version to sign (0 for an evaluation)."""
    if locked:
        return "locked"
    if not actor.may(Permission.SIGN_OFF) or actor.role.value not in SIGNERS:
        return "role"
    if not submitted:
        return "submitted"
    if actor.role.value in {s.as_role for s in valid_signatures(events, number)}:
        return "signed"
    return duty_refusal(actor.name, actor.role.value, events, number)


DUTY_REFUSALS = {
    "submitter": N_("You submitted it: another person signs it off."),
    "twice": N_("You signed the other box: the commander and the executive secretary sign "
                "as two people."),
}


def _refuse_duties(actor: Actor, as_role: str, events: Sequence[SignEvent],
                   number: int) -> None:
    refusal = duty_refusal(actor.name, as_role, events, number)
    if refusal:
        raise PermissionDenied(DUTY_REFUSALS[refusal])


def _signer(actor: Actor, as_role: str, name: str, deputy_for: str,
            comment: str) -> tuple[str, str, str]:
    """Who may sign which box: the commander's box by a commander, the executive secretary's
    by an executive secretary (or their deputies, named with 代)."""
    actor.require(Permission.SIGN_OFF)
    if as_role not in SIGNERS:
        raise ValidationError("as_role", N_("Choose one of the offered values."))
    if actor.role.value != as_role:
        raise PermissionDenied(N_("As {role} you may not sign for the {signer}."),
                               role=actor.role.label, signer=_(SIGNERS[as_role]))
    return (checked_text("name", name, MAX_LINE, required=True),
            checked_text("deputy_for", deputy_for, MAX_LINE),
            checked_text("comment", comment, MAX_TEXT))


# ---------------------------------------------------------------------------------------------
# The report form


def _report(session: Session, report_id: str) -> DrillReportRow:
    return row_or_gone(session, DrillReportRow, report_id,
                       N_("That drill report no longer exists."))


def _current_version(session: Session, row: DrillReportRow) -> DrillReportVersionRow:
    version = session.scalars(select(DrillReportVersionRow).where(
        DrillReportVersionRow.report_id == row.id,
        DrillReportVersionRow.number == row.version)).one()
    return version


def _content_json(draft: ReportDraft, unit_key: str, name_zh: str, name_en: str,
                  number: int) -> str:
    now = utcnow()
    version = ReportVersion(number, unit_key, name_zh, name_en, draft, "", now, now, "", None)
    return json.dumps(report_content(version), ensure_ascii=False, sort_keys=True)


def _event(session: Session, row: DrillReportRow, actor: Actor, kind: str, number: int, *,
           as_role: str = "", name: str = "", deputy_for: str = "", comment: str = "") -> None:
    session.add(DrillReportEventRow(
        report_id=row.id, version_number=number, kind=kind, as_role=as_role, name=name,
        deputy_for=deputy_for, comment=comment, entered_at=utcnow(), entered_by=actor.name,
        role=actor.role.value, login=actor.login, pc=actor.pc))


def save_report(db: Database, actor: Actor, drill_id: str, draft: ReportDraft) -> ReportInfo:
    """The unit tested (any role) saves its drill report form as a draft.

    The first save creates the report (version 1). A draft version is overwritten by the next
    save; a version already submitted never changes, so saving after a return starts a new
    version. A report awaiting sign-off or signed (locked) cannot be saved: a signer returns
    it, or a locked one is reopened with a reason."""
    with db.session() as session:
        drill = live_drill(session, drill_id)
        if drill.status == "cancelled":
            raise UserError(N_("The drill was cancelled; it has no report."))
        pb = playbook_at(session, drill.playbook_version_id)
        checked = _check_draft(draft, pb)
        unit = unit_row(session, drill.office_code, drill.unit_key)
        name_zh, name_en = (unit.name_zh, unit.name_en) if unit else (drill.unit_key, "")
        row = drill_report(session, drill_id)
        now = utcnow()
        if row is None:
            row = DrillReportRow(id=stable_id("drill_report", drill_id), drill_id=drill_id,
                                 status="draft", version=1,
                                 updated_by=actor.name)
            session.add(row)
            session.flush()
            session.add(DrillReportVersionRow(
                id=_version_id(row.id, 1), report_id=row.id, number=1, reason="", created_at=now, saved_at=now,
                saved_by=actor.name,
                content=_content_json(checked, drill.unit_key, name_zh, name_en, 1)))
            session.flush()
            return report_info(row)
        if row.status == "submitted":
            raise UserError(N_("The report awaits sign-off; a signer can return it for "
                               "changes."))
        if row.status == "signed":
            raise UserError(N_("The report is signed and locked; reopen it with a reason to "
                               "change it."))
        version = _current_version(session, row)
        content = _content_json(checked, drill.unit_key, name_zh, name_en, row.version)
        if version.submitted_at is None:
            if version.content != content:
                version.content = content
                version.saved_at = now
                version.saved_by = actor.name
                row.touch(actor.name)
        elif version.content != content:
            # Returned: the submitted version stays as it was; the edit is a new version.
            returned = [e for e in report_events(session, row.id) if e.kind == "returned"]
            row.version += 1
            session.add(DrillReportVersionRow(
                id=_version_id(row.id, row.version), report_id=row.id, number=row.version,
                reason=returned[-1].comment if returned else "", created_at=now,
                saved_at=now, saved_by=actor.name, content=content))
            row.status = "draft"
            row.touch(actor.name)
        session.flush()
        return report_info(row)


def submit_report(db: Database, actor: Actor, report_id: str) -> ReportInfo:
    """The unit tested submits its report to the commander and the executive secretary
    (簽報). Refused while a required field is empty (`ReportIncomplete` names them). The
    submitted version never changes again; a drill still planned is now held, at the
    report's start time."""
    with db.session() as session:
        row = _report(session, report_id)
        if row.status not in ("draft", "returned"):
            raise UserError(N_("Only a draft or a returned report can be submitted."))
        version = _current_version(session, row)
        draft = draft_from_content(json.loads(version.content))
        missing = missing_fields(draft)
        if missing:
            raise ReportIncomplete(missing, [_(REPORT_FIELDS[k]) for k in missing])
        if version.submitted_at is None:
            version.submitted_at = utcnow()
        row.status = "submitted"
        row.touch(actor.name)
        _event(session, row, actor, "submitted", row.version)
        drill = live_drill(session, row.drill_id)
        if drill.status == "planned":
            drill.status = "held"
            drill.held_at = draft.time_start
            drill.touch(actor.name)
        session.flush()
        return report_info(row)


def sign_off(
    db: Database,
    actor: Actor,
    report_id: str,
    *,
    as_role: str,
    name: str,
    deputy_for: str = "",
    comment: str = "",
) -> ReportInfo:
    """The commander or the executive secretary signs the submitted report; *deputy_for*
    names the post holder when their deputy signs for them (代). Each box is signed once per
    submission; when both are signed the report is locked and the drill is 'reported'."""
    name, deputy_for, comment = _signer(actor, as_role, name, deputy_for, comment)
    with db.session() as session:
        row = _report(session, report_id)
        if row.status != "submitted":
            raise UserError(N_("Only a submitted report can be signed."))
        events = report_events(session, row.id)
        signatures = valid_signatures(events, row.version)
        signed = {e.as_role for e in signatures}
        if as_role in signed:
            raise UserError(N_("This box is already signed."))
        _refuse_duties(actor, as_role, events, row.version)
        _event(session, row, actor, "signed", row.version, as_role=as_role, name=name,
               deputy_for=deputy_for, comment=comment)
        if signed | {as_role} >= set(SIGNERS):
            _lock_report(session, row, actor)
        row.touch(actor.name)
        session.flush()
        return report_info(row)


def _lock_report(session: Session, row: DrillReportRow, actor: Actor) -> None:
    """Both boxes of the submission are signed: the report is locked, its drill reported."""
    drill = live_drill(session, row.drill_id)
    row.status = "signed"
    if drill.status in ("planned", "held"):
        drill.status = "reported"
        drill.touch(actor.name)


def settle_signatures(db: Database, actor: Actor) -> int:
    """Lock the reports and evaluations whose two boxes were signed on two PCs at once.

    A signer's PC locks a record when its own signature completes it. Signed at the same time
    on the commander's and the executive secretary's PCs, neither saw the other's signature,
    and the record would stay submitted with both: once a signer's PC holds both (after a
    sync), it locks it in its signer's name, as the second signature would have. Only a
    signer's PC does: every receiver checks that a lock comes from one. How many it locked."""
    if not actor.may(Permission.SIGN_OFF):
        return 0
    locked = 0
    with db.session() as session:
        reports = session.scalars(select(DrillReportRow).where(
            DrillReportRow.status == "submitted", DrillReportRow.deleted_at.is_(None))).all()
        for report in reports:
            if _both_boxes(valid_signatures(report_events(session, report.id), report.version)):
                with suppress(UserError):  # its drill removed meanwhile: nothing to lock
                    _lock_report(session, report, actor)
                    report.touch(actor.name)
                    locked += 1
        evaluations = session.scalars(select(DrillEvaluationRow).where(
            DrillEvaluationRow.status == "submitted",
            DrillEvaluationRow.deleted_at.is_(None))).all()
        for evaluation in evaluations:
            if _both_boxes(valid_signatures(evaluation_events(session, evaluation.id), 0)):
                with suppress(UserError):
                    _lock_evaluation(evaluation, live_drill(session, evaluation.drill_id), actor)
                    evaluation.touch(actor.name)
                    locked += 1
    return locked


def _both_boxes(signatures: Collection[SignEvent]) -> bool:
    return {s.as_role for s in signatures} >= set(SIGNERS)


def return_report(db: Database, actor: Actor, report_id: str, comment: str) -> ReportInfo:
    """A signer sends the submitted report back to the unit with a comment; signatures given
    to this submission no longer count, and the unit's next edit is a new version."""
    actor.require(Permission.SIGN_OFF)
    comment = checked_text("comment", comment, MAX_TEXT, required=True)
    with db.session() as session:
        row = _report(session, report_id)
        if row.status != "submitted":
            raise UserError(N_("Only a submitted report can be returned."))
        _event(session, row, actor, "returned", row.version, as_role=actor.role.value,
               name=actor.name, comment=comment)
        row.status = "returned"
        row.touch(actor.name)
        session.flush()
        return report_info(row)


def reopen_report(db: Database, actor: Actor, report_id: str, reason: str) -> ReportInfo:
    """Reopen a signed (locked) report to change it: a new draft version starts from the
    signed content, with the reason; the signed version and its signatures stay readable and
    unchanged, and the new version needs both signatures again."""
    actor.require(Permission.SIGN_OFF)  # who signed it may open it again
    reason = checked_text("reason", reason, MAX_TEXT, required=True)
    with db.session() as session:
        row = _report(session, report_id)
        if row.status != "signed":
            raise UserError(N_("Only a signed report needs reopening; a draft can be edited "
                               "as it is."))
        if live_drill(session, row.drill_id).status == "evaluated":
            raise UserError(N_("The drill is evaluated on this report; it is no longer "
                               "reopened."))
        old = _current_version(session, row)
        _event(session, row, actor, "reopened", row.version, comment=reason)
        row.version += 1
        now = utcnow()
        session.add(DrillReportVersionRow(
            id=_version_id(row.id, row.version), report_id=row.id, number=row.version,
            content=old.content, reason=reason,
            created_at=now, saved_at=now, saved_by=actor.name))
        row.status = "draft"
        row.touch(actor.name)
        drill = live_drill(session, row.drill_id)
        if drill.status == "reported":
            drill.status = "held"
            drill.touch(actor.name)
        session.flush()
        return report_info(row)


# ---------------------------------------------------------------------------------------------
# The evaluation (評估與觀摩)


def _evaluation(session: Session, evaluation_id: str) -> DrillEvaluationRow:
    return row_or_gone(session, DrillEvaluationRow, evaluation_id,
                       N_("That evaluation no longer exists."))


def _check_evaluation(draft: EvaluationDraft, pb: Playbook) -> None:
    stages = {s.number for s in pb.stages}
    for stage, rating in draft.ratings.items():
        if stage not in stages:
            raise ValidationError("ratings", N_("That stage is not in the playbook."))
        if rating not in RATINGS:
            raise ValidationError(f"ratings.{stage}", N_("Choose one of the offered values."))
    if draft.level_key and draft.level_key not in {lv.key for lv in pb.levels}:
        raise ValidationError("level_key", N_("Choose a level of the playbook."))
    now = utcnow()
    inject = (past_time("inject_at", draft.inject_at, now) if draft.inject_at else None)
    notified = (past_time("notified_at", draft.notified_at, now) if draft.notified_at else None)
    if inject is not None and notified is not None and notified < inject:
        raise ValidationError("notified_at", N_("The notification lies before the inject."))
    checked_text("strengths", draft.strengths, MAX_TEXT)
    checked_text("improvements", draft.improvements, MAX_TEXT)
    for i, action in enumerate(draft.actions):
        checked_text(f"actions[{i}].description", action.description, MAX_TEXT, required=True)
        checked_text(f"actions[{i}].owner", action.owner, MAX_LINE, required=True)
        if action.status not in CORRECTIVE_STATUSES:
            raise ValidationError(f"actions[{i}].status", N_("Choose one of the offered values."))


def save_evaluation(db: Database, actor: Actor, drill_id: str,
                    draft: EvaluationDraft) -> EvaluationInfo:
    """The planning group writes (or changes) the drill's evaluation, from the signed report.

    The minutes from the inject to the notification, and whether they kept the level's rule
    (`notification_timeliness`), are worked out and stored with it. Corrective actions are
    the list given: one with an id is changed, a new one added, one left out removed (a
    tombstone). A signed evaluation is locked."""
    actor.require(Permission.PLAN_DRILLS)
    with db.session() as session:
        drill = live_drill(session, drill_id)
        pb = playbook_at(session, drill.playbook_version_id)
        _check_evaluation(draft, pb)
        report = drill_report(session, drill_id)
        if report is None or report.status != "signed":
            raise UserError(N_("A drill report can be evaluated only after it is signed."))
        row = drill_evaluation(session, drill_id)
        if row is None:
            row = DrillEvaluationRow(id=stable_id("drill_evaluation", drill_id),
                                     drill_id=drill_id, report_id=report.id,
                                     report_version=report.version, status="draft",
                                     updated_by=actor.name)
            session.add(row)
            session.flush()
        elif row.status == "signed":
            raise UserError(N_("The evaluation is signed and can no longer be changed."))
        elif row.status == "submitted":
            raise UserError(N_("The evaluation is submitted for approval: it can be changed "
                               "only after the commander or the executive secretary returns "
                               "it."))
        else:
            row.report_id, row.report_version = report.id, report.version
            row.touch(actor.name)
        minutes: int | None = None
        within: bool | None = None
        if draft.level_key and draft.inject_at and draft.notified_at:
            level = next(lv for lv in pb.levels if lv.key == draft.level_key)
            minutes, within = notification_timeliness(level, draft.inject_at, draft.notified_at)
        row.ratings = json.dumps({str(k): v for k, v in sorted(draft.ratings.items())})
        row.level_key = draft.level_key
        row.inject_at, row.notified_at = draft.inject_at, draft.notified_at
        row.notify_minutes, row.notify_within = minutes, within
        row.strengths = draft.strengths.strip()
        row.improvements = draft.improvements.strip()
        _save_actions(session, row, actor, draft)
        session.flush()
        return evaluation_info(session, row, pb)


def _save_actions(session: Session, row: DrillEvaluationRow, actor: Actor,
                  draft: EvaluationDraft) -> None:
    existing = {a.id: a for a in session.scalars(select(DrillCorrectiveActionRow).where(
        DrillCorrectiveActionRow.evaluation_id == row.id,
        DrillCorrectiveActionRow.deleted_at.is_(None)))}
    kept = set()
    for i, action in enumerate(draft.actions):
        values = (action.description.strip(), action.owner.strip(), action.due, action.status, i)
        if action.id is None:
            session.add(DrillCorrectiveActionRow(
                evaluation_id=row.id, description=values[0], owner=values[1], due=values[2],
                status=values[3], sort_order=i, updated_by=actor.name))
            continue
        target = existing.get(action.id)
        if target is None:
            raise ValidationError(f"actions[{i}]", N_("That entry no longer exists."))
        kept.add(target.id)
        if values != (target.description, target.owner, target.due, target.status,
                      target.sort_order):
            (target.description, target.owner, target.due, target.status,
             target.sort_order) = values
            target.touch(actor.name)
    for key, target in existing.items():
        if key not in kept:
            target.deleted_at = utcnow()
            target.touch(actor.name)


def set_corrective_status(db: Database, actor: Actor, action_id: str, status: str, *,
                          seen_at: datetime | None = None) -> None:
    """A corrective action is followed until done: its status can change even after the
    evaluation is signed. *seen_at*: its last change as the list showed it; a move over a
    newer change (another PC's) is refused."""
    actor.require(Permission.PLAN_DRILLS)
    if status not in CORRECTIVE_STATUSES:
        raise ValidationError("status", N_("Choose one of the offered values."))
    with db.session() as session:
        row = row_or_gone(session, DrillCorrectiveActionRow, action_id,
                          N_("That entry no longer exists."))
        if seen_at is not None and row.updated_at != seen_at:
            raise UserError(N_("This entry was changed on another PC after you opened it. The "
                               "list now shows that change; make yours again."))
        if row.status != status:
            row.status = status
            row.touch(actor.name)


def _evaluation_missing(row: DrillEvaluationRow, pb: Playbook) -> list[str]:
    return evaluation_missing((s.number for s in pb.stages), load_ratings(row), row.level_key,
                              row.inject_at, row.notified_at)


EVALUATION_LABELS = {
    "level_key": N_("Crisis level"),
    "inject_at": N_("Time of the inject"),
    "notified_at": N_("Time of the notification"),
}


def submit_evaluation(db: Database, actor: Actor, evaluation_id: str) -> EvaluationInfo:
    """The planning group submits the evaluation for approval (陳核) to the commander and the
    executive secretary: every stage rated and the notification's timing given, on the report
    as signed. From now on it does not change unless a signer returns it."""
    actor.require(Permission.PLAN_DRILLS)
    with db.session() as session:
        row = _evaluation(session, evaluation_id)
        pb = playbook_at(session, live_drill(session, row.drill_id).playbook_version_id)
        if row.status not in ("draft", "returned"):
            raise UserError(N_("Only a draft or returned evaluation can be submitted for "
                               "approval."))
        _check_still_on_signed_report(session, row)
        _refuse_incomplete(row, pb)
        _evaluation_event(session, row, actor, "submitted")
        row.status = "submitted"
        row.touch(actor.name)
        session.flush()
        return evaluation_info(session, row, pb)


def return_evaluation(db: Database, actor: Actor, evaluation_id: str,
                      comment: str) -> EvaluationInfo:
    """The commander or the executive secretary sends the evaluation back to the planning
    group with a comment: the signatures of this submission no longer count."""
    actor.require(Permission.SIGN_OFF)
    comment = checked_text("comment", comment, MAX_TEXT, required=True)
    with db.session() as session:
        row = _evaluation(session, evaluation_id)
        pb = playbook_at(session, live_drill(session, row.drill_id).playbook_version_id)
        if row.status != "submitted":
            raise UserError(N_("Only an evaluation submitted for approval can be returned."))
        _evaluation_event(session, row, actor, "returned", as_role=actor.role.value,
                          name=actor.name, comment=comment)
        row.status = "returned"
        row.touch(actor.name)
        session.flush()
        return evaluation_info(session, row, pb)


def sign_off_evaluation(
    db: Database,
    actor: Actor,
    evaluation_id: str,
    *,
    as_role: str,
    name: str,
    deputy_for: str = "",
    comment: str = "",
) -> EvaluationInfo:
    """The commander or the executive secretary approves the evaluation submitted to them
    (陳核), each in their own box, as they sign the report. When both have signed this
    submission, the evaluation is locked and the drill is 'evaluated'."""
    name, deputy_for, comment = _signer(actor, as_role, name, deputy_for, comment)
    with db.session() as session:
        row = _evaluation(session, evaluation_id)
        drill = live_drill(session, row.drill_id)
        pb = playbook_at(session, drill.playbook_version_id)
        if row.status == "signed":
            raise UserError(N_("The evaluation is signed and can no longer be changed."))
        if row.status != "submitted":
            raise UserError(N_("The planning group has not submitted the evaluation for "
                               "approval yet."))
        _check_still_on_signed_report(session, row)
        _refuse_incomplete(row, pb)
        events = evaluation_events(session, row.id)
        signatures = valid_signatures(events, 0)
        signed = {e.as_role for e in signatures}
        if as_role in signed:
            raise UserError(N_("This box is already signed."))
        _refuse_duties(actor, as_role, events, 0)
        _evaluation_event(session, row, actor, "signed", as_role=as_role, name=name,
                          deputy_for=deputy_for, comment=comment)
        if signed | {as_role} >= set(SIGNERS):
            _lock_evaluation(row, drill, actor)
        row.touch(actor.name)
        session.flush()
        return evaluation_info(session, row, pb)


def _lock_evaluation(row: DrillEvaluationRow, drill: DrillRow, actor: Actor) -> None:
    """Both boxes of the submission are signed: the evaluation is locked, its drill
    evaluated."""
    row.status = "signed"
    drill.status = "evaluated"
    drill.touch(actor.name)


def _evaluation_event(session: Session, row: DrillEvaluationRow, actor: Actor, kind: str,
                      **fields: str) -> None:
    session.add(DrillEvaluationEventRow(evaluation_id=row.id, kind=kind, entered_at=utcnow(),
                                        entered_by=actor.name, role=actor.role.value,
                                        login=actor.login, pc=actor.pc, **fields))


def _check_still_on_signed_report(session: Session, row: DrillEvaluationRow) -> None:
    report = session.get(DrillReportRow, row.report_id)
    if report is None or report.status != "signed" or report.version != row.report_version:
        raise UserError(N_("The report was reopened after this evaluation was written: "
                           "evaluate the signed report again first."))


def _refuse_incomplete(row: DrillEvaluationRow, pb: Playbook) -> None:
    missing = _evaluation_missing(row, pb)
    if missing:
        labels = [_stage_label(pb, k) if k.startswith("ratings.")
                  else _(EVALUATION_LABELS[k]) for k in missing]
        raise ReportIncomplete(missing, labels)


def _stage_label(pb: Playbook, key: str) -> str:
    number = int(key.split(".", 1)[1])
    stage = next(s for s in pb.stages if s.number == number)
    return _("Rating of stage {number} ({name})").format(number=number, name=pick(stage.name))


def circulate(db: Database, actor: Actor, evaluation_id: str,
              unit_keys: Sequence[str] | None = None) -> tuple[CirculationEntry, ...]:
    """The planning group sends the signed evaluation to units for reference (影送各單位參考):
    *unit_keys*, by default every active unit of the office. A unit already on the list is
    not sent it twice. Returns the whole circulation list."""
    actor.require(Permission.PLAN_DRILLS)
    with db.session() as session:
        row = _evaluation(session, evaluation_id)
        if row.status != "signed":
            raise UserError(N_("The evaluation can be circulated only after it is signed."))
        drill = live_drill(session, row.drill_id)
        units = [u.key for u in active_units(session, drill.office_code)]
        keys = list(units) if unit_keys is None else list(dict.fromkeys(unit_keys))
        if not keys:
            raise ValidationError("unit_keys", N_("Choose at least one unit."))
        for key in keys:
            if key not in units:
                raise ValidationError("unit_keys",
                                      N_("{unit} is not an active unit of the office."),
                                      unit=key)
        events = evaluation_events(session, row.id)
        sent = {e.unit_key for e in events if e.kind == "circulated"}
        now = utcnow()
        for key in keys:
            if key not in sent:
                session.add(DrillEvaluationEventRow(
                    evaluation_id=row.id, kind="circulated", unit_key=key, entered_at=now,
                    entered_by=actor.name, role=actor.role.value))
        session.flush()
        return circulation(session, drill.office_code, evaluation_events(session, row.id))


def acknowledge_circulation(db: Database, actor: Actor, evaluation_id: str,
                            unit_key: str) -> CirculationEntry:
    """A unit confirms it received the evaluation sent to it (someone of that unit, or the
    planning group noting an acknowledgement given by phone); recorded once, with who and
    when."""
    if actor.unit != unit_key and not actor.may(Permission.PLAN_DRILLS):
        raise PermissionDenied(N_("Only someone from that unit can acknowledge for it."))
    with db.session() as session:
        row = _evaluation(session, evaluation_id)
        events = evaluation_events(session, row.id)
        if unit_key not in {e.unit_key for e in events if e.kind == "circulated"}:
            raise ValidationError("unit_key", N_("The evaluation was not sent to that unit."))
        if unit_key in {e.unit_key for e in events if e.kind == "acknowledged"}:
            raise UserError(N_("That unit has already acknowledged the evaluation."))
        session.add(DrillEvaluationEventRow(
            evaluation_id=row.id, kind="acknowledged", unit_key=unit_key, name=actor.name,
            entered_at=utcnow(), entered_by=actor.name, role=actor.role.value))
        session.flush()
        drill = session.get(DrillRow, row.drill_id)
        office = drill.office_code if drill is not None else ""
        entries = circulation(session, office, evaluation_events(session, row.id))
        return next(e for e in entries if e.unit_key == unit_key)
