"""RocDateEdit: ROC dates in Chinese, ISO dates in English, and typing that works.

Chinese text is set with setText: qtbot.keyClicks with non-ASCII text aborts the whole pytest
process (see DESIGN.md, "Known pitfalls"); ASCII is typed with keyClicks.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from i18n import set_language
from ui.widgets.roc_date_edit import RocDateEdit


def make_edit(qtbot: QtBot, day: QDate = QDate(2026, 11, 24)) -> RocDateEdit:
    edit = RocDateEdit()
    qtbot.addWidget(edit)
    edit.setDate(day)
    return edit


def type_over(qtbot: QtBot, edit: RocDateEdit, text: str) -> None:
    """Select the field's text and type ASCII `text` over it, then press Enter."""
    edit.lineEdit().selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_shows_roc_long_form(qtbot: QtBot) -> None:
    edit = make_edit(qtbot)
    assert edit.text() == "民國115年11月24日"
    assert edit.calendarPopup()
    assert edit.minimumDate() == QDate(1912, 1, 1)
    edit.setDate(QDate(1912, 1, 1))
    assert edit.text() == "民國元年1月1日"


def test_set_text_in_chinese(qtbot: QtBot) -> None:
    edit = make_edit(qtbot)
    edit.lineEdit().setText("民國115年12月31日")
    assert edit.date() == QDate(2026, 12, 31)
    edit.lineEdit().setText("１１３／２／２９")
    assert edit.date() == QDate(2024, 2, 29)


def test_typing_the_short_form(qtbot: QtBot) -> None:
    edit = make_edit(qtbot)
    type_over(qtbot, edit, "115/12/31")
    assert edit.date() == QDate(2026, 12, 31)
    assert edit.text() == "民國115年12月31日"
    type_over(qtbot, edit, "113-2-29")
    assert edit.date() == QDate(2024, 2, 29)


def test_typing_from_an_empty_field(qtbot: QtBot) -> None:
    edit = make_edit(qtbot)
    edit.clear()
    assert edit.text() == ""
    qtbot.keyClicks(edit, "114.1.1")
    assert edit.date() == QDate(2025, 1, 1)


def test_editing_in_the_middle(qtbot: QtBot) -> None:
    edit = make_edit(qtbot, QDate(2026, 12, 31))
    edit.lineEdit().setCursorPosition(len("民國115年12"))
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert edit.date() == QDate(2026, 1, 31)
    qtbot.keyClicks(edit, "0")
    assert edit.date() == QDate(2026, 10, 31)
    assert edit.text() == "民國115年10月31日"


def test_validation_states(qtbot: QtBot) -> None:
    edit = make_edit(qtbot)
    acceptable, intermediate, invalid = (
        QValidator.State.Acceptable,
        QValidator.State.Intermediate,
        QValidator.State.Invalid,
    )
    assert edit.validate("民國115年12月31日", 0)[0] == acceptable
    assert edit.validate("115/12/31", 0)[0] == acceptable
    assert edit.validate("115/1", 0)[0] == intermediate
    assert edit.validate("民國115年", 0)[0] == intermediate
    assert edit.validate("112/2/29", 0)[0] == intermediate
    assert edit.validate("", 0)[0] == intermediate
    assert edit.validate("abc", 0)[0] == invalid
    assert edit.validate("115/12/31 x", 0)[0] == invalid


def test_letters_are_refused(qtbot: QtBot) -> None:
    edit = make_edit(qtbot)
    edit.lineEdit().end(False)
    qtbot.keyClicks(edit, "x")
    assert edit.text() == "民國115年11月24日"


def test_unfinished_date_reverts_on_enter(qtbot: QtBot) -> None:
    edit = make_edit(qtbot)
    edit.lineEdit().setText("112/2/29")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.date() == QDate(2026, 11, 24)
    assert edit.text() == "民國115年11月24日"


def test_arrow_keys_step_the_field_under_the_cursor(qtbot: QtBot) -> None:
    edit = make_edit(qtbot, QDate(2025, 12, 31))
    edit.lineEdit().setCursorPosition(len("民國11"))
    qtbot.keyClick(edit, Qt.Key.Key_Up)
    assert edit.date() == QDate(2026, 12, 31)
    assert edit.lineEdit().selectedText() == "115"
    qtbot.keyClick(edit, Qt.Key.Key_Up)
    assert edit.date() == QDate(2027, 12, 31)
    edit.lineEdit().setCursorPosition(len("民國116年12"))
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    assert edit.date() == QDate(2027, 11, 30)
    edit.lineEdit().end(False)
    qtbot.keyClick(edit, Qt.Key.Key_Up)
    assert edit.date() == QDate(2027, 12, 1)


def test_no_stepping_below_the_first_roc_day(qtbot: QtBot) -> None:
    edit = make_edit(qtbot, QDate(1912, 1, 1))
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    assert edit.date() == QDate(1912, 1, 1)


def test_tab_selects_all_and_typing_replaces_it(qtbot: QtBot) -> None:
    form = QWidget()
    qtbot.addWidget(form)
    layout = QVBoxLayout(form)
    before, edit, after = QLineEdit(), RocDateEdit(), QLineEdit()
    for widget in (before, edit, after):
        layout.addWidget(widget)
    edit.setDate(QDate(2026, 11, 24))
    form.show()
    form.activateWindow()
    qtbot.waitActive(form)
    before.setFocus()
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    qtbot.waitUntil(edit.hasFocus)
    assert edit.lineEdit().selectedText() == "民國115年11月24日"
    qtbot.keyClicks(edit, "115/12/31")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    qtbot.waitUntil(after.hasFocus)
    assert edit.date() == QDate(2026, 12, 31)
    assert edit.text() == "民國115年12月31日"


def test_english_shows_iso(qtbot: QtBot) -> None:
    set_language("en")
    edit = make_edit(qtbot)
    assert edit.text() == "2026-11-24"
    type_over(qtbot, edit, "2026-12-31")
    assert edit.date() == QDate(2026, 12, 31)
    type_over(qtbot, edit, "115/12/05")  # an office types ROC dates in English too
    assert edit.date() == QDate(2026, 12, 5) and edit.text() == "2026-12-05"


def test_language_change_rerenders(qtbot: QtBot) -> None:
    edit = make_edit(qtbot)
    chinese_width = edit.sizeHint().width()
    set_language("en")
    QApplication.sendEvent(edit, QEvent(QEvent.Type.LanguageChange))
    assert edit.text() == "2026-11-24"
    assert edit.sizeHint().width() < chinese_width
    set_language("zh_TW")
    QApplication.sendEvent(edit, QEvent(QEvent.Type.LanguageChange))
    assert edit.text() == "民國115年11月24日"


def test_every_way_an_office_types_a_date(qtbot: QtBot) -> None:
    edit = make_edit(qtbot)
    for typed in ("115/12/05", "1151205", "2026-12-05", "2026/12/05"):
        edit.setDate(QDate(2026, 11, 24))
        type_over(qtbot, edit, typed)
        assert edit.date() == QDate(2026, 12, 5), typed
        assert edit.text() == "民國115年12月5日"
    edit.lineEdit().setText("民國115年12月6日")
    assert edit.date() == QDate(2026, 12, 6)
    assert edit.validate("2026/13/05", 0)[0] != QValidator.State.Acceptable


def test_a_click_on_the_year_then_typing_replaces_the_year(qtbot: QtBot) -> None:
    """A click between the digits of 89 followed by 116 once gave 民國1189年."""
    form = QWidget()
    qtbot.addWidget(form)
    layout = QVBoxLayout(form)
    before, edit = QLineEdit(), RocDateEdit()
    layout.addWidget(before)
    layout.addWidget(edit)
    edit.setDate(QDate(2000, 1, 1))
    form.show()
    form.activateWindow()
    qtbot.waitActive(form)
    before.setFocus()
    qtbot.waitUntil(before.hasFocus)
    line = edit.lineEdit()
    line.setCursorPosition(len("民國8"))
    point = line.cursorRect().center()
    line.setCursorPosition(0)
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: line.selectedText() == "89")
    qtbot.keyClicks(edit, "116")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.date() == QDate(2027, 1, 1)
    assert edit.text() == "民國116年1月1日"


def test_the_calendar_names_the_roc_year(qtbot: QtBot) -> None:
    edit = make_edit(qtbot, QDate(2026, 12, 5))
    calendar = edit.calendarWidget()
    assert calendar.selectedDate() == QDate(2026, 12, 5)
    year = calendar.findChild(QWidget, "roc_calendar_year")
    month = calendar.findChild(QWidget, "roc_calendar_month")
    assert year.text() == "民國115年" and month.currentText() == "12月"
    qtbot.mouseClick(calendar.findChild(QWidget, "roc_calendar_next"), Qt.MouseButton.LeftButton)
    assert year.text() == "民國116年" and month.currentText() == "1月"
    year.lineEdit().selectAll()
    qtbot.keyClicks(year, "120")
    qtbot.keyClick(year, Qt.Key.Key_Return)
    assert calendar.yearShown() == 2031 and year.text() == "民國120年"
    set_language("en")
    QApplication.sendEvent(calendar, QEvent(QEvent.Type.LanguageChange))
    assert year.text() == "2031" and month.currentText() == "January"
