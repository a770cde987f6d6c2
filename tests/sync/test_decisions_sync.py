"""Decisions and tasks between PCs: an action recorded before migration 0016 keeps its values
and its history verifies after the upgrade (the new columns read as their defaults, without
a history of their own), and a decision with its tasks reaches the other PCs as recorded."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from models.incidents.actions import save_action
from models.incidents.decisions import DecisionDraft, TaskDraft, decision_log, record_decision
from models.incidents.queries import incident_view
from models.schema import RULES
from models.storage.db import utcnow
from models.storage.names import DATABASE_FILE
from models.sync.audit import verify_history
from tests.sync.conftest import HEAD, PC, assert_in_sync, assert_same_rows, new_incident, sync_all
from tests.sync.older_schemas import as_schema_0011

MakePC = Callable[..., PC]


def _as_before_decisions(data_dir: Path) -> None:
    """Make the database of *data_dir* what schema 0011 left."""
    with sqlite3.connect(data_dir / DATABASE_FILE) as con:
        as_schema_0011(con)


def test_an_action_from_before_the_board_keeps_its_values_and_verifies(
        make_pc: MakePC, share: Path) -> None:
    old = make_pc("A")
    incident = new_incident(old)
    save_action(old.db, HEAD, incident, None, description="清查同一進口商貨櫃",
                group_key="handling", resources="X光儀", status="in_progress")
    old.db.close()
    _as_before_decisions(old.data_dir)
    a, b = make_pc("A", old.data_dir), make_pc("B")

    assert_in_sync(sync_all([a, b], share))

    for pc in (a, b):
        [task] = incident_view(pc.db, incident, utcnow(), 10).actions
        assert (task.description, task.resources, task.status) == (
            "清查同一進口商貨櫃", "X光儀", "in_progress")
        assert (task.owner, task.due_at, task.decision_id) == ("", None, None)
        assert [f.message() for f in verify_history(pc.db, RULES).findings] == [], pc.name
    assert_same_rows([a, b])


def test_a_decision_and_its_tasks_reach_the_other_pc(make_pc: MakePC, share: Path) -> None:
    a, b = make_pc("A"), make_pc("B")
    incident = new_incident(a)
    record_decision(a.db, HEAD, incident, DecisionDraft(
        decided_at=utcnow() - timedelta(minutes=10), decided_by="陳副關務長", post="commander",
        decision="擴大清查", tasks=(TaskDraft("清查貨櫃", "林組長", "handling",
                                               utcnow() + timedelta(hours=1)),)))

    assert_in_sync(sync_all([a, b], share))

    [entry] = decision_log(incident_view(b.db, incident, utcnow(), 10))
    assert (entry.decided_by, entry.recorded_by, entry.decision) == (
        "陳副關務長", "林組長", "擴大清查")
    assert [t.owner for t in entry.tasks] == ["林組長"]
    assert_same_rows([a, b])
