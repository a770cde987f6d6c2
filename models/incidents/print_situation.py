"""A situation report (處理情形) as one printed page: the short account the commander reads
instead of the whole case file, in the look of the other incident forms.

Built from the report's stored snapshot, never from the incident as it is now, so a report
printed again later says what it said when filed. The snapshot is read defensively: a value
missing or of the wrong type (a damaged row) prints as empty, never a crash.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from forms.deputies import signer_text
from forms.document import (
    Block,
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
from i18n.formatting import format_date, format_datetime
from models.core.errors import UserError
from models.incidents.drill_marks import drill_note, drill_title, drill_watermark
from models.incidents.kinds import (
    ACTION_STATUSES,
    MEANS,
    NOTIFY_OUTCOMES,
    STATEMENT_EVENTS,
    STATEMENT_KINDS,
)
from models.incidents.inquiries import CHANNELS as INQUIRY_CHANNELS
from models.incidents.media_kinds import MEDIA_CHANNELS, RELEASE_CHANNELS, TONES, label
from models.incidents.situation_reports import ReportInfo, Snapshot
from models.org.offices import office
from models.playbook.records import RecordHeader, header_content

DRAFT_STATE = "draft"


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _name(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return pick({k: v for k, v in value.items() if isinstance(v, str)}) if isinstance(
        value, dict) else ""


def _items(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = data.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _when(value: object, tz: str, long: bool = False) -> str:
    """An ISO time of the snapshot in the office's zone: short in tables, *long* in fields."""
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    return format_datetime(moment, long=long, tz=tz) if moment is not None else ""


def snapshot_blocks(snapshot: Snapshot, tz: str) -> tuple[Block, ...]:
    """The incident as the report tells it: facts and notifications, then the tasks, the
    statements, what the media wrote and what legislators asked, each only where there is
    something to tell (a page of empty tables would not be the one page a commander reads)."""
    level = snapshot.get("level")
    stage = snapshot.get("stage")
    level_name = _name(level, "name") if isinstance(level, dict) else ""
    stage_text = ""
    if isinstance(stage, dict) and isinstance(stage.get("number"), int):
        stage_text = _("{number}. {name}").format(number=stage["number"],
                                                  name=_name(stage, "name"))
    media_states = {**STATEMENT_EVENTS, DRAFT_STATE: _("Draft")}
    return (
        FieldGrid(columns=2, rows=(
            (_("Case number"), _text(snapshot, "case_number")),
            (_("Started"), _when(snapshot.get("started_at"), tz, long=True)),
            (_("Subject"), _text(snapshot, "title")),
            (_("Location"), _text(snapshot, "location")),
            (_("Level"), level_name),
            (_("Current stage"), stage_text),
        )),
        TextSection(_("What happened"), _text(snapshot, "summary")),
        TextSection(_("Scope"), _text(snapshot, "scope")),
        Table(_("Notifications"),
              (_("Person notified"), _("Means"), _("Outcome"), _("Notified"),
               _("Acknowledged")),
              tuple((signer_text(_name(n, "group_name"), _text(n, "recipient"),
                                 _text(n, "acting_for")),
                     label(MEANS, _text(n, "means")),
                     label(NOTIFY_OUTCOMES, _text(n, "outcome")),
                     _when(n.get("notified_at"), tz),
                     _when(n.get("acked_at"), tz) or _("Not yet"))
                    for n in _items(snapshot, "notifications")),
              widths=(6, 2, 2, 3, 3)),
    ) + tuple(table for table in (
        Table(_("Task board"), (_("Task"), _("Group"), _("Owner"), _("Due"), _("Status")),
              tuple((_text(a, "description"), _name(a, "group_name"), _text(a, "owner"),
                     _when(a.get("due_at"), tz), label(ACTION_STATUSES, _text(a, "status")))
                    for a in _items(snapshot, "actions")),
              widths=(5, 2, 2, 3, 2)),
        Table(_("Statements to the press"), (_("Kind"), _("Title"), _("State"), _("Released")),
              tuple((label(STATEMENT_KINDS, _text(m, "kind")), _text(m, "title"),
                     label(media_states, _text(m, "state")),
                     " ".join(filter(None, (label(RELEASE_CHANNELS, _text(m, "channel")),
                                            _when(m.get("at"), tz)))))
                    for m in _items(snapshot, "media")),
              widths=(2, 5, 3, 3)),
        Table(_("In the media"), (_("Seen"), _("Media"), _("Headline"), _("Tone"),
                                  _("Clarification")),
              tuple((_when(c.get("seen_at"), tz),
                     " ".join(filter(None, (label(MEDIA_CHANNELS, _text(c, "channel")),
                                            _text(c, "outlet")))),
                     _text(c, "headline"), label(TONES, _text(c, "tone")),
                     _when(c.get("released_at"), tz) or (
                         _("needed, none yet") if c.get("needs_clarification") is True
                         else "—"))
                    for c in _items(snapshot, "coverage")),
              widths=(3, 3, 5, 1.5, 3)),
        Table(_("Legislators' inquiries"), (_("Who"), _("How it came"), _("Received"),
                                            _("Request"), _("Where it stands")),
              tuple((_text(i, "rep_name"), label(INQUIRY_CHANNELS, _text(i, "channel")),
                     _when(i.get("received_at"), tz), _text(i, "request"), _standing(i, tz))
                    for i in _items(snapshot, "inquiries")),
              widths=(2, 2, 3, 5, 3)),
    ) if table.rows)  # what there is to tell: the commander's page stays one page


def _standing(inquiry: Mapping[str, Any], tz: str) -> str:
    """What the legal acts of an inquiry had come to when the report was filed (its clocks'
    due days are the section's and the case file's: they depend on the holidays listed)."""
    lines = []
    if inquiry.get("favour") is True:
        registered = _day(inquiry.get("registered_on"))
        lines.append(_("registered with the ethics unit on {day}").format(day=registered)
                     if registered else _("registration with the ethics unit pending"))
    if inquiry.get("written") is True:
        replied = _when(inquiry.get("replied_at"), tz)
        lines.append(_("replied {when}").format(when=replied) if replied
                     else _("written reply pending"))
    return "\n".join(lines) or "—"


def _day(value: object) -> str:
    try:
        day = date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        day = None
    return format_date(day, long=False) if day is not None else ""


def situation_report_form(report: ReportInfo, tz: str, drill: bool = False,
                          header: RecordHeader = RecordHeader()) -> FormDocument:
    """One filed report, as printed for the commander; *drill*: of a drill incident (演練).
    *header*: the incident's 公文 header as stored, which the code covers with the report."""
    snapshot = report.snapshot
    code = _text(snapshot, "office_code")
    try:
        office_name = pick(office(code).name)
    except UserError:  # a damaged snapshot names no office
        office_name = code
    filed = format_datetime(report.entered_at, long=True, tz=tz)
    blocks: tuple[Block, ...] = (
        FieldGrid(columns=2, rows=(
            (_("Situation report no."), str(report.number)),
            (_("Filed"), _("{when} by {name}").format(when=filed, name=report.entered_by)),
        )),
        *snapshot_blocks(snapshot, tz),
        TextSection(_("Next steps"), report.next_steps),
        Signatures((SignatureBox(_("Unit head"), name=report.entered_by, date=filed),
                    SignatureBox(_("Executive secretary")), SignatureBox(_("Commander")))),
    )
    content = {"snapshot": dict(snapshot), "next_steps": report.next_steps,
               "by": report.entered_by, "at": report.entered_at.isoformat(),
               **header_content(header)}
    return FormDocument(
        office_name=office_name, title=drill_title(_("Situation report"), drill), blocks=blocks,
        verification=verification("situation_report", report.id, report.number, content),
        footer_note=drill_note(
            _("As filed; later changes of the incident are in the next report."), drill),
        watermark=drill_watermark(drill),
        identity=_("Case no. {number}, situation report {report}").format(
            number=_text(snapshot, "case_number"), report=report.number),
        draft=DraftMark(_("Damaged"), _("This report's record cannot be read: do not sign "
                                         "it.")) if report.damaged else None)
