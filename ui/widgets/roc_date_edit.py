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

from PySide6.QtCore import QDate, QDateTime, QEvent
from PySide6.QtGui import QFocusEvent, QKeyEvent, QValidator
from PySide6.QtWidgets import QAbstractSpinBox, QDateEdit, QWidget

from i18n import current_language
from i18n.roc import ROC_OFFSET, RocDateError, format_roc_long, parse_roc_date

__all__ = ["RocDateEdit"]

# Everything that may appear while a date is being typed, after NFKC folding of full-width
# characters: digits, the separators of both short forms, and the words of the long form.
_TYPING = re.compile(r"[0-9 /.+\-中華民國元年月日]{0,24}")
# English: ISO 8601, also tolerating the "/" and "." separators people type.
_ISO = re.compile(r"(?P<year>[0-9]{4})(?P<sep>[-/.])(?P<month>[0-9]{1,2})(?P=sep)(?P<day>[0-9]{1,2})")
# The year, month and day fields of any displayed or typed form, in that order.
_FIELD = re.compile(r"[0-9０-９]+|元")

_FIRST_ROC_DATE = QDate(ROC_OFFSET + 1, 1, 1)


class RocDateEdit(QDateEdit):
    """A QDateEdit that shows and reads ROC dates ("民國115年12月31日", typed also as
    "115/12/31") when the language is Traditional Chinese, and ISO dates ("2026-12-31") in
    English. The language is read whenever the text is rendered, and a LanguageChange event
    re-renders it.

    QDateTimeEdit's own editing is built on "sections" located by its display format; our text
    does not follow any display format, so everything that relies on them is replaced: the text
    conversions and validation, arrow-key stepping (the year, month or day under the cursor),
    focus and Tab handling (Tab leaves the field), fixup (an unfinished date reverts to the last
    valid one) and clear().

    The earliest date is 民國元年1月1日 (1912-01-01); the calendar popup is on.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        # Fixed so that the system locale's format cannot change the base class's behaviour.
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(_FIRST_ROC_DATE)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)

    # --- text <-> date -------------------------------------------------------------------

    def textFromDateTime(self, dt: QDateTime) -> str:  # noqa: N802 - Qt override
        """Render the date in the current language."""
        day = dt.date().toPython()
        # A caller may have lowered the minimum below 1912, where no ROC year exists.
        if current_language() == "zh_TW" and day >= _FIRST_ROC_DATE.toPython():
            return format_roc_long(day)
        return day.isoformat()

    def dateTimeFromText(self, text: str) -> QDateTime:  # noqa: N802 - Qt override
        """Read the typed text; Qt calls this only once validate() accepted it, and anything
        else keeps the current value."""
        day = self._parse(text)
        result = QDateTime(self.dateTime())
        if day is not None:
            result.setDate(QDate(day))
        return result

    def validate(self, input: str, pos: int) -> tuple[QValidator.State, str, int]:  # noqa: A002
        """Acceptable: a valid date within the range. Intermediate: characters that could
        still become one, so typing "115/1" on the way to "115/12/31" is allowed. Invalid:
        anything else, and the keystroke is refused."""
        day = self._parse(input)
        if day is not None and self.minimumDate().toPython() <= day <= self.maximumDate().toPython():
            state = QValidator.State.Acceptable
        elif _TYPING.fullmatch(unicodedata.normalize("NFKC", input)):
            state = QValidator.State.Intermediate
        else:
            state = QValidator.State.Invalid
        return state, input, pos

    def fixup(self, input: str) -> str:  # noqa: A002
        """Leave unfinished text alone: the base class would reinterpret it by the display
        format; with CorrectToPreviousValue the last valid date comes back instead."""
        return input

    # --- stepping --------------------------------------------------------------------------

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt override
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

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:  # noqa: N802 - Qt override
        """Up and down are offered unless the date sits at the end of the range."""
        flags = QAbstractSpinBox.StepEnabledFlag.StepNone
        if self.isReadOnly():
            return flags
        if self.date() < self.maximumDate():
            flags |= QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
        if self.date() > self.minimumDate():
            flags |= QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        return flags

    # --- editing behaviour that QDateTimeEdit bases on sections ----------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Plain spin-box keys: typing inserts (no jumping between sections on "/"), Enter
        commits and selects all, arrows step through stepBy()."""
        QAbstractSpinBox.keyPressEvent(self, event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        """Tab into the field selects the whole date, ready to be typed over."""
        QAbstractSpinBox.focusInEvent(self, event)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 - Qt override
        """Tab moves to the next widget rather than to the next section."""
        return QAbstractSpinBox.focusNextPrevChild(self, next)

    def clear(self) -> None:
        """Empty the field (the base class blanks a section by position)."""
        QAbstractSpinBox.clear(self)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """Re-render in the new language when the application's language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self._rerender()
        super().changeEvent(event)

    # --- helpers ---------------------------------------------------------------------------

    def _rerender(self) -> None:
        # Re-setting the display format makes Qt drop its cached text and size hint (the
        # Chinese text is wider) and render the value again through textFromDateTime().
        self.setDisplayFormat(self.displayFormat() + " ")
        self.setDisplayFormat("yyyy-MM-dd")

    @staticmethod
    def _parse(text: str) -> date | None:
        """The date `text` means in the current language, or None."""
        if current_language() == "zh_TW":
            try:
                return parse_roc_date(text)
            except RocDateError:
                return None
        match = _ISO.fullmatch(unicodedata.normalize("NFKC", text).strip())
        if match is None:
            return None
        try:
            return date(int(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError:
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
