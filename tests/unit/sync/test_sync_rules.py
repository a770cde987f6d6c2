"""The sync engine names no feature's table: what it does to a table's rows comes from the
declarations of the feature that owns it (SyncPolicy), gathered into SyncRules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import Column, DateTime, ForeignKey, Integer, MetaData, String, Table

from models.core.changes import Change, OpChanges
from models.schema import POLICIES, TABLES
from models.sync.policy import Lock, Parent, SyncPolicy
from models.sync.rules import SyncRules

ROOT = Path(__file__).resolve().parents[3]


def test_the_engine_names_no_table_of_a_feature() -> None:
    """No text in models/sync is the name of a table a feature declares."""
    tables = {t for policy in POLICIES for t in policy.changes}
    named = [f"{path.name}:{node.lineno}: {node.value}"
             for path in sorted((ROOT / "models" / "sync").glob("*.py"))
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Constant) and node.value in tables]
    assert named == []


def test_the_conflict_lists_names_and_labels_are_columns_of_the_declaring_feature() -> None:
    """A name or label declared for a column its feature's tables lack would never show: the
    conflict list would fall back to the row's id or the column's name without a word."""
    wrong = []
    for policy in POLICIES:
        columns = {t: {c.name for c in TABLES.tables[t].columns} for t in policy.changes}
        wrong += [f"{t}.{c}" for t, c in policy.name_columns.items()
                  if c not in columns.get(t, ())]
        wrong += [c for c in policy.column_labels
                  if not any(c in names for names in columns.values())]
    assert wrong == []


def _boxes() -> MetaData:
    """A feature the engine has never heard of: boxes, sealed, and their labels."""
    metadata = MetaData()
    Table("boxes", metadata, Column("id", String, primary_key=True), Column("sealed", Integer),
          Column("deleted_at", DateTime))
    Table("labels", metadata, Column("id", String, primary_key=True),
          Column("box_id", ForeignKey("boxes.id")), Column("text", String))
    Table("sync_changes", metadata, Column("id", Integer, primary_key=True))
    return metadata


BOXES = SyncPolicy(changes={"boxes": Change.DRILLS, "labels": Change.DRILLS},
                   locks={"boxes": Lock("sealed", lambda value: value == 1)},
                   parts={"labels": Parent("boxes", "box_id")})


def test_a_fake_features_policy_drives_the_rules() -> None:
    rules = SyncRules.of(_boxes(), [BOXES])

    assert list(rules.tables) == ["boxes", "labels"]  # parents first, not the sync's own
    assert rules.locks_or_deletes("boxes", "sealed", 1)
    assert not rules.locks_or_deletes("boxes", "sealed", 0)
    assert not rules.locks_or_deletes("labels", "sealed", 1)
    assert rules.locks_or_deletes("labels", "deleted_at", "2030-01-01T00:00:00.000000Z")
    assert rules.parts_of("boxes") == [("labels", "box_id")]
    assert rules.changes_of(["labels", "sync_changes", "a_newer_apps"]) == OpChanges.of(
        [Change.DRILLS])


def test_a_part_of_a_table_that_declares_no_lock_is_refused() -> None:
    with pytest.raises(ValueError, match="boxes"):
        SyncRules.of(_boxes(), [SyncPolicy(changes={}, parts={"labels": Parent("boxes",
                                                                                "box_id")})])
