"""The 公文 header of the record a form is printed from (models.playbook.records), read on the
worker with the form (FormPrinter.print_document's *header*): every form of an incident or a
drill carries its record's header and classification, whichever screen prints it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from forms.document import OfficialHeader
    from models.storage.db import Database


def of_incident(incident_id: str) -> Callable[[Database], OfficialHeader]:
    """The header of the incident's forms (its notification form, case file, situation
    reports, media summaries, favour registrations)."""

    def read(db: Database) -> OfficialHeader:
        from models.incidents.record_header import incident_official_header

        return incident_official_header(db, incident_id)

    return read


def of_drill(drill_id: str) -> Callable[[Database], OfficialHeader]:
    """The header of the drill's forms (its report, its evaluation)."""

    def read(db: Database) -> OfficialHeader:
        from models.drills.record_header import drill_official_header

        return drill_official_header(db, drill_id)

    return read
