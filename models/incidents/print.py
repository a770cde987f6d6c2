"""An incident as printed forms: the notification form (通報單), the case file (案例檔案) and
the activity log. Plain data in (an IncidentView), a forms.FormDocument out; forms/ renders
it. Labels are composed in the reader's language; what users typed is printed as typed.

Every form carries a verification code over the incident's id, its number of timeline entries
(every recorded change adds one) and the content printed, so a signed paper can be matched to
the record it was printed from, and a later change shows as a different code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from forms.deputies import signer_text
from forms.document import (
    Block,
    Checkboxes,
    FieldGrid,
    FormDocument,
    SignatureBox,
    Signatures,
    Table,
    TextSection,
)
from forms.verify import verification
from i18n import _, pick
from i18n.formatting import format_date, format_datetime, local_date
from models.core.form_files import WrittenForm, write_form
from models.incidents.attachments import RECORD_NAMES, file_size
from models.incidents.decisions_print import decision_blocks
from models.incidents.drill_marks import (
    drill_note,
    drill_title,
    drill_watermark,
    entry_kind_label,
)
from models.incidents.kinds import (
    CONFIRMERS,
    FIELDS,
    MEANS,
    NOTIFY_OUTCOMES,
    SOURCES,
    STATEMENT_KINDS,
    escalation,
)
from models.incidents.media_kinds import RELEASE_CHANNELS, label
from models.incidents.media_print import media_table
from models.incidents.print_clocks import reporting_blocks
from models.incidents.inquiry_print import inquiries_table
from models.incidents.queries import IncidentView, TimelineEntry
from models.incidents.timeline import Entry
from models.incidents.timeline_text import describe, fold_edits
from models.org.offices import office
from models.playbook.model import CORRECTIVE_STATUSES
from models.playbook.records import header_content
from models.storage.db import Database, utcnow


class _Printer:
    """What every form of one incident needs: names, times in the office's zone."""

    def __init__(self, view: IncidentView, units: Mapping[str, str], tz: str) -> None:
        self.view, self.units, self.tz = view, units, tz
        pb = view.playbook
        self.groups = {g.key: pick(g.name) for g in pb.team.groups}
        self.category = next((c for c in pb.categories if c.key == view.category_key), None)

    def when(self, moment: datetime | None, long: bool = False) -> str:
        return format_datetime(moment, long=long, tz=self.tz) if moment else ""

    def facts(self) -> FieldGrid:
        v = self.view
        subtype = next((pick(s.text) for s in (self.category.subtypes if self.category else ())
                        if s.key == v.subtype_key), "")
        return FieldGrid(columns=2, rows=(
            (_("Case number"), v.number),
            (_("Started"), self.when(v.started_at, long=True)),
            (_("Subject"), v.title),
            (_("Ended"), self.when(v.ended_at, long=True)),
            (_("Reporting unit"), self.units.get(v.reporting_unit, v.reporting_unit)),
            (_("Location"), v.location),
            (_("Source"), _(SOURCES.get(v.source, v.source))),
            (_("Subtype"), subtype),
        ))

    def categories(self) -> Checkboxes:
        return Checkboxes(_("Category"), tuple(
            (pick(c.name), c.key == self.view.category_key) for c in self.view.playbook.categories))

    def levels(self) -> Checkboxes:
        return Checkboxes(_("Level"), tuple(
            (pick(lv.name), lv.key == self.view.level_key) for lv in self.view.playbook.levels))

    def notifications(self) -> Table:
        """Every attempt as it went: a call nobody answered prints as 未接聽, never as if
        the person had been told; a deputy told in the holder's stead, as 代行 reads
        (forms.deputies)."""
        return Table(_("Notifications"),
                     (_("Person notified"), _("Means"), _("Outcome"), _("Notified"),
                      _("Acknowledged")),
                     tuple((signer_text(self.groups.get(n.target_group, n.target_group),
                                        n.recipient, n.acting_for),
                            _(MEANS.get(n.means, n.means)),
                            _(NOTIFY_OUTCOMES.get(n.outcome, n.outcome)),
                            self.when(n.notified_at), self.when(n.acked_at))
                           for n in self.view.notifications),
                     widths=(6, 2, 2, 3, 3))

    def timeline(self, heading: str, entries: Sequence[TimelineEntry[Entry]]) -> Table:
        pb = self.view.playbook
        return Table(heading, (_("Happened"), _("What"), _("Entered by"), _("Entered")),
                     tuple((self.when(e.event_at),
                            _("{kind}: {text}").format(kind=entry_kind_label(
                                                           e.kind, self.view.is_drill),
                                                       text=describe(e, pb, self.units)),
                            e.author, self.when(e.entered_at))
                           for e in entries),
                     widths=(2.6, 7, 2, 2.6))

    def attachments(self) -> Table:
        """Every file attached to the incident or its records, with its full SHA-256 (in
        groups of 16 digits), so a copy can be checked against the case file on paper."""
        titles = {s.id: s.title for s in self.view.statements}
        return Table(_("Attachments"),
                     (_("File name"), _("Caption"), _("Attached to"), _("Attached by"),
                      _("Attached"), _("Size"), "SHA-256"),
                     tuple((a.filename, a.caption, titles.get(a.record_id, "")
                            if a.record_kind == "statement" else _(RECORD_NAMES.get(
                                a.record_kind, a.record_kind)),
                            a.attached_by, self.when(a.attached_at), file_size(a.size),
                            " ".join(a.sha256[i:i + 16] for i in range(0, 64, 16)))
                           for a in self.view.attachments),
                     widths=(3, 3, 2.4, 2, 2.6, 1.6, 4.4))

    def content(self) -> dict[str, Any]:
        """What the verification code covers: the facts and every timeline entry (and the
        attachments, where there are any: a form printed before there were keeps its code)."""
        v = self.view
        content = {"number": v.number, "title": v.title, "level": v.level_key,
                   "status": v.status, "fields": dict(v.fields),
                   "timeline": [e.id for e in v.timeline]}
        if v.attachments:
            content["attachments"] = [a.id for a in v.attachments]
        return {**content, **header_content(v.header)}

    def document(self, kind: str, title: str, blocks: tuple[Block, ...],
                 footer: str = "") -> FormDocument:
        v = self.view
        note = footer + (_(" Example data, not a real case.") if v.is_example else "")
        return FormDocument(
            office_name=pick(office(v.office_code).name), title=drill_title(title, v.is_drill),
            blocks=blocks,
            verification=verification(kind, v.id, len(v.timeline), self.content()),
            footer_note=drill_note(note.strip(), v.is_drill),
            watermark=drill_watermark(v.is_drill),
            identity=_("Case no. {number}").format(number=v.number))


def notification_form(view: IncidentView, units: Mapping[str, str], tz: str) -> FormDocument:
    """The incident notification form (危機事件通報單): facts, level, who was told."""
    p = _Printer(view, units, tz)
    plan = escalation(view.playbook, view.level_key)
    rule = (_("{level}: notify the {who} at once.") if plan.at_once else
            _("{level}: handle it, then notify the {who}; keep watching how it develops."))
    who = p.groups.get(plan.level.notify_group, plan.level.notify_group)
    top = _("Commander") if plan.level.notify_group == "commander" else _("Executive secretary")
    return p.document("notification", _("Crisis incident notification form"), (
        p.facts(),
        p.categories(),
        p.levels(),
        TextSection(_("What happened"), view.summary),
        TextSection(_("Scope"), view.scope),
        p.notifications(),
        *reporting_blocks(view, tz),
        Signatures((SignatureBox(_("Reporting officer")), SignatureBox(_("Unit head")),
                    SignatureBox(top))),
    ), rule.format(level=pick(plan.level.name), who=who))


def case_file(view: IncidentView, units: Mapping[str, str], tz: str) -> FormDocument:
    """The case file (案例檔案) of an incident: everything, for archiving and learning."""
    p = _Printer(view, units, tz)
    f = view.fields
    decided: list[tuple[str, str]] = []
    for key in ("s2.meeting_at", "s2.meeting_place", "s2.attendees", "s2.information",
                "s2.diagnosis", "s2.plan"):
        value = f.get(key, "")
        if FIELDS[key].kind == "datetime":
            value = p.when(view.time_field(key), long=True)
        decided.append((_(FIELDS[key].label), value))
    if f.get("s2.confirmed_by_name"):
        confirmed = _("{role} {name}, {when}").format(
            role=_(CONFIRMERS.get(f.get("s2.confirmed_by_role", ""), "")),
            name=f["s2.confirmed_by_name"],
            when=p.when(view.time_field("s2.confirmed_at"), long=True))
        recorder = view.confirmation_recorder()
        if recorder:
            confirmed += " " + _("(recorded by {name})").format(name=recorder)
        decided.append((_("Plan confirmed by"), confirmed))
    blocks: list[Block] = [
        p.facts(), p.categories(), p.levels(),
        TextSection(_("What happened"), view.summary),
        p.notifications(),
        FieldGrid(rows=tuple(decided)),
        *decision_blocks(view, p.when, p.groups),
        Table(_("Progress reports"), (_("Happened"), _("Report"), _("Entered by")),
              tuple((p.when(e.event_at), e.what.text, e.author)
                    for e in view.reports()), widths=(2.6, 8, 2)),
    ]
    for s in view.statements:
        released = next((e for e in s.events if e.event == "released"), None)
        shown = next((v for v in s.versions if released and v.number == released.version_number),
                     s.versions[-1] if s.versions else None)
        state = ("; ".join(_("version {version} released via {channel}, {when}").format(
            version=e.version_number, channel=label(RELEASE_CHANNELS, e.channel),
            when=p.when(e.event_at, long=True)) for e in s.releases()) if released
            else _("not released"))
        blocks.append(TextSection(
            _("{kind}: {title} ({state})").format(kind=_(STATEMENT_KINDS.get(s.kind, s.kind)),
                                                  title=s.title, state=state),
            shown.text if shown else ""))
    blocks.append(media_table(view, tz, view.archived_at or datetime.now(UTC)))
    if view.inquiries:
        blocks.append(inquiries_table(view, tz, local_date(utcnow(), tz)))
    press = FIELDS["s4.press_materials"]
    blocks += [
        TextSection(_(press.label), f.get(press.key, "")),
        Table(_("Negotiation"), (_("Party"), _("Position"), _("Agreement"), _("Next step")),
              tuple((n.party, n.position, n.agreement, n.next_step) for n in view.negotiations)),
    ]
    blocks += [TextSection(_(FIELDS[key].label), f.get(key, "")) for key in (
        "s6.what_happened", "s6.what_worked", "s6.what_failed", "s6.lessons")]
    blocks += [
        Table(_("Corrective actions"), (_("Corrective action"), _("Owner"), _("Due"),
                                        _("Status")),
              tuple((c.description, c.owner, format_date(c.due, long=False) if c.due else "",
                     _(CORRECTIVE_STATUSES.get(c.status, c.status))) for c in view.corrective),
              widths=(6, 3, 2, 2)),
        p.attachments(),
        # The events first; the edits of the forms' fields (folded) as an appendix, so the
        # notifications, levels and decisions are not buried under pages of typing.
        p.timeline(_("Timeline"), [e for e in view.timeline if e.kind != "field"]),
        Signatures((SignatureBox(_("Handling unit head")), SignatureBox(_("Planning group")),
                    SignatureBox(_("Executive secretary")), SignatureBox(_("Commander")))),
        p.timeline(_("Appendix: changes to the recorded fields"),
                   [e for e in fold_edits(view.timeline) if e.kind == "field"]),
    ]
    return p.document("case_file", _("Crisis case file"), tuple(blocks),
                      _("Kept for later reference and improvement (procedure, point 3)."))


def activity_log(view: IncidentView, units: Mapping[str, str], tz: str) -> FormDocument:
    """Everything recorded for the incident, in order, with event and entry times."""
    p = _Printer(view, units, tz)
    return p.document("activity_log", _("Crisis team activity log"), (
        FieldGrid(columns=2, rows=((_("Case number"), view.number),
                                   (_("Subject"), view.title))),
        p.timeline("", view.timeline),  # the whole record: every edit as it was stored
    ))


BUILDERS = {"notification": notification_form, "case_file": case_file,
            "activity_log": activity_log}


def export_case_files(db: Database, office_code: str, folder: Path,
                      tz: str, *, odf: bool = False) -> list[WrittenForm]:
    """Write every archived case file of the office as a PDF named by its case number, for
    archiving on paper or in the records system (*odf*: and as an ODF text document beside
    it); a file of the same case is replaced. Each
    carries its case's 公文 header (檔號, 保存年限, 密等…), as printed from the window."""
    from dataclasses import replace

    from sqlalchemy import select

    from models.incidents.entities import IncidentRow
    from models.incidents.queries import load_view
    from models.incidents.real import real
    from models.incidents.record_header import view_official_header
    from models.org.units import list_units

    folder.mkdir(parents=True, exist_ok=True)
    units = {u.key: u.name for u in list_units(db, office_code, include_inactive=True)}
    with db.session() as session:
        ids = list(session.scalars(select(IncidentRow.id).where(
            IncidentRow.office_code == office_code, IncidentRow.status == "archived",
            IncidentRow.deleted_at.is_(None), real()).order_by(IncidentRow.started_at)))
        views = [load_view(session, i, utcnow(), None) for i in ids]
    return [write_form(folder / f"{view.number}.pdf",
                       replace(case_file(view, units, tz), header=view_official_header(view)),
                       odf=odf)
            for view in views]
