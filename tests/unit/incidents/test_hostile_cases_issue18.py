"""Issue 18's keys of the case exchange format (decisions, an action's owner, due time and
decision, media items, inquiries) from a hostile author of an import file: refused with the
path of the field at fault, or imported so that every screen and printout of the case (and
every PC it syncs to) still shows it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from models.core.errors import UserError
from models.incidents.case_import import import_cases_file
from models.incidents.entities import IncidentRow
from models.incidents.print import case_file
from models.incidents.queries import incident_view
from models.org.people import Actor, Role
from models.storage.db import Database, utcnow
from tests.json_mutation import shipped_json

TZ = "Asia/Taipei"
PLANNER = Actor("林企劃", Role.PLANNING, "secretariat")


def _file(tmp_path: Path, edit: Any) -> Path:
    data = shipped_json("demo", "cases.json")
    case = data["cases"][0]
    case["reporting_unit"] = ""
    data["office"], data["cases"] = "keelung", [case]
    edit(case)
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _imported_or_refused(db: Database, path: Path, actor: Actor = PLANNER) -> str | None:
    """The imported incident's id, or None when the import refused the file."""
    try:
        import_cases_file(db, actor, "keelung", path)
    except UserError:
        return None
    with db.session() as session:
        return session.scalar(select(IncidentRow.id))


def _decision(case: dict[str, Any], **values: Any) -> None:
    case["decisions"] = [{"at": case["started_at"], "decided_by": "黃主任秘書",
                          "post": "secretary", "acting_for": "", "basis": "", "options": "",
                          "decision": "擴大清查", **values}]


@pytest.mark.parametrize("due", ["9999-12-31T23:00:00+00:00", "9999-12-31T20:00:00+08:00"])
def test_an_action_due_at_the_end_of_the_calendar_is_refused_or_prints(
        db: Database, tmp_path: Path, due: str) -> None:
    """The form never takes such a due time (check_due); imported, the case file and stage
    3's board format it in Taipei time, eight hours past year 9999."""
    incident = _imported_or_refused(db, _file(tmp_path, lambda c: c["actions"][0].update(
        due=due)))
    if incident is not None:
        case_file(incident_view(db, incident, utcnow(), 10), {}, TZ)


@pytest.mark.parametrize("where", ["decision", "media", "inquiry", "action due"])
def test_a_time_in_1912_by_a_far_eastern_offset_is_refused_or_prints(
        db: Database, tmp_path: Path, where: str) -> None:
    """1912-01-01T00:00+14:00 is 1911 in Taipei, before the ROC calendar every printout
    writes: the reader's check of the year (json_reader.moment) looks at the year as written,
    not as shown. The case's own start stays as the demo has it: only the new key is early."""
    early = "1912-01-01T00:00:00+14:00"

    def edit(case: dict[str, Any]) -> None:
        if where == "decision":
            _decision(case, at=early)
        elif where == "media":
            case["media"] = [{"outlet": "自由時報", "channel": "online_news", "seen_at": early,
                              "headline": "h", "link": "", "tone": "negative",
                              "reach": "high", "needs_clarification": False}]
        elif where == "inquiry":
            case["inquiries"] = [{"rep_kind": "legislator", "rep_name": "王委員",
                                  "channel": "phone", "received_at": early,
                                  "request": "關切"}]
        else:
            case["actions"][0]["due"] = early
    incident = _imported_or_refused(db, _file(tmp_path, edit))
    if incident is not None:
        case_file(incident_view(db, incident, utcnow(), 10), {}, TZ)


def test_a_registration_dated_in_year_1_is_refused_or_prints(db: Database,
                                                           tmp_path: Path) -> None:
    from models.incidents.inquiries import load_inquiries
    from models.incidents.inquiry_print import favour_form

    def edit(case: dict[str, Any]) -> None:
        case["inquiries"] = [{"rep_kind": "legislator", "rep_name": "王委員",
                              "channel": "phone", "received_at": case["started_at"],
                              "request": "關切", "favour": True,
                              "registration": {"on": "0001-01-01", "with": "政風室",
                                               "number": "1"}}]
    incident = _imported_or_refused(db, _file(tmp_path, edit))
    if incident is not None:
        view = incident_view(db, incident, utcnow(), 10)
        with db.session() as session:
            infos = list(load_inquiries(session, incident, TZ, frozenset()))
        for info in infos:
            favour_form(view, info, TZ)
        case_file(view, {}, TZ)


@pytest.mark.parametrize("name", ["林企劃", "林\u200b企劃"], ids=["own", "look-alike"])
def test_a_decision_in_the_importers_own_name_without_the_permission_is_refused(
        db: Database, tmp_path: Path, name: str) -> None:
    """The planning group may not take a decision (only who may confirm the plan, docs/trust.md
    Confirming the plan); a file naming the importer as who decided stores a decision every
    receiver refuses (sync_policy _decided_in_person): the import must refuse it itself."""
    incident = _imported_or_refused(db, _file(tmp_path, lambda c: _decision(
        c, decided_by=name)))
    if incident is not None:
        decisions = incident_view(db, incident, utcnow(), 10).decisions
        assert [d.decided_by for d in decisions] == []


def test_an_action_naming_a_decision_that_is_not_there_is_refused(db: Database,
                                                                  tmp_path: Path) -> None:
    def edit(case: dict[str, Any]) -> None:
        _decision(case)
        case["actions"][0]["decision"] = 2
    assert _imported_or_refused(db, _file(tmp_path, edit)) is None


@pytest.mark.parametrize("link", ["javascript:alert(1)", "JAVASCRIPT:alert(1)",
                                  " javascript:alert(1)", "data:text/html,<script>",
                                  "http://", "https://\u202eevil"])
def test_a_media_link_a_browser_should_not_open_is_refused(db: Database, tmp_path: Path,
                                                           link: str) -> None:
    from ui.incidents.media_watch import openable

    def edit(case: dict[str, Any]) -> None:
        case["media"] = [{"outlet": "自由時報", "channel": "online_news",
                          "seen_at": case["started_at"], "headline": "h", "link": link,
                          "tone": "negative", "reach": "high", "needs_clarification": False}]
    incident = _imported_or_refused(db, _file(tmp_path, edit))
    if incident is not None:
        for item in incident_view(db, incident, utcnow(), 10).media:
            assert openable(item.link) is None or item.link.startswith(("http://", "https://"))
