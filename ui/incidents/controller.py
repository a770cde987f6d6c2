"""The open incident as the wizard's pages see it: the latest view, and one way to act on it.

Every page calls `act()` with a domain function; the controller runs it on the database
worker, then reloads the incident and tells every page through `loaded`. Pages never call
each other and never hold a session: they show the last `IncidentView` and send acts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from models.core.changes import Change, OpChanges
from models.storage.db import utcnow
from ui.runtime.context import AppContext
from ui.runtime.feedback import show_error
from ui.runtime.ops import Op

if TYPE_CHECKING:
    from models.incidents.queries import IncidentView
    from models.org.offices import UnitInfo
    from models.org.people import Actor
    from models.storage.db import Database


class IncidentController(QObject):
    """Signals:
        loaded(object): a fresh IncidentView of the open incident.
        closed(): the incident was closed (it no longer exists, or the user left it).
    """

    loaded = Signal(object)
    closed = Signal()

    def __init__(self, ctx: AppContext, owner: QWidget) -> None:
        super().__init__(owner)
        self.ctx = ctx
        self.owner = owner
        self.view: IncidentView | None = None
        self.units: list[UnitInfo] = []
        """The office's units (removed ones too: an old incident may name one)."""
        self.incident_id = ""
        ctx.data_changed.connect(self._on_data_changed)
        ctx.office_changed.connect(self.reload)

    def unit_names(self) -> dict[str, str]:
        return {u.key: u.name for u in self.units}

    def open(self, incident_id: str) -> None:
        self.incident_id = incident_id
        self.view = None
        self.reload()

    def reload(self) -> None:
        if not self.incident_id:
            return
        incident_id = self.incident_id
        minutes = self.ctx.settings.ack_minutes

        office_code = self.ctx.settings.office_code
        tz = self.ctx.settings.timezone

        def load(db: Database) -> tuple[IncidentView, list[UnitInfo]]:
            from models.incidents.queries import incident_view
            from models.org.units import list_units

            view = incident_view(db, incident_id, utcnow(), minutes, tz)
            return view, list_units(db, office_code, include_inactive=True)

        def shown(result: tuple[IncidentView, list[UnitInfo]]) -> None:
            view, units = result
            if view.id == self.incident_id:
                self.view = view
                self.units = units
                self.loaded.emit(view)

        def gone(exc: Exception) -> None:
            if isinstance(exc, LookupError):
                self.incident_id = ""
                self.closed.emit()
            else:
                show_error(self.owner, exc)

        self.ctx.worker.run("load_incident", load, shown, gone)

    def act(
        self,
        fn: Callable[[Database, Actor], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        """Run a domain action as the current user, as an Op (ui/runtime/ops.py): the views,
        this incident's among them, reload from what it changed. Errors go to *on_error* (a
        page showing them at the field) or to a message box."""
        actor = self.ctx.actor
        op = Op(self.ctx, "incident_act", lambda db: fn(db, actor), parent=self.owner)
        if on_done is not None:
            op.on_done(on_done)
        if on_error is not None:
            op.on_error(on_error)
        op.run()

    def _on_data_changed(self, changes: OpChanges) -> None:
        if changes.touches(Change.INCIDENTS, Change.PLAYBOOK, Change.UNITS):
            self.reload()

