"""The drill evaluation's signed scans from its own panel, as the planning group files the
signed paper: printed through the panel's Print, scanned (150 dpi, turned, blurred), attached
through "Signed scans of the evaluation…" and read by its QR code as the current version; once
the evaluation is changed the same paper is listed as an older one. In both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from i18n import _
from models.org.people import Role
from models.org.settings import Settings
from models.storage.db import Database
from tests.helpers import drills_screen_shown, run_on_worker, snap
from tests.scans import scan_of_pdf
from ui.printing.signed_scans import SignedScanDialog
from ui.runtime.context import AppContext
from ui.runtime.language import apply_language

TIMEOUT = 20000


@pytest.fixture
def settings() -> Settings:
    return Settings(user_name="林企劃", unit_key="secretariat", role=Role.PLANNING)


def _scans_listed(qtbot: QtBot, ctx: AppContext, click: object) -> None:
    with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,
                          check_params_cb=lambda name: name == "signed_scans"):
        click()  # type: ignore[operator]


def test_the_signed_evaluation_is_attached_and_read_by_its_qr_code(
        qtbot: QtBot, ctx: AppContext, artifacts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from models.drills.actions import draw_unit
    from models.drills.kinds import taipei_today
    from models.drills.queries import drill_schedule
    from models.drills.reports.actions import save_evaluation
    from tests.unit.drills.test_drill_reports import PLANNER, full_evaluation, signed_report
    from tests.unit.drills.test_report_codes import SECRETARY

    def evaluated(db: Database) -> str:
        draw_unit(db, SECRETARY, "keelung", taipei_today(), seed=7)
        drill = next(m.drill for m in drill_schedule(db, "keelung", taipei_today()).months
                     if m.drill)
        signed_report(db, drill.id)
        save_evaluation(db, PLANNER, drill.id, full_evaluation())
        return drill.id

    drill_id = run_on_worker(qtbot, ctx, evaluated)
    screen = drills_screen_shown(qtbot, ctx)
    panel = screen.evaluation_panel
    qtbot.waitUntil(lambda: panel.scans_button.isEnabled(), timeout=TIMEOUT)
    with qtbot.waitSignal(panel.printer.previewed, timeout=TIMEOUT) as opened:
        qtbot.mouseClick(panel.buttons["print"], Qt.MouseButton.LeftButton)
    preview = opened.args[0]
    scan = scan_of_pdf(preview.path.read_bytes(), ctx.data_dir / "評估報告-簽核.png", angle=-2.0)
    preview.close()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(scan), ""))

    _scans_listed(qtbot, ctx, lambda: qtbot.mouseClick(panel.scans_button,
                                                       Qt.MouseButton.LeftButton))
    dialog = panel.findChild(SignedScanDialog)
    assert dialog is not None and dialog.table.topLevelItemCount() == 0
    _scans_listed(qtbot, ctx, lambda: qtbot.mouseClick(dialog.choose, Qt.MouseButton.LeftButton))
    assert _("Read from the scan's QR code.") in dialog.outcome.text()
    assert dialog.table.topLevelItem(0).text(4) == _("Current version")
    snap(dialog, artifacts / "evaluation_scans_zh.png")
    dialog.close()

    run_on_worker(qtbot, ctx, lambda db: save_evaluation(
        db, PLANNER, drill_id, full_evaluation(strengths="研判正確，通報迅速。")))
    apply_language("en")
    ctx.language_changed.emit()
    try:
        assert panel.scans_button.text() == "Signed scans of the evaluation…"
        _scans_listed(qtbot, ctx, lambda: qtbot.mouseClick(panel.scans_button,
                                                           Qt.MouseButton.LeftButton))
        again = next(d for d in panel.findChildren(SignedScanDialog) if d is not dialog)
        assert again.windowTitle() == ("Signed scans: Crisis management drill evaluation "
                                       "report")
        assert again.table.topLevelItem(0).text(4) == "Older printout: sign again"
        snap(again, artifacts / "evaluation_scans_en.png")
        again.close()
    finally:
        apply_language("zh_TW")
        ctx.language_changed.emit()
