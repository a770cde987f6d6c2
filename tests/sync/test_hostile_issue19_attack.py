"""Issue 19's live drills attacked from a hostile enrolled PC (a tampered app writing its own
database, whose capture signs the rows): a drill ended, restarted or moved by someone the
office did not make a planner, a drill's day or an inject's schedule far beyond what dates
hold, injects numbered at SQLite's limit. Each is refused with a reason, or read by every PC
without failing a screen."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from models.drills.deadlines import after_action
from models.drills.entities import DrillRow
from models.drills.kinds import taipei_today
from models.drills.queries import drill_schedule
from models.drills.reports.entities import (
    DrillCorrectiveActionRow,
    DrillEvaluationRow,
    DrillReportRow,
)
from models.drills.scenario_entities import OfficeScenarioRow
from models.core.ids import stable_id
from models.incidents.case_import import load_demo
from models.incidents.entities import IncidentRow, NotificationRow, TimelineRow
from models.live_drills.actions import InjectDraft, add_inject, end_drill, release_due
from models.live_drills.entities import DrillInjectRow
from models.live_drills.kinds import content_json
from models.live_drills.queries import drill_run
from models.storage.db import utcnow
from models.sync.entities import REFUSED
from tests.sync.conftest import (
    HEAD,
    PC,
    SECRETARY,
    assert_same_rows,
    found_office,
    new_incident,
    Office,
    refusal_reasons,
    running_drill,
    sync_all,
)

FAR = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)


def _refused(pc: PC) -> list[tuple[str, str]]:
    with pc.db.session() as session:
        return [(t, r) for t, r in session.execute(select(REFUSED.c.tbl, REFUSED.c.reason))]


def _office(pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path) -> Office:
    """A: the executive secretary's (the authority's PC); B: a unit head's; C: the
    secretary's too (a second planner's PC, the tampered one where a planner attacks)."""
    a, b, c = pcs
    office = found_office([a], share, tmp_path / "authority.pem", actor=SECRETARY)
    office.enrol(b, HEAD)
    office.enrol(c, SECRETARY)
    return office


def _set(pc: PC, drill_id: str, **values: object) -> None:
    with pc.db.session() as session:
        row = session.get(DrillRow, drill_id)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)
        row.touch("x")


def test_a_unit_head_cannot_end_a_drill_for_the_planners(pcs: tuple[PC, PC, PC], share: Path,
                                                         tmp_path: Path) -> None:
    """B, the drilled unit's head, ends the drill on the planners' behalf (its clock stops,
    no inject is released any more, the arrivals stop): refused; the drill runs on A."""
    a, b, _c = pcs
    _office(pcs, share, tmp_path)
    drill_id, _incident = running_drill(a)
    sync_all([a, b], share)
    _set(b, drill_id, ended_at=utcnow(), status="held")
    sync_all([a, b], share)

    assert drill_run(a.db, drill_id).running
    assert refusal_reasons(a, "drills")


def test_a_unit_head_cannot_restart_or_move_a_drill(pcs: tuple[PC, PC, PC], share: Path,
                                                    tmp_path: Path) -> None:
    """B takes the end off an ended drill (it runs again on every PC, its arrivals with it)
    and moves the start of another's clock an hour on (every inject due an hour later, the
    measured times from the start an hour shorter): both refused."""
    a, b, _c = pcs
    _office(pcs, share, tmp_path)
    drill_id, _incident = running_drill(a)
    started = drill_run(a.db, drill_id).started_at
    end_drill(a.db, SECRETARY, drill_id)
    sync_all([a, b], share)
    _set(b, drill_id, ended_at=None, started_at=utcnow() + timedelta(hours=1))
    sync_all([a, b], share)

    run = drill_run(a.db, drill_id)
    assert run.ended_at is not None and run.started_at == started
    assert refusal_reasons(a, "drills")


def test_a_drill_held_in_year_9999_does_not_stop_the_deadlines(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path) -> None:
    """B dates the drill's holding at the end of year 9999: the evaluation's deadline (its
    day plus the office's days) lies beyond what a date holds: refused (a drill is held by
    now), and the deadlines still read on A."""
    a, b, _c = pcs
    _office(pcs, share, tmp_path)
    drill_id, _incident = running_drill(a)
    end_drill(a.db, SECRETARY, drill_id)
    sync_all([a, b], share)
    _set(b, drill_id, held_at=FAR)
    sync_all([a, b], share)

    after_action(a.db, "keelung")  # no OverflowError
    assert refusal_reasons(a, "drills")


def test_an_inject_scheduled_beyond_dates_does_not_stop_the_control_view(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path) -> None:
    """C, a planner's tampered PC, writes injects due 2**62 minutes after the start and one
    numbered at SQLite's limit: refused; the schedule still releases on A and the planners
    still add injects."""
    a, _b, c = pcs
    _office(pcs, share, tmp_path)
    drill_id, _incident = running_drill(a)
    sync_all([a, c], share)
    now = utcnow()
    with c.db.session() as session:
        for number, offset in ((90, 2 ** 62), (91, -5), (2 ** 63 - 1, 1)):
            session.add(DrillInjectRow(drill_id=drill_id, number=number, offset_minutes=offset,
                                       content="{}", origin="added", created_at=now,
                                       created_by=SECRETARY.name, role=SECRETARY.role.value))
    sync_all([a, c], share)

    release_due(a.db, SECRETARY, drill_id, utcnow() + timedelta(days=400))  # no OverflowError
    add_inject(a.db, SECRETARY, drill_id, InjectDraft(5, "記者", "單位", "再來一則"))
    assert len(refusal_reasons(a, "drill_injects")) == 3


def test_a_case_imported_over_several_segments_arrives_whole(
        office_pcs: tuple[PC, PC, PC], share: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An honest import: the cases are stored archived, each incident flushed before its
    records. Its changes fill several segments (a file of some fifteen cases does at 1,000
    changes a segment; here 40): the records after the first segment named the lock their
    own transaction wrote, and every receiver under the office's authority refused them as
    added to a case their PC knew archived. They arrive, on every PC alike."""
    import models.sync.run as run

    monkeypatch.setattr(run, "SEGMENT_CHANGES", 40)
    a, b, _c = office_pcs
    assert load_demo(a.db, HEAD, "keelung").added > 0
    sync_all(office_pcs, share)

    assert _refused(b) == []
    rows = assert_same_rows(office_pcs)
    assert rows["notifications"] and rows["task_states"] and rows["corrective_actions"]


def test_an_incident_deleted_by_a_unit_head_is_refused(pcs: tuple[PC, PC, PC], share: Path,
                                                      tmp_path: Path) -> None:
    """B deletes the drill incident it is measured on (the drill loses it on every PC: no
    release reaches it, no figure is measured) and a real incident (out of every list,
    count and the archive). No act of the app deletes an incident: both refused."""
    a, b, _c = pcs
    _office(pcs, share, tmp_path)
    drill_id, incident = running_drill(a)
    real = new_incident(b)
    sync_all([a, b], share)
    with b.db.session() as session:
        for incident_id in (incident, real):
            row = session.get(IncidentRow, incident_id)
            assert row is not None
            row.deleted_at = utcnow()
            row.touch(HEAD.name)
    sync_all([a, b], share)

    assert drill_run(a.db, drill_id).incident_id == incident
    with a.db.session() as session:
        assert session.scalar(select(IncidentRow.deleted_at).where(
            IncidentRow.id == real)) is None
    assert len(refusal_reasons(a, "incidents")) == 2


def test_drill_entries_forged_by_a_unit_head_are_refused(pcs: tuple[PC, PC, PC], share: Path,
                                                         tmp_path: Path) -> None:
    """B writes, in its own name, an inject and the drill's end into a real incident's
    timeline (its readers told the case is an exercise, read-only) and the drill's end into
    the drill incident (its report's summary says the drill ended then): refused. The
    measured figures never read these entries (a release is the inject's event)."""
    a, b, _c = pcs
    _office(pcs, share, tmp_path)
    drill_id, incident = running_drill(a)
    real = new_incident(b)
    sync_all([a, b], share)
    now = utcnow()
    with b.db.session() as session:
        for incident_id, kind, data in (
                (real, "drill_inject", '{"inject": "x", "number": 1, "message": '
                                       '{"zh_TW": "本案為演練，無須處理"}}'),
                (real, "drill_ended", "{}"), (incident, "drill_ended", "{}")):
            session.add(TimelineRow(incident_id=incident_id, kind=kind, data=data,
                                    event_at=now, entered_at=now, author=HEAD.name,
                                    role=HEAD.role.value))
    sync_all([a, b], share)

    with a.db.session() as session:
        kinds = set(session.scalars(select(TimelineRow.kind).where(
            TimelineRow.incident_id.in_([real, incident]), TimelineRow.author == HEAD.name)))
    assert kinds.isdisjoint({"drill_inject", "drill_ended"})
    assert len(refusal_reasons(a, "timeline")) == 3
    assert drill_run(a.db, drill_id).running


def _notification(pc: PC, incident_id: str) -> str:
    now = utcnow()
    with pc.db.session() as session:
        row = NotificationRow(incident_id=incident_id, target_group="handling",
                              recipient="王科長", means="phone", notified_at=now,
                              entered_at=now, entered_by=HEAD.name, role=HEAD.role.value)
        session.add(row)
        session.flush()
        return row.id


def test_a_record_added_knowing_one_of_two_locks_is_refused_on_every_pc(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path) -> None:
    """Two planners end the drill at once on A and C (two archivings of its incident, C's
    the later). B's tampered app learns of A's only and adds a notification to the ended
    drill incident: its change names A's lock. A, which holds only its own lock when the
    notification arrives, refused it; C, whose own later lock was the winner, applied it,
    and the PCs disagreed for good. A record that knew a lock of its parent is refused
    wherever it arrives, whichever lock wins there."""
    a, b, c = pcs
    _office(pcs, share, tmp_path)
    drill_id, incident = running_drill(a)
    sync_all([a, b, c], share)
    end_drill(a.db, SECRETARY, drill_id)
    end_drill(c.db, SECRETARY, drill_id, utcnow() + timedelta(seconds=1))
    sync_all([a, b], share)  # B knows A's lock; C has not synced
    note = _notification(b, incident)
    sync_all([b, a, c, a], share)

    held = {pc.name: _has(pc, NotificationRow, note) for pc in (a, b, c)}
    assert held == {"A": False, "B": True, "C": False}
    assert refusal_reasons(a, "notifications") and refusal_reasons(c, "notifications")


def test_a_record_added_offline_before_the_lock_stands_on_every_pc(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path) -> None:
    """The honest case the rule must keep: B, offline, notifies before it learns that the
    drill ended (its change names no lock). Every PC applies it, whether the end reached
    it first or not."""
    a, b, c = pcs
    _office(pcs, share, tmp_path)
    drill_id, incident = running_drill(a)
    sync_all([a, b, c], share)
    note = _notification(b, incident)
    end_drill(a.db, SECRETARY, drill_id)
    sync_all([a, c], share)  # C has the lock before B's notification arrives
    sync_all([b, a, c], share)

    assert {pc.name: _has(pc, NotificationRow, note) for pc in (a, b, c)} == {
        "A": True, "B": True, "C": True}
    assert not refusal_reasons(a, "notifications") and not refusal_reasons(c, "notifications")


def _has(pc: PC, table: type, row_id: str) -> bool:
    with pc.db.session() as session:
        return session.get(table, row_id) is not None


def test_a_drill_drawn_for_december_9999_is_refused(pcs: tuple[PC, PC, PC], share: Path,
                                                    tmp_path: Path) -> None:
    """C, the executive secretary's tampered PC, moves the held drill to December 9999 (a
    month no draw names): the schedule's half-year rule and the evaluation's deadline lie
    beyond what a date holds. Refused; the schedule and the deadlines read on A."""
    a, _b, c = pcs
    _office(pcs, share, tmp_path)
    drill_id, _incident = running_drill(a)
    end_drill(a.db, SECRETARY, drill_id)
    sync_all([a, c], share)
    _set(c, drill_id, month=date(9999, 12, 1), held_at=None)
    sync_all([a, c], share)

    drill_schedule(a.db, "keelung", taipei_today())  # no ValueError
    after_action(a.db, "keelung")  # no OverflowError
    assert refusal_reasons(a, "drills")


def test_a_unit_head_cannot_mark_its_drill_evaluated(pcs: tuple[PC, PC, PC], share: Path,
                                                     tmp_path: Path) -> None:
    """B marks the ended drill evaluated (or reported): the after-action list then counts
    its evaluation as signed, never overdue, and the report can no longer be reopened. Only
    the signers' acts write these (the second signature, settle_signatures): refused."""
    a, b, _c = pcs
    _office(pcs, share, tmp_path)
    drill_id, _incident = running_drill(a)
    end_drill(a.db, SECRETARY, drill_id)
    sync_all([a, b], share)
    for status in ("evaluated", "reported"):
        _set(b, drill_id, status=status)
        sync_all([a, b], share)

    assert drill_run(a.db, drill_id).drill.status == "held"
    (deadline,) = after_action(a.db, "keelung").evaluations
    assert not deadline.done
    assert len(refusal_reasons(a, "drills")) == 2


def test_a_unit_head_cannot_write_its_drills_evaluation(pcs: tuple[PC, PC, PC], share: Path,
                                                        tmp_path: Path) -> None:
    """B, the drilled unit's head, writes the evaluation of its own drill: all stages rated
    excellent, submitted (done on the after-action list). The evaluation is the planning
    group's and its signers': refused."""
    a, b, _c = pcs
    _office(pcs, share, tmp_path)
    drill_id, _incident = running_drill(a)
    end_drill(a.db, SECRETARY, drill_id)
    sync_all([a, b], share)
    with b.db.session() as session:
        report = DrillReportRow(id=stable_id("drill_report", drill_id), drill_id=drill_id,
                                status="draft", version=1)
        session.add(report)
        session.flush()
        session.add(DrillEvaluationRow(drill_id=drill_id, report_id=report.id,
                                       report_version=1, status="submitted",
                                       ratings='{"1": 4, "2": 4, "3": 4, "4": 4}'))
    sync_all([a, b], share)

    with a.db.session() as session:
        assert session.scalars(select(DrillEvaluationRow)).all() == []
    (deadline,) = after_action(a.db, "keelung").evaluations
    assert not deadline.done
    assert refusal_reasons(a, "drill_evaluations")


def test_a_unit_head_cannot_close_its_corrective_actions(pcs: tuple[PC, PC, PC], share: Path,
                                                         tmp_path: Path) -> None:
    """The planning group's evaluation gives the unit two corrective actions; B, the unit's
    head, marks one done and deletes the other: both left the after-action follow-ups on
    every PC. Only the planning group moves them (set_corrective_status): refused."""
    a, b, _c = pcs
    _office(pcs, share, tmp_path)
    drill_id, _incident = running_drill(a)
    end_drill(a.db, SECRETARY, drill_id)
    with a.db.session() as session:
        report = DrillReportRow(id=stable_id("drill_report", drill_id), drill_id=drill_id,
                                status="draft", version=1)
        session.add(report)
        session.flush()
        evaluation = DrillEvaluationRow(drill_id=drill_id, report_id=report.id,
                                        report_version=1)
        session.add(evaluation)
        session.flush()
        actions = [DrillCorrectiveActionRow(evaluation_id=evaluation.id, description=text,
                                            owner="稽查組", sort_order=n)
                   for n, text in enumerate(("補訂通報流程", "加強媒體應對"))]
        session.add_all(actions)
        session.flush()
        ids = [x.id for x in actions]
    sync_all([a, b], share)
    with b.db.session() as session:
        done, gone = (session.get(DrillCorrectiveActionRow, i) for i in ids)
        assert done is not None and gone is not None
        done.status = "done"
        done.touch(HEAD.name)
        gone.deleted_at = utcnow()
        gone.touch(HEAD.name)
    sync_all([a, b], share)

    assert len(after_action(a.db, "keelung").follow_ups) == 2
    assert len(refusal_reasons(a, "drill_corrective_actions")) == 2


@pytest.mark.xfail(strict=True, reason=(
    "a file whose deps leave out the lock it names is applied wherever the lock has not "
    "arrived (as any file's order rests on its writer's deps); refusing or holding it needs "
    "the receiver to know that an unknown version it names is a lock, which it cannot"))
def test_a_record_naming_a_lock_its_deps_leave_out_is_refused_on_every_pc(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """B's tampered app adds a notification to the ended drill incident, naming the lock,
    but writes its file with no deps; a writer of the share hides A's file of the end from C
    while C syncs. C applies the notification (no lock there yet), A refuses it: the PCs
    disagree for good."""
    import models.sync.run as run

    a, b, c = pcs
    _office(pcs, share, tmp_path)
    drill_id, incident = running_drill(a)
    sync_all([a, b, c], share)
    end_drill(a.db, SECRETARY, drill_id)
    sync_all([a, b], share)
    note = _notification(b, incident)
    with monkeypatch.context() as tampered:
        tampered.setattr(run, "_cursors", lambda _connection: {})
        sync_all([b], share)
    log = share / "devices" / a.device / "log"
    last = max(log.glob("*.seg"))
    hidden = tmp_path / last.name
    last.rename(hidden)
    sync_all([c], share)
    hidden.rename(last)
    sync_all([a, c, a], share)

    assert {pc.name: _has(pc, NotificationRow, note) for pc in (a, c)} == {
        "A": False, "C": False}


def test_a_unit_head_cannot_delete_its_drill(pcs: tuple[PC, PC, PC], share: Path,
                                             tmp_path: Path) -> None:
    """B deletes the drill it was measured on: it left the schedule, the coverage and the
    after-action deadlines on every PC (its drill incident kept, hidden as a drill's). No
    act deletes a drill: refused."""
    a, b, _c = pcs
    _office(pcs, share, tmp_path)
    drill_id, _incident = running_drill(a)
    end_drill(a.db, SECRETARY, drill_id)
    sync_all([a, b], share)
    _set(b, drill_id, deleted_at=utcnow())
    sync_all([a, b], share)

    assert [e.drill_id for e in after_action(a.db, "keelung").evaluations] == [drill_id]
    assert refusal_reasons(a, "drills")


def test_a_unit_head_cannot_write_the_offices_scenarios(pcs: tuple[PC, PC, PC], share: Path,
                                                        tmp_path: Path) -> None:
    """B writes a scenario into the office's library (a live drill copies its injects from
    the chosen scenario when it starts: the unit would write the injects it is tested with).
    The library is the planning group's: refused."""
    a, b, _c = pcs
    _office(pcs, share, tmp_path)
    sync_all([a, b], share)
    with b.db.session() as session:
        session.add(OfficeScenarioRow(id=stable_id("office_scenario", "keelung", "easy"),
                                      office_code="keelung", key="easy",
                                      category_key="clearance", content="{}",
                                      updated_by=HEAD.name))
    sync_all([a, b], share)

    with a.db.session() as session:
        assert session.scalars(select(OfficeScenarioRow)).all() == []
    assert refusal_reasons(a, "office_scenarios")


def test_an_inject_longer_than_a_scenarios_is_refused(pcs: tuple[PC, PC, PC], share: Path,
                                                      tmp_path: Path) -> None:
    """C, a planner's tampered PC, writes injects whose message holds 50,000 characters (a
    scenario's holds 20,000) or whose sender 3,000: released into the drill incident's
    timeline, texts of that size kept the printing of its case file busy past the test time-out
    (120 s) on every PC. Refused;
    an inject of the longest texts a scenario gives arrives."""
    a, _b, c = pcs
    _office(pcs, share, tmp_path)
    drill_id, _incident = running_drill(a)
    sync_all([a, c], share)
    now = utcnow()
    longest = content_json({"zh_TW": "記" * 200}, {"zh_TW": "單" * 200},
                           {"zh_TW": "長" * 20_000, "en": "x" * 20_000})
    with c.db.session() as session:
        for number, content in (
                (70, content_json({"zh_TW": "記者"}, {"zh_TW": "單位"}, {"zh_TW": "長" * 50_000})),
                (71, content_json({"zh_TW": "記" * 3000}, {"zh_TW": "單位"}, {"zh_TW": "x"})),
                (72, longest)):
            session.add(DrillInjectRow(drill_id=drill_id, number=number, offset_minutes=1,
                                       content=content, origin="added", created_at=now,
                                       created_by=SECRETARY.name, role=SECRETARY.role.value))
    sync_all([a, c], share)

    assert [i.number for i in drill_run(a.db, drill_id).injects if i.number >= 70] == [72]
    assert len(refusal_reasons(a, "drill_injects")) == 2
