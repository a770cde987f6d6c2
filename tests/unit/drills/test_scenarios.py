"""The drill scenario library (docs/scenario-format.md): the shipped scenarios are complete and
parse; a file round-trips; every bad input is refused with the JSON path of the field at fault;
no input, however odd, makes the parser fail with anything but a message for the user; and an
archived case becomes a scenario that replays it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from i18n import set_language
from models.case_scenarios import scenario_from_case
from models.core.errors import UserError, ValidationError
from models.drills.scenarios import (
    MAX_FILE_BYTES,
    MAX_OFFSET_MINUTES,
    Scenario,
    by_category,
    default_scenarios,
    parse_scenarios,
    parse_scenarios_json,
    scenario_to_dict,
    scenarios_to_dict,
    scenarios_to_json,
)
from models.incidents.actions import add_entry, open_incident, record_notification
from models.incidents.queries import incident_view
from models.storage.db import Database, utcnow
from tests.glyphs import missing_glyphs
from tests.json_mutation import (
    shipped_json,
    shipped_playbook,
    shipped_text,
    value_paths,
    with_one_change,
)
from tests.unit.incidents.test_incidents import HEAD, _run_to_archive, draft

SHIPPED = ("scenarios", "scenarios.json")
CATEGORIES = ("clearance", "public_opinion", "legislator", "emergency")


playbook = shipped_playbook


def _shipped_text() -> str:
    return shipped_text(*SHIPPED)


def shipped_raw() -> dict[str, Any]:
    return shipped_json(*SHIPPED)


def shipped() -> tuple[Scenario, ...]:
    return parse_scenarios_json(_shipped_text(), playbook())


def texts(scenario: Scenario) -> list[tuple[str, dict[str, str]]]:
    """Every bilingual text of a scenario, with a name for the failure message."""
    found = [("title", scenario.title), ("background", scenario.background)]
    for i, inject in enumerate(scenario.injects):
        found += [(f"injects[{i}].from", inject.sender), (f"injects[{i}].to", inject.recipient),
                  (f"injects[{i}].message", inject.message)]
    found += [(f"expected[{i}].task", e.task) for i, e in enumerate(scenario.expected)]
    return [(f"{scenario.key}.{name}", dict(text)) for name, text in found]


# -- The shipped library ----------------------------------------------------------------------


def test_the_shipped_scenarios_parse_against_the_default_playbook() -> None:
    scenarios = shipped()
    assert default_scenarios(playbook()) == scenarios
    grouped = by_category(scenarios)
    assert list(grouped) == list(CATEGORIES)
    assert all(len(grouped[c]) >= 2 for c in CATEGORIES), {c: len(grouped[c]) for c in grouped}
    assert len(scenarios) >= 8


def test_every_shipped_text_is_in_both_languages() -> None:
    for scenario in shipped():
        for name, text in texts(scenario):
            assert text["zh_TW"].strip() and text["en"].strip(), name
            # The English is a translation, not the Chinese copied over.
            assert text["en"] != text["zh_TW"], name


def test_every_shipped_scenario_is_a_full_drill() -> None:
    """At least three injects and four expected tasks, over several stages; the first inject
    starts the drill; stage 1 expects the notification the right level calls for."""
    for s in shipped():
        assert len(s.injects) >= 3 and len(s.expected) >= 4, s.key
        assert s.injects[0].offset_minutes == 0, s.key
        assert len({e.stage for e in s.expected}) >= 4, s.key
        first = [e.task for e in s.expected if e.stage == 1]
        assert any("通報總指揮" in t["zh_TW"] or "通報執行秘書" in t["zh_TW"] for t in first), s.key
        assert any("危機" in t["zh_TW"] and "crisis" in t["en"] for t in first), s.key


def test_the_case_studies_of_002_are_among_the_shipped_scenarios() -> None:
    sources = {s.key: s.source for s in shipped()}
    titles = " ".join(s.title["zh_TW"] for s in shipped())
    assert "加熱菸" in titles and "非洲豬瘟" in titles
    assert sum("（002）" in source for source in sources.values()) == 2


def test_every_shipped_character_has_a_glyph_in_the_bundled_font() -> None:
    assert missing_glyphs("王𪚥明") == ["𪚥"]  # the check does find a rare character
    assert missing_glyphs(_shipped_text()) == []


def test_a_scenario_whose_category_or_subtype_the_office_removed() -> None:
    """An office may edit its playbook: the shipped library adapts rather than fails."""
    pb = playbook()
    edited = replace(pb, categories=tuple(
        replace(c, subtypes=()) if c.key == "emergency" else c
        for c in pb.categories if c.key != "legislator"))
    fitted = default_scenarios(edited)
    assert {s.category for s in fitted} == {"clearance", "public_opinion", "emergency"}
    assert all(s.subtype == "" for s in fitted if s.category == "emergency")
    assert [s.key for s in fitted] == [s.key for s in shipped() if s.category != "legislator"]
    five_stages = default_scenarios(replace(pb, stages=pb.stages[:5]))
    assert len(five_stages) == len(shipped())
    assert {e.stage for s in five_stages for e in s.expected} == {1, 2, 3, 4, 5}
    assert default_scenarios(replace(pb, categories=())) == ()


def test_by_category_keeps_the_order_scenarios_come_in() -> None:
    scenarios = shipped()
    reordered = (scenarios[-1], *scenarios[:-1])
    grouped = by_category(reordered)
    assert list(grouped) == ["emergency", "clearance", "public_opinion", "legislator"]
    assert grouped["emergency"][0] == scenarios[-1]
    assert grouped["emergency"][1:] == [s for s in scenarios[:-1] if s.category == "emergency"]
    assert by_category(()) == {}


# -- Round trip ----------------------------------------------------------------------------------


def test_parse_to_dict_parse_gives_equal_scenarios() -> None:
    scenarios = shipped()
    assert parse_scenarios(scenarios_to_dict(scenarios), playbook()) == scenarios
    text = scenarios_to_json(scenarios)
    assert parse_scenarios_json(text, playbook()) == scenarios
    assert scenarios_to_json(parse_scenarios_json(text, playbook())) == text
    assert list(scenario_to_dict(scenarios[0])) == [
        "key", "category", "subtype", "title", "background", "injects", "expected", "source"]


def test_optional_members_may_be_left_out() -> None:
    minimal = {"format": "crisisdesk-scenarios", "format_version": 1, "scenarios": [{
        "key": "pier-blackout", "category": "emergency", "title": {"zh_TW": "碼頭停電"},
        "background": {"zh_TW": "碼頭全面停電。"},
        "injects": [{"offset_minutes": 0, "from": {"zh_TW": "值班關員"},
                     "to": {"zh_TW": "處理組"}, "message": {"zh_TW": "碼頭停電。"}}],
        "expected": [{"stage": 1, "task": {"zh_TW": "通報執行秘書。"}}]}]}
    (scenario,) = parse_scenarios(minimal, playbook())
    assert (scenario.subtype, scenario.source, scenario.title["en"]) == ("", "", "")
    assert parse_scenarios(scenarios_to_dict([scenario]), playbook()) == (scenario,)


def test_injects_at_the_same_minute_are_in_order() -> None:
    raw = shipped_raw()
    injects = raw["scenarios"][0]["injects"]
    injects[1]["offset_minutes"] = injects[0]["offset_minutes"]
    assert parse_scenarios(raw, playbook())[0].injects[1].offset_minutes == 0


# -- Bad input: each rule names the path --------------------------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def sc(d: dict[str, Any], index: int = 0) -> dict[str, Any]:
    found: dict[str, Any] = d["scenarios"][index]
    return found


def inject(d: dict[str, Any], index: int) -> dict[str, Any]:
    found: dict[str, Any] = sc(d)["injects"][index]
    return found


BAD: list[tuple[str, Mutation, str]] = [
    # the envelope
    ("format", lambda d: d.update(format="crisisdesk-cases"), "format"),
    ("newer version", lambda d: d.update(format_version=2), "format_version"),
    ("version 0", lambda d: d.update(format_version=0), "format_version"),
    ("unknown top key", lambda d: d.update(comment="x"), "comment"),
    ("no scenarios", lambda d: d.update(scenarios=[]), "scenarios"),
    ("scenarios not a list", lambda d: d.update(scenarios={"0": {}}), "scenarios"),
    ("scenario not an object", lambda d: d["scenarios"].__setitem__(1, "x"), "scenarios[1]"),
    # unknown keys at every depth
    ("unknown scenario key", lambda d: sc(d).update(level="high"), "scenarios[0].level"),
    ("unknown inject key", lambda d: inject(d, 1).update(urgent=True),
     "scenarios[0].injects[1].urgent"),
    ("unknown expected key", lambda d: sc(d)["expected"][0].update(group="handling"),
     "scenarios[0].expected[0].group"),
    ("unknown language", lambda d: sc(d)["title"].update(ja="x"), "scenarios[0].title.ja"),
    # keys
    ("duplicate key", lambda d: sc(d, 3).update(key=sc(d, 1)["key"]), "scenarios[3].key"),
    ("no key", lambda d: sc(d).pop("key"), "scenarios[0].key"),
    ("key not a slug", lambda d: sc(d).update(key="通關 中斷"), "scenarios[0].key"),
    ("key too long", lambda d: sc(d).update(key="k" * 65), "scenarios[0].key"),
    # references to the playbook
    ("unknown category", lambda d: sc(d).update(category="drill"), "scenarios[0].category"),
    ("no category", lambda d: sc(d).pop("category"), "scenarios[0].category"),
    ("unknown subtype", lambda d: sc(d, 2).update(subtype="po_9"), "scenarios[2].subtype"),
    ("subtype of another category", lambda d: sc(d).update(subtype="em_5"),
     "scenarios[0].subtype"),
    ("unknown stage", lambda d: sc(d)["expected"][2].update(stage=7),
     "scenarios[0].expected[2].stage"),
    ("stage 0", lambda d: sc(d)["expected"][0].update(stage=0),
     "scenarios[0].expected[0].stage"),
    ("stage as text", lambda d: sc(d)["expected"][0].update(stage="1"),
     "scenarios[0].expected[0].stage"),
    # offsets
    ("offsets not ascending", lambda d: inject(d, 2).update(offset_minutes=10),
     "scenarios[0].injects[2].offset_minutes"),
    ("negative offset", lambda d: inject(d, 0).update(offset_minutes=-5),
     "scenarios[0].injects[0].offset_minutes"),
    ("offset beyond a year", lambda d: inject(d, 5).update(offset_minutes=MAX_OFFSET_MINUTES + 1),
     "scenarios[0].injects[5].offset_minutes"),
    ("offset as text", lambda d: inject(d, 1).update(offset_minutes="20"),
     "scenarios[0].injects[1].offset_minutes"),
    ("offset as true", lambda d: inject(d, 1).update(offset_minutes=True),
     "scenarios[0].injects[1].offset_minutes"),
    ("offset as a fraction", lambda d: inject(d, 1).update(offset_minutes=20.5),
     "scenarios[0].injects[1].offset_minutes"),
    ("no offset", lambda d: inject(d, 1).pop("offset_minutes"),
     "scenarios[0].injects[1].offset_minutes"),
    # texts
    ("title without zh_TW", lambda d: sc(d)["title"].pop("zh_TW"), "scenarios[0].title.zh_TW"),
    ("blank Chinese message", lambda d: inject(d, 0)["message"].update(zh_TW=" "),
     "scenarios[0].injects[0].message.zh_TW"),
    ("task without zh_TW", lambda d: sc(d, 4)["expected"][1]["task"].pop("zh_TW"),
     "scenarios[4].expected[1].task.zh_TW"),
    ("no from", lambda d: inject(d, 0).pop("from"), "scenarios[0].injects[0].from"),
    ("to as a string", lambda d: inject(d, 0).update(to="處理組"), "scenarios[0].injects[0].to"),
    ("English not text", lambda d: sc(d)["background"].update(en=None),
     "scenarios[0].background.en"),
    ("long title", lambda d: sc(d)["title"].update(zh_TW="案" * 201),
     "scenarios[0].title.zh_TW"),
    ("long from", lambda d: inject(d, 0)["from"].update(en="x" * 201),
     "scenarios[0].injects[0].from.en"),
    ("source not text", lambda d: sc(d).update(source=2), "scenarios[0].source"),
    # lists
    ("no injects", lambda d: sc(d).update(injects=[]), "scenarios[0].injects"),
    ("no expected", lambda d: sc(d).update(expected=[]), "scenarios[0].expected"),
    ("inject not an object", lambda d: sc(d)["injects"].__setitem__(0, []),
     "scenarios[0].injects[0]"),
    ("a later scenario", lambda d: sc(d, 9).update(category="weather"), "scenarios[9].category"),
]


@pytest.mark.parametrize(("mutate", "path"), [pytest.param(m, p, id=i) for i, m, p in BAD])
def test_a_bad_scenario_file_names_the_field(mutate: Mutation, path: str) -> None:
    raw = shipped_raw()
    mutate(raw)
    with pytest.raises(ValidationError) as caught:
        parse_scenarios(raw, playbook())
    assert caught.value.field == path
    assert caught.value.message().startswith(path + ": ")
    # The same file as text is refused the same way.
    with pytest.raises(ValidationError) as again:
        parse_scenarios_json(json.dumps(raw, ensure_ascii=False), playbook())
    assert again.value.field == path


def test_the_messages_read_in_both_languages() -> None:
    raw = shipped_raw()
    inject(raw, 2)["offset_minutes"] = 10
    with pytest.raises(ValidationError) as caught:
        parse_scenarios(raw, playbook())
    path = "scenarios[0].injects[2].offset_minutes"
    assert caught.value.message() == f"{path}: 不得早於前一則演練狀況（第20分鐘）"
    set_language("en")
    assert caught.value.message() == f"{path}: comes before the inject above it (20 minutes)"

    raw = shipped_raw()
    sc(raw, 1).update(key=sc(raw)["key"])
    with pytest.raises(ValidationError) as caught:
        parse_scenarios(raw, playbook())
    assert caught.value.message() == "scenarios[1].key: repeats 'clearance-system-outage-peak'"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{" + " " * MAX_FILE_BYTES + "}", "larger than 2 MB"),
        ("[" * 100_000 + "]" * 100_000, "nests"),
        ('{"format": "crisisdesk-scenarios",\n "format_version": }', "line 2"),
        (b"\xff\xfe{", "UTF-8"),
        ("[1" + "0" * 5000 + "]", "not a scenario file"),
    ],
    ids=["over 2 MB", "nesting", "syntax", "not UTF-8", "absurd number"],
)
def test_a_bad_file_is_refused_as_a_whole(text: str | bytes, expected: str) -> None:
    set_language("en")
    with pytest.raises(ValidationError) as caught:
        parse_scenarios_json(text, playbook())
    assert caught.value.field == "(file)"
    assert expected in caught.value.message()


# -- Anything at all: only a user's error, never a crash ----------------------------------------

JSON_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats()
                | st.text(max_size=30) | st.sampled_from(
                    ["", "clearance", "emergency", "em_5", "po_1", "zh_TW", "en", "-1",
                     "crisisdesk-scenarios"]))
SCENARIO_KEYS = st.text(max_size=12) | st.sampled_from(
    ["key", "category", "subtype", "title", "zh_TW", "en", "injects", "offset_minutes",
     "from", "to", "message", "expected", "stage", "task", "source"])


def _containers(children: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """Lists and objects of *children* (a named function: hypothesis reads a lambda's source
    to check that it recurses, and cannot read this one's across lines)."""
    return st.lists(children, max_size=4) | st.dictionaries(SCENARIO_KEYS, children, max_size=5)


JSON_VALUES = st.recursive(JSON_SCALARS, _containers, max_leaves=25)


def _parses_or_refuses(data: object) -> None:
    try:
        parse_scenarios(data, playbook())
    except (ValidationError, UserError):
        pass


@settings(max_examples=150, deadline=None)
@given(JSON_VALUES)
def test_arbitrary_json_is_parsed_or_refused(data: object) -> None:
    _parses_or_refuses(data)
    _parses_or_refuses({"format": "crisisdesk-scenarios", "format_version": 1,
                        "scenarios": [data]})


SHIPPED_PATHS = [p for p in value_paths(shipped_raw()) if p]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SHIPPED_PATHS), JSON_VALUES, st.booleans())
def test_the_shipped_file_with_any_one_value_replaced_is_parsed_or_refused(
    path: tuple[Any, ...], value: object, delete: bool
) -> None:
    _parses_or_refuses(with_one_change(shipped_raw(), path, value, delete))


# -- A scenario from an archived case -----------------------------------------------------------


def test_an_archived_case_becomes_a_scenario_that_replays_it(db: Database) -> None:
    start = utcnow() - timedelta(hours=2)
    incident_id = open_incident(db, HEAD, "keelung", draft(
        started_at=start, category_key="emergency", subtype_key="em_3", level_key="high",
        level_reason="涉及內部人員", scope="快遞貨棧；報關業者甲"))
    # Entered out of order, as happens: the scenario puts them in the order they happened.
    add_entry(db, HEAD, incident_id, "report", "已清查 12 櫃，王關員之班表疑外洩",
              start + timedelta(minutes=30))
    add_entry(db, HEAD, incident_id, "note", "政風室已到場", start + timedelta(minutes=10))
    add_entry(db, HEAD, incident_id, "note", "前一日即有密報", start - timedelta(minutes=20))
    record_notification(db, HEAD, incident_id, target_group="commander", member_id="",
                        recipient="李科長", acting_for="副關務長", means="phone",
                        notified_at=start + timedelta(minutes=5))
    with pytest.raises(UserError):  # still open
        scenario_from_case(incident_view(db, incident_id, utcnow(), 10))
    _run_to_archive(db, incident_id)
    view = incident_view(db, incident_id, utcnow(), 10)

    scenario = scenario_from_case(view)
    assert scenario.key == f"case-{view.id}"
    assert (scenario.category, scenario.subtype) == ("emergency", "em_3")
    assert scenario.title["zh_TW"] == "加熱菸走私案"
    assert view.number in scenario.source and view.number.startswith("基隆關-")
    # The summary and scope as written, names included.
    assert "查獲貨櫃夾藏加熱菸" in scenario.background["zh_TW"]
    assert "報關業者甲" in scenario.background["zh_TW"]

    offsets = [i.offset_minutes for i in scenario.injects]
    assert offsets == sorted(offsets)
    assert offsets[:4] == [0, 5, 10, 30]  # the note dated before the start counts as minute 0
    messages = [i.message["zh_TW"] for i in scenario.injects]
    assert messages[0] == "前一日即有密報" and messages[2] == "政風室已到場"
    assert messages[3] == "已清查 12 櫃，王關員之班表疑外洩"
    deputy = scenario.injects[1]
    assert deputy.recipient == {"zh_TW": "總指揮兼發言人（李科長，代理副關務長）",
                                "en": "Commander and Spokesperson (李科長, deputy for 副關務長)"}
    assert deputy.sender["zh_TW"] == HEAD.name
    # _run_to_archive's notification of the executive secretary comes last.
    assert "王主秘" in scenario.injects[-1].recipient["zh_TW"]
    assert len(scenario.injects) == 5

    # Expected: the playbook's required tasks stage by stage, and the high level's notification.
    pb = view.playbook
    required = [t.text for s in pb.stages for t in s.tasks if t.required]
    assert [e.task for e in scenario.expected if e.task in required] == required
    assert [e.stage for e in scenario.expected] == sorted(e.stage for e in scenario.expected)
    notify = [e.task for e in scenario.expected if e.task not in required]
    assert notify == [{"zh_TW": "依高度危機迅速通報總指揮兼發言人。",
                       "en": "As a High-Level Crisis, notify the Commander and Spokesperson "
                             "at once."}]

    # A valid scenario: it parses back as it is.
    assert parse_scenarios(scenarios_to_dict([scenario]), pb) == (scenario,)


def test_a_case_with_nothing_to_replay_gives_no_scenario(db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft(level_key="low", suggested_level="low"))
    _run_to_archive(db, incident_id)
    view = incident_view(db, incident_id, utcnow(), 10)
    bare = replace(view, timeline=tuple(e for e in view.timeline if e.kind != "notified"))
    with pytest.raises(UserError) as caught:
        scenario_from_case(bare)
    assert "通報" in caught.value.message()
    low = scenario_from_case(view)
    assert any("處理後通報執行秘書" in e.task["zh_TW"] and "持續觀察" in e.task["zh_TW"]
               for e in low.expected if e.stage == 1)
