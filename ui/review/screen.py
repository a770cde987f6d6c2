"""The Statistics screen: the annual review of a year on screen, printed for 陳核, and
exported as an ODF spreadsheet or CSV; beside it, every corrective action followed up
(ui/review/actions.py).

What the screen shows is the report itself (models/review/report.py) as HTML, its charts the
very drawings the printer gets, rasterised from their PDF on the worker by the print preview's
own rasteriser: the figures read on screen and the ones signed on paper cannot differ."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from i18n import _
from i18n.roc import roc_year
from models.core.changes import Change, OpChanges
from ui.printing.document_html import CHART_URL, document_html
from ui.printing.jobs import FormPrinter
from ui.printing.signed_scans import SignedScanDialog
from ui.review.actions import ActionsPanel
from ui.runtime.context import AppContext
from ui.runtime.feedback import error_text, show_error
from ui.runtime.naming import named
from ui.runtime.ops import Op
from ui.widgets.when_shown import ReloadsWhenShown

if TYPE_CHECKING:
    from forms.document import FormDocument
    from models.storage.db import Database
    from ui.printing.page_images import PageImage

CHART_DPI = 110
"""The charts' sharpness on screen (the page preview's default)."""


@dataclass(frozen=True)
class Loaded:
    """What the worker read for the screen: the years on offer, the year shown, its report
    and each chart of it as pixels (in the report's order of charts)."""

    years: tuple[int, ...]
    year: int
    doc: FormDocument
    charts: tuple[PageImage, ...]
    units: dict[str, str]
    """The office's unit names by key (removed units too)."""


class ReviewScreen(ReloadsWhenShown):
    """Signals:
        loaded(): a year's review is on screen.
    """

    loaded = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("screen_review")
        self.ctx = ctx
        self.heading = named(QLabel(), "review_heading")
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.year = named(QComboBox(), "review_year")
        self.year.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.year.activated.connect(lambda _i: self._load_review())  # the list is not by year
        self.print_button = named(QPushButton(), "review_print")
        self.print_button.clicked.connect(self.print_review)
        self.export_button = named(QPushButton(), "review_export")
        self.export_button.clicked.connect(self.export)
        self.scans_button = named(QPushButton(), "review_scans")
        self.scans_button.clicked.connect(self.open_scans)
        self.view = named(QTextBrowser(), "review_view")
        self.view.setOpenLinks(False)
        self.message = named(QLabel(), "review_message")
        self.message.setWordWrap(True)
        self.printer = FormPrinter(ctx, self)
        self.units: dict[str, str] = {}
        self.followed = named(ActionsPanel(ctx, self.units), "review_followed")
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.year)
        top.addWidget(self.print_button)
        top.addWidget(self.export_button)
        top.addWidget(self.scans_button)
        review = QWidget()
        review_layout = QVBoxLayout(review)
        review_layout.addLayout(top)
        review_layout.addWidget(self.view, 1)
        review_layout.addWidget(self.message)
        self.tabs = named(QTabWidget(), "review_tabs")
        self.tabs.addTab(review, "")
        self.tabs.addTab(self.followed, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        self.shown: Loaded | None = None
        self._serial = 0
        for button in (self.print_button, self.export_button):
            button.setEnabled(False)
        self.scans_button.setEnabled(False)
        ctx.database_ready.connect(self.reload)  # hidden at start: loads when first shown
        ctx.data_changed.connect(self._on_data_changed)
        ctx.office_changed.connect(self.reload)
        ctx.language_changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Statistics and annual review"))
        self.tabs.setTabText(0, _("Annual review"))
        self.tabs.setTabText(1, _("Corrective actions"))
        self.followed.retranslate()
        self.print_button.setText(_("Print annual review…"))
        self.export_button.setText(_("Export tables…"))
        self.scans_button.setText(_("Signed scans…"))
        self.year.setToolTip(_("The year to review (ROC)"))
        self._fill_years(self.shown.years if self.shown else ())
        if self.shown is not None:
            self.reload()  # the report's words are the language's

    def _on_data_changed(self, changes: OpChanges) -> None:
        if changes.touches(Change.INCIDENTS, Change.DRILLS, Change.UNITS, Change.PLAYBOOK):
            self.reload()

    def _fill_years(self, years: tuple[int, ...]) -> None:
        chosen = self.year.currentData()
        self.year.clear()
        for year in years:
            self.year.addItem(_("ROC year {year}").format(year=roc_year(year)), year)
        index = self.year.findData(chosen)
        self.year.setCurrentIndex(max(index, 0))

    def chosen_year(self) -> int | None:
        data = self.year.currentData()
        return int(data) if data is not None else None

    def load(self) -> None:
        """Read the chosen year's review and the follow-up list on the worker."""
        self._load_review()
        self.followed.load()

    def _load_review(self) -> None:
        """Read the chosen year's review on the worker (the current year at first)."""
        office_code, tz = self.ctx.settings.office_code, self.ctx.settings.timezone
        wanted = self.chosen_year()
        self._serial += 1
        serial = self._serial

        def read(db: Database) -> Loaded:
            return _read(db, office_code, tz, wanted)

        Op(self.ctx, "review_load", read, parent=self).on_done(
            lambda loaded: self._show(loaded) if serial == self._serial else None).on_error(
            self._failed).run()

    def show_action(self, action_id: str) -> None:
        """The corrective actions, with *action_id* chosen once the list holds it."""
        self.tabs.setCurrentWidget(self.followed)
        self.followed.choose(action_id)

    def _failed(self, exc: Exception) -> None:
        """Said on the screen, not in a box: a load that fails fails again at each change
        while the screen is open (the details are in the log)."""
        self.message.setText(_("The review could not be read: {reason}").format(
            reason=error_text(exc)))

    def _show(self, loaded: Loaded) -> None:
        from ui.printing.page_printer import page_qimage

        self.shown = loaded
        self.units.clear()
        self.units.update(loaded.units)
        self.followed.retranslate()  # the unit names may be new
        self._fill_years(loaded.years)
        self.year.setCurrentIndex(max(self.year.findData(loaded.year), 0))
        document = self.view.document()
        for index, page in enumerate(loaded.charts):
            document.addResource(QTextDocument.ResourceType.ImageResource,
                                 QUrl(CHART_URL.format(index=index)), page_qimage(page))
        scroll = self.view.verticalScrollBar().value()
        self.view.setHtml(document_html(loaded.doc))
        self.view.verticalScrollBar().setValue(scroll)
        for button in (self.print_button, self.export_button):
            button.setEnabled(True)
        self.scans_button.setEnabled(True)
        self.loaded.emit()

    def print_review(self) -> None:
        """The year's report in the print preview, rendered again from the database (it may
        have changed since the screen loaded)."""
        year = self.chosen_year()
        if year is None:
            return
        office_code, tz = self.ctx.settings.office_code, self.ctx.settings.timezone

        def make(db: Database) -> tuple[str, FormDocument]:
            from models.drills.kinds import taipei_today
            from models.review.report import load_review

            return (f"annual-review-{roc_year(year)}",
                    load_review(db, office_code, year, taipei_today(), tz))

        self.printer.print_document(make)

    def open_scans(self) -> None:
        """The signed scans of the chosen year's review (its code covers its figures)."""
        from models.review.report import review_id

        year = self.chosen_year()
        if year is not None:
            record = review_id(self.ctx.settings.office_code, year)
            SignedScanDialog(self.ctx, "annual_review", record, self).open()

    def export(self) -> None:
        """The report's tables as an ODF spreadsheet or CSV, where the user chooses."""
        from PySide6.QtWidgets import QFileDialog

        year = self.chosen_year()
        if year is None:
            return
        ods, csv = _("ODF spreadsheet (*.ods)"), _("CSV, UTF-8 (*.csv)")
        path, chosen = QFileDialog.getSaveFileName(
            self, _("Export tables"),
            str(Path.home() / f"annual-review-{roc_year(year)}.ods"), f"{ods};;{csv}")
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() not in (".ods", ".csv"):
            target = target.with_suffix(".csv" if chosen == csv else ".ods")
            if target.exists() and not _replace(self, target):  # the dialog asked of another
                return
        office_code, tz = self.ctx.settings.office_code, self.ctx.settings.timezone

        def write(db: Database) -> Path:
            from models.drills.kinds import taipei_today
            from models.review.report import load_review, write_review

            write_review(load_review(db, office_code, year, taipei_today(), tz), target)
            return target

        self.message.clear()
        Op(self.ctx, "review_export", write, parent=self).on_done(
            lambda written: self.message.setText(_("Written to {path}").format(path=written))
        ).on_error(lambda exc: show_error(self, exc, _("Export tables"))).run()


def _replace(parent: QWidget, target: Path) -> bool:
    from PySide6.QtWidgets import QMessageBox

    return QMessageBox.question(
        parent, _("Export tables"),
        _("{file} already exists. Replace it?").format(file=target.name),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel) == QMessageBox.StandardButton.Yes


def _read(db: Database, office_code: str, tz: str, wanted: int | None) -> Loaded:
    """On the worker: the years, the report of *wanted* (None: the current year) and its
    charts rasterised."""
    from forms.charts import charts_pdf
    from forms.document import Chart
    from models.drills.kinds import taipei_today
    from models.review.figures import review_years
    from models.review.report import load_review, office_unit_names
    from ui.printing.page_images import render_pages

    today = taipei_today()
    years = review_years(db, office_code, today)
    year = wanted if wanted in years else years[0]
    doc = load_review(db, office_code, year, today, tz)
    charts = [block for block in doc.blocks if isinstance(block, Chart)]
    pictures = tuple(render_pages(charts_pdf(charts), CHART_DPI)) if charts else ()
    return Loaded(years, year, doc, pictures, office_unit_names(db, office_code))
