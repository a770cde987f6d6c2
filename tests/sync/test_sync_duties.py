"""Acts that belong to a post, and the separation of duties, as every receiving PC checks them
(docs/trust.md, issue 15): a PC running a modified app that skips the local checks writes the
act anyway; every other PC refuses it, names it, and applies the rest of the same file."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from i18n import _
from models.core.errors import UserError
from main import EXIT_OK
from models.drills.reports.actions import save_report, sign_off, submit_report
from models.drills.reports.entities import DrillReportEventRow
from models.drills.reports.queries import report_view
from models.incidents.actions import save_statement, statement_event
from models.incidents.queries import incident_view
from models.org.people import Actor, Role
from models.org.settings import login_name, pc_name
from models.storage.db import utcnow
from models.schema import RULES
from models.sync.audit import verify_history
from tests.sync.conftest import (
    HEAD,
    PC,
    found_office,
    new_incident,
    Office,
    refusal_reasons,
    sync,
    sync_all,
)
from tests.sync.test_audit import audit
from tests.sync.test_sync_basic import COMMANDER, SECRETARY, drawn_drill, report_draft

HERE = {"login": login_name(), "pc": pc_name()}
"""Every PC of these tests runs on this machine: the login and PC their grants name."""

LAWYER = Actor("吳法務", Role.UNIT_HEAD, "legal", posts=("legal",))


@pytest.fixture
def office(pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path) -> Office:
    """A, the executive secretary's PC, holds the authority."""
    return found_office(pcs[:1], share, tmp_path / "authority.pem", SECRETARY)


def _submitted_by_head(pcs: tuple[PC, PC, PC], share: Path) -> tuple[str, str]:
    """A drill drawn on A, its report submitted by the unit head on B, everywhere."""
    a, b, _c = pcs
    drill = drawn_drill(a)
    sync_all(pcs, share)
    head = replace(HEAD, **HERE)
    info = save_report(b.db, head, drill, report_draft())
    submit_report(b.db, head, info.id)
    sync_all(pcs, share)
    return drill, info.id


def _signed_by_commander(pcs: tuple[PC, PC, PC], share: Path,
                         office: Office) -> tuple[str, str]:
    """B enrolled for the unit head, C for the commander; the report B submitted, signed by
    the commander on C, everywhere."""
    _a, b, c = pcs
    office.enrol(b, HEAD)
    office.enrol(c, COMMANDER)
    drill, report = _submitted_by_head(pcs, share)
    sign_off(c.db, replace(COMMANDER, **HERE), report, as_role="commander",
             name=COMMANDER.name)
    sync_all(pcs, share)
    return drill, report


def _signed_by_both(pcs: tuple[PC, PC, PC], share: Path, office: Office) -> tuple[str, str]:
    """The same, signed by the executive secretary on A too."""
    drill, report = _signed_by_commander(pcs, share, office)
    sign_off(pcs[0].db, replace(SECRETARY, **HERE), report, as_role="secretary",
             name=SECRETARY.name)
    sync_all(pcs, share)
    return drill, report


def test_a_review_or_approval_in_ones_own_name_needs_the_post_on_every_pc(
        pcs: tuple[PC, PC, PC], share: Path, office: Office,
        capsys: pytest.CaptureFixture[str]) -> None:
    """B, a unit head, runs an app that lets them review and approve a statement in their own
    name: A refuses both. C holds the legal group's post: its review is applied. B recording
    the spokesperson's approval given by phone is applied, and names B as who recorded it."""
    a, b, c = pcs
    office.enrol(b, HEAD)
    office.enrol(c, LAWYER, posts=LAWYER.posts)
    incident = new_incident(b)
    statement = save_statement(b.db, HEAD, incident, None, kind="statement", title="新聞稿",
                               text="初稿")
    second = save_statement(b.db, HEAD, incident, None, kind="clarification", title="澄清稿",
                            text="初稿")
    sync_all(pcs, share)
    modified = replace(HEAD, posts=("legal", "commander"))  # what B's modified app believes
    statement_event(b.db, modified, statement, 1, "legal_review", name=HEAD.name,
                    event_at=utcnow())
    statement_event(b.db, modified, statement, 1, "approved", name=HEAD.name,
                    event_at=utcnow())
    new_incident(b, "同一檔案裡的合法案件")
    statement_event(c.db, LAWYER, second, 1, "legal_review", name=LAWYER.name,
                    event_at=utcnow())
    sync_all([b, c], share)
    statement_event(b.db, HEAD, second, 1, "approved", name=COMMANDER.name, event_at=utcnow())

    sync_all([b, c], share)
    report = sync(a, share)

    view = incident_view(a.db, incident, utcnow(), 10)
    forged, genuine = ({s.title: s for s in view.statements}[t] for t in ("新聞稿", "澄清稿"))
    assert forged.events_of(1) == {}
    events = genuine.events_of(1)
    assert (events["legal_review"].name, events["legal_review"].entered_by) == (
        LAWYER.name, LAWYER.name)
    assert (events["approved"].name, events["approved"].entered_by) == (
        COMMANDER.name, HEAD.name)
    assert "同一檔案裡的合法案件" in {i.title for i in _open(a)}
    assert refusal_reasons(a, "statement_events") == [
        "it records the act in the name of its author, whose posts do not give it"] * 2
    assert len(report.refused) == 2 and not report.in_sync
    # The audit lists them as the evidence they are kept as; they are no finding.
    verified = verify_history(a.db, RULES)
    assert verified.ok and len(verified.refused) == 2
    code, lines = audit(a, capsys)
    assert code == EXIT_OK and lines[-1] == verified.summary()
    assert sum(HEAD.name in line and _("it records the act in the name of its author, whose "
                                       "posts do not give it") in line for line in lines) == 2


def _open(pc: PC) -> list[object]:
    from models.incidents.queries import list_incidents

    return list(list_incidents(pc.db, "keelung", utcnow(), 10))


def _event_anyway(pc: PC, actor: Actor, report_id: str, kind: str, *, as_role: str = "",
                  at: datetime | None = None) -> None:
    """A modified app's event of version 1, written past the local checks at any time."""
    with pc.db.session() as session:
        session.add(DrillReportEventRow(
            report_id=report_id, version_number=1, kind=kind, as_role=as_role,
            name=actor.name if kind == "signed" else "", entered_at=at or utcnow(),
            entered_by=actor.name, role=actor.role.value, **HERE))


@pytest.mark.parametrize("breach", ["own submission", "both boxes", "another role's box"])
def test_who_submitted_signed_once_or_holds_another_role_cannot_sign_on_any_pc(
        pcs: tuple[PC, PC, PC], share: Path, office: Office, breach: str) -> None:
    """The person who submits a report cannot sign it off; one person cannot sign as both the
    commander and the executive secretary (even after the office re-enrols their PC for the
    other role); and a commander signs the commander's box only. C's modified app signs
    anyway: A keeps the report unsigned by it and names the refusal."""
    a, b, c = pcs
    commander = replace(COMMANDER, **HERE)
    office.enrol(b, HEAD)
    office.enrol(c, COMMANDER)
    drill = drawn_drill(a)
    sync_all(pcs, share)
    if breach == "own submission":
        info = save_report(c.db, commander, drill, report_draft())
        submit_report(c.db, commander, info.id)
    else:
        head = replace(HEAD, **HERE)
        info = save_report(b.db, head, drill, report_draft())
        submit_report(b.db, head, info.id)
    sync_all(pcs, share)
    if breach == "own submission":
        _event_anyway(c, commander, info.id, "signed", as_role="commander")
        reason = "its author submitted what it signs: another person signs it off"
    elif breach == "both boxes":
        sign_off(c.db, commander, info.id, as_role="commander", name=commander.name)
        sync_all(pcs, share)
        office.enrol(c, replace(COMMANDER, role=Role.SECRETARY))
        _event_anyway(c, replace(commander, role=Role.SECRETARY), info.id, "signed",
                      as_role="secretary")
        reason = ("its author signed the other box: the commander and the executive "
                  "secretary sign as two people")
    else:
        _event_anyway(c, commander, info.id, "signed", as_role="secretary")
        reason = "it signs the box of another role than the one its PC is enrolled for"

    sync(c, share)
    report = sync(a, share)

    signed = [e.as_role for e in report_view(a.db, drill).events if e.kind == "signed"]
    assert signed == (["commander"] if breach == "both boxes" else [])
    assert not report_view(a.db, drill).locked
    assert refusal_reasons(a, "drill_report_events") == [reason]
    assert len(report.refused) == 1


def test_the_commander_signs_what_another_submitted_on_every_pc(
        pcs: tuple[PC, PC, PC], share: Path, office: Office) -> None:
    """The checks refuse only the breach: a report a unit head submitted, signed by the
    commander and the executive secretary on their own PCs, is signed and locked on every PC,
    with nothing refused."""
    drill, _report = _signed_by_both(pcs, share, office)

    reports = sync_all(pcs, share)

    assert all(report_view(pc.db, drill).locked for pc in pcs)
    assert not any(r.refused for r in reports) and not any(refusal_reasons(pc, "drill_report_events")
                                                          for pc in pcs)

def test_both_boxes_signed_at_once_on_two_pcs_lock_the_report_everywhere(
        pcs: tuple[PC, PC, PC], share: Path, office: Office) -> None:
    """The commander and the executive secretary sign on their own PCs between two syncs:
    neither saw the other's signature, so neither locked the report. Once a signer's PC holds
    both, it locks it (what the sync window does after a run that brought drills), and every
    PC, the unit head's included, shows it signed and locked, with nothing refused."""
    from models.drills.reports.actions import settle_signatures

    a, b, c = pcs
    office.enrol(b, HEAD)
    office.enrol(c, COMMANDER)
    drill, report = _submitted_by_head(pcs, share)
    commander, secretary = replace(COMMANDER, **HERE), replace(SECRETARY, **HERE)
    sign_off(c.db, commander, report, as_role="commander", name=COMMANDER.name)
    sign_off(a.db, secretary, report, as_role="secretary", name=SECRETARY.name)
    reports = sync_all(pcs, share)
    assert not report_view(a.db, drill).locked  # both signatures, no lock yet

    assert settle_signatures(b.db, replace(HEAD, **HERE)) == 0  # a unit head's PC: nothing
    assert settle_signatures(c.db, commander) == 1
    assert settle_signatures(a.db, secretary) == 1  # both at once: the same lock
    reports += sync_all(pcs, share)

    for pc in pcs:
        view = report_view(pc.db, drill)
        assert view.locked and {s.as_role for s in view.signatures()} == {"commander",
                                                                        "secretary"}, pc.name
    assert not any(r.refused for r in reports) and all(r.in_sync for r in reports[-3:])


def test_a_second_box_dated_before_the_first_is_still_the_same_person_twice(
        pcs: tuple[PC, PC, PC], share: Path, office: Office) -> None:
    """The separation of duties asks which events exist, never their times: C signs the
    commander's box, is re-enrolled as the executive secretary and signs the other box dated
    before its first signature; A refuses it."""
    a, _b, c = pcs
    drill, report = _signed_by_commander(pcs, share, office)
    office.enrol(c, replace(COMMANDER, role=Role.SECRETARY))
    first = next(e for e in report_view(c.db, drill).events if e.kind == "signed")
    _event_anyway(c, replace(COMMANDER, role=Role.SECRETARY), report, "signed",
                  as_role="secretary", at=first.entered_at - timedelta(milliseconds=1))

    sync(c, share)
    sync(a, share)

    assert [s.as_role for s in report_view(a.db, drill).signatures()] == ["commander"]
    assert refusal_reasons(a, "drill_report_events") == [
        "its author signed the other box: the commander and the executive secretary sign "
        "as two people"]


def test_a_submission_is_made_again_only_after_a_return(
        pcs: tuple[PC, PC, PC], share: Path, office: Office) -> None:
    """A unit head's modified app submits a signed report again, dated ahead (it would void
    the signatures in every view): A refuses it, and the report keeps both signatures."""
    a, b, _c = pcs
    drill, report = _signed_by_both(pcs, share, office)
    _event_anyway(b, HEAD, report, "submitted", at=utcnow() + timedelta(hours=12))
    sync(b, share)
    sync(a, share)

    view = report_view(a.db, drill)
    assert view.locked and len(view.signatures()) == 2
    assert refusal_reasons(a, "drill_report_events") == [
        "it submits again what stands submitted (or signed)"]


def test_a_sign_off_of_what_no_event_submitted_is_refused(
        pcs: tuple[PC, PC, PC], share: Path, office: Office) -> None:
    """The commander's modified app marks his own report submitted without the event that
    names who submitted it, then signs it: A refuses the signature."""
    a, _b, c = pcs
    office.enrol(c, COMMANDER)
    drill = drawn_drill(a)
    sync_all(pcs, share)
    info = save_report(c.db, replace(COMMANDER, **HERE), drill, report_draft())
    _event_anyway(c, COMMANDER, info.id, "signed", as_role="commander")
    sync(c, share)
    sync(a, share)

    assert report_view(a.db, drill).signatures() == ()
    assert refusal_reasons(a, "drill_report_events") == ["it signs what was never submitted"]


def test_an_entry_dated_far_ahead_is_refused(
        pcs: tuple[PC, PC, PC], share: Path, office: Office) -> None:
    """A task ticked off, dated 2075 by a unit head's modified app, would stand as the task's
    latest state for ever on every PC: A refuses it; a ticked task of today applies."""
    from models.incidents.entities import TaskStateRow

    a, b, _c = pcs
    office.enrol(b, HEAD)
    incident = new_incident(b)
    with b.db.session() as session:
        for when, state in ((datetime(2075, 1, 1, tzinfo=UTC), "done"), (utcnow(), "done")):
            session.add(TaskStateRow(incident_id=incident, stage=1, task_key="judge",
                                     state=state, entered_at=when, entered_by=HEAD.name,
                                     role=HEAD.role.value))
    sync(b, share)
    sync(a, share)

    with a.db.session() as session:
        years = [t.year for t in session.scalars(select(TaskStateRow.entered_at))]
    assert 2075 not in years and len(years) == 1
    assert refusal_reasons(a, "task_states") == [
        "it is dated ahead of this PC's clock by more than a day"]


def test_a_unit_heads_pc_cannot_move_the_drawn_drill(
        pcs: tuple[PC, PC, PC], share: Path, office: Office) -> None:
    """The drawn unit is the executive secretary's draw, the scenario the planning group's: a
    unit head's modified app that points the drill at another unit and scenario is refused."""
    from models.drills.entities import DrillRow

    a, b, _c = pcs
    office.enrol(b, HEAD)
    drill = drawn_drill(a)
    sync_all([a, b], share)
    with a.db.session() as session:
        before = session.get(DrillRow, drill)
        assert before is not None
        drawn = (before.unit_key, before.scenario_key)
    with b.db.session() as session:
        row = session.get(DrillRow, drill)
        assert row is not None
        row.unit_key, row.scenario_key = "inspection", "任選的情境"
        row.touch(HEAD.name)

    sync(b, share)
    sync(a, share)

    with a.db.session() as session:
        after = session.get(DrillRow, drill)
        assert after is not None and (after.unit_key, after.scenario_key) == drawn
    assert refusal_reasons(a, "drills") == ["the role of the PC that wrote it may not do this"]


def test_one_person_is_not_enrolled_as_both_signers_on_two_pcs(
        pcs: tuple[PC, PC, PC], share: Path, office: Office) -> None:
    """Signing both boxes at once from two PCs would leave PCs that disagree on which
    signature stands: the approval is refused, naming the other PC."""
    _a, b, c = pcs
    office.enrol(b, COMMANDER)
    with pytest.raises(UserError) as refused:
        office.enrol(c, replace(COMMANDER, role=Role.SECRETARY))
    assert COMMANDER.name in refused.value.message()
