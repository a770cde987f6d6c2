"""The executive secretary marks a case 密 through the real header dialog, and the incident
window's timeline shows who changed the classification from what to what, in either
language. Screenshots of the timeline go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.gui.test_record_header_gui import TIMEOUT, opened_dialog, settings, window
from tests.helpers import incident_open, snap
from ui.incidents.list_screen import IncidentsScreen
from ui.main_window import MainWindow
from ui.runtime.context import AppContext
from ui.runtime.language import apply_language

__all__ = ["settings", "window"]  # the fixtures, shared with the header's own GUI test


def _lines(screen: IncidentsScreen) -> list[str]:
    model = screen.workspace.timeline.model
    return [" ".join(model.texts(row)[1:]) for row in range(model.rowCount())]


def test_a_classification_set_in_the_dialog_is_on_the_timeline(
        qtbot: QtBot, ctx: AppContext, window: tuple[MainWindow, str], artifacts: Path) -> None:
    win, case = window
    screen = incident_open(qtbot, win, case, timeout=TIMEOUT)
    assert not any("密等" in line for line in _lines(screen))

    dialog = opened_dialog(qtbot, screen.workspace.record_header)
    dialog.classification.setCurrentIndex(dialog.classification.findData("restricted"))
    dialog.declassify.insert("本案結案後解密")
    with qtbot.waitSignal(screen.workspace.ctrl.loaded, timeout=TIMEOUT):
        dialog.accept()
    lines = _lines(screen)
    assert "周執秘（執行秘書） 修改：密等：密（原為：普通）" in lines
    assert not any("速別" in line for line in lines)  # 普通件 stored for "": no change
    assert any(line.endswith("修改：解密條件或保密期限：本案結案後解密（原為：（空白））")
               for line in lines)
    snap(screen.workspace.timeline, artifacts / "record_header_timeline_zh.png")

    apply_language("en")
    ctx.language_changed.emit()
    qtbot.waitUntil(lambda: "周執秘 (Executive secretary) Changed: Classification: "
                    "Restricted (was: Unclassified)" in _lines(screen), timeout=TIMEOUT)
    snap(screen.workspace.timeline, artifacts / "record_header_timeline_en.png")
    apply_language("zh_TW")
    ctx.language_changed.emit()
