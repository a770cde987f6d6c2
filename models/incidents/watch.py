"""The watch list (持續觀察, 001 §五: the lowest level is 處理後通報…權責單位須持續觀察後續發展):
an open incident at a level the playbook marks `keep_watching` stays on the list, with the
date of its next review.

Each review is logged once, in its author's name (insert-only): when, what was seen, and the
date of the next one. The first review is due the day after the level was set; then on the
date the last review gave. Escalating a watched incident is the ordinary change of level
(models.incidents.actions.change_level), after which the escalation asks for the notifications
the new level names; a raised level is no longer watched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from i18n import N_
from i18n.formatting import local_date  # review dates are days in the office's zone
from models.core.checks import MAX_TEXT, checked_text, past_time
from models.core.errors import UserError, ValidationError
from models.incidents.actions import editable_incident
from models.incidents.clocks_report import level_changes, level_since
from models.incidents.entities import IncidentRow
from models.incidents.followup_entities import WatchReviewRow
from models.incidents.queries import IncidentView
from models.incidents.timeline import WatchReviewed, log
from models.org.people import Actor
from models.playbook.model import Playbook
from models.playbook.store import playbook_at
from models.storage.db import Database, utcnow

MAX_AHEAD = timedelta(days=366)
"""A next review further ahead than this is no watching at all."""


@dataclass(frozen=True)
class ReviewInfo:
    id: str
    incident_id: str
    reviewed_at: datetime
    seen: str
    next_review: date
    entered_at: datetime
    entered_by: str


@dataclass(frozen=True)
class WatchState:
    """An incident on the watch list: when it is next to be looked at."""

    next_review: date
    last: ReviewInfo | None

    def due(self, today: date) -> bool:
        return self.next_review <= today


def watched(playbook: Playbook, level_key: str) -> bool:
    """Whether the playbook has the responsible unit keep watching an incident of this level."""
    return any(lv.key == level_key and lv.keep_watching for lv in playbook.levels)


def watch_state(playbook: Playbook, level_key: str, status: str, level_set: datetime,
                last: ReviewInfo | None) -> WatchState | None:
    """The watch of an incident, or None when it is not on the list (archived, or at a level
    not watched). A review from before the level was set again does not count."""
    if status != "open" or not watched(playbook, level_key):
        return None
    if last is not None and last.reviewed_at >= level_set:
        return WatchState(last.next_review, last)
    return WatchState(local_date(level_set) + timedelta(days=1), None)


def watch_of_view(view: IncidentView, last: ReviewInfo | None) -> WatchState | None:
    since = level_since(view.started_at, ((e.event_at, e.what) for e in view.timeline))
    return watch_state(view.playbook, view.level_key, view.status, since, last)


def _info(row: WatchReviewRow) -> ReviewInfo:
    return ReviewInfo(row.id, row.incident_id, row.reviewed_at, row.seen, row.next_review,
                      row.entered_at, row.entered_by)


_ORDER = (WatchReviewRow.reviewed_at, WatchReviewRow.entered_at, WatchReviewRow.id)


def list_reviews(db: Database, incident_id: str) -> tuple[ReviewInfo, ...]:
    """The incident's reviews, oldest first."""
    with db.session() as session:
        return tuple(_info(r) for r in session.scalars(
            select(WatchReviewRow).where(WatchReviewRow.incident_id == incident_id)
            .order_by(*_ORDER)))


def _latest(session: Session, incident_ids: Sequence[str]) -> dict[str, ReviewInfo]:
    latest: dict[str, ReviewInfo] = {}
    for start in range(0, len(incident_ids), 400):
        for row in session.scalars(
                select(WatchReviewRow)
                .where(WatchReviewRow.incident_id.in_(list(incident_ids[start:start + 400])))
                .order_by(*_ORDER)):
            latest[row.incident_id] = _info(row)
    return latest


def latest_reviews(db: Database, incident_ids: Sequence[str]) -> dict[str, ReviewInfo]:
    """Each incident's latest review (those without one are absent)."""
    with db.session() as session:
        return _latest(session, incident_ids)


def watch_list(db: Database, office_code: str) -> dict[str, WatchState]:
    """The office's incidents on the watch list, by id."""
    found: dict[str, WatchState] = {}
    with db.session() as session:
        rows = session.scalars(select(IncidentRow).where(
            IncidentRow.office_code == office_code, IncidentRow.status == "open",
            IncidentRow.deleted_at.is_(None))).all()
        ids = [r.id for r in rows]
        latest = _latest(session, ids)
        for start in range(0, len(rows), 400):
            batch = rows[start:start + 400]
            changes = level_changes(session, [r.id for r in batch])
            for row in batch:
                state = watch_state(playbook_at(session, row.playbook_version_id),
                                    row.level_key, row.status,
                                    level_since(row.started_at, changes.get(row.id, ())),
                                    latest.get(row.id))
                if state is not None:
                    found[row.id] = state
    return found


def log_review(db: Database, actor: Actor, incident_id: str, *, reviewed_at: datetime,
               seen: str, next_review: date) -> str:
    """Log a review of a watched incident in the actor's own name, with the next one's date."""
    seen = checked_text("seen", seen, MAX_TEXT, required=True)
    now = utcnow()
    past_time("reviewed_at", reviewed_at, now)
    if next_review <= local_date(reviewed_at):
        raise ValidationError("next_review", N_("The next review lies after this one."))
    if next_review > local_date(now) + MAX_AHEAD:
        raise ValidationError("next_review", N_("Review a watched incident at least once "
                                                "a year."))
    with db.session() as session:
        row = editable_incident(session, incident_id)
        if not watched(playbook_at(session, row.playbook_version_id), row.level_key):
            raise UserError(N_("At its level this incident is not on the watch list."))
        if reviewed_at < row.started_at:
            raise ValidationError("reviewed_at", N_("The time lies before the incident "
                                                    "began."))
        review = WatchReviewRow(incident_id=incident_id, reviewed_at=reviewed_at, seen=seen,
                                next_review=next_review, entered_at=now,
                                entered_by=actor.name, role=actor.role.value)
        session.add(review)
        session.flush()
        log(session, incident_id, actor, WatchReviewed(seen, next_review), reviewed_at)
        return str(review.id)
