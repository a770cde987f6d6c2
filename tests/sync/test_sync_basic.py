"""What the crisis teams rely on when their PCs sync through the shared folder: a record made
on one PC appears, whole and identical, on every other; edits of different fields merge; the
same field edited on two PCs is a conflict every PC shows the same way and that a user settles
once; a delete never swallows a concurrent edit; a signed or archived record stays locked; and
no value ever written is lost."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from i18n import _
from models.core.errors import UserError
from models.core.ids import stable_id
from models.drills.actions import choose_scenario, draw_unit
from models.drills.kinds import taipei_today
from models.drills.queries import month_drill
from models.drills.reports.actions import (
    acknowledge_circulation,
    circulate,
    save_evaluation,
    save_report,
    sign_off,
    sign_off_evaluation,
    submit_evaluation,
    submit_report,
)
from models.drills.reports.kinds import CorrectiveDraft, EvaluationDraft, ReportDraft
from models.drills.reports.queries import report_view
from models.drills.scenarios import default_scenarios
from models.incidents.actions import (
    acknowledge,
    add_entry,
    complete_stage,
    confirm_plan,
    record_notification,
    save_action,
    save_corrective_action,
    save_negotiation,
    save_statement,
    set_field,
    set_task_state,
    statement_event,
    update_fact,
)
from models.incidents.case_import import load_demo
from models.incidents.queries import incident_view
from models.org.people import Actor, Role
from models.org.units import delete_unit, list_units, save_unit
from models.playbook.shipped import default_playbook
from models.review.signed_scans import attach_scan, scans_of
from models.schema import RULES
from models.storage.db import utcnow
from models.storage.names import DATABASE_FILE
from models.sync.conflicts import list_conflicts, resolve_conflict
from models.sync.entities import SyncVersionRow
from tests.scans import blank_scan
from tests.sync.conftest import (
    HEAD,
    PC,
    PLANNER,
    assert_in_sync,
    assert_same_rows,
    conflicts,
    field_value,
    history,
    new_incident,
    sync,
    sync_all,
    table_rows,
)

SECRETARY = Actor("王主秘", Role.SECRETARY, "secretariat")
COMMANDER = Actor("張副關務長", Role.COMMANDER)
UNIT_HEAD = Actor("陳組長", Role.UNIT_HEAD, "ops1")


def full_incident(pc: PC) -> str:
    """An incident with every kind of part the procedure records."""
    db = pc.db
    incident = new_incident(pc)
    set_field(db, HEAD, incident, "s2.plan", "擴大查緝")
    confirm_plan(db, HEAD, incident, "secretary", "王主秘", utcnow())
    set_task_state(db, HEAD, incident, 1, "grasp", "done")
    set_task_state(db, HEAD, incident, 1, "report", "not_applicable", "已由執秘到場")
    notice = record_notification(db, HEAD, incident, target_group="secretary", member_id="",
                                 recipient="王主秘", acting_for="", means="phone",
                                 notified_at=utcnow())
    acknowledge(db, HEAD, notice, utcnow())
    save_action(db, HEAD, incident, None, description="清查同一進口商貨櫃",
                group_key="handling", resources="X光儀", status="in_progress")
    add_entry(db, HEAD, incident, "report", "已清查 12 櫃", utcnow())
    statement = save_statement(db, HEAD, incident, None, kind="clarification", title="新聞稿",
                               text="初稿")
    save_statement(db, HEAD, incident, statement, kind="clarification", title="新聞稿",
                   text="第二稿")
    statement_event(db, HEAD, statement, 2, "legal_review", name="法務組", event_at=utcnow())
    save_negotiation(db, HEAD, incident, None, party="報關業公會", position="要求加速通關",
                     agreement="增派人力", next_step="週會追蹤")
    save_corrective_action(db, HEAD, incident, None, description="修訂布控指標",
                           owner="稽查組", due=date(2030, 1, 1), status="open")
    return incident


def report_draft(**changes: object) -> ReportDraft:
    start = utcnow() - timedelta(hours=3)
    values: dict[str, object] = {
        "time_start": start, "time_end": start + timedelta(hours=2), "items": ("clearance",),
        "simulated_case": "貨櫃通關系統中斷", "summary": "接獲通報後召集會議並通報執行秘書。",
        "participants": ("陳組長", "黃課長"), "went_well": "通報迅速",
        "to_improve": "聯絡名冊未更新", "suggestions": "每季更新名冊"}
    values.update(changes)
    return ReportDraft(**values)  # type: ignore[arg-type]


def drawn_drill(pc: PC) -> str:
    draw = draw_unit(pc.db, SECRETARY, "keelung", taipei_today(), seed=20261124)
    with pc.db.session() as session:
        drill = month_drill(session, "keelung", draw.month)
        assert drill is not None
        drill_id = drill.id
    key = next(s.key for s in default_scenarios(default_playbook()) if s.category == "clearance")
    choose_scenario(pc.db, PLANNER, drill_id, "clearance", key)
    return drill_id


def signed_report(pc: PC, drill_id: str) -> str:
    info = save_report(pc.db, UNIT_HEAD, drill_id, report_draft())
    submit_report(pc.db, UNIT_HEAD, info.id)
    sign_off(pc.db, COMMANDER, info.id, as_role="commander", name="張副關務長")
    sign_off(pc.db, SECRETARY, info.id, as_role="secretary", name="王主秘")
    return info.id


def full_drill(pc: PC, scan: Path) -> tuple[str, str]:
    """A drill through its whole cycle, with a scanned copy attached: (drill, report)."""
    drill_id = drawn_drill(pc)
    report_id = signed_report(pc, drill_id)
    attach_scan(pc.db, SECRETARY, "drill_report", report_id, scan, "ABCD-EFGH-JK")
    inject = utcnow() - timedelta(hours=2)
    evaluation = save_evaluation(pc.db, PLANNER, drill_id, EvaluationDraft(
        ratings={1: 3, 2: 4, 3: 3, 4: 2, 5: 3, 6: 3}, level_key="medium", inject_at=inject,
        notified_at=inject + timedelta(minutes=12), strengths="研判正確", improvements="稍慢",
        actions=(CorrectiveDraft("更新聯絡名冊", "秘書室", taipei_today()),)))
    submit_evaluation(pc.db, PLANNER, evaluation.id)
    sign_off_evaluation(pc.db, COMMANDER, evaluation.id, as_role="commander", name="張副關務長")
    sign_off_evaluation(pc.db, SECRETARY, evaluation.id, as_role="secretary", name="王主秘")
    unit = list_units(pc.db, "keelung")[0].key
    circulate(pc.db, PLANNER, evaluation.id)
    acknowledge_circulation(pc.db, PLANNER, evaluation.id, unit)
    return drill_id, report_id


def stored_rows(pc: PC) -> dict[str, list[tuple[Any, ...]]]:
    """Every synced table's rows as the database file holds them, read with sqlite3 (a time
    as the text SQLite stores, not as the app reads it back)."""
    with closing(sqlite3.connect(pc.data_dir / DATABASE_FILE)) as db:
        return {name: sorted(db.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
                for name in RULES.tables}


def test_records_made_on_one_pc_appear_identical_on_every_other(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path) -> None:
    a, b, c = pcs
    scan = blank_scan(tmp_path / "scan.pdf")
    incident = full_incident(a)
    drill_id, report_id = full_drill(a, scan)

    reports = sync_all(pcs, share)

    assert_in_sync(reports)
    rows = assert_same_rows(pcs)
    stored = [stored_rows(pc) for pc in pcs]  # and as SQLite holds them, value for value
    assert stored[1] == stored[0] and stored[2] == stored[0]
    for name in ("incidents", "incident_fields", "timeline", "notifications",
                 "acknowledgements", "task_states", "incident_actions", "statements",
                 "statement_versions", "statement_events", "negotiations",
                 "corrective_actions", "drills", "drill_draws", "drill_reports",
                 "drill_report_versions", "drill_report_events", "signed_copies",
                 "drill_evaluations", "drill_corrective_actions", "drill_evaluation_events"):
        assert rows[name], f"the test made no {name}"
    seen = incident_view(c.db, incident, utcnow(), 10)
    assert seen.fields["s2.plan"] == "擴大查緝" and seen.notifications[0].acked_at is not None
    assert report_view(c.db, drill_id).locked
    [copy] = scans_of(c.db, "drill_report", report_id)
    attachment = c.data_dir / "attachments" / f"{copy.sha256}.pdf"
    assert attachment.read_bytes() == scan.read_bytes()


def test_edits_of_different_fields_on_two_pcs_merge(pcs: tuple[PC, PC, PC], share: Path) -> None:
    a, b, c = pcs
    incident = new_incident(a)
    sync_all(pcs, share)
    set_field(a.db, HEAD, incident, "s2.plan", "擴大查緝")
    set_field(b.db, HEAD, incident, "s2.information", "線報指出尚有兩櫃")

    assert_in_sync(sync_all(pcs, share))

    assert_same_rows(pcs)
    for pc in pcs:
        assert field_value(pc, incident, "s2.plan") == "擴大查緝"
        assert field_value(pc, incident, "s2.information") == "線報指出尚有兩櫃"
        assert conflicts(pc) == set()


def _edit_the_same_field_on_two_pcs(pcs: tuple[PC, PC, PC], share: Path) -> tuple[str, str]:
    a, b, _c = pcs
    incident = new_incident(a)
    set_field(a.db, HEAD, incident, "s2.plan", "初步計畫")
    sync_all(pcs, share)
    set_field(a.db, HEAD, incident, "s2.plan", "A：擴大查緝")
    set_field(b.db, HEAD, incident, "s2.plan", "B：暫緩查緝")
    reports = sync_all(pcs, share)
    assert [r.conflicts for r in reports] == [1, 1, 1]
    assert not any(r.in_sync for r in reports)  # a conflict waits for a person
    with a.db.session() as session:
        from models.incidents.entities import IncidentFieldRow

        field_id = session.scalar(select(IncidentFieldRow.id).where(
            IncidentFieldRow.incident_id == incident, IncidentFieldRow.key == "s2.plan"))
        assert field_id is not None
    return incident, field_id


def test_the_same_field_edited_on_two_pcs_is_one_conflict_shown_alike_everywhere(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    incident, field_id = _edit_the_same_field_on_two_pcs(pcs, share)

    assert_same_rows(pcs)
    shown = {field_value(pc, incident, "s2.plan") for pc in pcs}
    assert len(shown) == 1 and shown <= {"A：擴大查緝", "B：暫緩查緝"}
    for pc in pcs:
        assert conflicts(pc) == {("incident_fields", field_id, "value", "value")}
        [info] = list_conflicts(pc.db, RULES)
        assert {cand.value for cand in info.candidates} == {"A：擴大查緝", "B：暫緩查緝"}
        assert info.shown in shown and info.kind == "value"


def test_a_decision_that_does_not_fit_the_field_is_refused_in_the_users_words(
        pcs: tuple[PC, PC, PC], share: Path) -> None:

    _incident, field_id = _edit_the_same_field_on_two_pcs(pcs, share)
    with pytest.raises(UserError) as caught:
        resolve_conflict(pcs[2].db, RULES, PLANNER, "incident_fields", field_id, "value", 42)
    assert caught.value.message() == _("This value does not fit the field {field}.").format(
        field="value")


@pytest.mark.parametrize("choice", ["A：擴大查緝", "合併：先擴大查緝，再視情況暫緩"],
                         ids=["keep-one", "merged-by-hand"])
def test_a_conflict_settled_on_one_pc_is_settled_on_all(pcs: tuple[PC, PC, PC], share: Path,
                                                        choice: str) -> None:
    a, b, c = pcs
    incident, field_id = _edit_the_same_field_on_two_pcs(pcs, share)

    resolve_conflict(c.db, RULES, PLANNER, "incident_fields", field_id, "value", choice)
    assert conflicts(c) == set()
    assert_in_sync(sync_all(pcs, share))

    assert_same_rows(pcs)
    for pc in pcs:
        assert field_value(pc, incident, "s2.plan") == choice
        assert conflicts(pc) == set()
        assert {"A：擴大查緝", "B：暫緩查緝", choice} <= history(
            pc, "incident_fields", field_id, "value")


def test_a_unit_deleted_on_one_pc_while_renamed_on_another_keeps_the_rename_and_flags_it(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    a, b, c = pcs
    unit = save_unit(a.db, PLANNER, "keelung", unit_id=None, name_zh="防疫應變小組",
                     name_en="", kind="office")
    sync_all(pcs, share)
    delete_unit(a.db, PLANNER, unit.id)
    save_unit(b.db, PLANNER, "keelung", unit_id=unit.id, name_zh="防疫小組", name_en="",
              kind="office")

    reports = sync_all(pcs, share)

    assert [r.conflicts for r in reports] == [1, 1, 1]
    assert_same_rows(pcs)
    for pc in pcs:
        assert "防疫小組" in [u.name_zh for u in list_units(pc.db, "keelung")]
        assert conflicts(pc) == {("units", unit.id, "deleted_at", "delete")}
    # Deleting it again, having seen the rename, settles it everywhere.
    resolve_conflict(c.db, RULES, PLANNER, "units", unit.id, "deleted_at", "delete")
    assert_in_sync(sync_all(pcs, share))
    assert_same_rows(pcs)
    for pc in pcs:
        assert "防疫小組" not in [u.name_zh for u in list_units(pc.db, "keelung")]


def test_timeline_entries_and_notifications_from_every_pc_never_conflict(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    incident = new_incident(pcs[0])
    sync_all(pcs, share)
    for pc in pcs:
        add_entry(pc.db, HEAD, incident, "note", f"{pc.name} 的紀錄", utcnow())
        record_notification(pc.db, HEAD, incident, target_group="secretary", member_id="",
                            recipient=f"{pc.name} 通知的人", acting_for="", means="phone",
                            notified_at=utcnow())

    assert_in_sync(sync_all(pcs, share))

    assert_same_rows(pcs)
    seen = incident_view(pcs[1].db, incident, utcnow(), 10)
    assert {n.recipient for n in seen.notifications} == {"A 通知的人", "B 通知的人", "C 通知的人"}
    notes = {e.data.get("text") for e in seen.timeline if e.kind == "note"}
    assert notes == {"A 的紀錄", "B 的紀錄", "C 的紀錄"}


def test_a_signed_report_stays_locked_on_every_pc_after_a_concurrent_edit(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    a, b, c = pcs
    drill_id = drawn_drill(a)
    info = save_report(a.db, UNIT_HEAD, drill_id, report_draft())
    sync_all(pcs, share)
    # A submits and signs the draft while the unit, on B, still edits it.
    submit_report(a.db, UNIT_HEAD, info.id)
    sign_off(a.db, COMMANDER, info.id, as_role="commander", name="張副關務長")
    sign_off(a.db, SECRETARY, info.id, as_role="secretary", name="王主秘")
    signed = report_view(a.db, drill_id)
    assert signed.locked and signed.current is not None
    save_report(b.db, UNIT_HEAD, drill_id, report_draft(summary="B 改寫的摘要"))

    sync_all(pcs, share)

    assert_same_rows(pcs)
    [version_id] = [r["id"] for r in table_rows(a.db)["drill_report_versions"]]
    for pc in pcs:
        seen = report_view(pc.db, drill_id)
        assert seen.locked and seen.current is not None
        assert seen.current.draft == signed.current.draft and seen.current.frozen
        assert ("drill_report_versions", version_id, "content", "locked") in conflicts(pc)
        assert any("B 改寫的摘要" in str(v) for v in history(
            pc, "drill_report_versions", version_id, "content"))


def _b_changes_title_and_lessons(b: PC, incident: str) -> None:
    update_fact(b.db, HEAD, incident, "title", "B 改的標題")
    set_field(b.db, HEAD, incident, "s6.lessons", "B 補充：加強教育訓練")


def _archived_on_a_while_b_edits(pcs: tuple[PC, PC, PC], share: Path,
                                 b_edits: Callable[[PC, str], None] = _b_changes_title_and_lessons,
                                 prepare: Callable[[PC, str], None] | None = None) -> str:
    """An incident A archives while B, not knowing yet, edits it (by default: its title and a
    field); *prepare*: what A records of it first (a part B then edits)."""
    a, b, _c = pcs
    incident = new_incident(a)
    if prepare is not None:
        prepare(a, incident)
    for stage in default_playbook().stages:
        for task in stage.tasks:
            set_task_state(a.db, HEAD, incident, stage.number, task.key, "done")
    record_notification(a.db, HEAD, incident, target_group="secretary", member_id="",
                        recipient="王主秘", acting_for="", means="phone", notified_at=utcnow())
    set_field(a.db, HEAD, incident, "s2.plan", "擴大查緝")
    confirm_plan(a.db, HEAD, incident, "secretary", "王主秘", utcnow())
    set_field(a.db, HEAD, incident, "s6.what_happened", "走私加熱菸")
    set_field(a.db, HEAD, incident, "s6.lessons", "加強風險布控")
    for stage in range(1, 6):
        complete_stage(a.db, HEAD, incident, stage)
    sync_all(pcs, share)
    complete_stage(a.db, HEAD, incident, 6)  # archives it
    b_edits(b, incident)
    sync_all(pcs, share)
    return incident


def test_an_archived_incident_stays_archived_on_every_pc_after_a_concurrent_edit(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    incident = _archived_on_a_while_b_edits(pcs, share)

    assert_same_rows(pcs)
    for pc in pcs:
        seen = incident_view(pc.db, incident, utcnow(), 10)
        assert seen.status == "archived" and seen.title == "加熱菸走私案"
        assert ("incidents", incident, "title", "locked") in conflicts(pc)
        assert "B 改的標題" in history(pc, "incidents", incident, "title")


def test_the_parts_of_an_archived_incident_stay_as_archived(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    incident = _archived_on_a_while_b_edits(pcs, share)

    for pc in pcs:
        assert incident_view(pc.db, incident, utcnow(), 10).fields["s6.lessons"] == "加強風險布控"


def test_a_part_edited_on_another_pc_while_the_incident_was_archived_is_flagged(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    """B edits a field it had before A archived the incident, not knowing of the archive:
    the edit was made against the lock, so every PC shows A's value and flags it. (The
    rule that one PC's own versions are never concurrent must not hide another PC's.)"""
    incident = _archived_on_a_while_b_edits(pcs, share)

    field_id = stable_id("incident_field", incident, "s6.lessons")
    for pc in pcs:
        assert ("incident_fields", field_id, "value", "locked") in conflicts(pc)
        assert "B 補充：加強教育訓練" in history(pc, "incident_fields", field_id, "value")


def test_cases_imported_archived_reach_every_pc_without_a_conflict(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    """The example cases are stored archived, the incident first and then its fields,
    actions, statements and negotiations, all in one transaction. The locking version does
    not name parts written after it, yet the PC that wrote them had the lock: they arrive
    with their incident and are no edit against it."""
    a, b, c = pcs
    assert load_demo(a.db, PLANNER, "keelung").added > 0

    assert_in_sync(sync_all(pcs, share))

    rows = assert_same_rows(pcs)
    assert {r["status"] for r in rows["incidents"]} == {"archived"}
    assert rows["incident_fields"] and rows["incident_actions"] and rows["statements"]
    for pc in pcs:
        assert conflicts(pc) == set()


def test_an_edit_that_ends_where_the_archive_stands_is_no_conflict(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    """B changed a field and changed it back while A archived: B's last version is not one
    A had seen, but it holds the archived value, so there is nothing to decide."""
    def there_and_back(b: PC, incident: str) -> None:
        set_field(b.db, HEAD, incident, "s6.lessons", "暫時的寫法")
        set_field(b.db, HEAD, incident, "s6.lessons", "加強風險布控")

    incident = _archived_on_a_while_b_edits(pcs, share, there_and_back)

    for pc in pcs:
        assert incident_view(pc.db, incident, utcnow(), 10).fields["s6.lessons"] == "加強風險布控"
        assert not [c for c in conflicts(pc) if c[3] == "locked"]


def test_every_version_ever_written_on_any_pc_is_in_every_pcs_history(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    a, b, c = pcs
    incident = new_incident(a)
    sync_all(pcs, share)
    written: list[str] = []
    for n in range(3):
        for pc in pcs:
            text = f"{pc.name} 第 {n} 版"
            set_field(pc.db, HEAD, incident, "s2.information", text)
            written.append(text)
        sync(pcs[n], share)
    sync_all(pcs, share)

    ids = [table_rows(pc.db)["incident_fields"] for pc in pcs]
    [field_id] = {r["id"] for r in ids[0] if r["key"] == "s2.information"}
    for pc in pcs:
        assert set(written) <= history(pc, "incident_fields", field_id, "value")
        with pc.db.session() as session:
            versions = session.scalar(select(func.count()).select_from(SyncVersionRow))
        with a.db.session() as session:
            assert versions == session.scalar(select(func.count()).select_from(SyncVersionRow))


def test_the_same_version_number_written_on_two_pcs_is_one_version_in_conflict(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    """Two PCs each saving "version 2" of a statement write the same row (its id is the
    statement's and the number's), so the two texts become a conflict on every PC, both kept,
    instead of two rows clashing on (statement, number) and stopping the sync."""
    a, b, c = pcs
    incident = new_incident(a)
    statement = save_statement(a.db, HEAD, incident, None, kind="clarification",
                               title="新聞稿", text="初稿")
    sync_all(pcs, share)
    save_statement(a.db, HEAD, incident, statement, kind="clarification", title="新聞稿",
                   text="A 的第二稿")
    save_statement(b.db, HEAD, incident, statement, kind="clarification", title="新聞稿",
                   text="B 的第二稿")
    set_field(c.db, HEAD, incident, "s2.plan", "C 的計畫")

    reports = sync_all(pcs, share)

    assert all(not r.waiting for r in reports), [r.waiting for r in reports]
    assert_same_rows(pcs)
    version = stable_id("statement_version", statement, "2")
    for pc in pcs:
        assert ("statement_versions", version, "text", "value") in conflicts(pc)
        assert {"A 的第二稿", "B 的第二稿"} <= history(pc, "statement_versions", version, "text")
        assert field_value(pc, incident, "s2.plan") == "C 的計畫"



def test_long_chinese_texts_are_packed_into_segments_a_reader_accepts(
        pcs: tuple[PC, PC, PC], share: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Chinese character is three bytes in a segment: packing must count bytes, or a batch
    of long texts (here fifteen saves of a 20,000-character field while the share was away)
    makes a segment over the limit, refused at every run, and nothing this PC writes is ever
    sent again. (The segment limits are scaled down ten times.)"""
    import models.sync.run

    a, b, c = pcs
    incident = new_incident(a)
    assert_in_sync(sync_all(pcs, share))
    monkeypatch.setattr(models.sync.run, "MAX_BYTES", 16 * 1024 * 1024 // 10)
    monkeypatch.setattr(models.sync.run, "_SEGMENT_TARGET_BYTES", 8 * 1024 * 1024 // 10)
    texts = [f"第{n:02d}稿" + "貨櫃夾藏加熱菸走私案" * 1999 for n in range(15)]
    for text in texts:
        set_field(a.db, HEAD, incident, "s2.information", text)

    report = sync(a, share)

    assert report.reachable and not report.error, report.error
    assert report.unsent_changes == 0 and report.sent_segments > 1
    assert_in_sync(sync_all(pcs, share))
    assert_same_rows(pcs)
    assert field_value(c, incident, "s2.information") == texts[-1]


def test_a_conflict_left_open_when_the_incident_was_archived_is_settled_by_the_choice(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    """Two PCs changed the title before either saw the other's; the incident was archived
    with the conflict still open. Choosing one value settles it: the PC deciding has seen
    the lock, so the choice is not taken for an edit made against the lock (which would keep
    the shown value and open a new conflict instead)."""
    a, b, c = pcs
    other = new_incident(a, "走私案")
    sync_all(pcs, share)
    update_fact(a.db, HEAD, other, "title", "A 的標題")
    update_fact(b.db, HEAD, other, "title", "B 的標題")
    sync_all(pcs, share)
    for stage in default_playbook().stages:
        for task in stage.tasks:
            set_task_state(a.db, HEAD, other, stage.number, task.key, "done")
    record_notification(a.db, HEAD, other, target_group="secretary", member_id="",
                        recipient="王主秘", acting_for="", means="phone", notified_at=utcnow())
    set_field(a.db, HEAD, other, "s2.plan", "擴大查緝")
    confirm_plan(a.db, HEAD, other, "secretary", "王主秘", utcnow())
    set_field(a.db, HEAD, other, "s6.what_happened", "走私加熱菸")
    set_field(a.db, HEAD, other, "s6.lessons", "加強風險布控")
    for stage in range(1, 7):
        complete_stage(a.db, HEAD, other, stage)
    sync_all(pcs, share)
    assert ("incidents", other, "title", "value") in conflicts(c)
    assert incident_view(c.db, other, utcnow(), 10).status == "archived"

    resolve_conflict(c.db, RULES, HEAD, "incidents", other, "title", "B 的標題")
    assert conflicts(c) == set(), conflicts(c)

    assert_in_sync(sync_all(pcs, share))
    assert_same_rows(pcs)
    for pc in pcs:
        seen = incident_view(pc.db, other, utcnow(), 10)
        assert seen.title == "B 的標題" and seen.status == "archived"
        assert conflicts(pc) == set()


def test_a_form_opened_before_another_pcs_change_does_not_write_old_values_over_it(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    """A opens an action to change its status while B, on another PC, rewrites its
    description; B's change arrives before A saves. A form saves every field, so A's save
    would put the old description back without any conflict: it is refused instead, and the
    entry keeps B's description."""
    a, b, _c = pcs
    incident = new_incident(a)
    action = save_action(a.db, HEAD, incident, None, description="封存可疑貨櫃",
                         group_key="handling", resources="", status="planned")
    sync_all(pcs, share)
    [shown] = incident_view(a.db, incident, utcnow(), 10).actions  # A's form opens
    save_action(b.db, HEAD, incident, action, description="封存並送驗可疑貨櫃",
                group_key="handling", resources="", status="planned")
    sync(b, share)
    sync(a, share)

    with pytest.raises(UserError):
        save_action(a.db, HEAD, incident, action, description=shown.description,
                    group_key=shown.group_key, resources=shown.resources, status="done",
                    seen_at=shown.updated_at)

    [now] = incident_view(a.db, incident, utcnow(), 10).actions
    assert (now.description, now.status) == ("封存並送驗可疑貨櫃", "planned")
    save_action(a.db, HEAD, incident, action, description=now.description,
                group_key=now.group_key, resources=now.resources, status="done",
                seen_at=now.updated_at)  # made again on what the list shows: saved
    sync_all(pcs, share)
    for pc in pcs:
        [final] = incident_view(pc.db, incident, utcnow(), 10).actions
        assert (final.description, final.status) == ("封存並送驗可疑貨櫃", "done")
