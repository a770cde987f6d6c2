"""The office's own scenarios, made from its archived cases and offered beside the shipped
library on every PC."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from models.case_scenarios import save_case_scenario
from models.core.errors import PermissionDenied, UserError
from models.drills.scenario_entities import OfficeScenarioRow
from models.drills.scenario_store import office_scenarios
from models.drills.scenarios import default_scenarios
from models.incidents.actions import open_incident
from models.incidents.case_import import load_demo
from models.incidents.entities import IncidentRow
from models.org.people import Actor, Role
from models.playbook.store import current_playbook
from models.storage.db import Database
from tests.unit.incidents.test_incidents import HEAD, _run_to_archive, draft

PLANNER = Actor("林企劃", Role.PLANNING)


def test_an_archived_case_joins_the_offices_library(db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft())
    with pytest.raises(UserError):  # not archived yet
        save_case_scenario(db, PLANNER, "keelung", incident_id)
    _run_to_archive(db, incident_id)
    with pytest.raises(PermissionDenied):
        save_case_scenario(db, HEAD, "keelung", incident_id)
    scenario = save_case_scenario(db, PLANNER, "keelung", incident_id)
    save_case_scenario(db, PLANNER, "keelung", incident_id)  # again: replaced, not doubled
    playbook = current_playbook(db)[1]
    library = office_scenarios(db, "keelung", playbook)
    assert library[:-1] == default_scenarios(playbook)
    assert library[-1] == scenario and scenario.category == "clearance"
    assert office_scenarios(db, "taipei", playbook) == default_scenarios(playbook)


def test_examples_are_refused_and_a_damaged_row_is_left_out(db: Database) -> None:
    load_demo(db, PLANNER, "keelung")
    with db.session() as session:
        example = session.scalar(select(IncidentRow.id).limit(1))
    with pytest.raises(UserError):
        save_case_scenario(db, PLANNER, "keelung", str(example))
    incident_id = open_incident(db, HEAD, "keelung", draft())
    _run_to_archive(db, incident_id)
    save_case_scenario(db, PLANNER, "keelung", incident_id)
    with db.session() as session:
        session.execute(update(OfficeScenarioRow).values(content='{"key": 3}'))
    playbook = current_playbook(db)[1]
    assert office_scenarios(db, "keelung", playbook) == default_scenarios(playbook)
