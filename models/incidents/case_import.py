"""Bringing case files into the archive: an exchange file (docs/case-format.md) or the demo
cases shipped with the app.

Everything of one file is stored in one transaction: a bad case rejects the whole file and
leaves the database as it was. A case already in the archive (same office, subject and start)
is skipped, so importing a file twice, or loading the examples twice, adds nothing.
Imported cases are archived incidents like any other: their timeline is rebuilt from the
file's times, and they are indexed for the case search.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from appinfo.resources import resource_path
from i18n import N_
from models.core.errors import UserError, os_reason
from models.core.ids import stable_id
from models.incidents.case_format import MAX_FILE_BYTES, CaseRecord, parse_cases_json
from models.incidents.case_search import index_case
from models.incidents.entities import (
    AcknowledgementRow,
    ActionRow,
    CorrectiveActionRow,
    DecisionRow,
    IncidentFieldRow,
    IncidentRow,
    NegotiationRow,
    NotificationRow,
    StatementEventRow,
    StatementRow,
    StatementVersionRow,
    TaskStateRow,
)
from models.incidents.inquiry_case import store_inquiries
from models.incidents.record_header import PERMISSION as HEADER_PERMISSION
from models.incidents.media_entities import MediaItemRow
from models.incidents.timeline import (
    Acknowledged,
    Archived,
    Decided,
    FieldChanged,
    LevelSet,
    MediaItemSaved,
    Note,
    Notified,
    Opened,
    Report,
    StageCompleted,
    TaskMarked,
    log,
)
from models.org.entities import UnitRow
from models.org.people import Actor, Permission, same_person
from models.playbook.entities import PlaybookVersionRow
from models.playbook.records import RecordHeader
from models.playbook.store import playbook_at as playbook_at
from models.storage.db import Database, utcnow

DEMO_FILE = ("demo", "cases.json")


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int


def load_demo(db: Database, actor: Actor, office_code: str) -> ImportResult:
    """Load the shipped example cases into this office's archive, marked as examples.

    They are stored under this PC's office so they show in its archive; their texts keep the
    office where the events happened, and every list marks them "(example)"."""
    text = resource_path(*DEMO_FILE).read_text(encoding="utf-8")
    return _import(db, actor, office_code, text, example=True)


def import_cases_file(db: Database, actor: Actor, office_code: str, path: Path) -> ImportResult:
    """Import an exchange file of this office's cases (untrusted: checked in full first)."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise UserError(N_("The file {path} is larger than {limit} MB."), path=str(path),
                            limit=MAX_FILE_BYTES // 1_000_000)
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(N_("Cannot read {path}: {error}"), path=str(path),
                        error=os_reason(exc)) from exc
    return _import(db, actor, office_code, data, example=False)


def _import(db: Database, actor: Actor, office_code: str, data: str | bytes,
            *, example: bool) -> ImportResult:
    with db.session() as session:
        version = session.scalar(
            select(PlaybookVersionRow).order_by(PlaybookVersionRow.number.desc()).limit(1))
        if version is None:
            raise UserError(N_("The database holds no playbook yet."))
        playbook = playbook_at(session, version.id)
        records = parse_cases_json(data, playbook, now=utcnow())
        if any(r.header != RecordHeader() for r in records):  # as set_incident_header: the
            actor.require(HEADER_PERMISSION)  # commander's (every PC's sync checks it)
        if records and not example and records[0].office_code != office_code:
            raise UserError(N_("The file holds the cases of another office ({office})."),
                            office=records[0].office_code)
        units = set(session.scalars(select(UnitRow.key).where(UnitRow.office_code == office_code)))
        added = skipped = 0
        for record in records:
            exists = session.scalar(select(IncidentRow.id).where(
                IncidentRow.office_code == office_code, IncidentRow.title == record.title,
                IncidentRow.started_at == record.started_at, IncidentRow.deleted_at.is_(None)))
            if exists:
                skipped += 1
                continue
            _store(session, actor, office_code, version.id, record, units, example)
            added += 1
        return ImportResult(added, skipped)


def _store(session: Session, actor: Actor, office_code: str, version_id: str,
           record: CaseRecord, units: set[str], example: bool) -> None:
    ended = record.ended_at or record.started_at
    incident = IncidentRow(
        office_code=office_code, title=record.title, summary=record.summary,
        started_at=record.started_at, ended_at=record.ended_at, location=record.location,
        reporting_unit=record.reporting_unit if record.reporting_unit in units else "",
        source=record.source, category_key=record.category, subtype_key=record.subtype,
        scope=record.scope, level_key=record.level, current_stage=6, status="archived",
        archived_at=utcnow(), playbook_version_id=version_id, is_example=example,
        updated_by=actor.name, **record.header.values())
    session.add(incident)
    session.flush()
    iid = incident.id
    log(session, iid, actor, Opened(record.title), record.started_at)
    for column, value in record.header.values().items():  # the header, as the file set it,
        if value:                                          # entered now by the importer
            log(session, iid, actor, FieldChanged(column, "", value))
    log(session, iid, actor, LevelSet(record.level, record.level, record.level_reason),
        record.started_at)
    for key, value in record.fields.items():
        session.add(IncidentFieldRow(id=stable_id("incident_field", iid, key),
                                     incident_id=iid, key=key, value=value,
                                     updated_by=actor.name))
    for n in record.notifications:
        note = NotificationRow(incident_id=iid, target_group=n.target, recipient=n.recipient,
                               acting_for=n.acting_for, means=n.means, notified_at=n.at,
                               entered_by=actor.name, role=actor.role.value)
        session.add(note)
        session.flush()
        # A case file tells the notifications that were made, not each attempt's outcome.
        log(session, iid, actor, Notified(n.recipient, n.acting_for, n.means, n.target, note.id),
            n.at)
        if n.acknowledged_at is not None:
            session.add(AcknowledgementRow(notification_id=note.id, acked_at=n.acknowledged_at,
                                           entered_by=actor.name))
            log(session, iid, actor, Acknowledged(n.recipient, note.id), n.acknowledged_at)
    for t in record.tasks:
        session.add(TaskStateRow(incident_id=iid, stage=t.stage, task_key=t.task, state=t.state,
                                 reason=t.reason, remark=t.remark, entered_at=t.at,
                                 entered_by=actor.name, role=actor.role.value))
        log(session, iid, actor, TaskMarked(t.stage, t.task, t.state, t.reason, t.remark), t.at)
    decided: list[str] = []  # the ids of the case's decisions, in the file's order
    for d in record.decisions:
        if same_person(d.decided_by, actor.name):  # as record_decision: in one's own name,
            actor.require(Permission.CONFIRM_PLAN)  # only who may take it (every PC checks)
        decision = DecisionRow(incident_id=iid, decided_at=d.at, decided_by=d.decided_by,
                               post=d.post, acting_for=d.acting_for, basis=d.basis,
                               options=d.options, decision=d.decision, recorded_by=actor.name,
                               updated_by=actor.name)
        session.add(decision)
        session.flush()
        decided.append(decision.id)
        log(session, iid, actor, Decided(d.decision, d.decided_by, d.acting_for), d.at)
    for a in record.actions:
        session.add(ActionRow(incident_id=iid, description=a.description, group_key=a.group,
                              resources=a.resources, status=a.status, updated_by=actor.name,
                              owner=a.owner, due_at=a.due,
                              decision_id=decided[a.decision - 1] if a.decision else None))
    for report in record.reports:
        log(session, iid, actor, Report(report.text), report.at)
    for note_entry in record.notes:
        log(session, iid, actor, Note(note_entry.text), note_entry.at)
    statement_ids: list[str] = []
    for s in record.statements:
        statement = StatementRow(incident_id=iid, kind=s.kind, title=s.title,
                                 updated_by=actor.name)
        session.add(statement)
        session.flush()
        statement_ids.append(statement.id)
        for number, version in enumerate(s.versions, start=1):
            session.add(StatementVersionRow(id=stable_id("statement_version", statement.id,
                                                      str(number)),
                                            statement_id=statement.id, number=number,
                                            text=version.text, entered_at=version.at,
                                            entered_by=actor.name))
        last = len(s.versions)
        for event, signoff in (("legal_review", s.legal_review), ("approved", s.approved)):
            if signoff is not None:
                number = s.released.version if s.released else last
                session.add(StatementEventRow(statement_id=statement.id, version_number=number,
                                              event=event, name=signoff.name,
                                              event_at=signoff.at, entered_by=actor.name))
        if s.released is not None:
            session.add(StatementEventRow(
                statement_id=statement.id, version_number=s.released.version, event="released",
                name=s.approved.name if s.approved else "", channel=s.released.channel,
                event_at=s.released.at, entered_by=actor.name))
    for m in record.media:
        session.add(MediaItemRow(
            incident_id=iid, outlet=m.outlet, channel=m.channel, seen_at=m.seen_at,
            headline=m.headline, link=m.link, clipping=m.clipping, tone=m.tone, reach=m.reach,
            reach_note=m.reach_note, needs_clarification=m.needs_clarification,
            statement_id=statement_ids[m.statement - 1] if m.statement else None,
            updated_by=actor.name))
        log(session, iid, actor, MediaItemSaved(m.outlet, m.channel, m.headline, m.tone,
                                                new=True), m.seen_at)
    store_inquiries(session, actor, iid, record.inquiries, statement_ids)
    for p in record.negotiations:
        session.add(NegotiationRow(incident_id=iid, party=p.party, position=p.position,
                                   agreement=p.agreement, next_step=p.next_step,
                                   updated_by=actor.name))
    for c in record.corrective_actions:
        session.add(CorrectiveActionRow(incident_id=iid, description=c.description,
                                        owner=c.owner, due=c.due, status=c.status,
                                        updated_by=actor.name))
    for stage in range(1, 7):
        log(session, iid, actor, StageCompleted(stage), ended)
    log(session, iid, actor, Archived(), ended)
    session.flush()
    index_case(session, iid)
