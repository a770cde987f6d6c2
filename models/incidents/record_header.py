"""An incident's 公文 header (models.playbook.records): set by the commander or the executive
secretary, who decide how a case is classified, and printed on every form of the incident.

Why those two: 密等 and 保存年限 are the head's decision (文書處理手冊 has the 機關首長 or whom
they authorise decide the classification), and in the crisis team the commander and the
executive secretary are the ones who confirm the plan (Permission.CONFIRM_PLAN); the sync
holds another PC to the same rule (sync_policy's writers).

A change of the header is an act like any other: each field that now prints differently
writes a timeline entry (FieldChanged under the field's doc_* column) naming who changed it
from what to what, in the same transaction, so a classification lifted or a retention
shortened leaves its trace."""

from __future__ import annotations

from sqlalchemy.orm import Session

from forms.document import OfficialHeader
from i18n import N_
from models.incidents.actions import editable_incident
from models.incidents.entities import IncidentRow
from models.incidents.queries import IncidentView
from models.incidents.timeline import FieldChanged, log
from models.org.people import Actor, Permission
from models.playbook.model import Playbook
from models.playbook.records import RecordHeader, check_header, official_header, store_header
from models.playbook.store import playbook_at
from models.storage.db import Database, row_or_gone

PERMISSION = Permission.CONFIRM_PLAN
"""Who may set an incident's header."""


def set_incident_header(db: Database, actor: Actor, incident_id: str,
                        header: RecordHeader) -> RecordHeader:
    """Store the header as given (validated; "" leaves a field to the rule); refused for an
    archived incident, as every part of one is."""
    actor.require(PERMISSION)
    header = check_header(header)
    with db.session() as session:
        row = editable_incident(session, incident_id)
        for column, old, new in store_header(row, header, actor.name):
            log(session, row.id, actor, FieldChanged(column, old, new))
    return header


def incident_header(db: Database, incident_id: str) -> RecordHeader:
    """The header as stored (for the editor)."""
    with db.session() as session:
        return RecordHeader.of(_incident(session, incident_id))


def incident_official_header(db: Database, incident_id: str) -> OfficialHeader:
    """The header block of the incident's forms, the rule applied: a case at the playbook's
    first level is kept permanently."""
    with db.session() as session:
        row = _incident(session, incident_id)
        pb = playbook_at(session, row.playbook_version_id)
        return _official(RecordHeader.of(row), pb, row.level_key)


def view_official_header(view: IncidentView) -> OfficialHeader:
    """The same header block from an incident already loaded: a screen showing a form (the
    archive's case file) composes it again in the reader's language without the database."""
    return _official(view.header, view.playbook, view.level_key)


def most_serious(pb: Playbook, level_key: str) -> bool:
    """Whether a case at *level_key* is at the playbook's first level, which the rule keeps
    permanently (the header's editor names it too)."""
    return bool(pb.levels) and level_key == pb.levels[0].key


def _official(header: RecordHeader, pb: Playbook, level_key: str) -> OfficialHeader:
    return official_header(header, pb.records, most_serious=most_serious(pb, level_key))


def _incident(session: Session, incident_id: str) -> IncidentRow:
    return row_or_gone(session, IncidentRow, incident_id, N_("That incident no longer exists."))
