"""When something happened: an ROC date, a time of day, and a Now button.

Incidents are logged during the event and after it ("the secretary was called at 14:05"), so
every act offers its own event time, defaulting to now, next to the time it was entered.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTimeEdit, QWidget

from i18n import _
from ui.widgets.roc_date_edit import RocDateEdit


class EventTimeEdit(QWidget):
    """A date and time in the user's zone; `value()` gives the moment in UTC."""

    def __init__(self, timezone: str, parent: QWidget | None = None, name: str = "when") -> None:
        super().__init__(parent)
        self.zone = ZoneInfo(timezone)
        self.date = RocDateEdit()
        self.date.setObjectName(f"{name}_date")
        self.time = QTimeEdit(objectName=f"{name}_time")
        self.time.setDisplayFormat("HH:mm")
        self.now_button = QPushButton(objectName=f"{name}_now")
        self.now_button.clicked.connect(self.set_now)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.date, 2)
        layout.addWidget(self.time, 1)
        layout.addWidget(self.now_button)
        self.set_now()
        self.retranslate()

    def retranslate(self) -> None:
        self.now_button.setText(_("Now"))

    def set_now(self) -> None:
        self.set_value(datetime.now(UTC))

    def set_value(self, moment: datetime) -> None:
        local = moment.astimezone(self.zone)
        self.date.setDate(QDate(local.year, local.month, local.day))
        self.time.setTime(QTime(local.hour, local.minute))

    def value(self) -> datetime:
        d, t = self.date.date(), self.time.time()
        local = datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=self.zone)
        return local.astimezone(UTC)
