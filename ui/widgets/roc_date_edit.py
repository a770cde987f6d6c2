"""A date field that speaks the ROC calendar.

Why a subclass: Qt 6.12 has no ROC calendar (QCalendar offers Gregorian, Julian, Milankovic,
Jalali and Islamic civil), and a display format cannot add 1911 to the year. Chinese users, like
every government form, write 民國115年12月31日 or 115/12/31; a Gregorian date field would make
them convert in their heads, which is how wrong dates get into an incident log.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import cast

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, QTimer
from PySide6.QtGui import QKeyEvent, QValidator
from PySide6.QtWidgets import QAbstractSpinBox, QDateEdit, QWidget

from i18n import current_language
from i18n.roc import ROC_OFFSET, RocDateError, format_roc_long, parse_roc_date
from ui.widgets.roc_calendar import RocCalendar

__all__ = ["RocDateEdit", "a_month_ahead", "py_date"]

# Everything that may appear while a date is being typed, after NFKC folding of full-width
# characters: digits, the separators of both short forms, and the words of the long form.
_TYPING = re.compile(r"[0-9 /.+\-中華民國元年月日]{0,24}")
# A Western date, ISO 8601 or with the "/" and "." separators people type: four digits of
# year never mean an ROC year (民國1000年 is in the 30th century).
_ISO = re.compile(
    r"(?P<year>[0-9]{4})(?P<sep>[-/.])(?P<month>[0-9]{1,2})(?P=sep)(?P<day>[0-9]{1,2})"
)
# The year, month and day fields of any displayed or typed form, in that order.
_FIELD = re.compile(r"[0-9０-９]+|元")

_FIRST_ROC_DATE = QDate(ROC_OFFSET + 1, 1, 1)


def py_date(day: QDate) -> date:
    """day.toPython(), typed: PySide6's stubs say toPython returns object."""
    return cast(date, day.toPython())


def a_month_ahead() -> QDate:
    """Where a new deadline starts (a corrective action's due date): a month from today, not
    Qt's default of 1 January 2000 (民國89年), which nobody means and a hurried user keeps."""
    return QDate.currentDate().addMonths(1)


class RocDateEdit(QDateEdit):
    """A QDateEdit that shows ROC dates ("民國115年12月31日") when the language is Traditional
    Chinese and ISO dates ("2026-12-31") in English, and reads what people type in either
    language: "民國115年12月31日", "115/12/31", "1151231", or a Western "2026-12-31". The
    language is read whenever the text is rendered, and a LanguageChange event re-renders it.

    QDateTimeEdit's own editing is built on the "sections" of its display format (year, month,
    day), found by position in the text. Our text follows no display format, so:
    - the display format is a single section ("yyyy"): QDateTimeEdit commits the text whenever
      the cursor moves into another section, which would throw away a half-typed date; with one
      section the whole text is that section and typing is left alone;
    - stepping (arrow keys, wheel, the spin buttons) is ours: the year, month or day under the
      cursor moves, as in Qt's own date edit;
    - fixup() keeps unfinished text, so leaving the field restores the last valid date
      (CorrectToPreviousValue) instead of the base class reinterpreting it;
    - keys are handled as in any spin box: QDateTimeEdit would turn Ctrl+Left/Right into
      jumps between sections, which here means leaving the field;
    - clear() empties the field instead of blanking a section by position;
    - a click selects the year, month or day under the pointer, as Qt's own date edit
      overwrites a section: typing 116 after a click on 89 makes 民國116年, where inserting at
      the click made 民國1189年.

    The earliest date is 民國元年1月1日 (1912-01-01); the calendar popup names its year the
    same way (RocCalendar).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setCalendarWidget(RocCalendar(self))
        self.lineEdit().installEventFilter(self)
        # One section: see the class docstring. Set explicitly, so the locale's default
        # (several sections) never applies.
        self.setDisplayFormat("yyyy")
        self.setMinimumDate(_FIRST_ROC_DATE)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)

    # --- text <-> date -------------------------------------------------------------------

    def textFromDateTime(self, dt: QDateTime) -> str:
        """Render the date in the current language."""
        day = py_date(dt.date())
        # A caller may have lowered the minimum below 1912, where no ROC year exists.
        if current_language() == "zh_TW" and day >= py_date(_FIRST_ROC_DATE):
            return format_roc_long(day)
        return day.isoformat()

    def dateTimeFromText(self, text: str) -> QDateTime:
        """Read the typed text; Qt calls this only once validate() accepted it, and anything
        else keeps the current value."""
        day = self._parse(text)
        result = QDateTime(self.dateTime())
        if day is not None:
            result.setDate(QDate(day.year, day.month, day.day))
        return result

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        """Acceptable: a valid date within the range. Intermediate: characters that could
        still become one, so typing "115/1" on the way to "115/12/31" is allowed. Invalid:
        anything else, and the keystroke is refused."""
        day = self._parse(text)
        lowest, highest = py_date(self.minimumDate()), py_date(self.maximumDate())
        if day is not None and lowest <= day <= highest:
            state = QValidator.State.Acceptable
        elif _TYPING.fullmatch(unicodedata.normalize("NFKC", text)):
            state = QValidator.State.Intermediate
        else:
            state = QValidator.State.Invalid
        return state, text, pos

    def fixup(self, text: str) -> str:
        """Leave unfinished text alone: the base class would reinterpret it by the display
        format; with CorrectToPreviousValue the last valid date comes back instead."""
        return text

    # --- stepping --------------------------------------------------------------------------

    def stepBy(self, steps: int) -> None:
        """Step the field under the cursor (year, month or day, as Qt's own date edit does) and
        select it, so repeated arrow keys keep stepping the same field."""
        field = self._field_at(self.lineEdit().cursorPosition())
        current = self.date()
        if field == 0:
            self.setDate(current.addYears(steps))
        elif field == 1:
            self.setDate(current.addMonths(steps))
        else:
            self.setDate(current.addDays(steps))
        fields = self._fields()
        if field < len(fields):
            start, end = fields[field]
            self.lineEdit().setSelection(start, end - start)

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        """Up and down are offered unless the date sits at the end of the range."""
        flags = QAbstractSpinBox.StepEnabledFlag.StepNone
        if self.isReadOnly():
            return flags
        if self.date() < self.maximumDate():
            flags |= QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
        if self.date() > self.minimumDate():
            flags |= QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        return flags

    # --- editing that QDateTimeEdit bases on sections -------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Typing edits, Enter commits, Up/Down and Page Up/Down step through stepBy()."""
        QAbstractSpinBox.keyPressEvent(self, event)

    def clear(self) -> None:
        """Empty the field (the base class blanks a section by position)."""
        QAbstractSpinBox.clear(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """A click in the text (not a drag, which selects what it covers) selects the field
        under the pointer, once the line edit has placed its cursor there."""
        if (watched is self.lineEdit() and event.type() == QEvent.Type.MouseButtonRelease
                and not self.lineEdit().hasSelectedText()):
            QTimer.singleShot(0, self._select_field_at_cursor)
        return super().eventFilter(watched, event)

    def _select_field_at_cursor(self) -> None:
        fields = self._fields()
        field = self._field_at(self.lineEdit().cursorPosition())
        if field < len(fields) and not self.lineEdit().hasSelectedText():
            start, end = fields[field]
            self.lineEdit().setSelection(start, end - start)

    def changeEvent(self, event: QEvent) -> None:
        """Re-render in the new language when the application's language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self._rerender()
        super().changeEvent(event)

    # --- helpers ---------------------------------------------------------------------------

    def _rerender(self) -> None:
        # Setting the special-value text (unchanged) is the public way to make Qt drop its
        # cached text and size hint and render the value again through textFromDateTime();
        # the size matters because the Chinese text is wider than the ISO one.
        self.setSpecialValueText(self.specialValueText())
        self.updateGeometry()

    @staticmethod
    def _parse(text: str) -> date | None:
        """The date `text` means, or None: a four-digit year is Western, anything else an
        ROC date, whatever the language shown (an office types both)."""
        match = _ISO.fullmatch(unicodedata.normalize("NFKC", text).strip())
        try:
            if match is not None:
                return date(int(match["year"]), int(match["month"]), int(match["day"]))
            return parse_roc_date(text)
        except (ValueError, RocDateError):  # RocDateError is a ValueError; named for the reader
            return None

    def _fields(self) -> list[tuple[int, int]]:
        """Start and end of the year, month and day in the displayed text."""
        return [match.span() for match in _FIELD.finditer(self.lineEdit().text())][:3]

    def _field_at(self, position: int) -> int:
        """0, 1 or 2 for the year, month or day at or just before `position`; the day when
        the cursor is past all of them."""
        for index, (_start, end) in enumerate(self._fields()):
            if position <= end:
                return index
        return 2
