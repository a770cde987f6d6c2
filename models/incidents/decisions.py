"""The decision log and the task board of an incident (001 §三: 各項應變措施之決定與發布實施;
§六 stage 2 確認處理方案, stage 3 危機處理).

A decision records when, who decided and as what (and 代: for whom, when a deputy decided), on
what basis, the options weighed, what was decided and who recorded it; it gives tasks, which
are stage 3's handling actions (ActionRow) naming it, with an owner, a group and a due time.

The plan confirmed at stage 2 is the first decision of most incidents, but it is not copied
into the decisions table: its confirmation is the procedure's own act, stored in the stage's
fields (s2.confirmed_*), which the progress rules and every receiving PC's check of the
confirmer (sync_policy._confirmed_in_person) read. A copy would be a second record of one act
that could disagree with the first, and a copy made by the upgrade on each PC would be a
different record on every PC (docs/sync.md). So the log reads it from those fields as an
entry of kind "plan" (`decision_log`), and the log stays the one list of what was decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from i18n import N_
from models.core.checks import MAX_LINE, MAX_TEXT, checked_text, one_of, past_time
from models.core.errors import ValidationError
from models.incidents.actions import check_due, editable_incident, not_before_start
from models.incidents.entities import ActionRow, DecisionRow
from models.incidents.kinds import ACTION_STATUSES, DECISION_POSTS
from models.incidents.queries import ActionInfo, IncidentView
from models.incidents.timeline import ActionSaved, Decided, log
from models.org.people import Actor, Permission, same_person
from models.playbook.store import playbook_at
from models.storage.db import Database, utcnow


@dataclass(frozen=True)
class TaskDraft:
    """A task a decision gives, as the form collects it."""

    description: str
    owner: str
    group_key: str
    due_at: datetime | None
    status: str = "planned"


@dataclass(frozen=True)
class DecisionDraft:
    decided_at: datetime
    decided_by: str
    post: str
    decision: str
    acting_for: str = ""
    basis: str = ""
    options: str = ""
    tasks: Sequence[TaskDraft] = ()


@dataclass(frozen=True)
class LogEntry:
    """One entry of the decision log. kind: "plan" (the plan confirmed at stage 2, read from
    its fields) or "decision" (a DecisionRow). *recorded_by* is empty when the decider
    recorded it themselves."""

    kind: str
    id: str
    decided_at: datetime | None
    decided_by: str
    post: str
    acting_for: str
    basis: str
    options: str
    decision: str
    recorded_by: str
    tasks: tuple[ActionInfo, ...]


def record_decision(db: Database, actor: Actor, incident_id: str, draft: DecisionDraft) -> str:
    """Record a decision and the tasks it gives, in one transaction with their timeline
    entries. In one's own name only who may take it (as a plan's confirmation); for someone
    else (a decision given by phone) anyone records it, and the record names the recorder."""
    decision = checked_text("decision", draft.decision, MAX_TEXT, required=True)
    decided_by = checked_text("decided_by", draft.decided_by, MAX_LINE, required=True)
    acting_for = checked_text("acting_for", draft.acting_for, MAX_LINE)
    basis = checked_text("basis", draft.basis, MAX_TEXT)
    options = checked_text("options", draft.options, MAX_TEXT)
    one_of("post", draft.post, DECISION_POSTS)
    if same_person(decided_by, actor.name):
        actor.require(Permission.CONFIRM_PLAN)
    if acting_for and same_person(acting_for, decided_by):
        raise ValidationError("acting_for", N_("A deputy acts for someone else."))
    past_time("decided_at", draft.decided_at, utcnow())
    tasks = [replace(t, description=checked_text(f"task{i}_description", t.description,
                                                 MAX_TEXT, required=True),
                     owner=checked_text(f"task{i}_owner", t.owner, MAX_LINE))
             for i, t in enumerate(draft.tasks)]
    for i, task in enumerate(tasks):
        one_of(f"task{i}_status", task.status, ACTION_STATUSES)
    with db.session() as session:
        incident = editable_incident(session, incident_id)
        not_before_start(incident, "decided_at", draft.decided_at)
        groups = {g.key for g in playbook_at(session, incident.playbook_version_id).team.groups}
        for i, task in enumerate(tasks):
            one_of(f"task{i}_group", task.group_key, groups)
            check_due(incident, f"task{i}_due", task.due_at)
        row = DecisionRow(incident_id=incident_id, decided_at=draft.decided_at,
                          decided_by=decided_by, post=draft.post, acting_for=acting_for,
                          basis=basis, options=options, decision=decision,
                          recorded_by=actor.name, updated_by=actor.name)
        session.add(row)
        session.flush()
        log(session, incident_id, actor, Decided(decision, decided_by, acting_for),
            draft.decided_at)
        for task in tasks:
            session.add(ActionRow(incident_id=incident_id, description=task.description,
                                  owner=task.owner, group_key=task.group_key, resources="",
                                  status=task.status, due_at=task.due_at, decision_id=row.id,
                                  updated_by=actor.name))
            log(session, incident_id, actor,
                ActionSaved(task.description, task.group_key, task.status, new=True))
        return str(row.id)


def decision_log(view: IncidentView) -> list[LogEntry]:
    """What was decided, newest first: the recorded decisions with their tasks, and the plan
    confirmed at stage 2 (see the module docstring)."""
    entries = [LogEntry("decision", d.id, d.decided_at, d.decided_by, d.post, d.acting_for,
                        d.basis, d.options, d.decision,
                        "" if same_person(d.recorded_by, d.decided_by) else d.recorded_by,
                        tuple(a for a in view.actions if a.decision_id == d.id))
               for d in view.decisions]
    f = view.fields
    if f.get("s2.confirmed_by_name"):
        entries.append(LogEntry(
            "plan", "plan", view.time_field("s2.confirmed_at"), f["s2.confirmed_by_name"],
            f.get("s2.confirmed_by_role", ""), "", f.get("s2.diagnosis", ""), "",
            f.get("s2.plan", ""), view.confirmation_recorder(), ()))
    return sorted(entries, key=lambda e: e.decided_at or view.started_at, reverse=True)


def overdue_tasks(view: IncidentView, now: datetime) -> list[ActionInfo]:
    """The incident's tasks whose due time passed and that are not done, most late first."""
    late = [a for a in view.actions if a.overdue(now)]
    return sorted(late, key=lambda a: a.due_at or now)
