"""The six-stage wizard for one incident.

Left, the six stages with what each still needs; in the middle, the stage on screen with a
button that completes the current stage (or says what is missing); right, the timeline. The
header always shows the current stage, the level and the time since the incident began.
Every stage page stays open for work while the incident is open: the procedure lets media
work (stage 4) run during handling (stage 3), and a late report still belongs to stage 3.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from i18n import N_, _, ngettext, pick
from models.incidents.progress import describe_missing, missing_for_stage
from models.org.settings import Resume, save_resume
from models.playbook.model import level_by_key
from ui.incidents.attachments import AttachmentsPanel
from ui.incidents.clocks import ClockStrip
from ui.incidents.controller import IncidentController
from ui.incidents.decisions import DecisionsPanel
from ui.incidents.drill_marks import badge_text, drill_badge
from ui.incidents.escalation import EscalationPanel
from ui.incidents.facts import CategoryHistoryView, FactsPanel, LevelPanel
from ui.incidents.fields import StageFields
from ui.incidents.media_watch import MediaWatchPanel
from ui.incidents.inquiries import InquiriesPanel
from ui.incidents.panels import ConfirmPanel, EntryPanel
from ui.incidents.record_header import IncidentRecordHeader
from ui.incidents.situation_reports import SituationReportsPanel
from ui.incidents.stage_page import (
    StagePage,
    corrective_table,
    negotiations_table,
)
from ui.incidents.statements import StatementsPanel
from ui.incidents.timeline import TimelinePanel
from ui.incidents.watch import WatchPanel
from ui.printing.jobs import FORMS, FormPrinter
from ui.printing.signed_scans import FORM_NAMES, SignedScanDialog
from ui.runtime.context import AppContext
from ui.runtime.feedback import ERROR_STYLE, show_error
from ui.runtime.naming import named
from ui.widgets.elided_label import ElidedLabel
from ui.widgets.panes import WorkSplitter, pane_button

if TYPE_CHECKING:
    from models.incidents.queries import IncidentView
    from models.org.people import Actor
    from models.storage.db import Database

LEVEL_COLOURS = ("#b00020", "#c77700", "#2e7d32")
RAIL_WIDTH, TIMELINE_WIDTH = 170, 300
"""The side panes' widths when first shown (then as the user leaves them)."""
"""Most to least severe, by the level's position in the playbook."""
SCANNED_FORMS = ("notification", "case_file")
"""The incident's forms a signed paper copy is scanned of (the activity log is not signed)."""


def elapsed(since: datetime) -> str:
    minutes = max(0, int((datetime.now(UTC) - since).total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("{days} d {hours} h").format(days=days, hours=hours)
    if hours:
        return _("{hours} h {minutes} min").format(hours=hours, minutes=mins)
    return _("{minutes} min").format(minutes=mins)


class IncidentWorkspace(QWidget):
    """Signals:
        back(): the user wants the incident list.
    """

    back = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("incident_workspace")
        self.ctx = ctx
        self.ctrl = IncidentController(ctx, self)
        self.history = CategoryHistoryView(ctx)
        self.pages = [
            StagePage(self.ctrl, 1, [(N_("Facts"), FactsPanel(self.ctrl)),
                                     (N_("Level"), LevelPanel(self.ctrl)),
                                     (N_("Who must be told"), EscalationPanel(self.ctrl)),
                                     (N_("Watch list"), WatchPanel(self.ctrl)),
                                     (N_("Lessons from past cases"), self.history),
                                     (N_("Attachments"),
                                      AttachmentsPanel(self.ctrl, "incident"))]),
            StagePage(self.ctrl, 2, [
                (N_("Meeting, information, diagnosis and plan"), StageFields(self.ctrl, (
                    "s2.meeting_at", "s2.meeting_place", "s2.attendees", "s2.information",
                    "s2.diagnosis", "s2.plan"))),
                (N_("Confirmation of the plan"), ConfirmPanel(self.ctrl))]),
            StagePage(self.ctrl, 3, [(N_("Decisions and tasks"), DecisionsPanel(self.ctrl)),
                                     (N_("Progress reports"), EntryPanel(self.ctrl, "report")),
                                     (N_("Situation reports"),
                                      SituationReportsPanel(self.ctrl))]),
            StagePage(self.ctrl, 4, [(N_("Statements and clarifications"),
                                      StatementsPanel(self.ctrl)),
                                     (N_("Media watch"), MediaWatchPanel(self.ctrl)),
                                     (N_("Materials for the press"),
                                      StageFields(self.ctrl, ("s4.press_materials",))),
                                     (N_("Legislators' inquiries"),
                                      InquiriesPanel(self.ctrl))]),
            StagePage(self.ctrl, 5, [(N_("Parties"), negotiations_table(self.ctrl))]),
            StagePage(self.ctrl, 6, [
                (N_("Review"), StageFields(self.ctrl, ("s6.what_happened", "s6.what_worked",
                                                        "s6.what_failed", "s6.lessons"))),
                (N_("Corrective actions"), corrective_table(self.ctrl))]),
        ]
        self.title = named(ElidedLabel(), "incident_title")
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.level = named(QLabel(), "incident_level")
        self.drill = drill_badge("incident_drill")
        self.record_header = IncidentRecordHeader(self.ctrl)
        self.current = named(QLabel(), "incident_current_stage")
        self.clock = named(QLabel(), "incident_elapsed")
        self.clocks = ClockStrip(self.ctrl)
        self.back_button = named(QPushButton(), "incident_back")
        self.back_button.clicked.connect(self.back)
        self.printer = FormPrinter(ctx, self)
        self.print_button = named(QToolButton(), "incident_print")
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.print_menu = QMenu(self.print_button)
        self.print_actions: dict[str, QAction] = {}
        for kind in FORMS:
            action = named(QAction(self.print_menu), f"print_{kind}")
            action.triggered.connect(lambda _c=False, k=kind: self.printer.print_form(
                self.ctrl.incident_id, k))
            self.print_menu.addAction(action)
            self.print_actions[kind] = action
        self.print_menu.addSeparator()
        self.scan_actions: dict[str, QAction] = {}
        for kind in SCANNED_FORMS:
            action = named(QAction(self.print_menu), f"scan_{kind}")
            action.triggered.connect(lambda _c=False, k=kind: self.open_scans(k))
            self.print_menu.addAction(action)
            self.scan_actions[kind] = action
        self.print_button.setMenu(self.print_menu)
        self.rail = named(QListWidget(), "stage_rail")
        self.rail.setWordWrap(True)
        self.show_rail = pane_button("incident_show_rail")
        self.show_timeline = pane_button("incident_show_timeline")
        self.rail.currentRowChanged.connect(self._show_stage)
        self.stack = named(QStackedWidget(), "stage_stack")
        for page in self.pages:
            self.stack.addWidget(page)
        self.missing = named(QLabel(), "stage_missing")
        self.missing.setStyleSheet(ERROR_STYLE)
        self.missing.setWordWrap(True)
        self.complete = named(QPushButton(), "stage_complete")
        self.complete.clicked.connect(self.complete_stage)
        self.timeline = TimelinePanel(self.ctrl)

        header = QHBoxLayout()
        header.addWidget(self.back_button)
        header.addWidget(self.show_rail)
        header.addWidget(self.title, 1)
        header.addWidget(self.drill)
        header.addWidget(self.level)
        header.addWidget(self.record_header)
        header.addWidget(self.print_button)
        header.addWidget(self.show_timeline)
        status = QHBoxLayout()
        status.addWidget(self.current)
        status.addStretch(1)
        status.addWidget(self.clocks)
        status.addWidget(self.clock)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.complete)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.stack, 1)
        middle_layout.addWidget(self.missing)  # across the form: a long list stays short
        middle_layout.addLayout(bottom)
        # The stage form takes whatever the window gains or loses; the stage list and the
        # timeline keep their widths, fold away with their buttons and are remembered.
        self.split = WorkSplitter(ctx.data_dir, "incident/panes")
        self.split.addWidget(self.rail)
        self.split.addWidget(middle)
        self.split.addWidget(self.timeline)
        self.split.setup([RAIL_WIDTH, 640, TIMELINE_WIDTH], work=1)
        self.split.work_width = self._work_width
        self.split.panes_changed.connect(self._sync_pane_buttons)
        self.show_rail.toggled.connect(
            lambda on: self.split.toggle(0, on, RAIL_WIDTH))
        self.show_timeline.toggled.connect(
            lambda on: self.split.toggle(2, on, TIMELINE_WIDTH))
        self._sync_pane_buttons()
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(status)
        layout.addWidget(self.split, 1)

        for _stage in range(6):
            self.rail.addItem(QListWidgetItem())
        self._resume_stage = 0
        self._opened_id = ""
        self.ctrl.loaded.connect(self.show_view)
        self.ctrl.closed.connect(self.back)
        ctx.language_changed.connect(self.retranslate)
        self._timer = QTimer(self)
        self._timer.setInterval(30_000)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self.retranslate()

    def _work_width(self) -> int:
        """What the shown stage's form needs to be read without scrolling sideways."""
        page = self.stack.currentWidget()
        assert page is not None  # the stack holds a page per stage
        return page.minimumSizeHint().width()

    def _sync_pane_buttons(self) -> None:
        """The pane buttons say what is shown, also after a pane was dragged shut."""
        for button, index in ((self.show_rail, 0), (self.show_timeline, 2)):
            button.blockSignals(True)
            button.setChecked(self.split.shown(index))
            button.blockSignals(False)

    # --- opening -------------------------------------------------------------------------

    def open_incident(self, incident_id: str, stage: int = 0) -> None:
        """Show the incident; at *stage*, or else at its current stage once loaded. Entries
        being typed for another incident (a report, a draft statement) are cleared and their
        times set to now: nothing of one incident is stored into the next."""
        self._resume_stage = stage
        if incident_id != self.ctrl.incident_id:
            drafts = [s for page in self.pages for s in page.sections
                      if isinstance(s, EntryPanel | ConfirmPanel | StatementsPanel)]
            for section in [*drafts, self.timeline.notes]:
                section.reset()
        self.ctrl.open(incident_id)

    def open_scans(self, kind: str) -> None:
        """The signed scans of the incident's form *kind*: attach one, see what each is."""
        SignedScanDialog(self.ctx, kind, self.ctrl.incident_id, self).open()

    def retranslate(self) -> None:
        self.back_button.setText(_("← Incidents"))
        self.show_rail.setText(_("Stages"))
        self.show_rail.setToolTip(_("Show or hide the list of stages"))
        self.show_timeline.setText(_("Timeline"))
        self.show_timeline.setToolTip(_("Show or hide the timeline"))
        self.print_button.setText(_("Print"))
        self.drill.setText(badge_text())
        self.record_header.retranslate()
        for kind, action in self.print_actions.items():
            action.setText(_(FORMS[kind]))
        for kind, action in self.scan_actions.items():
            action.setText(_("Signed scans: {form}…").format(form=_(FORM_NAMES[kind])))
        for page in self.pages:
            page.retranslate()
        self.timeline.retranslate()
        if self.ctrl.view is not None:
            self.show_view(self.ctrl.view)

    def show_view(self, view: IncidentView) -> None:
        first = self._resume_stage or (view.current_stage if self.rail.currentRow() < 0
                                       or self._opened_id != view.id else 0)
        self._opened_id = view.id
        self._resume_stage = 0
        example = _(" (example)") if view.is_example else ""
        self.title.setText(f"{view.number} {view.title}{example}")
        self.drill.setVisible(view.is_drill)
        self.record_header.show_view(view)
        levels = [lv.key for lv in view.playbook.levels]
        level = level_by_key(view.playbook, view.level_key)
        colour = LEVEL_COLOURS[min(levels.index(level.key), len(LEVEL_COLOURS) - 1)]
        self.level.setText(pick(level.name))
        self.level.setStyleSheet(
            f"background: {colour}; color: white; padding: 3px 8px; border-radius: 3px;")
        stages = {s.number: pick(s.name) for s in view.playbook.stages}
        if view.status == "open":
            self.current.setText(_("Current stage {number}: {name}").format(
                number=view.current_stage, name=stages[view.current_stage]))
        else:
            self.current.setText(_("Archived as a case file"))
        self._tick()
        for number in range(1, 7):
            self._show_rail_item(view, number, stages[number])
        for page in self.pages:
            page.show_view(view)
        self.timeline.show_view(view)
        if first:
            self.rail.setCurrentRow(first - 1)
        self._show_completion()

    def _show_rail_item(self, view: IncidentView, number: int, name: str) -> None:
        item = self.rail.item(number - 1)
        if view.status != "open" or number < view.current_stage:
            mark, note = "✓", ""
        else:
            missing = len(missing_for_stage(view, number))
            mark = "▶" if number == view.current_stage else "○"
            note = ngettext("{n} item missing", "{n} items missing", missing).format(
                n=missing) if missing else _("ready to complete")
        item.setText(f"{mark} {number}. {name}" + (f"\n   {note}" if note else ""))
        font = item.font()
        font.setBold(number == view.current_stage and view.status == "open")
        item.setFont(font)

    def _tick(self) -> None:
        view = self.ctrl.view
        if view is not None:
            end = view.ended_at
            self.clock.setText(_("Elapsed: {time}").format(time=elapsed(view.started_at))
                               if end is None else "")

    # --- stages --------------------------------------------------------------------------

    def shown_stage(self) -> int:
        return self.rail.currentRow() + 1

    def _show_stage(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        self._show_completion()
        resume = Resume(self.ctrl.incident_id, row + 1)
        data_dir = self.ctx.data_dir
        self.ctx.worker.run("save_resume", lambda _db: save_resume(data_dir, resume))

    def _show_completion(self) -> None:
        view = self.ctrl.view
        stage = self.shown_stage()
        if view is None or view.status != "open" or stage != view.current_stage:
            self.complete.hide()
            self.missing.clear()
            return
        self.complete.show()
        self.complete.setText(_("Archive as a case file") if stage == 6
                              else _("Complete stage {number}").format(number=stage))
        missing = missing_for_stage(view, stage)
        self.missing.setText(
            _("Still missing: {items}").format(
                items="; ".join(describe_missing(view, m) for m in missing)) if missing else "")

    def complete_stage(self) -> None:
        view = self.ctrl.view
        if view is None:
            return
        stage = view.current_stage
        if stage == 6 and QMessageBox.question(
            self, _("Archive"),
            _("Archive the incident as a case file? After that it cannot be changed, except "
              "for the status of its corrective actions."),
        ) != QMessageBox.StandardButton.Yes:
            return
        incident_id = view.id

        def complete(db: Database, actor: Actor) -> None:
            from models.incidents.actions import complete_stage

            complete_stage(db, actor, incident_id, stage)

        def done(_result: object) -> None:
            if stage < 6:
                self._resume_stage = stage + 1

        def refused(exc: Exception) -> None:
            from models.incidents.actions import StageIncomplete

            if isinstance(exc, StageIncomplete):  # changed on another PC meanwhile
                self.missing.setText(_("Still missing: {items}").format(
                    items="; ".join(describe_missing(view, m) for m in exc.missing)))
            else:
                show_error(self, exc)

        self.ctrl.act(complete, done, refused)
