"""Running a drill live (models.live_drills.actions): the drill incident, the injects' schedule,
releases, holds, additions, deliveries and the end that makes the incident read-only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from models.core.errors import PermissionDenied, UserError, ValidationError
from models.live_drills.actions import (
    InjectDraft,
    add_inject,
    end_drill,
    hold_inject,
    record_deliveries,
    release_due,
    release_inject,
    start_drill,
)
from models.live_drills.queries import arrivals, drill_run
from models.incidents.actions import change_level
from models.incidents.entities import IncidentRow, TimelineRow
from models.storage.db import Database, utcnow
from tests.unit.drills.test_drill_reports import HEAD, PLANNER, drawn_drill


def test_starting_opens_a_drill_incident_for_the_unit_with_the_scenarios_injects(
        db: Database) -> None:
    drill_id = drawn_drill(db)
    incident_id = start_drill(db, PLANNER, drill_id)
    run = drill_run(db, drill_id)
    assert run.running and run.incident_id == incident_id
    with db.session() as session:
        incident = session.get(IncidentRow, incident_id)
        assert incident is not None
        assert incident.drill_id == drill_id and incident.status == "open"
        assert incident.reporting_unit == run.drill.unit_key
        assert incident.category_key == "clearance"
    assert len(run.injects) >= 2
    assert [i.offset_minutes for i in run.injects] == sorted(i.offset_minutes
                                                             for i in run.injects)
    assert all(i.released_at is None for i in run.injects)
    assert all(i.sender and i.message for i in run.injects)


def test_a_drill_is_started_once_and_only_by_the_planning_group(db: Database) -> None:
    drill_id = drawn_drill(db)
    with pytest.raises(PermissionDenied):
        start_drill(db, HEAD, drill_id)
    start_drill(db, PLANNER, drill_id)
    with pytest.raises(UserError):
        start_drill(db, PLANNER, drill_id)


def test_a_drill_without_a_scenario_cannot_start(db: Database) -> None:
    drill_id = drawn_drill(db, scenario=False)
    with pytest.raises(UserError):
        start_drill(db, PLANNER, drill_id)


def test_the_schedule_releases_due_injects_into_the_timeline_and_skips_held_ones(
        db: Database) -> None:
    drill_id = drawn_drill(db)
    start = utcnow()
    incident_id = start_drill(db, PLANNER, drill_id, start)
    first, second, *_ = drill_run(db, drill_id).injects
    hold_inject(db, PLANNER, second.id, True)
    late = start + timedelta(minutes=second.offset_minutes)
    released = release_due(db, PLANNER, drill_id, late)
    assert first.number in released and second.number not in released
    run = drill_run(db, drill_id)
    assert run.injects[0].released_at == late and run.injects[1].held
    with db.session() as session:
        kinds = session.scalars(select(TimelineRow.kind).where(
            TimelineRow.incident_id == incident_id)).all()
    assert kinds.count("drill_inject") == len(released)
    assert release_due(db, PLANNER, drill_id, late) == []
    hold_inject(db, PLANNER, second.id, False)
    assert second.number in release_due(db, PLANNER, drill_id, late)


def test_an_inject_released_by_hand_is_released_once(db: Database) -> None:
    drill_id = drawn_drill(db)
    start_drill(db, PLANNER, drill_id)
    inject = drill_run(db, drill_id).injects[-1]
    release_inject(db, PLANNER, inject.id)
    with pytest.raises(UserError):
        release_inject(db, PLANNER, inject.id)
    with pytest.raises(PermissionDenied):
        release_inject(db, HEAD, drill_run(db, drill_id).injects[0].id)


def test_an_inject_added_on_the_fly_is_numbered_next_and_can_go_at_once(db: Database) -> None:
    drill_id = drawn_drill(db)
    start_drill(db, PLANNER, drill_id)
    count = len(drill_run(db, drill_id).injects)
    with pytest.raises(ValidationError) as refused:
        add_inject(db, PLANNER, drill_id, InjectDraft(5, "記者", "發言人", "  "))
    assert refused.value.field == "message"
    inject_id = add_inject(db, PLANNER, drill_id,
                           InjectDraft(5, "聯合報記者", "發言人", "請問是否有查獲走私？"),
                           release_now=True)
    added = next(i for i in drill_run(db, drill_id).injects if i.id == inject_id)
    assert added.number == count + 1 and added.origin == "added"
    assert added.released_at is not None and added.message == "請問是否有查獲走私？"


def test_the_units_pc_records_each_arrival_once(db: Database) -> None:
    drill_id = drawn_drill(db)
    start_drill(db, PLANNER, drill_id)
    unit = drill_run(db, drill_id).drill.unit_key
    head = HEAD.__class__(HEAD.name, HEAD.role, unit)
    assert arrivals(db, "keelung", unit, head.name) == []
    for inject in drill_run(db, drill_id).injects:
        release_inject(db, PLANNER, inject.id)
    waiting = arrivals(db, "keelung", unit, head.name)
    assert len(waiting) == len(drill_run(db, drill_id).injects)
    assert record_deliveries(db, head, [a.inject.id for a in waiting]) == len(waiting)
    assert record_deliveries(db, head, [a.inject.id for a in waiting]) == 0
    assert arrivals(db, "keelung", unit, head.name) == []
    inject = drill_run(db, drill_id).injects[0]
    assert inject.delivered_at(unit) is not None
    assert inject.delivered_at("another-unit") is None


def test_ending_the_drill_makes_its_incident_read_only(db: Database) -> None:
    drill_id = drawn_drill(db)
    incident_id = start_drill(db, PLANNER, drill_id)
    with pytest.raises(PermissionDenied):
        end_drill(db, HEAD, drill_id)
    end_drill(db, PLANNER, drill_id)
    run = drill_run(db, drill_id)
    assert not run.running and run.ended_at is not None and run.drill.status == "held"
    with pytest.raises(UserError):
        change_level(db, HEAD, incident_id, "high", "升級")
    with pytest.raises(UserError):
        release_inject(db, PLANNER, run.injects[0].id)
    with pytest.raises(UserError):
        end_drill(db, PLANNER, drill_id)


def test_an_ended_drills_corrective_action_no_longer_moves(db: Database) -> None:
    """A real case's corrective actions still move after archiving (they are followed up);
    a drill incident's do not: the drill's end makes the whole incident read-only, and the
    drill's own corrective actions are its evaluation's."""
    from models.incidents.actions import save_corrective_action

    drill_id = drawn_drill(db)
    incident_id = start_drill(db, PLANNER, drill_id)
    action_id = save_corrective_action(db, HEAD, incident_id, None, description="補強通報名冊",
                                       owner="周科長", due=None, status="open")
    end_drill(db, PLANNER, drill_id)
    with db.session() as session:
        entries = len(session.scalars(select(TimelineRow.id).where(
            TimelineRow.incident_id == incident_id)).all())
    with pytest.raises(UserError) as refused:
        save_corrective_action(db, HEAD, incident_id, action_id, description="補強通報名冊",
                               owner="周科長", due=None, status="done", note="已完成")
    assert "drill" in refused.value.args[0].lower()
    with db.session() as session:
        assert len(session.scalars(select(TimelineRow.id).where(
            TimelineRow.incident_id == incident_id)).all()) == entries
    with pytest.raises(UserError) as refused:
        change_level(db, HEAD, incident_id, "high", "升級")
    assert "drill" in refused.value.args[0].lower()  # not "archived as a case file"
