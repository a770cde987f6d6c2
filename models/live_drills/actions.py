"""Running a drill live: the planning group's acts, one transaction each.

The planning group starts a planned drill: a drill incident (演練) opens for the drilled unit
in the real six-stage wizard, under the drill's playbook, with the scenario's background, and
the scenario's injects are copied to the drill (so a later edit of the library does not change
a drill under way). Each inject is released on the scenario's schedule (the control view calls
`release_due`) or by hand, held back or resumed, and injects can be added on the fly. A release
writes the inject's message to the drill incident's timeline: the sync carries it to the
drilled unit's PC, which records its arrival (`record_deliveries`) and shows it. The planning
group ends the drill: its incident becomes read-only by the same lock as an archived case,
without ever entering the case archive (models/incidents/real.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from i18n import N_
from models.core.checks import MAX_TEXT, checked_text
from models.core.errors import UserError, ValidationError
from models.drills.entities import DrillRow
from models.drills.queries import live_drill
from models.live_drills.entities import DrillInjectEventRow, DrillInjectRow
from models.live_drills.kinds import (
    MAX_INJECT_TEXT,
    MAX_INJECTS,
    InjectState,
    content_json,
    due_now,
    next_number,
)
from models.live_drills.queries import drill_incident_id, injects_of
from models.drills.scenario_store import library
from models.drills.scenarios import MAX_OFFSET_MINUTES
from models.incidents.entities import IncidentRow
from models.incidents.timeline import DrillEnded, InjectReleased, LevelSet, Opened, log
from models.org.people import Actor, Permission
from models.playbook.store import playbook_at
from models.storage.db import Database, row_or_gone, utcnow


@dataclass(frozen=True)
class InjectDraft:
    """An inject the planning group adds while the drill runs."""

    offset_minutes: int
    sender: str
    recipient: str
    message: str


def _running(session: Session, drill_id: str) -> DrillRow:
    drill = live_drill(session, drill_id)
    if drill.started_at is None:
        raise UserError(N_("The drill has not been started."))
    if drill.ended_at is not None:
        raise UserError(N_("The drill has ended; its record can no longer be changed."))
    return drill


def start_drill(db: Database, actor: Actor, drill_id: str, now: datetime | None = None) -> str:
    """Start a planned drill whose category and scenario are chosen: open its drill incident
    for the drilled unit and copy the scenario's injects. Returns the drill incident's id."""
    actor.require(Permission.PLAN_DRILLS)
    now = now or utcnow()
    with db.session() as session:
        drill = live_drill(session, drill_id)
        if drill.started_at is not None or drill_incident_id(session, drill_id) is not None:
            raise UserError(N_("The drill has already been started."))
        if drill.status != "planned":
            raise UserError(N_("Only a planned drill can be started."))
        if not drill.category_key or not drill.scenario_key:
            raise UserError(N_("Choose the drill's category and scenario before starting it."))
        pb = playbook_at(session, drill.playbook_version_id)
        scenario = next((s for s in library(session, drill.office_code, pb)
                         if s.key == drill.scenario_key), None)
        if scenario is None or scenario.category != drill.category_key:
            raise UserError(N_("The drill's scenario is not in the scenario library of its "
                               "category; choose it again."))
        level = pb.levels[-1].key
        incident = IncidentRow(
            office_code=drill.office_code, title=scenario.title.get("zh_TW", scenario.key),
            summary=scenario.background.get("zh_TW", ""), started_at=now,
            reporting_unit=drill.unit_key, source="internal", category_key=scenario.category,
            subtype_key=scenario.subtype, level_key=level, current_stage=1, status="open",
            playbook_version_id=drill.playbook_version_id, drill_id=drill.id,
            updated_by=actor.name)
        session.add(incident)
        session.flush()
        log(session, incident.id, actor, Opened(incident.title), now)
        log(session, incident.id, actor, LevelSet(level, level, ""), now)
        for number, inject in enumerate(scenario.injects, start=1):
            session.add(DrillInjectRow(
                drill_id=drill.id, number=number, offset_minutes=inject.offset_minutes,
                content=content_json(inject.sender, inject.recipient, inject.message),
                origin="scenario", created_at=now, created_by=actor.name,
                role=actor.role.value))
        drill.started_at = now
        drill.held_at = now
        drill.touch(actor.name)
        session.flush()
        return incident.id


def _event(session: Session, actor: Actor, inject: DrillInjectRow, kind: str,
           at: datetime) -> None:
    session.add(DrillInjectEventRow(inject_id=inject.id, drill_id=inject.drill_id, kind=kind,
                                    at=at, entered_by=actor.name, role=actor.role.value,
                                    unit_key=actor.unit))


def _release(session: Session, actor: Actor, drill: DrillRow, state: InjectState,
             now: datetime) -> None:
    incident_id = drill_incident_id(session, drill.id)
    if incident_id is None:
        raise UserError(N_("The drill incident is not on this PC yet."))
    row = session.get(DrillInjectRow, state.id)
    assert row is not None
    _event(session, actor, row, "released", now)
    content = state.content
    log(session, incident_id, actor,
        InjectReleased(state.id, state.number, content.sender, content.recipient,
                       content.message), now)


def _inject(session: Session, inject_id: str) -> tuple[DrillRow, InjectState]:
    row = row_or_gone(session, DrillInjectRow, inject_id, N_("That inject no longer exists."))
    drill = _running(session, row.drill_id)
    state = next(i for i in injects_of(session, drill.id) if i.id == inject_id)
    return drill, state


def release_inject(db: Database, actor: Actor, inject_id: str,
                   now: datetime | None = None) -> None:
    """Release one inject now, by hand (whether due or not, held or not)."""
    actor.require(Permission.PLAN_DRILLS)
    now = now or utcnow()
    with db.session() as session:
        drill, state = _inject(session, inject_id)
        if state.released_at is not None:
            raise UserError(N_("The inject was already released."))
        _release(session, actor, drill, state, now)


def release_due(db: Database, actor: Actor, drill_id: str,
                now: datetime | None = None) -> list[int]:
    """Release every inject the schedule makes due by *now* (not held, not released), in
    order; returns their numbers. Called by the control view as the drill's clock runs."""
    actor.require(Permission.PLAN_DRILLS)
    now = now or utcnow()
    with db.session() as session:
        drill = _running(session, drill_id)
        assert drill.started_at is not None
        due = due_now(injects_of(session, drill.id), drill.started_at, now)
        for state in due:
            _release(session, actor, drill, state, now)
        return [s.number for s in due]


def hold_inject(db: Database, actor: Actor, inject_id: str, held: bool) -> None:
    """Hold an inject back from the schedule (*held*), or put it back on it."""
    actor.require(Permission.PLAN_DRILLS)
    with db.session() as session:
        drill, state = _inject(session, inject_id)
        if state.released_at is not None:
            raise UserError(N_("The inject was already released."))
        if state.held != held:
            row = session.get(DrillInjectRow, inject_id)
            assert row is not None
            _event(session, actor, row, "held" if held else "resumed", utcnow())


def add_inject(db: Database, actor: Actor, drill_id: str, draft: InjectDraft,
               release_now: bool = False) -> str:
    """Add an inject to a running drill (typed in the user's language, kept as such); with
    *release_now* it is released at once. Returns its id."""
    actor.require(Permission.PLAN_DRILLS)
    sender = checked_text("sender", draft.sender, MAX_INJECT_TEXT, required=True)
    recipient = checked_text("recipient", draft.recipient, MAX_INJECT_TEXT, required=True)
    message = checked_text("message", draft.message, MAX_TEXT, required=True)
    if not 0 <= draft.offset_minutes <= MAX_OFFSET_MINUTES:
        raise ValidationError("offset_minutes", N_("Between 0 and {limit} minutes."),
                              limit=MAX_OFFSET_MINUTES)
    now = utcnow()
    with db.session() as session:
        drill = _running(session, drill_id)
        number = next_number(injects_of(session, drill.id))
        if number > MAX_INJECTS:
            raise UserError(N_("The drill has as many injects as it can hold."))
        row = DrillInjectRow(
            drill_id=drill.id, number=number, offset_minutes=draft.offset_minutes,
            content=content_json({"zh_TW": sender}, {"zh_TW": recipient}, {"zh_TW": message}),
            origin="added", created_at=now, created_by=actor.name, role=actor.role.value)
        session.add(row)
        session.flush()
        if release_now:
            state = next(i for i in injects_of(session, drill.id) if i.id == row.id)
            _release(session, actor, drill, state, now)
        return row.id


def record_deliveries(db: Database, actor: Actor, inject_ids: Iterable[str],
                      now: datetime | None = None) -> int:
    """Record that released injects reached this PC's user now (the drilled unit's PC records
    it when it shows them); an inject already recorded for them, or not released, is left.
    Returns how many were recorded."""
    now = now or utcnow()
    count = 0
    with db.session() as session:
        states: dict[str, dict[str, InjectState]] = {}  # each drill's injects, read once
        for inject_id in sorted(set(inject_ids)):
            row = session.get(DrillInjectRow, inject_id)
            if row is None:
                continue
            if row.drill_id not in states:
                states[row.drill_id] = {i.id: i for i in injects_of(session, row.drill_id)}
            state = states[row.drill_id][inject_id]
            if state.released_at is None or state.delivered_to(actor.name):
                continue
            _event(session, actor, row, "delivered", now)
            count += 1
    return count


def end_drill(db: Database, actor: Actor, drill_id: str, now: datetime | None = None) -> None:
    """End a running drill: it took place (held), and its drill incident is closed and
    read-only from now on (the sync's lock of an archived incident refuses any later change
    to it), without entering the case archive."""
    actor.require(Permission.PLAN_DRILLS)
    now = now or utcnow()
    with db.session() as session:
        drill = _running(session, drill_id)
        incident_id = drill_incident_id(session, drill_id)
        if incident_id is not None:
            incident = session.get(IncidentRow, incident_id)
            assert incident is not None
            log(session, incident_id, actor, DrillEnded(), now)
            if incident.status == "open":
                incident.status = "archived"
                incident.archived_at = now
                incident.ended_at = incident.ended_at or now
                incident.touch(actor.name)
        drill.ended_at = now
        if drill.status == "planned":
            drill.status = "held"
        drill.touch(actor.name)
