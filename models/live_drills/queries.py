"""Reads of live drills: a drill's run (its incident and injects with their states) and the
injects that have reached, or still have to reach, the drilled unit's PC."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.drills.entities import DrillRow
from models.drills.queries import DrillInfo, drill_info, live_drill
from models.live_drills.entities import DrillInjectEventRow, DrillInjectRow
from models.live_drills.kinds import InjectContent, InjectEvent, InjectState
from models.incidents.entities import IncidentRow
from models.storage.db import Database


def drill_incident_id(session: Session, drill_id: str) -> str | None:
    """The drill's incident: the first opened, should two PCs have started it at once."""
    return session.scalar(
        select(IncidentRow.id).where(IncidentRow.drill_id == drill_id,
                                     IncidentRow.deleted_at.is_(None))
        .order_by(IncidentRow.created_at, IncidentRow.id).limit(1))


def injects_of(session: Session, drill_id: str) -> list[InjectState]:
    """The drill's injects in schedule order, each with its events in the order they
    happened."""
    events: dict[str, list[InjectEvent]] = defaultdict(list)
    for e in session.scalars(select(DrillInjectEventRow)
                             .where(DrillInjectEventRow.drill_id == drill_id)
                             .order_by(DrillInjectEventRow.at, DrillInjectEventRow.id)):
        events[e.inject_id].append(InjectEvent(e.kind, e.at, e.entered_by, e.unit_key))
    return [InjectState(r.id, r.number, r.offset_minutes, InjectContent.parse(r.content),
                        r.origin, tuple(events[r.id]))
            for r in session.scalars(select(DrillInjectRow)
                                     .where(DrillInjectRow.drill_id == drill_id)
                                     .order_by(DrillInjectRow.offset_minutes,
                                               DrillInjectRow.number, DrillInjectRow.id))]


@dataclass(frozen=True)
class DrillRun:
    """A drill as its control view shows it."""

    drill: DrillInfo
    incident_id: str | None
    started_at: datetime | None
    ended_at: datetime | None
    injects: tuple[InjectState, ...]

    @property
    def running(self) -> bool:
        return self.started_at is not None and self.ended_at is None


def run_of(session: Session, row: DrillRow) -> DrillRun:
    return DrillRun(drill_info(row), drill_incident_id(session, row.id), row.started_at,
                    row.ended_at, tuple(injects_of(session, row.id)))


def drill_run(db: Database, drill_id: str) -> DrillRun:
    with db.session() as session:
        return run_of(session, live_drill(session, drill_id))


@dataclass(frozen=True)
class Arrival:
    """A released inject of a running drill of the user's unit, for the notice on their PC."""

    drill_id: str
    incident_id: str
    inject: InjectState


def arrivals(db: Database, office_code: str, unit_key: str, person: str) -> list[Arrival]:
    """The released injects of the office's running drills of *unit_key* not yet recorded as
    delivered to *person*, oldest release first."""
    found: list[Arrival] = []
    with db.session() as session:
        drills = session.scalars(select(DrillRow).where(
            DrillRow.office_code == office_code, DrillRow.unit_key == unit_key,
            DrillRow.started_at.is_not(None), DrillRow.ended_at.is_(None),
            DrillRow.deleted_at.is_(None))).all()
        for drill in drills:
            incident_id = drill_incident_id(session, drill.id)
            if incident_id is None:
                continue
            found.extend(Arrival(drill.id, incident_id, i) for i in injects_of(session, drill.id)
                         if i.released_at is not None and not i.delivered_to(person))
    return sorted(found, key=lambda a: (a.inject.released_at, a.inject.number))
