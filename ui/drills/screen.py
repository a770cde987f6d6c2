"""The Drills screen: the year's drills (按月模擬演練, or as often as the office's drill rules
say) and the units overdue for their drill (the rules' minimum per unit), the chosen drill's
after-action deadlines, the recorded draw of the unit (抽選演練單位) with its candidates, weights,
exclusions and seed, the coverage of units × categories, and the choice of the category and
scenario (模擬案由) for the month's drill.

Who may do what is the domain's rule (the executive secretary draws; the planning group or the
secretary chooses the scenario); the buttons only follow it, so a refused act still says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from i18n import N_, _, pick
from i18n.formatting import format_date, format_datetime, format_month
from models.core.changes import Change, OpChanges
from models.drills.kinds import (
    add_months,
    audit_line,
    method_label,
    month_start,
    status_label,
    taipei_today,
)
from models.org.people import Permission
from models.playbook.drill_rules import rules_text, span_text
from ui.drills.deadlines import deadlines_html, deadlines_label, empty_month_text
from ui.drills.evaluation import EvaluationPanel
from ui.drills.live_bar import LiveDrillBar
from ui.drills.record_header import DrillRecordHeader
from ui.drills.report import ReportPanel
from ui.printing.jobs import FormPrinter
from ui.printing.record_header import of_drill
from ui.printing.signed_scans import SignedScanDialog
from ui.runtime.context import AppContext
from ui.runtime.feedback import error_label, show_at_field, show_error
from ui.runtime.naming import named
from ui.runtime.ops import Op
from ui.widgets.combos import refill
from ui.widgets.record_header import marked
from ui.widgets.scrolled import scrolled
from ui.widgets.when_shown import ReloadsWhenShown

if TYPE_CHECKING:
    from forms.document import FormDocument
    from models.drills.deadlines import AfterAction
    from models.drills.kinds import Coverage, DrawInfo
    from models.drills.queries import DrillInfo, Schedule
    from models.drills.scenarios import Scenario
    from models.incidents.queries import IncidentSummary
    from models.org.offices import UnitInfo
    from models.playbook.model import Playbook
    from models.storage.db import Database

SCHEDULE_COLUMNS = (N_("Month"), N_("Unit drilled"), N_("Status"), N_("Category"),
                    N_("Scenario"), N_("Draws"))
MONTHS_BACK = 12
"""Months offered before this one: a drill's report, sign-off and evaluation usually come
after its month is over."""


@dataclass(frozen=True)
class Overview:
    """What the screen shows, loaded in one job."""

    month: date
    drill: DrillInfo | None
    """The chosen month's drill, looked up for that month (it may lie outside this year)."""
    schedule: Schedule
    draws: tuple[DrawInfo, ...]
    coverage: Coverage
    playbook: Playbook
    units: tuple[UnitInfo, ...]
    scenarios: tuple[Scenario, ...]
    after_action: AfterAction | None = None
    """The after-action deadlines of the month's drill (models.drills.deadlines)."""


def load_overview(db: Database, office_code: str, month: date) -> Overview:
    from models.drills.deadlines import after_action
    from models.drills.kinds import coverage_months, recent_months
    from models.drills.queries import coverage, drill_info, drill_schedule, list_draws, month_drill
    from models.drills.scenario_store import office_scenarios
    from models.org.units import list_units
    from models.playbook.store import current_playbook

    today = taipei_today()
    playbook = current_playbook(db)[1]
    with db.session() as session:
        row = month_drill(session, office_code, month)
        drill = drill_info(row) if row is not None else None
    return Overview(
        month=month,
        drill=drill,
        schedule=drill_schedule(db, office_code, today),
        draws=tuple(list_draws(db, office_code, month)),
        coverage=coverage(db, office_code, recent_months(today, coverage_months(
            playbook.drill.rules.unit_every_months, len(playbook.categories)))),
        playbook=playbook,
        units=tuple(list_units(db, office_code)),
        scenarios=office_scenarios(db, office_code, playbook),
        after_action=after_action(db, office_code, [drill.id]) if drill else None,
    )


class DrawPanel(QWidget):
    """Which units take part (an excluded one needs a reason), the draw or the redraw, and
    the recorded draws of the month."""

    def __init__(self, screen: DrillsScreen) -> None:
        super().__init__()
        self.setObjectName("draw_panel")
        self.drills = screen
        self.table = named(QTableWidget(0, 3), "draw_units")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.redraw_reason = named(QLineEdit(), "draw_redraw_reason")
        self.draw_button = named(QPushButton(), "draw_button")
        self.draw_button.clicked.connect(self.draw)
        self.error = error_label("draw_error")
        self.record = named(QTextBrowser(), "draw_record")
        self.printer = FormPrinter(screen.ctx, self)
        self.print_button = named(QPushButton(), "draw_print")
        self.print_button.clicked.connect(self.print_record)
        self.scans_button = named(QPushButton(), "draw_scans")
        self.scans_button.clicked.connect(self.open_scans)
        row = QHBoxLayout()
        row.addWidget(self.redraw_reason, 1)
        row.addWidget(self.draw_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(self.record, 2)
        layout.addWidget(self.print_button)
        layout.addWidget(self.scans_button)
        self.includes: dict[str, QCheckBox] = {}
        self.reasons: dict[str, QLineEdit] = {}

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([_("Unit"), _("Included"),
                                              _("Reason for leaving it out")])
        self.redraw_reason.setPlaceholderText(_("Reason for a redraw (the first draw is kept)"))
        self.print_button.setText(_("Print the draw record"))
        self.scans_button.setText(_("Signed scans of the draw record…"))

    def show_overview(self, overview: Overview) -> None:
        current = [d for d in overview.draws if d.replaced_by is None]
        self.redraw_reason.setVisible(bool(current))
        self.draw_button.setText(_("Redraw…") if current else _("Draw the unit"))
        may = self.drills.ctx.actor.may(Permission.DRAW_DRILL_UNIT)
        drill = overview.drill
        open_month = (overview.month >= month_start(taipei_today())
                      and (drill is None or drill.status == "planned"))
        self.draw_button.setEnabled(may and open_month)
        self.draw_button.setToolTip(
            "" if self.draw_button.isEnabled() else
            _("The executive secretary draws the unit to drill.") if not may else
            _("This month is over or its drill has taken place: no more draws."))
        self.table.setRowCount(len(overview.units))
        self.includes.clear()
        self.reasons.clear()
        for row, unit in enumerate(overview.units):
            self.table.setItem(row, 0, QTableWidgetItem(unit.name))
            box = named(QCheckBox(), f"draw_include_{unit.key}")
            box.setChecked(True)
            reason = named(QLineEdit(), f"draw_reason_{unit.key}")
            reason.setEnabled(False)
            box.toggled.connect(lambda on, r=reason: r.setEnabled(not on))
            self.includes[unit.key], self.reasons[unit.key] = box, reason
            self.table.setCellWidget(row, 1, box)
            self.table.setCellWidget(row, 2, reason)
        self.record.setHtml(self._record_html(overview))
        self.print_button.setEnabled(bool(current))
        self.scans_button.setEnabled(bool(current))

    def _record_html(self, overview: Overview) -> str:
        if not overview.draws:
            return "<p>" + escape(_("No draw for this month yet.")) + "</p>"
        tz = self.drills.ctx.settings.timezone
        parts = []
        for draw in overview.draws:
            title = _("Drawn {when} by {who}: {unit}").format(
                when=format_datetime(draw.drawn_at, long=False, tz=tz), who=draw.drawn_by,
                unit=draw.result.name)
            parts.append(f"<h3>{escape(title)}</h3>")
            if draw.redraw_reason:
                parts.append("<p>" + escape(_("Reason for the redraw: {reason}").format(
                    reason=draw.redraw_reason)) + "</p>")
            if draw.replaced_by:
                parts.append("<p><i>" + escape(_("Replaced by a later draw.")) + "</i></p>")
            rows = "".join(
                f"<tr><td>{escape(c.name)}</td>"
                f"<td>{escape(format_date(c.last_drill, long=False)) if c.last_drill else '—'}</td>"
                f"<td align='right'>{draw.chance(c.unit_key):.1%}</td>"
                f"<td>{escape(c.why)}</td></tr>"
                for c in draw.candidates)
            head = "".join(f"<th>{escape(h)}</th>" for h in (
                _("Unit"), _("Last drill"), _("Chance"), _("Why")))
            parts.append(f"<table border='1' cellspacing='0' cellpadding='3'>"
                         f"<tr>{head}</tr>{rows}</table>")
            for excluded in draw.excluded:
                parts.append("<p>" + escape(_("Left out: {unit} ({reason})").format(
                    unit=excluded.name, reason=excluded.reason)) + "</p>")
            parts.append("<p>" + escape(_("Method: {method}.").format(
                method=method_label(draw.method))) + "</p>")
            parts.append("<p style='color:#666'><small>" + escape(
                _("Audit record: {record}").format(record=audit_line(draw))) + "</small></p>")
        return "".join(parts)

    def open_scans(self) -> None:
        """The signed scans of the record of the draw in force."""
        overview = self.drills.overview
        current = next((d for d in overview.draws if d.replaced_by is None), None) \
            if overview else None
        if current is not None:
            SignedScanDialog(self.drills.ctx, "drill_draw", current.id, self).open()

    def print_record(self) -> None:
        """The record of the draw in force, on paper for the secretary to sign."""
        overview = self.drills.overview
        current = next((d for d in overview.draws if d.replaced_by is None), None) \
            if overview else None
        if current is None:
            return
        tz = self.drills.ctx.settings.timezone

        def make(db: Database) -> tuple[str, FormDocument]:
            from models.drills.print import draw_record
            from models.drills.record_header import draw_header

            return f"draw-{current.month:%Y-%m}", draw_record(current, tz,
                                                              draw_header(db, current.id))

        drill = overview.drill if overview else None
        self.printer.print_document(make, of_drill(drill.id) if drill else None)

    def draw(self) -> None:
        overview = self.drills.overview
        if overview is None:
            return
        exclude = {key: self.reasons[key].text() for key, box in self.includes.items()
                   if not box.isChecked()}
        current = next((d for d in overview.draws if d.replaced_by is None), None)
        redraw_of = current.id if current else None
        reason = self.redraw_reason.text() if current else ""
        office_code, actor, month = (self.drills.ctx.settings.office_code,
                                     self.drills.ctx.actor, self.drills.month())
        self.error.hide()

        def draw(db: Database) -> DrawInfo:
            from models.drills.actions import draw_unit

            return draw_unit(db, actor, office_code, month, exclude=exclude,
                             redraw_of=redraw_of, reason=reason)

        def failed(exc: Exception) -> None:
            show_at_field(self, exc, self.error, {"reason": self.redraw_reason})
            self.error.show()

        def drawn(_info: DrawInfo) -> None:
            self.redraw_reason.clear()

        Op(self.drills.ctx, "draw_unit", draw, parent=self).on_done(drawn).on_error(
            failed).run()


class ScenarioPanel(QWidget):
    """The category and the scenario of the month's drill, with the least-practised category
    of the drawn unit suggested."""

    def __init__(self, screen: DrillsScreen) -> None:
        super().__init__()
        self.setObjectName("scenario_panel")
        self.drills = screen
        self.suggestion = named(QLabel(), "scenario_suggestion")
        self.suggestion.setWordWrap(True)
        self.category = named(QComboBox(), "scenario_category")
        self.scenario = named(QComboBox(), "scenario_choice")
        self.detail = named(QTextBrowser(), "scenario_detail")
        self.set_button = named(QPushButton(), "scenario_set")
        self.set_button.clicked.connect(self.choose)
        self.from_case = named(QPushButton(), "scenario_from_case")
        self.from_case.clicked.connect(self.make_from_case)
        self.error = error_label("scenario_error")
        self._select_after_load = ""
        self.category.currentIndexChanged.connect(self._fill_scenarios)
        self.scenario.currentIndexChanged.connect(self._show_scenario)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.suggestion)
        layout.addWidget(self.category)
        layout.addWidget(self.scenario)
        layout.addWidget(self.detail, 1)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.set_button)
        buttons.addWidget(self.from_case)
        layout.addLayout(buttons)

    def retranslate(self) -> None:
        self.set_button.setText(_("Use this category and scenario"))
        self.from_case.setText(_("Make a scenario from an archived case…"))

    def show_overview(self, overview: Overview) -> None:
        from models.drills.kinds import suggest_category

        drill = self.drills.month_drill()
        self.from_case.setEnabled(self.drills.ctx.actor.may(Permission.PLAN_DRILLS))
        refill(self.category, [(pick(c.name), c.key) for c in overview.playbook.categories])
        if drill is None:
            self.suggestion.setText(_("Draw the unit first."))
            self.set_button.setEnabled(False)
            return
        keys = [c.key for c in overview.playbook.categories]
        rotation = overview.playbook.drill.rules.rotation
        suggested = suggest_category(overview.coverage, drill.unit_key, keys, rotation)
        names = {c.key: pick(c.name) for c in overview.playbook.categories}
        self.suggestion.setText((_("Next in the playbook's order for this unit: {category}")
                                 if rotation == "in_order" else
                                 _("Least practised by this unit: {category}")).format(
            category=names[suggested]))
        made = next((s.category for s in overview.scenarios
                     if s.key == self._select_after_load), None)
        self.category.setCurrentIndex(self.category.findData(
            made or drill.category_key or suggested))
        self._fill_scenarios()
        if drill.scenario_key:
            self.scenario.setCurrentIndex(max(self.scenario.findData(drill.scenario_key), 0))
        if self._select_after_load and self.scenario.findData(self._select_after_load) >= 0:
            self.scenario.setCurrentIndex(self.scenario.findData(self._select_after_load))
            self._select_after_load = ""
        self.set_button.setEnabled(drill.status == "planned" and
                                   self.drills.ctx.actor.may(Permission.PLAN_DRILLS))

    def _fill_scenarios(self) -> None:
        overview = self.drills.overview
        if overview is None:
            return
        key = self.category.currentData()
        refill(self.scenario, [(pick(s.title), s.key) for s in overview.scenarios
                               if s.category == key])
        self._show_scenario()

    def _show_scenario(self) -> None:
        overview = self.drills.overview
        key = self.scenario.currentData()
        found = next((s for s in overview.scenarios if s.key == key), None) if overview else None
        if found is None:
            self.detail.clear()
            return
        minutes = escape(_("min"))
        injects = "".join(
            f"<li>+{i.offset_minutes} {minutes} {escape(pick(i.sender))} → "
            f"{escape(pick(i.recipient))}: {escape(pick(i.message))}</li>" for i in found.injects)
        expected = "".join(f"<li>{e.stage}. {escape(pick(e.task))}</li>" for e in found.expected)
        injects_heading, expected_heading = escape(_("Injects")), escape(_("Expected of the unit"))
        self.detail.setHtml(
            f"<h3>{escape(pick(found.title))}</h3><p>{escape(pick(found.background))}</p>"
            f"<h4>{injects_heading}</h4><ol>{injects}</ol>"
            f"<h4>{expected_heading}</h4><ul>{expected}</ul>")

    def make_from_case(self) -> None:
        """Offer the category's archived cases (examples left out); the one picked becomes a
        scenario of the office's library."""
        office_code, category = self.drills.ctx.settings.office_code, self.category.currentData()

        def cases(db: Database) -> list[IncidentSummary]:
            from models.incidents.case_search import CaseQuery, search_cases

            return [c for c in search_cases(db, office_code, CaseQuery(category_key=category))
                    if not c.is_example]

        self.drills.ctx.worker.run("scenario_cases", cases, self._pick_case)

    def _pick_case(self, cases: list[IncidentSummary]) -> None:
        if not cases:
            self.error.setText(_("No archived case of this category yet."))
            self.error.show()
            return
        labels = [f"{c.number} {c.title}" for c in cases]
        picked, ok = QInputDialog.getItem(self, _("Make a scenario from an archived case"),
                                          _("Case:"), labels, 0, False)
        if ok:
            self.save_case(cases[labels.index(picked)].id)

    def save_case(self, incident_id: str) -> None:
        office_code, actor = self.drills.ctx.settings.office_code, self.drills.ctx.actor
        self.error.hide()

        def save(db: Database) -> str:
            from models.case_scenarios import save_case_scenario

            return save_case_scenario(db, actor, office_code, incident_id).key

        def saved(key: str) -> None:
            self._select_after_load = key  # before the reload the Op started answers

        def failed(exc: Exception) -> None:
            show_at_field(self, exc, self.error, {})
            self.error.show()

        Op(self.drills.ctx, "case_scenario", save, parent=self).on_done(saved).on_error(
            failed).run()

    def choose(self) -> None:
        drill = self.drills.month_drill()
        if drill is None:
            return
        drill_id, actor = drill.id, self.drills.ctx.actor
        category, scenario = self.category.currentData(), self.scenario.currentData() or ""
        self.error.hide()

        def store(db: Database) -> object:
            from models.drills.actions import choose_scenario

            return choose_scenario(db, actor, drill_id, category, scenario)

        def failed(exc: Exception) -> None:
            show_at_field(self, exc, self.error, {"category_key": self.category,
                                                  "scenario_key": self.scenario})
            self.error.show()

        Op(self.drills.ctx, "choose_scenario", store, parent=self).on_error(failed).run()


class DrillsScreen(ReloadsWhenShown):
    """Signals:
        loaded(): the month's schedule, draws and coverage are on screen.
        control_requested(str): open the control view of this live drill.
        incident_requested(str): open this drill incident in the incident window.
    """

    loaded = Signal()
    control_requested = Signal(str)
    incident_requested = Signal(str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("screen_drills")
        self.ctx = ctx
        self.overview: Overview | None = None
        self.heading = named(QLabel(), "drills_heading")
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.month_box = named(QComboBox(), "drills_month")
        self.month_box.currentIndexChanged.connect(self.load)
        self.schedule = named(QTableWidget(0, len(SCHEDULE_COLUMNS)), "drills_schedule")
        self.schedule.verticalHeader().hide()
        self.schedule.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.schedule.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.schedule.horizontalHeader().setStretchLastSection(True)
        self.overdue_label = named(QLabel(), "drills_overdue_label")
        self.rules_line = named(QLabel(), "drills_rules")
        self.record_header = DrillRecordHeader(ctx)
        self.rules_line.setWordWrap(True)
        self.deadlines = deadlines_label()
        self.overdue = named(QListWidget(), "drills_overdue")
        self.coverage = named(QTableWidget(0, 0), "drills_coverage")
        self.coverage.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.draw_panel = DrawPanel(self)
        self.scenario_panel = ScenarioPanel(self)
        self.tabs = named(QTabWidget(), "drills_tabs")
        self.report_panel = ReportPanel(ctx)
        self.evaluation_panel = EvaluationPanel(ctx)
        self.live_bar = LiveDrillBar(ctx)
        self.live_bar.control_requested.connect(self.control_requested)
        self.live_bar.incident_requested.connect(self.incident_requested)
        for page in (self.draw_panel, self.scenario_panel, self.coverage, self.report_panel,
                     self.evaluation_panel):
            self.tabs.addTab(page if page is self.coverage else scrolled(page), "")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.rules_line)
        left_layout.addWidget(self.schedule, 2)
        left_layout.addWidget(self.deadlines)
        left_layout.addWidget(self.overdue_label)
        left_layout.addWidget(self.overdue, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.tabs)
        split.setSizes([560, 620])
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.record_header)
        top.addWidget(self.month_box)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.live_bar)
        layout.addWidget(split, 1)
        ctx.database_ready.connect(self.load)
        ctx.data_changed.connect(self._on_data_changed)
        ctx.settings_changed.connect(self.load)
        ctx.standing_changed.connect(self.load)
        ctx.language_changed.connect(self.retranslate)
        self.retranslate()

    def show_panel(self, panel: QWidget) -> None:
        """Bring the tab holding *panel* to the front (each form scrolls in its tab)."""
        for index in range(self.tabs.count()):
            page = self.tabs.widget(index)
            if page is panel or (page is not None and page.isAncestorOf(panel)):
                self.tabs.setCurrentIndex(index)
                return

    def show_month(self, month: date, panel: str) -> None:
        """The drill of *month* with its report form (*panel* "report") or its evaluation
        ("evaluation") in front: where a signer signs it (the home screen's sign-off items)."""
        index = self.month_box.findData(month_start(month).isoformat())
        if index >= 0:
            self.month_box.setCurrentIndex(index)  # loads that month
        self.show_panel(self.report_panel if panel == "report" else self.evaluation_panel)

    def retranslate(self) -> None:
        self.heading.setText(_("Drills"))
        self.record_header.retranslate()
        self.tabs.setTabText(0, _("The draw"))
        self.tabs.setTabText(1, _("Category and scenario"))
        self.tabs.setTabText(2, _("Coverage"))
        self.tabs.setTabText(3, _("Report form"))
        self.tabs.setTabText(4, _("Evaluation"))
        self.schedule.setHorizontalHeaderLabels([_(c) for c in SCHEDULE_COLUMNS])
        self.draw_panel.retranslate()
        self.scenario_panel.retranslate()
        today = month_start(taipei_today())
        last = date(today.year + 1, 12, 1)  # the domain draws up to December of next year
        months = []
        month = add_months(today, -MONTHS_BACK)
        while month <= last:  # ISO text as the item data: Qt does not find dates by value
            months.append((format_month(month), month.isoformat()))
            month = add_months(month, 1)
        first = self.month_box.count() == 0
        refill(self.month_box, months)  # keeps the chosen month, and stays quiet
        if first:
            self.month_box.blockSignals(True)  # this month to start with, loaded when ready
            self.month_box.setCurrentIndex(self.month_box.findData(today.isoformat()))
            self.month_box.blockSignals(False)
        if self.overview is not None:
            self._show(self.overview)

    def month(self) -> date:
        chosen = self.month_box.currentData()
        return date.fromisoformat(chosen) if chosen else month_start(taipei_today())

    def month_drill(self) -> DrillInfo | None:
        return self.overview.drill if self.overview is not None else None

    def _on_data_changed(self, changes: OpChanges) -> None:
        if changes.touches(Change.DRILLS, Change.UNITS, Change.PLAYBOOK, Change.INCIDENTS,
                           Change.SIGNED_COPIES):  # the report panel lists its scans
            self.reload()

    def load(self) -> None:
        office_code, month = self.ctx.settings.office_code, self.month()
        self.ctx.worker.run("drills_overview", lambda db: load_overview(db, office_code, month),
                            self._show, lambda exc: show_error(self, exc))

    def _show(self, overview: Overview) -> None:
        if overview.month != self.month():  # the user chose another month meanwhile
            return
        self.overview = overview
        units = {u.key: u.name for u in overview.units}
        categories = {c.key: pick(c.name) for c in overview.playbook.categories}
        scenarios = {s.key: pick(s.title) for s in overview.scenarios}
        months = overview.schedule.months
        self.schedule.setRowCount(len(months))
        for row, slot in enumerate(months):
            d = slot.drill
            values = (format_month(slot.month),
                      marked(units.get(d.unit_key, d.unit_key), d.classification) if d else "",
                      status_label(d.status) if d else empty_month_text(
                          slot.wanted, overview.schedule.rules.every_months),
                      categories.get(d.category_key, "") if d else "",
                      scenarios.get(d.scenario_key, d.scenario_key) if d else "",
                      str(slot.draws or ""))
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if slot.month == self.month():
                    item.setBackground(QColor("#e3f2fd"))
                self.schedule.setItem(row, col, item)
        rules = overview.schedule.rules
        self.rules_line.setText(rules_text(rules))
        self.overdue_label.setText(_("Units overdue for their drill (at least every {span})")
                                   .format(span=span_text(rules.unit_every_months)))
        self.deadlines.setText(deadlines_html(overview.drill, overview.after_action,
                                              taipei_today()))
        self.overdue.clear()
        for state in overview.schedule.units:
            if state.overdue and state.last_held:
                self.overdue.addItem(_("{unit}: last drill on {date}").format(
                    unit=state.unit.name, date=format_date(state.last_held, long=False)))
            elif state.overdue:
                self.overdue.addItem(_("{unit}: never drilled").format(unit=state.unit.name))
        cov = overview.coverage
        self.coverage.setRowCount(len(cov.units))
        self.coverage.setColumnCount(len(cov.categories))
        self.coverage.setHorizontalHeaderLabels([categories.get(k, k) for k in cov.categories])
        self.coverage.setVerticalHeaderLabels([u.name for u in cov.units])
        for row, unit in enumerate(cov.units):
            for col, key in enumerate(cov.categories):
                last = cov.last(unit.key, key)
                text = str(cov.count(unit.key, key))
                if last:
                    text += " (" + format_date(last, long=False) + ")"
                self.coverage.setItem(row, col, QTableWidgetItem(text))
        self.draw_panel.show_overview(overview)
        self.scenario_panel.show_overview(overview)
        drill = self.month_drill()
        self.report_panel.load(drill.id if drill else "", overview.playbook)
        self.evaluation_panel.load(drill.id if drill else "", overview.playbook)
        self.live_bar.show_drill(drill)
        self.record_header.show_drill(drill)
        self.loaded.emit()
