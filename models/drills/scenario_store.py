"""The office's scenario library: the shipped scenarios plus those the planning group made
from its own archived cases (an archived case turned into a drill, as 案例檔案 are kept
供日後參考改進). Stored scenarios are checked like a scenario file when read, so a damaged
row or one from a newer version is left out rather than breaking the library."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core.errors import UserError
from models.core.ids import stable_id
from models.drills.scenario_entities import OfficeScenarioRow
from models.drills.scenarios import (
    Scenario,
    default_scenarios,
    parse_scenarios,
    scenario_to_dict,
    scenarios_to_dict,
)
from models.org.people import Actor, Permission
from models.playbook.model import Playbook
from models.storage.db import Database


def office_scenarios(db: Database, office_code: str, playbook: Playbook) -> tuple[Scenario, ...]:
    """The shipped library, then the office's own scenarios, oldest first."""
    with db.session() as session:
        return library(session, office_code, playbook)


def library(session: Session, office_code: str, playbook: Playbook) -> tuple[Scenario, ...]:
    """office_scenarios within a transaction already open (a query that needs a scenario's
    title, such as a drill report's prefilled 模擬案由)."""
    rows = session.scalars(select(OfficeScenarioRow).where(
        OfficeScenarioRow.office_code == office_code, OfficeScenarioRow.deleted_at.is_(None))
        .order_by(OfficeScenarioRow.created_at)).all()
    own: list[Scenario] = []
    for row in rows:
        try:
            wrapper = scenarios_to_dict([])
            wrapper["scenarios"] = [json.loads(row.content)]
            own.extend(parse_scenarios(wrapper, playbook))
        except (UserError, ValueError):
            continue  # damaged, or for a category this playbook no longer has
    return default_scenarios(playbook) + tuple(own)


def store_scenario(db: Database, actor: Actor, office_code: str, scenario: Scenario,
                   source_incident_id: str) -> None:
    """Keep *scenario* in the office's library (the planning group or the executive
    secretary); one with the same key replaces it (the same case made into a scenario again)."""
    actor.require(Permission.PLAN_DRILLS)
    content = json.dumps(scenario_to_dict(scenario), ensure_ascii=False, sort_keys=True)
    with db.session() as session:
        row = session.scalar(select(OfficeScenarioRow).where(
            OfficeScenarioRow.office_code == office_code,
            OfficeScenarioRow.key == scenario.key))
        if row is None:
            session.add(OfficeScenarioRow(id=stable_id("office_scenario", office_code,
                                                      scenario.key),
                                          office_code=office_code, key=scenario.key,
                                          category_key=scenario.category, content=content,
                                          source_incident_id=source_incident_id,
                                          updated_by=actor.name))
        else:
            row.content, row.deleted_at = content, None
            row.touch(actor.name)
