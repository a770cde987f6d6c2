"""Drill documents as printed forms (forms/ renders them), every page marked 演練 so a drill
paper is never mistaken for a real incident's: the record of a draw (抽選演練單位: who drew,
when, the candidates with their weights and chances, who was left out and why, the seed that
replays it), the drill report form (危機管理演練報告表) and the evaluation report, with the
commander's and the executive secretary's boxes filled where signed (代 for a deputy).

A report not submitted (a draft, a returned one) and an evaluation not yet ready for sign-off
print marked 草稿 (`DraftMark`): a banner under the title, a second watermark line and the
signing spaces filled, so a draft is never signed as if it were the form.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from forms.document import (
    Block,
    Checkboxes,
    DraftMark,
    FieldGrid,
    FormDocument,
    SignatureBox,
    Signatures,
    Table,
    TextSection,
)
from forms.verify import verification
from i18n import _, pick
from i18n.formatting import format_date, format_datetime, format_month, local_date
from models.drills.kinds import DrawInfo, audit_line, method_label
from models.drills.reports.kinds import (
    REPORT_FIELDS,
    SIGNERS,
    SignEvent,
    rating_label,
)
from models.drills.reports.codes import evaluation_verification, report_verification
from models.drills.reports.queries import EvaluationView, ReportView
from models.org.offices import office
from models.org.people import ROLE_LABELS, Role
from models.playbook.model import CORRECTIVE_STATUSES, Playbook
from models.playbook.records import RecordHeader, header_content


def draw_content(draw: DrawInfo, header: RecordHeader = RecordHeader()) -> dict[str, Any]:
    """What the verification code of a draw record covers: the draw and the 公文 header of
    the drill it chose (models.drills.record_header.draw_header), as the record prints it."""
    return {"month": draw.month.isoformat(), "seed": draw.seed, "method": draw.method,
            "result": draw.result_unit_key,
            "candidates": [[c.unit_key, c.weight] for c in draw.candidates],
            "excluded": [[e.unit_key, e.reason] for e in draw.excluded],
            "redraw_of": draw.redraw_of, "reason": draw.redraw_reason,
            **header_content(header)}


def draw_record(draw: DrawInfo, tz: str, header: RecordHeader = RecordHeader()) -> FormDocument:
    """The record of one draw, for the executive secretary to sign: each unit's chance in
    words, then the technical record that replays it. *header*: the drill's, which its code
    covers (the header block itself is added by whoever prints it)."""
    rows: list[tuple[str, str]] = [
        (_("Drill month"), format_month(draw.month)),
        (_("Unit drawn"), draw.result.name),
        (_("Drawn by"), draw.drawn_by),
        (_("Drawn at"), format_datetime(draw.drawn_at, tz=tz)),
        (_("Method"), method_label(draw.method)),
    ]
    if draw.redraw_of:
        rows.append((_("Reason for the redraw"), draw.redraw_reason))
    candidates = Table(
        _("Candidates"), (_("Unit"), _("Last drill"), _("Chance"), _("Why")),
        tuple((c.name, format_date(c.last_drill, long=False) if c.last_drill else "—",
               f"{draw.chance(c.unit_key):.1%}", c.why) for c in draw.candidates),
        widths=(4, 3, 2, 5))
    excluded = Table(_("Left out of the draw"), (_("Unit"), _("Reason")),
                     tuple((e.name, e.reason) for e in draw.excluded), widths=(4, 8))
    return FormDocument(
        office_name=pick(office(draw.office_code).name),
        title=_("Record of the drill unit draw"),
        blocks=(FieldGrid(tuple(rows), columns=2), candidates, excluded,
                TextSection(_("Audit record"), audit_line(draw)),
                Signatures((SignatureBox(_("Clerk")), SignatureBox(_("Executive secretary"),
                                                                   draw.drawn_by)))),
        verification=verification("drill_draw", draw.id, 1, draw_content(draw, header)),
        identity=_("Drill month {month}").format(month=format_month(draw.month)),
        watermark=_("Drill"),
        footer_note=_("The method, seed and weights reproduce the draw."),
    )


def _field(key: str) -> str:
    """A report field's label in the reader's language."""
    return _(REPORT_FIELDS[key])


def _signature_boxes(events: Sequence[SignEvent], tz: str) -> tuple[SignatureBox, ...]:
    """The commander's and the secretary's boxes, filled where signed (代 for a deputy)."""
    boxes = []
    for role, label in SIGNERS.items():
        signed = next((e for e in events if e.kind == "signed" and e.as_role == role), None)
        boxes.append(SignatureBox(
            _(label), signed.name if signed else "",
            format_date(local_date(signed.entered_at, tz)) if signed else "",
            signed.deputy_for if signed else "", signed_from(signed) if signed else "",
            _deputy_title(signed) if signed else ""))
    return tuple(boxes)


def _deputy_title(event: SignEvent) -> str:
    """The signer's own title (their role), printed before a deputy's name (代行)."""
    return _(ROLE_LABELS[Role(event.role)]) if event.role in ROLE_LABELS else ""


def signed_from(event: SignEvent) -> str:
    """"login wang on SEC-PC01": where a signature was made, printed under it; empty for a
    signature from before the app kept it."""
    if not event.login and not event.pc:
        return ""
    return _("login {login} on {pc}").format(login=event.login or "?", pc=event.pc or "?")


def report_form(view: ReportView, playbook: Playbook, tz: str) -> FormDocument:
    """The drill report form (危機管理演練報告表) of the drill's current version, as 001 lays
    it out: 測試單位, 演練時間, 演練項目, 模擬案由, 演練過程摘要, then the review."""
    version = view.current
    draft = version.draft if version else view.draft
    start, end = draft.time_start, draft.time_end
    period = " – ".join(format_datetime(t, tz=tz) for t in (start, end) if t is not None)
    number = version.number if version else 0
    return FormDocument(
        office_name=pick(office(view.drill.office_code).name),
        title=_("Crisis management drill report"),
        blocks=(
            FieldGrid(((_field("unit"), view.unit_name), (_("Drill time"), period))),
            Checkboxes(_field("items"), tuple(
                (pick(c.drill_item), c.key in draft.items) for c in playbook.categories)),
            FieldGrid(((_field("simulated_case"), draft.simulated_case),)),
            TextSection(_field("summary"), draft.summary),
            TextSection(_field("participants"), "\n".join(draft.participants)),
            TextSection(_field("went_well"), draft.went_well),
            TextSection(_field("to_improve"), draft.to_improve),
            TextSection(_field("suggestions"), draft.suggestions),
            Signatures((SignatureBox(_("Head of the unit tested")),
                        *_signature_boxes(view.signatures(number) if version else (), tz))),
        ),
        verification=report_verification(view, number),
        identity=_("Drill month {month}, {unit}").format(month=format_month(view.drill.month),
                                                         unit=view.unit_name),
        watermark=_("Drill"),
        footer_note=_("Filled in by the unit tested and submitted to the commander and the "
                      "executive secretary (procedure, point 7)."),
        draft=None if view.submitted else DraftMark(
            _("Draft"), _("DRAFT — not submitted; not to be signed")),
    )


def evaluation_form(view: EvaluationView, tz: str,
                    measured: tuple[Block, ...] = ()) -> FormDocument:
    """The evaluation report of a drill, for sign-off and circulation to every unit; a drill
    run live prints what it *measured* (models.live_drills.measures_text) under the ratings."""
    evaluation = view.evaluation
    ratings = Table(_("Rating per response stage"), (_("Stage"), _("Rating")), tuple(
        (f"{s.stage}. {s.name}", rating_label(s.rating) if s.rating else "")
        for s in view.stages), widths=(6, 3))
    timing = ""
    if evaluation is not None and evaluation.notify_minutes is not None:
        timing = (_("Notified {minutes} min after the inject: in time.")
                  if evaluation.notify_within
                  else _("Notified {minutes} min after the inject: too late.")).format(
                      minutes=evaluation.notify_minutes)
    actions = Table(_("Corrective actions"), (_("Corrective action"), _("Owner"), _("Due"),
                                             _("Status")),
                    tuple((a.description, a.owner,
                           format_date(a.due, long=False) if a.due else "",
                           _(CORRECTIVE_STATUSES.get(a.status, a.status)))
                          for a in (evaluation.actions if evaluation else ())),
                    widths=(6, 3, 2, 2))
    circulation = Table(_("Circulated to"), (_("Unit"), _("Acknowledged")), tuple(
        (c.name, format_datetime(c.acknowledged_at, long=False, tz=tz)
         if c.acknowledged_at else "") for c in view.circulation), widths=(6, 4))
    return FormDocument(
        office_name=pick(office(view.drill.office_code).name),
        title=_("Crisis management drill evaluation report"),
        blocks=(ratings, *measured, FieldGrid(((_("Notification"), timing),)),
                TextSection(_("Strengths"), evaluation.strengths if evaluation else ""),
                TextSection(_("Improvements"), evaluation.improvements if evaluation else ""),
                actions,
                Signatures((SignatureBox(_("Planning group")),
                            *_signature_boxes(view.signatures, tz))),
                circulation),
        verification=evaluation_verification(view),
        identity=_("Drill month {month}").format(month=format_month(view.drill.month)),
        watermark=_("Drill"),
        footer_note=_("Circulated to every unit for reference (procedure, point 7)."),
        draft=None if view.signable else DraftMark(
            _("Draft"), _("DRAFT — not submitted for approval; not to be signed")),
    )
