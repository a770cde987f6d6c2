"""A drill scenario made from an archived case (案例檔案, 供日後參考改進).

It joins the two features, reading an incident and writing the drills' scenario library, so it
lives above both: drills never import incidents (nor the reverse), and only this module (with
the other composition modules of models/) knows them both."""

from __future__ import annotations

from i18n import N_
from models.core.checks import MAX_LINE, MAX_TEXT, MAX_TITLE
from models.core.errors import UserError
from models.core.json_reader import shorten
from models.drills.scenario_store import store_scenario
from models.drills.scenarios import (
    KEY_RUN,
    MAX_KEY,
    MAX_OFFSET_MINUTES,
    Expectation,
    Inject,
    Scenario,
)
from models.incidents.queries import IncidentView, TimelineEntry, incident_view
from models.incidents.timeline import Entry, Note, Notified, Report, Written
from models.org.people import Actor, Permission
from models.playbook.model import Playbook, Text, level_by_key
from models.storage.db import Database, utcnow

INJECT_KINDS = (Notified, Report, Note)
"""The timeline entries of a case that become the injects of a scenario made from it."""

TEAM: Text = {"zh_TW": "危機管理小組", "en": "Crisis Management Team"}
"""Whom a case's progress reports and notes went to: the team as a whole."""


def scenario_from_case(view: IncidentView) -> Scenario:
    """A drill scenario replaying an archived case (案例檔案, 供日後參考改進).

    * key ``case-<incident id>``; category and subtype the case's own; title the case's.
    * background: the case's summary, location and scope, as written (names included).
    * injects: the case's notifications, progress reports and notes in time order, each at
      its minutes after the case began (an entry dated before the start counts as minute 0,
      one more than a year later is left out). A notification goes from whoever recorded it to
      the post told (and its recipient); a report or note from its author to the team.
    * expected: the required tasks of the case's playbook, stage by stage, and after stage 1
      the notification its level calls for (總指揮 at once for a high-level crisis …).
    * source: the case number and title.

    Texts the case holds are in its own language and go to ``zh_TW`` (English empty, as a
    case is not translated); what the playbook holds in both languages comes in both.
    Raises `UserError` for a case not yet archived, or one with nothing to replay.
    """
    if view.status != "archived":
        raise UserError(N_("Only an archived case can become a drill scenario."))
    if view.is_drill:
        raise UserError(N_("A drill incident is not a case: it cannot become a drill "
                           "scenario."))
    pb = view.playbook
    injects: list[Inject] = []
    for entry in sorted(
        (e for e in view.timeline if isinstance(e.what, INJECT_KINDS)),
        key=lambda e: (e.event_at, e.entered_at),
    ):
        minutes = max(0, int((entry.event_at - view.started_at).total_seconds() // 60))
        inject = _inject_of(entry, minutes, pb, view.title)
        if minutes <= MAX_OFFSET_MINUTES and inject is not None:
            injects.append(inject)
    if not injects:
        raise UserError(
            N_("The case has no notifications, progress reports or notes to replay.")
        )

    expected: list[Expectation] = []
    for stage in pb.stages:
        expected.extend(Expectation(stage.number, t.text) for t in stage.tasks if t.required)
        if stage.number == 1:
            expected.append(Expectation(1, _notify_task(pb, view.level_key)))

    background = "\n".join(
        part for part in (
            view.summary.strip(),
            f"地點：{view.location.strip()}" if view.location.strip() else "",
            f"範圍：{view.scope.strip()}" if view.scope.strip() else "",
        ) if part
    ) or view.title
    return Scenario(
        key=f"case-{'-'.join(KEY_RUN.findall(view.id))}"[:MAX_KEY],
        category=view.category_key,
        subtype=view.subtype_key,
        title={"zh_TW": shorten(view.title, MAX_TITLE), "en": ""},
        background={"zh_TW": shorten(background, MAX_TEXT), "en": ""},
        injects=tuple(injects),
        expected=tuple(expected),
        source=shorten(f"取材自案例 {view.number}（{view.title}）", MAX_LINE),
    )


def _line(text: str) -> Text:
    """A name or post as written in a case: the same in both languages."""
    value = shorten(text.strip(), MAX_LINE)
    return {"zh_TW": value, "en": value}


def _inject_of(entry: TimelineEntry[Entry], minutes: int, pb: Playbook,
               title: str) -> Inject | None:
    what = entry.what
    groups = {g.key: g.name for g in pb.team.groups}
    sender = _line(entry.author) if entry.author.strip() else dict(groups.get("handling", TEAM))
    if isinstance(what, Notified):
        key = what.group
        group = groups.get(key, {"zh_TW": key, "en": key})
        recipient = what.recipient.strip()
        acting_for = what.acting_for.strip()
        zh = group.get("zh_TW", "") or key
        en = group.get("en", "") or zh
        if recipient and acting_for:
            to = {"zh_TW": f"{zh}（{recipient}，代理{acting_for}）",
                  "en": f"{en} ({recipient}, deputy for {acting_for})"}
        elif recipient:
            to = {"zh_TW": f"{zh}（{recipient}）", "en": f"{en} ({recipient})"}
        else:
            to = {"zh_TW": zh, "en": en}
        if not to["zh_TW"].strip():
            return None
        return Inject(
            offset_minutes=minutes,
            sender=sender,
            recipient={k: shorten(v, MAX_LINE) for k, v in to.items()},
            message={"zh_TW": shorten(f"通報{zh}：{title}", MAX_TEXT),
                     "en": shorten(f"Notification to the {en}: {title}", MAX_TEXT)},
        )
    text = what.text.strip() if isinstance(what, Written) else ""
    if not text:
        return None
    return Inject(
        offset_minutes=minutes,
        sender=sender,
        recipient=dict(TEAM),
        message={"zh_TW": shorten(text, MAX_TEXT), "en": ""},
    )


def _notify_task(pb: Playbook, level_key: str) -> Text:
    """The notification the case's level calls for, in both languages."""
    level = level_by_key(pb, level_key)
    group = pb.group(level.notify_group).name
    zh_level, en_level = level.name.get("zh_TW", ""), level.name.get("en", "")
    zh_group, en_group = group.get("zh_TW", ""), group.get("en", "") or group.get("zh_TW", "")
    if level.timing == "immediate":
        zh = f"依{zh_level}迅速通報{zh_group}。"
        en = f"As a {en_level or zh_level}, notify the {en_group} at once."
    else:
        zh = f"依{zh_level}於處理後通報{zh_group}。"
        en = f"As a {en_level or zh_level}, notify the {en_group} after handling it."
    if level.keep_watching:
        zh = zh.rstrip("。") + "，權責單位並持續觀察後續發展。"
        en = en.rstrip(".") + ", and keep watching how it develops."
    return {"zh_TW": zh, "en": en}


def save_case_scenario(db: Database, actor: Actor, office_code: str,
                       incident_id: str) -> Scenario:
    """Turn an archived case into a scenario of the office's library (the planning group or
    the executive secretary); making it again from the same case replaces it."""
    actor.require(Permission.PLAN_DRILLS)
    view = incident_view(db, incident_id, utcnow(), 0)
    if view.is_example:
        raise UserError(N_("An example case cannot become one of the office's scenarios."))
    scenario = scenario_from_case(view)
    store_scenario(db, actor, office_code, scenario, incident_id)
    return scenario
