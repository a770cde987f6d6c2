"""User actions on a legislator's inquiry, one function per act, each one transaction with its
timeline entry (as models.incidents.actions).

The clocks follow from what is recorded: ticking "may be a request for favour" starts the
registration clock, recording the registration stops it; a written interpellation starts the
reply clock, its extension (once, with a reason) moves it by 5 days, and the release of its
reply (a statement of kind 'reply', reviewed and approved as any statement) stops it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from i18n import N_
from i18n.formatting import DEFAULT_TIMEZONE, local_date
from models.core.checks import MAX_LINE, MAX_TEXT, MAX_TITLE, checked_text, one_of, past_time
from models.core.errors import UserError, ValidationError
from models.core.ids import stable_id
from models.incidents.actions import _child, editable_incident
from models.incidents.entities import (
    InquiryRow,
    StatementEventRow,
    StatementRow,
    StatementVersionRow,
)
from models.incidents.inquiries import CHANNELS, REP_KINDS, WRITTEN
from models.incidents.timeline import InquiryLogged, StatementSaved, log
from models.org.people import Actor
from models.storage.db import Database, row_or_gone, utcnow

MAX_NUMBER = 60


@dataclass(frozen=True)
class InquiryDraft:
    """What the inquiry form collects."""

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


def _inquiry(session: Session, inquiry_id: str) -> InquiryRow:
    """The inquiry acted on, of an incident still open."""
    row = row_or_gone(session, InquiryRow, inquiry_id, N_("That inquiry no longer exists."))
    editable_incident(session, row.incident_id)
    return row


def save_inquiry(db: Database, actor: Actor, incident_id: str, inquiry_id: str | None,
                 draft: InquiryDraft, seen_at: datetime | None = None) -> str:
    """Record an inquiry or change it (*seen_at*: as models.incidents.actions._child). What
    its clocks already depend on stays: a registered request for favour stays one, an
    interpellation extended or being answered stays written."""
    one_of("rep_kind", draft.rep_kind, REP_KINDS)
    name = checked_text("rep_name", draft.rep_name, MAX_LINE, required=True)
    office = checked_text("rep_office", draft.rep_office, MAX_LINE)
    contact = checked_text("contact", draft.contact, MAX_LINE)
    one_of("channel", draft.channel, CHANNELS)
    past_time("received_at", draft.received_at, utcnow())
    place = checked_text("place", draft.place, MAX_LINE)
    received_by = checked_text("received_by", draft.received_by, MAX_LINE, required=True)
    request = checked_text("request", draft.request, MAX_TEXT, required=True)
    relation = checked_text("relation", draft.relation, MAX_TEXT)
    if draft.channel == WRITTEN and draft.rep_kind != "legislator":
        raise ValidationError("channel", N_(
            "A written interpellation under the Legislative Yuan's rules comes from a "
            "legislator."))
    with db.session() as session:
        editable_incident(session, incident_id)
        row = _child(session, InquiryRow, inquiry_id, incident_id, actor, seen_at)
        received_at = draft.received_at
        if inquiry_id is not None:
            if _minute(received_at) == _minute(row.received_at):
                received_at = row.received_at  # a form shows minutes: unchanged, not moved
            if row.registered_on is not None and not draft.favour:
                raise ValidationError("favour", N_(
                    "The request for favour is registered with the ethics unit: it stays "
                    "one."))
            if (row.extension_reason or row.reply_statement_id) and (
                    draft.channel != WRITTEN or received_at != row.received_at):
                raise ValidationError("channel", N_(
                    "The reply is extended or drafted: how and when the interpellation came "
                    "can no longer change."))
        (row.rep_kind, row.rep_name, row.rep_office, row.contact, row.channel, row.received_at,
         row.place, row.received_by, row.request, row.relation, row.favour) = (
            draft.rep_kind, name, office, contact, draft.channel, received_at, place,
            received_by, request, relation, draft.favour)
        session.flush()
        log(session, incident_id, actor,
            InquiryLogged(name, "added" if inquiry_id is None else "changed"),
            draft.received_at if inquiry_id is None else None)
        return str(row.id)


def record_registration(db: Database, actor: Actor, inquiry_id: str, *, on: date,
                        registered_with: str, number: str,
                        tz: str = DEFAULT_TIMEZONE) -> None:
    """The request for favour was registered with the 政風 unit (on which day, with whom,
    under which number if one was given): its clock stops."""
    registered_with = checked_text("registered_with", registered_with, MAX_LINE, required=True)
    number = checked_text("registration_no", number, MAX_NUMBER)
    if on > local_date(utcnow(), tz):
        raise ValidationError("registered_on", N_("The day lies in the future."))
    with db.session() as session:
        row = _inquiry(session, inquiry_id)
        if not row.favour:
            raise UserError(N_("Only a request for favour is registered with the ethics "
                               "unit: tick it first."))
        if row.registered_on is not None:
            raise UserError(N_("The registration is already recorded."))
        if on < local_date(row.received_at, tz):
            raise ValidationError("registered_on", N_(
                "The day lies before the inquiry was received."))
        row.registered_on, row.registered_with, row.registration_no = on, registered_with, number
        row.touch(actor.name)
        log(session, row.incident_id, actor, InquiryLogged(row.rep_name, "registered"))


def extend_reply(db: Database, actor: Actor, inquiry_id: str, reason: str) -> None:
    """The written interpellation covers too much: its reply is due 5 days later (once)."""
    reason = checked_text("extension_reason", reason, MAX_TEXT, required=True)
    with db.session() as session:
        row = _inquiry(session, inquiry_id)
        if row.channel != WRITTEN:
            raise UserError(N_("Only the reply to a written interpellation can be extended."))
        if row.extension_reason:
            raise UserError(N_("The reply is already extended: the law allows it once."))
        if _released(session, row):
            raise UserError(N_("The reply is already sent."))
        row.extension_reason = reason
        row.touch(actor.name)
        log(session, row.incident_id, actor, InquiryLogged(row.rep_name, "extended"))


def start_reply(db: Database, actor: Actor, inquiry_id: str, title: str, text: str) -> str:
    """Draft the reply to a written interpellation: a statement of kind 'reply', which the
    legal group reviews, the spokesperson approves and whose release sends it (stopping the
    clock), as any statement of stage 4. Returns the statement's id."""
    title = checked_text("title", title, MAX_TITLE, required=True)
    text = checked_text("text", text, MAX_TEXT, required=True)
    with db.session() as session:
        row = _inquiry(session, inquiry_id)
        if row.channel != WRITTEN:
            raise UserError(N_("Only a written interpellation is answered by a reviewed "
                               "reply; record how the others were answered."))
        if row.reply_statement_id is not None:
            raise UserError(N_("The reply is already drafted: continue it under Statements."))
        statement = StatementRow(incident_id=row.incident_id, kind="reply", title=title,
                                 updated_by=actor.name)
        session.add(statement)
        session.flush()
        session.add(StatementVersionRow(id=stable_id("statement_version", statement.id, "1"),
                                        statement_id=statement.id, number=1, text=text,
                                        entered_by=actor.name))
        row.reply_statement_id = statement.id
        row.touch(actor.name)
        log(session, row.incident_id, actor, StatementSaved(title, "reply", 1))
        log(session, row.incident_id, actor, InquiryLogged(row.rep_name, "reply_started"))
        return str(statement.id)


def record_reply(db: Database, actor: Actor, inquiry_id: str, reply: str,
                 replied_at: datetime) -> None:
    """How an inquiry other than a written interpellation was answered, and when."""
    reply = checked_text("reply", reply, MAX_TEXT, required=True)
    past_time("replied_at", replied_at, utcnow())
    with db.session() as session:
        row = _inquiry(session, inquiry_id)
        if row.channel == WRITTEN:
            raise UserError(N_("A written interpellation is answered by releasing its "
                               "approved reply under Statements."))
        if replied_at < row.received_at:
            raise ValidationError("replied_at", N_("The time lies before the inquiry was "
                                                   "received."))
        row.reply, row.replied_at = reply, replied_at
        row.touch(actor.name)
        log(session, row.incident_id, actor, InquiryLogged(row.rep_name, "replied"),
            replied_at)


def remove_inquiry(db: Database, actor: Actor, inquiry_id: str) -> None:
    """Remove an inquiry entered by mistake (a tombstone; the timeline keeps it). One whose
    request for favour is registered stays: the ethics unit holds its registration; so does
    one whose reply is drafted, which the reply statement names."""
    with db.session() as session:
        row = _inquiry(session, inquiry_id)
        if row.registered_on is not None:
            raise UserError(N_("This request for favour is registered with the ethics unit "
                               "and cannot be removed."))
        if row.reply_statement_id is not None:
            raise UserError(N_("This interpellation's reply is drafted: it cannot be "
                               "removed."))
        row.deleted_at = utcnow()
        row.touch(actor.name)
        log(session, row.incident_id, actor, InquiryLogged(row.rep_name, "removed"))


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def _released(session: Session, row: InquiryRow) -> bool:
    return row.reply_statement_id is not None and session.scalar(
        select(StatementEventRow.id).where(
            StatementEventRow.statement_id == row.reply_statement_id,
            StatementEventRow.event == "released").limit(1)) is not None
