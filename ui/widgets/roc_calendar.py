"""The calendar that drops down from a date field, with its year in the ROC calendar.

Why: QCalendarWidget's navigation bar names the year the Western way ("1月 2000") and Qt has no
ROC calendar to give it. A user who reads 民國 in the field and 2000 in its calendar has to
convert in their head, which is how a deadline lands in the wrong year. The month grid itself
names no year, so only the navigation bar is replaced: previous and next month, the month, and
the year as 民國115年 (in English, 2026).
"""

from __future__ import annotations

import calendar

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QHBoxLayout,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from i18n import current_language
from i18n.roc import ROC_OFFSET
from ui.runtime.naming import named

__all__ = ["RocCalendar"]


class RocYearBox(QSpinBox):
    """A Gregorian year, shown and typed as an ROC year in Chinese ("民國115年" or "115")."""

    def textFromValue(self, value: int) -> str:  # noqa: N802 (Qt's name)
        if current_language() == "zh_TW" and value > ROC_OFFSET:
            return f"民國{value - ROC_OFFSET}年"
        return str(value)

    def valueFromText(self, text: str) -> int:  # noqa: N802 (Qt's name)
        digits = "".join(c for c in text if c.isdigit())
        if not digits:
            return self.value()
        number = int(digits)
        return number + ROC_OFFSET if current_language() == "zh_TW" else number

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        stripped = text.replace("民國", "").replace("年", "").strip()
        if not stripped:
            return QValidator.State.Intermediate, text, pos
        if not stripped.isdigit():
            return QValidator.State.Invalid, text, pos
        value = self.valueFromText(text)
        state = (QValidator.State.Acceptable if self.minimum() <= value <= self.maximum()
                 else QValidator.State.Intermediate)
        return state, text, pos


class RocCalendar(QCalendarWidget):
    """A QCalendarWidget whose navigation bar shows the ROC year in Chinese."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setNavigationBarVisible(False)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.bar = bar = named(QWidget(self), "roc_calendar_bar")
        self.previous_month = named(QToolButton(bar), "roc_calendar_previous")
        self.previous_month.setArrowType(Qt.ArrowType.LeftArrow)
        self.previous_month.setAutoRaise(True)
        self.previous_month.clicked.connect(self.showPreviousMonth)
        self.next_month = named(QToolButton(bar), "roc_calendar_next")
        self.next_month.setArrowType(Qt.ArrowType.RightArrow)
        self.next_month.setAutoRaise(True)
        self.next_month.clicked.connect(self.showNextMonth)
        self.month = named(QComboBox(bar), "roc_calendar_month")
        self.month.addItems([""] * 12)
        self.month.activated.connect(
            lambda index: self.setCurrentPage(self.yearShown(), index + 1))
        self.year = named(RocYearBox(bar), "roc_calendar_year")
        self.year.setRange(ROC_OFFSET + 1, 9999)
        self.year.setKeyboardTracking(False)
        self.year.valueChanged.connect(
            lambda year: self.setCurrentPage(year, self.monthShown()))
        row = QHBoxLayout(bar)
        row.setContentsMargins(4, 2, 4, 2)
        row.addWidget(self.previous_month)
        row.addStretch(1)
        row.addWidget(self.year)
        row.addWidget(self.month)
        row.addStretch(1)
        row.addWidget(self.next_month)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)  # QCalendarWidget lays out its bar and grid so
        layout.insertWidget(0, bar)
        self.currentPageChanged.connect(self._show_page)
        self._retranslate()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """The grid's size plus our bar: QCalendarWidget counts only its own navigation bar,
        hidden here, and the date field's popup takes this size (the last week was cut)."""
        return self._with_bar(super().sizeHint())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self._with_bar(super().minimumSizeHint())

    def _with_bar(self, grid: QSize) -> QSize:
        bar = self.bar.sizeHint()
        return QSize(max(grid.width(), bar.width()), grid.height() + bar.height())

    def _show_page(self, year: int, month: int) -> None:
        self.year.blockSignals(True)
        self.year.setValue(year)
        self.year.blockSignals(False)
        self.month.setCurrentIndex(month - 1)

    def _retranslate(self) -> None:
        chinese = current_language() == "zh_TW"
        for index in range(12):
            # calendar.month_name is the C locale's, English whatever the system's locale.
            self.month.setItemText(index, f"{index + 1}月" if chinese
                                   else calendar.month_name[index + 1])
        self.year.setSpecialValueText("")  # drops the cached text: rendered again below
        self._show_page(self.yearShown(), self.monthShown())
        self.year.lineEdit().setText(self.year.textFromValue(self.year.value()))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
