"""The line of the Drills screen that runs the chosen month's drill live: "Start live drill"
(開始演練) for a planned drill whose category and scenario are chosen, then, while it is under
way, a way back to its control view and to its drill incident.

Only the planning group starts a drill (Permission.PLAN_DRILLS, checked again by the domain);
for others the button stays greyed with the reason beside it. The control view and the
incident window belong to other parts of the window: the bar asks for them with signals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from i18n import _
from i18n.formatting import format_datetime
from models.org.people import Permission
from ui.runtime.feedback import show_error
from ui.runtime.naming import named
from ui.runtime.ops import Op

if TYPE_CHECKING:
    from models.drills.queries import DrillInfo
    from models.live_drills.queries import DrillRun
    from models.storage.db import Database
    from ui.runtime.context import AppContext


class LiveDrillBar(QWidget):
    """Signals:
        shown(): the chosen drill's live state is on screen.
        control_requested(str): open the control view of this drill.
        incident_requested(str): open this drill incident.
    """

    shown = Signal()
    control_requested = Signal(str)
    incident_requested = Signal(str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("live_drill_bar")
        self.ctx = ctx
        self.drill: DrillInfo | None = None
        self.run: DrillRun | None = None
        self.state = named(QLabel(), "live_state")
        self.state.setWordWrap(True)
        self.start = named(QPushButton(), "live_start")
        self.start.clicked.connect(self.start_drill)
        self.control = named(QPushButton(), "live_control")
        self.control.clicked.connect(self._open_control)
        self.incident = named(QPushButton(), "live_incident")
        self.incident.clicked.connect(self._open_incident)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.state, 1)
        for button in (self.start, self.control, self.incident):
            layout.addWidget(button)
        ctx.language_changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self) -> None:
        self.start.setText(_("Start live drill…"))
        self.control.setText(_("Drill control"))
        self.incident.setText(_("Open the drill incident"))
        self._fill()

    def show_drill(self, drill: DrillInfo | None) -> None:
        """The chosen month's drill (None: not drawn): its live state is read on the worker."""
        self.drill = drill
        if drill is None:
            self.run = None
            self._fill()
            self.shown.emit()
            return
        drill_id = drill.id

        def read(db: Database) -> DrillRun:
            from models.live_drills.queries import drill_run

            return drill_run(db, drill_id)

        self.ctx.worker.run("live_drill_state", read, self._read,
                            lambda exc: show_error(self, exc))

    def _read(self, run: DrillRun) -> None:
        if self.drill is None or run.drill.id != self.drill.id:
            return  # another month was chosen meanwhile
        self.run = run
        self._fill()
        self.shown.emit()

    def _fill(self) -> None:
        drill, run, tz = self.drill, self.run, self.ctx.settings.timezone
        started = run is not None and run.started_at is not None
        may = self.ctx.actor.may(Permission.PLAN_DRILLS)
        ready = (drill is not None and drill.status == "planned" and bool(drill.category_key)
                 and bool(drill.scenario_key))
        self.start.setVisible(not started)
        self.start.setEnabled(ready and may and run is not None and not started)
        self.control.setVisible(started and may)
        self.incident.setVisible(started and run is not None and run.incident_id is not None)
        if run is not None and run.started_at is not None and run.ended_at is None:
            text = _("Live drill under way since {when}.").format(
                when=format_datetime(run.started_at, long=False, tz=tz))
        elif run is not None and run.started_at is not None and run.ended_at is not None:
            text = _("Live drill held {start} – {end}.").format(
                start=format_datetime(run.started_at, long=False, tz=tz),
                end=format_datetime(run.ended_at, long=False, tz=tz))
        elif drill is None:
            text = ""
        elif not ready:
            text = _("Choose the category and scenario to run the drill live.") \
                if drill.status == "planned" else ""
        elif not may:
            text = _("The planning group starts a live drill.")
        else:
            text = _("Ready to run live: the drilled unit gets a drill incident and the "
                     "scenario's injects.")
        self.state.setText(text)
        self.start.setToolTip("" if self.start.isEnabled() else text)

    def _open_control(self) -> None:
        if self.drill is not None:
            self.control_requested.emit(self.drill.id)

    def _open_incident(self) -> None:
        if self.run is not None and self.run.incident_id is not None:
            self.incident_requested.emit(self.run.incident_id)

    def start_drill(self) -> None:
        """After a confirmation that says what starting does."""
        drill = self.drill
        if drill is None:
            return
        answer = QMessageBox.question(
            self, _("Start live drill"),
            _("Start the drill now? The drilled unit gets a drill incident (演練) in the "
              "incident wizard, and the scenario's injects are released to it on schedule "
              "from the control view."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        actor, drill_id = self.ctx.actor, drill.id

        def start(db: Database) -> str:
            from models.live_drills.actions import start_drill

            return start_drill(db, actor, drill_id)

        Op(self.ctx, "start_drill", start, parent=self).on_done(
            lambda _incident: self.control_requested.emit(drill_id)).run()
