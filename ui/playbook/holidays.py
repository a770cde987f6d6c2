"""The planning group's small dialog for the office's holidays (models/playbook/holidays.py):
the days the working-day clocks of legislators' inquiries skip. Saved as a new version of the
playbook like any other edit, with a reason.

It ships empty on purpose: the official calendar (行政院人事行政總處's 政府行政機關辦公日曆表)
is published each year, and the dialog says where the dates come from rather than inventing
them."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from i18n import _
from i18n.formatting import format_date, local_date
from models.playbook.holidays import MAX_NAME, Holiday
from models.playbook.model import Playbook
from models.playbook.store import MAX_REASON
from models.playbook.versions import VersionInfo
from models.storage.db import utcnow
from ui.playbook.save import PlaybookSaveDialog
from ui.runtime.context import AppContext
from ui.runtime.feedback import error_label, show_at_field
from ui.runtime.naming import named
from ui.widgets.roc_date_edit import RocDateEdit, py_date


class HolidaysDialog(PlaybookSaveDialog):
    """Add and remove the office's holidays; Save makes a new playbook version."""

    def __init__(self, ctx: AppContext, version: VersionInfo, playbook: Playbook,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, version, playbook, parent)
        self.setObjectName("holidays_dialog")
        self.setWindowTitle(_("Office holidays"))
        self.holidays: list[Holiday] = list(playbook.holidays)
        note = named(QLabel(_(
            "The clocks of legislators' inquiries count working days: they skip weekends and "
            "the days listed here. The list ships empty: enter each year's holidays and "
            "adjusted days off from the Directorate-General of Personnel Administration's "
            "office calendar (政府行政機關辦公日曆表).")), "holidays_note")
        note.setWordWrap(True)
        self.table = named(QTableWidget(0, 2), "holidays_table")
        self.table.setHorizontalHeaderLabels([_("Date"), _("Holiday")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.day = named(RocDateEdit(), "holidays_day")
        today = local_date(utcnow(), ctx.settings.timezone)
        self.day.setDate(QDate(today.year, today.month, today.day))
        self.name = named(QLineEdit(), "holidays_name")
        self.name.setMaxLength(MAX_NAME)
        self.name.setPlaceholderText(_("e.g. Lunar New Year"))
        self.add_button = named(QPushButton(_("Add")), "holidays_add")
        self.add_button.clicked.connect(self.add)
        self.remove_button = named(QPushButton(_("Remove")), "holidays_remove")
        self.remove_button.clicked.connect(self.remove)
        self.reason = named(QLineEdit(), "reason")
        self.reason.setMaxLength(MAX_REASON)
        self.reason.setPlaceholderText(_("Reason for the change"))
        self.error = error_label("holidays_error")
        self.save_button = named(QPushButton(_("&Save as new version")), "save")
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        cancel = named(QPushButton(_("Cancel")), "cancel")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        adding = QHBoxLayout()
        for widget in (self.day, self.name, self.add_button, self.remove_button):
            adding.addWidget(widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reason, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(adding)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self._fill()
        self.resize(560, 480)

    def _fill(self) -> None:
        self.holidays.sort(key=lambda h: h.day)
        self.table.setRowCount(len(self.holidays))
        for row, holiday in enumerate(self.holidays):
            self.table.setItem(row, 0, QTableWidgetItem(format_date(holiday.day, long=True)))
            self.table.setItem(row, 1, QTableWidgetItem(holiday.name))

    def add(self) -> None:
        """Add the day with its name; a day listed already, or one without a name, is
        refused in the dialog's red line."""
        day, name = py_date(self.day.date()), self.name.text().strip()
        self.error.hide()
        if not name:
            self.error.setText(_("Give the holiday's name."))
        elif any(h.day == day for h in self.holidays):
            self.error.setText(_("That day is listed already."))
        else:
            self.holidays.append(Holiday(day, name))
            self._fill()
            self.name.clear()
            return
        self.error.show()
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def remove(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.holidays):
            del self.holidays[row]
            self._fill()

    def save(self) -> None:
        self.error.hide()
        self.submit("save_holidays", replace(self.playbook, holidays=tuple(self.holidays)),
                    self.reason.text())

    def is_modified(self) -> bool:
        return tuple(sorted(self.holidays, key=lambda h: h.day)) != self.playbook.holidays

    def discard_question(self) -> str:
        return _("Your changes to the holidays are not saved. Discard them?")

    def show_save_error(self, exc: Exception) -> None:
        show_at_field(self, exc, self.error, {"reason": self.reason})
