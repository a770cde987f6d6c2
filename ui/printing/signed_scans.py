"""The signed scans of one printed form of one record: attaching the scan of the signed paper,
and what each scan attached is (the current version, an older one to print and sign again, or
none of the record's). The QR code is read off the scan on the worker
(models.review.signed_scans); the code typed off the paper is used only where the scan has no
code that can be read. Any screen that prints a form with a code opens this dialog for it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from i18n import N_, _
from i18n.formatting import format_datetime
from models.core.changes import Change, OpChanges
from ui.runtime.context import AppContext
from ui.runtime.feedback import ERROR_STYLE, show_at_field
from ui.runtime.naming import named
from ui.runtime.ops import Op

if TYPE_CHECKING:
    from models.review.signed_scans import ScanCheck
    from models.storage.db import Database

FORM_NAMES = {"notification": N_("Notification form"), "case_file": N_("Case file"),
              "drill_draw": N_("Record of the drill unit draw"),
              "drill_report": N_("Crisis management drill report"),
              "drill_evaluation": N_("Crisis management drill evaluation report"),
              "annual_review": N_("Annual crisis management review"),
              "situation_report": N_("Situation report"),
              "favour_registration": N_("Request for favour registration form")}
"""The forms a scan may be attached to (models.review.signed_scans.SIGNED_FORMS, named here
too so the window does not load the database layer to show a menu)."""

_SHOWN_FROM = {"notification": (Change.INCIDENTS, Change.UNITS),
               "case_file": (Change.INCIDENTS, Change.UNITS),
               "drill_draw": (Change.DRILLS, Change.UNITS),
               "drill_report": (Change.DRILLS, Change.UNITS, Change.PLAYBOOK),
               "drill_evaluation": (Change.DRILLS, Change.UNITS, Change.PLAYBOOK),
               "annual_review": (Change.INCIDENTS, Change.DRILLS, Change.UNITS,
                                 Change.PLAYBOOK),
               "situation_report": (Change.INCIDENTS,),
               "favour_registration": (Change.INCIDENTS,)}
"""What each form's record is printed from: a change of it (here or synced in) may make a
scan's paper older, so the list is judged again."""

_VERDICTS = {
    "current": N_("The current version: the paper is the record as it stands."),
    "older": N_("An older version (printed as version {version}): print it and sign it "
                "again."),
    "none": N_("None of this record's versions: the paper was not printed from it."),
    "changed": N_("An older printout: the record has changed since; print it and sign it "
                  "again."),
}
_SHORT_VERDICTS = {
    "current": N_("Current version"),
    "older": N_("Older version {version}: sign again"),
    "none": N_("No version of this record"),
    "changed": N_("Older printout: sign again"),
}
"""The same, as short as a column of the list allows."""


def verdict_text(check: ScanCheck, short: bool = False) -> str:
    """What the paper of *check* is, in words (*short*: for the list). An incident's form
    numbers its versions by the timeline's entries, which a changed field does not add to:
    an older paper of the same number is "an older printout"."""
    key = str(check.verdict)
    if key == "older" and (check.version is None or check.version >= check.current_version):
        key = "changed"
    return _((_SHORT_VERDICTS if short else _VERDICTS)[key]).format(version=check.version)


class SignedScanDialog(QDialog):
    """Attach a scan of the signed *form* of *record_id*, and list the scans attached."""

    def __init__(self, ctx: AppContext, form: str, record_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signed_scans")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx, self.form, self.record_id = ctx, form, record_id
        self.setWindowTitle(_("Signed scans: {form}").format(form=_(FORM_NAMES[form])))
        intro = QLabel(_("Attach the scan of the signed paper. The QR code on it tells which "
                         "version of the form was printed; the code printed under the form "
                         "is needed only when the scan has no QR code that can be read."))
        intro.setWordWrap(True)
        self.code = named(QLineEdit(), "scan_code")
        self.code.setPlaceholderText(_("e.g. 7K3Q-9XD2-MA (only without a readable QR code)"))
        self.choose = named(QPushButton(_("Choose the scan and attach it…")), "scan_choose")
        self.choose.clicked.connect(self.choose_scan)
        self.error = named(QLabel(), "scan_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.outcome = named(QLabel(), "scan_result")
        self.outcome.setWordWrap(True)
        self.table = named(QTreeWidget(), "scan_list")
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels([_("Scan"), _("Attached"), _("Attached by"), _("Code"),
                                    _("The paper is")])
        self.table.setColumnWidth(0, 200)
        self.table.setColumnWidth(1, 170)
        self.table.setColumnWidth(3, 110)
        buttons = QDialogButtonBox()
        buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)

        form_layout = QFormLayout()
        form_layout.addRow(_("Verification code"), self.code)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form_layout)
        layout.addWidget(self.choose)
        layout.addWidget(self.error)
        layout.addWidget(self.outcome)
        layout.addWidget(QLabel(_("Scans attached")))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(860, 460)
        self._offer_attaching()
        ctx.data_changed.connect(self._on_data_changed)
        self.load()

    def _offer_attaching(self) -> None:
        """Only who may file this form's signed paper is offered to attach (the rule every
        receiving PC checks: models.review.signed_scans_policy); the list stays for all."""
        from models.review.signed_scans_policy import (  # with the dialog, not the menu
            FILED_BY_SIGNERS,
            may_file,
        )

        if not may_file(self.form, self.ctx.actor.may):
            for widget in (self.code, self.choose):
                widget.setEnabled(False)
            self.choose.setToolTip(_(FILED_BY_SIGNERS))

    def _on_data_changed(self, changes: OpChanges) -> None:
        """A scan attached here or on another PC (synced in), or a change of the record,
        shows without reopening the dialog."""
        if changes.touches(Change.SIGNED_COPIES, *_SHOWN_FROM[self.form]):
            self.load()

    def load(self) -> None:
        form, record_id = self.form, self.record_id

        def query(db: Database) -> tuple[ScanCheck, ...]:
            from models.review.signed_scans import scans_of

            return scans_of(db, form, record_id)

        Op(self.ctx, "signed_scans", query, parent=self).on_done(self._show).run()

    def _show(self, checks: tuple[ScanCheck, ...]) -> None:
        self.table.clear()
        tz = self.ctx.settings.timezone
        for check in checks:
            item = QTreeWidgetItem([check.filename, format_datetime(check.attached_at, tz=tz),
                                    check.attached_by, check.code,
                                    verdict_text(check, short=True)])
            item.setToolTip(4, verdict_text(check))
            self.table.addTopLevelItem(item)

    def choose_scan(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Attach the signed scan"), str(Path.home()),
            _("Scans (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)"))
        if path:
            self.attach_file(Path(path))

    def attach_file(self, path: Path) -> None:
        """Attach the scan at *path* (read and matched on the worker), then list it."""
        form, record_id, typed, actor = self.form, self.record_id, self.code.text(), \
            self.ctx.actor
        self.error.hide()
        self.outcome.clear()

        def attach(db: Database) -> ScanCheck:
            from models.review.signed_scans import attach_scan

            return attach_scan(db, actor, form, record_id, path, typed)

        def attached(check: ScanCheck) -> None:
            how = (_("Read from the scan's QR code.") if check.from_qr
                   else _("No QR code could be read: checked by the typed code."))
            self.outcome.setText(_("Attached. {how} {verdict}").format(
                how=how, verdict=verdict_text(check)))
            self.code.clear()  # listed by the change it announced (_on_data_changed)

        def failed(exc: Exception) -> None:
            show_at_field(self, exc, self.error, {"code": self.code, "file": self.choose})
            self.error.show()

        Op(self.ctx, "attach_signed_scan", attach, parent=self).on_done(attached).on_error(
            failed).run()
