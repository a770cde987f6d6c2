"""Inquiries in words and on paper: a clock's state as one line (the section, the Home screen,
the case file say it alike), the case file's table of inquiries, and the registration form of
a request for favour (請託關說登錄表) with the fields the 要點's registration asks for."""

from __future__ import annotations

from datetime import date

from forms.document import (
    Checkboxes,
    FieldGrid,
    FormDocument,
    SignatureBox,
    Signatures,
    Table,
    TextSection,
)
from forms.verify import verification
from i18n import _, ngettext, pick
from i18n.formatting import format_date, format_datetime
from models.incidents.clocks import Clock
from models.incidents.drill_marks import drill_title, drill_watermark
from models.incidents.inquiries import CHANNELS, FAVOUR_SOURCE, REP_KINDS, InquiryInfo
from models.incidents.queries import IncidentView
from models.org.offices import office
from models.playbook.records import header_content

MANNERS = {"visit": "in_person", "oral_interpellation": "in_person", "phone": "phone",
           "letter": "writing", "written_interpellation": "writing"}
"""How the inquiry came, as the registration form's 方式 boxes (當面, 電話, 書面, 其他)."""


def clock_text(clock: Clock, today: date) -> str:
    """'due 115/12/10, 2 days left', 'due 115/12/10, 1 day overdue', 'done 115/12/09' ...:
    the due day in the ROC calendar and what is left of it (the reader knows which clock)."""
    due = format_date(clock.due_day, long=False)
    if clock.done_on is not None:
        done = format_date(clock.done_on, long=False)
        text = _("done {day}").format(day=done)
        return _("{text}, late (due {due})").format(text=text, due=due) if clock.late() \
            else text
    left = clock.days_left(today)
    if left < 0:
        return ngettext("due {due}, {n} day overdue", "due {due}, {n} days overdue",
                        -left).format(due=due, n=-left)
    if left == 0:
        return _("due today, {due}").format(due=due)
    return ngettext("due {due}, {n} day left", "due {due}, {n} days left", left).format(
        due=due, n=left)


def clock_line(clock: Clock, today: date) -> str:
    """A clock named by the act it waits for, with clock_text's state."""
    state = clock_text(clock, today)
    if clock.kind == "favour":
        return _("Registration with the ethics unit: {state}").format(state=state)
    return _("Reply to the interpellation: {state}").format(state=state)


def who(inquiry: InquiryInfo) -> str:
    """The representative as a reader names them: kind and name."""
    return _("{kind} {name}").format(kind=_(REP_KINDS.get(inquiry.rep_kind, inquiry.rep_kind)),
                                     name=inquiry.rep_name)


def inquiries_table(view: IncidentView, tz: str, today: date) -> Table:
    """The case file's inquiries with their clocks' outcome."""
    rows = []
    for i in view.inquiries:
        clocks = [clock_line(c, today) for c in i.clocks()]
        rows.append((who(i), _(CHANNELS.get(i.channel, i.channel)),
                     format_datetime(i.received_at, long=False, tz=tz), i.request,
                     "\n".join(clocks) or _("no legal clock")))
    return Table(_("Legislators' inquiries"),
                 (_("Representative"), _("How it came"), _("Received"), _("Request"),
                  _("Clocks")), tuple(rows), widths=(2.6, 1.8, 2.2, 5, 3.4))


def favour_form(view: IncidentView, inquiry: InquiryInfo, tz: str) -> FormDocument:
    """The registration form of a request for favour (請託關說登錄表), to hand to the 政風
    unit; the registration's own fields (who registered it, when, its number) are printed
    once recorded, empty to fill in by hand before."""
    manner = MANNERS.get(inquiry.channel, "other")
    title = _("{name} ({office})").format(name=inquiry.rep_name, office=inquiry.rep_office) \
        if inquiry.rep_office else inquiry.rep_name
    registered = (format_date(inquiry.registered_on, long=True)
                  if inquiry.registered_on else "")
    content = {"inquiry": inquiry.id, "name": inquiry.rep_name, "request": inquiry.request,
               "received_at": inquiry.received_at.isoformat(), "reply": inquiry.reply,
               "registered_on": inquiry.registered_on.isoformat() if inquiry.registered_on
               else None, "registered_with": inquiry.registered_with,
               "number": inquiry.registration_no, **header_content(view.header)}
    return FormDocument(
        office_name=pick(office(view.office_code).name),
        title=drill_title(_("Request for favour registration form"), view.is_drill),
        watermark=drill_watermark(view.is_drill),
        blocks=(
            FieldGrid(columns=2, rows=(
                (_("Case number"), view.number),
                (_("Registration number"), inquiry.registration_no),
            )),
            FieldGrid(rows=(
                (_("Requester"), title),
                (_("Title or unit"), _(REP_KINDS.get(inquiry.rep_kind, inquiry.rep_kind))),
                (_("Contact person"), inquiry.contact),
                (_("Time"), format_datetime(inquiry.received_at, long=True, tz=tz)),
                (_("Place of the inquiry"), inquiry.place),
                (_("Requested of"), inquiry.received_by),
                (_("Relation to the party"), inquiry.relation),
            )),
            Checkboxes(_("Manner"), (
                (_("Face to face"), manner == "in_person"), (_("Phone"), manner == "phone"),
                (_("In writing"), manner == "writing"), (_("Other"), manner == "other"))),
            TextSection(_("Content or grounds"), inquiry.request),
            TextSection(_("How it was handled"), inquiry.reply),
            FieldGrid(columns=2, rows=(
                (_("Registered by"), inquiry.registered_with),
                (_("Registered on"), registered),
            )),
            Signatures((SignatureBox(_("Requested of")),
                        SignatureBox(_("Unit head")),
                        SignatureBox(_("Ethics unit")),
                        SignatureBox(_("Head of the office or delegate")))),
        ),
        verification=verification("favour_registration", inquiry.id, len(view.timeline),
                                  content),
        identity=_("Case no. {number}").format(number=view.number),
        footer_note=_("Per the {source}: registered with the ethics unit within 3 days.")
        .format(source=_(FAVOUR_SOURCE)))
