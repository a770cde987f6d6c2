"""A live drill's vocabularies and the rules that need no database: an inject's content, its
state read from its events, and which injects the schedule releases now.

The procedure's drill is a simulated test of how a unit handles a crisis (進行模擬測試,
reference 001 七): the planning group starts it, the drilled unit works a drill incident in the
real wizard, and the scenario's injects (the messages a real crisis would bring: a reporter's
call, a legislator's office, a field officer's report) reach the unit as the drill runs, on the
scenario's schedule or by the planning group's hand (models/live_drills/actions.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from i18n import N_, pick

EVENTS = {
    "released": N_("Released"),
    "held": N_("Held back"),
    "resumed": N_("Back on schedule"),
    "delivered": N_("Delivered"),
}
"""What can happen to an inject: the planning group releases it (its message then reaches the
drill incident's timeline), holds it back from the schedule or resumes it, and the drilled
unit's PC records when it arrived."""

ORIGINS = {"scenario": N_("Scenario"), "added": N_("Added during the drill")}

MAX_INJECTS = 10_000
"""The highest number an inject takes (a scenario's injects and those added on the fly): far
beyond any drill, far below what SQLite and the screens hold."""

MAX_INJECT_TEXT = 2000
"""The longest sender, recipient or message an inject added on the fly may have."""

Text = Mapping[str, str]


def content_json(sender: Text, recipient: Text, message: Text) -> str:
    """The stored content of an inject: its three bilingual texts, keys sorted, Chinese as
    is (the same inject is the same text on every PC)."""
    return json.dumps({"sender": dict(sender), "recipient": dict(recipient),
                       "message": dict(message)}, ensure_ascii=False, sort_keys=True)


def _text(value: Any) -> dict[str, str]:
    """A bilingual text as stored, or nothing: the content came from another PC, so a value of
    another shape reads as empty rather than failing the screen."""
    if not isinstance(value, Mapping):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


@dataclass(frozen=True)
class InjectContent:
    sender: Mapping[str, str]
    recipient: Mapping[str, str]
    message: Mapping[str, str]

    @classmethod
    def parse(cls, text: str) -> InjectContent:
        try:
            data = json.loads(text)
        except (ValueError, TypeError):
            data = {}
        if not isinstance(data, Mapping):
            data = {}
        return cls(_text(data.get("sender")), _text(data.get("recipient")),
                   _text(data.get("message")))


@dataclass(frozen=True)
class InjectEvent:
    kind: str
    at: datetime
    entered_by: str
    unit_key: str


@dataclass(frozen=True)
class InjectState:
    """An inject of a drill and what became of it so far."""

    id: str
    number: int
    offset_minutes: int
    content: InjectContent
    origin: str
    events: tuple[InjectEvent, ...]
    """Its events in the order they happened."""

    @property
    def sender(self) -> str:
        return pick(self.content.sender)

    @property
    def recipient(self) -> str:
        return pick(self.content.recipient)

    @property
    def message(self) -> str:
        return pick(self.content.message)

    @property
    def released_at(self) -> datetime | None:
        return next((e.at for e in self.events if e.kind == "released"), None)

    @property
    def released_by(self) -> str:
        return next((e.entered_by for e in self.events if e.kind == "released"), "")

    @property
    def held(self) -> bool:
        """Held back from the schedule: the latest hold or resumption is a hold."""
        last = [e.kind for e in self.events if e.kind in ("held", "resumed")]
        return bool(last) and last[-1] == "held"

    def delivered_at(self, unit_key: str) -> datetime | None:
        """When it first reached a PC of *unit_key* (the drilled unit) after its release."""
        released = self.released_at
        times = [e.at for e in self.events if e.kind == "delivered" and e.unit_key == unit_key
                 and (released is None or e.at >= released)]
        return min(times, default=None)

    def delivered_to(self, person: str) -> bool:
        return any(e.kind == "delivered" and e.entered_by == person for e in self.events)

    def due_at(self, started_at: datetime) -> datetime:
        return started_at + timedelta(minutes=self.offset_minutes)


def state_label(inject: InjectState) -> str:
    """The inject's state word (released, held, scheduled), untranslated (N_)."""
    if inject.released_at is not None:
        return EVENTS["released"]
    return EVENTS["held"] if inject.held else N_("Scheduled")


def due_now(injects: Iterable[InjectState], started_at: datetime,
            now: datetime) -> list[InjectState]:
    """The injects the schedule releases at *now*: due, not released, not held; in order."""
    return sorted((i for i in injects if i.released_at is None and not i.held
                   and i.due_at(started_at) <= now),
                  key=lambda i: (i.offset_minutes, i.number))


def next_number(injects: Iterable[InjectState]) -> int:
    return max((i.number for i in injects), default=0) + 1
