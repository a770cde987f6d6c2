"""A case file as HTML for the screen: facts, notifications, decisions, actions, statements,
negotiation, review, corrective actions and the full timeline (the printed case file is the
PDF of forms/; this is what the archive shows while one searches)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING

from i18n import _, pick
from i18n.formatting import format_date, format_datetime
from models.incident_kinds import (
    ACTION_STATUSES,
    CONFIRMERS,
    CORRECTIVE_STATUSES,
    FIELDS,
    MEANS,
    SOURCES,
    STATEMENT_KINDS,
    level_by_key,
)
from models.timeline_text import describe, kind_label

if TYPE_CHECKING:
    from models.incident_queries import IncidentView


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br>") if value else "—"


def _heading(text: str) -> str:
    return f"<h3>{escape(text)}</h3>"


def _table(headers: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    head = "".join(f"<th align='left'>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_text(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    if not body:
        return "<p>" + escape(_("(none)")) + "</p>"
    return (f"<table border='1' cellspacing='0' cellpadding='3' width='100%'>"
            f"<tr>{head}</tr>{body}</table>")


def case_html(view: IncidentView, units: Mapping[str, str], tz: str) -> str:
    pb = view.playbook

    def when(moment: datetime | None) -> str:
        return format_datetime(moment, long=False, tz=tz) if moment else ""

    category = next((c for c in pb.categories if c.key == view.category_key), None)
    subtype = next((pick(s.text) for c in pb.categories for s in c.subtypes
                    if s.key == view.subtype_key), "")
    groups = {g.key: pick(g.name) for g in pb.team.groups}
    f = view.fields
    facts = [
        (_("Case number"), view.number),
        (_("Subject"), view.title + (_(" (example)") if view.is_example else "")),
        (_("Category"), (pick(category.name) if category else view.category_key)
         + (f" / {subtype}" if subtype else "")),
        (_("Level"), pick(level_by_key(pb, view.level_key).name)),
        (_("Started"), when(view.started_at)),
        (_("Ended"), when(view.ended_at)),
        (_("Location"), view.location),
        (_("Reporting unit"), units.get(view.reporting_unit, view.reporting_unit)),
        (_("Source"), _(SOURCES.get(view.source, view.source))),
        (_("Scope"), view.scope),
        (_("What happened"), view.summary),
    ]
    parts = [f"<h2>{escape(view.number)} {escape(view.title)}</h2>",
             "<table cellpadding='2'>" + "".join(
                 f"<tr><td valign='top'><b>{escape(k)}</b></td><td>{_text(v)}</td></tr>"
                 for k, v in facts) + "</table>"]
    parts.append(_heading(_("Notifications")))
    parts.append(_table(
        (_("Person notified"), _("Acting for"), _("Means"), _("Notified"), _("Acknowledged")),
        ((n.recipient, n.acting_for, _(MEANS.get(n.means, n.means)), when(n.notified_at),
          when(n.acked_at)) for n in view.notifications)))
    parts.append(_heading(_("Assessment and decision")))
    decided = [(_(FIELDS[k].label), f.get(k, "")) for k in (
        "s2.meeting_place", "s2.attendees", "s2.information", "s2.diagnosis", "s2.plan")]
    if view.time_field("s2.meeting_at"):
        meeting = FIELDS["s2.meeting_at"]
        decided.insert(0, (_(meeting.label), when(view.time_field("s2.meeting_at"))))
    if f.get("s2.confirmed_by_name"):
        decided.append((_("Plan confirmed by"), _("{role} {name}, {when}").format(
            role=_(CONFIRMERS.get(f.get("s2.confirmed_by_role", ""), "")),
            name=f["s2.confirmed_by_name"], when=when(view.time_field("s2.confirmed_at")))))
    parts.append(_table((_("Item"), _("Content")), decided))
    parts.append(_heading(_("Actions")))
    parts.append(_table((_("Action"), _("Group"), _("Resources"), _("Status")),
                        ((a.description, groups.get(a.group_key, a.group_key), a.resources,
                          _(ACTION_STATUSES.get(a.status, a.status))) for a in view.actions)))
    parts.append(_heading(_("Statements and clarifications")))
    for s in view.statements:
        released = next((e for e in s.events if e.event == "released"), None)
        note = (_("released version {version} on {channel}, {when}").format(
            version=released.version_number, channel=released.channel,
            when=when(released.event_at)) if released else _("not released"))
        latest = s.versions[-1].text if s.versions else ""
        kind = _(STATEMENT_KINDS.get(s.kind, s.kind))
        parts.append(f"<p><b>{escape(kind)}: {escape(s.title)}</b> ({escape(note)})<br>"
                     f"{_text(latest)}</p>")
    if not view.statements:
        parts.append("<p>" + escape(_("(none)")) + "</p>")
    parts.append(_heading(_("Negotiation")))
    parts.append(_table((_("Party"), _("Position"), _("Agreement"), _("Next step")),
                        ((n.party, n.position, n.agreement, n.next_step)
                         for n in view.negotiations)))
    parts.append(_heading(_("Review")))
    parts.append(_table((_("Item"), _("Content")),
                        ((_(FIELDS[k].label), f.get(k, "")) for k in (
                            "s6.what_happened", "s6.what_worked", "s6.what_failed",
                            "s6.lessons"))))
    parts.append(_heading(_("Corrective actions")))
    parts.append(_table((_("Corrective action"), _("Owner"), _("Due"), _("Status")),
                        ((c.description, c.owner,
                          format_date(c.due, long=False) if c.due else "",
                          _(CORRECTIVE_STATUSES.get(c.status, c.status)))
                         for c in view.corrective)))
    parts.append(_heading(_("Timeline")))
    parts.append(_table((_("Happened"), _("What"), _("By")),
                        ((when(e.event_at), _("{kind}: {text}").format(
                            kind=kind_label(e.kind), text=describe(e, pb, units)), e.author)
                         for e in view.timeline)))
    return "".join(parts)
