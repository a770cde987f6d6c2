"""When something happened: an ROC date, a time of day, and a Now button.

Incidents are logged during the event and after it ("the secretary was called at 14:05"), so
every act offers its own event time next to the time it was entered.

A time nobody has set follows the clock. Panels of the incident's pages (the plan's
confirmation, progress reports, notes) are built once and stay on screen for hours; a time
fixed when the page was built stamped a plan confirmed at 08:03 with 08:01, before the meeting
it followed. So until the user edits the date or the time (or a stored value is shown), the
field shows the current minute and `value()` is the moment it is read; the Now button, and
`set_now()` after an act, make it follow the clock again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QTime, QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QPushButton, QTimeEdit, QWidget

from i18n import _
from ui.runtime.naming import named
from ui.widgets.roc_date_edit import RocDateEdit


class EventTimeEdit(QWidget):
    """A date and time in the user's zone; `value()` gives the moment in UTC."""

    def __init__(self, timezone: str, parent: QWidget | None = None, name: str = "when") -> None:
        super().__init__(parent)
        self.zone = ZoneInfo(timezone)
        self.date = RocDateEdit()
        self.date.setObjectName(f"{name}_date")
        self.time = named(QTimeEdit(), f"{name}_time")
        self.time.setDisplayFormat("HH:mm")
        self.now_button = named(QPushButton(), f"{name}_now")
        self.now_button.clicked.connect(self.set_now)
        self._following = True
        self._showing = False  # our own setDate/setTime, not the user's
        self.date.dateChanged.connect(self._edited)
        self.time.timeChanged.connect(self._edited)
        self._tick = QTimer(self)
        self._tick.setSingleShot(True)
        self._tick.timeout.connect(self._follow)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.date, 2)
        layout.addWidget(self.time, 1)
        layout.addWidget(self.now_button)
        self.set_now()
        self.retranslate()

    def retranslate(self) -> None:
        self.now_button.setText(_("Now"))

    @property
    def following(self) -> bool:
        """True while the field shows the clock rather than a time the user or a record set."""
        return self._following

    def set_now(self) -> None:
        """Show the current minute and follow the clock until the user edits the field."""
        self._show(datetime.now(UTC))
        self._following = True
        self._schedule()

    def set_value(self, moment: datetime) -> None:
        """Show *moment* (a stored time); the field no longer follows the clock."""
        self._show(moment)
        self._following = False
        self._tick.stop()

    def value(self) -> datetime:
        """The moment shown, in UTC; while following the clock, the moment of reading."""
        if self._following:
            return datetime.now(UTC)
        d, t = self.date.date(), self.time.time()
        local = datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=self.zone)
        return local.astimezone(UTC)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._follow()

    def hideEvent(self, event: QHideEvent) -> None:
        self._tick.stop()  # a hidden field need not tick; showing it catches up at once
        super().hideEvent(event)

    def _show(self, moment: datetime) -> None:
        local = moment.astimezone(self.zone)
        self._showing = True
        try:
            self.date.setDate(QDate(local.year, local.month, local.day))
            self.time.setTime(QTime(local.hour, local.minute))
        finally:
            self._showing = False

    def _edited(self) -> None:
        if not self._showing:
            self._following = False
            self._tick.stop()

    def _follow(self) -> None:
        """Bring the shown minute up to date, unless the user is in the field."""
        if not self._following:
            return
        focus = QApplication.focusWidget()
        if focus is None or not self.isAncestorOf(focus):
            self._show(datetime.now(UTC))
        self._schedule()

    def _schedule(self) -> None:
        """Wake at the next minute, while visible."""
        if self._following and self.isVisible():
            now = datetime.now(UTC)
            self._tick.start(int((60 - now.second) * 1000 - now.microsecond // 1000) + 50)
