"""The Settings screen, driven through its widgets: saving the profile (file, live language,
Qt's own texts), a new office's units, the units table and its dialog, the role guard, the
model's contract, and screenshots in both languages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLineEdit, QMessageBox
from sqlalchemy import select

import ui.settings.screen as settings_module
from i18n import _
from models.core.errors import PermissionDenied
from models.org.entities import UnitRow
from models.org.offices import offices
from models.org.people import Role
from models.org.settings import load_settings
from models.org.units import list_units, save_unit
from tests.helpers import private_catalog
from ui.runtime.context import AppContext
from ui.settings.screen import SettingsScreen, UnitDialog, UnitsModel

# A few zh_TW translations of our own, so the language switch is visible whatever state the
# project's catalog is in.
ZH = {
    "Your details": "使用者資料",
    "&Save": "儲存(&S)",
    "Saved.": "已儲存。",
    "Chinese name": "中文名稱",
    "Division": "組",
}
TIMEOUT = 10000


@pytest.fixture
def zh_catalog(tmp_path: Path) -> Iterator[None]:
    with private_catalog(tmp_path / "locale", ZH):
        yield


def job(qtbot, ctx: AppContext, name: str):  # type: ignore[no-untyped-def]
    """Wait until the worker has finished the operation called *name*."""
    return qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,
                            check_params_cb=lambda finished: finished == name)


def on_worker(qtbot, ctx: AppContext, fn: Callable[[Any], Any]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Run *fn(db)* on the worker like the app does; {"result": ...} or {"error": ...}."""
    box: dict[str, Any] = {}
    with job(qtbot, ctx, "test_query"):
        ctx.worker.run("test_query", fn, lambda r: box.setdefault("result", r),
                       lambda e: box.setdefault("error", e))
    return box


@pytest.fixture
def screen(qtbot, ctx: AppContext) -> SettingsScreen:  # type: ignore[no-untyped-def]
    with job(qtbot, ctx, "list_units"):
        shown = SettingsScreen(ctx)
    qtbot.addWidget(shown)
    shown.resize(1000, 660)
    shown.show()
    return shown


def names_in_table(screen: SettingsScreen) -> list[str]:
    model = screen.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def row_of(screen: SettingsScreen, name: str) -> int:
    return names_in_table(screen).index(name)


def click(qtbot, widget) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def qt_cancel_text() -> str:
    """Qt's own text for a standard Cancel button, from a fresh button box."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    return box.button(QDialogButtonBox.StandardButton.Cancel).text()


def combo(screen: SettingsScreen, name: str) -> QComboBox:
    found = screen.findChild(QComboBox, name)
    assert found is not None
    return found


def test_profile_saves_to_disk_and_switches_language(  # type: ignore[no-untyped-def]
        qtbot, zh_catalog: None, ctx: AppContext, screen: SettingsScreen) -> None:
    assert screen.save_button.text() == "儲存(&S)"
    assert screen.you_box.title() == "使用者資料"
    assert screen.model.headerData(0, Qt.Orientation.Horizontal) == "中文名稱"
    assert qt_cancel_text() == "取消"
    assert screen.add_button.isEnabled()

    name = screen.findChild(QLineEdit, "profile_name")
    assert name is not None
    name.setText("陳美玲")
    role, language = combo(screen, "profile_role"), combo(screen, "profile_language")
    role.setCurrentIndex(role.findData(Role.SECRETARY.value))
    language.setCurrentIndex(language.findData("en"))
    assert screen.save_button.text() == "儲存(&S)"  # nothing applies before Save
    with qtbot.waitSignal(ctx.language_changed):
        click(qtbot, screen.save_button)

    saved = load_settings(ctx.data_dir)
    assert saved is not None
    assert (saved.user_name, saved.role, saved.language) == ("陳美玲", Role.SECRETARY, "en")
    assert screen.saved.text() == "Saved." and not screen.saved.isHidden()
    assert screen.save_button.text() == "&Save"
    assert screen.you_box.title() == "Your details"
    assert screen.model.headerData(0, Qt.Orientation.Horizontal) == "Chinese name"
    assert screen.model.index(0, 2).data() == "Division"
    assert qt_cancel_text() == "Cancel"
    assert not screen.add_button.isEnabled()  # a secretary does not edit the units

    language.setCurrentIndex(language.findData("zh_TW"))
    click(qtbot, screen.save_button)
    assert screen.saved.text() == "已儲存。"
    assert screen.model.index(0, 2).data() == "組"
    assert qt_cancel_text() == "取消"


def test_language_from_elsewhere_shows_in_the_form(ctx: AppContext,
                                                   screen: SettingsScreen) -> None:
    ctx.update_settings(ctx.settings.with_(language="en"))
    assert combo(screen, "profile_language").currentData() == "en"


def test_new_office_gets_its_units(qtbot, ctx: AppContext, screen: SettingsScreen) -> None:  # type: ignore[no-untyped-def]
    assert "快遞機放組" not in names_in_table(screen)
    office, unit = combo(screen, "profile_office"), combo(screen, "profile_unit")
    office.setCurrentIndex(office.findData("taipei"))
    unit.setCurrentIndex(unit.findText("快遞機放組"))
    with job(qtbot, ctx, "list_units"):
        click(qtbot, screen.save_button)
    assert ctx.settings.office_code == "taipei"
    assert "快遞機放組" in names_in_table(screen)
    assert "五堵分關" not in names_in_table(screen)


def test_add_edit_remove_a_unit(qtbot, monkeypatch, ctx: AppContext,  # type: ignore[no-untyped-def]
                                screen: SettingsScreen) -> None:
    click(qtbot, screen.add_button)
    dialog = screen.unit_dialog
    assert isinstance(dialog, UnitDialog) and dialog.isVisible()
    name_zh = dialog.findChild(QLineEdit, "unit_name_zh")
    name_en = dialog.findChild(QLineEdit, "unit_name_en")
    kind = dialog.findChild(QComboBox, "unit_kind")
    assert name_zh is not None and name_en is not None and kind is not None
    name_zh.setText("防疫應變小組")
    qtbot.keyClicks(name_en, "Epidemic Response Team")
    kind.setCurrentIndex(kind.findData("office"))
    with job(qtbot, ctx, "list_units"):
        click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))
    assert not dialog.isVisible()
    row = row_of(screen, "防疫應變小組")
    assert screen.model.index(row, 1).data() == "Epidemic Response Team"

    # The same name again, then no name: refused in the dialog, which stays open.
    click(qtbot, screen.add_button)
    dialog = screen.unit_dialog
    assert dialog is not None
    dialog.name_zh.setText("防疫應變小組")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    with job(qtbot, ctx, "save_unit"):
        click(qtbot, ok)
    assert dialog.isVisible() and not dialog.error.isHidden()
    assert "防疫應變小組" in dialog.error.text()
    dialog.name_zh.setText("   ")
    with job(qtbot, ctx, "save_unit"):
        click(qtbot, ok)
    assert dialog.isVisible()
    assert dialog.error.text() == _("Enter the unit's Chinese name.")
    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel))
    assert not dialog.isVisible()
    assert names_in_table(screen).count("防疫應變小組") == 1

    # Edit: rename in English and set it inactive.
    assert not screen.edit_button.isEnabled()  # nothing chosen yet
    screen.table.selectRow(row_of(screen, "防疫應變小組"))
    click(qtbot, screen.edit_button)
    dialog = screen.unit_dialog
    assert dialog is not None and dialog.name_zh.text() == "防疫應變小組"
    dialog.name_en.setText("Epidemic Response Group")
    dialog.active.setChecked(False)
    with job(qtbot, ctx, "list_units"):
        click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))
    row = row_of(screen, "防疫應變小組")
    assert screen.model.index(row, 1).data() == "Epidemic Response Group"
    assert screen.model.index(row, 3).data() == _("No")
    assert screen.selected_unit() is not None  # the selection survives the reload

    # Remove, after confirming.
    asked: list[str] = []

    def confirm(_parent, _title, text):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(settings_module.QMessageBox, "question", confirm)
    with job(qtbot, ctx, "list_units"):
        click(qtbot, screen.remove_button)
    assert asked and "防疫應變小組" in asked[0]
    assert "防疫應變小組" not in names_in_table(screen)

    def tombstone(db):  # type: ignore[no-untyped-def]
        listed = [u.name_zh for u in list_units(db, "keelung", include_inactive=True)]
        with db.session() as session:
            row = session.scalars(select(UnitRow).where(UnitRow.name_zh == "防疫應變小組")).one()
            return listed, row.deleted_at

    listed, deleted_at = on_worker(qtbot, ctx, tombstone)["result"]
    assert "防疫應變小組" not in listed
    assert deleted_at is not None


def test_unit_head_may_not_change_units(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    ctx.update_settings(ctx.settings.with_(role=Role.UNIT_HEAD))
    with job(qtbot, ctx, "list_units"):
        screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    screen.table.selectRow(0)
    assert screen.selected_unit() is not None
    for button in (screen.add_button, screen.edit_button, screen.remove_button):
        assert not button.isEnabled()
    assert screen.units_note.isVisible()

    actor = ctx.actor
    outcome = on_worker(qtbot, ctx, lambda db: save_unit(
        db, actor, "keelung", unit_id=None, name_zh="防疫應變小組", name_en="", kind="office"))
    assert isinstance(outcome.get("error"), PermissionDenied)

    ctx.update_settings(ctx.settings.with_(role=Role.PLANNING))  # re-evaluated on change
    assert screen.edit_button.isEnabled() and not screen.units_note.isVisible()


def test_units_model_contract(qtmodeltester, screen: SettingsScreen) -> None:  # type: ignore[no-untyped-def]
    assert screen.model.rowCount() > 0
    qtmodeltester.check(screen.model)
    standalone = UnitsModel()
    qtmodeltester.check(standalone)
    standalone.set_units(list(offices()[1].units))
    qtmodeltester.check(standalone)
    standalone.retranslate()


def test_screenshots(qtbot, ctx: AppContext, screen: SettingsScreen,  # type: ignore[no-untyped-def]
                     artifacts: Path) -> None:
    screen.table.selectRow(2)
    screen.grab().save(str(artifacts / "settings_zh_TW.png"))
    ctx.update_settings(ctx.settings.with_(language="en"))
    screen.grab().save(str(artifacts / "settings_en.png"))
    assert (artifacts / "settings_en.png").stat().st_size > 0


def test_saving_settings_never_makes_the_window_wait_for_a_held_file(  # type: ignore[no-untyped-def]
        ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    """The save runs on the GUI thread: retrying a file an antivirus holds (up to 1.5 s of
    sleeping) would freeze the window. One try; the refusal is said instead."""
    import os

    import models.core.files
    from models.core.errors import UserError

    real_replace = os.replace
    tried: list[str] = []
    waits: list[float] = []

    def held(source: str, target: str) -> None:
        if Path(target).name == "settings.json":
            tried.append(str(target))
            raise PermissionError(13, "The process cannot access the file", str(target))
        real_replace(source, target)

    monkeypatch.setattr(models.core.files.os, "replace", held)
    monkeypatch.setattr(models.core.files.time, "sleep", waits.append)
    with pytest.raises(UserError):
        ctx.update_settings(ctx.settings.with_(ack_minutes=20))
    assert (len(tried), waits) == (1, [])
    assert load_settings(ctx.data_dir) == ctx.settings  # the old file, whole
