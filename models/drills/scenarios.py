"""The drill scenario library (模擬案由): scenarios as a JSON file (docs/scenario-format.md).

The procedure's drills (七、不定期演練) have the planning group test a handling group on a
chosen category of crisis (擇定不同危機事件類別對相關處理組進行測試), and the drill report
form names the simulated case (模擬案由). A scenario is such a case written out for the drill:
its background, the messages ("injects") that reach the team as the drill runs, and what the
drilled unit is expected to do, stage by stage.

This module is the format only: a pure parser from untrusted JSON to frozen dataclasses, its
canonical inverse and the shipped library (resources/scenarios/scenarios.json); a scenario
made from an archived case is models/case_scenarios.py's. It reads no database and no Qt. Every reference (category, subtype,
stage) is checked against the playbook it is given, and a problem is reported as a
`ValidationError` naming the JSON path (``scenarios[2].injects[1].offset_minutes: …``), through
models/core/json_reader.py like the playbook and case parsers. Nothing partial is returned.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from appinfo.resources import resource_path
from i18n import N_
from models.core.checks import MAX_LINE, MAX_TEXT, MAX_TITLE
from models.core.errors import ValidationError
from models.core.json_reader import JsonReader, check_format, load_json, shorten
from models.playbook.model import (
    TEXT_LANGUAGES,
    Playbook,
    Text,
    category_at,
    parse_playbook_json,
)

FORMAT = "crisisdesk-scenarios"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 2 * 1024 * 1024
"""A scenario file larger than this is refused before it is decoded."""

MAX_KEY = 64
MAX_OFFSET_MINUTES = 366 * 24 * 60
"""An inject comes at most a year after the drill starts; a larger number is a typing error
(and a window adding it to a clock would overflow)."""

SHIPPED_FILE = ("scenarios", "scenarios.json")
SHIPPED_PLAYBOOK_FILE = ("playbook", "default.json")
"""The playbook the shipped scenarios are written against (Keelung Customs' procedure)."""

_SCENARIO_KEYS = (
    "key", "category", "subtype", "title", "background", "injects", "expected", "source",
)
KEY_RUN = re.compile(r"[A-Za-z0-9_-]+")


# -- The records ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Inject:
    """A message that reaches the drilled team *offset_minutes* after the drill starts.

    ``sender`` and ``recipient`` are the file's ``from`` (who sends it: 記者, 立委辦公室,
    現場關員 …) and ``to`` (the team post or group it reaches)."""

    offset_minutes: int
    sender: Text
    recipient: Text
    message: Text


@dataclass(frozen=True)
class Expectation:
    """What the drilled unit is expected to do in one of the playbook's stages."""

    stage: int
    task: Text


@dataclass(frozen=True)
class Scenario:
    """One simulated case (模擬案由) of a category, with its injects in time order."""

    key: str
    category: str
    subtype: str
    title: Text
    background: Text
    injects: tuple[Inject, ...]
    expected: tuple[Expectation, ...]
    source: str
    """Where the scenario comes from (改寫自臺北關加熱菸案例（002）), or ""."""


# -- Parsing ------------------------------------------------------------------------------------


def parse_scenarios_json(text: str | bytes, playbook: Playbook) -> tuple[Scenario, ...]:
    """Parse a scenario file's text; a syntax error names the line and column."""
    data = load_json(text, wrong_kind=N_("is not a scenario file"), max_bytes=MAX_FILE_BYTES)
    return parse_scenarios(data, playbook)


def parse_scenarios(data: object, playbook: Playbook) -> tuple[Scenario, ...]:
    """Validate an untrusted JSON value against *playbook* and build the scenarios, or raise
    `ValidationError` naming the first bad field."""
    root = JsonReader(data)
    root.obj(allowed=("format", "format_version", "scenarios"))
    check_format(root, FORMAT, FORMAT_VERSION)
    keys: set[str] = set()
    return tuple(_scenario(s, playbook, keys) for s in root.get("scenarios").items())


def _text(r: JsonReader, *, limit: int) -> Text:
    """Bilingual text as in the playbook: {"zh_TW": ..., "en": ...}. The Chinese wording is
    required and not blank; English may be missing or empty."""
    for language in r.obj():
        if language not in TEXT_LANGUAGES:
            raise ValidationError(
                r.sub_path(shorten(language) if isinstance(language, str) else "?"),
                N_("is not a known language (use one of: {allowed})"),
                allowed=", ".join(TEXT_LANGUAGES),
            )
    zh = r.get("zh_TW").string(max_length=limit)
    en = r.get("en", optional=True, default="").string(allow_empty=True, max_length=limit)
    return {"zh_TW": zh, "en": en}


def _scenario(r: JsonReader, playbook: Playbook, keys: set[str]) -> Scenario:
    r.obj(allowed=_SCENARIO_KEYS)
    key_r = r.get("key")
    key = key_r.key()
    if len(key) > MAX_KEY:
        raise ValidationError(
            key_r.path, N_("is longer than {limit} characters"), limit=MAX_KEY
        )
    if key in keys:
        raise ValidationError(key_r.path, N_("repeats '{value}'"), value=key)
    keys.add(key)

    category = category_at(r.get("category"), playbook, max_length=MAX_LINE)
    subtype_r = r.get("subtype", optional=True, default="")
    subtype = subtype_r.string(allow_empty=True, max_length=MAX_LINE)
    if subtype and subtype not in {s.key for s in category.subtypes}:
        raise ValidationError(
            subtype_r.path,
            N_('unknown subtype "{value}" of the category "{category}"'),
            value=shorten(subtype),
            category=category.key,
        )

    title = _text(r.get("title"), limit=MAX_TITLE)
    background = _text(r.get("background"), limit=MAX_TEXT)
    injects: list[Inject] = []
    for item in r.get("injects").items():
        injects.append(_inject(item, injects[-1].offset_minutes if injects else 0))
    stages = {s.number for s in playbook.stages}
    expected = tuple(_expectation(item, stages) for item in r.get("expected").items())
    return Scenario(
        key=key,
        category=category.key,
        subtype=subtype,
        title=title,
        background=background,
        injects=tuple(injects),
        expected=expected,
        source=r.get("source", optional=True, default="").string(
            allow_empty=True, max_length=MAX_LINE
        ),
    )


def _inject(r: JsonReader, previous: int) -> Inject:
    r.obj(allowed=("offset_minutes", "from", "to", "message"))
    offset_r = r.get("offset_minutes")
    offset = offset_r.integer()
    if not 0 <= offset <= MAX_OFFSET_MINUTES:
        raise ValidationError(
            offset_r.path,
            N_("must be between 0 and {limit} minutes"),
            limit=MAX_OFFSET_MINUTES,
        )
    if offset < previous:
        raise ValidationError(
            offset_r.path,
            N_("comes before the inject above it ({previous} minutes)"),
            previous=previous,
        )
    return Inject(
        offset_minutes=offset,
        sender=_text(r.get("from"), limit=MAX_LINE),
        recipient=_text(r.get("to"), limit=MAX_LINE),
        message=_text(r.get("message"), limit=MAX_TEXT),
    )


def _expectation(r: JsonReader, stages: set[int]) -> Expectation:
    r.obj(allowed=("stage", "task"))
    stage_r = r.get("stage")
    number = stage_r.integer()
    if number not in stages:
        raise ValidationError(
            stage_r.path,
            N_("is not a stage of the playbook (1 to {last})"),
            last=len(stages),
        )
    return Expectation(stage=number, task=_text(r.get("task"), limit=MAX_TEXT))


# -- Writing: Scenario -> the documented JSON shape ------------------------------------------


def _text_dict(text: Text) -> dict[str, str]:
    return {language: text.get(language, "") for language in TEXT_LANGUAGES}


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """One scenario as its ``scenarios[]`` entry, every key written.
    `parse_scenarios` of the result gives back an equal scenario."""
    return {
        "key": scenario.key,
        "category": scenario.category,
        "subtype": scenario.subtype,
        "title": _text_dict(scenario.title),
        "background": _text_dict(scenario.background),
        "injects": [
            {
                "offset_minutes": i.offset_minutes,
                "from": _text_dict(i.sender),
                "to": _text_dict(i.recipient),
                "message": _text_dict(i.message),
            }
            for i in scenario.injects
        ],
        "expected": [{"stage": e.stage, "task": _text_dict(e.task)} for e in scenario.expected],
        "source": scenario.source,
    }


def scenarios_to_dict(scenarios: Sequence[Scenario]) -> dict[str, Any]:
    """A whole scenario file."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "scenarios": [scenario_to_dict(s) for s in scenarios],
    }


def scenarios_to_json(scenarios: Sequence[Scenario]) -> str:
    """Canonical text (sorted keys, two-space indent, UTF-8 as-is, final newline)."""
    return (
        json.dumps(scenarios_to_dict(scenarios), ensure_ascii=False, indent=2, sort_keys=True)
        + "\n"
    )


# -- The shipped library ------------------------------------------------------------------------


def default_scenarios(playbook: Playbook) -> tuple[Scenario, ...]:
    """The shipped scenarios (resources/scenarios/scenarios.json) that fit *playbook*.

    The file is checked in full against the shipped playbook it is written for, so a broken
    file is an error (`ValidationError`) whatever the office's playbook. An office may since
    have edited its playbook: a scenario of a category it no longer has is left out, one
    whose subtype it no longer has keeps its category with no subtype, and expected tasks of
    a stage it no longer has are left out (with the scenario, if none is left).
    """
    shipped = parse_playbook_json(resource_path(*SHIPPED_PLAYBOOK_FILE).read_bytes())
    scenarios = parse_scenarios_json(resource_path(*SHIPPED_FILE).read_bytes(), shipped)
    categories = {c.key: {s.key for s in c.subtypes} for c in playbook.categories}
    stages = {s.number for s in playbook.stages}
    fitted: list[Scenario] = []
    for s in scenarios:
        expected = tuple(e for e in s.expected if e.stage in stages)
        if s.category not in categories or not expected:
            continue
        subtype = s.subtype if s.subtype in categories[s.category] else ""
        fitted.append(replace(s, subtype=subtype, expected=expected))
    return tuple(fitted)


def by_category(scenarios: Sequence[Scenario]) -> dict[str, list[Scenario]]:
    """The scenarios grouped by category key; categories and scenarios keep the order they
    come in, and a category without scenarios has no entry."""
    grouped: dict[str, list[Scenario]] = {}
    for scenario in scenarios:
        grouped.setdefault(scenario.category, []).append(scenario)
    return grouped
