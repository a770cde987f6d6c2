"""The case archive: archived incidents (案例檔案), searched as one types, in Chinese or
English substrings, filtered by category, level, unit and year, with the chosen case file
shown in full beside the list."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from i18n import N_, _, ngettext, pick
from i18n.formatting import format_date, local_date
from i18n.roc import roc_year
from models.core.changes import Change, OpChanges
from ui.printing.document_html import document_html
from ui.printing.jobs import FormPrinter
from ui.runtime.context import AppContext
from ui.runtime.naming import named
from ui.runtime.ops import Op
from ui.widgets.combos import refill
from ui.widgets.record_header import marked
from ui.widgets.when_shown import ReloadsWhenShown

if TYPE_CHECKING:
    from models.incidents.case_import import ImportResult
    from models.incidents.case_search import CaseQuery
    from models.incidents.queries import IncidentSummary, IncidentView
    from models.org.offices import UnitInfo
    from models.playbook.model import Playbook
    from models.storage.db import Database

COLUMNS = (N_("Case number"), N_("Subject"), N_("Category"), N_("Level"), N_("Started"),
           N_("Reporting unit"))
TYPING_PAUSE_MS = 250
FIRST_YEAR = 100
"""The earliest ROC year offered in the year filter (2011): the archive starts with the app,
but cases from paper files and the examples are older."""


class ArchiveScreen(ReloadsWhenShown):
    """Signals:
        searched(): results of a search are on screen.
        case_shown(str): the case file with this id is shown.
    """

    searched = Signal()
    case_shown = Signal(str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("screen_archive")
        self.ctx = ctx
        self.heading = named(QLabel(), "archive_heading")
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.search = named(QLineEdit(), "archive_search")
        self.search.setClearButtonEnabled(True)
        self.category = named(QComboBox(), "archive_category")
        self.level = named(QComboBox(), "archive_level")
        self.unit = named(QComboBox(), "archive_unit")
        self.year = named(QComboBox(), "archive_year")
        self.count = named(QLabel(), "archive_count")
        self.table = named(QTableWidget(0, len(COLUMNS)), "archive_table")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        self.case = named(QTextBrowser(), "archive_case")
        self.printer = FormPrinter(ctx, self)
        self.print_button = named(QPushButton(), "archive_print")
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(self._print_case)
        self.message = named(QLabel(), "archive_message")
        self.message.setWordWrap(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(self._timer.start)
        for combo in (self.category, self.level, self.unit, self.year):
            combo.activated.connect(self.run_search)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for combo in (self.category, self.level, self.unit, self.year):
            filters.addWidget(combo, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.case, 1)
        right_layout.addWidget(self.print_button)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(filters)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        self.results: list[IncidentSummary] = []
        self.playbook: Playbook | None = None
        self.units: list[UnitInfo] = []
        self.view: IncidentView | None = None
        self._query_serial = 0
        self._selected_id = ""
        ctx.database_ready.connect(self.load)
        ctx.data_changed.connect(self._on_data_changed)
        ctx.office_changed.connect(self.reload)
        ctx.language_changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Case archive"))
        self.print_button.setText(_("Print the case file"))
        self.search.setPlaceholderText(_("Search the case files (Chinese or English, any part "
                                         "of a word)"))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self._fill_filters()
        self._show_results()
        if self.view is not None:
            self._show_case(self.view)

    def _fill_filters(self) -> None:
        pb = self.playbook
        this_year = roc_year(date.today().year)
        refill(self.category, [(_("All categories"), None),
                               *((pick(c.name), c.key) for c in (pb.categories if pb else ()))])
        refill(self.level, [(_("All levels"), None),
                            *((pick(lv.name), lv.key) for lv in (pb.levels if pb else ()))])
        refill(self.unit, [(_("All units"), None), *((u.name, u.key) for u in self.units)])
        refill(self.year, [(_("All years"), None),
                           *((_("{year} (ROC)").format(year=y), y)
                             for y in range(this_year, FIRST_YEAR - 1, -1))])

    def _on_data_changed(self, changes: OpChanges) -> None:
        if changes.touches(Change.INCIDENTS, Change.PLAYBOOK, Change.UNITS):
            self.reload()

    def load(self) -> None:
        office_code = self.ctx.settings.office_code

        def query(db: Database) -> tuple[Playbook, list[UnitInfo]]:
            from models.org.units import list_units
            from models.playbook.store import current_playbook

            return current_playbook(db)[1], list_units(db, office_code, include_inactive=True)

        def shown(result: tuple[Playbook, list[UnitInfo]]) -> None:
            self.playbook, self.units = result
            self._fill_filters()
            self.run_search()

        self.ctx.worker.run("archive_setup", query, shown)

    def query(self) -> CaseQuery:
        from models.incidents.case_search import CaseQuery

        return CaseQuery(text=self.search.text(), category_key=self.category.currentData() or "",
                         level_key=self.level.currentData() or "",
                         unit_key=self.unit.currentData() or "",
                         roc_year=self.year.currentData())

    def run_search(self) -> None:
        self._timer.stop()
        office_code, query = self.ctx.settings.office_code, self.query()
        self._query_serial += 1
        serial = self._query_serial

        def search(db: Database) -> list[IncidentSummary]:
            from models.incidents.case_search import search_cases

            return search_cases(db, office_code, query)

        def shown(results: list[IncidentSummary]) -> None:
            if serial == self._query_serial:  # an older search answering late is dropped
                self.results = results
                self._show_results()
                self.searched.emit()

        self.ctx.worker.run("search_cases", search, shown)

    def _show_results(self) -> None:
        pb = self.playbook
        categories = {c.key: pick(c.name) for c in pb.categories} if pb else {}
        levels = {lv.key: pick(lv.name) for lv in pb.levels} if pb else {}
        units = {u.key: u.name for u in self.units}
        # Refilled rows keep the old row's selection without a selection signal, which once
        # left a case no longer listed in the preview and under Print: the selection is set
        # again below from the case chosen, never inherited from a row number.
        self.table.blockSignals(True)
        self.table.clearSelection()
        self.table.setRowCount(len(self.results))
        for row, case in enumerate(self.results):
            example = _(" (example)") if case.is_example else ""
            values = (case.number, marked(case.title, case.classification) + example,
                      categories.get(case.category_key, case.category_key),
                      levels.get(case.level_key, case.level_key),
                      format_date(local_date(case.started_at, self.ctx.settings.timezone),
                                  long=False),
                      units.get(case.reporting_unit, case.reporting_unit))
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, case.id)
                self.table.setItem(row, col, item)
        chosen = next((row for row, case in enumerate(self.results)
                       if case.id == self._selected_id), None)
        if chosen is not None:
            self.table.selectRow(chosen)
        self.table.blockSignals(False)
        count = len(self.results)
        self.count.setText(ngettext("{n} case file", "{n} case files", count).format(n=count)
                           if count else _("No case file matches."))
        if chosen is None:
            self._clear_case()

    def _clear_case(self) -> None:
        """Nothing chosen: no case file in the preview, nothing to print."""
        self._selected_id = ""
        self.view = None
        self.case.clear()
        self.print_button.setEnabled(False)

    def _selected(self) -> None:
        items = self.table.selectedItems()
        if not items:
            self._clear_case()
            return
        case_id = items[0].data(Qt.ItemDataRole.UserRole)
        if case_id == self._selected_id and self.view is not None:
            return
        self._selected_id = case_id
        minutes = self.ctx.settings.ack_minutes

        def load(db: Database) -> IncidentView:
            from models.incidents.queries import incident_view
            from models.storage.db import utcnow

            return incident_view(db, case_id, utcnow(), minutes)

        self.ctx.worker.run("load_case", load, self._show_case)

    def _show_case(self, view: IncidentView) -> None:
        if view.id != self._selected_id:  # an earlier selection answering late
            return
        self.view = view
        from dataclasses import replace

        from models.incidents.print import case_file
        from models.incidents.record_header import view_official_header

        units = {u.key: u.name for u in self.units}
        doc = case_file(view, units, self.ctx.settings.timezone)
        self.case.setHtml(document_html(replace(doc, header=view_official_header(view))))
        self.print_button.setEnabled(True)
        self.case_shown.emit(view.id)

    def _print_case(self) -> None:
        if self.view and self.view.id == self._selected_id:
            self.printer.print_form(self.view.id, "case_file")

    # --- bringing cases in ---------------------------------------------------------------

    def load_examples(self) -> None:
        """Load the shipped example cases (marked as examples) into this office's archive."""
        office_code, actor = self.ctx.settings.office_code, self.ctx.actor

        def load(db: Database) -> ImportResult:
            from models.incidents.case_import import load_demo

            return load_demo(db, actor, office_code)

        Op(self.ctx, "load_examples", load, parent=self).on_done(self._imported).run()

    def import_file(self, path: Path) -> None:
        office_code, actor = self.ctx.settings.office_code, self.ctx.actor

        def load(db: Database) -> ImportResult:
            from models.incidents.case_import import import_cases_file

            return import_cases_file(db, actor, office_code, path)

        Op(self.ctx, "import_cases", load, parent=self).on_done(self._imported).run()

    def _imported(self, result: ImportResult) -> None:
        self.message.setText(_("Added to the archive: {added}; already there: "
                               "{skipped}.").format(added=result.added, skipped=result.skipped))
