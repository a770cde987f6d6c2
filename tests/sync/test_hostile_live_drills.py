"""Live drills from a hostile enrolled PC (a tampered app writing its own database, whose
capture signs the rows): a real incident made a drill's (to hide it from every count) or a
drill incident made real, a drill incident opened by a unit head, injects released or written
by someone the office did not make a planner, deliveries in another's name, events of unknown
kinds and damaged inject texts. Each is refused with a reason and nothing of it applied, or
shown without failing any screen."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from models.incidents.entities import IncidentRow
from models.live_drills.actions import record_deliveries, release_inject
from models.live_drills.entities import DrillInjectEventRow, DrillInjectRow
from models.live_drills.queries import arrivals, drill_run
from models.storage.db import utcnow
from tests.sync.conftest import (
    HEAD,
    PC,
    SECRETARY,
    found_office,
    new_incident,
    Office,
    refusal_reasons,
    running_drill,
    sync_all,
)


def _office(pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path) -> Office:
    """A, the authority's PC, is the executive secretary's (who draws and plans drills); B is
    a unit head's."""
    a, b, _c = pcs
    office = found_office([a], share, tmp_path / "authority.pem", actor=SECRETARY)
    office.enrol(b, HEAD)
    return office


def _drill_of(pc: PC, incident_id: str) -> str | None:
    with pc.db.session() as session:
        return session.scalar(select(IncidentRow.drill_id).where(IncidentRow.id == incident_id))


def test_a_real_incident_made_a_drills_is_refused(pcs: tuple[PC, PC, PC], share: Path,
                                                  tmp_path: Path) -> None:
    """B hides its real incident from the statistics by naming a drill on it."""
    a, b, _c = pcs
    _office(pcs, share, tmp_path)
    drill_id, _incident = running_drill(a)
    incident = new_incident(b)
    sync_all([a, b], share)
    with b.db.session() as session:
        row = session.get(IncidentRow, incident)
        assert row is not None
        row.drill_id = drill_id
        row.touch(HEAD.name)
    sync_all([a, b], share)

    assert _drill_of(a, incident) is None
    assert refusal_reasons(a, "incidents")


def test_a_drill_incident_made_real_is_refused(pcs: tuple[PC, PC, PC], share: Path,
                                               tmp_path: Path) -> None:
    """B puts the drill into the statistics by taking its drill away."""
    a, b, _c = pcs
    _office(pcs, share, tmp_path)
    drill_id, incident = running_drill(a)
    sync_all([a, b], share)
    with b.db.session() as session:
        row = session.get(IncidentRow, incident)
        assert row is not None
        row.drill_id = None
        row.touch(HEAD.name)
    sync_all([a, b], share)

    assert _drill_of(a, incident) == drill_id
    assert refusal_reasons(a, "incidents")


def test_a_drill_incident_opened_by_a_unit_head_is_refused(pcs: tuple[PC, PC, PC], share: Path,
                                                           tmp_path: Path) -> None:
    a, b, _c = pcs
    _office(pcs, share, tmp_path)
    drill_id, _incident = running_drill(a)
    sync_all([a, b], share)
    with b.db.session() as session:
        row = IncidentRow(office_code="keelung", title="假演練", started_at=utcnow(),
                          source="internal", category_key="clearance", level_key="low",
                          drill_id=drill_id, updated_by=HEAD.name)
        session.add(row)
        session.flush()
        incident = row.id
    sync_all([a, b], share)

    with a.db.session() as session:
        assert session.get(IncidentRow, incident) is None
    assert refusal_reasons(a, "incidents")


def test_injects_and_releases_are_the_planners_and_deliveries_their_recorders(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path) -> None:
    """B, a unit head's PC, releases an inject, writes one of its own, records a delivery in
    another person's name and an event of a kind no version knows: all refused. Its own
    delivery stands."""
    a, b, _c = pcs
    _office(pcs, share, tmp_path)
    drill_id, _incident = running_drill(a)
    first, second, *_ = drill_run(a.db, drill_id).injects
    release_inject(a.db, SECRETARY, first.id)
    sync_all([a, b], share)
    now = utcnow()
    with b.db.session() as session:
        session.add(DrillInjectRow(drill_id=drill_id, number=99, offset_minutes=0,
                                   content="{}", origin="scenario", created_at=now,
                                   created_by=HEAD.name, role=HEAD.role.value))
        for kind, who in (("released", HEAD.name), ("delivered", "王主秘"), ("erased", HEAD.name)):
            session.add(DrillInjectEventRow(inject_id=second.id, drill_id=drill_id, kind=kind,
                                            at=now, entered_by=who, role=HEAD.role.value,
                                            unit_key=HEAD.unit))
    assert record_deliveries(b.db, HEAD, [first.id]) == 1
    sync_all([a, b], share)

    run = drill_run(a.db, drill_id)
    assert [i.number for i in run.injects if i.number == 99] == []
    assert run.injects[1].released_at is None and run.injects[1].events == ()
    assert run.injects[0].delivered_at(HEAD.unit) is not None
    assert len(refusal_reasons(a, "drill_injects")) == 1
    assert len(refusal_reasons(a, "drill_inject_events")) == 3


def test_a_damaged_inject_shows_and_arrives_without_failing(pcs: tuple[PC, PC, PC], share: Path,
                                                            tmp_path: Path) -> None:
    """A planner's tampered app writes injects whose texts are no texts: the control view's
    run and the unit's arrivals still read (the texts empty), and the release still goes."""
    a, b, _c = pcs
    _office(pcs, share, tmp_path)
    drill_id, _incident = running_drill(a)
    with a.db.session() as session:
        for number, content in enumerate(('not json', '[1]', '{"message": 5, "sender": [1]}',
                                          '{"message": {"zh_TW": 3, "en": "x"}}'), start=50):
            session.add(DrillInjectRow(drill_id=drill_id, number=number, offset_minutes=1,
                                       content=content, origin="added",
                                       created_at=utcnow() - timedelta(minutes=1),
                                       created_by=SECRETARY.name,
                                       role=SECRETARY.role.value))
    for inject in drill_run(a.db, drill_id).injects:
        if inject.number >= 50:
            release_inject(a.db, SECRETARY, inject.id)
    sync_all([a, b], share)

    unit = drill_run(b.db, drill_id).drill.unit_key
    messages = {x.inject.number: x.inject.message
                for x in arrivals(b.db, "keelung", unit, HEAD.name)}
    assert messages == {50: "", 51: "", 52: "", 53: "x"}
