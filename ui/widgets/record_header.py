"""The dialog that edits a record's 公文 header (檔號, 保存年限, 速別, 密等, 解密條件或保密期限;
models.playbook.records), shared by the incident window and the drills screen, which each
store it through their own act (the incident's commander or secretary, the drill's planning
group).

Why "by the rule" is a choice of its own: a header left to the rule follows the record (a case
raised to the first level is then kept permanently); a retention chosen stays as chosen. The
choice names what the rule gives the record now ("依規定（永久）"), and follows the 密等 being
chosen (a national secret is kept permanently), so the clerk sees what will print."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from i18n import _
from ui.runtime.feedback import error_label, show_at_field
from ui.runtime.naming import named
from ui.widgets.combos import choice_combo

if TYPE_CHECKING:
    from models.playbook.records import RecordHeader, RecordRules
    from models.storage.db import Database
    from ui.runtime.context import AppContext

Store = Callable[["RecordHeader", Callable[[object], None], Callable[[Exception], None]], None]
"""Runs the act that stores a header on the worker, then calls back: done, or refused."""

Opening = tuple["RecordHeader", "RecordRules | None", bool]
"""What the editor opens with: the stored header, the office's rules of the record's playbook
and whether the record stands at the playbook's first level (what "by the rule" gives)."""

CLASSIFIED_STYLE = ("background: #b00020; color: white; font-weight: bold; padding: 3px 8px; "
                    "border-radius: 3px;")
"""The badge of a record marked 密 or above, beside its title: red, as the marking's stamp."""

_YEARS = (30, 25, 20, 15, 10, 5, 3, 1)
"""The retentions offered (the years 機關檔案保存年限區分表 uses most); another one that a
record already holds (set on another PC, say) is offered too."""


class RecordHeaderDialog(QDialog):
    """Edits *header*; Save runs *store* and closes once it is stored, or shows the refusal at
    its field with everything chosen still there. *rules* (the office's, from the record's
    playbook) and *most_serious* (a case at the playbook's first level) let the "by the rule"
    choice name the retention it gives."""

    def __init__(self, parent: QWidget, header: RecordHeader, store: Store,
                 rules: RecordRules | None = None, most_serious: bool = False) -> None:
        from models.playbook.records import (
            CLASSIFICATIONS,
            MAX_DECLASSIFY,
            MAX_FILE_NUMBER,
            OPEN,
            ORDINARY,
            PERMANENT,
            SPEEDS,
        )

        super().__init__(parent)
        self.setObjectName("record_header_dialog")
        self.setWindowTitle(_("Document header"))
        self._store = store
        self.file_number = named(QLineEdit(header.file_number), "record_file_number")
        self.file_number.setMaxLength(MAX_FILE_NUMBER)
        self.file_number.setPlaceholderText(_("e.g. 115/0105.02/1/7"))
        years = {"": _("By the rule"), PERMANENT: _("Permanent"),
                 **{str(y): _("{years} years").format(years=y) for y in _YEARS}}
        if header.retention not in years:
            years[header.retention] = _("{years} years").format(years=header.retention)
        self.retention = choice_combo("record_retention", years, header.retention)
        self.speed = choice_combo("record_speed", {k: _(v) for k, v in SPEEDS.items()},
                                  header.speed or ORDINARY)
        self.classification = choice_combo(
            "record_classification", {k: _(v) for k, v in CLASSIFICATIONS.items()},
            header.classification or OPEN)
        self.declassify = named(QLineEdit(header.declassify), "record_declassify")
        self.declassify.setMaxLength(MAX_DECLASSIFY)
        self.declassify.setPlaceholderText(_("e.g. declassified when the case is closed"))
        self._open = OPEN
        self._rule = (rules, most_serious)
        # Room for a 檔號 and a condition such as 「本案結案後解密」 without scrolling.
        self.declassify.setMinimumWidth(self.fontMetrics().horizontalAdvance("字" * 16))
        self.classification.currentIndexChanged.connect(self._classified)
        self.error = error_label("record_header_error")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("File number"), self.file_number)
        form.addRow(_("Retention"), self.retention)
        form.addRow(_("Urgency"), self.speed)
        form.addRow(_("Classification"), self.classification)
        form.addRow(_("Declassification condition or period"), self.declassify)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._classified()

    def _classified(self) -> None:
        """The condition is asked for only of a record marked 密 or above; the rule's
        retention is the one for the 密等 chosen."""
        self.declassify.setEnabled(self.classification.currentData() != self._open)
        rules, most_serious = self._rule
        if rules is not None:
            from models.playbook.records import RecordHeader, retention_label, retention_of

            given = retention_of(RecordHeader(classification=self.classification.currentData()),
                                 rules, most_serious=most_serious)
            self.retention.setItemText(self.retention.findData(""), _(
                "By the rule ({retention})").format(retention=retention_label(given)))

    def header(self) -> RecordHeader:
        from models.playbook.records import RecordHeader

        classified = self.declassify.isEnabled()
        return RecordHeader(self.file_number.text(), self.retention.currentData(),
                            self.speed.currentData(), self.classification.currentData(),
                            self.declassify.text() if classified else "")

    def accept(self) -> None:
        fields: dict[str, QWidget] = {
            "doc_file_number": self.file_number, "doc_retention": self.retention,
            "doc_speed": self.speed, "doc_classification": self.classification,
            "doc_declassify": self.declassify}

        def failed(exc: Exception) -> None:
            self.buttons.setEnabled(True)
            show_at_field(self, exc, self.error, fields)

        self.buttons.setEnabled(False)
        self._store(self.header(), lambda _result: QDialog.accept(self), failed)


def marked(title: str, classification: str) -> str:
    """*title* flagged with its record's classification ("【密】…") when marked 密 or above
    (models.playbook.records.flagged), as every list of records in the window shows it."""
    from models.playbook.records import flagged

    return flagged(title, classification)


class RecordHeaderBar(QWidget):
    """A record's badge, which flags it when marked 密 or above, and the button that opens its
    header's editor: the incident window's and the drills screen's, which say how their
    record's header is read and stored (`acts`). `dialog` is the editor last
    opened (for the tests)."""

    def __init__(self, ctx: AppContext, name: str, tooltip: str) -> None:
        """*name* names the badge and the button ("incident": incident_classification,
        incident_record_header); *tooltip* is the button's, untranslated (N_)."""
        super().__init__()
        self.ctx = ctx
        self._tooltip = tooltip
        self.badge = named(QLabel(), f"{name}_classification")
        self.badge.setStyleSheet(CLASSIFIED_STYLE)
        self.badge.hide()
        self.button = named(QPushButton(), f"{name}_record_header")
        self.button.clicked.connect(self.edit)
        self.button.setEnabled(False)
        self.dialog: RecordHeaderDialog | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.badge)
        layout.addWidget(self.button)

    def retranslate(self) -> None:
        self.button.setText(_("Document header…"))
        self.button.setToolTip(_(self._tooltip))

    def show_record(self, classification: str, editable: bool) -> None:
        """Flag the record shown by its *classification*; the button works when *editable*."""
        flag = marked("", classification).strip()
        self.badge.setText(flag)
        self.badge.setVisible(bool(flag))
        self.button.setEnabled(editable)

    def acts(self) -> tuple[Callable[[Database], Opening], Store]:
        """How the header of the record shown now is read (on the worker, with what the
        editor needs to name the rule's retention) and stored."""
        raise NotImplementedError

    def edit(self) -> None:
        """Read the stored header on the worker, then open its editor."""
        read, store = self.acts()
        self.ctx.worker.run("read_record_header", read,
                            lambda found: self._open(found, store))

    def _open(self, found: Opening, store: Store) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            return  # a second click read it again before the first editor showed
        header, rules, most_serious = found
        self.dialog = RecordHeaderDialog(self, header, store, rules, most_serious)
        self.dialog.open()
