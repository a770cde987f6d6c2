"""The signed scans of a situation report and of a request for favour's registration form,
attached where each is printed: stage 3's situation reports (the chosen report) and stage 4's
inquiries (the chosen inquiry). The paper is the printout the app kept, scanned as a scanner
makes it (150 dpi, turned, blurred), its QR code read; the registration form's paper goes
older once the inquiry is edited. Screenshots of both dialogs in both languages go to
test-artifacts/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from i18n import _
from tests.gui.test_incident_wizard import (  # noqa: F401 (screen: the fixture)
    TIMEOUT,
    fill_dialog,
    open_new,
    screen,
    settle,
)
from tests.gui.test_inquiry_section import add_inquiry, dialog_of, stage4
from tests.gui.test_signed_scan_dialog import _attach, _verdicts
from tests.helpers import snap
from tests.scans import scan_of_pdf
from ui.incidents.inquiries import InquiriesPanel
from ui.incidents.inquiry_dialogs import InquiryDialog
from ui.incidents.list_screen import IncidentsScreen
from ui.incidents.situation_reports import FileReportDialog, SituationReportsPanel
from ui.incidents.workspace import IncidentWorkspace
from ui.printing.jobs import FormPrinter
from ui.printing.signed_scans import SignedScanDialog
from ui.runtime.context import AppContext
from ui.runtime.language import apply_language

CURRENT = "The current version: the paper is the record as it stands."


def _printed(qtbot: QtBot, printer: FormPrinter, button: QPushButton, path: Path) -> Path:
    """Print through *button*, close the preview, and scan the printout the app kept."""
    with qtbot.waitSignal(printer.previewed, timeout=TIMEOUT) as previewed:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    preview = previewed.args[0]
    pdf = preview.path.read_bytes()
    preview.close()
    return scan_of_pdf(pdf, path)


def _open(qtbot: QtBot, ctx: AppContext, button: QPushButton) -> SignedScanDialog:
    """The signed-scans dialog opened by *button*, its list loaded."""
    with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,
                          check_params_cb=lambda name: name == "signed_scans"):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = button.parentWidget().findChildren(SignedScanDialog)[-1]
    assert dialog.isVisible()
    return dialog


def _shots(qtbot: QtBot, ctx: AppContext, button: QPushButton, form: str, name: str,
           artifacts: Path) -> None:
    """The section with its button, and the dialog titled with its form, in both languages,
    for a person to look at."""
    for language in ("zh_TW", "en"):
        apply_language(language)
        ctx.language_changed.emit()
        assert button.text() == _("Signed scans…") and button.isEnabled()
        snap(button.parentWidget(), artifacts / f"{name}-section-{language}.png")
        dialog = _open(qtbot, ctx, button)
        assert dialog.windowTitle() == _("Signed scans: {form}").format(form=_(form))
        snap(dialog, artifacts / f"{name}-{language}.png")
        dialog.close()
    apply_language("zh_TW")
    ctx.language_changed.emit()


def test_a_situation_reports_signed_scan_from_stage_3(
        qtbot: QtBot, ctx: AppContext, screen: IncidentsScreen,  # noqa: F811
        tmp_path: Path, monkeypatch: Any, artifacts: Path) -> None:
    ws: IncidentWorkspace = open_new(qtbot, screen)
    ws.rail.setCurrentRow(2)
    panel = ws.pages[2].findChild(SituationReportsPanel)
    assert panel is not None and not panel.scans_button.isEnabled()
    qtbot.mouseClick(panel.file_button, Qt.MouseButton.LeftButton)
    dialog_of(ws, FileReportDialog).next_steps.setPlainText("明日上午複查")  # type: ignore[attr-defined]
    fill_dialog(qtbot, ws, FileReportDialog, {})
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=TIMEOUT)
    panel.table.selectRow(0)
    assert panel.scans_button.isEnabled()
    scan = _printed(qtbot, panel.printer, panel.print_button, tmp_path / "處理情形-簽核.png")

    dialog = _open(qtbot, ctx, panel.scans_button)
    assert _verdicts(dialog) == []
    _attach(qtbot, ctx, dialog, scan, monkeypatch)
    assert _("Read from the scan's QR code.") in dialog.outcome.text()
    assert _verdicts(dialog) == [_(CURRENT)]
    dialog.close()
    _shots(qtbot, ctx, panel.scans_button, "Situation report", "signed-scans-situation",
           artifacts)


def test_a_favour_registration_forms_signed_scan_from_stage_4(
        qtbot: QtBot, ctx: AppContext, screen: IncidentsScreen,  # noqa: F811
        tmp_path: Path, monkeypatch: Any, artifacts: Path) -> None:
    ws = open_new(qtbot, screen)
    panel: InquiriesPanel = stage4(qtbot, ws)
    add_inquiry(qtbot, ws, panel, favour=False, channel="visit")
    panel.table.selectRow(0)
    assert not panel.buttons["scans"].isEnabled()  # no registration form to sign
    qtbot.mouseClick(panel.buttons["edit"], Qt.MouseButton.LeftButton)
    edit = dialog_of(ws, InquiryDialog)
    assert isinstance(edit, InquiryDialog)
    edit.favour.setChecked(True)
    settle(qtbot, ws, edit.accept)
    panel.table.selectRow(0)
    assert panel.buttons["scans"].isEnabled() and ws.ctrl.view is not None
    printed_as = len(ws.ctrl.view.timeline)  # the version the form prints (its entries)
    scan = _printed(qtbot, panel.printer, panel.buttons["print"], tmp_path / "登錄表.jpg")

    dialog = _open(qtbot, ctx, panel.buttons["scans"])
    _attach(qtbot, ctx, dialog, scan, monkeypatch)
    assert _verdicts(dialog) == [_(CURRENT)]
    dialog.close()

    qtbot.mouseClick(panel.buttons["edit"], Qt.MouseButton.LeftButton)
    edit = dialog_of(ws, InquiryDialog)
    assert isinstance(edit, InquiryDialog)
    edit.request.setPlainText("詢問報關行貨櫃查驗進度及放行時程")
    settle(qtbot, ws, edit.accept)
    panel.table.selectRow(0)
    dialog = _open(qtbot, ctx, panel.buttons["scans"])
    older = _("An older version (printed as version {version}): print it and sign it "
              "again.").format(version=printed_as)
    assert _verdicts(dialog) == [older]
    _attach(qtbot, ctx, dialog, scan, monkeypatch)
    assert _verdicts(dialog) == [older, older]
    dialog.close()
    _shots(qtbot, ctx, panel.buttons["scans"], "Request for favour registration form",
           "signed-scans-favour", artifacts)
