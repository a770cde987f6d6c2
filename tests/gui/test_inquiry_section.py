"""Legislators' inquiries through the real widgets: one marked as a possible request for
favour shows its registration due day and stops when the registration is recorded; a written
interpellation is extended and its reply drafted as a statement; an overdue clock is red on
the Home screen. Screenshots of the section in both languages go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QGroupBox, QLabel
from pytestqt.qtbot import QtBot

from i18n import _
from i18n.formatting import format_date, local_date
from models.incidents.inquiry_actions import InquiryDraft, save_inquiry
from models.incidents.inquiry_print import clock_line, clock_text
from models.org.people import Actor, Role
from models.storage.db import Database, utcnow
from tests.gui.test_incident_wizard import open_new, screen, settle  # noqa: F401 (fixture)
from tests.helpers import run_on_worker, snap, window_at_home
from tests.review_data import incident
from ui.incidents.inquiries import OVERDUE, InquiriesPanel
from ui.incidents.inquiry_dialogs import ExtensionDialog, InquiryDialog, RegistrationDialog
from ui.incidents.list_screen import IncidentsScreen
from ui.incidents.workspace import IncidentWorkspace
from ui.main_window import MainWindow
from ui.review.home import TARGET, URGENT, HomeScreen
from ui.runtime.context import AppContext
from ui.runtime.feedback import ERROR_STYLE

TZ = "Asia/Taipei"


def stage4(qtbot: QtBot, ws: IncidentWorkspace) -> InquiriesPanel:
    ws.rail.setCurrentRow(3)
    panel = ws.pages[3].findChild(InquiriesPanel, "inquiries")
    assert panel is not None and panel.isVisible()
    return panel


def dialog_of(ws: IncidentWorkspace, kind: type) -> object:
    return next(d for d in ws.findChildren(kind) if d.isVisible())


def add_inquiry(qtbot: QtBot, ws: IncidentWorkspace, panel: InquiriesPanel, *,
                favour: bool, channel: str = "phone", shot: Path | None = None) -> None:
    qtbot.mouseClick(panel.buttons["add"], Qt.MouseButton.LeftButton)
    dialog = dialog_of(ws, InquiryDialog)
    assert isinstance(dialog, InquiryDialog)
    definition = dialog.findChild(object, "inquiry_favour_definition")
    assert "請託" in definition.text() and "關說" in definition.text()
    dialog.rep_name.setText("林○○委員")
    dialog.rep_office.setText("林○○立法委員基隆服務處")
    dialog.contact.setText("陳助理")
    dialog.channel.setCurrentIndex(dialog.channel.findData(channel))
    dialog.request.setPlainText("詢問報關行貨櫃查驗進度")
    dialog.favour.setChecked(favour)
    if shot is not None:
        snap(dialog, shot)
    settle(qtbot, ws, dialog.accept)


def test_a_favour_request_shows_its_due_day_and_stops_when_registered(
        qtbot: QtBot, screen: IncidentsScreen,  # noqa: F811 (the fixture)
        ctx: AppContext, artifacts: Path) -> None:
    from ui.runtime.language import apply_language

    ws = open_new(qtbot, screen)
    panel = stage4(qtbot, ws)
    # Refused at its field, nothing saved: the request is required.
    qtbot.mouseClick(panel.buttons["add"], Qt.MouseButton.LeftButton)
    dialog = dialog_of(ws, InquiryDialog)
    assert isinstance(dialog, InquiryDialog)
    dialog.rep_name.setText("林○○委員")
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.error.isVisible())
    assert dialog.request.hasFocus() or dialog.error.text()
    dialog.reject()

    add_inquiry(qtbot, ws, panel, favour=True, shot=artifacts / "inquiry-dialog-zh_TW.png")
    view = ws.ctrl.view
    assert view is not None
    (inquiry,) = view.inquiries
    assert inquiry.favour_clock is not None
    today = local_date(utcnow(), TZ)
    due = panel.table.item(0, 4)
    assert due.text() == clock_text(inquiry.favour_clock, today)
    assert due.foreground().color() != OVERDUE
    for language in ("zh_TW", "en"):
        apply_language(language)
        ctx.language_changed.emit()
        box = ws.pages[3].findChild(QGroupBox, "stage_4_inquiries_box")
        assert box is not None
        ws.pages[3].ensureWidgetVisible(box)
        snap(box, artifacts / f"inquiries-{language}.png")
    apply_language("zh_TW")
    ctx.language_changed.emit()

    panel.table.selectRow(0)
    assert panel.buttons["register"].isEnabled() and panel.buttons["print"].isEnabled()
    qtbot.mouseClick(panel.buttons["register"], Qt.MouseButton.LeftButton)
    registration = dialog_of(ws, RegistrationDialog)
    assert isinstance(registration, RegistrationDialog)
    registration.registered_with.setText("政風室 吳專員")
    registration.number.setText("115-請-001")
    view = settle(qtbot, ws, registration.accept)
    (inquiry,) = view.inquiries
    assert inquiry.favour_clock is not None and inquiry.favour_clock.done_on == today
    assert panel.table.item(0, 4).text() == _("done {day}").format(
        day=format_date(today, long=False))
    panel.table.selectRow(0)
    assert not panel.buttons["register"].isEnabled()
    assert not panel.buttons["remove"].isEnabled()  # the ethics unit holds it now
    with qtbot.waitSignal(panel.printer.previewed, timeout=20000) as previewed:
        qtbot.mouseClick(panel.buttons["print"], Qt.MouseButton.LeftButton)
    preview = previewed.args[0]
    assert preview.path.name.endswith("favour-registration.pdf")
    assert preview.path.parent == ctx.data_dir / "printouts"
    preview.close()


def test_a_written_interpellation_is_extended_and_its_reply_drafted_as_a_statement(
        qtbot: QtBot, screen: IncidentsScreen, artifacts: Path) -> None:  # noqa: F811
    ws = open_new(qtbot, screen)
    panel = stage4(qtbot, ws)
    add_inquiry(qtbot, ws, panel, favour=False, channel="written_interpellation")
    view = ws.ctrl.view
    assert view is not None
    clock = view.inquiries[0].reply_clock
    received = view.inquiries[0].received_at
    assert clock is not None
    assert clock.due_day == local_date(view.inquiries[0].received_at, TZ) + timedelta(days=20)
    panel.table.selectRow(0)
    assert not panel.buttons["register"].isEnabled() and panel.buttons["extend"].isEnabled()
    qtbot.mouseClick(panel.buttons["extend"], Qt.MouseButton.LeftButton)
    extension = dialog_of(ws, ExtensionDialog)
    assert isinstance(extension, ExtensionDialog)
    extension.accept()  # no reason: refused at the field
    qtbot.waitUntil(lambda: extension.error.isVisible())
    extension.reason.setPlainText("質詢涉及三個單位業務")
    view = settle(qtbot, ws, extension.accept)
    extended = view.inquiries[0].reply_clock
    assert extended is not None and extended.due_day == clock.due_day + timedelta(days=5)
    panel.table.selectRow(0)
    assert not panel.buttons["extend"].isEnabled()
    qtbot.mouseClick(panel.buttons["edit"], Qt.MouseButton.LeftButton)  # a typo corrected
    editing = dialog_of(ws, InquiryDialog)
    assert isinstance(editing, InquiryDialog)
    editing.request.setPlainText("書面質詢：貨櫃查驗進度及改善措施")
    view = settle(qtbot, ws, editing.accept)
    assert view.inquiries[0].request == "書面質詢：貨櫃查驗進度及改善措施"
    assert view.inquiries[0].received_at == received  # the form's minutes moved nothing
    panel.table.selectRow(0)
    view = settle(qtbot, ws, lambda: qtbot.mouseClick(panel.buttons["draft_reply"],
                                                      Qt.MouseButton.LeftButton))
    (reply,) = [s for s in view.statements if s.kind == "reply"]
    assert view.inquiries[0].reply_statement_id == reply.id
    panel.table.selectRow(0)
    assert not panel.buttons["draft_reply"].isEnabled()
    assert not panel.buttons["remove"].isEnabled()
    assert panel.table.item(0, 5).text().endswith(_("reply drafted"))
    assert _("{state} (extended)").format(state="").strip() in panel.table.item(0, 5).text()
    box = ws.pages[3].findChild(QGroupBox, "stage_4_inquiries_box")
    ws.pages[3].ensureWidgetVisible(box)
    snap(box, artifacts / "inquiries-interpellation-zh_TW.png")
    statements = ws.pages[3].findChild(object, "statements")
    assert any(reply.title in statements.list.item(i).text()
               for i in range(statements.list.count()))


@pytest.fixture
def window(qtbot: QtBot, ctx: AppContext) -> Iterator[MainWindow]:
    """The planning group's window over an open incident with a request for favour received
    ten days ago and never registered."""
    now = utcnow()

    def made(db: Database) -> None:
        case = incident(db, "報關行貨櫃查驗延宕", now - timedelta(hours=3), "medium")
        save_inquiry(db, Actor("王科長", Role.UNIT_HEAD), case, None, InquiryDraft(
            rep_kind="councillor", rep_name="張議員", rep_office="", contact="", channel="visit",
            received_at=now - timedelta(days=10), place="本關", received_by="王科長",
            request="請求儘速放行", relation="", favour=True))

    run_on_worker(qtbot, ctx, made)
    win = window_at_home(qtbot, ctx)
    yield win


def test_an_overdue_registration_is_red_on_the_home_screen_and_opens_stage_4(
        qtbot: QtBot, window: MainWindow, artifacts: Path) -> None:
    home = window.screens["home"]
    assert isinstance(home, HomeScreen)
    items = [home.items.item(i) for i in range(home.items.count())]
    found = [i for i in items if i is not None and "張議員" in i.text()]
    assert found, [i.text() for i in items if i is not None]
    assert found[0].foreground().color() == URGENT
    assert found[0].data(TARGET)[0] == "statement"  # stage 4, where the section is
    snap(home, artifacts / "home-inquiry-overdue-zh_TW.png")
    workspace = window.screens["incidents"].workspace  # type: ignore[attr-defined]
    with qtbot.waitSignal(workspace.ctrl.loaded, timeout=20000):
        home.items.itemClicked.emit(found[0])
    assert workspace.shown_stage() == 4
    panel = workspace.pages[3].findChild(InquiriesPanel, "inquiries")
    assert panel.table.item(0, 4).foreground().color() == OVERDUE  # red in the section too
    clock = workspace.ctrl.view.inquiries[0].favour_clock
    today = local_date(utcnow(), TZ)
    assert clock is not None and clock.overdue(today)
    assert panel.table.item(0, 4).text() == clock_text(clock, today)
    outside = workspace.findChild(QLabel, "incident_outside_clocks")  # and in the header
    assert outside.text() == clock_line(clock, today) and ERROR_STYLE in outside.styleSheet()


def test_the_planning_group_lists_a_holiday_and_the_clock_skips_it(
        qtbot: QtBot, ctx: AppContext, artifacts: Path) -> None:
    """The holiday list ships empty and says so; a day added in the playbook's small dialog is
    saved as a new version, shown in the browser, and read by the clocks."""
    from models.incidents.inquiries import office_holidays
    from ui.playbook.holidays import HolidaysDialog
    from ui.playbook.screen import PlaybookScreen

    screen_ = PlaybookScreen(ctx)
    qtbot.addWidget(screen_)
    screen_.resize(1100, 700)
    screen_.show()
    with qtbot.waitSignal(screen_.loaded, timeout=20000):
        screen_.show_version(None)
    screen_.select_section("holidays")
    assert _("No holidays are listed: the working-day clocks skip weekends only. The planning "
          "group enters each year's holidays (Edit holidays…).") in screen_.view.toPlainText()
    assert screen_.holidays_button.isVisible() and screen_.holidays_button.isEnabled()
    qtbot.mouseClick(screen_.holidays_button, Qt.MouseButton.LeftButton)
    dialog = screen_.findChild(HolidaysDialog, "holidays_dialog")
    assert dialog is not None and dialog.isVisible()
    dialog.day.setDate(QDate(2027, 1, 1))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)  # no name: refused
    assert dialog.error.isVisible() and dialog.table.rowCount() == 0
    dialog.name.setText("開國紀念日")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 1 and not dialog.error.isVisible()
    snap(dialog, artifacts / "holidays-dialog-zh_TW.png")
    qtbot.keyClicks(dialog.reason, "2027 calendar")
    with qtbot.waitSignal(screen_.loaded, timeout=20000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    screen_.select_section("holidays")
    assert "開國紀念日" in screen_.view.toPlainText()
    snap(screen_, artifacts / "playbook-holidays-zh_TW.png")

    def listed(db: Database) -> frozenset[object]:
        with db.session() as session:
            return office_holidays(session)

    assert run_on_worker(qtbot, ctx, listed) == frozenset({date(2027, 1, 1)})
