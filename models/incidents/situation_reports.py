"""Situation reports (處理情形, 001 §六 stage 3: 隨時回報): the short account the commander
reads instead of the whole case file, filed by the unit head on a cadence the office sets per
level (the playbook's `update_every_minutes`).

A report is a snapshot: the facts, the level and stage, who was told (and whether they
acknowledged), the tasks and their states, the statements to the press, what the media wrote
(the media watch), the legislators' inquiries and their clocks, and the next steps the author
typed. It is stored as the JSON of what the author was shown when filing, so a
later change of the incident never rewrites a filed report; filing is refused when the
incident changed between showing and filing (another PC's change arrived), so what is stored
is what was read. Reports are insert-only and numbered per incident.

The cadence: the next report is due `update_every_minutes` after the last one filed, or after
the level was set when that came later (a raised level restarts the count at its own
cadence); a level without a cadence has none.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import func, select

from i18n import N_
from models.core.checks import MAX_TEXT, checked_text
from models.core.errors import ValidationError
from models.incidents.actions import editable_incident
from models.incidents.clocks_report import level_since
from models.incidents.followup_entities import MAX_REPORT_NUMBER, SituationReportRow
from models.incidents.queries import IncidentView, load_view
from models.incidents.timeline import SituationReported, log
from models.org.entities import UnitRow
from models.org.people import Actor
from models.playbook.model import Playbook
from models.storage.db import Database, row_or_gone, utcnow

logger = logging.getLogger(__name__)

SNAPSHOT_FORMAT = 1
Snapshot = Mapping[str, Any]


def _name(text: Mapping[str, str]) -> dict[str, str]:
    """A bilingual name as stored: both languages, so a report reads in either later."""
    return {"zh_TW": text.get("zh_TW", ""), "en": text.get("en", "")}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


class _Unit(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def name_zh(self) -> str: ...

    @property
    def name_en(self) -> str: ...


def unit_names(units: Iterable[_Unit]) -> dict[str, dict[str, str]]:
    """The office's unit names by key in both languages (from UnitRows or UnitInfos alike),
    as a snapshot names the reporting unit."""
    return {u.key: {"zh_TW": u.name_zh, "en": u.name_en} for u in units}


def snapshot_of(view: IncidentView, units: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """What a report filed now says of the incident, as JSON values (names in both languages,
    times in ISO 8601 UTC, vocabularies as their keys)."""
    pb = view.playbook
    groups = {g.key: _name(g.name) for g in pb.team.groups}
    level = next((lv for lv in pb.levels if lv.key == view.level_key), None)
    stage = next((s for s in pb.stages if s.number == view.current_stage), None)
    media = []
    for s in view.statements:
        latest = max((v.number for v in s.versions), default=0)
        released = [e for e in s.events if e.event == "released"]
        shown = released[-1].version_number if released else latest
        done = s.events_of(shown)
        state = ("released" if "released" in done else "approved" if "approved" in done
                 else "legal_review" if "legal_review" in done else "draft")
        media.append({"kind": s.kind, "title": s.title, "version": shown, "state": state,
                      "channel": done["released"].channel if "released" in done else "",
                      "at": _iso(done["released"].event_at) if "released" in done else None})
    return {
        "format": SNAPSHOT_FORMAT,
        "office_code": view.office_code,
        "case_number": view.number,
        "title": view.title,
        "summary": view.summary,
        "scope": view.scope,
        "location": view.location,
        "reporting_unit": _name(units.get(view.reporting_unit,
                                          {"zh_TW": view.reporting_unit, "en": ""})),
        "started_at": _iso(view.started_at),
        "level": {"key": view.level_key,
                  "name": _name(level.name) if level else {"zh_TW": view.level_key, "en": ""}},
        "stage": {"number": view.current_stage,
                  "name": _name(stage.name) if stage else {"zh_TW": "", "en": ""}},
        "notifications": [
            {"recipient": n.recipient, "acting_for": n.acting_for, "group": n.target_group,
             "group_name": groups.get(n.target_group, {"zh_TW": n.target_group, "en": ""}),
             "means": n.means, "outcome": n.outcome, "notified_at": _iso(n.notified_at),
             "acked_at": _iso(n.acked_at)}
            for n in view.notifications],
        "actions": [
            {"description": a.description, "group": a.group_key,
             "group_name": groups.get(a.group_key, {"zh_TW": a.group_key, "en": ""}),
             "resources": a.resources, "status": a.status, "owner": a.owner,
             "due_at": _iso(a.due_at)}
            for a in view.actions],
        "media": media,
        "coverage": [
            {"seen_at": _iso(m.seen_at), "channel": m.channel, "outlet": m.outlet,
             "headline": m.headline, "tone": m.tone,
             "needs_clarification": m.needs_clarification, "released_at": _iso(m.released_at)}
            for m in view.media],
        "inquiries": [
            {"rep_name": i.rep_name, "channel": i.channel, "request": i.request,
             "received_at": _iso(i.received_at), "favour": i.favour,
             "registered_on": i.registered_on.isoformat() if i.registered_on else None,
             "written": i.written, "replied_at": _iso(i.replied_at)}
            for i in view.inquiries],
    }


@dataclass(frozen=True)
class ReportInfo:
    """A filed report as the list and the printout read it."""

    id: str
    incident_id: str
    number: int
    level_key: str
    snapshot: Snapshot
    """As filed; empty when its JSON could not be read (damaged: the list says so)."""
    next_steps: str
    entered_at: datetime
    entered_by: str
    role: str = ""
    damaged: bool = field(default=False)


def _read_snapshot(report_id: str, text: str) -> tuple[Snapshot, bool]:
    """A stored snapshot; an unreadable one (a damaged database, a hostile change that got
    through) reads as empty and damaged, never a crash."""
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        logger.warning("situation report %s: its snapshot cannot be read", report_id)
        return {}, True
    return value, False


def _info(row: SituationReportRow) -> ReportInfo:
    snapshot, damaged = _read_snapshot(row.id, row.snapshot)
    return ReportInfo(row.id, row.incident_id, row.number, row.level_key, snapshot,
                      row.next_steps, row.entered_at, row.entered_by, row.role, damaged)


def list_reports(db: Database, incident_id: str) -> tuple[ReportInfo, ...]:
    """The incident's reports, first filed first (two filed as the same number on two PCs at
    once: in filing order)."""
    with db.session() as session:
        return tuple(_info(row) for row in session.scalars(
            select(SituationReportRow)
            .where(SituationReportRow.incident_id == incident_id)
            .order_by(SituationReportRow.number, SituationReportRow.entered_at,
                      SituationReportRow.id)))


def load_report(db: Database, report_id: str) -> ReportInfo:
    with db.session() as session:
        return _info(row_or_gone(session, SituationReportRow, report_id,
                                 N_("That situation report no longer exists.")))


def file_report(db: Database, actor: Actor, incident_id: str, shown: Snapshot,
                next_steps: str) -> ReportInfo:
    """File a situation report in the actor's own name: *shown* is the snapshot the author
    read (snapshot_of), stored as it is if it still tells the incident as it now stands."""
    next_steps = checked_text("next_steps", next_steps, MAX_TEXT, required=True)
    now = utcnow()
    with db.session() as session:
        incident = editable_incident(session, incident_id)
        # The units the window named the snapshot with (the incident's controller: those
        # not removed): a removed reporting unit named by one and not the other made every
        # filing "changed while you read it".
        units = unit_names(session.scalars(
            select(UnitRow).where(UnitRow.office_code == incident.office_code,
                                  UnitRow.deleted_at.is_(None))))
        fresh = snapshot_of(load_view(session, incident_id, now, None), units)
        if fresh != dict(shown):
            raise ValidationError("snapshot", N_(
                "The incident changed while you read the report: it now shows the change. "
                "Read it again, then file it."))
        last = session.scalar(select(func.max(SituationReportRow.number)).where(
            SituationReportRow.incident_id == incident_id,
            SituationReportRow.number <= MAX_REPORT_NUMBER)) or 0  # no report's beyond
        row = SituationReportRow(
            incident_id=incident_id, number=last + 1, level_key=incident.level_key,
            snapshot=json.dumps(fresh, ensure_ascii=False, sort_keys=True),
            next_steps=next_steps, entered_at=now, entered_by=actor.name,
            role=actor.role.value)
        session.add(row)
        session.flush()
        log(session, incident_id, actor, SituationReported(row.number), now)
        return _info(row)


@dataclass(frozen=True)
class Cadence:
    """When the commander's next situation report is due."""

    every_minutes: int
    since: datetime
    """The last report filed, or the level set, whichever came later."""

    @property
    def due_at(self) -> datetime:
        return self.since + timedelta(minutes=self.every_minutes)

    def overdue(self, now: datetime) -> bool:
        return now > self.due_at


def cadence(playbook: Playbook, level_key: str, level_set: datetime,
            last_filed: datetime | None) -> Cadence | None:
    """The cadence of an incident at *level_key* (set at *level_set*) whose last report was
    filed at *last_filed*; None for a level without one (or one the playbook lacks)."""
    level = next((lv for lv in playbook.levels if lv.key == level_key), None)
    if level is None or level.update_every_minutes is None:
        return None
    since = level_set if last_filed is None else max(level_set, last_filed)
    return Cadence(level.update_every_minutes, since)


def cadence_of_view(view: IncidentView, last_filed: datetime | None) -> Cadence | None:
    """The cadence of an open incident as loaded for the wizard; None once archived."""
    if view.status != "open":
        return None
    since = level_since(view.started_at, ((e.event_at, e.what) for e in view.timeline))
    return cadence(view.playbook, view.level_key, since, last_filed)


def last_filed(db: Database, incident_ids: Sequence[str]) -> dict[str, datetime]:
    """When each incident's latest report was filed (those with none are absent)."""
    found: dict[str, datetime] = {}
    with db.session() as session:
        for start in range(0, len(incident_ids), 400):
            for incident_id, latest in session.execute(
                    select(SituationReportRow.incident_id,
                           func.max(SituationReportRow.entered_at))
                    .where(SituationReportRow.incident_id.in_(
                        list(incident_ids[start:start + 400])))
                    .group_by(SituationReportRow.incident_id)):
                found[incident_id] = latest
    return found
