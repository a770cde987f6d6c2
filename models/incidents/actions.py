"""User actions on an incident, one function per act of the six-stage procedure.

Every function is one transaction that changes the record and writes its timeline entry
together: the app can be killed between two edits, never inside one, so what the user saw
saved is saved with its trace (autosave). Input is checked before anything is written, and a
ValidationError names the field at fault. Archived incidents (case files) are read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from i18n import N_
from models.core.checks import (
    CLOCK_SKEW,
    MAX_LINE,
    MAX_TEXT,
    MAX_TITLE,
    checked_text,
    one_of,
    past_time,
)
from models.core.errors import UserError, ValidationError
from models.core.ids import stable_id
from models.incidents.case_search import index_case
from models.incidents.entities import (
    AcknowledgementRow,
    ActionRow,
    CorrectiveActionRow,
    IncidentFieldRow,
    IncidentRow,
    NegotiationRow,
    NotificationRow,
    StatementEventRow,
    StatementRow,
    StatementVersionRow,
    TaskStateRow,
)
from models.incidents.kinds import (
    ACTION_STATUSES,
    CONFIRMATION,
    CONFIRMERS,
    FIELDS,
    MEANS,
    NOTIFY_OUTCOMES,
    SOURCES,
    STATEMENT_EVENTS,
    STATEMENT_SIGNERS,
    STATEMENT_KINDS,
    TASK_STATES,
)
from models.incidents.media_kinds import RELEASE_CHANNELS
from models.incidents.progress import Missing, missing_for_stage
from models.incidents.queries import load_view
from models.incidents.timeline import (
    Acknowledged,
    ActionSaved,
    Archived,
    CorrectiveSaved,
    FieldChanged,
    LevelChanged,
    LevelSet,
    NegotiationSaved,
    Note,
    Notified,
    Opened,
    Removed,
    Report,
    StageCompleted,
    StatementEvent,
    StatementSaved,
    TaskMarked,
    log,
)
from models.org.entities import UnitRow
from models.org.people import Actor, Permission, same_person
from models.playbook.entities import PlaybookVersionRow
from models.playbook.model import CORRECTIVE_STATUSES, Playbook
from models.playbook.store import playbook_at as playbook_at
from models.storage.db import Database, row_or_gone, utcnow


@dataclass(frozen=True)
class IncidentDraft:
    """What the new-incident steps collect (stage 1, 危機掌握與辨識)."""

    title: str
    summary: str
    started_at: datetime
    location: str
    reporting_unit: str
    source: str
    category_key: str
    subtype_key: str
    scope: str
    level_key: str
    suggested_level: str
    level_reason: str = ""


def _incident(session: Session, incident_id: str) -> IncidentRow:
    return row_or_gone(session, IncidentRow, incident_id, N_("That incident no longer exists."))


def editable_incident(session: Session, incident_id: str) -> IncidentRow:
    """The incident, refused when archived (the acts of every part of an incident), or, for
    a drill incident, once closed (its drill ended: models.live_drills.actions.end_drill)."""
    row = _incident(session, incident_id)
    if row.status != "open":
        if row.drill_id is not None:
            raise UserError(N_("This drill incident is closed and can no longer be "
                               "changed."))
        raise UserError(N_("This incident is archived as a case file and can no longer be "
                           "changed."))
    return row


def not_before_start(row: IncidentRow, field: str, when: datetime) -> None:
    if when < row.started_at - CLOCK_SKEW:
        raise ValidationError(field, N_("The time lies before the incident began."))


def check_due(row: IncidentRow, field: str, due: datetime | None) -> None:
    """A task's due time may lie in the past (a decision is often recorded after it was
    taken, and a task then shows overdue at once), but not before the incident began: no task
    of it was due then, so such a time is a slip of the date (a wrong ROC year or day)."""
    if due is None:
        return
    if due.tzinfo is None:
        raise ValidationError(field, N_("The time has no time zone."))
    if due < row.started_at - CLOCK_SKEW:
        raise ValidationError(field, N_("The due time lies before the incident began."))


def _check_category(pb: Playbook, category_key: str, subtype_key: str) -> None:
    for category in pb.categories:
        if category.key == category_key:
            if subtype_key and subtype_key not in {s.key for s in category.subtypes}:
                raise ValidationError("subtype_key", N_("Choose a subtype of the category."))
            return
    raise ValidationError("category_key", N_("Choose a category of the playbook."))


def _check_level(pb: Playbook, level_key: str) -> None:
    if level_key not in {level.key for level in pb.levels}:
        raise ValidationError("level_key", N_("Choose a level of the playbook."))


def _check_unit(session: Session, office_code: str, unit_key: str) -> None:
    if unit_key and not session.scalar(
        select(UnitRow.id).where(UnitRow.office_code == office_code, UnitRow.key == unit_key)
    ):
        raise ValidationError("reporting_unit", N_("Choose a unit of the office."))


def open_incident(
    db: Database, actor: Actor, office_code: str, draft: IncidentDraft
) -> str:
    """Open a new incident under the current playbook; returns its id."""
    now = utcnow()
    title = checked_text("title", draft.title, MAX_TITLE, required=True)
    summary = checked_text("summary", draft.summary, MAX_TEXT)
    past_time("started_at", draft.started_at, now)
    location = checked_text("location", draft.location, MAX_LINE)
    scope = checked_text("scope", draft.scope, MAX_TEXT)
    one_of("source", draft.source, SOURCES)
    reason = checked_text("level_reason", draft.level_reason, MAX_TEXT)
    if draft.level_key != draft.suggested_level and not reason:
        raise ValidationError(
            "level_reason", N_("Say why the level differs from the suggested one.")
        )
    with db.session() as session:
        version = session.scalar(
            select(PlaybookVersionRow).order_by(PlaybookVersionRow.number.desc()).limit(1)
        )
        if version is None:
            raise UserError(N_("The database holds no playbook yet."))
        pb = playbook_at(session, version.id)
        _check_category(pb, draft.category_key, draft.subtype_key)
        _check_level(pb, draft.level_key)
        _check_unit(session, office_code, draft.reporting_unit)
        row = IncidentRow(
            office_code=office_code,
            title=title,
            summary=summary,
            started_at=draft.started_at,
            location=location,
            reporting_unit=draft.reporting_unit,
            source=draft.source,
            category_key=draft.category_key,
            subtype_key=draft.subtype_key,
            scope=scope,
            level_key=draft.level_key,
            current_stage=1,
            status="open",
            playbook_version_id=version.id,
            updated_by=actor.name,
        )
        session.add(row)
        session.flush()
        log(session, row.id, actor, Opened(title), draft.started_at)
        log(session, row.id, actor, LevelSet(draft.level_key, draft.suggested_level, reason))
        return row.id


FACT_LIMITS = {"title": MAX_TITLE, "summary": MAX_TEXT, "location": MAX_LINE, "scope": MAX_TEXT}


def update_fact(db: Database, actor: Actor, incident_id: str, key: str, value: Any) -> None:
    """Change one of the incident's own facts (autosaved as the user edits); the timeline
    keeps the old and the new value."""
    now = utcnow()
    with db.session() as session:
        row = editable_incident(session, incident_id)
        pb = playbook_at(session, row.playbook_version_id)
        old: Any = getattr(row, key, None)
        if key in FACT_LIMITS:
            value = checked_text(key, value, FACT_LIMITS[key], required=key == "title")
        elif key == "started_at":
            past_time(key, value, now)
            if row.ended_at is not None and value > row.ended_at:
                raise ValidationError(key, N_("The start lies after the end."))
            if _roc_year(value) != _roc_year(row.started_at):
                # The case number counts within the year; a printed number must not change.
                raise ValidationError(key, N_("The start cannot move to another year: the "
                                              "case number would change. Open a new "
                                              "incident instead."))
        elif key == "ended_at":
            if value is not None:
                past_time(key, value, now)
                if value < row.started_at:
                    raise ValidationError(key, N_("The end lies before the start."))
        elif key == "source":
            one_of(key, value, SOURCES)
        elif key == "reporting_unit":
            _check_unit(session, row.office_code, value)
        elif key == "category_key":
            _check_category(pb, value, "")
            if value != row.category_key and row.subtype_key:
                log(session, row.id, actor, FieldChanged("subtype_key", row.subtype_key, ""))
                row.subtype_key = ""
        elif key == "subtype_key":
            _check_category(pb, row.category_key, value)
        else:
            raise ValidationError(key, N_("This field cannot be changed here."))
        if value == old:
            return
        setattr(row, key, value)
        row.touch(actor.name)
        log(session, row.id, actor, FieldChanged(key, _plain(old), _plain(value)))


def _roc_year(moment: datetime) -> int:
    return (moment + timedelta(hours=8)).year


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


def change_level(db: Database, actor: Actor, incident_id: str, level_key: str, reason: str) -> None:
    """A later change of the level; always with a reason, recorded with time and author."""
    reason = checked_text("reason", reason, MAX_TEXT, required=True)
    with db.session() as session:
        row = editable_incident(session, incident_id)
        _check_level(playbook_at(session, row.playbook_version_id), level_key)
        if level_key == row.level_key:
            raise ValidationError("level_key", N_("The incident already has this level."))
        log(session, row.id, actor, LevelChanged(row.level_key, level_key, reason))
        row.level_key = level_key
        row.touch(actor.name)


def set_field(db: Database, actor: Actor, incident_id: str, key: str, value: str) -> None:
    """Store a stage-form field as it is typed (autosave); unchanged values write nothing."""
    with db.session() as session:
        editable_incident(session, incident_id)
        _set_field(session, actor, incident_id, key, value)


def _set_field(session: Session, actor: Actor, incident_id: str, key: str, value: str,
               *, confirming: bool = False) -> None:
    spec = FIELDS.get(key)
    if key in CONFIRMATION and not confirming:  # only confirm_plan writes who confirmed
        raise ValidationError(key, N_("This field cannot be changed here."))
    if spec is None:
        raise ValidationError(key, N_("This field cannot be changed here."))
    value = checked_text(key, value, MAX_LINE if spec.kind == "line" else MAX_TEXT)
    if spec.kind == "datetime" and value:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise ValidationError(key, N_("Give a date and time."))
        past_time(key, moment, utcnow())
    row = session.scalar(
        select(IncidentFieldRow).where(
            IncidentFieldRow.incident_id == incident_id, IncidentFieldRow.key == key
        )
    )
    old = row.value if row is not None else ""
    if old == value:
        return
    if row is None:
        session.add(IncidentFieldRow(id=stable_id("incident_field", incident_id, key),
                                     incident_id=incident_id, key=key, value=value,
                                     updated_by=actor.name))
    else:
        row.value = value
        row.touch(actor.name)
    log(session, incident_id, actor, FieldChanged(key, old, value))


def confirm_plan(
    db: Database, actor: Actor, incident_id: str, role_key: str, name: str, at: datetime
) -> None:
    """Record that the commander or the executive secretary confirmed the decided plan: in
    person (the actor is the confirmer: only someone who may confirm, as their own role), or
    as they gave it by phone (anyone records it; the timeline and the forms name who did)."""
    one_of("confirmed_by_role", role_key, CONFIRMERS)
    name = checked_text("confirmed_by_name", name, MAX_LINE, required=True)
    if same_person(name, actor.name):
        actor.require(Permission.CONFIRM_PLAN)
        if role_key != actor.role.value:
            raise ValidationError("confirmed_by_role", N_(
                "You confirm as what you are: {role}."), role=actor.role.label)
    past_time("confirmed_at", at, utcnow())
    with db.session() as session:
        not_before_start(editable_incident(session, incident_id), "confirmed_at", at)
        plan = session.scalar(
            select(IncidentFieldRow.value).where(
                IncidentFieldRow.incident_id == incident_id, IncidentFieldRow.key == "s2.plan"
            )
        )
        if not (plan or "").strip():
            raise ValidationError("s2.plan", N_("Enter the decided plan first."))
        for key, value in (
            ("s2.confirmed_by_role", role_key),
            ("s2.confirmed_by_name", name),
            ("s2.confirmed_at", at.isoformat()),
        ):
            _set_field(session, actor, incident_id, key, value, confirming=True)


def record_notification(
    db: Database,
    actor: Actor,
    incident_id: str,
    *,
    target_group: str,
    member_id: str,
    recipient: str,
    acting_for: str,
    means: str,
    notified_at: datetime,
    outcome: str = "reached",
) -> str:
    """An attempt to tell the holder of the post, or their deputy acting for them (代), with
    what it achieved: told, a message left, a call back promised, or no answer. Each attempt
    is kept, so the record (and the printed 通報單) says who was really told."""
    recipient = checked_text("recipient", recipient, MAX_LINE, required=True)
    acting_for = checked_text("acting_for", acting_for, MAX_LINE)
    one_of("means", means, MEANS)
    one_of("outcome", outcome, NOTIFY_OUTCOMES)
    past_time("notified_at", notified_at, utcnow())
    with db.session() as session:
        row = editable_incident(session, incident_id)
        not_before_start(row, "notified_at", notified_at)
        note = NotificationRow(
            incident_id=incident_id,
            target_group=target_group,
            member_id=member_id,
            recipient=recipient,
            acting_for=acting_for,
            means=means,
            outcome=outcome,
            notified_at=notified_at,
            entered_by=actor.name,
            role=actor.role.value,
        )
        session.add(note)
        session.flush()
        log(session, incident_id, actor,
            Notified(recipient, acting_for, means, target_group, note.id, outcome), notified_at)
        return note.id


def acknowledge(db: Database, actor: Actor, notification_id: str, acked_at: datetime) -> None:
    """The person notified confirmed receipt."""
    past_time("acked_at", acked_at, utcnow())
    with db.session() as session:
        note = row_or_gone(session, NotificationRow, notification_id,
                           N_("That notification no longer exists."))
        editable_incident(session, note.incident_id)
        if session.scalar(select(AcknowledgementRow.id).where(
                AcknowledgementRow.notification_id == notification_id)):
            raise UserError(N_("This notification is already acknowledged."))
        if note.outcome == "no_answer":
            raise UserError(N_("Nobody answered this call: record the call that reached "
                               "them instead."))
        if acked_at < note.notified_at:
            raise ValidationError("acked_at", N_("The time lies before the notification."))
        session.add(AcknowledgementRow(notification_id=notification_id, acked_at=acked_at,
                                       entered_by=actor.name))
        log(session, note.incident_id, actor, Acknowledged(note.recipient, note.id), acked_at)


def set_task_state(
    db: Database,
    actor: Actor,
    incident_id: str,
    stage: int,
    task_key: str,
    state: str,
    reason: str = "",
    remark: str = "",
) -> None:
    """Tick off a procedure task, or mark it not applicable (which needs a reason)."""
    one_of("state", state, TASK_STATES)
    reason = checked_text("reason", reason, MAX_TEXT, required=state == "not_applicable")
    remark = checked_text("remark", remark, MAX_TEXT)
    with db.session() as session:
        row = editable_incident(session, incident_id)
        pb = playbook_at(session, row.playbook_version_id)
        stages = {s.number: s for s in pb.stages}
        if stage not in stages or task_key not in {t.key for t in stages[stage].tasks}:
            raise ValidationError("task", N_("That task is not in the playbook."))
        session.add(TaskStateRow(incident_id=incident_id, stage=stage, task_key=task_key,
                                 state=state, reason=reason, remark=remark,
                                 entered_by=actor.name, role=actor.role.value))
        log(session, incident_id, actor, TaskMarked(stage, task_key, state, reason, remark))


def add_entry(
    db: Database, actor: Actor, incident_id: str, kind: str, text: str, event_at: datetime
) -> None:
    """A progress report (回報, kind 'report') or a free note ('note') on the timeline."""
    one_of("kind", kind, ("report", "note"))
    text = checked_text("text", text, MAX_TEXT, required=True)
    past_time("event_at", event_at, utcnow())
    with db.session() as session:
        row = editable_incident(session, incident_id)
        if kind == "report":  # a note may record what came before (a tip the day before)
            not_before_start(row, "event_at", event_at)
        log(session, incident_id, actor, Report(text) if kind == "report" else Note(text),
            event_at)


def save_action(
    db: Database,
    actor: Actor,
    incident_id: str,
    action_id: str | None,
    *,
    description: str,
    group_key: str,
    resources: str,
    status: str,
    owner: str = "",
    due_at: datetime | None = None,
    seen_at: datetime | None = None,
) -> str:
    """Add or change a handling action of stage 3, a task of the board (*seen_at*: see
    _child). The decision that gave it, if any, stays as recorded."""
    description = checked_text("description", description, MAX_TEXT, required=True)
    resources = checked_text("resources", resources, MAX_TEXT)
    owner = checked_text("owner", owner, MAX_LINE)
    one_of("status", status, ACTION_STATUSES)
    with db.session() as session:
        incident = editable_incident(session, incident_id)
        pb = playbook_at(session, incident.playbook_version_id)
        one_of("group_key", group_key, {g.key for g in pb.team.groups})
        check_due(incident, "due_at", due_at)
        row = _child(session, ActionRow, action_id, incident_id, actor, seen_at)
        row.description, row.group_key, row.resources, row.status = (
            description, group_key, resources, status)
        row.owner, row.due_at = owner, due_at
        session.flush()
        log(session, incident_id, actor,
            ActionSaved(description, group_key, status, new=action_id is None))
        return str(row.id)


def _child(session: Session, cls: Any, row_id: str | None, incident_id: str, actor: Actor,
           seen_at: datetime | None = None) -> Any:
    """A new row of *cls* for the incident, or the existing one being edited.

    *seen_at* is the entry's last change as the form showed it: a form saves every field, so
    one opened before a sync brought another PC's change to the entry would silently write the
    old values back over it. Such a save is refused; the list shows the change."""
    if row_id is None:
        row = cls(incident_id=incident_id, updated_by=actor.name)
        session.add(row)
        return row
    gone = N_("That entry no longer exists.")
    row = row_or_gone(session, cls, row_id, gone)
    if row.incident_id != incident_id:  # another incident's entry is none of this one's
        raise UserError(gone)
    if seen_at is not None and row.updated_at != seen_at:
        raise UserError(N_("This entry was changed on another PC after you opened it. The "
                           "list now shows that change; make yours again."))
    row.touch(actor.name)
    return row


def save_statement(
    db: Database,
    actor: Actor,
    incident_id: str,
    statement_id: str | None,
    *,
    kind: str,
    title: str,
    text: str,
) -> str:
    """Create a statement or clarification, or save a new version of its text (every
    version is kept; an unchanged text adds none)."""
    one_of("kind", kind, STATEMENT_KINDS)
    title = checked_text("title", title, MAX_TITLE, required=True)
    text = checked_text("text", text, MAX_TEXT, required=True)
    with db.session() as session:
        editable_incident(session, incident_id)
        row = _child(session, StatementRow, statement_id, incident_id, actor)
        row.kind, row.title = kind, title
        session.flush()
        last = session.scalar(
            select(StatementVersionRow)
            .where(StatementVersionRow.statement_id == row.id)
            .order_by(StatementVersionRow.number.desc())
            .limit(1)
        )
        if last is None or last.text != text:
            number = (last.number if last else 0) + 1
            session.add(StatementVersionRow(id=stable_id("statement_version", row.id, str(number)),
                                            statement_id=row.id, number=number, text=text,
                                            entered_by=actor.name))
            log(session, incident_id, actor, StatementSaved(title, kind, number))
        return str(row.id)


def statement_event(
    db: Database,
    actor: Actor,
    statement_id: str,
    version_number: int,
    event: str,
    *,
    name: str,
    event_at: datetime,
    channel: str = "",
) -> None:
    """The legal group reviewed a version, the spokesperson approved it, or it was released
    (on which channel, a key of RELEASE_CHANNELS: once per channel, so a version put on the
    website and read at a press conference has two releases). A release needs an approved
    version. A review or an approval in the actor's own name needs the post
    (STATEMENT_SIGNERS); one given by phone is recorded under the name of who gave it, and the
    timeline names who recorded it."""
    one_of("event", event, STATEMENT_EVENTS)
    name = checked_text("name", name, MAX_LINE, required=True)
    if same_person(name, actor.name) and event in STATEMENT_SIGNERS:
        actor.require(STATEMENT_SIGNERS[event])
    channel = checked_text("channel", channel, MAX_LINE, required=event == "released")
    if event == "released":
        one_of("channel", channel, RELEASE_CHANNELS)
    past_time("event_at", event_at, utcnow())
    with db.session() as session:
        statement = row_or_gone(session, StatementRow, statement_id,
                                N_("That statement no longer exists."))
        incident = editable_incident(session, statement.incident_id)
        if not session.scalar(select(StatementVersionRow.id).where(
                StatementVersionRow.statement_id == statement_id,
                StatementVersionRow.number == version_number)):
            raise UserError(N_("That version of the statement does not exist."))
        recorded = {(e, c) for e, c in session.execute(
            select(StatementEventRow.event, StatementEventRow.channel).where(
                StatementEventRow.statement_id == statement_id,
                StatementEventRow.version_number == version_number))}
        done = {e for e, _channel in recorded}
        if (event, channel) in recorded:
            raise UserError(N_("That version is already recorded as released on that "
                               "channel."))
        if event in done and event != "released":  # a version is released on each channel
            raise UserError(N_("This is already recorded for that version."))
        if event == "approved" and "legal_review" not in done:
            raise UserError(N_("The legal group must review a version before it is "
                               "approved."))
        if event == "released" and "approved" not in done:
            raise UserError(N_("Only an approved version can be released."))
        not_before_start(incident, "event_at", event_at)
        session.add(StatementEventRow(statement_id=statement_id, version_number=version_number,
                                      event=event, name=name, channel=channel,
                                      event_at=event_at, entered_by=actor.name))
        log(session, statement.incident_id, actor,
            StatementEvent(statement.title, version_number, event, name, channel), event_at)


def save_negotiation(
    db: Database,
    actor: Actor,
    incident_id: str,
    entry_id: str | None,
    *,
    party: str,
    position: str,
    agreement: str,
    next_step: str,
    seen_at: datetime | None = None,
) -> str:
    """Add or change a party of the negotiation (stage 5; *seen_at*: see _child)."""
    party = checked_text("party", party, MAX_LINE, required=True)
    values = {k: checked_text(k, v, MAX_TEXT) for k, v in
              (("position", position), ("agreement", agreement), ("next_step", next_step))}
    with db.session() as session:
        editable_incident(session, incident_id)
        row = _child(session, NegotiationRow, entry_id, incident_id, actor, seen_at)
        row.party = party
        for key, value in values.items():
            setattr(row, key, value)
        session.flush()
        log(session, incident_id, actor, NegotiationSaved(party, **values))
        return str(row.id)


def save_corrective_action(
    db: Database,
    actor: Actor,
    incident_id: str,
    action_id: str | None,
    *,
    description: str,
    owner: str,
    due: date | None,
    status: str,
    seen_at: datetime | None = None,
    note: str = "",
) -> str:
    """Add or change a corrective action of the review (stage 6). Its status can still be
    changed after archiving: corrective actions are followed until they are done, and *note*
    says why it moved, in the case's timeline. Not a closed drill incident's: the drill's end
    makes all of it read-only (the drill's own corrective actions are its evaluation's).
    *seen_at*: see _child."""
    description = checked_text("description", description, MAX_TEXT, required=True)
    owner = checked_text("owner", owner, MAX_LINE, required=True)
    note = checked_text("note", note, MAX_TEXT)
    one_of("status", status, CORRECTIVE_STATUSES)
    with db.session() as session:
        incident = _incident(session, incident_id)
        if incident.status != "open" and (action_id is None or incident.drill_id is not None):
            editable_incident(session, incident_id)  # raises: archived, or a drill's closed
        same = session.get(CorrectiveActionRow, action_id) if action_id else None
        if (same is not None and same.incident_id == incident_id and same.deleted_at is None
                and (same.description, same.owner, same.due, same.status) == (
                    description, owner, due, status) and not note):
            # Saved unchanged: nothing happened, and its last change (the day it was done,
            # for the annual review) stays when it was.
            return str(same.id)
        row = _child(session, CorrectiveActionRow, action_id, incident_id, actor, seen_at)
        if incident.status != "open" and (description, owner, due) != (
                row.description, row.owner, row.due):
            raise UserError(N_("The case is archived: only the status of its corrective "
                               "actions can still change."))
        row.description, row.owner, row.due, row.status = description, owner, due, status
        session.flush()
        log(session, incident_id, actor, CorrectiveSaved(description, owner, status, due, note))
        return str(row.id)


def delete_entry(db: Database, actor: Actor, incident_id: str, kind: str, entry_id: str) -> None:
    """Remove an action, negotiation entry or corrective action entered by mistake
    (a tombstone: the timeline keeps that it existed)."""
    cls = {"action": ActionRow, "negotiation": NegotiationRow,
           "corrective": CorrectiveActionRow}[kind]
    with db.session() as session:
        editable_incident(session, incident_id)
        row = _child(session, cls, entry_id, incident_id, actor)
        row.deleted_at = utcnow()
        log(session, incident_id, actor, Removed(kind))


class StageIncomplete(UserError):
    """The stage still has required items; ``missing`` lists them for the wizard."""

    def __init__(self, missing: list[Missing]) -> None:
        super().__init__(N_("The stage is not complete yet."))
        self.missing = missing


def complete_stage(db: Database, actor: Actor, incident_id: str, stage: int) -> None:
    """Close a stage of the procedure. The current stage moves on; completing stage 6
    archives the incident as a case file and indexes it for the case search."""
    with db.session() as session:
        row = editable_incident(session, incident_id)
        if stage != row.current_stage:
            raise UserError(N_("Only the current stage can be completed."))
        view = load_view(session, incident_id, utcnow(), ack_minutes=None)
        missing = missing_for_stage(view, stage)
        if missing:
            raise StageIncomplete(missing)
        log(session, incident_id, actor, StageCompleted(stage))
        row.touch(actor.name)
        if stage < 6:
            row.current_stage = stage + 1
            return
        now = utcnow()
        row.status = "archived"
        row.archived_at = now
        if row.ended_at is None:
            row.ended_at = now
        log(session, incident_id, actor, Archived())
        session.flush()
        index_case(session, incident_id)

