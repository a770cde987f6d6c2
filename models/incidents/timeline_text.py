"""The sentence a timeline entry reads as, composed in the reader's language when shown.

Entries store a kind and its parameters (keys, names, texts typed by users), never a finished
sentence: an activity log entered in Chinese prints in English on another PC, and the other
way round. Each kind of entry (models.incidents.timeline) has its own sentence below,
chosen by the entry's type.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from functools import singledispatch

from i18n import N_, _, current_language, pick
from i18n.formatting import format_date, format_datetime
from i18n.formatting import format_datetime
from models.incidents.inquiries import INQUIRY_EVENTS
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
from models.incidents.media_kinds import MEDIA_CHANNELS, RELEASE_CHANNELS, TONES, label
from models.incidents.queries import TimelineEntry
from models.incidents.timeline import (
    Acknowledged,
    ActionSaved,
    Decided,
    Archived,
    CorrectiveSaved,
    Entry,
    FieldChanged,
    InquiryLogged,
    InjectReleased,
    DrillEnded,
    LevelChanged,
    LevelSet,
    MediaItemSaved,
    NegotiationSaved,
    Notified,
    Opened,
    Removed,
    SituationReported,
    StageCompleted,
    StatementEvent,
    StatementSaved,
    TaskMarked,
    WatchReviewed,
    Written,
)
from models.playbook.model import CORRECTIVE_STATUSES, Playbook
from models.playbook.records import COLUMN_LABELS, column_value_label

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
    "decision": N_("Decision"),
    "statement": N_("Statement"),
    "statement_event": N_("Statement"),
    "media_item": N_("Media item"),
    "negotiation": N_("Negotiation"),
    "corrective": N_("Corrective action"),
    "removed": N_("Removed"),
    "stage": N_("Stage"),
    "archived": N_("Archived"),
    "situation_report": N_("Situation report"),
    "watch_review": N_("Watch review"),
    "inquiry": N_("Legislator's inquiry"),
    "drill_inject": N_("Drill inject"),
    "drill_ended": N_("Drill ended"),
}


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


def _value(names: _Names, key: str, value: str | None, units: Mapping[str, str]) -> str:
    if key in COLUMN_LABELS:  # the 公文 header (models.incidents.record_header)
        return column_value_label(key, value or "")
    if value is None or value == "":
        return _("(empty)")
    lookups: dict[str, Mapping[str, str]] = {
        "level_key": names.levels,
        "category_key": names.categories,
        "subtype_key": names.subtypes,
        "reporting_unit": units,
    }
    if key in lookups:
        return lookups[key].get(value, value)
    if key == "source":
        return label(SOURCES, value)
    if key == "s2.confirmed_by_role":
        return label(CONFIRMERS, value)
    if key in FIELDS and FIELDS[key].kind == "datetime":
        try:
            return format_datetime(datetime.fromisoformat(value), long=False)
        except ValueError:  # a value from a newer version: show it as it is
            return value
    return value


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


def fold_edits(entries: Sequence[TimelineEntry[Entry]]) -> list[TimelineEntry[Entry]]:
    """The timeline as a reader wants it: successive edits of one field by one person, each
    within FOLD_WITHIN of the one before, become the last of them, reading from the first
    one's old value to the last one's new value. Every other entry stays as it is."""
    shown: list[TimelineEntry[Entry] | None] = []
    last: dict[tuple[str, str], tuple[int, str | None]] = {}
    """Per field and person, where their last edit is shown and the old value it reads."""
    for entry in entries:
        what = entry.what
        if not isinstance(what, FieldChanged):
            shown.append(entry)
            continue
        who = (what.key, entry.author)
        if who in last:
            before, old = last[who]
            earlier = shown[before]
            if earlier is not None and entry.event_at - earlier.event_at <= FOLD_WITHIN:
                shown[before] = None
                what = replace(what, old=old)
                entry = replace(entry, what=what)
        last[who] = (len(shown), what.old)
        shown.append(entry)
    return [entry for entry in shown if entry is not None]


def describe(entry: TimelineEntry[Entry], playbook: Playbook, units: Mapping[str, str]) -> str:
    """One line for *entry*; *units* maps unit keys to names."""
    return _sentence(entry.what, _names(playbook), units)


@singledispatch
def _sentence(what: Entry, names: _Names, units: Mapping[str, str]) -> str:
    """The line of an entry this version cannot read (Unrecognised): its kind."""
    return what.kind


@_sentence.register
def _opened(what: Opened, names: _Names, units: Mapping[str, str]) -> str:
    return what.title


@_sentence.register
def _field(what: FieldChanged, names: _Names, units: Mapping[str, str]) -> str:
    key = what.key
    label = _(FACTS[key]) if key in FACTS else _(FIELDS[key].label) if key in FIELDS else \
        _(COLUMN_LABELS[key]) if key in COLUMN_LABELS else key
    new = _value(names, key, what.new, units)
    # A first entry fills the field in, nothing was there; a header's "" is the rule's value.
    if what.old in (None, "") and key not in COLUMN_LABELS:
        return _("{field} filled in: {new}").format(field=label, new=new)
    return _("{field}: {new} (was: {old})").format(
        field=label, new=new, old=_value(names, key, what.old, units))


def _reason(reason: str) -> str:
    return _("; reason: {reason}").format(reason=reason) if reason else ""


@_sentence.register
def _level_set(what: LevelSet, names: _Names, units: Mapping[str, str]) -> str:
    text = names.levels.get(what.to, what.to)
    if what.suggested and what.suggested != what.to:
        text += _(" (suggested: {level})").format(
            level=names.levels.get(what.suggested, what.suggested))
    return text + _reason(what.reason)


@_sentence.register
def _level_changed(what: LevelChanged, names: _Names, units: Mapping[str, str]) -> str:
    return _("from {old} to {new}").format(
        old=names.levels.get(what.from_level, what.from_level),
        new=names.levels.get(what.to, what.to)) + _reason(what.reason)


@_sentence.register
def _notified(what: Notified, names: _Names, units: Mapping[str, str]) -> str:
    outcome = "reached" if what.outcome is None else what.outcome
    if outcome == "reached":
        text = _("{recipient} notified by {means}").format(
            recipient=what.recipient, means=label(MEANS, what.means))
    else:
        text = _("{recipient} contacted by {means}: {outcome}").format(
            recipient=what.recipient, means=label(MEANS, what.means),
            outcome=label(NOTIFY_OUTCOMES, outcome))
    if what.acting_for:
        text += _(" (deputy, acting for {name})").format(name=what.acting_for)
    return text


@_sentence.register
def _acknowledged(what: Acknowledged, names: _Names, units: Mapping[str, str]) -> str:
    return _("{recipient} acknowledged the notification").format(recipient=what.recipient)


@_sentence.register
def _task(what: TaskMarked, names: _Names, units: Mapping[str, str]) -> str:
    text = _("Stage {stage}, {task}: {state}").format(
        stage=what.stage, task=names.tasks.get((what.stage, what.task), ""),
        state=label(TASK_STATES, what.state))
    text += _reason(what.reason)
    if what.remark:
        text += _("; remark: {remark}").format(remark=what.remark)
    return text


@_sentence.register
def _written(what: Written, names: _Names, units: Mapping[str, str]) -> str:
    return what.text


@_sentence.register
def _action(what: ActionSaved, names: _Names, units: Mapping[str, str]) -> str:
    return _("Action ({group}, {status}): {text}").format(
        group=names.groups.get(what.group, what.group),
        status=label(ACTION_STATUSES, what.status), text=what.description)


@_sentence.register
def _decided(what: Decided, names: _Names, units: Mapping[str, str]) -> str:
    if what.acting_for:
        return _("{name} (for {holder}) decided: {text}").format(
            name=what.decided_by, holder=what.acting_for, text=what.decision)
    return _("{name} decided: {text}").format(name=what.decided_by, text=what.decision)


@_sentence.register
def _statement(what: StatementSaved, names: _Names, units: Mapping[str, str]) -> str:
    return _("{kind} \u201c{title}\u201d, version {version} saved").format(
        kind=label(STATEMENT_KINDS, what.statement_kind), title=what.title,
        version=what.version)


@_sentence.register
def _statement_event(what: StatementEvent, names: _Names, units: Mapping[str, str]) -> str:
    text = _("\u201c{title}\u201d version {version}: {event} ({name})").format(
        title=what.title, version=what.version,
        event=label(STATEMENT_EVENTS, what.event), name=what.name)
    if what.channel:
        text += _("; channel: {channel}").format(channel=label(RELEASE_CHANNELS, what.channel))
    return text


@_sentence.register
def _media_item(what: MediaItemSaved, names: _Names, units: Mapping[str, str]) -> str:
    sentence = (_("Seen in the media ({channel}, {outlet}, {tone}): {headline}") if what.new
                else _("Media item corrected ({channel}, {outlet}, {tone}): {headline}"))
    return sentence.format(channel=label(MEDIA_CHANNELS, what.channel), outlet=what.outlet,
                           tone=label(TONES, what.tone), headline=what.headline)


@_sentence.register
def _negotiation(what: NegotiationSaved, names: _Names, units: Mapping[str, str]) -> str:
    return _("Party {party}: position {position}; agreed {agreement}; next {next}").format(
        party=what.party, position=what.position or "-", agreement=what.agreement or "-",
        next=what.next_step or "-")


@_sentence.register
def _corrective(what: CorrectiveSaved, names: _Names, units: Mapping[str, str]) -> str:
    sentence = _("Corrective action ({owner}, {status}): {text}").format(
        owner=what.owner, status=label(CORRECTIVE_STATUSES, what.status),
        text=what.description)
    return _("{sentence} Note: {note}").format(sentence=sentence, note=what.note) \
        if what.note else sentence


@_sentence.register
def _situation_reported(what: SituationReported, names: _Names,
                        units: Mapping[str, str]) -> str:
    return _("Situation report {number} filed for the commander").format(number=what.number)


@_sentence.register
def _watch_reviewed(what: WatchReviewed, names: _Names, units: Mapping[str, str]) -> str:
    day = format_date(what.next_review, long=False) if what.next_review else ""
    return _("{seen} (next review: {day})").format(seen=what.seen, day=day)


@_sentence.register
def _removed(what: Removed, names: _Names, units: Mapping[str, str]) -> str:
    return _("An entry was removed ({what})").format(what=what.what)


@_sentence.register
def _stage(what: StageCompleted, names: _Names, units: Mapping[str, str]) -> str:
    return _("Stage {number} completed: {name}").format(
        number=what.stage, name=names.stages.get(what.stage, ""))


@_sentence.register
def _archived(what: Archived, names: _Names, units: Mapping[str, str]) -> str:
    return _("Archived as a case file")


@_sentence.register
def _inquiry(what: InquiryLogged, names: _Names, units: Mapping[str, str]) -> str:
    return _("{what}: {who}").format(what=label(INQUIRY_EVENTS, what.what), who=what.who)


@_sentence.register
def _inject(what: InjectReleased, names: _Names, units: Mapping[str, str]) -> str:
    return _("Drill inject {number} from {sender} to {recipient}: {message}").format(
        number=what.number, sender=pick(what.sender), recipient=pick(what.recipient),
        message=pick(what.message))


@_sentence.register
def _drill_ended(what: DrillEnded, names: _Names, units: Mapping[str, str]) -> str:
    return _("The drill was ended by the planning group; the drill incident is read-only")


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind
