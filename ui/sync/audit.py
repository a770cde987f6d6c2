"""Help ▸ Verify records: the outcome of a verification of this PC's records against their
signed sync history (models.sync.audit), once the worker has it.

The dialog only shows a finished report: it is made on the GUI thread from plain data and
never reads the database. Each finding is one line naming the sync file, or the table, record
and field, at fault, so the list can be copied for IT as it stands.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from i18n import _, ngettext
from models.sync.audit import AuditReport
from ui.runtime.feedback import ERROR_STYLE
from ui.runtime.naming import named


class AuditDialog(QDialog):
    """The summary line; below it, when something does not hold, every finding; then the
    changes refused on receipt, if any (evidence, not findings)."""

    def __init__(self, report: AuditReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("audit_dialog")
        self.setWindowTitle(_("Verify records"))
        self.setMinimumWidth(460)
        self.summary = named(QLabel(report.summary()), "audit_summary")
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        self.findings = named(QListWidget(), "audit_findings")
        self.findings.setWordWrap(True)
        self.findings.addItems([finding.message() for finding in report.findings])
        if report.more:
            self.findings.addItem(ngettext("… and {count} more finding",
                                           "… and {count} more findings",
                                           report.more).format(count=report.more))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        if not report.ok:
            self.summary.setStyleSheet(ERROR_STYLE)
            advice = named(QLabel(_(
                "The database of this PC was changed outside CrisisDesk, or is damaged. Keep "
                "this list for IT (Copy), and do not rely on the records it names.")),
                "audit_advice")
            advice.setWordWrap(True)
            layout.addWidget(advice)
        if not report.ok or report.refused:
            copy = named(QPushButton(_("Copy")), "audit_copy")
            copy.clicked.connect(self.copy)
            buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
            self.resize(900, 480)
        layout.addWidget(self.findings, 1)
        self.findings.setVisible(not report.ok)
        self.refused = named(QListWidget(self), "audit_refused")
        self.refused.setWordWrap(True)
        self.refused.addItems([refusal.message() for refusal in report.refused])
        if report.refused_more:
            self.refused.addItem(ngettext("… and {count} more refused change",
                                          "… and {count} more refused changes",
                                          report.refused_more).format(
                count=report.refused_more))
        self.refused_title = named(QLabel(_(
            "Changes refused by the office's rules, kept as evidence and never applied:")),
            "audit_refused_title")
        self.refused_title.setWordWrap(True)
        if report.refused:
            layout.addWidget(self.refused_title)
            layout.addWidget(self.refused, 1)
        else:
            self.refused.hide()
        layout.addWidget(buttons)

    def copy(self) -> None:
        """The summary, every finding and every refused change, one a line, to the
        clipboard (the refused changes under their title)."""
        lines = [self.summary.text()] + [self.findings.item(row).text()
                                         for row in range(self.findings.count())]
        if self.refused.count():
            lines.append(self.refused_title.text())
            lines += [self.refused.item(row).text() for row in range(self.refused.count())]
        QApplication.clipboard().setText("\n".join(lines))
