"""A record's 公文 header (models.playbook.records): what it defaults to, what it refuses, who
may set it on an incident and on a drill, and the office's default retention in the playbook."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from i18n import set_language
from models.core.errors import PermissionDenied, UserError, ValidationError
from models.drills.record_header import drill_header, drill_official_header, set_drill_header
from models.incidents.actions import open_incident
from models.incidents.record_header import (
    incident_header,
    incident_official_header,
    set_incident_header,
)
from models.org.people import Actor, Role
from models.playbook.model import parse_playbook, playbook_to_dict, playbook_to_json
from models.playbook.records import (
    PERMANENT,
    RecordHeader,
    RecordRules,
    check_header,
    official_header,
    retention_of,
)
from models.playbook.shipped import default_playbook
from models.storage.db import Database
from tests.unit.drills.test_drill_reports import drawn_drill
from tests.unit.incidents.test_incidents import HEAD, _run_to_archive, draft

COMMANDER = Actor("黃副關務長", Role.COMMANDER)
PLANNER = Actor("林企劃", Role.PLANNING)
RULES = RecordRules()


@pytest.mark.parametrize(("header", "most_serious", "kept"), [
    (RecordHeader(), False, "10"),
    (RecordHeader(), True, PERMANENT),
    (RecordHeader(classification="restricted", declassify="結案後解密"), False, "10"),
    (RecordHeader(classification="confidential", declassify="十年"), False, PERMANENT),
    (RecordHeader(classification="top_secret", declassify="三十年"), False, PERMANENT),
    (RecordHeader(retention="5"), True, "5"),
])
def test_the_retention_follows_the_rule_unless_set(header: RecordHeader, most_serious: bool,
                                                   kept: str) -> None:
    assert retention_of(header, RULES, most_serious=most_serious) == kept


def test_the_office_default_is_the_playbooks_and_an_old_playbook_reads_ten_years() -> None:
    old = playbook_to_dict(default_playbook())
    assert "records" not in old
    assert parse_playbook(old).records == RecordRules(10)
    changed = parse_playbook({**old, "records": {"retention_years": 30}})
    assert changed.records == RecordRules(30)
    assert json.loads(playbook_to_json(changed))["records"] == {"retention_years": 30}
    assert retention_of(RecordHeader(), changed.records, most_serious=False) == "30"
    for bad in (0, 100, "10", None):
        with pytest.raises(ValidationError) as error:
            parse_playbook({**old, "records": {"retention_years": bad}})
        assert error.value.field == "records.retention_years"


@pytest.mark.parametrize(("header", "field"), [
    (RecordHeader(classification="restricted"), "doc_declassify"),
    (RecordHeader(classification="secret", declassify="  "), "doc_declassify"),
    (RecordHeader(declassify="結案後解密"), "doc_declassify"),
    (RecordHeader(classification="classified"), "doc_classification"),
    (RecordHeader(speed="fast"), "doc_speed"),
    (RecordHeader(retention="0"), "doc_retention"),
    (RecordHeader(retention="100"), "doc_retention"),
    (RecordHeader(retention="１０"), "doc_retention"),
    (RecordHeader(file_number="1" * 61), "doc_file_number"),
    (RecordHeader(classification="restricted", declassify="解" * 201), "doc_declassify"),
])
def test_a_bad_header_names_its_field(header: RecordHeader, field: str) -> None:
    with pytest.raises(ValidationError) as error:
        check_header(header)
    assert error.value.field == field


def test_the_declassification_condition_is_required_in_the_clerks_words() -> None:
    set_language("zh_TW")
    with pytest.raises(ValidationError) as error:
        check_header(RecordHeader(classification="restricted"))
    assert "解密條件或保密期限" in error.value.message()


def test_the_printed_header_reads_as_a_kung_wen() -> None:
    set_language("zh_TW")
    header = official_header(RecordHeader(file_number="115/0105.02/1/7", speed="most_urgent",
                                          classification="secret", declassify="本案結案後解密"),
                             RULES)
    assert header.filing == (("檔　　號：", "115/0105.02/1/7"), ("保存年限：", "永久"))
    assert header.handling == (("速　　別：", "最速件"),
                               ("密等及解密條件或保密期限：", "極機密（本案結案後解密）"))
    assert header.marking == "極機密"
    plain = official_header(RecordHeader(), RULES)
    assert plain.handling == (("速　　別：", "普通件"), ("密等及解密條件或保密期限：", "普通"))
    assert (plain.filing[1], plain.marking) == (("保存年限：", "10年"), "")


def test_an_incident_header_is_the_commanders_and_is_stored_trimmed(db: Database) -> None:
    incident = open_incident(db, HEAD, "keelung", draft())
    header = RecordHeader(file_number=" 115/0105.02/1/7 ", classification="restricted",
                          declassify="本案結案後解密")
    with pytest.raises(PermissionDenied):
        set_incident_header(db, HEAD, incident, header)
    assert incident_header(db, incident) == RecordHeader()

    set_incident_header(db, COMMANDER, incident, header)
    assert incident_header(db, incident) == replace(header, file_number="115/0105.02/1/7")
    with pytest.raises(ValidationError):
        set_incident_header(db, COMMANDER, incident, RecordHeader(classification="secret"))
    assert incident_header(db, incident).classification == "restricted"


def test_a_case_at_the_first_level_is_kept_permanently(db: Database) -> None:
    set_language("zh_TW")
    high = open_incident(db, HEAD, "keelung", draft(
        level_key="high", suggested_level="high", category_key="public_opinion"))
    medium = open_incident(db, HEAD, "keelung", draft())
    assert incident_official_header(db, high).filing[1] == ("保存年限：", "永久")
    assert incident_official_header(db, medium).filing[1] == ("保存年限：", "10年")


def test_an_archived_case_keeps_its_header(db: Database) -> None:
    incident = open_incident(db, HEAD, "keelung", draft())
    _run_to_archive(db, incident)
    with pytest.raises(UserError):
        set_incident_header(db, COMMANDER, incident, RecordHeader(speed="urgent"))
    assert incident_header(db, incident) == RecordHeader()


def test_a_drill_header_is_the_planning_groups(db: Database) -> None:
    drill_id = drawn_drill(db)
    with pytest.raises(PermissionDenied):
        set_drill_header(db, HEAD, drill_id, RecordHeader(speed="urgent"))
    set_drill_header(db, PLANNER, drill_id, RecordHeader(classification="restricted",
                                                         declassify="評核完成後解密"))
    assert drill_header(db, drill_id).classification == "restricted"
    set_language("zh_TW")
    assert drill_official_header(db, drill_id).marking == "密"
