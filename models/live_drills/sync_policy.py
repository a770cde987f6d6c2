"""A live drill's injects and their events, as the sync and the views see them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from i18n import N_
from models.core.changes import Change
from models.core.checks import MAX_TEXT
from models.drills.scenarios import MAX_OFFSET_MINUTES
from models.live_drills.kinds import (
    EVENTS,
    MAX_INJECT_TEXT,
    MAX_INJECTS,
    ORIGINS,
    InjectContent,
)
from models.org.authorship import written_by
from models.org.people import Permission
from models.sync.policy import Author, Parent, SyncPolicy

_OF_A_DRILL = Parent("drills", "drill_id")

MAX_CONTENT = 8 * (2 * MAX_INJECT_TEXT + MAX_TEXT)
"""The longest stored content read at all: two languages of the longest texts, escaped."""

_inject_in_person = written_by(by="created_by", role="role", times=("created_at",),
                               permission=Permission.PLAN_DRILLS)
_event_in_person = written_by(by="entered_by", role="role", times=("at",), when={
    ("kind", kind): Permission.PLAN_DRILLS for kind in EVENTS if kind != "delivered"})


def _fits(content: Any) -> bool:
    """An inject's texts within what a scenario or the control view lets one hold (a sender
    and recipient of MAX_INJECT_TEXT, a message of MAX_TEXT, in each language): texts of
    tens of thousands of characters, released into the drill incident's timeline, kept the
    printing of its case file busy for minutes on every PC."""
    if not isinstance(content, str) or len(content) > MAX_CONTENT:
        return False
    parsed = InjectContent.parse(content)
    return (all(len(t) <= MAX_INJECT_TEXT
                for t in (*parsed.sender.values(), *parsed.recipient.values()))
            and all(len(t) <= MAX_TEXT for t in parsed.message.values()))


def _inject(author: Author, values: Mapping[str, Any],
            current: Mapping[str, Any] | None) -> str | None:
    """An inject is the planning group's, in its author's own name, of a known origin."""
    if "origin" in values and values["origin"] not in ORIGINS:
        return N_("it is of a kind this version does not know")
    # Its place and schedule as the acts give them (a scenario's offsets, next_number): an
    # offset of 2**62 minutes made the schedule's date arithmetic fail on every planner's
    # PC, a number at SQLite's limit every later inject's.
    offset, number = values.get("offset_minutes"), values.get("number")
    if "offset_minutes" in values and (type(offset) is not int
                                       or not 0 <= offset <= MAX_OFFSET_MINUTES):
        return N_("its time in the drill is not one a scenario gives")
    if "number" in values and (type(number) is not int or not 1 <= number <= MAX_INJECTS):
        return N_("its number is not one an inject is given")
    if "content" in values and not _fits(values["content"]):
        return N_("its texts are longer than an inject's may be")
    return _inject_in_person(author, values, current)


def _event(author: Author, values: Mapping[str, Any],
           current: Mapping[str, Any] | None) -> str | None:
    """A release, hold or resumption is the planning group's; a delivery is recorded by the
    PC the inject reached, in its user's own name."""
    if "kind" in values and values["kind"] not in EVENTS:
        return N_("it is of a kind this version does not know")
    return _event_in_person(author, values, current)


POLICY = SyncPolicy(
    changes={table: Change.DRILLS for table in ("drill_injects", "drill_inject_events")},
    named_by={table: _OF_A_DRILL for table in ("drill_injects", "drill_inject_events")},
    record_names={"drill_injects": N_("Drill inject"),
                  "drill_inject_events": N_("Release or delivery of a drill inject")},
    name_columns={"drill_injects": "number"},
    writers={"drill_injects": _inject, "drill_inject_events": _event},
    insert_only=frozenset({"drill_injects", "drill_inject_events"}),
)
