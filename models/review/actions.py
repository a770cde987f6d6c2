"""Every corrective action (改善措施) of the office in one list, from incidents and from drill
evaluations, followed until done: the procedure's review does not end when a case is
archived or an evaluation signed.

Moving an action's status is each feature's own act (models.incidents.actions
save_corrective_action, which logs it with its note in the case's timeline;
models.drills.reports.actions set_corrective_status): this module only reads them together
and hands a move to the right one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.drills.entities import DrillRow
from i18n import N_
from models.core.errors import ValidationError
from models.drills.kinds import TAIPEI
from models.drills.reports.actions import set_corrective_status
from models.drills.reports.entities import DrillCorrectiveActionRow, DrillEvaluationRow
from models.incidents.actions import save_corrective_action
from models.incidents.entities import CorrectiveActionRow, IncidentRow
from models.incidents.queries import format_number, sequences
from models.incidents.real import real
from models.org.people import Actor
from models.storage.db import Database


@dataclass(frozen=True)
class FollowedAction:
    """One corrective action as the follow-up list shows it."""

    source: str
    """"incident" or "drill"."""
    action_id: str
    record_id: str
    """The incident's id, or the drill's."""
    reference: str
    """The case number, or empty for a drill's (its month and unit say which)."""
    drill_month: date | None
    unit_key: str
    """The incident's reporting unit, or the drilled unit."""
    description: str
    owner: str
    due: date | None
    status: str
    closed: bool
    """The case is archived, or the evaluation signed: only the status still moves."""
    updated_at: datetime
    """The action's last change as read: a move over a newer change from another PC is
    refused rather than writing the old description back (models.incidents.actions._child)."""

    def overdue(self, today: date) -> bool:
        return self.status != "done" and self.due is not None and self.due < today


def followed_actions(db: Database, office_code: str, today: date, *,
                     due_by: date | None = None) -> list[FollowedAction]:
    """Every corrective action of the office's real incidents and signed drill evaluations,
    overdue first, then open ones by due day (none last), then done ones, the last done
    first. *due_by*: only the open
    ones due by that day (the home screen's: a busy office's archive holds thousands)."""
    incident_due: list[Any] = []
    drill_due: list[Any] = []
    if due_by is not None:
        incident_due = [CorrectiveActionRow.status != "done",
                        CorrectiveActionRow.due <= due_by]
        drill_due = [DrillCorrectiveActionRow.status != "done",
                     DrillCorrectiveActionRow.due <= due_by]
    with db.reading() as connection, Session(bind=connection) as session:
        incident_rows = list(session.execute(
            select(CorrectiveActionRow, IncidentRow)
            .join(IncidentRow, IncidentRow.id == CorrectiveActionRow.incident_id)
            .where(IncidentRow.office_code == office_code, IncidentRow.is_example.is_(False),
                   IncidentRow.deleted_at.is_(None), CorrectiveActionRow.deleted_at.is_(None),
                   real(), *incident_due)))
        years = {f"{(i.started_at + TAIPEI).year:04d}" for _a, i in incident_rows}
        numbers = sequences(session, office_code, years) if years else {}
        drill_rows = list(session.execute(
            select(DrillCorrectiveActionRow, DrillEvaluationRow.status, DrillRow)
            .join(DrillEvaluationRow,
                  DrillEvaluationRow.id == DrillCorrectiveActionRow.evaluation_id)
            .join(DrillRow, DrillRow.id == DrillEvaluationRow.drill_id)
            .where(DrillRow.office_code == office_code, DrillRow.deleted_at.is_(None),
                   DrillEvaluationRow.deleted_at.is_(None),
                   DrillEvaluationRow.status == "signed",  # a draft's may still change
                   DrillCorrectiveActionRow.deleted_at.is_(None), *drill_due)))
    actions = [
        FollowedAction("incident", a.id, i.id,
                       format_number(office_code, i.started_at, numbers.get(i.id, 0)), None,
                       i.reporting_unit, a.description, a.owner, a.due, a.status,
                       i.status == "archived", a.updated_at)
        for a, i in incident_rows]
    actions += [
        FollowedAction("drill", a.id, d.id, "", d.month, d.unit_key, a.description, a.owner,
                       a.due, a.status, evaluation_status == "signed", a.updated_at)
        for a, evaluation_status, d in drill_rows]

    def order(action: FollowedAction) -> tuple[int, float, str]:
        if action.status == "done":  # the last done first
            return 2, -action.updated_at.timestamp(), action.action_id
        due = (action.due or date.max).toordinal()
        return (0 if action.overdue(today) else 1), due, action.action_id

    return sorted(actions, key=order)


def move_status(db: Database, actor: Actor, action: FollowedAction, status: str,
                note: str) -> None:
    """Move *action* to *status*, by its feature's own act (which checks who may): an
    incident's with *note*, which it needs, in the case's timeline; refused when the action
    changed since it was read (another PC's move) or is at *status* already."""
    if status == action.status:
        raise ValidationError("status", N_("The action is in that state already."))
    if action.source == "incident":
        if not note.strip():
            raise ValidationError("note", N_("Say what was done, or why it is open again: "
                                             "it goes into the case's timeline."))
        save_corrective_action(db, actor, action.record_id, action.action_id,
                               description=action.description, owner=action.owner,
                               due=action.due, status=status, note=note,
                               seen_at=action.updated_at)
    else:
        set_corrective_status(db, actor, action.action_id, status, seen_at=action.updated_at)
