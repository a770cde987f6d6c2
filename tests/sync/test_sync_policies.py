"""Each feature's sync declarations are what the engine acts on: the same scenario, run on PCs
whose features declare nothing of the kind (their capture and every sync under those rules),
loses exactly the behaviour the declaration gives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import models.startup
import tests.sync.conftest
from models.core.changes import Change, OpChanges
from models.core.ids import stable_id
from models.incidents.case_search import CaseQuery, search_cases
from models.schema import POLICIES, RULES, TABLES, changes_of
from models.sync.conflicts import list_conflicts, resolve_conflict
from models.sync.rules import SyncRules
from tests.scans import blank_scan
from tests.sync.conftest import PC, PLANNER, conflicts, sync, sync_all
from tests.sync.test_sync_basic import (
    _archived_on_a_while_b_edits,
    _edit_the_same_field_on_two_pcs,
    full_drill,
)

MakePC = Callable[[str], PC]


def _declaring_nothing_of(monkeypatch: pytest.MonkeyPatch, **cleared: Any) -> SyncRules:
    """The app's rules with every feature's declarations *cleared* (SyncPolicy field → empty):
    the PCs made afterwards capture under them, and the test's syncs run under them."""
    rules = SyncRules.of(TABLES, [replace(p, **cleared) for p in POLICIES])
    monkeypatch.setattr(models.startup, "RULES", rules)
    monkeypatch.setattr(tests.sync.conftest, "RULES", rules)
    return rules


def _three(make_pc: MakePC, world: str = "") -> tuple[PC, PC, PC]:
    """Three PCs A, B and C (of another *world*: data folders of their own)."""
    return make_pc(f"A{world}"), make_pc(f"B{world}"), make_pc(f"C{world}")


def _other_share(tmp_path: Path) -> Path:
    (tmp_path / "other share").mkdir()
    return tmp_path / "other share"


def test_the_lock_an_incident_policy_declares_is_what_refuses_an_edit_after_archiving(
        make_pc: MakePC, share: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = _three(make_pc)
    incident = _archived_on_a_while_b_edits(locked, share)
    assert ("incidents", incident, "title", "locked") in conflicts(locked[1])

    _declaring_nothing_of(monkeypatch, locks={}, parts={}, sealed_by={})
    unlocked = _three(make_pc, " unlocked")
    _archived_on_a_while_b_edits(unlocked, _other_share(tmp_path))
    assert not [c for c in conflicts(unlocked[1]) if c[3] == "locked"]


def test_the_parts_a_policy_declares_are_locked_with_their_incident(
        make_pc: MakePC, share: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _declaring_nothing_of(monkeypatch, parts={})
    pcs = _three(make_pc)
    incident = _archived_on_a_while_b_edits(pcs, share)

    found = conflicts(pcs[1])
    assert ("incidents", incident, "title", "locked") in found  # its own lock still holds
    assert ("incident_fields", stable_id("incident_field", incident, "s6.lessons"), "value",
            "locked") not in found


def _found(pc: PC, text: str) -> bool:
    return bool(search_cases(pc.db, "keelung", CaseQuery(text=text)))


def test_the_case_search_of_an_archived_case_a_sync_brings_is_the_incident_policys_hook(
        make_pc: MakePC, share: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hooked = _three(make_pc)
    _archived_on_a_while_b_edits(hooked, share)
    assert _found(hooked[2], "走私加熱菸")

    _declaring_nothing_of(monkeypatch, after_merge=None)
    unhooked = _three(make_pc, " unhooked")
    _archived_on_a_while_b_edits(unhooked, _other_share(tmp_path))
    assert _found(unhooked[0], "走私加熱菸") and not _found(unhooked[2], "走私加熱菸")


def test_the_scans_travel_as_the_drills_policy_declares_its_attachments(
        make_pc: MakePC, share: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    scan = blank_scan(tmp_path / "scan.pdf")
    a, b = make_pc("A"), make_pc("B")
    full_drill(a, scan)
    sync_all((a, b), share)
    assert [p.read_bytes() for p in (b.data_dir / "attachments").iterdir()] == [scan.read_bytes()]

    _declaring_nothing_of(monkeypatch, attachments=None)
    c = make_pc("C")  # receives the rows, not the files they name
    assert sync(c, share).blobs_received == 0
    assert not (c.data_dir / "attachments").exists()


def test_the_conflict_list_names_records_and_fields_as_the_policies_declare(
        make_pc: MakePC, share: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pcs = _three(make_pc)
    _edit_the_same_field_on_two_pcs(pcs, share)
    [declared] = list_conflicts(pcs[0].db, RULES)
    assert (declared.record_kind, declared.record) == ("Incident field", "加熱菸走私案")
    assert declared.field_label not in ("value", "")

    bare = _declaring_nothing_of(monkeypatch, record_names={}, named_by={}, field_labels={})
    [undeclared] = list_conflicts(pcs[0].db, bare)
    assert (undeclared.record_kind, undeclared.record, undeclared.field_label) == (
        "", "s2.plan", "value")


def test_a_run_and_a_decision_report_the_kinds_the_policies_declare(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    _incident, field_id = _edit_the_same_field_on_two_pcs(pcs, share)
    a, _b, c = pcs
    assert sync(c, share).changes == OpChanges()  # nothing new
    with a.db.tracking_writes() as written:  # as the window's Op measures a decision
        resolve_conflict(a.db, RULES, PLANNER, "incident_fields", field_id, "value", "x")
    assert changes_of(written) == OpChanges.of([Change.INCIDENTS])
    sync(a, share)
    assert sync(c, share).changes == OpChanges.of([Change.INCIDENTS])
