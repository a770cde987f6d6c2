"""The playbook editor's tab for the office's records (models.playbook.records): the default
保存年限 of a record no special case covers (a case at the first level, a national secret: those
are kept permanently whatever it says).

Like the drill rules' tab it edits the playbook's file shape (the ``records`` object), so the
parser checks it on Save and its error path (``records.retention_years``) leads back here; the
default (10 years) is not written, as the parser does not write it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from i18n import N_, _
from models.playbook.records import DEFAULT_RETENTION_YEARS, MAX_RETENTION_YEARS, RECORDS_KEY
from ui.runtime.naming import named

PATH = RECORDS_KEY
"""The parser's path of the tab's object."""
TITLE = N_("Records")


class RecordsTab(QWidget):
    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__()
        self.setObjectName("tab_records")
        self._data = data
        self.intro = named(QLabel(), "records_intro")
        self.intro.setWordWrap(True)
        self.retention = named(QSpinBox(), "records_retention_years")
        self.retention.setRange(1, MAX_RETENTION_YEARS)
        self.caption = QLabel()
        self.caption.setBuddy(self.retention)
        form = QFormLayout()
        form.addRow(self.caption, self.retention)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addStretch(1)
        records = data.get(RECORDS_KEY, {})
        years = records.get("retention_years") if isinstance(records, dict) else None
        self.retention.setValue(years if isinstance(years, int) else DEFAULT_RETENTION_YEARS)

    def store(self) -> None:
        """Write the field into the playbook: no ``records`` at the default."""
        if self.retention.value() == DEFAULT_RETENTION_YEARS:
            self._data.pop(RECORDS_KEY, None)
        else:
            self._data[RECORDS_KEY] = {"retention_years": self.retention.value()}

    def retranslate(self) -> None:
        self.intro.setText(_(
            "The retention (保存年限) printed on the forms of an incident or a drill whose own "
            "retention nobody chose. A case at the playbook's first level (a major public "
            "opinion case, say) and a record classified confidential or above are kept "
            "permanently whatever this says."))
        self.caption.setText(_("Default retention:"))
        self.retention.setSuffix(_(" years"))
