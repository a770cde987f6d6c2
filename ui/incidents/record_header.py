"""The incident window's 公文 header: a badge that flags a case marked 密 or above beside its
title, and the button that opens the header's editor (ui/widgets/record_header.py) for the
commander or the executive secretary (models.incidents.record_header)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from i18n import N_
from ui.incidents.controller import IncidentController
from ui.widgets.record_header import Opening, RecordHeaderBar, Store

if TYPE_CHECKING:
    from collections.abc import Callable

    from models.incidents.queries import IncidentView
    from models.org.people import Actor
    from models.playbook.records import RecordHeader
    from models.storage.db import Database


class IncidentRecordHeader(RecordHeaderBar):
    """The header of the incident the controller shows; editable while it is open."""

    def __init__(self, ctrl: IncidentController) -> None:
        super().__init__(ctrl.ctx, "incident", N_(
            "File number, retention, urgency and classification printed on the incident's "
            "forms"))
        self.ctrl = ctrl

    def show_view(self, view: IncidentView) -> None:
        from models.incidents.record_header import PERMISSION

        self.show_record(view.classification,
                         view.status == "open" and self.ctx.actor.may(PERMISSION))

    def acts(self) -> tuple[Callable[[Database], Opening], Store]:
        from models.incidents.record_header import most_serious

        incident_id = self.ctrl.incident_id
        shown = self.ctrl.view  # the case on screen: its playbook and level give the rule
        view = shown if shown is not None and shown.id == incident_id else None
        rules = view.playbook.records if view else None
        serious = view is not None and most_serious(view.playbook, view.level_key)

        def read(db: Database) -> Opening:
            from models.incidents.record_header import incident_header

            return incident_header(db, incident_id), rules, serious

        def store(chosen: RecordHeader, done: Callable[[object], None],
                  failed: Callable[[Exception], None]) -> None:
            def act(db: Database, actor: Actor) -> RecordHeader:
                from models.incidents.record_header import set_incident_header

                return set_incident_header(db, actor, incident_id, chosen)

            self.ctrl.act(act, done, failed)

        return read, store
