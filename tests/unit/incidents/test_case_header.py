"""A case's 公文 header in the case exchange file: carried out and back unchanged, imported
onto the incident (with its trace on the timeline) by whoever may set a header, and a hostile
header refused as a whole file with the path of the key at fault, nothing stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from i18n import set_language
from models.core.errors import PermissionDenied, ValidationError
from models.incidents.case_format import cases_to_dict, cases_to_json, parse_cases, \
    parse_cases_json
from models.incidents.case_import import import_cases_file
from models.incidents.entities import IncidentRow
from models.incidents.record_header import incident_header
from models.incidents.timeline import FieldChanged
from models.incidents.queries import incident_view
from models.org.people import Actor, Role
from models.playbook.records import RecordHeader
from models.storage.db import Database, utcnow
from tests.unit.incidents.test_case_format import NOW, demo_raw, playbook
from tests.unit.incidents.test_hostile_cases_issue18 import PLANNER, _file

COMMANDER = Actor("黃副關務長", Role.COMMANDER)
HEADER = {"file_number": "115/0105.02/1/7", "retention": "permanent", "speed": "urgent",
          "classification": "restricted", "declassify": "本案結案後解密"}


def _with_header(header: Any) -> dict[str, Any]:
    raw = demo_raw()
    raw["cases"][0]["header"] = header
    return raw


def test_the_header_goes_out_and_comes_back_unchanged() -> None:
    cases = parse_cases(_with_header(HEADER), playbook(), now=NOW)
    assert cases[0].header == RecordHeader(*HEADER.values())
    assert all(c.header == RecordHeader() for c in cases[1:])
    out = cases_to_dict(cases)
    assert out["cases"][0]["header"] == HEADER
    assert "header" not in out["cases"][1]  # a case left to the rule keeps its old shape
    assert parse_cases_json(cases_to_json(cases), playbook(), now=NOW) == cases


@pytest.mark.parametrize(("header", "path", "words"), [
    ({**HEADER, "classification": "極機密"}, "classification", "classifications"),
    ({**HEADER, "classification": "secret", "declassify": ""}, "declassify", "declassification"),
    ({**HEADER, "file_number": "1" * 61}, "file_number", "60"),
    ({**HEADER, "file_number": "1" * 100_000}, "file_number", "1000"),
    ({**HEADER, "retention": "0"}, "retention", "99"),
    ({**HEADER, "speed": 3}, "speed", "text"),
    ({**HEADER, "stamp": "x"}, "stamp", ""),
    ("密", "", "object"),
    (None, "", "object"),
])
def test_a_hostile_header_names_its_key(header: Any, path: str, words: str) -> None:
    set_language("en")
    with pytest.raises(ValidationError) as refused:
        parse_cases(_with_header(header), playbook(), now=NOW)
    expected = "cases[0].header" + (f".{path}" if path else "")
    assert refused.value.field == expected
    assert words in refused.value.message()


def _count(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(IncidentRow)) or 0


def test_an_imported_header_is_the_incidents_with_its_trace(db: Database,
                                                            tmp_path: Path) -> None:
    path = _file(tmp_path, lambda case: case.update(header=HEADER))
    with pytest.raises(PermissionDenied):  # as set_incident_header: the commander's
        import_cases_file(db, PLANNER, "keelung", path)
    assert _count(db) == 0
    import_cases_file(db, COMMANDER, "keelung", path)
    with db.session() as session:
        incident = session.scalars(select(IncidentRow.id)).one()
    assert incident_header(db, incident) == RecordHeader(*HEADER.values())
    view = incident_view(db, incident, utcnow(), 0)
    traced = {e.what.key: e.what.new for e in view.timeline
              if isinstance(e.what, FieldChanged) and e.author == COMMANDER.name}
    assert traced["doc_classification"] == "restricted"


def test_a_bad_header_stores_nothing(db: Database, tmp_path: Path) -> None:
    set_language("zh_TW")
    data = json.loads(_file(tmp_path, lambda case: case.update(header=HEADER)).read_text())
    bad = dict(data["cases"][0], title="第二案", header={**HEADER, "classification": "TOP"})
    data["cases"].append(bad)  # the first case is good: nothing of it is kept either
    path = tmp_path / "two.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValidationError) as refused:
        import_cases_file(db, COMMANDER, "keelung", path)
    assert refused.value.message() == "cases[1].header.classification: 請選擇密等。"
    assert _count(db) == 0
