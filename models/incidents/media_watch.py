"""The media watch as the screens and forms read it: each item with the time its
clarification took, or how long it has waited for one.

The measure is the procedure's: an item seen in the media is answered when the statement
linked to it is first released (the statement's first 'released' event, on any channel). It is
computed when read, from the statement's events, so a release recorded on another PC measures
the item here as soon as it arrives.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from i18n.formatting import local_date
from models.incidents.entities import StatementEventRow, StatementRow
from models.incidents.media_entities import MediaItemRow
from models.incidents.media_kinds import CLARIFICATION_WAIT_LIMIT


@dataclass(frozen=True)
class MediaItemInfo:
    id: str
    outlet: str
    channel: str
    seen_at: datetime
    headline: str
    link: str
    clipping: str
    tone: str
    reach: str
    reach_note: str
    needs_clarification: bool
    statement_id: str | None
    statement_title: str
    released_at: datetime | None
    """When the linked statement was first released; None: not linked, or not released yet."""
    updated_at: datetime

    @property
    def clarified_after(self) -> timedelta | None:
        """From the item seen to its clarification released. A statement released before the
        item was seen already answered it: zero, never a negative time."""
        if self.released_at is None:
            return None
        return max(timedelta(0), self.released_at - self.seen_at)

    def waiting(self, now: datetime) -> timedelta | None:
        """How long an item that needs a clarification has waited for one (None: it needs
        none, or it has one)."""
        if not self.needs_clarification or self.released_at is not None:
            return None
        return max(timedelta(0), now - self.seen_at)

    def overdue(self, now: datetime) -> bool:
        """Waited longer than CLARIFICATION_WAIT_LIMIT (shown red)."""
        waited = self.waiting(now)
        return waited is not None and waited > CLARIFICATION_WAIT_LIMIT


def media_items(session: Session, incident_id: str) -> Iterable[MediaItemInfo]:
    """The incident's items, newest seen first."""
    first_release = (  # of this incident's statements only: their events are indexed
        select(StatementEventRow.statement_id, func.min(StatementEventRow.event_at)
               .label("released_at"))
        .join(StatementRow, StatementRow.id == StatementEventRow.statement_id)
        .where(StatementRow.incident_id == incident_id, StatementEventRow.event == "released")
        .group_by(StatementEventRow.statement_id)
        .subquery())
    rows = session.execute(
        select(MediaItemRow, StatementRow.title, StatementRow.deleted_at,
               first_release.c.released_at)
        .outerjoin(StatementRow, StatementRow.id == MediaItemRow.statement_id)
        .outerjoin(first_release, first_release.c.statement_id == MediaItemRow.statement_id)
        .where(MediaItemRow.incident_id == incident_id, MediaItemRow.deleted_at.is_(None))
        .order_by(MediaItemRow.seen_at.desc(), MediaItemRow.created_at.desc()))
    for item, title, gone, released_at in rows:
        linked = item.statement_id is not None and gone is None
        yield MediaItemInfo(
            item.id, item.outlet, item.channel, item.seen_at, item.headline, item.link,
            item.clipping, item.tone, item.reach, item.reach_note, item.needs_clarification,
            item.statement_id if linked else None, title if linked else "",
            released_at if linked else None, item.updated_at)


def items_of_day(items: Iterable[MediaItemInfo], day: date, tz: str) -> list[MediaItemInfo]:
    """The items seen on *day* in the office's zone, in the order they were seen."""
    return sorted((i for i in items if local_date(i.seen_at, tz) == day),
                  key=lambda i: i.seen_at)
