"""The media watch driven through the real window, as the 公關組 uses it: an item seen in the
media is logged on stage 4 and linked to the clarification that answers it; while none is
released it shows how long it has waited, red past the limit; once the clarification is
released on a channel the time it took is shown; its link opens in the browser; a bad link is
refused at its field; and the day's media summary prints through the print preview.
Screenshots of the section in both languages go to test-artifacts/."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import QDialog

from i18n import _
from i18n.formatting import format_minutes
from models.storage.db import utcnow
from tests.gui.test_incident_wizard import TIMEOUT, fill_dialog, open_new, screen, settle
from tests.helpers import snap
from ui.incidents.list_screen import IncidentsScreen
from ui.incidents.media_watch import MEASURED, MediaItemDialog, MediaWatchPanel
from ui.incidents.statements import EventDialog
from ui.printing.preview import PrintPreviewDialog
from ui.runtime.context import AppContext
from ui.runtime.language import apply_language
from ui.widgets.items import cell

__all__ = ["screen"]  # the fixture, shared with the wizard's tests


def test_an_item_is_logged_linked_released_measured_and_printed(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, screen: IncidentsScreen, monkeypatch, artifacts: Path) -> None:
    ws = open_new(qtbot, screen)
    ws.rail.setCurrentRow(3)  # stage 4 is open for media work while stage 1 runs
    page = ws.pages[3]
    statements = page.findChild(object, "statements")
    qtbot.mouseClick(statements.new_clarification, Qt.MouseButton.LeftButton)
    view = settle(qtbot, ws, lambda: qtbot.mouseClick(statements.save,
                                                      Qt.MouseButton.LeftButton))
    statement_id = view.statements[0].id
    for event in ("legal_review", "approved"):
        qtbot.mouseClick(statements.event_buttons[event], Qt.MouseButton.LeftButton)
        fill_dialog(qtbot, ws, EventDialog, {"statement_event_name": "Lee"})

    panel: MediaWatchPanel = page.findChild(MediaWatchPanel, "media_watch")
    assert panel.add_button.isEnabled() and not panel.link_button.isEnabled()
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    dialog = next(d for d in ws.findChildren(MediaItemDialog) if d.isVisible())
    dialog.outlet.setText("自由時報")
    dialog.headline.setText("海關放行走私加熱菸？")
    dialog.seen.set_value(utcnow() - timedelta(hours=3))
    qtbot.keyClicks(dialog.link, "news.example.tw/a/1")  # no scheme: refused at the field
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=TIMEOUT)
    assert dialog.isVisible() and dialog.error.text() == _(
        "Enter a web address starting with http:// or https://.")
    assert ws.ctrl.view is not None and ws.ctrl.view.media == ()

    dialog.link.setText("https://news.example.tw/a/1")
    dialog.needs.setChecked(True)
    dialog.statement.setCurrentIndex(dialog.statement.findData(statement_id))
    snap(dialog, artifacts / "media-item-dialog-zh_TW.png")
    view = settle(qtbot, ws, dialog.accept)
    assert dialog.result() == QDialog.DialogCode.Accepted
    (logged,) = view.media
    assert (logged.outlet, logged.statement_id, logged.needs_clarification) == (
        "自由時報", statement_id, True)

    # Waiting three hours, past the two-hour limit: the row is red and says so.
    assert cell(panel.table, 0, 3).text() == "海關放行走私加熱菸？"
    waiting = cell(panel.table, 0, MEASURED)
    assert waiting.text().startswith(_("waiting {time}, over {limit}").split("{")[0])
    assert waiting.foreground().color() == QColor(Qt.GlobalColor.red)
    box = page.findChild(object, "stage_4_media_watch_box")
    page.ensureWidgetVisible(box)
    snap(box, artifacts / "media-watch-waiting-zh_TW.png")

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString())
                        or True)
    panel.table.selectRow(0)
    assert panel.link_button.isEnabled()
    qtbot.mouseClick(panel.link_button, Qt.MouseButton.LeftButton)
    assert opened == ["https://news.example.tw/a/1"]

    # Released on Facebook: the item is answered, and how long that took is shown.
    statements.list.setCurrentRow(0)
    statements.versions.selectRow(0)
    qtbot.mouseClick(statements.event_buttons["released"], Qt.MouseButton.LeftButton)
    view = fill_dialog(qtbot, ws, EventDialog, {"statement_event_name": "Lee",
                                                "statement_event_channel": "facebook"})
    assert [e.channel for e in view.statements[0].releases_of(1)] == ["facebook"]
    assert _("Facebook") in cell(statements.versions, 0, 5).text()
    assert statements.event_buttons["released"].isEnabled()  # other channels remain
    (answered,) = view.media
    assert answered.clarified_after is not None
    took = cell(panel.table, 0, MEASURED)
    assert took.text() == _("released after {time}").format(
        time=format_minutes(answered.clarified_after.total_seconds() / 60))
    assert took.foreground().color() != QColor(Qt.GlobalColor.red)

    for language in ("zh_TW", "en"):
        apply_language(language)
        ctx.language_changed.emit()
        page.ensureWidgetVisible(box)
        snap(box, artifacts / f"media-watch-{language}.png")
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)  # the form, in English
    dialog = next(d for d in ws.findChildren(MediaItemDialog) if d.isVisible())
    assert dialog.outlet.text() == "自由時報" and dialog.needs.isChecked()
    snap(dialog, artifacts / "media-item-dialog-en.png")
    dialog.reject()
    apply_language("zh_TW")
    ctx.language_changed.emit()

    # The day's summary, through the print path every form takes.
    with qtbot.waitSignal(panel.printer.previewed, timeout=TIMEOUT) as shown:
        qtbot.mouseClick(panel.print_button, Qt.MouseButton.LeftButton)
    preview: PrintPreviewDialog = shown.args[0]
    # Its one page on screen (pages_shown may come before a wait for it could begin).
    qtbot.waitUntil(lambda: preview.views[0].image is not None and not preview.asked,
                    timeout=TIMEOUT)
    assert preview.path.parent == ctx.data_dir / "printouts"
    text = subprocess.run(["pdftotext", "-raw", str(preview.path), "-"], capture_output=True,
                          text=True, check=True).stdout
    text = "".join(text.split())
    for expected in ("新聞監看彙整表", "自由時報", "海關放行走私加熱菸？", "填表人", "總指揮"):
        assert expected in text, expected
    snap(preview, artifacts / "media-summary-preview-zh_TW.png")
    preview.close()


def test_a_clipping_is_attached_to_the_selected_item(  # type: ignore[no-untyped-def]
        qtbot, screen: IncidentsScreen, tmp_path: Path, artifacts: Path) -> None:
    """The item's evidence (a photographed page, a recording of the broadcast) is kept with
    the item it shows, dropped onto the section's attachments while the item is selected."""
    from tests.gui.test_incident_attachments import _drop, _photo, _shown

    ws = open_new(qtbot, screen)
    ws.rail.setCurrentRow(3)
    page = ws.pages[3]
    panel: MediaWatchPanel = page.findChild(MediaWatchPanel, "media_watch")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    dialog = next(d for d in ws.findChildren(MediaItemDialog) if d.isVisible())
    dialog.outlet.setText("聯合報")
    dialog.headline.setText("港區貨櫃查獲走私")
    (item,) = settle(qtbot, ws, dialog.accept).media
    assert not panel.attachments.add.isEnabled()  # no item selected: nothing to attach to

    panel.table.selectRow(0)
    assert panel.attachments.record_id == item.id and panel.attachments.add.isEnabled()
    assert _drop(panel.attachments, [_photo(tmp_path / "剪報.png")])
    assert _shown(qtbot, panel.attachments, 1)[0].startswith("剪報.png")
    view = ws.ctrl.view
    assert view is not None
    assert [(a.record_kind, a.record_id) for a in view.attachments] == [("media_item", item.id)]
    page.ensureWidgetVisible(panel.attachments)
    snap(page.findChild(object, "stage_4_media_watch_box"),
         artifacts / "media-watch-attachments-zh_TW.png")

    panel.table.clearSelection()
    assert panel.attachments.list.count() == 0
