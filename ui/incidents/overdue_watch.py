"""Notifications left unacknowledged past the office's time, raised wherever the user is.

Why: the procedure wants the level's people told at once. A notification that nobody
acknowledges within the office's time (Settings) once turned red only on the incident's own
stage page, so a unit head working elsewhere in the app, or in another program, never saw it.
The watch looks every half minute (and after every change of incidents, a sync's included)
and the window says it in the status bar, counts it on the Incidents entry of the navigation
and flashes the taskbar for each notification newly late; its Open button goes to the
escalation, where the deputy's button is offered first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from models.core.changes import Change
from ui.runtime.context import AppContext

if TYPE_CHECKING:
    from models.incidents.queries import OverdueNotice
    from models.storage.db import Database

INTERVAL_MS = 30_000
AFTER_CHANGE_MS = 1_000


class OverdueWatch(QObject):
    """Signals:
        changed(list): every late notification (OverdueNotice), after each look.
        newly_late(list): those late now that were not at the previous look.
    """

    changed = Signal(list)
    newly_late = Signal(list)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.late: list[OverdueNotice] = []
        self._ready = False
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.check)
        # Every autosave announces a change of incidents: a burst of them makes one look.
        self._soon = QTimer(self, singleShot=True, interval=AFTER_CHANGE_MS)
        self._soon.timeout.connect(self.check)
        ctx.database_ready.connect(self._start)
        ctx.data_changed.connect(
            lambda changes: changes.touches(Change.INCIDENTS) and self._soon.start())
        ctx.settings_changed.connect(self.check)
        ctx.standing_changed.connect(self.check)

    def _start(self) -> None:
        self._ready = True
        self._timer.start()
        self.check()

    def check(self) -> None:
        """Look again (on the database worker); the answer comes through the signals."""
        if not self._ready:
            return
        office, minutes = self.ctx.settings.office_code, self.ctx.settings.ack_minutes

        def query(db: Database) -> list[OverdueNotice]:
            from models.incidents.queries import overdue_notifications
            from models.storage.db import utcnow

            return overdue_notifications(db, office, utcnow(), minutes)

        self.ctx.worker.run("overdue_notifications", query, self._looked)

    def _looked(self, late: list[OverdueNotice]) -> None:
        before = {n.notification_id for n in self.late}
        self.late = late
        new = [n for n in late if n.notification_id not in before]
        self.changed.emit(late)
        if new:
            self.newly_late.emit(new)
