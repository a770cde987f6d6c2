"""A finished live drill, built through the real acts, for the tests of what a drill measures
and drafts (and for any test that needs one: the two-PC test, the drill marks).

The planning group starts this month's drill (a clearance scenario) an hour and a half ago and
releases three injects; the drilled unit's PC records each arrival a minute later; the unit
raises the level, notifies the level's post, drafts a statement and has it reviewed, approved
and released; the planning group ends the drill. Every choice the measures turn on (the
level, who was notified and how, whether a message was acknowledged, whether a statement was
made) is a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from models.drills.queries import live_drill
from models.incidents.actions import (
    acknowledge,
    change_level,
    record_notification,
    save_statement,
    statement_event,
)
from models.live_drills.actions import end_drill, record_deliveries, release_inject, start_drill
from models.live_drills.queries import drill_run
from models.org.people import Actor, Role
from models.storage.db import Database, utcnow
from tests.unit.drills.test_drill_reports import PLANNER, drawn_drill

RELEASE_MINUTES = (1, 20, 40)
"""When the three injects are released, in minutes after the start."""
DELIVERY_DELAY = timedelta(minutes=1)


@dataclass(frozen=True)
class Notice:
    """A notification the unit records: to *group*, *minutes* after the start."""

    group: str = "secretary"
    minutes: int = 12
    outcome: str = "reached"
    acting_for: str = ""
    acked_minutes: int | None = None
    """When a message left was acknowledged (minutes after the start), if it was."""


@dataclass(frozen=True)
class FinishedDrill:
    drill_id: str
    incident_id: str
    unit: Actor
    """Who worked the drill at the drilled unit."""
    started_at: datetime
    released_at: tuple[datetime, ...]
    inject_ids: tuple[str, ...]
    notification_ids: tuple[str, ...] = field(default=())


def unit_actor(db: Database, drill_id: str) -> Actor:
    """The head of the drilled unit, who works the drill incident."""
    with db.session() as session:
        unit = live_drill(session, drill_id).unit_key
    return Actor("周科長", Role.UNIT_HEAD, unit)


def finished_live_drill(db: Database, *, level: str | None = "medium",
                        notices: tuple[Notice, ...] = (Notice(),), statement: bool = True,
                        release_statement: bool = True, deliver: bool = True,
                        end: bool = True) -> FinishedDrill:
    """Run this month's drill as the module says and return what a test asserts on."""
    drill_id = drawn_drill(db)
    start = (utcnow() - timedelta(minutes=90)).replace(second=0, microsecond=0)
    incident_id = start_drill(db, PLANNER, drill_id, start)
    unit = unit_actor(db, drill_id)
    injects = drill_run(db, drill_id).injects[:len(RELEASE_MINUTES)]
    released = []
    for inject, minutes in zip(injects, RELEASE_MINUTES, strict=True):
        at = start + timedelta(minutes=minutes)
        release_inject(db, PLANNER, inject.id, at)
        released.append(at)
        if deliver:
            record_deliveries(db, unit, [inject.id], at + DELIVERY_DELAY)
    notes = []
    for notice in notices:
        note_id = record_notification(
            db, unit, incident_id, target_group=notice.group, member_id="",
            recipient="王主秘" if not notice.acting_for else "李專委",
            acting_for=notice.acting_for, means="phone",
            notified_at=start + timedelta(minutes=notice.minutes), outcome=notice.outcome)
        if notice.acked_minutes is not None:
            acknowledge(db, unit, note_id, start + timedelta(minutes=notice.acked_minutes))
        notes.append(note_id)
    if level is not None:
        change_level(db, unit, incident_id, level, "系統中斷影響全關通關")
    if statement:
        statement_id = save_statement(db, unit, incident_id, None, kind="statement",
                                      title="通關系統中斷說明", text="本關通關系統暫時中斷，正搶修中。")
        if release_statement:
            now = utcnow()
            statement_event(db, unit, statement_id, 1, "legal_review", name="法務組長",
                            event_at=now)
            statement_event(db, unit, statement_id, 1, "approved", name="張副關務長",
                            event_at=now)
            statement_event(db, unit, statement_id, 1, "released", name="周科長",
                            event_at=now, channel="website")
    if end:
        end_drill(db, PLANNER, drill_id)
    return FinishedDrill(drill_id, incident_id, unit, start, tuple(released),
                         tuple(i.id for i in injects), tuple(notes))
