"""Reading a drill's report form and its evaluation: frozen dataclasses for the screens and
the printed forms, built on the database worker.

Only the drill tables are read (drills, drill reports and evaluations, units, the playbook the
drill runs under); no incident table is, and nothing here is ever counted among real incidents.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from i18n import pick
from models.drills.entities import DrillRow
from models.drills.queries import DrillInfo, drill_info, live_drill
from models.drills.reports.entities import (
    DrillCorrectiveActionRow,
    DrillEvaluationEventRow,
    DrillEvaluationRow,
    DrillReportEventRow,
    DrillReportRow,
    DrillReportVersionRow,
)
from models.drills.reports.kinds import (
    CirculationEntry,
    CorrectiveAction,
    EvaluationInfo,
    ReportDraft,
    ReportInfo,
    ReportVersion,
    SignEvent,
    StageRating,
    draft_from_content,
    evaluation_missing,
    missing_fields,
)
from models.drills.scenario_store import library
from models.org.entities import UnitRow
from models.playbook.model import Playbook
from models.playbook.store import playbook_at as playbook_at
from models.storage.db import Database


@dataclass(frozen=True)
class ReportView:
    """A drill's report form: the current version, every version and every event (submitted,
    signed, returned, reopened), oldest first. *draft* is the form to show: until the first
    save, prefilled from the drill (its category ticked, the scenario's title as the
    simulated case); for a version still in draft, its content with the drill's category and
    scenario where it left them empty (carried_over); otherwise the current version's."""

    drill: DrillInfo
    unit_name_zh: str
    unit_name_en: str
    report: ReportInfo | None
    current: ReportVersion | None
    versions: tuple[ReportVersion, ...]
    events: tuple[SignEvent, ...]
    draft: ReportDraft

    @property
    def locked(self) -> bool:
        """Signed by both: it changes only through a reopen with a reason."""
        return self.report is not None and self.report.locked

    @property
    def submitted(self) -> bool:
        """A submission stands (submitted or signed): the form is the one to sign. A draft,
        a returned report or one never saved is not, and prints as a draft."""
        return self.report is not None and self.report.status in ("submitted", "signed")

    @property
    def missing(self) -> tuple[str, ...]:
        """The required fields still empty (keys of REPORT_FIELDS)."""
        return missing_fields(self.draft)

    @property
    def unit_name(self) -> str:
        return pick({"zh_TW": self.unit_name_zh, "en": self.unit_name_en})

    def version(self, number: int) -> ReportVersion:
        return next(v for v in self.versions if v.number == number)

    def signatures(self, number: int | None = None) -> tuple[SignEvent, ...]:
        """The sign-offs that count for a version (the current one by default)."""
        if number is None:
            number = self.report.version if self.report else 0
        return valid_signatures(self.events, number)


@dataclass(frozen=True)
class EvaluationView:
    """A drill's evaluation (None until the planning group first saves it), its events, and
    its circulation: every unit it was sent to, who acknowledged it when, who has not yet."""

    drill: DrillInfo
    report_signed: bool
    stages: tuple[StageRating, ...]
    """The response stages of the drill's playbook, rated as saved (None: not yet)."""
    evaluation: EvaluationInfo | None
    events: tuple[SignEvent, ...]
    circulation: tuple[CirculationEntry, ...]

    @property
    def locked(self) -> bool:
        return self.evaluation is not None and self.evaluation.locked

    @property
    def signatures(self) -> tuple[SignEvent, ...]:
        """The sign-offs of the submission in force: a return, or a new submission after it,
        voids the signatures given before, since what they approved may have changed."""
        return valid_signatures(self.events, 0)

    @property
    def submitted(self) -> bool:
        """Submitted for approval (陳核) or signed: what a signer sees is what they sign."""
        return self.evaluation is not None and self.evaluation.status in ("submitted",
                                                                          "signed")

    @property
    def missing(self) -> list[str]:
        """What the evaluation lacks before it is submitted (evaluation_missing's keys)."""
        e = self.evaluation
        if e is None:
            return []
        rated = {s.stage for s in self.stages if s.rating is not None}
        return evaluation_missing((s.stage for s in self.stages), rated, e.level_key,
                                  e.inject_at, e.notified_at)

    @property
    def signable(self) -> bool:
        """Before the signers or signed: submitted for approval on the signed report. An
        evaluation short of that prints as a draft."""
        return self.report_signed and self.submitted

    @property
    def acknowledged(self) -> tuple[CirculationEntry, ...]:
        return tuple(c for c in self.circulation if c.acknowledged)

    @property
    def pending(self) -> tuple[CirculationEntry, ...]:
        """Units sent the evaluation that have not acknowledged it yet."""
        return tuple(c for c in self.circulation if not c.acknowledged)


def duty_refusal(name: str, box: str, events: Iterable[SignEvent], number: int) -> str:
    """The separation of duties for *name* signing *box* of version *number*: "submitter"
    (they submitted that version, at any time: another person approves it), "twice" (they
    signed its other box, at any time: the commander and the executive secretary sign as two
    people), or "" when neither holds.

    A function of the set of *events* alone, never of their times (which their authors
    write) or of the order they arrived in: the local acts and every receiving PC give the
    same answer."""
    for event in events:
        if event.version_number != number or event.entered_by != name:
            continue
        if event.kind == "submitted":
            return "submitter"
        if event.kind == "signed" and event.as_role != box:
            return "twice"
    return ""


def valid_signatures(events: Iterable[SignEvent], number: int) -> tuple[SignEvent, ...]:
    """The sign-offs of version *number* since it was last submitted: a return voids the
    signatures given before it."""
    found: list[SignEvent] = []
    for event in events:
        if event.version_number != number:
            continue
        if event.kind in ("submitted", "returned"):
            found = []
        elif event.kind == "signed":
            found.append(event)
    return tuple(found)


def drill_report(session: Session, drill_id: str) -> DrillReportRow | None:
    """The drill's report (one per drill), if one was saved."""
    return session.scalars(
        select(DrillReportRow)
        .where(DrillReportRow.drill_id == drill_id, DrillReportRow.deleted_at.is_(None))
        .order_by(DrillReportRow.created_at)
        .limit(1)
    ).first()


def drill_evaluation(session: Session, drill_id: str) -> DrillEvaluationRow | None:
    return session.scalars(
        select(DrillEvaluationRow)
        .where(DrillEvaluationRow.drill_id == drill_id, DrillEvaluationRow.deleted_at.is_(None))
        .order_by(DrillEvaluationRow.created_at)
        .limit(1)
    ).first()


def report_versions(session: Session, report_id: str) -> list[DrillReportVersionRow]:
    return list(session.scalars(
        select(DrillReportVersionRow).where(DrillReportVersionRow.report_id == report_id)
        .order_by(DrillReportVersionRow.number)
    ))


def report_events(session: Session, report_id: str) -> list[SignEvent]:
    table = DrillReportEventRow.__table__
    rows = session.execute(select(table).where(table.c.report_id == report_id)
                           .order_by(table.c.entered_at, table.c.id)).mappings()
    return [sign_event(row) for row in rows]


def evaluation_events(session: Session, evaluation_id: str) -> list[SignEvent]:
    table = DrillEvaluationEventRow.__table__
    rows = session.execute(select(table).where(table.c.evaluation_id == evaluation_id)
                           .order_by(table.c.entered_at, table.c.id)).mappings()
    return [sign_event(row) for row in rows]


_NO_TIME = datetime.min.replace(tzinfo=UTC)


def sign_event(row: Mapping[Any, Any]) -> SignEvent:
    """An event row of a report (by version) or an evaluation (version 0, by unit); also one
    a receiving PC checks before it is stored, which may lack any column (forged)."""
    return SignEvent(row.get("kind", ""), row.get("version_number", 0), row.get("as_role", ""),
                     row.get("name", ""), row.get("deputy_for", ""), row.get("comment", ""),
                     row.get("unit_key", ""), row.get("entered_at") or _NO_TIME,
                     row.get("entered_by", ""), row.get("role", ""), row.get("login", ""),
                     row.get("pc", ""))


def report_info(row: DrillReportRow) -> ReportInfo:
    return ReportInfo(id=row.id, drill_id=row.drill_id, status=row.status, version=row.version,
                      row_version=row.row_version, updated_at=row.updated_at,
                      updated_by=row.updated_by)


def version_info(row: DrillReportVersionRow) -> ReportVersion:
    content = json.loads(row.content)
    unit = content["unit"]
    return ReportVersion(
        number=row.number,
        unit_key=unit["key"],
        unit_name_zh=unit["name_zh"],
        unit_name_en=unit["name_en"],
        draft=draft_from_content(content),
        reason=row.reason,
        created_at=row.created_at,
        saved_at=row.saved_at,
        saved_by=row.saved_by,
        submitted_at=row.submitted_at,
    )


def unit_row(session: Session, office_code: str, unit_key: str) -> UnitRow | None:
    return session.scalars(
        select(UnitRow).where(UnitRow.office_code == office_code, UnitRow.key == unit_key)
    ).first()


SummaryDrafter = Callable[[Session, DrillRow], str]
"""Drafts a live drill's 演練過程摘要 from its drill incident (models.live_drills.summary):
given by the caller, since the drills never read an incident themselves."""


def prefilled_draft(session: Session, drill: DrillRow, pb: Playbook,
                    drafter: SummaryDrafter | None = None) -> ReportDraft:
    """A new report of the drill: its category ticked, the scenario's title as the simulated
    case (模擬案由) when a scenario of the office's library (shipped, or made from one of its
    cases) was chosen. A drill run live also gives its 演練時間 (started and ended) and, with
    *drafter*, its summary; one recorded after the fact gives its day as before."""
    case = ""
    if drill.scenario_key:
        scenario = next((s for s in library(session, drill.office_code, pb)
                         if s.key == drill.scenario_key), None)
        if scenario is not None:
            case = pick(scenario.title)
    items = (drill.category_key,) if drill.category_key else ()
    summary = drafter(session, drill) if drafter is not None and drill.started_at else ""
    return ReportDraft(time_start=drill.started_at or drill.held_at, time_end=drill.ended_at,
                       items=items, simulated_case=case, summary=summary)


def carried_over(draft: ReportDraft, prefill: ReportDraft) -> ReportDraft:
    """A draft saved before the planning group chose the drill's category and scenario takes
    them where the unit left 演練項目 and 模擬案由 empty, so nobody types them twice; so does
    a live drill's summary where the unit left 演練過程摘要 empty. What the unit wrote is never
    replaced."""
    return replace(draft, items=draft.items or prefill.items,
                   simulated_case=draft.simulated_case or prefill.simulated_case,
                   summary=draft.summary if draft.summary.strip() else prefill.summary)


def report_view(db: Database, drill_id: str,
                drafter: SummaryDrafter | None = None) -> ReportView:
    """The drill's report form as it stands, with its whole history (*drafter*: see
    prefilled_draft)."""
    with db.session() as session:
        drill = live_drill(session, drill_id)
        unit = unit_row(session, drill.office_code, drill.unit_key)
        row = drill_report(session, drill_id)
        if row is None:
            pb = playbook_at(session, drill.playbook_version_id)
            versions: tuple[ReportVersion, ...] = ()
            events: tuple[SignEvent, ...] = ()
            current = None
            draft = prefilled_draft(session, drill, pb, drafter)
        else:
            versions = tuple(version_info(v) for v in report_versions(session, row.id))
            events = tuple(report_events(session, row.id))
            # A version number naming none of its versions (a damaged row) shows the latest.
            current = next((v for v in versions if v.number == row.version),
                           versions[-1] if versions else None)
            if current is None:
                draft = prefilled_draft(session, drill, playbook_at(
                    session, drill.playbook_version_id), drafter)
            else:
                draft = current.draft
            if current is not None and not current.frozen and not (
                    draft.items and draft.simulated_case
                    and (draft.summary.strip() or drafter is None)):
                pb = playbook_at(session, drill.playbook_version_id)
                draft = carried_over(draft, prefilled_draft(session, drill, pb, drafter))
        return ReportView(
            drill=drill_info(drill),
            unit_name_zh=unit.name_zh if unit else drill.unit_key,
            unit_name_en=unit.name_en if unit else "",
            report=report_info(row) if row is not None else None,
            current=current,
            versions=versions,
            events=events,
            draft=draft,
        )


def stage_ratings(pb: Playbook, ratings: dict[int, int]) -> tuple[StageRating, ...]:
    return tuple(StageRating(s.number, s.name.get("zh_TW", ""), s.name.get("en", ""),
                             ratings.get(s.number)) for s in pb.stages)


def load_ratings(row: DrillEvaluationRow) -> dict[int, int]:
    return {int(k): int(v) for k, v in json.loads(row.ratings).items()}


def evaluation_info(session: Session, row: DrillEvaluationRow, pb: Playbook) -> EvaluationInfo:
    actions = session.scalars(
        select(DrillCorrectiveActionRow)
        .where(DrillCorrectiveActionRow.evaluation_id == row.id,
               DrillCorrectiveActionRow.deleted_at.is_(None))
        .order_by(DrillCorrectiveActionRow.sort_order, DrillCorrectiveActionRow.created_at)
    )
    return EvaluationInfo(
        id=row.id,
        drill_id=row.drill_id,
        report_id=row.report_id,
        report_version=row.report_version,
        status=row.status,
        ratings=stage_ratings(pb, load_ratings(row)),
        level_key=row.level_key,
        inject_at=row.inject_at,
        notified_at=row.notified_at,
        notify_minutes=row.notify_minutes,
        notify_within=row.notify_within,
        strengths=row.strengths,
        improvements=row.improvements,
        actions=tuple(CorrectiveAction(a.id, a.description, a.owner, a.due, a.status)
                      for a in actions),
        row_version=row.row_version,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


def circulation(session: Session, office_code: str,
                events: Iterable[SignEvent]) -> tuple[CirculationEntry, ...]:
    """Each unit the evaluation was sent to, with its acknowledgement: in the order sent, and
    units sent at once in the office's order."""
    sent: dict[str, SignEvent] = {}
    acked: dict[str, SignEvent] = {}
    for event in events:
        if event.kind == "circulated":
            sent.setdefault(event.unit_key, event)
        elif event.kind == "acknowledged":
            acked.setdefault(event.unit_key, event)
    units = {u.key: u for u in session.scalars(
        select(UnitRow).where(UnitRow.office_code == office_code))}

    def order(key: str) -> tuple[datetime, int, str]:
        unit = units.get(key)
        return sent[key].entered_at, unit.sort_order if unit else 0, key

    entries = []
    for key in sorted(sent, key=order):
        event, ack, unit = sent[key], acked.get(key), units.get(key)
        zh, en = (unit.name_zh, unit.name_en) if unit else (key, "")
        entries.append(CirculationEntry(
            unit_key=key, name_zh=zh, name_en=en, sent_at=event.entered_at,
            sent_by=event.entered_by,
            acknowledged_at=ack.entered_at if ack else None,
            acknowledged_by=ack.name if ack else ""))
    return tuple(entries)


def evaluation_view(db: Database, drill_id: str) -> EvaluationView:
    """The drill's evaluation, its sign-offs and its circulation."""
    with db.session() as session:
        drill = live_drill(session, drill_id)
        pb = playbook_at(session, drill.playbook_version_id)
        report = drill_report(session, drill_id)
        row = drill_evaluation(session, drill_id)
        if row is None:
            return EvaluationView(drill_info(drill), report is not None and report.status
                                  == "signed", stage_ratings(pb, {}), None, (), ())
        events = tuple(evaluation_events(session, row.id))
        info = evaluation_info(session, row, pb)
        return EvaluationView(
            drill=drill_info(drill),
            report_signed=report is not None and report.status == "signed",
            stages=info.ratings,
            evaluation=info,
            events=events,
            circulation=circulation(session, drill.office_code, events),
        )
