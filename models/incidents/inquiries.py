"""Legislators' inquiries (民代關切) as the views see them: their vocabularies, and each
inquiry read with the state of its legal clocks (models.incidents.clocks).

An incident of the category 民代關切重大案件 starts with one, but any incident can draw one:
the liaison with elected representatives is the 連絡暨公關組's, on stage 4.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from i18n import N_
from i18n.formatting import local_date
from models.incidents.clocks import Clock, favour_due_day, reply_due_day
from models.incidents.entities import InquiryRow, StatementEventRow, StatementVersionRow
from models.playbook.entities import PlaybookVersionRow
from models.playbook.holidays import holiday_days
from models.playbook.store import playbook_at

REP_KINDS = {
    "legislator": N_("Legislator"),
    "councillor": N_("City or county councillor"),
    "other": N_("Other elected representative"),
}
"""Who made the inquiry (民意代表): 立法委員, 直轄市、縣(市)議員, other."""

CHANNELS = {
    "phone": N_("Phone"),
    "letter": N_("Letter"),
    "visit": N_("Visit"),
    "written_interpellation": N_("Written interpellation"),
    "oral_interpellation": N_("Oral interpellation"),
}
"""How the inquiry came. Only a written interpellation (書面質詢) starts the reply clock."""

WRITTEN = "written_interpellation"

REPLY_STEPS = {
    "drafted": N_("reply drafted"),
    "legal_review": N_("reply reviewed by the legal group"),
    "approved": N_("reply approved"),
    "released": N_("reply sent"),
}
"""How far the reply to a written interpellation went, as its statement's acts say."""

INQUIRY_EVENTS = {
    "added": N_("Inquiry recorded"),
    "changed": N_("Inquiry changed"),
    "registered": N_("Request for favour registered with the ethics unit"),
    "extended": N_("Reply extended by 5 days"),
    "reply_started": N_("Reply drafted"),
    "replied": N_("Reply recorded"),
    "removed": N_("Inquiry removed"),
}
"""What the timeline says was done about an inquiry (timeline kind 'inquiry')."""

FAVOUR_SOURCE = N_("Directives for Registration and Inspection of Requests for Favour by "
                   "the Executive Yuan and Its Agencies (行政院及所屬機關機構請託關說登錄查察"
                   "作業要點)")
FAVOUR_DEFINITION = N_("Request (請託): asking, outside the procedures of law, for oneself or "
                       "another, about the matters the directives list. Favour (關說): putting "
                       "forward, outside the procedures of law and for another, a claim for "
                       "or against someone to an agency or official.")
"""Shown beside the checkbox: the directives' definitions, short, with their source."""
REPLY_RULE = N_("Legislative Yuan Functions Act §25: a written interpellation is answered in "
                "writing within 20 days; 5 more days when it covers too much.")


@dataclass(frozen=True)
class InquiryInfo:
    id: str
    incident_id: str
    rep_kind: str
    rep_name: str
    rep_office: str
    contact: str
    channel: str
    received_at: datetime
    place: str
    received_by: str
    request: str
    relation: str
    favour: bool
    registered_on: date | None
    registered_with: str
    registration_no: str
    extension_reason: str
    reply_statement_id: str | None
    reply_step: str
    """How far the reply statement went (REPLY_STEPS); "" without one."""
    reply: str
    replied_at: datetime | None
    """When the reply was given: recorded, or (a written interpellation) when its statement
    was released."""
    updated_at: datetime
    updated_by: str
    favour_clock: Clock | None
    reply_clock: Clock | None

    @property
    def written(self) -> bool:
        return self.channel == WRITTEN

    def clocks(self) -> tuple[Clock, ...]:
        return tuple(c for c in (self.favour_clock, self.reply_clock) if c is not None)


def load_inquiries(session: Session, incident_id: str, tz: str,
                   holidays: Collection[date]) -> Iterable[InquiryInfo]:
    """The incident's inquiries, first received first, with their clocks counted in *tz*
    skipping *holidays*."""
    return _infos(session, [incident_id], tz, holidays)


def overdue_clocks(session: Session, incident_ids: list[str], tz: str,
                   today: date) -> dict[str, int]:
    """How many clocks of each incident's inquiries are overdue on *today* (the incident
    list counts them with its other overdue items)."""
    found: dict[str, int] = {}
    if not incident_ids:
        return found
    holidays = office_holidays(session)
    for info in _infos(session, incident_ids, tz, holidays):
        late = sum(c.overdue(today) for c in info.clocks())
        if late:
            found[info.incident_id] = found.get(info.incident_id, 0) + late
    return found


def _infos(session: Session, incident_ids: list[str], tz: str,
           holidays: Collection[date]) -> Iterable[InquiryInfo]:
    for row in session.scalars(
        select(InquiryRow)
        .where(InquiryRow.incident_id.in_(incident_ids), InquiryRow.deleted_at.is_(None))
        .order_by(InquiryRow.received_at, InquiryRow.created_at)
    ):
        replied_at, step = row.replied_at, ""
        if row.reply_statement_id is not None:
            replied_at, step = _reply_state(session, row.reply_statement_id)
        favour = (Clock("favour", favour_due_day(row.received_at, tz, holidays),
                        row.registered_on) if row.favour else None)
        reply = (Clock("reply", reply_due_day(row.received_at, tz, bool(row.extension_reason)),
                       local_date(replied_at, tz) if replied_at else None)
                 if row.channel == WRITTEN else None)
        yield InquiryInfo(
            row.id, row.incident_id, row.rep_kind, row.rep_name, row.rep_office, row.contact,
            row.channel, row.received_at, row.place, row.received_by, row.request, row.relation,
            row.favour,
            row.registered_on, row.registered_with, row.registration_no, row.extension_reason,
            row.reply_statement_id, step, row.reply, replied_at, row.updated_at,
            row.updated_by, favour, reply)


def _reply_state(session: Session, statement_id: str) -> tuple[datetime | None, str]:
    """When the reply statement was released (the reply sent), and how far its latest
    version went (REPLY_STEPS)."""
    latest = session.scalar(select(func.max(StatementVersionRow.number))
                            .where(StatementVersionRow.statement_id == statement_id)) or 0
    released: datetime | None = None
    done: set[str] = set()
    for number, event, at in session.execute(
            select(StatementEventRow.version_number, StatementEventRow.event,
                   StatementEventRow.event_at)
            .where(StatementEventRow.statement_id == statement_id)
            .order_by(StatementEventRow.event_at)):
        if event == "released" and released is None:
            released = at
        if number == latest:
            done.add(event)
    step = next((e for e in ("released", "approved", "legal_review") if e in done), "drafted")
    return released, "released" if released is not None else step


def office_holidays(session: Session) -> frozenset[date]:
    """The holidays of the office's current playbook: a holiday the planning group adds
    later still counts for a clock already running (the incident's own playbook version is
    the procedure it ran under, not the calendar)."""
    latest = session.scalar(select(PlaybookVersionRow.id)
                            .order_by(PlaybookVersionRow.number.desc()).limit(1))
    return holiday_days(playbook_at(session, latest).holidays) if latest else frozenset()
