"""The case archive driven through its widgets: the example cases loaded on request and
marked, substring search in Chinese and English with filters, a case file shown and printed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from i18n import _, set_language
from tests.helpers import pages_on_screen, snap
from ui.incidents.archive import ArchiveScreen
from ui.runtime.context import AppContext

TIMEOUT = 15000


@pytest.fixture
def archive(qtbot, ctx: AppContext) -> ArchiveScreen:  # type: ignore[no-untyped-def]
    screen = ArchiveScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1300, 800)
    screen.show()
    with qtbot.waitSignal(screen.searched, timeout=TIMEOUT):
        screen.load()
    return screen


def search(qtbot, screen: ArchiveScreen, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(screen.searched, timeout=TIMEOUT):
        screen.search.setText(text)
    return [screen.table.item(r, 1).text() for r in range(screen.table.rowCount())]


def test_examples_are_searched_shown_and_printed(qtbot, ctx: AppContext, archive: ArchiveScreen,  # type: ignore[no-untyped-def]
                                                 artifacts: Path) -> None:
    assert archive.table.rowCount() == 0 and archive.count.text() == _("No case file matches.")
    with qtbot.waitSignal(archive.searched, timeout=TIMEOUT):
        archive.load_examples()
    titles = [archive.table.item(r, 1).text() for r in range(archive.table.rowCount())]
    assert len(titles) == 4 and all(t.endswith(_(" (example)")) for t in titles)

    found = search(qtbot, archive, "加熱菸")
    assert len(found) == 1 and "加熱菸" in found[0]
    assert len(search(qtbot, archive, "豬瘟")) >= 1           # two characters
    assert search(qtbot, archive, "no such words anywhere") == []
    assert archive.count.text() == _("No case file matches.")
    search(qtbot, archive, "")
    archive.category.setCurrentIndex(archive.category.findData("emergency"))
    with qtbot.waitSignal(archive.searched, timeout=TIMEOUT):
        archive.category.activated.emit(archive.category.currentIndex())
    assert 1 <= archive.table.rowCount() < 4

    with qtbot.waitSignal(archive.case_shown, timeout=TIMEOUT):
        archive.table.selectRow(0)
    assert archive.view is not None
    assert archive.view.title in archive.case.toPlainText()
    assert _("Corrective actions") in archive.case.toPlainText()
    for language in ("zh_TW", "en"):
        set_language(language)
        ctx.language_changed.emit()
        snap(archive, artifacts / f"archive-{language}.png")
    set_language("zh_TW")
    ctx.language_changed.emit()

    with qtbot.waitSignal(archive.printer.previewed, timeout=TIMEOUT) as previewed:
        qtbot.mouseClick(archive.print_button, Qt.MouseButton.LeftButton)
    preview = previewed.args[0]
    path = preview.path
    assert path.read_bytes() == preview.pdf and path.read_bytes().startswith(b"%PDF")
    assert path.parent == ctx.data_dir / "printouts"
    assert pages_on_screen(qtbot, preview, TIMEOUT) >= 1 and preview.print_button.isEnabled()
    preview.close()


def test_the_preview_and_print_follow_the_selection(qtbot, archive: ArchiveScreen) -> None:  # type: ignore[no-untyped-def]
    """Search 加熱, pick the case, search 颱風: the list holds only the typhoon case, so the
    heated-tobacco case file must leave the preview and Print must not print it."""
    with qtbot.waitSignal(archive.searched, timeout=TIMEOUT):
        archive.load_examples()
    assert search(qtbot, archive, "加熱") and archive.table.rowCount() == 1
    with qtbot.waitSignal(archive.case_shown, timeout=TIMEOUT):
        archive.table.selectRow(0)
    assert "加熱" in archive.case.toPlainText() and archive.print_button.isEnabled()

    typhoon = search(qtbot, archive, "颱風")
    assert len(typhoon) == 1 and "颱風" in typhoon[0]
    assert not archive.table.selectedItems()
    assert archive.case.toPlainText() == "" and not archive.print_button.isEnabled()
    assert archive.view is None

    with qtbot.waitSignal(archive.case_shown, timeout=TIMEOUT):
        archive.table.selectRow(0)
    assert "颱風" in archive.case.toPlainText() and "加熱" not in archive.case.toPlainText()

    # A search that still holds the chosen case keeps it chosen and shown.
    kept = search(qtbot, archive, "")
    assert len(kept) == 4
    selected = archive.table.selectedItems()
    assert selected and "颱風" in archive.table.item(selected[0].row(), 1).text()
    assert "颱風" in archive.case.toPlainText() and archive.print_button.isEnabled()
