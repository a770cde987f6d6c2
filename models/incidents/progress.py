"""What a stage still needs before it can be completed: the wizard shows it, and
`complete_stage` refuses while anything is missing.

A stage is complete when every required task of the playbook is done or marked not applicable
with a reason. Two rules come from the procedure itself rather than from the task list: the
level's notification must be on record (at once for high and medium: stage 1; after handling
for low: stage 3, and at every later stage the group of the level as it is now, since a raised
level tells someone new), the plan of stage 2 must be written down and confirmed, and the
review of stage 6 must say what happened and what was learned. A case is not archived while a
legal clock of one of its inquiries still runs: once archived, nothing of it could be recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

from i18n import _, pick
from models.incidents.kinds import FIELDS, REQUIRED_FIELDS, escalation
from models.incidents.queries import IncidentView


@dataclass(frozen=True)
class Missing:
    """One thing a stage still needs. kind: 'task' (key = task key), 'notify' (key = the
    group to tell) or 'field' (key = a stage-form field)."""

    kind: str
    stage: int
    key: str
    """'clock': an inquiry's running legal clock (key = inquiry id:clock kind)."""


def notify_stage(view: IncidentView) -> int:
    """The stage by whose end the level's notification must be on record."""
    return 1 if escalation(view.playbook, view.level_key).at_once else 3


def missing_for_stage(view: IncidentView, stage: int) -> list[Missing]:
    missing: list[Missing] = []
    for s in view.playbook.stages:
        if s.number != stage:
            continue
        missing.extend(
            Missing("task", stage, t.key)
            for t in s.tasks
            if t.required and view.task_state(stage, t.key) == "open"
        )
    if stage >= notify_stage(view):  # also after a later raise of the level
        group = escalation(view.playbook, view.level_key).level.notify_group
        if not any(n.target_group == group and n.told for n in view.notifications):
            missing.append(Missing("notify", stage, group))
    missing.extend(
        Missing("field", stage, key) for key in REQUIRED_FIELDS.get(stage, ())
        if not view.fields.get(key, "").strip()
    )
    if stage == 6:  # an archived case is locked: its inquiries' legal clocks must have stopped
        missing.extend(Missing("clock", stage, f"{i.id}:{c.kind}") for i in view.inquiries
                       for c in i.clocks() if c.done_on is None)
    return missing


def describe_missing(view: IncidentView, item: Missing) -> str:
    """The missing item in the reader's language."""
    if item.kind == "task":
        for s in view.playbook.stages:
            for t in s.tasks:
                if s.number == item.stage and t.key == item.key:
                    return _("Task not done: {task}").format(task=pick(t.text))
    if item.kind == "notify":
        groups = {g.key: g for g in view.playbook.team.groups}
        name = pick(groups[item.key].name) if item.key in groups else item.key
        if any(n.target_group == item.key for n in view.notifications):
            return _("Nobody in the {group} has been reached yet.").format(group=name)
        return _("No notification to the {group} on record.").format(group=name)
    if item.kind == "clock":
        inquiry_id, _sep, kind = item.key.partition(":")
        name = next((i.rep_name for i in view.inquiries if i.id == inquiry_id), "")
        return (_("The request for favour of {name} is not yet registered with the ethics "
                  "unit.") if kind == "favour" else
                _("The reply to the written interpellation of {name} is not yet sent.")
                ).format(name=name)
    return _("Not filled in: {field}").format(field=_(FIELDS[item.key].label))
