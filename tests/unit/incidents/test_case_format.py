"""The case exchange format (docs/case-format.md): the demo cases are complete and parse; a
file round-trips; every bad input is refused with the JSON path of the field at fault; and no
input, however odd, makes the parser fail with anything but a message for the user."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from i18n import set_language
from models.core.errors import UserError, ValidationError
from models.incidents.case_format import (
    FIELD_KEYS,
    MAX_FILE_BYTES,
    STATEMENT_KINDS,
    CaseRecord,
    case_to_dict,
    cases_to_dict,
    cases_to_json,
    parse_cases,
    parse_cases_json,
)
from tests.glyphs import missing_glyphs
from tests.json_mutation import (
    shipped_json,
    shipped_playbook,
    shipped_text,
    value_paths,
    with_one_change,
)

DEMO = ("demo", "cases.json")
NOW = datetime(2025, 6, 1, tzinfo=UTC)


playbook = shipped_playbook


def _demo_text() -> str:
    return shipped_text(*DEMO)


def demo_raw() -> dict[str, Any]:
    return shipped_json(*DEMO)


def demo_cases() -> tuple[CaseRecord, ...]:
    return parse_cases_json(_demo_text(), playbook(), now=NOW)


# -- The demo cases ---------------------------------------------------------------------------


def test_demo_cases_parse_against_the_default_playbook() -> None:
    cases = demo_cases()
    assert 3 <= len(cases) <= 4
    titles = " ".join(c.title for c in cases)
    assert "加熱菸" in titles and "非洲豬瘟" in titles
    assert {c.category for c in cases} >= {"emergency", "public_opinion", "legislator"}
    assert {c.office_code for c in cases} == {"taipei"}


def test_each_demo_case_runs_through_all_six_stages() -> None:
    pb = playbook()
    every_task = {(s.number, t.key) for s in pb.stages for t in s.tasks}
    for case in demo_cases():
        assert case.ended_at is not None and case.level_reason, case.title
        assert {(t.stage, t.task) for t in case.tasks} == every_task, case.title
        assert any(n.acting_for for n in case.notifications), case.title
        assert {"s2.meeting_at", "s2.attendees", "s2.plan", "s2.confirmed_by_name",
                "s6.lessons"} <= set(case.fields), case.title
        assert case.actions and case.reports, case.title
        assert case.statements and all(
            s.versions and s.legal_review and s.approved and s.released
            for s in case.statements), case.title
        assert case.negotiations and case.corrective_actions, case.title
        # The level's notified group (總指揮 for high, 執行秘書 otherwise) was told.
        level = next(lv for lv in pb.levels if lv.key == case.level)
        assert level.notify_group in {n.target for n in case.notifications}, case.title
    assert any(t.state == "not_applicable" and t.reason
               for case in demo_cases() for t in case.tasks)
    assert {s.kind for case in demo_cases() for s in case.statements} == set(STATEMENT_KINDS)


def test_demo_times_are_taiwan_times_in_the_past() -> None:
    moments: list[str] = []

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and (key in ("at", "started_at", "ended_at",
                                                 "acknowledged_at", "s2.meeting_at",
                                                 "s2.confirmed_at")):
            moments.append(value)

    walk(demo_raw())
    assert len(moments) > 100
    assert all(m.endswith("+08:00") for m in moments)
    years = {datetime.fromisoformat(m).year for m in moments}
    assert min(years) >= 2019 and max(years) <= 2025
    assert max(datetime.fromisoformat(m) for m in moments) < datetime.now(UTC)


def test_every_demo_character_has_a_glyph_in_the_bundled_font() -> None:
    """The printed forms embed the TW-Kai subset; a character outside it prints as a blank
    box (see tests/glyphs.py)."""
    assert missing_glyphs(_demo_text()) == []


# -- Round trip ----------------------------------------------------------------------------------


def test_parse_to_dict_parse_gives_equal_cases() -> None:
    cases = demo_cases()
    assert parse_cases(cases_to_dict(cases), playbook(), now=NOW) == cases
    assert parse_cases_json(cases_to_json(cases), playbook(), now=NOW) == cases


def test_the_canonical_form_is_stable_and_in_utc() -> None:
    cases = demo_cases()
    text = cases_to_json(cases)
    assert cases_to_json(parse_cases_json(text, playbook(), now=NOW)) == text
    entry = case_to_dict(cases[0])
    assert list(entry) == [
        "title", "summary", "started_at", "ended_at", "location", "reporting_unit", "source",
        "category", "subtype", "scope", "level", "level_reason", "fields", "notifications",
        "tasks", "actions", "reports", "statements", "negotiations", "corrective_actions",
        "notes", "media", "decisions"]
    assert entry["started_at"] == "2022-10-11T01:40:00+00:00"  # 09:40 in Taipei
    assert cases[0].started_at == datetime(2022, 10, 11, 1, 40, tzinfo=UTC)
    assert set(entry["fields"]) <= set(FIELD_KEYS)
    assert cases[0].field_time("s2.meeting_at") == datetime(2022, 10, 12, 7, 0, tzinfo=UTC)
    assert replace(cases[0], fields={}).field_time("s2.meeting_at") is None


def test_optional_members_may_be_left_out() -> None:
    minimal = {"format": "crisisdesk-cases", "format_version": 1, "office": "keelung",
               "cases": [{"title": "碼頭停電", "started_at": "2024-01-05T08:00:00+08:00",
                          "source": "internal", "category": "emergency", "level": "low"}]}
    (case,) = parse_cases(minimal, playbook(), now=NOW)
    assert case.office_code == "keelung"
    assert (case.subtype, case.reporting_unit, case.ended_at, case.fields, case.tasks) == (
        "", "", None, {}, ())
    assert parse_cases(cases_to_dict([case]), playbook(), now=NOW) == (case,)


def test_an_empty_field_value_counts_as_not_filled() -> None:
    raw = demo_raw()
    raw["cases"][0]["fields"]["s2.meeting_at"] = ""
    raw["cases"][0]["fields"]["s6.lessons"] = ""
    case = parse_cases(raw, playbook(), now=NOW)[0]
    assert "s2.meeting_at" not in case.fields and "s6.lessons" not in case.fields


def test_a_file_holds_the_cases_of_one_office() -> None:
    case = demo_cases()[0]
    other = replace(case, office_code="keelung")
    with pytest.raises(ValueError, match="one office"):
        cases_to_dict([case, other])


# -- Bad input: each rule names the path --------------------------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def case0(d: dict[str, Any]) -> dict[str, Any]:
    first: dict[str, Any] = d["cases"][0]
    return first


BAD: list[tuple[str, Mutation, str]] = [
    # the envelope
    ("format", lambda d: d.update(format="crisisdesk-playbook"), "format"),
    ("newer version", lambda d: d.update(format_version=2), "format_version"),
    ("unknown top key", lambda d: d.update(comment="x"), "comment"),
    ("unknown office", lambda d: d.update(office="tainan"), "office"),
    ("no cases", lambda d: d.update(cases=[]), "cases"),
    ("cases not a list", lambda d: d.update(cases={"0": {}}), "cases"),
    # unknown keys at every depth
    ("unknown case key", lambda d: case0(d).update(colour="red"), "cases[0].colour"),
    ("unknown field key", lambda d: case0(d)["fields"].update({"s3.budget": "1"}),
     "cases[0].fields.s3.budget"),
    ("unknown notification key", lambda d: case0(d)["notifications"][1].update(urgent=True),
     "cases[0].notifications[1].urgent"),
    ("unknown release key", lambda d: case0(d)["statements"][0]["released"].update(by="x"),
     "cases[0].statements[0].released.by"),
    ("task of a decision not in the file", lambda d: case0(d)["actions"][0].update(decision=1),
     "cases[0].actions[0].decision"),
    ("decision of an unknown post", lambda d: case0(d).update(decisions=[{
        "at": "2022-10-11T10:00:00+08:00", "decided_by": "陳副關務長", "post": "mayor",
        "decision": "擴大清查"}]), "cases[0].decisions[0].post"),
    ("decision without its text", lambda d: case0(d).update(decisions=[{
        "at": "2022-10-11T10:00:00+08:00", "decided_by": "陳副關務長", "post": "commander",
        "decision": " "}]), "cases[0].decisions[0].decision"),
    # required, types and lengths
    ("no title", lambda d: case0(d).pop("title"), "cases[0].title"),
    ("blank title", lambda d: case0(d).update(title="  "), "cases[0].title"),
    ("long title", lambda d: case0(d).update(title="案" * 201), "cases[0].title"),
    ("title not text", lambda d: case0(d).update(title=5), "cases[0].title"),
    ("tasks not a list", lambda d: case0(d).update(tasks="all done"), "cases[0].tasks"),
    ("notification not an object", lambda d: case0(d)["notifications"].__setitem__(0, []),
     "cases[0].notifications[0]"),
    ("stage as text", lambda d: case0(d)["tasks"][0].update(stage="1"),
     "cases[0].tasks[0].stage"),
    ("stage as true", lambda d: case0(d)["tasks"][0].update(stage=True),
     "cases[0].tasks[0].stage"),
    ("no recipient", lambda d: case0(d)["notifications"][0].update(recipient=""),
     "cases[0].notifications[0].recipient"),
    ("no statement version", lambda d: case0(d)["statements"][0].update(versions=[]),
     "cases[0].statements[0].versions"),
    # times and dates
    ("time without offset", lambda d: case0(d).update(started_at="2022-10-11T09:40:00"),
     "cases[0].started_at"),
    ("date only", lambda d: case0(d).update(started_at="2022-10-11"), "cases[0].started_at"),
    ("not a time", lambda d: case0(d)["reports"][0].update(at="yesterday"),
     "cases[0].reports[0].at"),
    ("field time without offset",
     lambda d: case0(d)["fields"].update({"s2.meeting_at": "2022-10-12 15:00"}),
     "cases[0].fields.s2.meeting_at"),
    ("start in the future", lambda d: case0(d).update(started_at="2031-01-01T00:00:00+08:00",
                                                        ended_at=None), "cases[0].started_at"),
    ("end in the future", lambda d: case0(d).update(ended_at="2031-01-01T00:00:00+08:00"),
     "cases[0].ended_at"),
    ("end before start", lambda d: case0(d).update(ended_at="2022-10-11T09:39:00+08:00"),
     "cases[0].ended_at"),
    ("acknowledged before told",
     lambda d: case0(d)["notifications"][0].update(acknowledged_at="2022-10-11T10:00:00+08:00"),
     "cases[0].notifications[0].acknowledged_at"),
    ("due not YYYY-MM-DD", lambda d: case0(d)["corrective_actions"][0].update(due="2022/12/31"),
     "cases[0].corrective_actions[0].due"),
    ("due not a day", lambda d: case0(d)["corrective_actions"][0].update(due="2022-02-30"),
     "cases[0].corrective_actions[0].due"),
    # references to the playbook and the units
    ("unknown category", lambda d: case0(d).update(category="foo"), "cases[0].category"),
    ("unknown subtype", lambda d: case0(d).update(subtype="em_9"), "cases[0].subtype"),
    ("subtype of another category", lambda d: case0(d).update(subtype="po_1"),
     "cases[0].subtype"),
    ("unknown level", lambda d: case0(d).update(level="severe"), "cases[0].level"),
    ("unknown unit", lambda d: case0(d).update(reporting_unit="bonded"),
     "cases[0].reporting_unit"),
    ("unknown group", lambda d: case0(d)["actions"][0].update(group="press"),
     "cases[0].actions[0].group"),
    ("target no level notifies", lambda d: case0(d)["notifications"][0].update(target="legal"),
     "cases[0].notifications[0].target"),
    ("unknown stage", lambda d: case0(d)["tasks"][0].update(stage=7), "cases[0].tasks[0].stage"),
    ("task of another stage", lambda d: case0(d)["tasks"][0].update(task="convene"),
     "cases[0].tasks[0].task"),
    ("repeated task", lambda d: case0(d)["tasks"].append(dict(case0(d)["tasks"][0])),
     "cases[0].tasks[12]"),
    ("confirmed by another post",
     lambda d: case0(d)["fields"].update({"s2.confirmed_by_role": "planning"}),
     "cases[0].fields.s2.confirmed_by_role"),
    # enumerations and rules
    ("unknown source", lambda d: case0(d).update(source="tv"), "cases[0].source"),
    ("unknown means", lambda d: case0(d)["notifications"][0].update(means="fax"),
     "cases[0].notifications[0].means"),
    ("unknown action status", lambda d: case0(d)["actions"][0].update(status="stuck"),
     "cases[0].actions[0].status"),
    ("unknown statement kind", lambda d: case0(d)["statements"][0].update(kind="tweet"),
     "cases[0].statements[0].kind"),
    ("not applicable without reason",
     lambda d: case0(d)["tasks"][0].update(state="not_applicable", reason=" "),
     "cases[0].tasks[0].reason"),
    ("released version beyond the versions",
     lambda d: case0(d)["statements"][0]["released"].update(version=3),
     "cases[0].statements[0].released.version"),
    ("released version 0", lambda d: case0(d)["statements"][0]["released"].update(version=0),
     "cases[0].statements[0].released.version"),
    ("a later case", lambda d: d["cases"][3].update(level="urgent"), "cases[3].level"),
]


@pytest.mark.parametrize(("mutate", "path"), [pytest.param(m, p, id=i) for i, m, p in BAD])
def test_a_bad_case_file_names_the_field(mutate: Mutation, path: str) -> None:
    raw = demo_raw()
    mutate(raw)
    with pytest.raises(ValidationError) as caught:
        parse_cases(raw, playbook(), now=NOW)
    assert caught.value.field == path
    assert caught.value.message().startswith(path + ": ")
    # The same file as text is refused the same way.
    with pytest.raises(ValidationError) as again:
        parse_cases_json(json.dumps(raw, ensure_ascii=False), playbook(), now=NOW)
    assert again.value.field == path


def test_the_message_reads_as_documented_in_both_languages() -> None:
    raw = demo_raw()
    case0(raw)["category"] = "foo"
    with pytest.raises(ValidationError) as caught:
        parse_cases(raw, playbook(), now=NOW)
    assert caught.value.message() == 'cases[0].category: 未知的事件類別「foo」'
    set_language("en")
    assert caught.value.message() == 'cases[0].category: unknown category "foo"'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{" + " " * MAX_FILE_BYTES + "}", "MB"),
        ("[" * 100_000 + "]" * 100_000, "nests"),
        ('{"format": "crisisdesk-cases",\n "format_version": }', "line 2"),
        (b"\xff\xfe{", "UTF-8"),
        ("[1" + "0" * 5000 + "]", "not a case file"),
    ],
    ids=["over 5 MB", "nesting", "syntax", "not UTF-8", "absurd number"],
)
def test_a_bad_file_is_refused_as_a_whole(text: str | bytes, expected: str) -> None:
    set_language("en")
    with pytest.raises(ValidationError) as caught:
        parse_cases_json(text, playbook(), now=NOW)
    assert caught.value.field == "(file)"
    assert expected in caught.value.message()


def test_the_first_problem_stops_the_whole_file() -> None:
    raw = demo_raw()
    raw["cases"][2]["level"] = "urgent"
    with pytest.raises(ValidationError):
        parse_cases(raw, playbook(), now=NOW)  # nothing of cases[0] and [1] comes back


# -- Anything at all: only a user's error, never a crash ----------------------------------------

JSON_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats()
                | st.text(max_size=30) | st.sampled_from(
                    ["", "2022-10-11T09:40:00+08:00", "9999-12-31T23:59:59-12:00",
                     "0001-01-01T00:00:00+14:00", "2022-02-30", "emergency", "high", "done",
                     "commander", "not_applicable"]))
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=25,
)


def _parses_or_refuses(data: object) -> None:
    try:
        parse_cases(data, playbook(), now=NOW)
    except (ValidationError, UserError):
        pass


@settings(max_examples=150, deadline=None)
@given(JSON_VALUES)
def test_arbitrary_json_is_parsed_or_refused(data: object) -> None:
    _parses_or_refuses(data)
    _parses_or_refuses({"format": "crisisdesk-cases", "format_version": 1, "office": "taipei",
                        "cases": [data]})


DEMO_PATHS = [p for p in value_paths(demo_raw()) if p]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(DEMO_PATHS), JSON_VALUES, st.booleans())
def test_a_demo_file_with_any_one_value_replaced_is_parsed_or_refused(
    path: tuple[Any, ...], value: object, delete: bool
) -> None:
    _parses_or_refuses(with_one_change(demo_raw(), path, value, delete))
