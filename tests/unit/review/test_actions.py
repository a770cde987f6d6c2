"""Corrective actions followed across cases: one list of the incidents' and the drill
evaluations' actions, what is overdue first; a status moved after the case is archived, with
its note and its author in the case's timeline."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from models.core.errors import UserError, ValidationError
from models.incidents.entities import CorrectiveActionRow, TimelineRow
from models.org.people import Actor
from models.review.actions import followed_actions, move_status
from models.storage.db import Database
from tests.review_data import TODAY, corrective, drill, incident, utc


@pytest.fixture
def listed(db: Database) -> Database:
    archived = incident(db, "貨櫃夾藏加熱菸", utc(2026, 3, 10, 2), "high",
                        archived=utc(2026, 3, 13, 2))
    corrective(db, archived, utc(2026, 3, 13, 1), date(2026, 6, 1), None)  # overdue
    corrective(db, archived, utc(2026, 3, 13, 1), date(2026, 4, 1), utc(2026, 3, 30))  # done
    open_one = incident(db, "輿情：網路謠言", utc(2026, 11, 1, 1), "medium", unit="ops2")
    corrective(db, open_one, utc(2026, 11, 2), date(2027, 1, 31), None)  # open, not due yet
    example = incident(db, "示範用甲案", utc(2026, 5, 5, 5), "high", example=True)
    corrective(db, example, utc(2026, 5, 6), date(2026, 5, 7), None)  # never listed
    drill(db, "ops1", utc(2026, 3, 20, 2), "clearance", {1: 3},
          action=(utc(2026, 3, 25), date(2026, 12, 31), None))
    return db


def test_one_list_overdue_first_without_examples(listed: Database) -> None:
    actions = followed_actions(listed, "keelung", TODAY)
    assert [(a.source, a.reference, a.due, a.overdue(TODAY)) for a in actions] == [
        ("incident", "基隆關-115-0001", date(2026, 6, 1), True),
        ("drill", "", date(2026, 12, 31), False),
        ("incident", "基隆關-115-0002", date(2027, 1, 31), False),
        ("incident", "基隆關-115-0001", date(2026, 4, 1), False),  # done
    ]
    assert actions[0].closed and actions[0].unit_key == "ops1"
    assert actions[1].drill_month == date(2026, 3, 1) and actions[1].unit_key == "ops1"


def test_an_archived_cases_action_moves_with_its_note_in_the_timeline(
        listed: Database, unit_head: Actor) -> None:
    overdue = followed_actions(listed, "keelung", TODAY)[0]
    move_status(listed, unit_head, overdue, "done", "流程已修訂並公告")
    moved = followed_actions(listed, "keelung", TODAY)
    assert [a.status for a in moved if a.action_id == overdue.action_id] == ["done"]
    with listed.session() as session:
        entry = session.scalars(select(TimelineRow).where(
            TimelineRow.incident_id == overdue.record_id, TimelineRow.kind == "corrective")
        ).one()
        data = json.loads(entry.data)
        assert (data["status"], data["note"], entry.author) == ("done", "流程已修訂並公告", "陳組長")


def test_a_move_over_a_newer_change_from_another_pc_is_refused(
        listed: Database, unit_head: Actor) -> None:
    action = next(a for a in followed_actions(listed, "keelung", TODAY)
                  if a.reference == "基隆關-115-0002")
    with listed.session() as session:  # another PC's edit arrives meanwhile
        row = session.get(CorrectiveActionRow, action.action_id)
        assert row is not None
        row.description, row.updated_at = "改寫後的措施", utc(2026, 12, 6)
    with pytest.raises(UserError, match="另一部電腦已修改"):
        move_status(listed, unit_head, action, "done", "已完成")
    with listed.session() as session:
        row = session.get(CorrectiveActionRow, action.action_id)
        assert row is not None and (row.description, row.status) == ("改寫後的措施", "open")


def test_a_drill_evaluations_action_moves_by_the_planning_group(
        listed: Database, planner: Actor, unit_head: Actor) -> None:
    action = next(a for a in followed_actions(listed, "keelung", TODAY) if a.source == "drill")
    with pytest.raises(UserError):
        move_status(listed, unit_head, action, "done", "")  # not the planning group's
    move_status(listed, planner, action, "done", "")
    assert [a.status for a in followed_actions(listed, "keelung", TODAY)
            if a.action_id == action.action_id] == ["done"]


def test_saving_a_done_action_unchanged_keeps_the_day_it_was_done(
        listed: Database, unit_head: Actor) -> None:
    """The stage 6 form saves every action it shows: a done one saved again, unchanged, long
    after its due day, stays done on time in the annual review."""
    from models.incidents.actions import save_corrective_action
    from models.review.figures import annual_figures

    done = next(a for a in followed_actions(listed, "keelung", TODAY) if a.status == "done")
    before = annual_figures(listed, "keelung", 2026, TODAY).action_counts("incident")
    save_corrective_action(listed, unit_head, done.record_id, done.action_id,
                           description=done.description, owner=done.owner, due=done.due,
                           status="done")
    after = annual_figures(listed, "keelung", 2026, TODAY).action_counts("incident")
    assert (before.done_on_time, after.done_on_time, after.done_late) == (1, 1, 0)


def test_a_move_needs_a_new_state_and_for_a_case_a_note(listed: Database,
                                                        unit_head: Actor) -> None:
    overdue = followed_actions(listed, "keelung", TODAY)[0]
    with pytest.raises(ValidationError) as same:
        move_status(listed, unit_head, overdue, "open", "還在辦")
    assert same.value.field == "status"
    with pytest.raises(ValidationError) as silent:
        move_status(listed, unit_head, overdue, "done", "  ")
    assert silent.value.field == "note"
    assert followed_actions(listed, "keelung", TODAY)[0].status == "open"  # nothing moved


def test_a_drill_action_moved_meanwhile_on_another_pc_is_not_moved_back(
        listed: Database, planner: Actor) -> None:
    action = next(a for a in followed_actions(listed, "keelung", TODAY) if a.source == "drill")
    move_status(listed, planner, action, "done", "")  # another PC, first
    with pytest.raises(UserError, match="另一部電腦已修改"):
        move_status(listed, planner, action, "done" if action.status == "open" else "open", "")
    assert [a.status for a in followed_actions(listed, "keelung", TODAY)
            if a.action_id == action.action_id] == ["done"]
