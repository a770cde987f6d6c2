"""The first-run dialog, driven as a user would: defaults, a missing name, another office's
units, a live language switch, and the validated settings it hands back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from models.org.it_defaults import DEFAULTS_FILE, load_it_defaults
from models.org.people import Role
from models.org.settings import Settings
from tests.helpers import private_catalog, snap
from ui.runtime.language import apply_language
from ui.settings.first_run import FirstRunDialog

# A few zh_TW translations of our own, so the live switch is visible whatever state the
# project's catalog is in.
ZH = {
    "Welcome to CrisisDesk": "歡迎使用 CrisisDesk",
    "Start": "開始",
    "&Name:": "姓名(&N)：",
    "Planning group": "策劃組",
    "Enter your name.": "請輸入姓名。",
}


@pytest.fixture
def zh_catalog(tmp_path: Path) -> Iterator[None]:
    with private_catalog(tmp_path / "locale", ZH):
        yield


@pytest.fixture
def dialog(qtbot, zh_catalog: None) -> Iterator[FirstRunDialog]:  # type: ignore[no-untyped-def]
    """The dialog wired like ui.app.ask_first_run: the language combo previews live."""
    apply_language("zh_TW")
    shown = FirstRunDialog(Settings(user_name="王小明"))

    def preview(code: str) -> None:
        apply_language(code)
        shown.retranslate()

    shown.language_picked.connect(preview)
    qtbot.addWidget(shown)
    shown.show()
    yield shown
    apply_language("zh_TW")


def ok_button(dialog: FirstRunDialog):  # type: ignore[no-untyped-def]
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def combo(dialog: FirstRunDialog, name: str) -> QComboBox:
    found = dialog.findChild(QComboBox, name)
    assert found is not None
    return found


def test_name_defaults_to_the_given_one(dialog: FirstRunDialog) -> None:
    name = dialog.findChild(QLineEdit, "profile_name")
    assert name is not None and name.text() == "王小明"


def test_empty_name_is_refused_at_the_field(qtbot, dialog: FirstRunDialog) -> None:  # type: ignore[no-untyped-def]
    name = dialog.findChild(QLineEdit, "profile_name")
    error = dialog.findChild(QLabel, "profile_error")
    assert name is not None and error is not None
    name.setText("")
    qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.result_settings is None
    assert not error.isHidden()
    assert error.text() == "請輸入姓名。"
    assert dialog.focusWidget() is name


def test_choosing_taipei_lists_taipei_units(dialog: FirstRunDialog) -> None:
    office, unit = combo(dialog, "profile_office"), combo(dialog, "profile_unit")
    assert unit.findText("快遞機放組") == -1  # Keelung, the default office, has none
    office.setCurrentIndex(office.findText("臺北關"))
    units = [unit.itemText(i) for i in range(unit.count())]
    assert "快遞機放組" in units and "松山分關" in units
    assert "五堵分關" not in units  # a Keelung branch


def test_language_combo_switches_the_dialog_live(dialog: FirstRunDialog) -> None:
    role = combo(dialog, "profile_role")
    assert dialog.windowTitle() == "歡迎使用 CrisisDesk"
    assert ok_button(dialog).text() == "開始"
    language = combo(dialog, "profile_language")
    language.setCurrentIndex(language.findData("en"))
    assert dialog.windowTitle() == "Welcome to CrisisDesk"
    assert ok_button(dialog).text() == "Start"
    assert role.itemText(role.findData(Role.PLANNING.value)) == "Planning group"
    language.setCurrentIndex(language.findData("zh_TW"))
    assert dialog.windowTitle() == "歡迎使用 CrisisDesk"
    assert role.itemText(role.findData(Role.PLANNING.value)) == "策劃組"


def test_accepting_gives_validated_settings(qtbot, dialog: FirstRunDialog) -> None:  # type: ignore[no-untyped-def]
    name = dialog.findChild(QLineEdit, "profile_name")
    assert name is not None
    name.setText("  陳美玲  ")
    office, unit, role = (combo(dialog, n) for n in ("profile_office", "profile_unit",
                                                      "profile_role"))
    office.setCurrentIndex(office.findData("taipei"))
    unit.setCurrentIndex(unit.findText("快遞機放組"))
    role.setCurrentIndex(role.findData(Role.SECRETARY.value))
    language = combo(dialog, "profile_language")
    language.setCurrentIndex(language.findData("en"))
    qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.result() == FirstRunDialog.DialogCode.Accepted
    assert not dialog.isVisible()
    result = dialog.result_settings
    assert result is not None
    assert (result.user_name, result.office_code, result.role, result.language) == (
        "陳美玲", "taipei", Role.SECRETARY, "en")
    assert result.unit_key and result.unit_key != "ops1"


def test_it_defaults_fill_the_form(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """As ui.app.ask_first_run builds it: the office, unit and shared folder IT staff set are
    where the user starts; the user may still change them."""
    (tmp_path / DEFAULTS_FILE).write_text(json.dumps({
        "format": "crisisdesk-defaults", "format_version": 1, "office": "taipei",
        "unit": "inspection", "share_folder": "\\\\fs01\\crisis"}), encoding="utf-8")
    defaults = load_it_defaults(tmp_path)
    shown = FirstRunDialog(defaults.settings.with_(user_name="王小明"), defaults)
    qtbot.addWidget(shown)
    shown.show()
    assert combo(shown, "profile_office").currentData() == "taipei"
    assert combo(shown, "profile_unit").currentData() == "inspection"
    share = shown.findChild(QLineEdit, "profile_share")
    assert share is not None and share.text() == "\\\\fs01\\crisis"
    assert shown.findChild(QLabel, "first_run_defaults_problem").isHidden()  # type: ignore[union-attr]


def test_a_bad_defaults_file_is_named_in_the_dialog(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                   artifacts: Path) -> None:
    (tmp_path / DEFAULTS_FILE).write_text('{"format": "crisisdesk-defaults", '
                                          '"format_version": 1, "office": "tainan"}',
                                          encoding="utf-8")
    defaults = load_it_defaults(tmp_path)
    shown = FirstRunDialog(defaults.settings.with_(user_name="王小明"), defaults)
    qtbot.addWidget(shown)
    shown.show()
    problem = shown.findChild(QLabel, "first_run_defaults_problem")
    assert problem is not None and problem.isVisible()
    assert str(tmp_path / DEFAULTS_FILE) in problem.text() and "office" in problem.text()
    assert combo(shown, "profile_office").currentData() == "keelung"  # the app's own default
    snap(shown, artifacts / "first-run-bad-defaults.png")


def test_the_window_start_names_a_damaged_settings_file_and_keeps_what_it_can(  # type: ignore[no-untyped-def]
        qtbot, ui_font, data_dir: Path, artifacts: Path) -> None:
    """The real start (ui.app.run_gui) up to the first-run dialog: the damaged file is set
    aside untouched, the dialog says where and why, in both languages, and the form starts
    from the fields that passed their checks. Cancelling saves nothing."""
    import ui.app as app_module

    original = json.dumps({"user_name": "王小明", "unit_key": "inspection", "role": "planning",
                           "office_code": "taipei", "ack_minutes": -5,
                           "timezone": "Mars/Olympus"}, ensure_ascii=False).encode("utf-8")
    (data_dir / "settings.json").write_bytes(original)
    seen: dict[str, object] = {}

    def look_and_cancel() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, FirstRunDialog) and w.isVisible()), None)
        if dialog is None:  # the window opened on the damaged file: end its event loop
            QApplication.exit(1)
            return
        try:
            problem = dialog.findChild(QLabel, "first_run_settings_problem")
            assert problem is not None
            seen["visible"] = problem.isVisible()
            seen["zh_TW"] = problem.text()
            seen["fields"] = (dialog.findChild(QLineEdit, "profile_name").text(),  # type: ignore[union-attr]
                              *(combo(dialog, n).currentData() for n in
                                ("profile_office", "profile_unit", "profile_role")),
                              dialog.findChild(QSpinBox, "profile_ack_minutes").value())  # type: ignore[union-attr]
            snap(dialog, artifacts / "first-run-damaged-settings-zh_TW.png")
            language = combo(dialog, "profile_language")
            language.setCurrentIndex(language.findData("en"))
            seen["en"] = problem.text()
            snap(dialog, artifacts / "first-run-damaged-settings-en.png")
        finally:
            dialog.reject()

    QTimer.singleShot(0, look_and_cancel)
    assert app_module.run_gui(data_dir) == 0
    [aside] = data_dir.glob("settings.damaged-*.json")
    assert aside.read_bytes() == original
    assert not (data_dir / "settings.json").exists()  # cancelled: nothing saved
    assert seen["visible"] is True
    assert seen["zh_TW"] == (
        f"設定檔{data_dir / 'settings.json'}已損毀，已更名為{aside}保留備查。原因："
        "timezone: 必須是本機可辨識的時區，例如Asia/Taipei；ack_minutes: 確認收悉時限須介於"
        "1至240分鐘。下方表單已填入仍可讀取的內容，請逐欄確認。")
    assert seen["en"] == (
        f"The settings file {data_dir / 'settings.json'} was damaged and has been set aside "
        f"as {aside}: timezone: must be a time zone this PC knows, such as Asia/Taipei; "
        "ack_minutes: The acknowledgement time must be between 1 and 240 minutes. The form "
        "below starts from what could still be read: please check every field.")
    assert seen["fields"] == ("王小明", "taipei", "inspection", Role.PLANNING.value, 10)


def test_the_first_start_asks_for_the_name_and_shows_the_login_beside_it(  # type: ignore[no-untyped-def]
        qtbot, data_dir: Path) -> None:
    """The real start up to the first-run dialog: the name is empty (it once came filled with
    the login, "root", which then signed forms), the login stands beside it, and there is no
    layout-check box among a user's settings."""
    import ui.app as app_module
    from models.org.settings import login_name

    seen: dict[str, object] = {}

    def look_and_cancel() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, FirstRunDialog) and w.isVisible()), None)
        if dialog is None:
            QApplication.exit(1)
            return
        seen["name"] = dialog.findChild(QLineEdit, "profile_name").text()  # type: ignore[union-attr]
        seen["login"] = dialog.findChild(QLabel, "profile_login").text()  # type: ignore[union-attr]
        seen["pseudo"] = dialog.findChild(QWidget, "profile_pseudo")
        dialog.reject()

    QTimer.singleShot(0, look_and_cancel)
    assert app_module.run_gui(data_dir) == 0
    assert seen["name"] == ""
    assert login_name() and login_name() in str(seen["login"])
    assert seen["pseudo"] is None


def test_the_window_start_stops_at_a_settings_file_it_cannot_read(  # type: ignore[no-untyped-def]
        qtbot, ui_font, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A settings file there but unreadable for now (an antivirus at login; here a folder of
    that name) is no first run: the first-run dialog would save over it. The start says so
    and ends; the file stays as it was."""
    from PySide6.QtWidgets import QMessageBox

    import ui.app as app_module

    (data_dir / "settings.json").mkdir()
    boxes: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda _parent, title, text, *_a: boxes.append((title, text)))
    dialogs: list[str] = []

    def close_a_first_run_dialog() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, FirstRunDialog) and widget.isVisible():
                dialogs.append("first run")
                widget.reject()

    timer = QTimer(interval=50)
    timer.timeout.connect(close_a_first_run_dialog)
    timer.start()
    try:
        assert app_module.run_gui(data_dir) == 1
    finally:
        timer.stop()
    assert dialogs == []
    [(title, text)] = boxes
    assert title == "CrisisDesk無法啟動" and str(data_dir / "settings.json") in text
    assert (data_dir / "settings.json").is_dir() and sorted(data_dir.iterdir()) == [
        data_dir / "settings.json"]
