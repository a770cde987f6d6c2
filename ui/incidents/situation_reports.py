"""Stage 3's situation reports (處理情形): the reports filed for the commander, the time the
next one is due, filing one (the snapshot it will store, shown first, and the next steps
typed), and printing a chosen one (models/incidents/situation_reports.py).

The filed reports are read on the worker after every load of the incident (a RecordFeed,
ui/incidents/feeds.py, shared with the header's clock: ui/incidents/clocks.py), so the list
and the due times move as soon as a report is filed, here or on another PC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from forms.document import FormDocument
from i18n import N_, _, pick
from i18n.formatting import format_datetime
from models.core.errors import ValidationError
from models.incidents.print_situation import situation_report_form, snapshot_blocks
from models.incidents.situation_reports import (
    Cadence,
    ReportInfo,
    cadence_of_view,
    snapshot_of,
    unit_names,
)
from ui.incidents.act_dialog import ActDialog
from ui.incidents.controller import IncidentController
from ui.incidents.feeds import RecordFeed, feed_of
from ui.printing.document_html import document_html
from ui.printing.jobs import FormPrinter
from ui.printing.record_header import of_incident
from ui.printing.signed_scans import SignedScanDialog
from ui.runtime.feedback import ERROR_STYLE
from ui.runtime.naming import named

if TYPE_CHECKING:
    from models.incidents.queries import IncidentView
    from models.org.people import Actor
    from models.storage.db import Database

COLUMNS = (N_("No."), N_("Filed"), N_("Filed by"), N_("Level"), N_("Next steps"))


def _read_reports(db: Database, incident_id: str) -> tuple[ReportInfo, ...]:
    from models.incidents.situation_reports import list_reports

    return list_reports(db, incident_id)


def reports_feed(ctrl: IncidentController) -> RecordFeed:
    """The filed reports of the controller's incident (the section and the header share it)."""
    return feed_of(ctrl, "situation_feed", _read_reports)


def next_due(feed: RecordFeed, view: IncidentView) -> Cadence | None:
    """The next report's due time; None before the incident's reports are read, or at a
    level without a cadence."""
    reports: tuple[ReportInfo, ...] | None = feed.of(view)
    if reports is None:
        return None
    last = max((r.entered_at for r in reports), default=None)
    return cadence_of_view(view, last)


def due_text(due: Cadence, tz: str, now: datetime) -> tuple[str, bool]:
    """Words for the next report's due time, and whether it is overdue."""
    when = format_datetime(due.due_at, long=False, tz=tz)
    if due.overdue(now):
        return _("Situation report overdue since {when}").format(when=when), True
    return _("Next situation report due {when}").format(when=when), False


class FileReportDialog(ActDialog):
    """Shows the snapshot a report filed now would store, and asks for the next steps."""

    def __init__(self, ctrl: IncidentController, view: IncidentView, parent: QWidget) -> None:
        super().__init__(ctrl, parent, "situation", _("File a situation report"))
        self.preview = named(QTextBrowser(), "situation_preview")
        self.preview.setMinimumSize(640, 360)
        self.show_snapshot(view)
        ctrl.loaded.connect(self.show_snapshot)  # a change arriving meanwhile shows
        self.next_steps = named(QPlainTextEdit(), "situation_next_steps")
        self.next_steps.setTabChangesFocus(True)
        self.next_steps.setFixedHeight(self.next_steps.fontMetrics().lineSpacing() * 4 + 14)
        intro = QLabel(_("The report stores the incident as shown here, in your name; later "
                         "changes go into the next report."))
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.form.addRow(self.preview)
        self.form.addRow(_("Next steps"), self.next_steps)

    def show_snapshot(self, view: IncidentView) -> None:
        """What a report filed now stores: the incident as it stands in *view*."""
        self.snapshot = snapshot_of(view, unit_names(self.ctrl.units))
        from models.incidents.record_header import view_official_header

        self.preview.setHtml(document_html(FormDocument(
            office_name="", title=_("Situation report"),
            blocks=snapshot_blocks(self.snapshot, self.ctrl.ctx.settings.timezone),
            verification=None, header=view_official_header(view))))

    def accept(self) -> None:
        incident_id, snapshot = self.ctrl.incident_id, self.snapshot
        next_steps = self.next_steps.toPlainText()

        def store(db: Database, actor: Actor) -> ReportInfo:
            from models.incidents.situation_reports import file_report

            return file_report(db, actor, incident_id, snapshot, next_steps)

        self.store(store, {"next_steps": self.next_steps, "snapshot": self.preview})

    def refused(self, exc: Exception) -> None:
        if isinstance(exc, ValidationError) and exc.field == "snapshot":
            self.ctrl.reload()  # the change is shown (show_snapshot) before filing again


class SituationReportsPanel(QWidget):
    def __init__(self, ctrl: IncidentController) -> None:
        super().__init__()
        self.setObjectName("situation_reports")
        self.ctrl = ctrl
        self.feed = reports_feed(ctrl)
        self.due = named(QLabel(), "situation_due")
        self.due.setWordWrap(True)
        self.table = named(QTableWidget(0, len(COLUMNS)), "situation_reports_table")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._chosen)
        self.file_button = named(QPushButton(), "situation_file")
        self.file_button.clicked.connect(self.file_report)
        self.print_button = named(QPushButton(), "situation_print")
        self.print_button.clicked.connect(self.print_chosen)
        self.print_button.setEnabled(False)
        self.scans_button = named(QPushButton(), "situation_scans")
        self.scans_button.clicked.connect(self.open_scans)
        self.scans_button.setEnabled(False)
        self.printer = FormPrinter(ctrl.ctx, self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.file_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.scans_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.due)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.feed.loaded.connect(self._show_reports)

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.file_button.setText(_("File a situation report…"))
        self.print_button.setText(_("Print the chosen report"))
        self.scans_button.setText(_("Signed scans…"))
        self.scans_button.setToolTip(_("Attach the scan of the chosen report's signed paper"))
        self._show_reports()

    def show_view(self, view: IncidentView) -> None:
        self.file_button.setEnabled(view.status == "open")
        self._show_due(view)

    def _show_due(self, view: IncidentView) -> None:
        due = next_due(self.feed, view)
        if due is None:
            self.due.setText(_("No situation reports are scheduled at this level.")
                             if view.status == "open" and self.feed.of(view) is not None
                             else "")
            self.due.setStyleSheet("")
            return
        text, late = due_text(due, self.ctrl.ctx.settings.timezone, datetime.now(UTC))
        self.due.setText(text)
        self.due.setStyleSheet(ERROR_STYLE + "font-weight: bold;" if late else "")

    def _show_reports(self) -> None:
        view = self.ctrl.view
        if view is None:
            return
        reports: tuple[ReportInfo, ...] = self.feed.of(view) or ()
        levels = {lv.key: pick(lv.name) for lv in view.playbook.levels}
        tz = self.ctrl.ctx.settings.timezone
        self.table.setRowCount(len(reports))
        for row, report in enumerate(reports):
            steps = report.next_steps.splitlines()
            values = (str(report.number), format_datetime(report.entered_at, long=False, tz=tz),
                      report.entered_by, levels.get(report.level_key, report.level_key),
                      steps[0] if steps else "")
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeRowsToContents()
        self._chosen()
        self._show_due(view)

    def chosen(self) -> ReportInfo | None:
        rows = self.table.selectionModel().selectedRows()
        reports: tuple[ReportInfo, ...] = self.feed.records
        if not rows or rows[0].row() >= len(reports):
            return None
        return reports[rows[0].row()]

    def _chosen(self) -> None:
        self.print_button.setEnabled(self.chosen() is not None)
        self.scans_button.setEnabled(self.chosen() is not None)

    def file_report(self) -> None:
        view = self.ctrl.view
        if view is not None:
            FileReportDialog(self.ctrl, view, self).open()

    def print_chosen(self) -> None:
        report = self.chosen()
        if report is None:
            return
        report_id, tz = report.id, self.ctrl.ctx.settings.timezone
        number = self.ctrl.view.number if self.ctrl.view is not None else ""
        drill = self.ctrl.view is not None and self.ctrl.view.is_drill
        incident_id = self.ctrl.incident_id

        def make(db: Database) -> tuple[str, FormDocument]:
            from models.incidents.record_header import incident_header
            from models.incidents.situation_reports import load_report

            found = load_report(db, report_id)
            return f"{number}-situation-{found.number}", situation_report_form(
                found, tz, drill, incident_header(db, incident_id))

        self.printer.print_document(make, of_incident(incident_id))

    def open_scans(self) -> None:
        """The signed scans of the chosen report: attach the scan of its signed paper."""
        report = self.chosen()
        if report is not None:
            SignedScanDialog(self.ctrl.ctx, "situation_report", report.id, self).open()
