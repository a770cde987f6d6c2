"""What a feature declares about its tables, for the sync engine and the views: the engine reads
these declarations and names no feature's table itself (models.sync.rules gathers them)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from models.core.changes import Change

if TYPE_CHECKING:
    from sqlalchemy import Connection

TOMBSTONE = "deleted_at"
"""The field whose value deletes a row (a tombstone: the row stays, for history and sync)."""

SEEDING = "sync_seeding"
"""Key of Session.info: set (True) by a feature in the session that writes the rows every PC
seeds alike on its first run (SyncPolicy.seeds): the capture stamps their changes 0, below any
edit, so that a PC which joins later never undoes an edit with its seed."""

MergedRows = Mapping[str, Mapping[str, Mapping[str, Any]]]
"""Rows a merge wrote: table → row id → every field's value as JSON data."""


@dataclass(frozen=True)
class Lock:
    """The field whose value locks a row (archived, submitted), and the test of that value.

    A locked row is never changed again by the domain, so an edit the locking PC had not seen
    was concurrent with the lock: it is kept and flagged, never applied over the lock."""

    field: str
    locks: Callable[[Any], bool]


@dataclass(frozen=True)
class Parent:
    """The row a row belongs to: its table and the column of the row that refers to it."""

    table: str
    column: str


@dataclass(frozen=True)
class Attachments:
    """Files that travel with rows, beside the database, shared by content (their SHA-256).

    folder: their folder in the data folder (also their name in the sync's messages).
    files: the files the rows name: (SHA-256, file name within *folder*), read through the
        connection given.
    suffixes: the kinds of file allowed (lower-case suffixes with their dot): a file's name
        must be its SHA-256 followed by one of them, or the engine neither sends nor fetches
        it (a row from the share may name anything, ``../crisisdesk`` included)."""

    folder: str
    files: Callable[[Connection], Iterable[tuple[str, str]]]
    suffixes: tuple[str, ...]


@dataclass(frozen=True)
class Author:
    """Who wrote a change, as the office's enrolment of the key that signed it says
    (models.sync.trust): never as the change itself says. role is a models.org.people.Role
    value."""

    person: str
    role: str
    posts: tuple[str, ...] = ()
    login: str = ""
    pc: str = ""


WriteCheck = Callable[[Author, Mapping[str, Any], "Mapping[str, Any] | None"], str | None]
"""Whether *author* may write a change with these field values (only the fields it changes)
to a row whose current values on the receiving PC are given (None: the row is new there):
None, or why not (a msgid, translated when shown)."""


RelatedCheck = Callable[["Connection", Author, Mapping[str, Any], Sequence[Mapping[str, Any]]],
                        str | None]
"""Whether *author* may write a new row with these field values (as the row holds them: times
as datetimes), given the rows it goes with: those this PC holds (read through the connection)
and the new rows of the same table the same segment brought before it, accepted but not yet
applied (their values, alike). For the rules between rows: who submitted a report may not sign
it. None, or why not (a msgid)."""


RecordOf = Callable[[Mapping[str, Any]], "tuple[str, str] | None"]
"""The record a new row names by columns that are no foreign key (a signed copy's record_kind
and record_id), from the row's values: (table, row id), or None when it names no row."""


SeedCheck = Callable[[Mapping[str, Any]], bool]
"""Whether a change's field values (as JSON data) are exactly a row the app seeds on every PC
(SyncPolicy.seeds)."""


@dataclass(frozen=True)
class SyncPolicy:
    """One feature's declarations.

    changes: each of the feature's tables and the kind of change its rows are to the views
        (a write to the table, here or synced from another PC, reloads the views of that kind).
    locks: the tables whose rows a field locks.
    parts: the tables whose rows are locked with their parent's (the parts of an archived
        incident): the parent's table must declare a lock.
    named_by: the tables whose rows the conflict list names by their parent's name.
    sealed_by: the tables that are no parts (their rows are never changed, or still change
        after the lock) yet take no new row under a locked parent: a situation report or a
        watch review of an archived incident. A new row of a part or of one of these, written
        by a PC that knew its parent locked (its change's seen names the lock), is refused.
    record_names: how a record of a table is called in the conflict list (msgids).
    field_labels: per table, the label of a row's fields in the conflict list when the row
        itself says it (a msgid, or None for the usual label).
    column_labels: how the feature's columns are called in the conflict list (msgids; a
        column not named is shown by its name).
    name_columns: per table, the column whose value names a row in the conflict list (a row
        of a table not named, and without a named parent, is shown by its id).
    after_merge: run in a sync's transaction with the rows of the feature's tables a merge
        wrote (those of its tables that received any), for what the feature derives from them.
    attachments: the files that travel with the feature's rows.
    writers: per table, the check every receiver makes of a change signed by an enrolled PC
        (WriteCheck): the role the act needs, the columns that must name the author. The
        same rules the domain's acts enforce locally.
    insert_only: the tables whose rows are never changed once written (a timeline entry, a
        sign-off, a draw): a change to one that exists is refused.
    related: per insert-only table, the check of a new row against the rows it goes with
        (RelatedCheck): the separation of duties.
    refers: per insert-only table, the record a new row names without a foreign key (RecordOf):
        the row is refused when that record is neither on the receiving PC nor new earlier in
        the same file (a signed copy of a form of no record).
    seeds: per table, whether a change's field values (as JSON data, the row id among them)
        are exactly a row the app seeds on every PC on its first run (the first playbook
        version, the office's units), the receiver recomputing it: such a change that
        creates the row (it knew no version of it) stamped 0 (SEEDING) is every PC's own and is
        accepted from any author, never checked by the writers and insert_only rules, and
        every edit outranks it; any other change with seed values is checked as an edit.
    """

    changes: Mapping[str, Change]
    locks: Mapping[str, Lock] = field(default_factory=dict)
    parts: Mapping[str, Parent] = field(default_factory=dict)
    named_by: Mapping[str, Parent] = field(default_factory=dict)
    sealed_by: Mapping[str, Parent] = field(default_factory=dict)
    record_names: Mapping[str, str] = field(default_factory=dict)
    field_labels: Mapping[str, Callable[[Mapping[str, Any]], str | None]] = field(
        default_factory=dict)
    column_labels: Mapping[str, str] = field(default_factory=dict)
    name_columns: Mapping[str, str] = field(default_factory=dict)
    after_merge: Callable[[Connection, MergedRows], None] | None = None
    attachments: Attachments | None = None
    writers: Mapping[str, WriteCheck] = field(default_factory=dict)
    insert_only: frozenset[str] = frozenset()
    related: Mapping[str, RelatedCheck] = field(default_factory=dict)
    refers: Mapping[str, RecordOf] = field(default_factory=dict)
    seeds: Mapping[str, SeedCheck] = field(default_factory=dict)
