"""The media watch's acts: log an item seen in the media, correct it, remove one logged by
mistake. Each is one transaction with its timeline entry, checked before anything is written
(as models.incidents.actions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from i18n import N_
from models.core.checks import MAX_LINE, MAX_TEXT, MAX_TITLE, checked_text, one_of, past_time
from models.core.errors import ValidationError
from models.incidents.actions import _child, editable_incident
from models.incidents.entities import StatementRow
from models.incidents.media_entities import MediaItemRow
from models.incidents.media_kinds import (
    MAX_LINK,
    MEDIA_CHANNELS,
    REACHES,
    TONES,
    is_web_address,
)
from models.incidents.timeline import MediaItemSaved, Removed, log
from models.org.people import Actor
from models.storage.db import Database, utcnow


@dataclass(frozen=True)
class MediaItemDraft:
    """What the item's form collects."""

    outlet: str
    channel: str
    seen_at: datetime
    headline: str
    tone: str
    reach: str
    link: str = ""
    clipping: str = ""
    reach_note: str = ""
    needs_clarification: bool = False
    statement_id: str | None = None


def checked_link(field: str, value: str) -> str:
    """An address a browser may open (is_web_address), or empty. A link is opened with one
    click, so a file: or javascript: address is refused here (and again before opening one
    that came from another PC)."""
    value = checked_text(field, value, MAX_LINK)
    if value and not is_web_address(value):
        raise ValidationError(field, N_("Enter a web address starting with http:// or "
                                        "https://."))
    return value


def save_media_item(db: Database, actor: Actor, incident_id: str, item_id: str | None,
                    draft: MediaItemDraft, seen_version: datetime | None = None) -> str:
    """Log a new item (*item_id* None) or correct one. *seen_version*: the item's last change
    as the form showed it (a save over a change another PC made meanwhile is refused, see
    models.incidents.actions._child). The statement must be one of this incident's."""
    outlet = checked_text("outlet", draft.outlet, MAX_LINE, required=True)
    one_of("channel", draft.channel, MEDIA_CHANNELS)
    past_time("seen_at", draft.seen_at, utcnow())
    headline = checked_text("headline", draft.headline, MAX_TITLE, required=True)
    link = checked_link("link", draft.link)
    clipping = checked_text("clipping", draft.clipping, MAX_TEXT)
    one_of("tone", draft.tone, TONES)
    one_of("reach", draft.reach, REACHES)
    reach_note = checked_text("reach_note", draft.reach_note, MAX_LINE)
    with db.session() as session:
        editable_incident(session, incident_id)
        if draft.statement_id is not None and not session.scalar(
                select(StatementRow.id).where(StatementRow.id == draft.statement_id,
                                              StatementRow.incident_id == incident_id,
                                              StatementRow.deleted_at.is_(None))):
            raise ValidationError("statement_id",
                                  N_("Choose a statement or clarification of this incident."))
        row = _child(session, MediaItemRow, item_id, incident_id, actor, seen_version)
        row.outlet, row.channel, row.seen_at, row.headline = (
            outlet, draft.channel, draft.seen_at, headline)
        row.link, row.clipping, row.tone, row.reach, row.reach_note = (
            link, clipping, draft.tone, draft.reach, reach_note)
        row.needs_clarification, row.statement_id = (
            draft.needs_clarification, draft.statement_id)
        session.flush()
        log(session, incident_id, actor,
            MediaItemSaved(outlet, draft.channel, headline, draft.tone, new=item_id is None),
            draft.seen_at if item_id is None else None)
        return str(row.id)


def remove_media_item(db: Database, actor: Actor, incident_id: str, item_id: str) -> None:
    """Remove an item logged by mistake (a tombstone: the timeline keeps that it existed)."""
    with db.session() as session:
        editable_incident(session, incident_id)
        row = _child(session, MediaItemRow, item_id, incident_id, actor)
        row.deleted_at = utcnow()
        log(session, incident_id, actor, Removed("media_item"))
