"""An ended drill incident that reaches another PC through the shared folder stays out of that
PC's case archive: the merge that brings it archived (models.incidents.sync_policy
_index_archived) never indexes it for the case search, while a real case archived on the same
PC is indexed as before."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from models.incidents.actions import set_field
from models.incidents.case_search import CaseQuery, search_cases
from models.incidents.queries import incident_view, list_incidents
from models.live_drills.actions import end_drill, start_drill
from models.storage.db import utcnow
from tests.sync.conftest import HEAD, PC, PLANNER, new_incident, sync_all
from tests.unit.drills.test_drill_reports import drawn_drill
from tests.unit.incidents.test_incidents import _run_to_archive


def _indexed(pc: PC, incident: str) -> int:
    with pc.db.session() as session:
        return int(session.execute(text(
            "SELECT count(*) FROM case_fts WHERE incident_id = :id"), {"id": incident}).scalar()
            or 0)


def test_an_ended_drill_brought_by_the_sync_is_not_in_the_archive(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    a, b, _c = pcs
    drill_id = drawn_drill(a.db)
    drill = start_drill(a.db, PLANNER, drill_id)
    set_field(a.db, HEAD, drill, "s6.what_happened", "演練中的走私加熱菸")
    sync_all(pcs, share)
    assert [s.is_drill for s in list_incidents(b.db, "keelung", utcnow(), 10)] == [True]
    end_drill(a.db, PLANNER, drill_id)
    real = new_incident(a)
    _run_to_archive(a.db, real)
    sync_all(pcs, share)

    for pc in pcs:
        assert incident_view(pc.db, drill, utcnow(), 10).status == "archived"
        assert [c.id for c in search_cases(pc.db, "keelung", CaseQuery())] == [real]
        assert [c.id for c in search_cases(pc.db, "keelung", CaseQuery(text="走私加熱菸"))] \
            == [real]
        assert _indexed(pc, drill) == 0 and _indexed(pc, real) == 1
