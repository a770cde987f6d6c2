"""The share and the PCs losing their history or their identity: a share wiped or restored
from an old backup, a PC cloned from another's disk, clocks that are wrong or jump back.
Every PC's work survives and every PC ends with the same rows."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

import models.sync.values
from models.incidents.actions import add_entry, set_field
from models.org.units import list_units, save_unit
from models.schema import RULES
from models.storage.db import utcnow
from models.sync.entities import SyncChangeRow, SyncDeviceRow
from models.sync.values import COUNTER_BITS, DAY_MS
from tests.sync.conftest import (
    HEAD,
    PC,
    PLANNER,
    assert_in_sync,
    assert_same_rows,
    field_value,
    history,
    new_incident,
    sync,
    sync_all,
)


@pytest.mark.parametrize("how", ["wiped", "restored from an old backup"])
def test_a_share_that_lost_its_files_gets_them_back_from_the_pcs(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path, make_pc: Callable[..., PC],
        how: str) -> None:
    a, b, c = pcs
    incident = new_incident(a)
    sync_all(pcs, share)
    backup = tmp_path / "backup"
    shutil.copytree(share, backup)
    set_field(a.db, HEAD, incident, "s2.plan", "擴大查緝")
    set_field(b.db, HEAD, incident, "s2.information", "線報指出尚有兩櫃")
    sync_all(pcs, share)

    shutil.rmtree(share)
    if how == "wiped":
        share.mkdir()
    else:
        shutil.copytree(backup, share)
    reports = sync_all(pcs, share)

    assert_in_sync(reports)
    assert_same_rows(pcs)
    assert field_value(c, incident, "s2.plan") == "擴大查緝"
    assert field_value(a, incident, "s2.information") == "線報指出尚有兩櫃"
    # A PC that joins now finds everything in the share.
    d = make_pc("D")
    assert_in_sync(sync_all([a, b, c, d], share))
    assert_same_rows([a, b, c, d])
    assert field_value(d, incident, "s2.plan") == "擴大查緝"


def _incident_then_clone(pcs: tuple[PC, PC, PC], share: Path, make_pc: Callable[..., PC],
                         tmp_path: Path) -> tuple[str, PC]:
    """An incident every PC has, then A's disk image copied to a new PC (same identity)."""
    a = pcs[0]
    incident = new_incident(a)
    sync_all(pcs, share)
    a.db.close()
    shutil.copytree(a.data_dir, tmp_path / "A2")
    a.reopen()
    return incident, make_pc("A2", tmp_path / "A2")


def test_a_cloned_pc_takes_a_new_identity_and_both_pcs_edits_arrive_everywhere(
        pcs: tuple[PC, PC, PC], share: Path, make_pc: Callable[..., PC],
        tmp_path: Path) -> None:
    a, b, c = pcs
    incident, clone = _incident_then_clone(pcs, share, make_pc, tmp_path)
    assert clone.device == a.device
    set_field(a.db, HEAD, incident, "s2.plan", "A 的計畫")
    add_entry(a.db, HEAD, incident, "note", "A 的紀錄", utcnow())
    set_field(clone.db, HEAD, incident, "s2.information", "複製機的資訊")
    add_entry(clone.db, HEAD, incident, "note", "複製機的紀錄", utcnow())

    first, second = sync(a, share), sync(clone, share)

    assert not first.new_identity and second.new_identity
    assert clone.device == second.new_identity != a.device
    everyone = [a, b, c, clone]
    assert_in_sync(sync_all(everyone, share))
    assert_same_rows(everyone)
    for pc in everyone:
        assert field_value(pc, incident, "s2.plan") == "A 的計畫"
        assert field_value(pc, incident, "s2.information") == "複製機的資訊"
    # The clone goes on under its new identity.
    set_field(clone.db, HEAD, incident, "s2.plan", "複製機改的計畫")
    assert_in_sync(sync_all(everyone, share))
    assert field_value(b, incident, "s2.plan") == "複製機改的計畫"


def test_a_clones_unsent_versions_travel_under_its_new_identity_with_the_old_ones_word(
        pcs: tuple[PC, PC, PC], share: Path, make_pc: Callable[..., PC],
        tmp_path: Path) -> None:
    """Version ids end with their writer's tag, and a file may carry only its device's: the
    clone's edits, made under A's identity and sent under its new one, pass because the
    file's header carries A's key's signed succession, and every PC's check stays clean."""
    from models.core.ids import tag_of
    from models.sync.audit import verify_history
    from models.sync.keys import version_tag
    from models.sync.segment import decode_segment

    a, b, c = pcs
    incident, clone = _incident_then_clone(pcs, share, make_pc, tmp_path)
    set_field(clone.db, HEAD, incident, "s2.information", "複製機的資訊")
    set_field(a.db, HEAD, incident, "s2.plan", "A 的計畫")  # the file the clone is caught by
    sync(a, share)

    new = sync(clone, share).new_identity

    [path] = (share / "devices" / new / "log").glob("*.seg")
    segment = decode_segment(path.read_bytes(), device=new, seq=1)
    tags = {tag_of(fv.version_id) for ch in segment.changes for fv in ch.fields.values()}
    assert tags == {version_tag(a.device)}
    everyone = [a, b, c, clone]
    assert_in_sync(sync_all(everyone, share))
    for pc in everyone:
        assert field_value(pc, incident, "s2.information") == "複製機的資訊"
        assert not verify_history(pc.db, RULES).findings


def test_a_clone_that_syncs_first_leaves_the_original_its_identity_clash_to_find(
        pcs: tuple[PC, PC, PC], share: Path, make_pc: Callable[..., PC],
        tmp_path: Path) -> None:
    a, b, c = pcs
    incident, clone = _incident_then_clone(pcs, share, make_pc, tmp_path)
    set_field(clone.db, HEAD, incident, "s2.plan", "複製機的計畫")
    set_field(a.db, HEAD, incident, "s2.plan", "A 的計畫")

    sync(clone, share)
    report = sync(a, share)

    assert report.new_identity
    everyone = [a, b, c, clone]
    sync_all(everyone, share)
    assert_same_rows(everyone)
    for pc in everyone:  # the same field: a conflict, both values kept
        assert {"A 的計畫", "複製機的計畫"} <= history(
            pc, "incident_fields", _field_id(pc, incident), "value")


def _field_id(pc: PC, incident: str) -> str:
    from models.incidents.entities import IncidentFieldRow

    with pc.db.session() as session:
        found = session.scalar(select(IncidentFieldRow.id).where(
            IncidentFieldRow.incident_id == incident, IncidentFieldRow.key == "s2.plan"))
        assert found is not None
        return found


def _clock_of(pc: PC) -> int:
    with pc.db.session() as session:
        return int(session.scalar(select(SyncDeviceRow.clock)) or 0)


def test_a_clock_days_ahead_is_reported_and_does_not_drag_other_clocks_along(
        pcs: tuple[PC, PC, PC], share: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b, c = pcs
    sync_all(pcs, share)
    real = models.sync.values.wall_ms
    with monkeypatch.context() as patch:
        patch.setattr(models.sync.values, "wall_ms", lambda: real() + 3 * DAY_MS)
        incident = new_incident(a)
        sync(a, share)

    report = sync(b, share)

    assert report.skewed == [a.device]
    assert incident in {r["id"] for r in assert_same_rows([a, b])["incidents"]}
    assert _clock_of(b) <= (real() + DAY_MS) << COUNTER_BITS
    # B's own clock stamps its next edit; it still travels (a stamp only orders a conflict).
    set_field(b.db, HEAD, incident, "s2.plan", "B 的計畫")
    sync_all(pcs, share)
    assert field_value(a, incident, "s2.plan") == "B 的計畫"


def test_a_clock_going_back_keeps_stamps_increasing_and_the_latest_edit_wins(
        pcs: tuple[PC, PC, PC], share: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b, c = pcs
    incident = new_incident(a)
    set_field(a.db, HEAD, incident, "s2.plan", "第一版")
    sync_all(pcs, share)
    real = models.sync.values.wall_ms
    with monkeypatch.context() as patch:
        patch.setattr(models.sync.values, "wall_ms", lambda: real() - 6 * 3600 * 1000)
        set_field(a.db, HEAD, incident, "s2.plan", "第二版")
        a.reopen()  # and survives a restart
        set_field(a.db, HEAD, incident, "s2.plan", "第三版")

    with a.db.session() as session:  # its edits (its first run's seeds are stamped 0)
        stamps = list(session.scalars(select(SyncChangeRow.stamp).where(
            SyncChangeRow.device == a.device, SyncChangeRow.stamp > 0)
            .order_by(SyncChangeRow.id)))
    assert len(stamps) > 3 and stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    assert_in_sync(sync_all(pcs, share))
    for pc in pcs:
        assert field_value(pc, incident, "s2.plan") == "第三版"


def test_units_renamed_on_a_pc_with_a_wrong_clock_merge_like_any_other(
        pcs: tuple[PC, PC, PC], share: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b, c = pcs
    unit = list_units(a.db, "keelung")[0]
    sync_all(pcs, share)
    real = models.sync.values.wall_ms
    with monkeypatch.context() as patch:
        patch.setattr(models.sync.values, "wall_ms", lambda: real() - 365 * DAY_MS)
        save_unit(a.db, PLANNER, "keelung", unit_id=unit.id, name_zh=unit.name_zh,
                  name_en="Renamed on A", kind=unit.kind)
    sync_all(pcs, share)
    assert [u.name_en for u in list_units(c.db, "keelung") if u.id == unit.id] \
        == ["Renamed on A"]


def test_a_clone_that_wrote_a_longer_segment_at_a_number_the_original_has_packed_is_a_clash(
        pcs: tuple[PC, PC, PC], share: Path, make_pc: Callable[..., PC], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The original packed its next segment but could not write it (the share was away); the
    clone then wrote its own, longer one under that number. The original must see a clash
    and take a new identity, not report the folder unreachable at every run from then on."""
    import models.sync.run
    from models.sync.folder import FolderError

    a, b, c = pcs
    incident, clone = _incident_then_clone(pcs, share, make_pc, tmp_path)
    set_field(a.db, HEAD, incident, "s2.plan", "A")

    def away(*_args: object) -> bool:
        raise FolderError("the share is away")

    with monkeypatch.context() as patched:
        patched.setattr(models.sync.run, "write_once", away)
        assert not sync(a, share).reachable
    set_field(clone.db, HEAD, incident, "s2.information", "複製機寫的一段很長的資訊" * 50)
    assert sync(clone, share).sent_segments == 1

    report = sync(a, share)

    assert report.reachable and not report.error and report.new_identity
    everyone = [a, b, c, clone]
    assert_in_sync(sync_all(everyone, share))
    assert_same_rows(everyone)
    assert field_value(b, incident, "s2.plan") == "A"
    assert field_value(b, incident, "s2.information") == "複製機寫的一段很長的資訊" * 50


def test_after_a_new_identity_this_pcs_unsent_edits_are_its_own_everywhere(
        pcs: tuple[PC, PC, PC], share: Path, make_pc: Callable[..., PC],
        tmp_path: Path) -> None:
    """The versions of the edits a PC had not sent yet move to its new identity with their
    changes: the conflict list says "This PC" for them, and every PC orders them by the same
    (stamp, device, version) as the PC that wrote them."""
    from models.sync.conflicts import list_conflicts
    from models.sync.entities import SyncChangeRow, SyncVersionRow

    a, b, c = pcs
    incident, clone = _incident_then_clone(pcs, share, make_pc, tmp_path)
    set_field(clone.db, HEAD, incident, "s2.plan", "複製機的計畫")
    set_field(a.db, HEAD, incident, "s2.plan", "A 的計畫")
    sync(clone, share)
    assert sync(a, share).new_identity
    everyone = [a, b, c, clone]
    sync_all(everyone, share)

    [info] = list_conflicts(a.db, RULES)
    assert {cand.value: cand.here for cand in info.candidates} == {
        "A 的計畫": True, "複製機的計畫": False}

    def devices(pc: PC) -> set[tuple[str, str]]:
        with pc.db.session() as session:
            return {(v, d) for v, d in session.execute(
                select(SyncVersionRow.version_id, SyncChangeRow.device).join(
                    SyncChangeRow, SyncChangeRow.id == SyncVersionRow.change_id))}

    assert devices(a) == devices(b) == devices(clone)


def test_two_syncs_of_one_pc_at_once_do_not_take_each_other_for_a_clone(
        pcs: tuple[PC, PC, PC], share: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The window syncs while a scheduled `main.py sync` of the same PC runs: a segment the
    other run writes between this run's start and its listing is this PC's own."""
    import models.sync.run as sync_module
    from models.startup import open_database
    from models.storage.names import DATABASE_FILE
    from models.sync.run import sync_once

    a = pcs[0]
    incident = new_incident(a)
    sync(a, share)
    scheduled = open_database(a.data_dir / DATABASE_FILE)
    real_list_log = sync_module.list_log
    done: list[object] = []
    started: list[bool] = []

    def list_log_while_the_other_run_sends(root: Path, device: str):  # type: ignore[no-untyped-def]
        if not started:
            started.append(True)
            set_field(a.db, HEAD, incident, "s2.plan", "排程同步時寫的計畫")
            done.append(sync_once(a.db, share, RULES))  # the other run: packs and writes a segment
        return real_list_log(root, device)

    monkeypatch.setattr(sync_module, "list_log", list_log_while_the_other_run_sends)
    try:
        report = sync_once(scheduled, share, RULES)
    finally:
        scheduled.close()

    assert done and done[0].sent_changes >= 1  # type: ignore[attr-defined]
    assert report.new_identity == "" and not report.waiting
