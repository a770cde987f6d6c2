"""Injects arriving at the drilled unit's PC: after a sync has brought changes (and once the
database is open), the watch asks the worker which released injects of a running drill of this
PC's unit have not yet reached its user, records their delivery (the drill's measured
reaction times start from it) and shows them in a notice marked 演練, which does not block the
window and offers to open the drill incident in the real wizard.

Why a notice and not only the timeline: an inject stands for a call or a message a real
crisis would bring; the unit must notice it as it would notice the call.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from i18n import _
from i18n.formatting import format_datetime
from models.core.changes import Change
from ui.runtime.naming import named
from ui.runtime.ops import Op

if TYPE_CHECKING:
    from models.live_drills.queries import Arrival
    from models.org.people import Actor
    from models.storage.db import Database
    from models.sync.run import SyncReport
    from ui.runtime.context import AppContext

DRILL_STYLE = ("background: #6a1b9a; color: white; font-size: 14pt; font-weight: bold; "
               "padding: 6px;")


def take_arrivals(db: Database, office_code: str, unit_key: str, actor: Actor) -> list[Arrival]:
    """The injects waiting for this PC's user, their delivery recorded now."""
    from models.live_drills.actions import record_deliveries
    from models.live_drills.queries import arrivals

    found = arrivals(db, office_code, unit_key, actor.name)
    if found:
        record_deliveries(db, actor, [a.inject.id for a in found])
    return found


class ArrivalNotice(QDialog):
    """The injects that reached this PC, newest last; more arriving while it is open are
    added to it.

    Signals:
        incident_requested(str): open this drill incident.
    """

    incident_requested = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("drill_notice")
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.ctx = ctx
        self.arrivals: list[Arrival] = []
        self.banner = named(QLabel(), "notice_banner")
        self.banner.setStyleSheet(DRILL_STYLE)
        self.banner.setWordWrap(True)
        self.text = named(QTextBrowser(), "notice_injects")
        self.open_button = named(QPushButton(), "notice_open")
        self.open_button.clicked.connect(self._open)
        self.close_button = named(QPushButton(), "notice_close")  # Qt's own says it in
        self.buttons = QDialogButtonBox()                          # the start's language
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.buttons)
        ctx.language_changed.connect(self.retranslate)
        self.resize(560, 360)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Drill: new inject"))
        self.banner.setText(_("DRILL — a drill inject has arrived. This is an exercise, "
                              "not a real incident."))
        self.open_button.setText(_("Open the drill incident"))
        self.close_button.setText(_("Close"))
        self._fill()

    def add(self, arrivals: list[Arrival]) -> None:
        known = {a.inject.id for a in self.arrivals}
        self.arrivals.extend(a for a in arrivals if a.inject.id not in known)
        self._fill()

    def _fill(self) -> None:
        tz = self.ctx.settings.timezone
        parts = []
        for arrival in self.arrivals:
            inject = arrival.inject
            when = format_datetime(inject.released_at, long=False, tz=tz) \
                if inject.released_at else ""
            heading = _("Inject {number} · {when}").format(number=inject.number, when=when)
            route = f"{inject.sender} → {inject.recipient}"
            parts.append(f"<h3>{escape(heading)}</h3><p><b>{escape(route)}</b></p>"
                         f"<p>{escape(inject.message)}</p>")
        self.text.setHtml("".join(parts))

    def _open(self) -> None:
        if self.arrivals:
            self.incident_requested.emit(self.arrivals[-1].incident_id)
        self.accept()

    def done(self, result: int) -> None:
        self.arrivals.clear()  # what was seen is not shown again with the next one
        super().done(result)


class ArrivalWatch(QObject):
    """Looks for arrived injects when asked (the main window asks after a sync that brought
    changes and once the database is ready) and shows them in one notice.

    Signals:
        arrived(object): these arrivals were recorded and shown (a list).
        incident_requested(str): the user asked to open a drill incident.
    """

    arrived = Signal(object)
    incident_requested = Signal(str)

    def __init__(self, ctx: AppContext, window: QWidget) -> None:
        super().__init__(window)
        self.ctx, self.window = ctx, window
        self.notice: ArrivalNotice | None = None

    def after_sync(self, report: SyncReport | None) -> None:
        """After a run that brought changes a release could be among."""
        if report is not None and report.changes.touches(Change.DRILLS, Change.INCIDENTS):
            self.check()

    def check(self) -> None:
        office_code, unit_key, actor = (self.ctx.settings.office_code,
                                        self.ctx.settings.unit_key, self.ctx.actor)
        Op(self.ctx, "drill_arrivals",
           lambda db: take_arrivals(db, office_code, unit_key, actor),
           parent=self.window).on_done(self._show).run()

    def _show(self, arrivals: list[Arrival]) -> None:
        if not arrivals:
            return
        if self.notice is None:
            self.notice = ArrivalNotice(self.ctx, self.window)
            self.notice.incident_requested.connect(self.incident_requested)
        self.notice.add(arrivals)
        self.notice.show()
        self.notice.activateWindow()
        self.arrived.emit(arrivals)
