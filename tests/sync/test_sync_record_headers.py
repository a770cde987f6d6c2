"""A record's 公文 header between PCs (models.playbook.records): set by who may on one PC, it
reaches the others; written by a PC whose person may not set it (a tampered app writing its
own database), or classified without its declassification condition, it is refused by every
receiver and the header stays as it was."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from models.drills.actions import draw_unit
from models.drills.entities import DrillRow
from models.drills.kinds import taipei_today
from models.drills.queries import month_drill
from models.drills.record_header import drill_header, set_drill_header
from models.incidents.entities import IncidentRow
from models.incidents.record_header import incident_header, set_incident_header
from models.org.people import Actor, Role
from models.playbook.records import RecordHeader
from models.sync.entities import REFUSED
from tests.sync.conftest import (
    HEAD,
    PC,
    PLANNER,
    assert_same_rows,
    found_office,
    new_incident,
    sync_all,
)

SECRETARY = Actor("王主秘", Role.SECRETARY, "secretariat")
WRONG_ROLE = "the role of the PC that wrote it may not do this"
INVALID = "its document header is not one the app accepts"
SECRET = RecordHeader(file_number="115/0105.02/1/7", retention="permanent", speed="urgent",
                      classification="restricted", declassify="本案結案後解密")


def _office(a: PC, b: PC, share: Path, tmp_path: Path) -> None:
    """A: the executive secretary's PC (the authority's); B: a unit head's."""
    office = found_office([a], share, tmp_path / "authority.pem", actor=SECRETARY)
    office.enrol(b, HEAD)


def _reasons(pc: PC, table: str) -> list[str]:
    with pc.db.session() as session:
        return list(session.scalars(select(REFUSED.c.reason).where(REFUSED.c.tbl == table)))


def _write(pc: PC, cls: type[IncidentRow] | type[DrillRow], row_id: str,
           header: RecordHeader) -> None:
    """What a tampered app does: the columns written straight, signed by its capture."""
    with pc.db.session() as session:
        row = session.get(cls, row_id)
        assert row is not None
        for column, value in header.values().items():
            setattr(row, column, value)
        row.touch("x")


def test_an_incident_header_set_by_the_secretary_reaches_the_unit_head(
        make_pc: type[PC], share: Path, tmp_path: Path) -> None:
    a, b = make_pc("A"), make_pc("B")
    _office(a, b, share, tmp_path)
    incident = new_incident(a, actor=SECRETARY)
    set_incident_header(a.db, SECRETARY, incident, SECRET)
    sync_all([a, b], share)

    assert incident_header(b.db, incident) == SECRET
    assert _reasons(b, "incidents") == []
    assert_same_rows([a, b])


def test_a_unit_head_cannot_classify_an_incident(make_pc: type[PC], share: Path,
                                                tmp_path: Path) -> None:
    a, b = make_pc("A"), make_pc("B")
    _office(a, b, share, tmp_path)
    incident = new_incident(a, actor=SECRETARY)
    sync_all([a, b], share)
    _write(b, IncidentRow, incident, SECRET)
    sync_all([a, b], share)

    assert incident_header(a.db, incident) == RecordHeader()
    assert _reasons(a, "incidents") == [WRONG_ROLE]


def test_a_classification_without_its_condition_is_refused(make_pc: type[PC], share: Path,
                                                           tmp_path: Path) -> None:
    """Even from the secretary's own PC: a 密 record without 解密條件 is no header the app
    writes (文書處理手冊), so a tampered app's is refused."""
    a, b = make_pc("A"), make_pc("B")
    found_office([a, b], share, tmp_path / "authority.pem", actor=SECRETARY)
    incident = new_incident(a, actor=SECRETARY)
    sync_all([a, b], share)
    _write(b, IncidentRow, incident, RecordHeader(classification="secret"))
    sync_all([a, b], share)

    assert incident_header(a.db, incident) == RecordHeader()
    assert _reasons(a, "incidents") == [INVALID]


def test_a_drill_header_is_the_planning_groups(make_pc: type[PC], share: Path,
                                               tmp_path: Path) -> None:
    """The planner's header reaches the unit head's PC; the unit head's own is refused."""
    a, b = make_pc("A"), make_pc("B")
    _office(a, b, share, tmp_path)
    draw = draw_unit(a.db, SECRETARY, "keelung", taipei_today(), seed=7)
    with a.db.session() as session:
        drill = month_drill(session, "keelung", draw.month)
        assert drill is not None
        drill_id = drill.id
    set_drill_header(a.db, PLANNER, drill_id, SECRET)
    sync_all([a, b], share)
    assert drill_header(b.db, drill_id) == SECRET

    _write(b, DrillRow, drill_id, RecordHeader(speed="most_urgent"))
    sync_all([a, b], share)
    assert drill_header(a.db, drill_id) == SECRET
    assert _reasons(a, "drills") == [WRONG_ROLE]
