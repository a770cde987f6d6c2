"""A signed scan filed on another PC shows on this one after a sync: the signed-scans dialog of
the incident's notification form, open in the window while the run brings the scan in, lists
it without being reopened (the run announces the signed copies it applied)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from i18n import _
from models.incidents.actions import open_incident
from models.org.people import Actor, Role
from models.org.settings import Settings
from models.review.signed_scans import attach_scan
from models.schema import RULES
from models.startup import open_data_dir
from models.storage.db import Database
from models.sync.run import sync_once
# The other PC, the share and this PC's settings (one per language) are the sync window's.
from tests.gui.test_sync_window import (  # noqa: F401 (fixtures)
    OTHER,
    TIMEOUT,
    other_pc,
    settings,
    share,
    synced,
)
from tests.helpers import snap
from tests.unit.incidents.test_incidents import draft
from ui.incidents.list_screen import IncidentsScreen
from ui.main_window import NAV, MainWindow
from ui.printing.signed_scans import SignedScanDialog
from ui.runtime.context import AppContext



def test_a_scan_filed_on_another_pc_shows_in_the_open_dialog_after_a_sync(
        qtbot, ctx: AppContext, other_pc: Database, share: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
        artifacts: Path) -> None:
    incident_id = open_incident(other_pc, OTHER, "keelung", draft(title="Heated tobacco"))
    sync_once(other_pc, share, RULES)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.build_screens()
    window.nav.setCurrentRow([key for key, _label in NAV].index("incidents"))
    window.show()
    with qtbot.waitSignal(window.sync.finished, timeout=TIMEOUT,
                          check_params_cb=lambda report: report is not None):
        ctx.database_ready.emit()  # the first run brings the incident
    screen = window.screens["incidents"]
    assert isinstance(screen, IncidentsScreen)
    screen.open_incident(incident_id)
    with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,
                          check_params_cb=lambda name: name == "signed_scans"):
        screen.workspace.scan_actions["notification"].trigger()
    dialog = screen.workspace.findChildren(SignedScanDialog)[-1]
    assert dialog.isVisible() and dialog.table.topLevelItemCount() == 0

    scan = tmp_path / "通報單-簽核.png"
    Image.new("L", (300, 200), 255).save(scan)  # no QR code to read: the typed code names it
    attach_scan(other_pc, OTHER, "notification", incident_id, scan, "ABCD-EFGH-JK")
    sync_once(other_pc, share, RULES)
    synced(qtbot, window)

    qtbot.waitUntil(lambda: dialog.table.topLevelItemCount() == 1, timeout=TIMEOUT)
    item = dialog.table.topLevelItem(0)
    assert (item.text(0), item.text(2)) == ("通報單-簽核.png", OTHER.name)
    assert item.text(4) == _("No version of this record")
    snap(dialog, artifacts / f"signed-scans-synced-{ctx.settings.language}.png")


def test_a_unit_head_is_not_offered_to_file_the_offices_own_paper(
        qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    """The annual review is filed by the planning group and its signers (what every PC checks
    of a signed copy); a unit head still sees its scans, and files the drill report's."""
    ctx.update_settings(replace(ctx.settings, role=Role.UNIT_HEAD))
    shown = {}
    for form, record in (("annual_review", "keelung:2026"), ("drill_report", "r")):
        with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,
                              check_params_cb=lambda name: name == "signed_scans"):
            dialog = SignedScanDialog(ctx, form, record)
            qtbot.addWidget(dialog)
        shown[form] = (dialog.choose.isEnabled(), dialog.code.isEnabled(),
                       dialog.choose.toolTip())
    assert shown == {"annual_review": (False, False, _(
        "The signed paper of the office's own forms (the record of the draw, the evaluation, "
        "the annual review) is filed by the planning group and by those who sign it.")),
                     "drill_report": (True, True, "")}
