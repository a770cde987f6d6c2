"""The kinds of timeline entry, one frozen dataclass each: the one way an entry is written and
the one way it is read back.

An entry is stored as its kind and a JSON object of parameters (TimelineRow.kind and .data),
never as a sentence: timeline_text composes the sentence in the reader's language. That JSON
goes to the other PCs by sync and out in case files, so ``to_data`` writes exactly the keys and
values each kind has always had (tests/unit/incidents/test_timeline.py pins them), and
``from_data`` reads every shape stored so far, including those of other PCs and older
versions: a notification recorded before outcomes were told, or imported from a case file,
has no outcome; the level set when an incident opens has no "from". An entry of a kind this
version does not know (a newer version wrote it), or one it cannot read, is kept as
`Unrecognised` and shown by its kind, never a crash.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar, Self

from sqlalchemy.orm import Session

from models.incidents.entities import TimelineRow
from models.org.people import Actor
from models.storage.db import utcnow

Data = Mapping[str, Any]
"""An entry's parameters as stored (the JSON object of TimelineRow.data)."""


def _text(data: Data, key: str) -> str:
    """A text parameter; absent or null reads as empty."""
    value = data.get(key)
    return "" if value is None else str(value)


def _optional(data: Data, key: str) -> str | None:
    """A parameter whose null is part of the record (a fact that had no value yet)."""
    value = data.get(key)
    return None if value is None else str(value)


def _number(data: Data, key: str) -> int:
    """A whole-number parameter (a stage, a version); absent reads as 0. A value that is no
    number raises ValueError: `read_entry` keeps such an entry as `Unrecognised`."""
    return int(data.get(key) or 0)


def _date(data: Data, key: str) -> date | None:
    """A date parameter (ISO 8601); absent, null or no date reads as none (no sentence shows
    it, so a damaged one costs the entry nothing)."""
    value = data.get(key)
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


class Entry(ABC):
    """What a timeline entry says happened; a subclass per kind (KIND, the stored kind)."""

    KIND: ClassVar[str]

    @property
    def kind(self) -> str:
        return self.KIND

    @abstractmethod
    def to_data(self) -> dict[str, Any]:
        """The parameters to store, exactly as this kind has always stored them (each kind's
        ``from_data`` reads them back, in any shape stored so far)."""


@dataclass(frozen=True)
class Opened(Entry):
    """The incident was opened, under the title it was first given."""

    KIND: ClassVar[str] = "opened"
    title: str

    def to_data(self) -> dict[str, Any]:
        return {"title": self.title}

    @classmethod
    def from_data(cls, data: Data) -> Self:
        return cls(_text(data, "title"))


@dataclass(frozen=True)
class FieldChanged(Entry):
    """A fact of the incident or a stage-form field changed from *old* to *new*.

    The values are as stored: texts, ISO 8601 times, keys of the playbook. *old* is None where
    a fact had no value (an incident without an end), "" where a form field was empty."""

    KIND: ClassVar[str] = "field"
    key: str
    old: str | None
    new: str | None

    def to_data(self) -> dict[str, Any]:
        return {"key": self.key, "old": self.old, "new": self.new}

    @classmethod
    def from_data(cls, data: Data) -> Self:
        return cls(_text(data, "key"), _optional(data, "old"), _optional(data, "new"))


@dataclass(frozen=True)
class LevelSet(Entry):
    """The level an incident opened with, beside the one the decision aid suggested (the
    reason says why they differ)."""

    KIND: ClassVar[str] = "level"
    to: str
    suggested: str
    reason: str

    def to_data(self) -> dict[str, Any]:
        return {"to": self.to, "suggested": self.suggested, "reason": self.reason}

    @classmethod
    def from_data(cls, data: Data) -> Self:
        return cls(_text(data, "to"), _text(data, "suggested"), _text(data, "reason"))


@dataclass(frozen=True)
class LevelChanged(Entry):
    """A later change of the level, always with a reason. Stored under the same kind as
    `LevelSet`; the "from" key tells them apart."""

    KIND: ClassVar[str] = "level"
    from_level: str
    to: str
    reason: str

    def to_data(self) -> dict[str, Any]:
        return {"from": self.from_level, "to": self.to, "reason": self.reason}

    @classmethod
    def from_data(cls, data: Data) -> Self:
        return cls(_text(data, "from"), _text(data, "to"), _text(data, "reason"))


@dataclass(frozen=True)
class Notified(Entry):
    """An attempt to notify a person of a group (or their deputy, *acting_for* the holder).

    *outcome* is None in entries that do not tell it, which read as "reached": those recorded
    before outcomes were told, and those of imported cases (a case file records the
    notifications that were made)."""

    KIND: ClassVar[str] = "notified"
    recipient: str
    acting_for: str
    means: str
    group: str
    notification: str
    """The id of the NotificationRow recorded with it."""
    outcome: str | None = None

    def to_data(self) -> dict[str, Any]:
        data = {"recipient": self.recipient, "acting_for": self.acting_for,
                "means": self.means, "group": self.group, "notification": self.notification}
        if self.outcome is not None:
            data["outcome"] = self.outcome
        return data

    @classmethod
    def from_data(cls, data: Data) -> Self:
        return cls(_text(data, "recipient"), _text(data, "acting_for"), _text(data, "means"),
                   _text(data, "group"), _text(data, "notification"),
                   _optional(data, "outcome"))


@dataclass(frozen=True)
class Acknowledged(Entry):
    """The person notified confirmed receipt."""

    KIND: ClassVar[str] = "acknowledged"
    recipient: str
    notification: str

    def to_data(self) -> dict[str, Any]:
        return {"recipient": self.recipient, "notification": self.notification}

    @classmethod
    def from_data(cls, data: Data) -> Self:
        return cls(_text(data, "recipient"), _text(data, "notification"))


@dataclass(frozen=True)
class TaskMarked(Entry):
    """A procedure task of a stage was ticked off, reopened or marked not applicable."""

    KIND: ClassVar[str] = "task"
    stage: int
    task: str
    state: str
    reason: str
    remark: str

    def to_data(self) -> dict[str, Any]:
        return {"stage": self.stage, "task": self.task, "state": self.state,
                "reason": self.reason, "remark": self.remark}

    @classmethod
    def from_data(cls, data: Data) -> Self:
        return cls(_number(data, "stage"), _text(data, "task"), _text(data, "state"),
                   _text(data, "reason"), _text(data, "remark"))


@dataclass(frozen=True)
class Written(Entry):
    """A text a user typed into the timeline, stored as it is: a report or a note."""

    text: str

    def to_data(self) -> dict[str, Any]:
        return {"text": self.text}

    @classmethod
    def from_data(cls, data: Data) -> Self:
        return cls(_text(data, "text"))


class Report(Written):
    """A progress report (回報)."""

    KIND: ClassVar[str] = "report"


class Note(Written):
    """A free note."""

    KIND: ClassVar[str] = "note"


@dataclass(frozen=True)
class ActionSaved(Entry):
    """A handling action of stage 3 was added (*new*) or changed."""

    KIND: ClassVar[str] = "action"
    description: str
    group: str
    status: str
    new: bool

    def to_data(self) -> dict[str, Any]:
        return {"description": self.description, "group": self.group, "status": self.status,
                "new": self.new}

    @classmethod
    def from_data(cls, data: Data) -> Self:
        return cls(_text(data, "description"), _text(data, "group"), _text(data, "status"),
                   bool(data.get("new")))


@dataclass(frozen=True)
class Decided(Entry):
    """A decision was recorded (models.incidents.decisions): what, by whom, and for whom
    when a deputy decided (代). Its tasks have their own ActionSaved entries."""

    KIND: ClassVar[str] = "decision"
    decision: str
    decided_by: str
    acting_for: str

    def to_data(self) -> dict[str, Any]:
        return {"decision": self.decision, "decided_by": self.decided_by,
                "acting_for": self.acting_for}

    @classmethod
    def from_data(cls, data: Data) -> Self:
        return cls(_text(data, "decision"), _text(data, "decided_by"),
                   _text(data, "acting_for"))


@dataclass(frozen=True)
class StatementSaved(Entry):
    """A version of a statement or clarification was saved (stored as "kind": the
    statement's kind)."""

    KIND: ClassVar[str] = "statement"
    title: str
    statement_kind: str
    version: int

    def to_data(self) -> dict[str, Any]:
        return {"title": self.title, "kind": self.statement_kind, "version": self.version}

    @classmethod
    def from_data(cls, data: Data) -> Self:
        return cls(_text(data, "title"), _text(data, "kind"), _number(data, "version"))


@dataclass(frozen=True)
class StatementEvent(Entry):
    """A version of a statement was reviewed, approved or released (on *channel*)."""

    KIND: ClassVar[str] = "statement_event"
    title: str
    version: int
    event: str
    name: str
    channel: str

    def to_data(self) -> dict[str, Any]:
        return {"title": self.title, "version": self.version, "event": self.event,
                "name": self.name, "channel": self.channel}

    @classmethod
    def from_data(cls, data: Data) -> Self:
        return cls(_text(data, "title"), _number(data, "version"), _text(data, "event"),
                   _text(data, "name"), _text(data, "channel"))


@dataclass(frozen=True)
class MediaItemSaved(Entry):
    """An item seen in the media was logged (*new*) or corrected (the media watch)."""

    KIND: ClassVar[str] = "media_item"
    outlet: str
    channel: str
    headline: str
    tone: str
    new: bool

    def to_data(self) -> dict[str, Any]:
        return {"outlet": self.outlet, "channel": self.channel, "headline": self.headline,
                "tone": self.tone, "new": self.new}

    @classmethod
    def from_data(cls, data: Data) -> Self:
        return cls(_text(data, "outlet"), _text(data, "channel"), _text(data, "headline"),
                   _text(data, "tone"), bool(data.get("new")))


@dataclass(frozen=True)
class NegotiationSaved(Entry):
    """A party of the negotiation (stage 5) was added or changed."""

    KIND: ClassVar[str] = "negotiation"
    party: str
    position: str
    agreement: str
    next_step: str

    def to_data(self) -> dict[str, Any]:
        return {"party": self.party, "position": self.position, "agreement": self.agreement,
                "next_step": self.next_step}

    @classmethod
    def from_data(cls, data: Data) -> Self:
        return cls(_text(data, "party"), _text(data, "position"), _text(data, "agreement"),
                   _text(data, "next_step"))


@dataclass(frozen=True)
class CorrectiveSaved(Entry):
    """A corrective action of the review (stage 6) was added or changed."""

    KIND: ClassVar[str] = "corrective"
    description: str
    owner: str
    status: str
    due: date | None
    note: str = ""
    """Why the status moved, given when an archived case's action is followed up."""

    def to_data(self) -> dict[str, Any]:
        data = {"description": self.description, "owner": self.owner, "status": self.status,
                "due": self.due.isoformat() if self.due else None}
        return {**data, "note": self.note} if self.note else data

    @classmethod
    def from_data(cls, data: Data) -> Self:
        return cls(_text(data, "description"), _text(data, "owner"), _text(data, "status"),
                   _date(data, "due"), _text(data, "note"))


@dataclass(frozen=True)
class Removed(Entry):
    """An action, negotiation entry or corrective action was removed (*what*: its kind)."""

    KIND: ClassVar[str] = "removed"
    what: str

    def to_data(self) -> dict[str, Any]:
        return {"what": self.what}

    @classmethod
    def from_data(cls, data: Data) -> Self:
        return cls(_text(data, "what"))


@dataclass(frozen=True)
class StageCompleted(Entry):
    """A stage of the procedure was completed."""

    KIND: ClassVar[str] = "stage"
    stage: int

    def to_data(self) -> dict[str, Any]:
        return {"stage": self.stage}

    @classmethod
    def from_data(cls, data: Data) -> Self:
        return cls(_number(data, "stage"))


@dataclass(frozen=True)
class Archived(Entry):
    """The incident was archived as a case file."""

    KIND: ClassVar[str] = "archived"

    def to_data(self) -> dict[str, Any]:
        return {}

    @classmethod
    def from_data(cls, data: Data) -> Self:
        return cls()


@dataclass(frozen=True)
class SituationReported(Entry):
    """A situation report (處理情形) was filed for the commander, as number *number*."""

    KIND: ClassVar[str] = "situation_report"
    number: int

    def to_data(self) -> dict[str, Any]:
        return {"number": self.number}

    @classmethod
    def from_data(cls, data: Data) -> Self:
        return cls(_number(data, "number"))


@dataclass(frozen=True)
class WatchReviewed(Entry):
    """An incident on the watch list was reviewed: what was seen, and the next review."""

    KIND: ClassVar[str] = "watch_review"
    seen: str
    next_review: date | None

    def to_data(self) -> dict[str, Any]:
        return {"seen": self.seen,
                "next_review": self.next_review.isoformat() if self.next_review else None}

    @classmethod
    def from_data(cls, data: Data) -> Self:
        return cls(_text(data, "seen"), _date(data, "next_review"))


@dataclass(frozen=True)
class InquiryLogged(Entry):
    """Something was done about a legislator's inquiry (*who*: the representative's name;
    *what*: a key of models.incidents.inquiries.INQUIRY_EVENTS)."""

    KIND: ClassVar[str] = "inquiry"
    who: str
    what: str

    def to_data(self) -> dict[str, Any]:
        return {"who": self.who, "what": self.what}

    @classmethod
    def from_data(cls, data: Data) -> Self:
        return cls(_text(data, "who"), _text(data, "what"))


def _bilingual(data: Data, key: str) -> dict[str, str]:
    """A bilingual text parameter ({"zh_TW": …, "en": …}); another shape reads as empty."""
    value = data.get(key)
    if not isinstance(value, Mapping):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


@dataclass(frozen=True)
class InjectReleased(Entry):
    """A drill's inject reached the drilled unit: the planning group released message
    *number* of the scenario (models.live_drills.actions), from *sender* to *recipient*. The texts are
    the scenario's, in both languages, so each reader sees their own."""

    KIND: ClassVar[str] = "drill_inject"
    inject_id: str
    number: int
    sender: Mapping[str, str]
    recipient: Mapping[str, str]
    message: Mapping[str, str]

    def to_data(self) -> dict[str, Any]:
        return {"inject": self.inject_id, "number": self.number, "sender": dict(self.sender),
                "recipient": dict(self.recipient), "message": dict(self.message)}

    @classmethod
    def from_data(cls, data: Data) -> Self:
        return cls(_text(data, "inject"), _number(data, "number"), _bilingual(data, "sender"),
                   _bilingual(data, "recipient"), _bilingual(data, "message"))


@dataclass(frozen=True)
class DrillEnded(Entry):
    """The planning group ended the drill: its drill incident is read-only from then on."""

    KIND: ClassVar[str] = "drill_ended"

    def to_data(self) -> dict[str, Any]:
        return {}

    @classmethod
    def from_data(cls, data: Data) -> Self:
        return cls()


@dataclass(frozen=True)
class Unrecognised(Entry):
    """An entry this version cannot read: a kind of a newer version, or parameters of a shape
    no version wrote. Its stored form is kept as it came."""

    stored_kind: str
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.stored_kind

    def to_data(self) -> dict[str, Any]:
        return dict(self.data)


def _level(data: Data) -> Entry:
    return LevelChanged.from_data(data) if "from" in data else LevelSet.from_data(data)


_READERS: dict[str, Callable[[Data], Entry]] = {
    Opened.KIND: Opened.from_data,
    FieldChanged.KIND: FieldChanged.from_data,
    "level": _level,
    Notified.KIND: Notified.from_data,
    Acknowledged.KIND: Acknowledged.from_data,
    TaskMarked.KIND: TaskMarked.from_data,
    Report.KIND: Report.from_data,
    Note.KIND: Note.from_data,
    ActionSaved.KIND: ActionSaved.from_data,
    Decided.KIND: Decided.from_data,
    StatementSaved.KIND: StatementSaved.from_data,
    StatementEvent.KIND: StatementEvent.from_data,
    MediaItemSaved.KIND: MediaItemSaved.from_data,
    NegotiationSaved.KIND: NegotiationSaved.from_data,
    CorrectiveSaved.KIND: CorrectiveSaved.from_data,
    Removed.KIND: Removed.from_data,
    StageCompleted.KIND: StageCompleted.from_data,
    Archived.KIND: Archived.from_data,
    SituationReported.KIND: SituationReported.from_data,
    WatchReviewed.KIND: WatchReviewed.from_data,
    InquiryLogged.KIND: InquiryLogged.from_data,
    InjectReleased.KIND: InjectReleased.from_data,
    DrillEnded.KIND: DrillEnded.from_data,
}
"""The reader of each stored kind (a level entry has two shapes)."""


def read_entry(kind: str, data: Data) -> Entry:
    """The entry stored as *kind* with parameters *data* (a decoded TimelineRow.data)."""
    reader = _READERS.get(kind)
    if reader is None or not isinstance(data, Mapping):
        return Unrecognised(kind, data if isinstance(data, Mapping) else {})
    try:
        return reader(data)
    except (ValueError, TypeError):
        return Unrecognised(kind, data)


def log(session: Session, incident_id: str, actor: Actor, entry: Entry,
        event_at: datetime | None = None) -> None:
    """Add *entry* to the incident's timeline, entered now by *actor*, as having happened at
    *event_at* (now when not given). Part of the caller's transaction: an act and its trace are
    saved together or not at all. The JSON has sorted keys and its Chinese as it is: the same
    entry is the same text on every PC."""
    now = utcnow()
    data = json.dumps(entry.to_data(), ensure_ascii=False, sort_keys=True)
    session.add(TimelineRow(incident_id=incident_id, kind=entry.kind, data=data,
                            event_at=event_at or now, entered_at=now, author=actor.name,
                            role=actor.role.value))
