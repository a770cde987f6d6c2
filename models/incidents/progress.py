"""What a stage still needs before it can be completed: the wizard shows it, and
`complete_stage` refuses while anything is missing.

A stage is complete when every required task of the playbook is done or marked not applicable
with a reason. Two rules come from the procedure itself rather than from the task list: the
level's notification must be on record (at once for high and medium: stage 1; after handling
for low: stage 3, and at every later stage the group of the level as it is now, since a raised
level tells someone new), the plan of stage 2 must be written down and confirmed, and the
review of stage 6 must say what happened and what was learned.
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
    return _("Not filled in: {field}").format(field=_(FIELDS[item.key].label))
