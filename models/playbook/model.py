"""The crisis playbook as a typed, validated document.

The playbook is the office's written procedure (財政部關務署基隆關危機管理作業流程) turned into
data: basis and purpose, the team's six groups and their duties, the roster with deputies, the
four incident categories, the three severity levels, the six response stages and the drill
procedure. One JSON shape serves the shipped default (resources/playbook/default.json), the
stored versions in the database and the export/import file (docs/playbook-format.md), so there
is one parser and one set of rules for all three.

Parsing never trusts its input: every problem is reported with the path of the offending field
(for example ``team.groups[2].duties[0].zh_TW``) so a person can find it in the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from i18n import N_, pick
from models.core.errors import ValidationError
from models.core.json_reader import JsonReader, check_format, load_json, shorten, unique
from models.playbook.drill_rules import DrillRules, drill_rules_dict, parse_drill_rules
from models.playbook.holidays import Holiday, holidays_to_list, parse_holidays
from models.playbook.records import RecordRules, parse_record_rules, record_rules_dict

FORMAT = "crisisdesk-playbook"
FORMAT_VERSION = 1
TEXT_LANGUAGES = ("zh_TW", "en")
"""Bilingual text: Traditional Chinese is the authoritative wording; English may be empty."""

LEVEL_TIMINGS = ("immediate", "after_handling")
FIELD_KINDS = ("unit", "datetime", "categories", "text", "longtext", "people", "list")
PERSON_FIELDS = ("name", "title", "unit", "office_phone", "extension", "mobile", "email")

Text = Mapping[str, str]


@dataclass(frozen=True)
class Person:
    """Contact card of whoever holds a post, or of their designated deputy."""

    name: str = ""
    title: str = ""
    unit: str = ""
    office_phone: str = ""
    extension: str = ""
    mobile: str = ""
    email: str = ""


@dataclass(frozen=True)
class Group:
    key: str
    name: Text
    responsible: Text
    duties: tuple[Text, ...]


@dataclass(frozen=True)
class Member:
    """One post on the standing team: its holder and the holder's deputy (職務代理人)."""

    id: str
    group: str
    post: Text
    holder: Person
    deputy: Person


@dataclass(frozen=True)
class Subtype:
    key: str
    text: Text


@dataclass(frozen=True)
class Category:
    key: str
    name: Text
    drill_item: Text
    definition: Text
    subtypes: tuple[Subtype, ...]


@dataclass(frozen=True)
class Level:
    key: str
    name: Text
    definition: Text
    notify_group: str
    timing: str
    keep_watching: bool
    report_within_minutes: int | None = None
    """The office's limit from learning of the incident to telling the post it names
    (models/incidents/clocks_report.py); None: no limit."""
    update_every_minutes: int | None = None
    """How often the commander gets a situation report (處理情形) while the incident is at
    this level; None: no cadence."""


@dataclass(frozen=True)
class Task:
    key: str
    text: Text
    required: bool = True


@dataclass(frozen=True)
class Stage:
    number: int
    name: Text
    tasks: tuple[Task, ...]
    responsible: Text
    responsible_groups: tuple[str, ...]


@dataclass(frozen=True)
class DrillStep:
    key: str
    name: Text
    text: Text
    actor_groups: tuple[str, ...]


@dataclass(frozen=True)
class FormField:
    key: str
    label: Text
    kind: str


@dataclass(frozen=True)
class ReportForm:
    title: Text
    fields: tuple[FormField, ...]
    signers: tuple[str, ...]


@dataclass(frozen=True)
class Drill:
    text: Text
    steps: tuple[DrillStep, ...]
    report_form: ReportForm
    rules: DrillRules = DrillRules()
    """The office's drill rules (models.playbook.drill_rules): the defaults when the file
    gives none."""


@dataclass(frozen=True)
class Team:
    rule: Text
    groups: tuple[Group, ...]
    members: tuple[Member, ...]


@dataclass(frozen=True)
class Playbook:
    office_code: str
    office_name: Text
    title: Text
    basis: tuple[Text, ...]
    purpose: Text
    team: Team
    categories: tuple[Category, ...]
    level_rule: Text
    levels: tuple[Level, ...]
    stages: tuple[Stage, ...]
    drill: Drill
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Top-level keys this version of the app does not know; kept so nothing is lost."""
    holidays: tuple[Holiday, ...] = ()
    """The office's holidays, which the working-day clocks skip (models.playbook.holidays)."""
    records: RecordRules = field(default_factory=RecordRules)
    """The office's default retention of its records (models.playbook.records)."""

    def group(self, key: str) -> Group:
        return next(g for g in self.team.groups if g.key == key)

    def members_of(self, group_key: str) -> tuple[Member, ...]:
        return tuple(m for m in self.team.members if m.group == group_key)

    def with_members(self, members: Sequence[Member]) -> Playbook:
        return replace(self, team=replace(self.team, members=tuple(members)))

    def label(self) -> str:
        return pick(self.title)


# ---------------------------------------------------------------------------------------------
# Parsing: untrusted JSON value -> Playbook, or ValidationError naming the field.


def _text(r: JsonReader, *, required: bool = True) -> Text:
    """Bilingual text: {"zh_TW": ..., "en": ...}; the Chinese wording is required."""
    data = r.obj()
    unknown = sorted(set(data) - set(TEXT_LANGUAGES))
    if unknown:
        raise ValidationError(
            r.sub_path(unknown[0]),
            N_("is not a known language (use one of: {allowed})"),
            allowed=", ".join(TEXT_LANGUAGES),
        )
    zh = r.get("zh_TW", optional=not required, default="").string(allow_empty=not required)
    en = r.get("en", optional=True, default="").string(allow_empty=True)
    return {"zh_TW": zh, "en": en}


def _texts(r: JsonReader) -> tuple[Text, ...]:
    return tuple(_text(item) for item in r.items())


PHONE_FIELDS = frozenset({"office_phone", "extension", "mobile"})
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_PHONE = re.compile(r"(?:[0-9 +\-()#]|ext\.?)*", re.IGNORECASE)


def person_problem(person: Person) -> tuple[str, str] | None:
    """The first contact field (top to bottom) that cannot be right: (field, message id).

    Light checks only: a plausible but wrong number still passes, an impossible one does not
    reach the roster that people will phone from in a crisis. The roster editor checks as the
    user types; the parser applies the same rule to every saved or imported playbook.
    """
    for name in PERSON_FIELDS:
        value = getattr(person, name).strip()
        if not value:
            continue
        if name in PHONE_FIELDS and (
            not _PHONE.fullmatch(value) or not any(c.isdigit() for c in value)
        ):
            return name, N_("Use only digits, spaces and + - ( ) # or \"ext\" in a phone number.")
        if name == "email" and not _EMAIL.fullmatch(value):
            return name, N_("This does not look like an e-mail address (name@example.gov.tw).")
    return None


def _person(r: JsonReader) -> Person:
    r.obj()
    person = Person(
        **{name: r.get(name, optional=True, default="").string(allow_empty=True)
           for name in PERSON_FIELDS}
    )
    problem = person_problem(person)
    if problem is not None:
        raise ValidationError(f"{r.path}.{problem[0]}", problem[1])
    return person


def _keys(r: JsonReader) -> tuple[str, ...]:
    return tuple(item.key() for item in r.items())


def parse_playbook(data: Any) -> Playbook:
    """Validate an untrusted JSON value and build the playbook, or raise ValidationError."""
    root = JsonReader(data, "")
    obj = root.obj()
    check_format(root, FORMAT, FORMAT_VERSION)

    office = root.get("office")
    team_r = root.get("team")
    groups = tuple(
        Group(
            key=g.get("key").key(),
            name=_text(g.get("name")),
            responsible=_text(g.get("responsible")),
            duties=_texts(g.get("duties")),
        )
        for g in team_r.get("groups").items()
    )
    members = tuple(
        Member(
            id=m.get("id").string(),
            group=m.get("group").key(),
            post=_text(m.get("post")),
            holder=_person(m.get("holder")),
            deputy=_person(m.get("deputy")),
        )
        for m in team_r.get("members").items(non_empty=False)
    )
    categories = tuple(
        Category(
            key=c.get("key").key(),
            name=_text(c.get("name")),
            drill_item=_text(c.get("drill_item")),
            definition=_text(c.get("definition", optional=True, default={}), required=False),
            subtypes=tuple(
                Subtype(key=s.get("key").key(), text=_text(s.get("text")))
                for s in c.get("subtypes", optional=True, default=[]).items(non_empty=False)
            ),
        )
        for c in root.get("categories").items()
    )
    levels = tuple(
        Level(
            key=lv.get("key").key(),
            name=_text(lv.get("name")),
            definition=_text(lv.get("definition")),
            notify_group=lv.get("notify_group").key(),
            timing=lv.get("timing").choice(LEVEL_TIMINGS),
            keep_watching=lv.get("keep_watching").boolean(),
        )
        for lv in root.get("levels").items()
    )
    levels = _with_clocks(root.get("levels"), levels)
    stages = tuple(
        Stage(
            number=s.get("number").integer(),
            name=_text(s.get("name")),
            tasks=tuple(
                Task(
                    key=t.get("key").key(),
                    text=_text(t.get("text")),
                    required=t.get("required", optional=True, default=True).boolean(),
                )
                for t in s.get("tasks").items()
            ),
            responsible=_text(s.get("responsible")),
            responsible_groups=_keys(s.get("responsible_groups")),
        )
        for s in root.get("stages").items()
    )
    drill_r = root.get("drill")
    form_r = drill_r.get("report_form")
    drill = Drill(
        text=_text(drill_r.get("text")),
        steps=tuple(
            DrillStep(
                key=st.get("key").key(),
                name=_text(st.get("name")),
                text=_text(st.get("text")),
                actor_groups=_keys(st.get("actor_groups")),
            )
            for st in drill_r.get("steps").items()
        ),
        report_form=ReportForm(
            title=_text(form_r.get("title")),
            fields=tuple(
                FormField(
                    key=f.get("key").key(),
                    label=_text(f.get("label")),
                    kind=f.get("kind").choice(FIELD_KINDS),
                )
                for f in form_r.get("fields").items()
            ),
            signers=_keys(form_r.get("signers")),
        ),
        rules=parse_drill_rules(drill_r),
    )
    known = {"format", "format_version", "office", "title", "basis", "purpose", "team",
             "categories", "level_rule", "levels", "stages", "drill",
             "holidays", "records"}
    playbook = Playbook(
        office_code=office.get("code").key(),
        office_name=_text(office.get("name")),
        title=_text(root.get("title")),
        basis=_texts(root.get("basis")),
        purpose=_text(root.get("purpose")),
        team=Team(rule=_text(team_r.get("rule")), groups=groups, members=members),
        categories=categories,
        level_rule=_text(root.get("level_rule")),
        levels=levels,
        stages=stages,
        drill=drill,
        extra={k: v for k, v in obj.items() if k not in known},
        holidays=parse_holidays(root.get("holidays", optional=True, default=[])),
        records=parse_record_rules(root),
    )
    _check_references(playbook)
    return playbook


CLOCK_FIELDS = ("report_within_minutes", "update_every_minutes")
"""A level's clocks, in minutes (null: none). A file without them (written before they
existed) gets the default of the level's place, `level_clock_defaults`."""
MAX_CLOCK_MINUTES = 7 * 24 * 60
_CLOCK_DEFAULTS = {"report_within_minutes": (30, 60, None),
                   "update_every_minutes": (60, 240, None)}
"""By place (most severe, between, least severe): tell the commander within 30 minutes and
update them hourly; tell the executive secretary within an hour and update every four hours;
the lowest level is told after handling (處理後通報) and watched, with neither clock."""


def level_clock_defaults(index: int, count: int) -> dict[str, int | None]:
    """The clocks of the level at *index* of *count* levels when the playbook does not set
    them: the first level is the most severe, the last the least (as suggest_level reads)."""
    place = 0 if index == 0 else 2 if index == count - 1 else 1
    return {name: values[place] for name, values in _CLOCK_DEFAULTS.items()}


def _with_clocks(r: JsonReader, levels: tuple[Level, ...]) -> tuple[Level, ...]:
    """The levels with their clocks as the file gives them, or the defaults of their place."""
    found = []
    for index, (item, level) in enumerate(zip(r.items(), levels, strict=True)):
        values = level_clock_defaults(index, len(levels))
        for name in CLOCK_FIELDS:
            if item.has(name) and not item.get(name).is_null:
                minutes = item.get(name).integer()
                if not 1 <= minutes <= MAX_CLOCK_MINUTES:
                    raise ValidationError(item.sub_path(name), N_(
                        "must be between 1 and {limit} minutes, or null for none"),
                        limit=MAX_CLOCK_MINUTES)
                values[name] = minutes
            elif item.has(name):
                values[name] = None
        found.append(replace(level, report_within_minutes=values["report_within_minutes"],
                             update_every_minutes=values["update_every_minutes"]))
    return tuple(found)


def level_clock_dict(levels: Sequence[Level], level: Level) -> dict[str, int | None]:
    """The clocks of *level* to write: only those that differ from its place's default, so
    that a playbook written before the clocks existed keeps its canonical text (and the
    shipped version 1 its id on every PC, models/playbook/shipped.py)."""
    index = next(i for i, lv in enumerate(levels) if lv.key == level.key)
    defaults = level_clock_defaults(index, len(levels))
    return {name: getattr(level, name) for name in CLOCK_FIELDS
            if getattr(level, name) != defaults[name]}


def _check_references(pb: Playbook) -> None:
    """Cross-field rules: unique keys, and every reference to a group points at one."""
    unique([g.key for g in pb.team.groups], "team.groups")
    unique([m.id for m in pb.team.members], "team.members")
    unique([c.key for c in pb.categories], "categories")
    for i, c in enumerate(pb.categories):
        unique([s.key for s in c.subtypes], f"categories[{i}].subtypes")
    unique([lv.key for lv in pb.levels], "levels")
    unique([f.key for f in pb.drill.report_form.fields], "drill.report_form.fields")
    groups = {g.key for g in pb.team.groups}

    def known(key: str, path: str) -> None:
        if key not in groups:
            raise ValidationError(
                path, N_("refers to the unknown team group '{key}'"), key=key
            )

    for i, m in enumerate(pb.team.members):
        known(m.group, f"team.members[{i}].group")
    for i, lv in enumerate(pb.levels):
        known(lv.notify_group, f"levels[{i}].notify_group")
    numbers = [s.number for s in pb.stages]
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValidationError("stages", N_("must be numbered 1, 2, 3 … in order"))
    for i, s in enumerate(pb.stages):
        unique([t.key for t in s.tasks], f"stages[{i}].tasks")
        for j, g in enumerate(s.responsible_groups):
            known(g, f"stages[{i}].responsible_groups[{j}]")
    unique([st.key for st in pb.drill.steps], "drill.steps")
    for i, st in enumerate(pb.drill.steps):
        for j, g in enumerate(st.actor_groups):
            known(g, f"drill.steps[{i}].actor_groups[{j}]")
    for j, g in enumerate(pb.drill.report_form.signers):
        known(g, f"drill.report_form.signers[{j}]")


def category_at(r: JsonReader, pb: Playbook, *, max_length: int = 200) -> Category:
    """The playbook category a file names at *r* (its key), or an error naming that path:
    case and scenario files refer to the playbook's categories the same way."""
    key = r.string(max_length=max_length)
    category = next((c for c in pb.categories if c.key == key), None)
    if category is None:
        raise ValidationError(r.path, N_('unknown category "{value}"'), value=shorten(key))
    return category


def parse_playbook_json(text: str | bytes) -> Playbook:
    """Parse a playbook file's bytes; a syntax error names the line and column."""
    return parse_playbook(load_json(text, wrong_kind=N_("is not a playbook file")))


# ---------------------------------------------------------------------------------------------
# Serialising: Playbook -> the documented JSON shape.


def _person_dict(p: Person) -> dict[str, str]:
    return {name: getattr(p, name) for name in PERSON_FIELDS}


def _text_dict(t: Text) -> dict[str, str]:
    return {lang: t.get(lang, "") for lang in TEXT_LANGUAGES}


def playbook_to_dict(pb: Playbook) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "office": {"code": pb.office_code, "name": _text_dict(pb.office_name)},
        "title": _text_dict(pb.title),
        "basis": [_text_dict(t) for t in pb.basis],
        "purpose": _text_dict(pb.purpose),
        "team": {
            "rule": _text_dict(pb.team.rule),
            "groups": [
                {
                    "key": g.key,
                    "name": _text_dict(g.name),
                    "responsible": _text_dict(g.responsible),
                    "duties": [_text_dict(d) for d in g.duties],
                }
                for g in pb.team.groups
            ],
            "members": [
                {
                    "id": m.id,
                    "group": m.group,
                    "post": _text_dict(m.post),
                    "holder": _person_dict(m.holder),
                    "deputy": _person_dict(m.deputy),
                }
                for m in pb.team.members
            ],
        },
        "categories": [
            {
                "key": c.key,
                "name": _text_dict(c.name),
                "drill_item": _text_dict(c.drill_item),
                "definition": _text_dict(c.definition),
                "subtypes": [{"key": s.key, "text": _text_dict(s.text)} for s in c.subtypes],
            }
            for c in pb.categories
        ],
        "level_rule": _text_dict(pb.level_rule),
        "levels": [
            {
                "key": lv.key,
                "name": _text_dict(lv.name),
                "definition": _text_dict(lv.definition),
                "notify_group": lv.notify_group,
                "timing": lv.timing,
                "keep_watching": lv.keep_watching,
                **level_clock_dict(pb.levels, lv),
            }
            for lv in pb.levels
        ],
        "stages": [
            {
                "number": s.number,
                "name": _text_dict(s.name),
                "tasks": [
                    {"key": t.key, "text": _text_dict(t.text), "required": t.required}
                    for t in s.tasks
                ],
                "responsible": _text_dict(s.responsible),
                "responsible_groups": list(s.responsible_groups),
            }
            for s in pb.stages
        ],
        "drill": {
            "text": _text_dict(pb.drill.text),
            "steps": [
                {
                    "key": st.key,
                    "name": _text_dict(st.name),
                    "text": _text_dict(st.text),
                    "actor_groups": list(st.actor_groups),
                }
                for st in pb.drill.steps
            ],
            "report_form": {
                "title": _text_dict(pb.drill.report_form.title),
                "fields": [
                    {"key": f.key, "label": _text_dict(f.label), "kind": f.kind}
                    for f in pb.drill.report_form.fields
                ],
                "signers": list(pb.drill.report_form.signers),
            },
            **drill_rules_dict(pb.drill.rules),
        },
        **dict(pb.extra),
        # Written only when there are some: a playbook without holidays keeps its bytes.
        **({"holidays": holidays_to_list(pb.holidays)} if pb.holidays else {}),
        **record_rules_dict(pb.records),
    }


def playbook_to_json(pb: Playbook) -> str:
    """Canonical text (sorted keys, fixed indent): equal playbooks give equal bytes and hashes."""
    return json.dumps(playbook_to_dict(pb), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# ---------------------------------------------------------------------------------------------
# Comparing two versions.


@dataclass(frozen=True)
class Change:
    """One difference between two playbook versions, located for a reader, not a parser."""

    where: tuple[str, ...]
    old: str | None
    new: str | None

    @property
    def kind(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed"


def _item_label(item: Any, index: int) -> tuple[str, str]:
    """Match list items by their stable key; label them by their name in the user's language."""
    if isinstance(item, dict):
        for key_field in ("key", "id", "number", "date"):  # a holiday by its date
            if key_field in item:
                ident = f"{key_field}={item[key_field]}"
                for name_field in ("name", "post", "label", "text"):
                    value = item.get(name_field)
                    if isinstance(value, dict):
                        return ident, _short(pick(value)) or str(item[key_field])
                return ident, str(item[key_field])
        if set(item) <= set(TEXT_LANGUAGES):
            return f"#{index}", f"{index + 1}. {_short(pick(item))}"
    return f"#{index}", str(index + 1)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _flat(value: Any) -> str:
    if isinstance(value, dict) and value and set(value) <= set(TEXT_LANGUAGES):
        return pick(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def diff_playbooks(old: Playbook, new: Playbook) -> list[Change]:
    """Every field that differs between two versions, in document order."""
    changes: list[Change] = []

    def walk(a: Any, b: Any, where: tuple[str, ...]) -> None:
        if a == b:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            if set(a) | set(b) <= set(TEXT_LANGUAGES):
                # One change per language: an edit of the Chinese wording must show even
                # to someone reading the English side.
                changes.extend(
                    Change(where + (lang,), a.get(lang, ""), b.get(lang, ""))
                    for lang in TEXT_LANGUAGES
                    if a.get(lang, "") != b.get(lang, "")
                )
                return
            for key in list(a) + [k for k in b if k not in a]:
                if key not in b:
                    changes.append(Change(where + (key,), _flat(a[key]), None))
                elif key not in a:
                    changes.append(Change(where + (key,), None, _flat(b[key])))
                else:
                    walk(a[key], b[key], where + (key,))
            return
        if isinstance(a, list) and isinstance(b, list):
            a_ids = [_item_label(x, i) for i, x in enumerate(a)]
            b_ids = [_item_label(x, i) for i, x in enumerate(b)]
            b_index = {ident: i for i, (ident, _label) in enumerate(b_ids)}
            a_index = {ident: i for i, (ident, _label) in enumerate(a_ids)}
            for i, (ident, label) in enumerate(a_ids):
                if ident in b_index:
                    walk(a[i], b[b_index[ident]], where + (label,))
                else:
                    changes.append(Change(where + (label,), _flat(a[i]), None))
            for i, (ident, label) in enumerate(b_ids):
                if ident not in a_index:
                    changes.append(Change(where + (label,), None, _flat(b[i])))
            return
        changes.append(Change(where, _flat(a), _flat(b)))

    walk(playbook_to_dict(old), playbook_to_dict(new), ())
    return changes


def roster_gaps(pb: Playbook) -> list[Member]:
    """Posts whose holder or deputy has no name yet: the roster is not ready for an incident."""
    return [m for m in pb.team.members if not m.holder.name.strip() or not m.deputy.name.strip()]


def has_phone(person: Person) -> bool:
    return bool(person.office_phone.strip() or person.mobile.strip())


def without_phones(members: Iterable[Member]) -> list[Member]:
    """The *members* whose holder or deputy has no phone number on the roster."""
    return [m for m in members if not (has_phone(m.holder) and has_phone(m.deputy))]


def posts_without_phones(pb: Playbook) -> list[Member]:
    """The posts a level notifies whose holder or deputy has no phone number on the roster:
    in an incident nobody could be called from the app. Notified first, first listed."""
    groups = list(dict.fromkeys(level.notify_group for level in pb.levels))
    return without_phones(m for group in groups for m in pb.team.members if m.group == group)


CORRECTIVE_STATUSES = {"open": N_("Open"), "done": N_("Done")}
"""The states of a corrective action (改善措施), an incident's or a drill evaluation's alike."""


def level_by_key(playbook: Playbook, key: str) -> Level:
    for level in playbook.levels:
        if level.key == key:
            return level
    raise KeyError(key)
