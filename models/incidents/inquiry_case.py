"""Legislators' inquiries in the case exchange format (docs/case-format.md, `inquiries`): the
parser from untrusted JSON and the canonical inverse, as models.incidents.case_format does for
the rest of a case, and the rows an imported case's inquiries become.

A written interpellation's reply is one of the case's statements (of kind 'reply'), named by
its position in `statements` (1 = the first); the clocks' outcome is not stored, it follows
from the times as it does for an incident.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from i18n import N_
from models.core.checks import CLOCK_SKEW, MAX_LINE, MAX_TEXT
from models.core.errors import ValidationError
from models.core.json_reader import JsonReader
from models.incidents.entities import InquiryRow
from models.incidents.inquiries import CHANNELS, REP_KINDS, WRITTEN
from models.incidents.timeline import InquiryLogged, log
from models.org.people import Actor

_KEYS = ("rep_kind", "rep_name", "rep_office", "contact", "channel", "received_at", "place",
         "received_by", "request", "relation", "favour", "registration", "extension_reason",
         "reply", "replied_at", "reply_statement")


@dataclass(frozen=True)
class Registration:
    """The request for favour's registration with the 政風 unit."""

    on: date
    registered_with: str
    number: str


@dataclass(frozen=True)
class Inquiry:
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
    registration: Registration | None
    extension_reason: str
    reply: str
    replied_at: datetime | None
    reply_statement: int | None
    """The position (1 = first) of the reply in the case's statements."""


def _text(r: JsonReader, key: str, limit: int, *, required: bool = False) -> str:
    return r.get(key, optional=not required, default="").string(
        allow_empty=not required, max_length=limit)


def _past(r: JsonReader, now: datetime) -> datetime:
    moment = r.moment()
    if moment > now + CLOCK_SKEW:
        raise ValidationError(r.path, N_("is in the future"))
    return moment


def parse_inquiry(r: JsonReader, statement_kinds: Sequence[str], now: datetime) -> Inquiry:
    """One `inquiries[]` entry; *statement_kinds*: the kinds of the case's statements, in
    order, which a reply's position must name one of kind 'reply'. No time may lie after
    *now* (give or take another PC's clock)."""
    r.obj(allowed=_KEYS)
    channel = r.get("channel").choice(tuple(CHANNELS))
    rep_kind = r.get("rep_kind").choice(tuple(REP_KINDS))
    if channel == WRITTEN and rep_kind != "legislator":
        raise ValidationError(r.sub_path("channel"),
                              N_("a written interpellation comes from a legislator"))
    favour = r.get("favour", optional=True, default=False).boolean()
    reg_r = r.get("registration", optional=True)
    registration = None
    if not reg_r.is_null:
        if not favour:
            raise ValidationError(reg_r.path, N_("is only for a request for favour"))
        reg_r.obj(allowed=("on", "with", "number"))
        registration = Registration(reg_r.get("on").day(), _text(reg_r, "with", MAX_LINE,
                                                                   required=True),
                                    _text(reg_r, "number", 60))
    replied_r = r.get("replied_at", optional=True)
    statement_r = r.get("reply_statement", optional=True)
    statement = None
    if not statement_r.is_null:
        statement = statement_r.integer()
        if channel != WRITTEN:
            raise ValidationError(statement_r.path,
                                  N_("is only for a written interpellation"))
        if not (1 <= statement <= len(statement_kinds)
                and statement_kinds[statement - 1] == "reply"):
            raise ValidationError(statement_r.path,
                                  N_("must be the position of a statement of kind reply"))
    extension = _text(r, "extension_reason", MAX_TEXT)
    if extension and channel != WRITTEN:
        raise ValidationError(r.sub_path("extension_reason"),
                              N_("is only for a written interpellation"))
    return Inquiry(
        rep_kind=rep_kind, rep_name=_text(r, "rep_name", MAX_LINE, required=True),
        rep_office=_text(r, "rep_office", MAX_LINE), contact=_text(r, "contact", MAX_LINE),
        channel=channel, received_at=_past(r.get("received_at"), now),
        place=_text(r, "place", MAX_LINE), received_by=_text(r, "received_by", MAX_LINE),
        request=_text(r, "request", MAX_TEXT, required=True),
        relation=_text(r, "relation", MAX_TEXT), favour=favour, registration=registration,
        extension_reason=extension, reply=_text(r, "reply", MAX_TEXT),
        replied_at=None if replied_r.is_null else _past(replied_r, now),
        reply_statement=statement)


def inquiry_to_dict(i: Inquiry) -> dict[str, Any]:
    """The canonical `inquiries[]` entry: every key written, times in UTC."""
    return {
        "rep_kind": i.rep_kind, "rep_name": i.rep_name, "rep_office": i.rep_office,
        "contact": i.contact, "channel": i.channel,
        "received_at": i.received_at.astimezone(UTC).isoformat(), "place": i.place,
        "received_by": i.received_by, "request": i.request, "relation": i.relation,
        "favour": i.favour,
        "registration": None if i.registration is None else {
            "on": i.registration.on.isoformat(), "with": i.registration.registered_with,
            "number": i.registration.number},
        "extension_reason": i.extension_reason, "reply": i.reply,
        "replied_at": None if i.replied_at is None else i.replied_at.astimezone(UTC).isoformat(),
        "reply_statement": i.reply_statement,
    }


def store_inquiries(session: Session, actor: Actor, incident_id: str,
                    inquiries: Sequence[Inquiry], statement_ids: Sequence[str]) -> None:
    """The rows of an imported case's inquiries (*statement_ids*: its statements' ids in the
    file's order), each with its timeline entry."""
    for i in inquiries:
        session.add(InquiryRow(
            incident_id=incident_id, rep_kind=i.rep_kind, rep_name=i.rep_name,
            rep_office=i.rep_office, contact=i.contact, channel=i.channel,
            received_at=i.received_at, place=i.place, received_by=i.received_by,
            request=i.request, relation=i.relation,
            favour=i.favour,
            registered_on=i.registration.on if i.registration else None,
            registered_with=i.registration.registered_with if i.registration else "",
            registration_no=i.registration.number if i.registration else "",
            extension_reason=i.extension_reason, reply=i.reply, replied_at=i.replied_at,
            reply_statement_id=(statement_ids[i.reply_statement - 1]
                                if i.reply_statement else None),
            updated_by=actor.name))
        log(session, incident_id, actor, InquiryLogged(i.rep_name, "added"), i.received_at)
