"""Attaching the signed scans of an incident's notification form and case file through the
workspace's Print menu: the QR code is read off a scan as a scanner makes it (150 dpi, turned,
blurred) and the dialog says whether the paper is the current version, an older one or none;
a scan without a readable code is checked by the typed code; a damaged file is refused at the
field. Screenshots in both languages go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from forms.document import FormDocument
from i18n import _, set_language
from tests.gui.test_incident_wizard import TIMEOUT, open_new, screen  # noqa: F401 (fixture)
from tests.helpers import run_on_worker, snap
from tests.scans import scan_of
from ui.incidents.list_screen import IncidentsScreen
from ui.incidents.workspace import IncidentWorkspace
from ui.printing.signed_scans import SignedScanDialog
from ui.runtime.context import AppContext


def _form(qtbot: Any, ctx: AppContext, incident_id: str, kind: str) -> FormDocument:
    """The incident's form *kind* as printed now."""
    def make(db: Any) -> FormDocument:
        from models.incidents.print import BUILDERS
        from models.incidents.queries import incident_view
        from models.storage.db import utcnow

        return BUILDERS[kind](incident_view(db, incident_id, utcnow(), 0), {}, "Asia/Taipei")
    return run_on_worker(qtbot, ctx, make)


def _open(qtbot: Any, ctx: AppContext, ws: IncidentWorkspace, kind: str) -> SignedScanDialog:
    """The signed-scans dialog of form *kind*, opened from the Print menu, its list loaded."""
    with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,
                          check_params_cb=lambda name: name == "signed_scans"):
        ws.scan_actions[kind].trigger()
    dialog = ws.findChildren(SignedScanDialog)[-1]
    assert dialog.isVisible()
    return dialog


def _attach(qtbot: Any, ctx: AppContext, dialog: SignedScanDialog, path: Path,
            monkeypatch: Any, listed: bool = True) -> None:
    """Choose *path* in the file dialog through the dialog's button, and wait until the scan
    is attached and listed (or refused)."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,
                          check_params_cb=lambda name: name == (
                              "signed_scans" if listed else "attach_signed_scan")):
        qtbot.mouseClick(dialog.choose, Qt.MouseButton.LeftButton)


def _verdicts(dialog: SignedScanDialog) -> list[str]:
    """What the list says of each scan attached (in full: its tooltip)."""
    return [dialog.table.topLevelItem(i).toolTip(4)
            for i in range(dialog.table.topLevelItemCount())]


def test_signed_scans_of_the_notification_form_and_the_case_file(
        qtbot, ctx: AppContext, screen: IncidentsScreen, tmp_path: Path,  # noqa: F811
        monkeypatch: Any, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    ws = open_new(qtbot, screen)
    incident_id = ws.ctrl.incident_id
    current = _("The current version: the paper is the record as it stands.")

    notification = scan_of(_form(qtbot, ctx, incident_id, "notification"),
                           tmp_path / "通報單-簽核.png")
    dialog = _open(qtbot, ctx, ws, "notification")
    assert _verdicts(dialog) == []
    _attach(qtbot, ctx, dialog, notification, monkeypatch)
    assert _("Read from the scan's QR code.") in dialog.outcome.text()
    assert current in dialog.outcome.text() and _verdicts(dialog) == [current]
    assert not dialog.error.isVisible()

    # a damaged file: refused, with the reason beside the button, nothing listed
    damaged = tmp_path / "damaged.jpg"
    damaged.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 40)
    _attach(qtbot, ctx, dialog, damaged, monkeypatch, listed=False)
    assert dialog.error.isVisible() and _("The scan cannot be read: the file is damaged or "
                                          "not a picture.") == dialog.error.text()
    assert _verdicts(dialog) == [current]
    dialog.close()

    # the case file, scanned; then the record changes and the same paper is older
    case_doc = _form(qtbot, ctx, incident_id, "case_file")
    assert case_doc.verification is not None
    case = scan_of(case_doc, tmp_path / "case.pdf", angle=-2.0, blur=1.0)
    dialog = _open(qtbot, ctx, ws, "case_file")
    _attach(qtbot, ctx, dialog, case, monkeypatch)
    assert _verdicts(dialog) == [current]
    dialog.close()

    def change(db: Any) -> None:
        from models.incidents.actions import set_field
        set_field(db, ctx.actor, incident_id, "s2.plan", "擴大查緝同一進口商")
    run_on_worker(qtbot, ctx, change)

    version = int(case_doc.verification.qr_payload.split(":")[3])  # as the paper says
    older = _("An older version (printed as version {version}): print it and sign it "
              "again.").format(version=version)
    dialog = _open(qtbot, ctx, ws, "case_file")
    assert _verdicts(dialog) == [older]  # what was current is stale now
    # a scan of the top of the page only (no QR code): the typed code decides
    top = tmp_path / "top.png"
    from PIL import Image
    with Image.open(scan_of(case_doc, tmp_path / "whole.png")) as image:
        image.crop((0, 0, image.width, image.height // 2)).save(top)
    _attach(qtbot, ctx, dialog, top, monkeypatch, listed=False)
    assert dialog.error.isVisible() and dialog.code.hasFocus()
    qtbot.keyClicks(dialog.code, "ABCD EFGH JK")
    _attach(qtbot, ctx, dialog, top, monkeypatch)
    assert _("No QR code could be read: checked by the typed code.") in dialog.outcome.text()
    none = _("None of this record's versions: the paper was not printed from it.")
    assert _verdicts(dialog) == [older, none]
    _attach(qtbot, ctx, dialog, case, monkeypatch)
    assert _verdicts(dialog) == [older, none, older]
    dialog.close()

    fresh = scan_of(_form(qtbot, ctx, incident_id, "notification"), tmp_path / "fresh.jpg")
    for language in ("zh_TW", "en"):
        set_language(language)
        ctx.language_changed.emit()
        dialog = _open(qtbot, ctx, ws, "case_file")
        _attach(qtbot, ctx, dialog, case, monkeypatch)
        assert dialog.table.topLevelItem(0).text(4) == _("Older version {version}: sign "
                                                         "again").format(version=version)
        snap(dialog, artifacts / f"signed-scans-{language}.png")
        dialog.close()
        dialog = _open(qtbot, ctx, ws, "notification")  # the change made it older too
        _attach(qtbot, ctx, dialog, fresh, monkeypatch)
        shown = [dialog.table.topLevelItem(i).text(4)
                 for i in range(dialog.table.topLevelItemCount())]
        assert shown[0] == _("Older version {version}: sign again").format(version=version)
        assert shown[-1] == _("Current version")
        snap(dialog, artifacts / f"signed-scans-notification-{language}.png")
        dialog.close()
        assert ws.scan_actions["notification"].text() == _("Signed scans: {form}…").format(
            form=_("Notification form"))


def test_an_older_paper_of_the_current_number_is_an_older_printout() -> None:
    """A record changed without a new version number (a QR code naming the current number
    with another code) is not called "version n" against a record that is version n too."""
    from datetime import UTC, datetime

    from models.review.signed_scans import ScanCheck, Verdict
    from ui.printing.signed_scans import verdict_text

    check = ScanCheck("1", "notification", "r", "a.png", "0" * 64, "ABCD-EFGH-JK",
                      Verdict.OLDER, 3, 3, datetime(2026, 12, 8, tzinfo=UTC), "林組長")
    assert verdict_text(check) == _("An older printout: the record has changed since; print "
                                    "it and sign it again.")
    assert verdict_text(check, short=True) == _("Older printout: sign again")
