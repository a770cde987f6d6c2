"""Records of the open incident that its view does not carry (situation reports, watch
reviews), read on the worker after every load of the incident, so what shows them moves as
soon as one is added, here or on another PC.

One feed per kind per controller (`feed_of`): the stage's section and the header share it
rather than reading the same rows twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from ui.incidents.controller import IncidentController

if TYPE_CHECKING:
    from models.incidents.queries import IncidentView
    from models.storage.db import Database

Reader = Callable[["Database", str], tuple[Any, ...]]
"""Reads an incident's records (database, incident id), on the worker."""


class RecordFeed(QObject):
    """The records of the controller's incident.

    Signals:
        loaded(): `records` holds the records of `incident_id`.
    """

    loaded = Signal()

    def __init__(self, ctrl: IncidentController, name: str, read: Reader) -> None:
        super().__init__(ctrl)
        self.setObjectName(name)
        self.ctrl, self.read = ctrl, read
        self.incident_id = ""
        self.records: tuple[Any, ...] = ()
        ctrl.loaded.connect(self._reload)

    def of(self, view: IncidentView) -> tuple[Any, ...] | None:
        """The records of *view*'s incident; None while they are being read."""
        return self.records if self.incident_id == view.id else None

    def _reload(self, view: IncidentView) -> None:
        incident_id, read = view.id, self.read

        def shown(records: tuple[Any, ...]) -> None:
            if incident_id == self.ctrl.incident_id:
                self.incident_id, self.records = incident_id, records
                self.loaded.emit()

        self.ctrl.ctx.worker.run(self.objectName(), lambda db: read(db, incident_id), shown)


def feed_of(ctrl: IncidentController, name: str, read: Reader) -> RecordFeed:
    """The controller's feed *name*, made on first use."""
    feed = ctrl.findChild(RecordFeed, name)
    return feed if feed is not None else RecordFeed(ctrl, name, read)
