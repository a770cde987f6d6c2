"""The decision log and the task board: a decision and its tasks recorded in one act, who may
record one in their own name, due times, overdue tasks, and the plan confirmation as an entry
of the log."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from i18n import set_language
from models.core.errors import PermissionDenied, UserError, ValidationError
from models.incidents.actions import (
    confirm_plan,
    open_incident,
    save_action,
    set_field,
)
from models.incidents.case_format import cases_to_dict, parse_cases, parse_cases_json
from models.incidents.case_import import import_cases_file
from models.incidents.case_search import CaseQuery, search_cases
from models.incidents.entities import IncidentRow
from models.incidents.decisions import (
    DecisionDraft,
    TaskDraft,
    decision_log,
    overdue_tasks,
    record_decision,
)
from models.incidents.sync_policy import POLICY
from models.incidents.timeline_text import describe
from models.org.people import Actor, Role
from models.playbook.shipped import default_playbook
from models.storage.db import Database, utcnow
from models.sync.policy import Author
from tests.json_mutation import shipped_json
from tests.unit.incidents.test_incidents import HEAD, _run_to_archive, draft, view

COMMANDER = Actor("陳副關務長", Role.COMMANDER)


def decision(**changes: object) -> DecisionDraft:
    values: dict[str, object] = dict(
        decided_at=utcnow() - timedelta(minutes=30), decided_by="陳副關務長", post="commander",
        decision="擴大清查同一進口商之貨櫃", basis="X 光影像異常", options="僅查本櫃；擴大清查",
        tasks=(TaskDraft("清查同一進口商貨櫃", "林組長", "handling", utcnow() + timedelta(hours=2)),
               TaskDraft("發布澄清稿", "公關股", "liaison", utcnow() - timedelta(minutes=5))))
    values.update(changes)
    return DecisionDraft(**values)  # type: ignore[arg-type]


def test_a_decision_and_its_tasks_are_recorded_together_with_their_timeline(
        db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft())
    decision_id = record_decision(db, HEAD, incident_id, decision())
    seen = view(db, incident_id)
    [entry] = decision_log(seen)
    assert (entry.kind, entry.decided_by, entry.decision) == ("decision", "陳副關務長",
                                                              "擴大清查同一進口商之貨櫃")
    assert entry.recorded_by == "林組長"  # given by phone: the record names who wrote it
    assert [(t.description, t.owner, t.status) for t in entry.tasks] == [
        ("清查同一進口商貨櫃", "林組長", "planned"), ("發布澄清稿", "公關股", "planned")]
    assert all(t.decision_id == decision_id for t in seen.actions)
    set_language("en")
    lines = [describe(e, seen.playbook, {}) for e in seen.timeline if e.kind == "decision"]
    assert lines == ["陳副關務長 decided: 擴大清查同一進口商之貨櫃"]


def test_a_deputy_decision_names_the_post_holder(db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft())
    record_decision(db, HEAD, incident_id, decision(decided_by="黃主任秘書", post="secretary",
                                                    acting_for="陳副關務長", tasks=()))
    [entry] = decision_log(view(db, incident_id))
    assert (entry.decided_by, entry.acting_for) == ("黃主任秘書", "陳副關務長")


@pytest.mark.parametrize(("changes", "field"), [
    ({"decision": "   "}, "decision"),
    ({"decided_by": ""}, "decided_by"),
    ({"post": "janitor"}, "post"),
    ({"acting_for": "陳副關務長"}, "acting_for"),  # a deputy does not act for themselves
    ({"decided_at": utcnow() - timedelta(days=2)}, "decided_at"),
    ({"tasks": (TaskDraft(" ", "林組長", "handling", None),)}, "task0_description"),
    ({"tasks": (TaskDraft("清查", "林組長", "handling", None),
                TaskDraft("澄清", "公關股", "nobody", None))}, "task1_group"),
])
def test_bad_input_names_the_field_and_saves_nothing(db: Database, changes: dict[str, object],
                                                     field: str) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft())
    with pytest.raises(ValidationError) as caught:
        record_decision(db, HEAD, incident_id, decision(**changes))
    assert caught.value.field == field
    seen = view(db, incident_id)
    assert (seen.decisions, seen.actions) == ((), ())


def test_a_due_time_before_the_incident_began_is_refused_one_already_past_is_not(
        db: Database) -> None:
    """Recorded after the fact, a task may be due already (and is overdue at once); a due
    time before the incident began is a slip of the date."""
    incident_id = open_incident(db, HEAD, "keelung", draft())
    early = utcnow() - timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        record_decision(db, HEAD, incident_id, decision(
            tasks=(TaskDraft("清查", "林組長", "handling", early),)))
    assert caught.value.field == "task0_due"
    with pytest.raises(ValidationError) as caught:
        save_action(db, HEAD, incident_id, None, description="清查", group_key="handling",
                    resources="", status="planned", due_at=early)
    assert caught.value.field == "due_at"
    record_decision(db, HEAD, incident_id, decision())  # one task due five minutes ago
    assert [t.description for t in overdue_tasks(view(db, incident_id), utcnow())] == [
        "發布澄清稿"]


def test_a_task_done_or_not_yet_due_is_not_overdue(db: Database) -> None:
    """Nor counted late in the incident list, where an overdue one is (as on Home)."""
    from models.incidents.queries import list_incidents

    incident_id = open_incident(db, HEAD, "keelung", draft())
    before = list_incidents(db, "keelung", utcnow(), 10)[0].overdue
    record_decision(db, HEAD, incident_id, decision())
    late = next(t for t in view(db, incident_id).actions if t.description == "發布澄清稿")
    assert late.overdue(utcnow()) and not late.overdue(utcnow() - timedelta(minutes=10))
    assert list_incidents(db, "keelung", utcnow(), 10)[0].overdue == before + 1
    save_action(db, HEAD, incident_id, late.id, description=late.description,
                group_key=late.group_key, resources="", status="done", owner=late.owner,
                due_at=late.due_at, seen_at=late.updated_at)
    seen = view(db, incident_id)
    assert overdue_tasks(seen, utcnow()) == []
    assert list_incidents(db, "keelung", utcnow(), 10)[0].overdue == before
    done = next(t for t in seen.actions if t.id == late.id)
    assert done.decision_id == late.decision_id  # the board's edit keeps its decision


def test_in_ones_own_name_only_who_may_decide_records_a_decision(db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft())
    with pytest.raises(PermissionDenied):
        record_decision(db, HEAD, incident_id, decision(decided_by="林組長", post="unit_head"))
    assert view(db, incident_id).decisions == ()
    record_decision(db, COMMANDER, incident_id, decision())
    [entry] = decision_log(view(db, incident_id))
    assert entry.recorded_by == ""  # the commander recorded their own decision


def test_every_pc_checks_who_decided_and_who_recorded_a_decision() -> None:
    """The writers rule a receiving PC applies to a decision another PC signed."""
    check = POLICY.writers["decisions"]
    head = Author("林組長", Role.UNIT_HEAD.value)
    at = utcnow().isoformat()
    own = {"decided_by": "林組長", "recorded_by": "林組長", "decided_at": at}
    relayed = {"decided_by": "陳副關務長", "recorded_by": "林組長", "decided_at": at}
    forged = {"decided_by": "陳副關務長", "recorded_by": "陳副關務長", "decided_at": at}
    assert check(head, own, None) is not None
    assert check(head, relayed, None) is None
    assert check(head, forged, None) is not None
    assert check(Author("陳副關務長", Role.COMMANDER.value), forged, None) is None


def test_the_plan_confirmation_is_an_entry_of_the_log_read_from_its_fields(
        db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft())
    set_field(db, HEAD, incident_id, "s2.plan", "擴大查緝並發布新聞稿")
    confirm_plan(db, HEAD, incident_id, "secretary", "王主秘", utcnow() - timedelta(minutes=40))
    record_decision(db, HEAD, incident_id, decision(tasks=()))
    seen = view(db, incident_id)
    assert seen.decisions[0].decision == "擴大清查同一進口商之貨櫃"
    newest, plan = decision_log(seen)
    assert newest.kind == "decision"
    assert (plan.kind, plan.decided_by, plan.post, plan.decision, plan.recorded_by) == (
        "plan", "王主秘", "secretary", "擴大查緝並發布新聞稿", "林組長")


def test_an_archived_incident_takes_no_decision(db: Database) -> None:
    """Decisions are parts of the incident: a case file is not changed."""
    incident_id = open_incident(db, HEAD, "keelung", draft())
    with db.session() as session:
        row = session.get(IncidentRow, incident_id)
        assert row is not None
        row.status = "archived"
    with pytest.raises(UserError):
        record_decision(db, HEAD, incident_id, decision())


def test_an_archived_case_is_found_by_what_was_decided(db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft())
    record_decision(db, HEAD, incident_id, decision(basis="冷凍貨櫃溫度異常"))
    _run_to_archive(db, incident_id)
    found = search_cases(db, "keelung", CaseQuery(text="溫度異常"))
    assert [c.id for c in found] == [incident_id]


def test_a_case_file_carries_decisions_and_their_tasks_into_the_log(
        db: Database, tmp_path: Path) -> None:
    """An exchange file's decisions become the log's entries, its actions the board's tasks
    (the second given by the first decision), and the file reads back the same."""
    data = shipped_json("demo", "cases.json")
    case = data["cases"][0]
    case["reporting_unit"] = ""
    case["decisions"] = [{"at": case["started_at"], "decided_by": "黃主任秘書",
                          "post": "secretary", "acting_for": "陳副關務長",
                          "basis": "貨櫃 X 光影像異常", "options": "", "decision": "擴大清查"}]
    case["actions"][1].update(owner="林組長", due=case["started_at"], decision=1)
    data["office"], data["cases"] = "keelung", [case]
    [record] = parse_cases_json(json.dumps(data, ensure_ascii=False), default_playbook())
    assert parse_cases(cases_to_dict([record]), default_playbook()) == (record,)
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    import_cases_file(db, Actor("林企劃", Role.PLANNING, "secretariat"), "keelung", path)
    [summary] = search_cases(db, "keelung", CaseQuery(text="影像異常"))
    seen = view(db, summary.id)
    [entry] = [e for e in decision_log(seen) if e.kind == "decision"]
    assert (entry.decided_by, entry.acting_for, entry.recorded_by) == (
        "黃主任秘書", "陳副關務長", "林企劃")
    assert [(t.description, t.owner) for t in entry.tasks] == [
        (case["actions"][1]["description"], "林組長")]
    assert len(seen.actions) == len(case["actions"])
