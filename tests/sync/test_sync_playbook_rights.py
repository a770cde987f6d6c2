"""The playbook and the units are checked by every receiver, not only by the PC that edits them
(docs/trust.md): a version, a handover or a unit change signed by a PC the office enrolled as a
unit head is refused and kept as evidence, named, while the rest of its file syncs; the same
edits from the planning group's PC apply; a saved version is never rewritten, by anyone.

Every PC seeds version 1 of the playbook and the office's units on first run, under the same
ids, and sends them as its own changes whatever its role: those must pass, or every office
would show refusals from its first sync. Only the app's own seed passes: a "seed" of other
content is refused like any edit."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

import models.org.units
from i18n import _
from models.core.ids import stable_id
from models.org.offices import office as shipped_office
from models.org.people import Actor, Role
from models.org.units import delete_unit, list_units, save_unit
from models.playbook.entities import PlaybookVersionRow
from models.playbook.model import FORMAT_VERSION, playbook_to_json
from models.playbook.shipped import SYSTEM, default_playbook
from models.playbook.store import (
    current_playbook,
    list_handovers,
    list_versions,
    save_playbook,
)
from models.playbook.versions import DEFAULT_REASON
from models.sync.entities import REFUSED
from models.sync.run import SyncReport
from tests.sync.conftest import (
    HEAD,
    PC,
    PLANNER,
    found_office,
    history,
    new_incident,
    sync,
    sync_all,
    table_rows,
)

MAY_NOT = "the role of the PC that wrote it may not do this"
"""The reason (its msgid, as sync_refused keeps it) of a change its author's role may not make."""


def _refused(pc: PC) -> list[tuple[str, str, str]]:
    """What *pc* refused: (table, author, reason), as sync_refused keeps it."""
    with pc.db.session() as session:
        return [tuple(r) for r in session.execute(
            select(REFUSED.c.tbl, REFUSED.c.author, REFUSED.c.reason))]


def _titles(pc: PC) -> set[str]:
    return {r["title"] for r in table_rows(pc.db)["incidents"]}


def _unit_names(pc: PC) -> list[str]:
    return [u.name_zh for u in list_units(pc.db, "keelung")]


def _commander(pc: PC) -> str:
    """Who holds the first post of the team in *pc*'s current playbook."""
    return current_playbook(pc.db)[1].team.members[0].holder.name


def _edit_playbook_and_units(pc: PC, actor: Actor) -> None:
    """What the planning group does in the window, written on *pc* as *actor* through the
    domain: a new commander (version 2), another one (version 3, with its handover), a unit
    renamed and another removed."""
    for holder in ("王大明", "陳志明"):
        base, playbook = current_playbook(pc.db)
        first = playbook.team.members[0]
        edited = playbook.with_members(
            (replace(first, holder=replace(first.holder, name=holder)),)
            + playbook.team.members[1:])
        save_playbook(pc.db, actor, edited, f"新任指揮官 {holder}", base_version_id=base.id)
    renamed, removed = list_units(pc.db, "keelung")[:2]
    save_unit(pc.db, actor, "keelung", unit_id=renamed.id, name_zh="改名後的組",
              name_en=renamed.name_en, kind=renamed.kind)
    delete_unit(pc.db, actor, removed.id)


def test_playbook_and_unit_edits_signed_by_a_unit_heads_pc_are_refused_and_the_rest_syncs(
        make_pc: Callable[[str], PC], share: Path, tmp_path: Path) -> None:
    """B is enrolled as a unit head; its database is written as a modified app (or a user
    whose settings say planning group) would, past B's own check: A applies none of the
    playbook and unit edits, keeps each as evidence with its reason, and applies the incident
    of the same file."""
    a, b = make_pc("A"), make_pc("B")
    found_office([a, b], share, tmp_path / "authority.pem")  # both for HEAD, a unit head
    sync_all([a, b], share)
    units_before = _unit_names(a)
    # In the same file, first: an incident under version 1 (one opened after the refused
    # version would run under it, and be refused with it).
    new_incident(b, "同一檔案裡的合法案件")

    _edit_playbook_and_units(b, replace(HEAD, role=Role.PLANNING))
    sync(b, share)
    report = sync(a, share)

    assert [v.number for v in list_versions(a.db)] == [1]
    assert _commander(a) == "" and list_handovers(a.db) == []
    assert _unit_names(a) == units_before  # neither renamed nor removed
    assert "同一檔案裡的合法案件" in _titles(a)
    refused = _refused(a)
    assert ("playbook_versions", "林組長", MAY_NOT) in refused
    assert ("units", "林組長", MAY_NOT) in refused
    # Version 3 and the handover belong to the refused version 2: refused with it.
    assert {(table, author) for table, author, _reason in refused} == {
        ("playbook_versions", "林組長"), ("handovers", "林組長"), ("units", "林組長")}
    assert sum(table == "units" for table, _a, _r in refused) == 2
    assert any(_("Playbook version") in line and _(MAY_NOT) in line for line in report.refused)
    assert any(_("Unit") in line and _(MAY_NOT) in line for line in report.refused)
    assert not report.in_sync


def test_the_same_edits_from_the_planning_groups_pc_apply(
        make_pc: Callable[[str], PC], share: Path, tmp_path: Path) -> None:
    """The check refuses the role, not the edit: B enrolled for the planning group makes the
    same changes and every one of them reaches A."""
    a, b = make_pc("A"), make_pc("B")
    office = found_office([a], share, tmp_path / "authority.pem")
    office.enrol(b, PLANNER)
    sync_all([a, b], share)
    renamed, removed = list_units(a.db, "keelung")[:2]

    _edit_playbook_and_units(b, PLANNER)
    reports = sync_all([a, b], share)

    assert [(v.number, v.created_by, v.created_role) for v in list_versions(a.db)] == [
        (3, "林企劃", "planning"), (2, "林企劃", "planning"), (1, SYSTEM, "system")]
    assert _commander(a) == "陳志明"
    assert [(h.from_name, h.to_name, h.created_by) for h in list_handovers(a.db)] == [
        ("王大明", "陳志明", "林企劃")]
    names = _unit_names(a)
    assert "改名後的組" in names and renamed.name_zh not in names
    assert removed.name_zh not in names
    assert _refused(a) == [] and _refused(b) == []
    assert all(report.refused == [] for report in reports)


def test_the_first_run_seeds_of_unit_heads_pcs_are_not_refused(
        make_pc: Callable[[str], PC], share: Path, tmp_path: Path) -> None:
    """An office set up as usual, three PCs enrolled as unit heads: each sends version 1 and
    the units it seeded as its own changes, and every receiver applies them (each PC's seed is
    in every PC's history) without one refusal."""
    pcs = make_pc("A"), make_pc("B"), make_pc("C")
    found_office(pcs, share, tmp_path / "authority.pem")

    reports: list[SyncReport] = [sync(pc, share) for pc in pcs]
    reports += sync_all(pcs, share)

    assert all(report.refused == [] for report in reports)
    assert all(report.in_sync for report in reports[-3:])
    version_1 = list_versions(pcs[0].db)[0].id
    unit = list_units(pcs[0].db, "keelung")[0].id
    for pc in pcs:
        assert _refused(pc) == []
        # One seeding time per PC: the three seeds were applied, not merely left unrefused.
        assert len(history(pc, "playbook_versions", version_1, "created_at")) == 3
        assert len(history(pc, "units", unit, "created_at")) == 3


def test_a_forged_version_1_from_a_unit_heads_pc_is_refused(
        make_pc: Callable[[str], PC], share: Path, tmp_path: Path) -> None:
    """A version 1 made exactly as the app seeds one (number 1, no parent, by the app, the
    shipped reason, under the stable id of its content), but of another procedure: the
    receiver recomputes the shipped one, sees it is not, and refuses it from a unit head."""
    a, b = make_pc("A"), make_pc("B")
    found_office([a, b], share, tmp_path / "authority.pem")
    sync_all([a, b], share)
    shipped = default_playbook()
    first = shipped.team.members[0]
    forged = shipped.with_members(
        (replace(first, holder=replace(first.holder, name="冒名的指揮官")),)
        + shipped.team.members[1:])
    content = playbook_to_json(forged)
    sha = hashlib.sha256(content.encode("utf-8")).hexdigest()
    new_incident(b, "同一檔案裡的合法案件")  # under the shipped version, in the same file
    with b.db.session() as session:
        session.add(PlaybookVersionRow(
            id=stable_id("playbook", sha), number=1, parent_id=None, created_by=SYSTEM,
            created_role="system", reason=DEFAULT_REASON, content=content,
            content_sha256=sha, format_version=FORMAT_VERSION))

    sync(b, share)
    report = sync(a, share)

    assert [(v.number, v.sha256) for v in list_versions(a.db)] == [
        (1, hashlib.sha256(playbook_to_json(shipped).encode("utf-8")).hexdigest())]
    assert _commander(a) == ""
    assert "同一檔案裡的合法案件" in _titles(a)
    assert _refused(a) == [("playbook_versions", "林組長", MAY_NOT)]
    assert len(report.refused) == 1


def test_a_unit_seeded_under_another_name_by_a_unit_heads_pc_is_refused(
        make_pc: Callable[[str], PC], share: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """C runs a modified app whose shipped units name one unit otherwise: its seed of that
    unit is a rename under the app's name, refused from a unit head; its other seeded units
    are the shipped ones and pass."""
    a, b = make_pc("A"), make_pc("B")
    office = found_office([a, b], share, tmp_path / "authority.pem")
    sync_all([a, b], share)
    keelung = shipped_office("keelung")
    renamed = replace(keelung, units=(replace(keelung.units[0], name_zh="冒名的組"),)
                      + keelung.units[1:])
    with monkeypatch.context() as patched:
        patched.setattr(models.org.units, "office", lambda code: renamed)
        c = make_pc("C")
    office.enrol(c, HEAD)

    sync(c, share)
    report = sync(a, share)

    assert _unit_names(a) == _unit_names(b) and "冒名的組" not in _unit_names(a)
    assert _refused(a) == [("units", "林組長", MAY_NOT)]
    assert len(report.refused) == 1


def test_a_saved_version_is_never_rewritten_even_by_the_planning_group(
        make_pc: Callable[[str], PC], share: Path, tmp_path: Path) -> None:
    """A version is written once, like a timeline entry: a change to one already saved (here
    its reason, written into B's database past the app) is refused from anyone, so the history
    of the playbook stays what it was when each version was saved."""
    a, b = make_pc("A"), make_pc("B")
    office = found_office([a], share, tmp_path / "authority.pem")
    office.enrol(b, PLANNER)
    base, playbook = current_playbook(b.db)
    first = playbook.team.members[0]
    saved = save_playbook(b.db, PLANNER, playbook.with_members(
        (replace(first, holder=replace(first.holder, name="王大明")),)
        + playbook.team.members[1:]), "新任指揮官", base_version_id=base.id)
    sync_all([a, b], share)
    with b.db.session() as session:
        version = session.get(PlaybookVersionRow, saved.id)
        assert version is not None
        version.reason = "改過的理由"

    sync(b, share)
    sync(a, share)

    assert [(v.number, v.reason) for v in list_versions(a.db)][0] == (2, "新任指揮官")
    assert _refused(a) == [("playbook_versions", "林企劃",
                            "a record that is never changed once written")]


def test_a_pc_that_joins_later_never_undoes_the_planning_groups_unit_edits(
        make_pc: Callable[[str], PC], share: Path, tmp_path: Path) -> None:
    """The planning group renames one unit and removes another; a PC set up afterwards seeds
    the shipped units as every PC does: its seed is stamped below every edit, so on every PC,
    the new one included, the rename and the removal stand, with no conflict and nothing
    refused."""
    a, b = make_pc("A"), make_pc("B")
    office = found_office([a], share, tmp_path / "authority.pem")
    office.enrol(b, PLANNER)
    sync_all([a, b], share)
    renamed, removed = list_units(b.db, "keelung")[:2]
    save_unit(b.db, PLANNER, "keelung", unit_id=renamed.id, name_zh="改名後的組",
              name_en=renamed.name_en, kind=renamed.kind)
    delete_unit(b.db, PLANNER, removed.id)
    sync_all([a, b], share)
    d = make_pc("D")  # seeds the shipped units now, after the edits
    office.enrol(d, HEAD)

    reports = sync_all([a, b, d], share)

    for pc in (a, b, d):
        names = _unit_names(pc)
        assert "改名後的組" in names and renamed.name_zh not in names, pc.name
        assert removed.name_zh not in names, pc.name
    assert all(report.refused == [] and report.in_sync for report in reports)


def test_a_seed_written_over_the_planning_groups_edit_is_refused(
        make_pc: Callable[[str], PC], share: Path, tmp_path: Path) -> None:
    """A unit head's PC running a modified app writes a renamed unit back as the app seeds it
    (every field, stamped as a seed): it knew the rename, so it is an edit, not a seed, and a
    unit head may not edit the units; the rename stands."""
    from sqlalchemy.orm.attributes import flag_modified

    from models.org.entities import UnitRow
    from models.sync.policy import SEEDING

    a, b, c = make_pc("A"), make_pc("B"), make_pc("C")
    office = found_office([a], share, tmp_path / "authority.pem")
    office.enrol(b, PLANNER)
    office.enrol(c, HEAD)
    renamed = list_units(b.db, "keelung")[0]
    save_unit(b.db, PLANNER, "keelung", unit_id=renamed.id, name_zh="改名後的組",
              name_en=renamed.name_en, kind=renamed.kind)
    sync_all([a, b, c], share)
    with c.db.session() as session:
        session.info[SEEDING] = True
        row = session.get(UnitRow, renamed.id)
        assert row is not None
        row.name_zh, row.updated_by, row.row_version = renamed.name_zh, "CrisisDesk", 1
        for column in ("office_code", "key", "name_en", "kind", "sort_order", "active",
                       "deleted_at", "created_at", "updated_at"):
            flag_modified(row, column)

    sync(c, share)
    report = sync(a, share)

    assert "改名後的組" in _unit_names(a)
    assert _refused(a) == [("units", "林組長", MAY_NOT)] and len(report.refused) == 1
