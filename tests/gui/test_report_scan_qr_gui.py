"""The drill report's signed scan from its panel, as the secretary attaches it: the code is
read off the scan's QR code with nothing typed; only a scan without a readable QR code asks
for the code printed under the form (the fallback), and Cancel attaches nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog
from pytestqt.qtbot import QtBot

from i18n import _
from models.org.people import Role
from models.org.settings import Settings
from models.storage.db import Database
from tests.helpers import run_on_worker
from tests.scans import blank_scan, scan_of
from ui.drills.screen import DrillsScreen
from ui.runtime.context import AppContext

TIMEOUT = 20000


@pytest.fixture
def settings() -> Settings:
    return Settings(user_name="周執秘", unit_key="secretariat", role=Role.SECRETARY)


def test_the_qr_code_is_read_and_the_code_asked_only_without_one(
        qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    from models.drills.actions import draw_unit
    from models.drills.kinds import taipei_today
    from models.drills.queries import drill_schedule
    from tests.unit.drills.test_drill_reports import signed_report
    from tests.unit.drills.test_signed_copies import SECRETARY

    def signed(db: Database) -> None:
        draw_unit(db, SECRETARY, "keelung", taipei_today(), seed=7)
        drill = next(m.drill for m in drill_schedule(db, "keelung", taipei_today()).months
                     if m.drill)
        signed_report(db, drill.id)

    run_on_worker(qtbot, ctx, signed)
    screen = DrillsScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1300, 820)
    screen.show()
    with qtbot.waitSignal(screen.loaded, timeout=TIMEOUT):
        screen.load()
    report = screen.report_panel
    qtbot.waitUntil(lambda: report.view is not None and report.view.locked, timeout=TIMEOUT)
    from models.drills.print import report_form

    form = report_form(report.view, screen.overview.playbook, ctx.settings.timezone)
    chosen: list[Path] = [scan_of(form, ctx.data_dir / "報告表-簽核.png")]
    asked: list[str] = []
    typed: list[tuple[str, bool]] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(chosen[0]), ""))

    def ask(_parent, _title, label, *_a, **_k):  # type: ignore[no-untyped-def]
        asked.append(label)
        return typed.pop(0)

    monkeypatch.setattr(QInputDialog, "getText", ask)
    current = _("Attached. The paper is version {number}, the current one.").format(number=1)

    def attach() -> None:
        with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,
                              check_params_cb=lambda name: name == "attach_scan"):
            qtbot.mouseClick(report.buttons["attach"], Qt.MouseButton.LeftButton)

    attach()
    assert asked == [] and report.copy_result.text() == current  # nothing typed

    chosen[0] = blank_scan(ctx.data_dir / "背面.pdf")  # no QR code on it
    typed.append(("", False))  # Cancel
    report.copy_result.clear()
    attach()
    assert len(asked) == 1 and "QR" in asked[0] and report.copy_result.text() == ""

    assert form.verification is not None
    typed.append((form.verification.code.lower(), True))
    attach()  # finds no code on the scan, asks for it, and attaches again with it typed
    qtbot.waitUntil(lambda: report.copy_result.text() == current, timeout=TIMEOUT)
    assert len(asked) == 2 and not report.error.isVisible()
