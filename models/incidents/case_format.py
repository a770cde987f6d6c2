"""The case exchange format: archived crisis cases as a JSON file (docs/case-format.md).

After an incident the handling group files a case record (案例檔案) "for later reference and
improvement" (處理組：…並於事後做成案例檔案，供日後參考改進). A case file carries such
records from one PC or office to another, and the app's demo cases (resources/demo/cases.json)
use the same shape and the same parser.

This module is the format only: a pure parser from untrusted JSON to frozen dataclasses, and
the canonical inverse. It reads no database and no Qt. Every reference (category, subtype,
level, team group, stage and task) is checked against the playbook it is given, and units
against the office's shipped unit list (resources/units.json). A problem is reported as a
`ValidationError` naming the JSON path, e.g. ``cases[0].category: unknown category "foo"``,
exactly as the playbook parser does (both use models/core/json_reader.py). Nothing partial is
returned: one bad field rejects the whole file.

The vocabularies (sources, means, statuses, stage fields) are the incident's own, from
models/incidents/kinds.py: a case file holds exactly what an incident held.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from i18n import N_
from models.core.checks import CLOCK_SKEW, MAX_LINE, MAX_TEXT, MAX_TITLE
from models.core.errors import UserError, ValidationError
from models.core.json_reader import JsonReader, check_format, load_json, shorten
from models.incidents.kinds import (
    ACTION_STATUSES,
    CONFIRMERS,
    DECISION_POSTS,
    FIELDS,
    MEANS,
    SOURCES,
    STATEMENT_KINDS,
)
from models.incidents.media_kinds import (
    MAX_LINK,
    MEDIA_CHANNELS,
    REACHES,
    TONES,
    is_web_address,
)
from models.incidents.case_header import case_header_dict, parse_case_header
from models.incidents.inquiry_case import Inquiry, inquiry_to_dict, parse_inquiry
from models.org.offices import office
from models.playbook.model import CORRECTIVE_STATUSES, Playbook, category_at
from models.playbook.records import RecordHeader

FORMAT = "crisisdesk-cases"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 5 * 1024 * 1024
"""A case file larger than this is refused before it is decoded."""

FUTURE_TOLERANCE = CLOCK_SKEW
"""How far a start or end may lie ahead of this PC's clock: other PCs' clocks differ a little."""

# The vocabularies are the incident's own (models.incidents.kinds): a case file holds what an
# incident held. A case records only tasks that were settled, so "open" is not a case state.
CASE_TASK_STATES = ("done", "not_applicable")
FIELD_KEYS: tuple[str, ...] = tuple(FIELDS)
TIME_FIELDS = frozenset(k for k, spec in FIELDS.items() if spec.kind == "datetime")
"""Fields that hold a time; stored in canonical form (ISO 8601, UTC)."""
LINE_FIELDS = frozenset(k for k, spec in FIELDS.items() if spec.kind == "line")
"""Fields of one line (MAX_LINE); the rest are free texts (MAX_TEXT)."""

_CASE_KEYS = (
    "title", "summary", "started_at", "ended_at", "location", "reporting_unit", "source",
    "category", "subtype", "scope", "level", "level_reason", "fields", "notifications", "tasks",
    "actions", "reports", "statements", "negotiations", "corrective_actions", "notes",
    "media",
    "inquiries",
    "decisions",
    "header",
)


# -- The records ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Notification:
    """Stage 1 (依危機等級視情形陳報): who was told, by what means, and when they acknowledged.

    ``acting_for`` names the absent post holder when their deputy (職務代理人) took it.
    """

    target: str
    recipient: str
    acting_for: str
    means: str
    at: datetime
    acknowledged_at: datetime | None


@dataclass(frozen=True)
class TaskRecord:
    """The state of one of the playbook's stage tasks: done, or not applicable and why."""

    stage: int
    task: str
    state: str
    reason: str
    remark: str
    at: datetime


@dataclass(frozen=True)
class Action:
    """Stage 3: one response action (a task of the board), the group carrying it out and the
    resources it uses; who owns it, by when, and the decision that gave it."""

    description: str
    group: str
    resources: str
    status: str
    owner: str = ""
    due: datetime | None = None
    decision: int | None = None
    """The number of the case's decision that gave it (1 is the first of `decisions`)."""


@dataclass(frozen=True)
class Decision:
    """A decision of the incident's command (各項應變措施之決定): when, who decided and as
    what (``acting_for``: the post holder a deputy decided for, 代), on what basis, the options
    weighed, and what was decided."""

    at: datetime
    decided_by: str
    post: str
    acting_for: str
    basis: str
    options: str
    decision: str


@dataclass(frozen=True)
class TimedText:
    """A dated text: a stage 3 progress report (隨時回報), a note, a statement version."""

    at: datetime
    text: str


@dataclass(frozen=True)
class Signoff:
    """A statement's legal review (法務組) or approval (總指揮): when and by whom."""

    at: datetime
    name: str


@dataclass(frozen=True)
class Release:
    """Which version of a statement was released (1 = the first), when, and where."""

    version: int
    at: datetime
    channel: str


@dataclass(frozen=True)
class Statement:
    """Stage 4: a press statement or clarification, its versions and its sign-offs."""

    kind: str
    title: str
    versions: tuple[TimedText, ...]
    legal_review: Signoff | None
    approved: Signoff | None
    released: Release | None


@dataclass(frozen=True)
class MediaRecord:
    """Stage 4's media watch (蒐集輿情): an item seen in the media, and the statement that
    answers it (*statement*: its place in the case's statements, 1 = the first)."""

    outlet: str
    channel: str
    seen_at: datetime
    headline: str
    link: str
    clipping: str
    tone: str
    reach: str
    reach_note: str
    needs_clarification: bool
    statement: int | None


@dataclass(frozen=True)
class Negotiation:
    """Stage 5 (協調談判): one party, its position, what was agreed and what comes next."""

    party: str
    position: str
    agreement: str
    next_step: str


@dataclass(frozen=True)
class CorrectiveAction:
    """Stage 6: something to change so the crisis does not recur."""

    description: str
    owner: str
    due: date | None
    status: str


@dataclass(frozen=True)
class CaseRecord:
    """One archived case, run through the playbook's six stages. Times are aware, in UTC."""

    office_code: str
    title: str
    summary: str
    started_at: datetime
    ended_at: datetime | None
    location: str
    reporting_unit: str
    source: str
    category: str
    subtype: str
    scope: str
    level: str
    level_reason: str
    fields: Mapping[str, str]
    notifications: tuple[Notification, ...]
    tasks: tuple[TaskRecord, ...]
    actions: tuple[Action, ...]
    reports: tuple[TimedText, ...]
    statements: tuple[Statement, ...]
    negotiations: tuple[Negotiation, ...]
    corrective_actions: tuple[CorrectiveAction, ...]
    notes: tuple[TimedText, ...]
    media: tuple[MediaRecord, ...] = ()
    inquiries: tuple[Inquiry, ...] = ()
    """Legislators' inquiries (models.incidents.inquiry_case)."""
    decisions: tuple[Decision, ...] = ()
    header: RecordHeader = RecordHeader()
    """Its 公文 header (models.incidents.case_header), as the office that filed it set it."""

    def field_time(self, key: str) -> datetime | None:
        """A time field (`TIME_FIELDS`) as an aware datetime, or None when it is not filled."""
        value = self.fields.get(key, "")
        return datetime.fromisoformat(value) if value else None


# -- Parsing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    playbook: Playbook
    office_code: str
    units: frozenset[str]
    now: datetime


def parse_cases_json(
    text: str | bytes, playbook: Playbook, *, now: datetime | None = None
) -> tuple[CaseRecord, ...]:
    """Parse a case file's text; a syntax error names the line and column."""
    data = load_json(text, wrong_kind=N_("is not a case file"), max_bytes=MAX_FILE_BYTES)
    return parse_cases(data, playbook, now=now)


def parse_cases(
    data: object, playbook: Playbook, *, now: datetime | None = None
) -> tuple[CaseRecord, ...]:
    """Validate an untrusted JSON value against *playbook* and build the cases, or raise
    `ValidationError` naming the first bad field. *now* (default: this PC's clock) is what
    "in the future" is measured against."""
    root = JsonReader(data)
    root.obj(allowed=("format", "format_version", "office", "cases"))
    check_format(root, FORMAT, FORMAT_VERSION)
    office_r = root.get("office")
    code = office_r.string(max_length=MAX_LINE)
    try:
        info = office(code)
    except UserError:
        raise ValidationError(
            office_r.path, N_('unknown office "{value}"'), value=shorten(code)
        ) from None
    ctx = _Context(
        playbook=playbook,
        office_code=code,
        units=frozenset(u.key for u in info.units),
        now=now if now is not None else datetime.now(UTC),
    )
    return tuple(_case(c, ctx) for c in root.get("cases").items())


def _text(r: JsonReader, key: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    """A string member: *required* ones must be there and not blank; others default to ""."""
    if required:
        return r.get(key).string(max_length=limit)
    return r.get(key, optional=True, default="").string(allow_empty=True, max_length=limit)


def _optional_moment(r: JsonReader, key: str) -> datetime | None:
    value = r.get(key, optional=True)
    return None if value.is_null else value.moment()


def _list(r: JsonReader, key: str) -> list[JsonReader]:
    return list(r.get(key, optional=True, default=[]).items(non_empty=False))


def _not_future(r: JsonReader, moment: datetime, ctx: _Context) -> None:
    if moment > ctx.now + FUTURE_TOLERANCE:
        raise ValidationError(r.path, N_("is in the future"))


def _case(r: JsonReader, ctx: _Context) -> CaseRecord:
    r.obj(allowed=_CASE_KEYS)
    pb = ctx.playbook

    started_r = r.get("started_at")
    started_at = started_r.moment()
    _not_future(started_r, started_at, ctx)
    ended_r = r.get("ended_at", optional=True)
    ended_at = None if ended_r.is_null else ended_r.moment()
    if ended_at is not None:
        if ended_at < started_at:
            raise ValidationError(ended_r.path, N_("is before started_at"))
        _not_future(ended_r, ended_at, ctx)

    unit_r = r.get("reporting_unit", optional=True, default="")
    unit = unit_r.string(allow_empty=True, max_length=MAX_LINE)
    if unit and unit not in ctx.units:
        raise ValidationError(
            unit_r.path,
            N_('unknown unit "{value}" of the office "{office}"'),
            value=shorten(unit),
            office=ctx.office_code,
        )

    category = category_at(r.get("category"), pb, max_length=MAX_LINE)
    category_key = category.key
    subtype_r = r.get("subtype", optional=True, default="")
    subtype = subtype_r.string(allow_empty=True, max_length=MAX_LINE)
    if subtype and subtype not in {s.key for s in category.subtypes}:
        raise ValidationError(
            subtype_r.path,
            N_('unknown subtype "{value}" of the category "{category}"'),
            value=shorten(subtype),
            category=category_key,
        )

    level_r = r.get("level")
    level = level_r.string(max_length=MAX_LINE)
    if level not in {lv.key for lv in pb.levels}:
        raise ValidationError(level_r.path, N_('unknown level "{value}"'), value=shorten(level))

    statements = tuple(_statement(s) for s in _list(r, "statements"))
    decisions = tuple(_decision(d, ctx) for d in _list(r, "decisions"))
    return CaseRecord(
        office_code=ctx.office_code,
        title=_text(r, "title", required=True, limit=MAX_TITLE),
        summary=_text(r, "summary"),
        started_at=started_at,
        ended_at=ended_at,
        location=_text(r, "location", limit=MAX_LINE),
        reporting_unit=unit,
        source=r.get("source").choice(tuple(SOURCES)),
        category=category_key,
        subtype=subtype,
        scope=_text(r, "scope"),
        level=level,
        level_reason=_text(r, "level_reason"),
        fields=_fields(r.get("fields", optional=True, default={})),
        notifications=tuple(_notification(n, ctx) for n in _list(r, "notifications")),
        tasks=_tasks(r.get("tasks", optional=True, default=[]), ctx),
        actions=tuple(_action(a, ctx, len(decisions)) for a in _list(r, "actions")),
        reports=tuple(_timed_text(x) for x in _list(r, "reports")),
        statements=statements,
        negotiations=tuple(_negotiation(n) for n in _list(r, "negotiations")),
        corrective_actions=tuple(_corrective(c) for c in _list(r, "corrective_actions")),
        notes=tuple(_timed_text(x) for x in _list(r, "notes")),
        media=tuple(_media(m, ctx, len(statements)) for m in _list(r, "media")),
        inquiries=tuple(parse_inquiry(i, [s.kind for s in statements], ctx.now)
                        for i in _list(r, "inquiries")),
        decisions=decisions,
        header=parse_case_header(r.get("header", optional=True, default={})),
    )


def _fields(r: JsonReader) -> dict[str, str]:
    """The one-value fields, in `FIELD_KEYS` order; an empty value counts as not filled."""
    data = r.obj(allowed=FIELD_KEYS)
    fields: dict[str, str] = {}
    for key in FIELD_KEYS:
        if key not in data or data[key] == "":
            continue
        value_r = r.get(key)
        if key in TIME_FIELDS:
            value = _iso(value_r.moment())
        elif key == "s2.confirmed_by_role":
            value = value_r.choice(tuple(CONFIRMERS))
        else:
            value = value_r.string(
                allow_empty=True, max_length=MAX_LINE if key in LINE_FIELDS else MAX_TEXT
            )
        if value.strip():
            fields[key] = value
    return fields


def _group(r: JsonReader, ctx: _Context, allowed: Sequence[str] | None = None) -> str:
    key = r.string(max_length=MAX_LINE)
    groups = [g.key for g in ctx.playbook.team.groups]
    if key not in groups:
        raise ValidationError(r.path, N_('unknown team group "{value}"'), value=shorten(key))
    if allowed is not None and key not in allowed:
        raise ValidationError(
            r.path, N_("must be one of: {allowed}"), allowed=", ".join(allowed)
        )
    return key


def _notification(r: JsonReader, ctx: _Context) -> Notification:
    r.obj(allowed=("target", "recipient", "acting_for", "means", "at", "acknowledged_at"))
    # The groups a crisis level tells (總指揮, 執行秘書), as the playbook's levels name them.
    notified = list(dict.fromkeys(lv.notify_group for lv in ctx.playbook.levels))
    target = _group(r.get("target"), ctx, notified)
    at = r.get("at").moment()
    acknowledged_at = _optional_moment(r, "acknowledged_at")
    if acknowledged_at is not None and acknowledged_at < at:
        raise ValidationError(r.sub_path("acknowledged_at"), N_("is before at"))
    return Notification(
        target=target,
        recipient=_text(r, "recipient", required=True, limit=MAX_LINE),
        acting_for=_text(r, "acting_for", limit=MAX_LINE),
        means=r.get("means").choice(tuple(MEANS)),
        at=at,
        acknowledged_at=acknowledged_at,
    )


def _tasks(r: JsonReader, ctx: _Context) -> tuple[TaskRecord, ...]:
    records: list[TaskRecord] = []
    seen: set[tuple[int, str]] = set()
    for item in r.items(non_empty=False):
        record = _task(item, ctx)
        if (record.stage, record.task) in seen:
            raise ValidationError(
                item.path,
                N_('repeats task "{task}" of stage {stage}'),
                task=record.task,
                stage=record.stage,
            )
        seen.add((record.stage, record.task))
        records.append(record)
    return tuple(records)


def _task(r: JsonReader, ctx: _Context) -> TaskRecord:
    r.obj(allowed=("stage", "task", "state", "reason", "remark", "at"))
    stage_r = r.get("stage")
    number = stage_r.integer()
    stage = next((s for s in ctx.playbook.stages if s.number == number), None)
    if stage is None:
        raise ValidationError(
            stage_r.path,
            N_("is not a stage of the playbook (1 to {last})"),
            last=len(ctx.playbook.stages),
        )
    task_r = r.get("task")
    task = task_r.string(max_length=MAX_LINE)
    if task not in {t.key for t in stage.tasks}:
        raise ValidationError(
            task_r.path,
            N_('unknown task "{value}" of stage {stage}'),
            value=shorten(task),
            stage=number,
        )
    state = r.get("state").choice(CASE_TASK_STATES)
    reason = _text(r, "reason")
    if state == "not_applicable" and not reason.strip():
        raise ValidationError(
            r.sub_path("reason"), N_("must say why the task does not apply")
        )
    return TaskRecord(
        stage=number,
        task=task,
        state=state,
        reason=reason,
        remark=_text(r, "remark"),
        at=r.get("at").moment(),
    )


def _action(r: JsonReader, ctx: _Context, decisions: int) -> Action:
    r.obj(allowed=("description", "group", "resources", "status", "owner", "due", "decision"))
    decision_r = r.get("decision", optional=True)
    decision = None if decision_r.is_null else decision_r.integer()
    if decision is not None and not 1 <= decision <= decisions:
        raise ValidationError(
            decision_r.path, N_("must be between 1 and {count}, the number of decisions"),
            count=decisions)
    return Action(
        description=_text(r, "description", required=True),
        group=_group(r.get("group"), ctx),
        resources=_text(r, "resources"),
        status=r.get("status").choice(tuple(ACTION_STATUSES)),
        owner=_text(r, "owner", limit=MAX_LINE),
        due=_optional_moment(r, "due"),
        decision=decision,
    )


def _decision(r: JsonReader, ctx: _Context) -> Decision:
    r.obj(allowed=("at", "decided_by", "post", "acting_for", "basis", "options", "decision"))
    at_r = r.get("at")
    at = at_r.moment()
    _not_future(at_r, at, ctx)
    return Decision(
        at=at,
        decided_by=_text(r, "decided_by", required=True, limit=MAX_LINE),
        post=r.get("post").choice(tuple(DECISION_POSTS)),
        acting_for=_text(r, "acting_for", limit=MAX_LINE),
        basis=_text(r, "basis"),
        options=_text(r, "options"),
        decision=_text(r, "decision", required=True),
    )


def _timed_text(r: JsonReader) -> TimedText:
    r.obj(allowed=("at", "text"))
    return TimedText(at=r.get("at").moment(), text=_text(r, "text", required=True))


def _signoff(r: JsonReader) -> Signoff | None:
    if r.is_null:
        return None
    r.obj(allowed=("at", "name"))
    return Signoff(at=r.get("at").moment(), name=_text(r, "name", required=True, limit=MAX_LINE))


def _statement(r: JsonReader) -> Statement:
    r.obj(allowed=("kind", "title", "versions", "legal_review", "approved", "released"))
    versions = tuple(_timed_text(v) for v in r.get("versions").items())
    released_r = r.get("released", optional=True)
    released = None
    if not released_r.is_null:
        released_r.obj(allowed=("version", "at", "channel"))
        version_r = released_r.get("version")
        number = version_r.integer()
        if not 1 <= number <= len(versions):
            raise ValidationError(
                version_r.path,
                N_("must be between 1 and {count}, the number of versions"),
                count=len(versions),
            )
        released = Release(
            version=number,
            at=released_r.get("at").moment(),
            channel=_text(released_r, "channel", limit=MAX_LINE),
        )
    return Statement(
        kind=r.get("kind").choice(tuple(STATEMENT_KINDS)),
        title=_text(r, "title", required=True, limit=MAX_TITLE),
        versions=versions,
        legal_review=_signoff(r.get("legal_review", optional=True)),
        approved=_signoff(r.get("approved", optional=True)),
        released=released,
    )


def _media(r: JsonReader, ctx: _Context, statements: int) -> MediaRecord:
    r.obj(allowed=("outlet", "channel", "seen_at", "headline", "link", "clipping", "tone",
                   "reach", "reach_note", "needs_clarification", "statement"))
    seen_r = r.get("seen_at")
    seen_at = seen_r.moment()
    _not_future(seen_r, seen_at, ctx)
    link_r = r.get("link", optional=True, default="")
    link = link_r.string(allow_empty=True, max_length=MAX_LINK)
    if link and not is_web_address(link):
        raise ValidationError(link_r.path, N_("is not a web address starting with http:// or "
                                              "https://"))
    statement_r = r.get("statement", optional=True)
    statement = None
    if not statement_r.is_null:
        statement = statement_r.integer()
        if not 1 <= statement <= statements:
            raise ValidationError(
                statement_r.path,
                N_("must be between 1 and {count}, the number of statements"),
                count=statements,
            )
    needs_r = r.get("needs_clarification", optional=True, default=False)
    return MediaRecord(
        outlet=_text(r, "outlet", required=True, limit=MAX_LINE),
        channel=r.get("channel").choice(tuple(MEDIA_CHANNELS)),
        seen_at=seen_at,
        headline=_text(r, "headline", required=True, limit=MAX_TITLE),
        link=link,
        clipping=_text(r, "clipping"),
        tone=r.get("tone").choice(tuple(TONES)),
        reach=r.get("reach").choice(tuple(REACHES)),
        reach_note=_text(r, "reach_note", limit=MAX_LINE),
        needs_clarification=needs_r.boolean(),
        statement=statement,
    )


def _negotiation(r: JsonReader) -> Negotiation:
    r.obj(allowed=("party", "position", "agreement", "next_step"))
    return Negotiation(
        party=_text(r, "party", required=True, limit=MAX_LINE),
        position=_text(r, "position"),
        agreement=_text(r, "agreement"),
        next_step=_text(r, "next_step"),
    )


def _corrective(r: JsonReader) -> CorrectiveAction:
    r.obj(allowed=("description", "owner", "due", "status"))
    due_r = r.get("due", optional=True)
    return CorrectiveAction(
        description=_text(r, "description", required=True),
        owner=_text(r, "owner", limit=MAX_LINE),
        due=None if due_r.is_null else due_r.day(),
        status=r.get("status").choice(tuple(CORRECTIVE_STATUSES)),
    )


# -- Writing: CaseRecord -> the documented JSON shape --------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _iso_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else _iso(moment)


def _timed_dict(t: TimedText) -> dict[str, Any]:
    return {"at": _iso(t.at), "text": t.text}


def _signoff_dict(s: Signoff | None) -> dict[str, Any] | None:
    return None if s is None else {"at": _iso(s.at), "name": s.name}


def case_to_dict(case: CaseRecord) -> dict[str, Any]:
    """One case as its ``cases[]`` entry, in canonical form: every key written, times in UTC.
    `parse_cases` of the result gives back an equal record."""
    return {
        "title": case.title,
        "summary": case.summary,
        "started_at": _iso(case.started_at),
        "ended_at": _iso_or_none(case.ended_at),
        "location": case.location,
        "reporting_unit": case.reporting_unit,
        "source": case.source,
        "category": case.category,
        "subtype": case.subtype,
        "scope": case.scope,
        "level": case.level,
        "level_reason": case.level_reason,
        "fields": {key: case.fields[key] for key in FIELD_KEYS if key in case.fields},
        "notifications": [
            {
                "target": n.target,
                "recipient": n.recipient,
                "acting_for": n.acting_for,
                "means": n.means,
                "at": _iso(n.at),
                "acknowledged_at": _iso_or_none(n.acknowledged_at),
            }
            for n in case.notifications
        ],
        "tasks": [
            {
                "stage": t.stage,
                "task": t.task,
                "state": t.state,
                "reason": t.reason,
                "remark": t.remark,
                "at": _iso(t.at),
            }
            for t in case.tasks
        ],
        "actions": [
            {
                "description": a.description,
                "group": a.group,
                "resources": a.resources,
                "status": a.status,
                "owner": a.owner,
                "due": _iso_or_none(a.due),
                "decision": a.decision,
            }
            for a in case.actions
        ],
        "reports": [_timed_dict(r) for r in case.reports],
        "statements": [
            {
                "kind": s.kind,
                "title": s.title,
                "versions": [_timed_dict(v) for v in s.versions],
                "legal_review": _signoff_dict(s.legal_review),
                "approved": _signoff_dict(s.approved),
                "released": None
                if s.released is None
                else {
                    "version": s.released.version,
                    "at": _iso(s.released.at),
                    "channel": s.released.channel,
                },
            }
            for s in case.statements
        ],
        "negotiations": [
            {
                "party": n.party,
                "position": n.position,
                "agreement": n.agreement,
                "next_step": n.next_step,
            }
            for n in case.negotiations
        ],
        "corrective_actions": [
            {
                "description": c.description,
                "owner": c.owner,
                "due": None if c.due is None else c.due.isoformat(),
                "status": c.status,
            }
            for c in case.corrective_actions
        ],
        "notes": [_timed_dict(n) for n in case.notes],
        "media": [
            {
                "outlet": m.outlet,
                "channel": m.channel,
                "seen_at": _iso(m.seen_at),
                "headline": m.headline,
                "link": m.link,
                "clipping": m.clipping,
                "tone": m.tone,
                "reach": m.reach,
                "reach_note": m.reach_note,
                "needs_clarification": m.needs_clarification,
                "statement": m.statement,
            }
            for m in case.media
        ],
        # Written only when there are some: a case without inquiries keeps its old shape.
        **({"inquiries": [inquiry_to_dict(i) for i in case.inquiries]}
           if case.inquiries else {}),
        "decisions": [
            {
                "at": _iso(d.at),
                "decided_by": d.decided_by,
                "post": d.post,
                "acting_for": d.acting_for,
                "basis": d.basis,
                "options": d.options,
                "decision": d.decision,
            }
            for d in case.decisions
        ],
        **case_header_dict(case.header),
    }


def cases_to_dict(cases: Sequence[CaseRecord]) -> dict[str, Any]:
    """A whole case file. The cases must share one office (a file names one office)."""
    offices = {c.office_code for c in cases}
    if len(offices) != 1:
        raise ValueError(f"a case file holds the cases of one office, not {sorted(offices)}")
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "office": offices.pop(),
        "cases": [case_to_dict(c) for c in cases],
    }


def cases_to_json(cases: Sequence[CaseRecord]) -> str:
    """Canonical text (sorted keys, two-space indent, UTF-8 as-is, final newline)."""
    return json.dumps(cases_to_dict(cases), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
