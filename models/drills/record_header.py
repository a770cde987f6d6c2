"""A drill's 公文 header (models.playbook.records): set by the planning group (or the
executive secretary), who plan the drill, and printed on the drill's forms (the draw record,
the report, the evaluation). A drill's retention follows the office's default unless set: an
exercise is no major event; a drill marked as a national secret is kept permanently, as any
record so marked."""

from __future__ import annotations

from sqlalchemy import select

from forms.document import OfficialHeader
from models.drills.entities import DrillRow
from models.drills.queries import live_drill
from models.org.people import Actor, Permission
from models.playbook.records import (
    RecordHeader,
    RecordRules,
    check_header,
    official_header,
    store_header,
)
from models.playbook.store import playbook_at
from models.storage.db import Database

PERMISSION = Permission.PLAN_DRILLS
"""Who may set a drill's header."""


def set_drill_header(db: Database, actor: Actor, drill_id: str,
                     header: RecordHeader) -> RecordHeader:
    """Store the header as given (validated; "" leaves a field to the rule)."""
    actor.require(PERMISSION)
    header = check_header(header)
    with db.session() as session:
        store_header(live_drill(session, drill_id), header, actor.name)  # drills keep no log
    return header


def drill_header(db: Database, drill_id: str) -> RecordHeader:
    """The header as stored (for the editor)."""
    with db.session() as session:
        return RecordHeader.of(live_drill(session, drill_id))


def drill_header_rules(db: Database, drill_id: str) -> tuple[RecordHeader, RecordRules]:
    """The header as stored and the office's rule of the drill's playbook (for the editor,
    which names the retention the rule gives)."""
    with db.session() as session:
        row = live_drill(session, drill_id)
        return RecordHeader.of(row), playbook_at(session, row.playbook_version_id).records


def draw_header(db: Database, draw_id: str) -> RecordHeader:
    """The header of the drill a draw chose, which its record prints and its code covers
    (empty for a draw since replaced by a redraw: no drill is its own)."""
    with db.session() as session:
        row = session.scalar(select(DrillRow).where(DrillRow.draw_id == draw_id))
        return RecordHeader.of(row) if row is not None else RecordHeader()


def drill_official_header(db: Database, drill_id: str) -> OfficialHeader:
    """The header block of the drill's forms, the rule applied."""
    with db.session() as session:
        row = live_drill(session, drill_id)
        pb = playbook_at(session, row.playbook_version_id)
        return official_header(RecordHeader.of(row), pb.records)
