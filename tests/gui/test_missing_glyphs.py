"""A drill report holding characters the form font lacks (Extension B: 𡘙 in a participant's
name, 𠀀 in the summary), printed from the Drills screen: before any preview opens, the window
names each character with its code point and the field it is in, and says it would print as
〓. Going back prints nothing; printing anyway shows the preview of a form with 〓 in place."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from i18n import _
from models.drills.reports.kinds import REPORT_FIELDS
from models.org.people import Role
from models.org.settings import Settings
from tests.helpers import drills_screen_shown, run_on_worker, snap
from ui.printing.missing_glyphs import MissingGlyphsBox
from ui.printing.preview import PrintPreviewDialog
from ui.runtime.context import AppContext
from ui.runtime.language import apply_language

TIMEOUT = 10000


@pytest.fixture
def settings() -> Settings:
    return Settings(user_name="周執秘", unit_key="secretariat", role=Role.SECRETARY)


def test_printing_a_report_with_characters_the_font_lacks_names_them_first(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, artifacts: Path) -> None:
    screen = drills_screen_shown(qtbot, ctx)
    report = screen.report_panel
    qtbot.mouseClick(screen.draw_panel.draw_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: report.isEnabled() and bool(report.unit.text()), timeout=TIMEOUT)
    screen.tabs.setCurrentWidget(report)
    report.case.setText("網傳海關放行染疫肉品")
    report.summary.setPlainText("09:30 由林𠀀通報執行秘書。")
    report.participants.setPlainText("陳怡璇\n王𡘙")  # a level-2 name prints; 𡘙 cannot
    qtbot.mouseClick(report.buttons["save"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: report.view is not None and report.view.report is not None,
                    timeout=TIMEOUT)

    boxes = {}
    for language in ("zh_TW", "en"):
        apply_language(language)
        ctx.language_changed.emit()
        with qtbot.waitSignal(report.printer.warned, timeout=TIMEOUT) as warned:
            qtbot.mouseClick(report.buttons["print"], Qt.MouseButton.LeftButton)
        box: MissingGlyphsBox = warned.args[0]
        assert box.isVisible() and box.windowTitle() == _("Characters the form cannot print")
        text = box.text()
        for line in (_("{field}: {characters}").format(field=_(REPORT_FIELDS["participants"]),
                                                       characters="𡘙 (U+21619)"),
                     _("{field}: {characters}").format(field=_(REPORT_FIELDS["summary"]),
                                                       characters="𠀀 (U+20000)")):
            assert line in text.splitlines(), text
        assert "〓" in text and "陳怡璇" not in text
        assert screen.findChildren(PrintPreviewDialog) == []  # the warning comes first
        snap(box, artifacts / f"missing-glyphs-{language}.png")
        boxes[language] = box
        if language == "zh_TW":
            qtbot.mouseClick(box.go_back, Qt.MouseButton.LeftButton)
            assert not box.isVisible()
            # The worker runs jobs in order: had going back queued anything, it is done now.
            run_on_worker(qtbot, ctx, lambda _db: None)
            assert not (ctx.data_dir / "printouts").exists()
            assert screen.findChildren(PrintPreviewDialog) == []

    with qtbot.waitSignal(report.printer.previewed, timeout=TIMEOUT) as previewed:
        qtbot.mouseClick(boxes["en"].print_anyway, Qt.MouseButton.LeftButton)
    preview: PrintPreviewDialog = previewed.args[0]
    assert preview.path.parent == ctx.data_dir / "printouts"
    printed = subprocess.run(["pdftotext", str(preview.path), "-"], capture_output=True,
                             text=True, check=True).stdout
    assert "王〓" in printed and "林〓" in printed and "陳怡璇" in printed
    preview.close()
    apply_language("zh_TW")
