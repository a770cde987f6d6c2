"""The decision log and the task board in words: the case file prints them
(models/incidents/print.py) and stage 3's section shows them (ui/incidents/decisions.py) in
the same sentences, in the reader's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from forms.deputies import acting_text
from forms.document import Block, Table
from i18n import _
from models.incidents.decisions import LogEntry, decision_log
from models.incidents.kinds import ACTION_STATUSES, DECISION_POSTS
from models.incidents.queries import ActionInfo, IncidentView


def decider_text(entry: LogEntry) -> str:
    """The post and name of who decided (for a deputy, the holder and the deputy with 代行, as
    公文程式條例 has it: forms.deputies), and who recorded it for them."""
    post = _(DECISION_POSTS.get(entry.post, entry.post))
    if entry.acting_for:
        text = acting_text(post, entry.acting_for, entry.decided_by)
    else:
        text = _("{post} {name}").format(post=post, name=entry.decided_by)
    if entry.recorded_by:
        text += "\n" + _("Recorded by {name}.").format(name=entry.recorded_by)
    return text


def decision_text(entry: LogEntry) -> str:
    """What was decided, on what basis, after weighing what."""
    if entry.kind == "plan":
        return _("Plan confirmed (stage 2): {plan}").format(plan=entry.decision)
    parts = [entry.decision]
    if entry.basis:
        parts.append(_("Basis: {text}").format(text=entry.basis))
    if entry.options:
        parts.append(_("Options weighed: {text}").format(text=entry.options))
    return "\n".join(parts)


def tasks_text(tasks: tuple[ActionInfo, ...]) -> str:
    return "\n".join("• " + (_("{task} ({owner})").format(task=t.description, owner=t.owner)
                             if t.owner else t.description) for t in tasks)


def decision_blocks(view: IncidentView, when: Callable[[datetime | None], str],
                    groups: Mapping[str, str]) -> list[Block]:
    """The case file's decision log (oldest first, as a record reads) and its tasks, each
    task with the number of the decision that gave it."""
    entries = list(reversed(decision_log(view)))
    numbers = {e.id: i for i, e in enumerate(entries, 1)}
    return [
        Table(_("Decision log"), (_("No."), _("Decided at"), _("Decided by"), _("Decision"),
                                  _("Tasks it gives")),
              tuple((str(i), when(e.decided_at), decider_text(e), decision_text(e),
                     tasks_text(e.tasks)) for i, e in enumerate(entries, 1)),
              widths=(1, 2.4, 3, 5, 4)),
        Table(_("Task board"), (_("Task"), _("Owner"), _("Group"), _("Resources"), _("Due"),
                           _("State"), _("Decision")),
              tuple((t.description, t.owner, groups.get(t.group_key, t.group_key), t.resources,
                     when(t.due_at), _(ACTION_STATUSES.get(t.status, t.status)),
                     _("No. {n}").format(n=numbers[t.decision_id])
                     if t.decision_id in numbers else "") for t in view.actions),
              widths=(4.4, 2.2, 2.2, 2.2, 2.4, 1.6, 2)),
    ]
