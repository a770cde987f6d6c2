"""A drill incident (演練) is kept out of everything real: the statistics and the annual
review, the home screen's alarms, the case archive and its search, the category history, the
case export and scenarios made from cases, and the numbering of real incidents; it is numbered
among drill incidents, and listed, marked, in the open incident list for the drilled unit."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from models.case_scenarios import scenario_from_case
from models.core.errors import UserError
from models.incidents.actions import (
    open_incident,
    record_notification,
    save_corrective_action,
    set_field,
)
from models.incidents.case_search import CaseQuery, search_cases
from models.incidents.print import export_case_files
from models.incidents.queries import (
    category_history,
    incident_view,
    list_incidents,
    overdue_notifications,
)
from models.live_drills.actions import end_drill, start_drill
from models.review.actions import followed_actions
from models.review.dashboard import what_needs_me
from models.review.figures import annual_figures, review_years
from models.drills.kinds import taipei_today
from models.storage.db import Database, utcnow
from tests.unit.drills.test_drill_reports import PLANNER, drawn_drill
from tests.unit.incidents.test_incidents import HEAD, _run_to_archive, draft

ROC_YEAR = (utcnow() + timedelta(hours=8)).year - 1911


def drill_incident(db: Database, *, ended: bool = False) -> str:
    """A started drill's incident worked by the unit: a note everybody could search for, a
    corrective action and a notification an hour old nobody acknowledged; *ended*: the
    planning group ended the drill (its incident then stands archived)."""
    drill_id = drawn_drill(db)
    incident_id = start_drill(db, PLANNER, drill_id, utcnow() - timedelta(hours=2))
    set_field(db, HEAD, incident_id, "s6.what_happened", "演練中的冷凍貨櫃走私")
    save_corrective_action(db, HEAD, incident_id, None, description="演練的改善事項",
                           owner="稽查組", due=taipei_today() - timedelta(days=3),
                           status="open")
    record_notification(db, HEAD, incident_id, target_group="commander", member_id="",
                        recipient="張副關務長", acting_for="", means="phone",
                        notified_at=utcnow() - timedelta(hours=1))
    if ended:
        end_drill(db, PLANNER, drill_id)
    return incident_id


def test_a_real_incident_keeps_its_number_and_the_drill_has_its_own(db: Database) -> None:
    first = open_incident(db, HEAD, "keelung", draft(started_at=utcnow() - timedelta(hours=3)))
    drill = drill_incident(db)
    second = open_incident(db, HEAD, "keelung", draft(title="第二案"))
    assert incident_view(db, first, utcnow(), 10).number == f"基隆關-{ROC_YEAR}-0001"
    assert incident_view(db, second, utcnow(), 10).number == f"基隆關-{ROC_YEAR}-0002"
    seen = incident_view(db, drill, utcnow(), 10)
    assert seen.is_drill and seen.number == f"基隆關-演練-{ROC_YEAR}-0001"
    listed = {s.id: s for s in list_incidents(db, "keelung", utcnow(), 10)}
    assert listed[second].number == f"基隆關-{ROC_YEAR}-0002" and not listed[second].is_drill
    assert listed[drill].number == seen.number and listed[drill].is_drill


def test_the_drill_is_listed_marked_but_raises_no_real_alarm(db: Database) -> None:
    real = open_incident(db, HEAD, "keelung", draft())
    drill = drill_incident(db)
    listed = {s.id: s for s in list_incidents(db, "keelung", utcnow(), 10)}
    assert listed[drill].is_drill and listed[drill].overdue  # the unit sees its drill's state
    assert overdue_notifications(db, "keelung", utcnow(), 10) == []
    needs = what_needs_me(db, "keelung", HEAD, utcnow(), taipei_today(), 10)
    assert [i.id for i in needs.incidents] == [real]
    assert needs.late_notices == ()
    assert all(item.incident.id != drill
               for item in (*needs.gaps, *needs.late_reporting, *needs.reports_due))
    assert all(a.record_id != drill for a in needs.actions)


def test_drill_data_never_appears_in_the_statistics_or_the_review(db: Database) -> None:
    real = open_incident(db, HEAD, "keelung", draft())
    save_corrective_action(db, HEAD, real, None, description="修訂布控指標", owner="稽查組",
                           due=None, status="open")
    drill_incident(db, ended=True)
    today = taipei_today()
    figures = annual_figures(db, "keelung", today.year, today)
    assert figures.incidents == 1 and [c.incident_id for c in figures.cases] == [real]
    assert sum(n for _k, n in figures.by_category) == 1
    assert [a.description for a in figures.actions if a.source == "incident"] == ["修訂布控指標"]
    assert [a.description for a in followed_actions(db, "keelung", today)
            if a.source == "incident"] == ["修訂布控指標"]


def test_a_year_with_only_a_drill_incident_is_no_year_of_cases(db: Database) -> None:
    drill_incident(db, ended=True)
    today = taipei_today()
    assert annual_figures(db, "keelung", today.year, today).incidents == 0
    assert review_years(db, "keelung", today)[-1] == today.year  # nothing older offered


def test_an_ended_drill_is_never_in_the_case_archive(db: Database, tmp_path: Path) -> None:
    real = open_incident(db, HEAD, "keelung", draft())
    _run_to_archive(db, real, "冷凍貨櫃走私")
    drill = drill_incident(db, ended=True)
    assert incident_view(db, drill, utcnow(), 10).status == "archived"  # read-only
    assert [c.id for c in search_cases(db, "keelung", CaseQuery())] == [real]
    assert [c.id for c in search_cases(db, "keelung", CaseQuery(text="冷凍貨櫃走私"))] == [real]
    assert search_cases(db, "keelung", CaseQuery(text="演練中的")) == []
    with db.session() as session:
        assert session.execute(text("SELECT count(*) FROM case_fts WHERE incident_id = :id"),
                               {"id": drill}).scalar() == 0
    history = category_history(db, "keelung", "clearance", utcnow())
    assert [c.id for c in history.cases] == [real]
    assert "演練的改善事項" not in [c.description for c in history.open_corrective]
    written = export_case_files(db, "keelung", tmp_path, "Asia/Taipei")
    assert [w.path.name for w in written] == [f"基隆關-{ROC_YEAR}-0001.pdf"]


def test_a_drill_incident_cannot_become_a_drill_scenario(db: Database) -> None:
    drill = drill_incident(db, ended=True)
    with pytest.raises(UserError):
        scenario_from_case(incident_view(db, drill, utcnow(), 10))
