"""The rules one sync engine runs under: the tables it carries and every feature's declarations
about them (models.sync.policy), gathered once by the composition root (models.schema.RULES)
and handed to the capture, the sync run and the conflict list. The engine takes them from here
and names no feature's table itself."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, MetaData, Table

from models.core.changes import Change, OpChanges
from models.sync.entities import SYNC_TABLE_PREFIX
from models.sync.policy import (
    Attachments,
    Lock,
    MergedRows,
    Parent,
    RecordOf,
    RelatedCheck,
    SeedCheck,
    SyncPolicy,
    WriteCheck,
)
from models.sync.values import TOMBSTONE

MergeHook = Callable[[Connection, MergedRows], None]


@dataclass(frozen=True)
class SyncRules:
    """Every feature's declarations, merged (see SyncPolicy for what each says).

    tables: every table but the sync's own, parents before children.
    column_labels: per table, its feature's column labels.
    sealed_by: the parts and the features' sealed_by tables alike: each table whose new rows a
        locked parent refuses.
    after_merge: each hook with the tables whose merged rows it is given.
    """

    tables: Mapping[str, Table]
    changes: Mapping[str, Change]
    locks: Mapping[str, Lock]
    parts: Mapping[str, Parent]
    named_by: Mapping[str, Parent]
    sealed_by: Mapping[str, Parent]
    record_names: Mapping[str, str]
    field_labels: Mapping[str, Callable[[Mapping[str, Any]], str | None]]
    column_labels: Mapping[str, Mapping[str, str]]
    name_columns: Mapping[str, str]
    after_merge: tuple[tuple[frozenset[str], MergeHook], ...]
    attachments: tuple[Attachments, ...]
    writers: Mapping[str, WriteCheck]
    insert_only: frozenset[str]
    related: Mapping[str, RelatedCheck]
    refers: Mapping[str, RecordOf]
    seeds: Mapping[str, SeedCheck]

    @classmethod
    def of(cls, metadata: MetaData, policies: Iterable[SyncPolicy]) -> SyncRules:
        policies = tuple(policies)
        rules = cls(
            tables={t.name: t for t in metadata.sorted_tables
                    if not t.name.startswith(SYNC_TABLE_PREFIX)},
            changes={t: k for p in policies for t, k in p.changes.items()},
            locks={t: lock for p in policies for t, lock in p.locks.items()},
            parts={t: parent for p in policies for t, parent in p.parts.items()},
            named_by={t: parent for p in policies for t, parent in p.named_by.items()},
            sealed_by={t: parent for p in policies
                       for t, parent in (*p.parts.items(), *p.sealed_by.items())},
            record_names={t: name for p in policies for t, name in p.record_names.items()},
            field_labels={t: label for p in policies for t, label in p.field_labels.items()},
            column_labels={t: p.column_labels for p in policies for t in p.changes},
            name_columns={t: c for p in policies for t, c in p.name_columns.items()},
            after_merge=tuple((frozenset(p.changes), p.after_merge) for p in policies
                              if p.after_merge is not None),
            attachments=tuple(p.attachments for p in policies if p.attachments is not None),
            writers={t: check for p in policies for t, check in p.writers.items()},
            insert_only=frozenset(t for p in policies for t in p.insert_only),
            related={t: check for p in policies for t, check in p.related.items()},
            refers={t: record for p in policies for t, record in p.refers.items()},
            seeds={t: seed for p in policies for t, seed in p.seeds.items()})
        if set(rules.related) - rules.insert_only:  # checked on a new row only
            raise ValueError(f"related checks of tables not insert-only: "
                             f"{sorted(set(rules.related) - rules.insert_only)}")
        if set(rules.refers) - rules.insert_only:  # checked on a new row only
            raise ValueError(f"references of tables not insert-only: "
                             f"{sorted(set(rules.refers) - rules.insert_only)}")
        unlocked = {part.table for part in rules.sealed_by.values()} - set(rules.locks)
        if unlocked:  # a part is locked by its parent's lock: there must be one
            raise ValueError(f"parts of tables that declare no lock: {sorted(unlocked)}")
        return rules

    def changes_of(self, tables: Iterable[str]) -> OpChanges:
        """The views' kinds of change for writes to *tables* (the sync's own tables, and a
        newer app's that no view shows, are none)."""
        return OpChanges.of(self.changes[t] for t in tables if t in self.changes)

    def locks_or_deletes(self, table: str, field: str, value: Any) -> bool:
        """Does writing *value* to *field* delete or lock the row (so the change records what
        it had seen)?"""
        if field == TOMBSTONE:
            return value is not None
        lock = self.locks.get(table)
        return lock is not None and lock.field == field and lock.locks(value)

    def parts_of(self, table: str) -> list[tuple[str, str]]:
        """The tables of the parts of *table*'s rows, each with its column naming the parent."""
        return [(part, p.column) for part, p in self.parts.items() if p.table == table]
