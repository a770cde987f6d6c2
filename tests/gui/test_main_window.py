"""The main window as a user meets it: navigation by mouse and keyboard, the playbook browser,
older versions, the language switch, and a screenshot of every screen in both languages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QTextBrowser,
    QWidget,
)

from models.core.changes import Change, OpChanges
from models.playbook.store import current_playbook, save_playbook
from ui.main_window import NAV, MainWindow
from ui.playbook.screen import PlaybookScreen
from ui.runtime.context import AppContext
from ui.runtime.ops import Op

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QTextBrowser)


@pytest.fixture
def window(qtbot, ctx: AppContext) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.build_screens()
    screen = win.screens["playbook"]
    with qtbot.waitSignal(screen.loaded, timeout=10000):  # type: ignore[attr-defined]
        ctx.database_ready.emit()
    win.show()
    qtbot.waitExposed(win)
    yield win


def _playbook(window: MainWindow) -> PlaybookScreen:
    screen = window.screens["playbook"]
    assert isinstance(screen, PlaybookScreen)
    return screen


def test_every_interactive_widget_has_a_stable_name(window: MainWindow) -> None:
    """Qt's own inner parts (a view's header, a combo box's pop-up list, a search field's
    clear button) are named by the widget they belong to; everything we put on screen has
    its own name."""
    unnamed = [f"{type(w).__name__} in {w.parent().objectName() or type(w.parent()).__name__}"
               for w in window.findChildren(QWidget)
               if isinstance(w, INTERACTIVE) and not isinstance(w, QHeaderView)
               and not isinstance(w.parent(), QLineEdit)
               and w.window() is window and not w.objectName()]
    assert unnamed == [], unnamed


def test_navigation_by_list_and_by_keyboard(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert window.stack.currentWidget() is window.screens["playbook"]
    rect = window.nav.visualItemRect(window.nav.item([k for k, _l in NAV].index("settings")))
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.stack.currentWidget() is window.screens["settings"]
    for row, (key, _label) in enumerate(NAV):
        qtbot.keyClick(window, Qt.Key.Key_1 + row, Qt.KeyboardModifier.ControlModifier)
        assert window.stack.currentWidget() is window.screens[key]


def test_browser_shows_each_section_of_the_procedure(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    screen = _playbook(window)
    expectations = {
        "basis": "風險管理及危機處理作業手冊",
        "group:liaison": "蒐集輿情與發布澄清稿",
        "roster": "法務緝案組組長",
        "category:emergency": "破壞、竊盜本關軟硬體資產及電腦系統或設施入侵案件",
        "levels": "處理後通報本小組執行秘書",
        "stage:4": "備好書面資料，妥適的面對媒體",
        "drill": "抽選演練單位",
        "report_form": "民代關切重大案件",
    }
    for key, text in expectations.items():
        rect = screen.sections.visualItemRect(screen.section_item(key))
        qtbot.mouseClick(screen.sections.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center())
        assert text in screen.view.toPlainText(), key


def test_an_older_version_opens_read_only_and_back(qtbot, ctx: AppContext,  # type: ignore[no-untyped-def]
                                                   window: MainWindow) -> None:
    screen = _playbook(window)

    def edit(db):  # type: ignore[no-untyped-def]
        info, pb = current_playbook(db)
        return save_playbook(db, ctx.actor, replace(pb, purpose={"zh_TW": "新目的。", "en": ""}),
                             "修訂目的", base_version_id=info.id)

    with qtbot.waitSignal(screen.loaded, timeout=10000):
        Op(ctx, "edit", edit).run()
    screen.select_section("basis")
    assert "新目的。" in screen.view.toPlainText()
    screen.select_section("versions")
    assert screen.versions.rowCount() == 2
    shipped = screen.versions.item(1, 4).text()  # in the reader's language, not in two
    assert shipped == "預設之危機管理作業流程" and "default procedure" not in shipped
    screen.versions.selectRow(1)
    with qtbot.waitSignal(screen.loaded, timeout=10000):
        qtbot.mouseClick(screen.open_version_button, Qt.MouseButton.LeftButton)
    assert screen.old_banner.isVisible() and not screen.edit_button.isEnabled()
    screen.select_section("basis")
    assert "新目的。" not in screen.view.toPlainText()
    with qtbot.waitSignal(screen.loaded, timeout=10000):
        qtbot.mouseClick(screen.back_button, Qt.MouseButton.LeftButton)
    screen.select_section("basis")
    assert "新目的。" in screen.view.toPlainText() and not screen.old_banner.isVisible()


def _qt_cancel_text() -> str:
    """A Qt-made button's text: it follows Qt's own catalog (qtbase_zh_TW), not ours."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    text = box.buttons()[0].text()
    box.deleteLater()
    return text


def test_language_switches_at_run_time(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.lang_actions["en"].trigger()
    assert window.nav.item([k for k, _l in NAV].index("playbook")).text() == "Playbook"
    assert window.file_menu.title() == "&File"
    assert _qt_cancel_text() == "Cancel"
    screen = _playbook(window)
    screen.select_section("levels")
    assert "Notify Commander" in screen.view.toPlainText()
    assert "High-Level Crisis" in screen.view.toPlainText()
    window.lang_actions["zh_TW"].trigger()
    assert window.nav.item([k for k, _l in NAV].index("playbook")).text() == "作業流程"
    assert "取消" in _qt_cancel_text()
    assert "通報" in screen.view.toPlainText()


@pytest.mark.parametrize("language", ["zh_TW", "en", "pseudo"])
def test_screenshots_of_every_screen(qtbot, ctx: AppContext, window: MainWindow,  # type: ignore[no-untyped-def]
                                     artifacts: Path, language: str, monkeypatch) -> None:
    """Rendered for a person to look at (test-artifacts/); the test checks the basics. The
    layout check (pseudo) is the developer's switch, CRISISDESK_PSEUDO=1."""
    from ui.runtime.language import PSEUDO_VARIABLE, apply_language

    if language == "pseudo":
        monkeypatch.setenv(PSEUDO_VARIABLE, "1")
    settings = ctx.settings.with_(language="en" if language == "en" else "zh_TW")
    ctx.update_settings(settings)
    apply_language(settings.language)
    ctx.language_changed.emit()
    window.resize(1180, 760)
    for row, (key, _label) in enumerate(NAV):
        window.nav.setCurrentRow(row)
        QApplication.processEvents()  # let pending re-layouts after the switch happen first
        image = window.grab().toImage()
        assert not image.isNull() and image.width() >= 1000
        image.save(str(artifacts / f"main_{key}_{language}.png"))


def test_status_bar_names_the_unit_as_the_database_does(qtbot, ctx: AppContext,  # type: ignore[no-untyped-def]
                                                        window: MainWindow) -> None:
    from models.org.units import list_units, save_unit

    def rename(db):  # type: ignore[no-untyped-def]
        mine = next(u for u in list_units(db, "keelung") if u.key == ctx.settings.unit_key)
        save_unit(db, ctx.actor, "keelung", unit_id=mine.id, name_zh="秘書處", name_en="",
                  kind=mine.kind)

    with qtbot.waitSignal(ctx.worker.finished, timeout=10000,
                          check_params_cb=lambda name: name == "unit_names"):
        Op(ctx, "rename", rename).run()
    assert "秘書處" in window.who.text()


def test_edit_buttons_open_the_editors_on_the_shown_version(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    screen = _playbook(window)
    for button, name in ((screen.roster_button, "roster_dialog"),
                         (screen.edit_button, "playbook_edit_dialog")):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        dialog = screen.findChild(QWidget, name)
        assert dialog is not None and dialog.isVisible()
        dialog.close()


def test_a_late_acknowledgement_is_raised_wherever_the_user_is(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, window: MainWindow, monkeypatch, artifacts: Path) -> None:
    """The user is on the playbook; a notification of an open incident passes the office's
    acknowledgement time: the status bar says who and where, the Incidents entry counts it,
    the taskbar flashes, and Open goes to the escalation with the deputy offered first."""
    from datetime import timedelta

    from i18n import _
    from models.incidents.actions import open_incident, record_notification
    from models.storage.db import utcnow
    from tests.helpers import run_on_worker
    from tests.unit.incidents.test_incidents import HEAD, draft
    from ui.incidents.list_screen import IncidentsScreen

    flashed: list[object] = []
    monkeypatch.setattr(QApplication, "alert", lambda widget, msec=0: flashed.append(widget))

    def late_notification(db):  # type: ignore[no-untyped-def]
        incident_id = open_incident(db, HEAD, "keelung", draft(
            title="網傳海關放行染疫肉品", started_at=utcnow() - timedelta(hours=1)))
        record_notification(db, HEAD, incident_id, target_group="secretary", member_id="",
                            recipient="王主秘", acting_for="", means="phone",
                            notified_at=utcnow() - timedelta(minutes=ctx.settings.ack_minutes + 5))
        return incident_id

    incident_id = run_on_worker(qtbot, ctx, late_notification)
    assert window.stack.currentWidget() is window.screens["playbook"]
    with qtbot.waitSignal(window.overdue.changed, timeout=10000):
        ctx.data_changed.emit(OpChanges.of([Change.INCIDENTS]))
    assert window.overdue_alert.isVisible() and "王主秘" in window.overdue_alert.text()
    incidents = window.nav.item([k for k, _l in NAV].index("incidents"))
    assert incidents.text() == _("Incidents") + " ⚠1"
    assert incidents.foreground().color() == QColor("#b00020")
    assert flashed == [window]
    from tests.helpers import snap
    snap(window, artifacts / "overdue-alert-zh_TW.png")
    with qtbot.waitSignal(window.overdue.changed, timeout=10000):
        window.overdue.check()
    assert flashed == [window]  # once per notification, not at every look

    screen = window.screens["incidents"]
    assert isinstance(screen, IncidentsScreen)
    with qtbot.waitSignal(screen.workspace.ctrl.loaded, timeout=10000):
        qtbot.mouseClick(window.overdue_open, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is screen and screen.workspace.shown_stage() == 1
    assert screen.workspace.ctrl.incident_id == incident_id
    escalation = screen.workspace.pages[0].findChild(QWidget, "escalation")
    assert escalation.warning.isVisible() and "王主秘" in escalation.warning.text()


def test_sync_without_a_shared_folder_says_so_and_opens_its_setting(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow) -> None:
    """F9 with no shared folder set once did nothing; the status button too."""
    from i18n import _

    assert window.sync.folder is None
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window, Qt.Key.Key_F9)
    settings = window.screens["settings"]
    assert window.stack.currentWidget() is settings
    assert _("Shared folder") in window.statusBar().currentMessage()
    qtbot.waitUntil(settings.profile.share.hasFocus)  # type: ignore[attr-defined]
    window.go_to("playbook")
    qtbot.mouseClick(window.sync_state, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is settings
