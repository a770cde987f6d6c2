"""The reporting clock (通報時限): the time from learning of an incident to telling the post
its level names (001 §五: 高度 → 總指揮, 中度 and 低度 → 執行秘書), against the office's limit
for that level (the playbook's `report_within_minutes`).

When the clock starts: when the unit learned of the incident (its recorded start, which the
new-incident steps ask for), or, after a later change of the level, when the level changed:
a raised level names a new post, who must be told within the new level's limit.

When it stops: at the first notification that reached the post (models.incidents.kinds
NOTIFY_OUTCOMES): a call the holder or their deputy (代) took stops it when it was made; a
message left or a call back promised stops it only when the person acknowledged it, since
until then nobody of the post knows; a call nobody answered never does.

Everything here is computed from the records as they are (the notifications and the
timeline's level entries), nothing is stored: a notification synced late from another PC
moves the clock as it should.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.incidents.entities import (
    AcknowledgementRow,
    IncidentRow,
    NotificationRow,
    TimelineRow,
)
from models.incidents.timeline import LevelChanged, read_entry
from models.playbook.model import Playbook
from models.playbook.store import playbook_at

if TYPE_CHECKING:
    from models.incidents.queries import IncidentView

STATES = ("none", "met", "missed", "pending")
"""A clock's state: no limit at this level; the post was told in time; it was told late, or
the limit passed without it; the limit has not passed yet."""


@dataclass(frozen=True)
class Told:
    """A notification as the clock reads it."""

    group: str
    outcome: str
    notified_at: datetime
    acked_at: datetime | None

    @property
    def told_at(self) -> datetime | None:
        """When the post knew: the call that reached them, or the acknowledgement of a
        message; None while nobody of the post knows."""
        if self.outcome == "reached":
            return self.notified_at
        return self.acked_at


@dataclass(frozen=True)
class ReportingClock:
    level_key: str
    group: str
    """The group (post) the level names."""
    since: datetime
    """When the clock started: learning of the incident, or the change to this level."""
    limit_minutes: int | None
    told_at: datetime | None
    """The first time the post knew (see Told.told_at)."""

    @property
    def due_at(self) -> datetime | None:
        if self.limit_minutes is None:
            return None
        return self.since + timedelta(minutes=self.limit_minutes)

    @property
    def taken_minutes(self) -> float | None:
        """Minutes from the start to the post knowing (0 when they knew before the level
        changed to this one); None while they do not know."""
        if self.told_at is None:
            return None
        return max(0.0, (self.told_at - self.since).total_seconds() / 60)

    def state(self, now: datetime) -> str:
        """One of STATES, as of *now* (UTC)."""
        due = self.due_at
        if due is None:
            return "none"
        if self.told_at is not None:
            return "met" if self.told_at <= due else "missed"
        return "missed" if now > due else "pending"

    def overdue(self, now: datetime) -> bool:
        """The limit passed and the post still does not know."""
        return self.told_at is None and self.state(now) == "missed"


def level_since(started_at: datetime, changes: Iterable[tuple[datetime, object]]) -> datetime:
    """When the incident's current level took effect: its start (the level it opened with),
    or the time of its latest later change (*changes*: timeline entries (event time, what),
    any kinds)."""
    moments = [at for at, what in changes if isinstance(what, LevelChanged)]
    return max([started_at, *moments])


def reporting_clock(playbook: Playbook, level_key: str, since: datetime,
                    notes: Iterable[Told]) -> ReportingClock | None:
    """The clock of an incident at *level_key* since *since*; None for a level the playbook
    does not have (written by a newer version of it)."""
    level = next((lv for lv in playbook.levels if lv.key == level_key), None)
    if level is None:
        return None
    told = [t for n in notes if n.group == level.notify_group
            for t in (n.told_at,) if t is not None]
    return ReportingClock(level.key, level.notify_group, since, level.report_within_minutes,
                          min(told) if told else None)


def clock_of_view(view: IncidentView) -> ReportingClock | None:
    """The reporting clock of an incident as loaded for the wizard and the forms."""
    since = level_since(view.started_at, ((e.event_at, e.what) for e in view.timeline))
    return reporting_clock(view.playbook, view.level_key, since,
                           (Told(n.target_group, n.outcome, n.notified_at, n.acked_at)
                            for n in view.notifications))


def level_changes(session: Session, incident_ids: Sequence[str]
                  ) -> dict[str, list[tuple[datetime, object]]]:
    """The level entries of the incidents' timelines, (event time, entry), for level_since
    (at most 400 ids: one IN list)."""
    changes: dict[str, list[tuple[datetime, object]]] = {}
    for incident_id, data, event_at in session.execute(
            select(TimelineRow.incident_id, TimelineRow.data, TimelineRow.event_at)
            .where(TimelineRow.incident_id.in_(list(incident_ids)),
                   TimelineRow.kind == "level")):
        changes.setdefault(incident_id, []).append(
            (event_at, read_entry("level", json.loads(data))))
    return changes


def reporting_clocks(session: Session, incident_ids: Sequence[str]
                     ) -> dict[str, ReportingClock]:
    """The clocks of many incidents (the incident list), read with three queries per batch
    rather than a whole view each."""
    clocks: dict[str, ReportingClock] = {}
    for start in range(0, len(incident_ids), 400):
        batch = list(incident_ids[start:start + 400])
        notes: dict[str, list[Told]] = {}
        for incident_id, group, outcome, notified_at, acked_at in session.execute(
                select(NotificationRow.incident_id, NotificationRow.target_group,
                       NotificationRow.outcome, NotificationRow.notified_at,
                       AcknowledgementRow.acked_at)
                .outerjoin(AcknowledgementRow,
                           AcknowledgementRow.notification_id == NotificationRow.id)
                .where(NotificationRow.incident_id.in_(batch))):
            notes.setdefault(incident_id, []).append(
                Told(group, outcome, notified_at, acked_at))
        changes = level_changes(session, batch)
        for row in session.scalars(select(IncidentRow).where(IncidentRow.id.in_(batch))):
            clock = reporting_clock(
                playbook_at(session, row.playbook_version_id), row.level_key,
                level_since(row.started_at, changes.get(row.id, ())), notes.get(row.id, ()))
            if clock is not None:
                clocks[row.id] = clock
    return clocks
