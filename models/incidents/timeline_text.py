"""The sentence a timeline entry reads as, composed in the reader's language when shown.

Entries store a kind and its parameters (keys, names, texts typed by users), never a finished
sentence: an activity log entered in Chinese prints in English on another PC, and the other
way round.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from i18n import N_, _, current_language, pick
from i18n.formatting import format_datetime
from models.incidents.kinds import (
    ACTION_STATUSES,
    CONFIRMERS,
    FACTS,
    FIELDS,
    MEANS,
    NOTIFY_OUTCOMES,
    SOURCES,
    STATEMENT_EVENTS,
    STATEMENT_KINDS,
    TASK_STATES,
)
from models.incidents.queries import TimelineEntry
from models.playbook.model import CORRECTIVE_STATUSES, Playbook

KIND_LABELS = {
    "opened": N_("Opened"),
    "field": N_("Changed"),
    "level": N_("Level"),
    "notified": N_("Notification"),
    "acknowledged": N_("Acknowledged"),
    "task": N_("Task"),
    "report": N_("Progress report"),
    "note": N_("Note"),
    "action": N_("Action"),
    "statement": N_("Statement"),
    "statement_event": N_("Statement"),
    "negotiation": N_("Negotiation"),
    "corrective": N_("Corrective action"),
    "removed": N_("Removed"),
    "stage": N_("Stage"),
    "archived": N_("Archived"),
}


def _label(table: Mapping[str, str], key: Any) -> str:
    return _(table[key]) if key in table else str(key or "")


class _Names:
    """Playbook names by key, in the reader's language."""

    def __init__(self, playbook: Playbook) -> None:
        self.levels = {level.key: pick(level.name) for level in playbook.levels}
        self.groups = {g.key: pick(g.name) for g in playbook.team.groups}
        self.categories = {c.key: pick(c.name) for c in playbook.categories}
        self.subtypes = {s.key: pick(s.text) for c in playbook.categories for s in c.subtypes}
        self.stages = {s.number: pick(s.name) for s in playbook.stages}
        # Without the sentence's full stop: the task is quoted inside a longer line.
        self.tasks = {(s.number, t.key): pick(t.text).rstrip("。.")
                      for s in playbook.stages for t in s.tasks}


def _value(names: _Names, key: str, value: Any, units: Mapping[str, str]) -> str:
    if value in (None, ""):
        return _("(empty)")
    lookups: dict[str, Mapping[Any, str]] = {
        "level_key": names.levels,
        "category_key": names.categories,
        "subtype_key": names.subtypes,
        "reporting_unit": units,
    }
    if key in lookups:
        return lookups[key].get(value, str(value))
    if key == "source":
        return _label(SOURCES, value)
    if key == "s2.confirmed_by_role":
        return _label(CONFIRMERS, value)
    if key in FIELDS and FIELDS[key].kind == "datetime":
        try:
            return format_datetime(datetime.fromisoformat(str(value)), long=False)
        except ValueError:  # a value from a newer version: show it as it is
            return str(value)
    return str(value)


_NAMES: dict[tuple[int, str], tuple[Playbook, _Names]] = {}
"""Names per playbook and language: a long timeline is described entry by entry."""


def _names(playbook: Playbook) -> _Names:
    key = (id(playbook), current_language())
    found = _NAMES.get(key)
    if found is None or found[0] is not playbook:
        if len(_NAMES) > 16:
            _NAMES.clear()
        found = _NAMES[key] = (playbook, _Names(playbook))
    return found[1]


FOLD_WITHIN = timedelta(minutes=10)
"""Edits of one field by one person this close together read as one (autosave stores as the
user types: a plan written in three sittings of a minute is one decision, not three)."""


def fold_edits(entries: Sequence[TimelineEntry]) -> list[TimelineEntry]:
    """The timeline as a reader wants it: successive edits of one field by one person, each
    within FOLD_WITHIN of the one before, become the last of them, reading from the first
    one's old value to the last one's new value. Every other entry stays as it is."""
    shown: list[TimelineEntry | None] = []
    last: dict[tuple[str, str], int] = {}
    for entry in entries:
        if entry.kind != "field":
            shown.append(entry)
            continue
        who = (str(entry.data.get("key", "")), entry.author)
        before = last.get(who)
        if before is not None:
            earlier = shown[before]
            if earlier is not None and entry.event_at - earlier.event_at <= FOLD_WITHIN:
                shown[before] = None
                entry = replace(entry, data={**entry.data, "old": earlier.data.get("old")})
        last[who] = len(shown)
        shown.append(entry)
    return [entry for entry in shown if entry is not None]


def describe(entry: TimelineEntry, playbook: Playbook, units: Mapping[str, str]) -> str:
    """One line for *entry*; *units* maps unit keys to names."""
    names = _names(playbook)
    d = entry.data
    kind = entry.kind
    if kind == "opened":
        return str(d.get("title", ""))
    if kind == "field":
        key = str(d.get("key", ""))
        label = _(FACTS[key]) if key in FACTS else _(FIELDS[key].label) if key in FIELDS else key
        new = _value(names, key, d.get("new"), units)
        if d.get("old") in (None, ""):  # a first entry fills the field in; nothing was there
            return _("{field} filled in: {new}").format(field=label, new=new)
        return _("{field}: {new} (was: {old})").format(
            field=label, new=new, old=_value(names, key, d.get("old"), units))
    if kind == "level":
        level = str(names.levels.get(d.get("to", ""), d.get("to", "")))
        if "from" not in d:
            text = level
            if d.get("suggested") and d.get("suggested") != d.get("to"):
                text += _(" (suggested: {level})").format(
                    level=names.levels.get(d["suggested"], d["suggested"]))
        else:
            text = _("from {old} to {new}").format(
                old=names.levels.get(d["from"], d["from"]), new=level)
        return text + (_("; reason: {reason}").format(reason=d["reason"]) if d.get("reason")
                       else "")
    if kind == "notified":
        outcome = d.get("outcome", "reached")  # entries from before outcomes were told
        if outcome == "reached":
            text = _("{recipient} notified by {means}").format(
                recipient=d.get("recipient", ""), means=_label(MEANS, d.get("means")))
        else:
            text = _("{recipient} contacted by {means}: {outcome}").format(
                recipient=d.get("recipient", ""), means=_label(MEANS, d.get("means")),
                outcome=_label(NOTIFY_OUTCOMES, outcome))
        if d.get("acting_for"):
            text += _(" (deputy, acting for {name})").format(name=d["acting_for"])
        return text
    if kind == "acknowledged":
        return _("{recipient} acknowledged the notification").format(
            recipient=d.get("recipient", ""))
    if kind == "task":
        text = _("Stage {stage}, {task}: {state}").format(
            stage=d.get("stage"), task=names.tasks.get((int(d.get("stage") or 0), str(d.get("task"))), ""),
            state=_label(TASK_STATES, d.get("state")))
        if d.get("reason"):
            text += _("; reason: {reason}").format(reason=d["reason"])
        if d.get("remark"):
            text += _("; remark: {remark}").format(remark=d["remark"])
        return text
    if kind in ("report", "note"):
        return str(d.get("text", ""))
    if kind == "action":
        return _("Action ({group}, {status}): {text}").format(
            group=names.groups.get(d.get("group", ""), d.get("group", "")),
            status=_label(ACTION_STATUSES, d.get("status")), text=d.get("description", ""))
    if kind == "statement":
        return _("{kind} \u201c{title}\u201d, version {version} saved").format(
            kind=_label(STATEMENT_KINDS, d.get("kind")), title=d.get("title", ""),
            version=d.get("version"))
    if kind == "statement_event":
        text = _("\u201c{title}\u201d version {version}: {event} ({name})").format(
            title=d.get("title", ""), version=d.get("version"),
            event=_label(STATEMENT_EVENTS, d.get("event")), name=d.get("name", ""))
        if d.get("channel"):
            text += _("; channel: {channel}").format(channel=d["channel"])
        return text
    if kind == "negotiation":
        return _("Party {party}: position {position}; agreed {agreement}; next {next}").format(
            party=d.get("party", ""), position=d.get("position") or "-",
            agreement=d.get("agreement") or "-", next=d.get("next_step") or "-")
    if kind == "corrective":
        return _("Corrective action ({owner}, {status}): {text}").format(
            owner=d.get("owner", ""), status=_label(CORRECTIVE_STATUSES, d.get("status")),
            text=d.get("description", ""))
    if kind == "removed":
        return _("An entry was removed ({what})").format(what=d.get("what", ""))
    if kind == "stage":
        return _("Stage {number} completed: {name}").format(
            number=d.get("stage"), name=names.stages.get(d.get("stage", 0), ""))
    if kind == "archived":
        return _("Archived as a case file")
    return kind


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind
