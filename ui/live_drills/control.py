"""The planning group's control view of a drill under way: the drilled unit, the scenario,
the start and the running clock, and the injects in schedule order with their state, with the
acts that run the drill (release now, hold back or put back on schedule, add an inject, end).

While the view is open and "release on schedule" is ticked, a timer asks the database worker
to release what the schedule makes due (models.live_drills.actions.release_due) and says what
it released; the GUI thread never waits on the database. The view reloads when an act or a
sync brings changes to drills or incidents (a delivery recorded on the unit's PC arrives so).
Opening the drill incident is the main window's business (ui feature packages do not import
each other): the view asks for it with ``incident_requested``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from i18n import N_, _, ngettext, pick
from i18n.formatting import format_datetime
from models.core.changes import Change, OpChanges
from models.live_drills.kinds import state_label
from models.org.people import Permission
from models.storage.db import utcnow
from ui.live_drills.inject_dialog import AddInjectDialog
from ui.runtime.feedback import error_label, show_error
from ui.runtime.naming import named
from ui.runtime.ops import Op

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from PySide6.QtGui import QHideEvent, QShowEvent

    from models.live_drills.kinds import InjectState
    from models.live_drills.queries import DrillRun
    from models.org.offices import UnitInfo
    from models.storage.db import Database
    from ui.runtime.context import AppContext

COLUMNS = (N_("No."), N_("Offset"), N_("Release due"), N_("From → To"), N_("Message"),
           N_("State"))
SCHEDULE_MS = 30_000
"""How often the schedule is looked at: injects are planned in minutes, so half a minute
late at most."""
CLOCK_MS = 1_000


@dataclass(frozen=True)
class ControlData:
    """What the view shows, read in one job."""

    run: DrillRun
    unit: UnitInfo | None
    """The drilled unit (its name is picked in the language shown)."""
    scenario_title: Mapping[str, str]
    """Bilingual, as in the scenario library: picked when shown, in the language then."""


def load_control(db: Database, office_code: str, drill_id: str) -> ControlData:
    from models.drills.scenario_store import office_scenarios
    from models.live_drills.queries import drill_run
    from models.org.units import list_units
    from models.playbook.store import current_playbook

    run = drill_run(db, drill_id)
    unit = next((u for u in list_units(db, office_code, include_inactive=True,
                                       include_removed=True)
                 if u.key == run.drill.unit_key), None)
    scenario = next((s for s in office_scenarios(db, office_code, current_playbook(db)[1])
                     if s.key == run.drill.scenario_key), None)
    return ControlData(run, unit,
                       scenario.title if scenario else {"zh_TW": run.drill.scenario_key})


def clock_text(since: datetime, now: datetime) -> str:
    """The drill's running time, h:mm:ss."""
    seconds = max(0, int((now - since).total_seconds()))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


class DrillControlView(QDialog):
    """Signals:
        loaded(): the drill's run is on screen (after each read).
        released(object): the schedule released these inject numbers (a list, maybe empty).
        incident_requested(str): open this drill incident in the incident window.
    """

    loaded = Signal()
    released = Signal(object)
    incident_requested = Signal(str)

    def __init__(self, ctx: AppContext, drill_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drill_control")
        self.ctx, self.drill_id = ctx, drill_id
        self.data: ControlData | None = None
        self._releasing = False
        self._stale = False
        self._last_released: tuple[datetime, list[int]] | None = None
        """When the schedule last released something, and what (said in the view)."""
        self.heading = named(QLabel(), "control_heading")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.started = named(QLabel(), "control_started")
        self.clock = named(QLabel(), "control_clock")
        self.clock.setStyleSheet("font-size: 13pt; font-family: monospace;")
        self.on_schedule = named(QCheckBox(), "control_on_schedule")
        self.on_schedule.setChecked(True)
        self.on_schedule.toggled.connect(self._schedule_toggled)
        self.news = named(QLabel(), "control_news")
        self.news.setWordWrap(True)
        self.table = named(QTableWidget(0, len(COLUMNS)), "control_injects")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (3, 4):  # the route and the message share what is left, wrapped
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        # Rows as tall as their wrapped texts, whatever the columns' widths come to be.
        self.table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._show_acts)
        self.release = named(QPushButton(), "control_release")
        self.release.clicked.connect(self.release_selected)
        self.hold = named(QPushButton(), "control_hold")
        self.hold.clicked.connect(self.hold_selected)
        self.add = named(QPushButton(), "control_add")
        self.add.clicked.connect(self.add_inject)
        self.open_incident = named(QPushButton(), "control_open_incident")
        self.open_incident.clicked.connect(self._open_incident)
        self.end = named(QPushButton(), "control_end")
        self.end.clicked.connect(self.end_drill)
        self.error = error_label("control_error")
        top = QHBoxLayout()
        top.addWidget(self.started, 1)
        top.addWidget(self.clock)
        acts = QHBoxLayout()
        for button in (self.release, self.hold, self.add):
            acts.addWidget(button)
        acts.addStretch(1)
        acts.addWidget(self.open_incident)
        acts.addWidget(self.end)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(self.on_schedule)
        layout.addWidget(self.news)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addLayout(acts)
        self.schedule_timer = QTimer(self)
        self.schedule_timer.setInterval(SCHEDULE_MS)
        self.schedule_timer.timeout.connect(self.release_on_schedule)
        self.clock_timer = QTimer(self)
        self.clock_timer.setInterval(CLOCK_MS)
        self.clock_timer.timeout.connect(self._tick)
        ctx.data_changed.connect(self._on_data_changed)
        ctx.language_changed.connect(self.retranslate)
        self.retranslate()
        self.resize(1000, 560)
        self.load()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Drill control"))
        self.on_schedule.setText(_("Release on schedule"))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.add.setText(_("Add an inject…"))
        self.open_incident.setText(_("Open the drill incident"))
        self.end.setText(_("End the drill…"))
        self._show_news()
        if self.data is not None:
            self._show(self.data)

    # --- reading ----------------------------------------------------------------------------

    def load(self) -> None:
        office_code, drill_id = self.ctx.settings.office_code, self.drill_id
        self.ctx.worker.run("drill_control", lambda db: load_control(db, office_code, drill_id),
                            self._show, lambda exc: show_error(self, exc))

    def _on_data_changed(self, changes: OpChanges) -> None:
        """Read again what an act or a sync changed; a closed view reads when shown again."""
        if changes.touches(Change.DRILLS, Change.INCIDENTS, Change.UNITS):
            if self.isVisible():
                self.load()
            else:
                self._stale = True

    def selected(self) -> InjectState | None:
        row = self.table.currentRow()
        if self.data is None or not 0 <= row < len(self.data.run.injects):
            return None
        return self.data.run.injects[row]

    def _show(self, data: ControlData) -> None:
        first = self.data is None
        chosen = self.selected()
        self.data = data
        run, tz = data.run, self.ctx.settings.timezone
        unit = data.unit.name if data.unit is not None else run.drill.unit_key
        self.heading.setText(_("Drill of {unit}: {scenario}").format(
            unit=unit, scenario=pick(data.scenario_title)))
        if run.started_at is not None:
            started = _("Started {when}").format(when=format_datetime(run.started_at, tz=tz))
            if run.ended_at is not None:
                started += " · " + _("ended {when}").format(
                    when=format_datetime(run.ended_at, tz=tz))
            self.started.setText(started)
        self.table.setRowCount(len(run.injects))
        for row, inject in enumerate(run.injects):
            for col, text in enumerate(self._cells(inject)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
        if chosen is not None:
            rows = [i.id for i in run.injects]
            if chosen.id in rows:
                self.table.selectRow(rows.index(chosen.id))
        self._tick()
        self._show_acts()
        if run.running and self.isVisible() and not self.schedule_timer.isActive() \
                and self.on_schedule.isChecked():
            self.schedule_timer.start()
        if not run.running:
            self.schedule_timer.stop()
            self.clock_timer.stop()
        elif not self.clock_timer.isActive():
            self.clock_timer.start()
        self.loaded.emit()
        if first and run.running:
            self.release_on_schedule()  # what is due already goes at once

    def _cells(self, inject: InjectState) -> tuple[str, ...]:
        assert self.data is not None
        run, tz = self.data.run, self.ctx.settings.timezone
        due = format_datetime(inject.due_at(run.started_at), long=False, tz=tz) \
            if run.started_at is not None else ""
        return (str(inject.number), _("+{n} min").format(n=inject.offset_minutes), due,
                f"{inject.sender} → {inject.recipient}", inject.message,
                self._state(inject))

    def _state(self, inject: InjectState) -> str:
        tz = self.ctx.settings.timezone
        released = inject.released_at
        if released is None:
            return _(state_label(inject))
        text = _("Released {when} by {who}").format(
            when=format_datetime(released, long=False, tz=tz), who=inject.released_by)
        assert self.data is not None
        delivered = inject.delivered_at(self.data.run.drill.unit_key)
        if delivered is not None:
            text += "\n" + _("Delivered {when} at the unit's PC").format(
                when=format_datetime(delivered, long=False, tz=tz))
        return text

    def _tick(self) -> None:
        run = self.data.run if self.data is not None else None
        if run is None or run.started_at is None:
            self.clock.clear()
            return
        self.clock.setText(_("Elapsed {clock}").format(
            clock=clock_text(run.started_at, run.ended_at or utcnow())))

    def _show_acts(self) -> None:
        run = self.data.run if self.data is not None else None
        may = self.ctx.actor.may(Permission.PLAN_DRILLS)
        running = run is not None and run.running and may
        inject = self.selected()
        open_inject = running and inject is not None and inject.released_at is None
        self.release.setText(_("Release now"))
        self.hold.setText(_("Put back on schedule") if inject is not None and inject.held
                          else _("Hold back"))
        self.release.setEnabled(open_inject)
        self.hold.setEnabled(open_inject)
        self.add.setEnabled(running)
        self.end.setEnabled(running)
        self.on_schedule.setEnabled(running)
        self.open_incident.setEnabled(run is not None and run.incident_id is not None)
        why = ("" if running else _("Only the planning group runs a drill.") if not may
               else _("The drill is not under way."))
        for button in (self.release, self.hold, self.add, self.end):
            button.setToolTip(why)

    # --- the schedule ----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.load()
        run = self.data.run if self.data is not None else None
        if run is not None and run.running and self.on_schedule.isChecked():
            self.schedule_timer.start()
            self.release_on_schedule()  # what fell due while the view was closed

    def hideEvent(self, event: QHideEvent) -> None:
        self.schedule_timer.stop()  # the schedule runs while someone watches it
        super().hideEvent(event)

    def _schedule_toggled(self, on: bool) -> None:
        if on:
            self.schedule_timer.start()
            self.release_on_schedule()
        else:
            self.schedule_timer.stop()

    def release_on_schedule(self) -> None:
        """Ask the worker to release what is due now (one request at a time)."""
        run = self.data.run if self.data is not None else None
        if (self._releasing or run is None or not run.running or not self.on_schedule.isChecked()
                or not self.ctx.actor.may(Permission.PLAN_DRILLS)):
            return
        self._releasing = True
        actor, drill_id, now = self.ctx.actor, self.drill_id, utcnow()

        def release(db: Database) -> list[int]:
            from models.live_drills.actions import release_due

            return release_due(db, actor, drill_id, now)

        def done(numbers: list[int]) -> None:
            self._releasing = False
            if numbers:
                self._last_released = (now, numbers)
                self._show_news()
            self.released.emit(numbers)

        def failed(exc: Exception) -> None:
            self._releasing = False
            self._refused(exc)

        Op(self.ctx, "release_due", release, parent=self).on_done(done).on_error(failed).run()

    def _show_news(self) -> None:
        if self._last_released is None:
            self.news.clear()
            return
        when, numbers = self._last_released
        self.news.setText(ngettext(
            "Released on schedule at {time}: inject {numbers}",
            "Released on schedule at {time}: injects {numbers}", len(numbers)).format(
            time=format_datetime(when, long=False, tz=self.ctx.settings.timezone),
            numbers=", ".join(str(n) for n in numbers)))

    # --- acts ----------------------------------------------------------------------------------

    def _refused(self, exc: Exception) -> None:
        from models.core.errors import UserError
        from ui.runtime.feedback import plain_message

        if isinstance(exc, UserError):
            self.error.setText(plain_message(exc))
            self.error.show()
        else:
            show_error(self, exc)

    def _act(self, name: str, act: Callable[[Database], object]) -> None:
        self.error.hide()
        Op(self.ctx, name, act, parent=self).on_error(self._refused).run()

    def release_selected(self) -> None:
        inject = self.selected()
        if inject is None:
            return
        actor, inject_id = self.ctx.actor, inject.id

        def release(db: Database) -> None:
            from models.live_drills.actions import release_inject

            release_inject(db, actor, inject_id)

        self._act("release_inject", release)

    def hold_selected(self) -> None:
        inject = self.selected()
        if inject is None:
            return
        actor, inject_id, held = self.ctx.actor, inject.id, not inject.held

        def hold(db: Database) -> None:
            from models.live_drills.actions import hold_inject

            hold_inject(db, actor, inject_id, held)

        self._act("hold_inject", hold)

    def add_inject(self) -> None:
        run = self.data.run if self.data is not None else None
        offset = 0
        if run is not None and run.started_at is not None:
            offset = max(0, int((utcnow() - run.started_at).total_seconds() // 60))
        AddInjectDialog(self.ctx, self.drill_id, offset, self).open()

    def _open_incident(self) -> None:
        if self.data is not None and self.data.run.incident_id is not None:
            self.incident_requested.emit(self.data.run.incident_id)

    def end_drill(self) -> None:
        """After a confirmation that says what ending does."""
        answer = QMessageBox.question(
            self, _("End the drill"),
            _("End the drill now? No more injects will be released, and the drill incident "
              "becomes read-only: the unit can no longer change it."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        actor, drill_id = self.ctx.actor, self.drill_id

        def end(db: Database) -> None:
            from models.live_drills.actions import end_drill

            end_drill(db, actor, drill_id)

        self._act("end_drill", end)

