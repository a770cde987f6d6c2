"""An incident's attachments through the real widgets: files attached by the file dialog and
by a drop of several at once, shown with their thumbnail, caption, who and when, opened in the
system's viewer from a copy with its own name; a statement's attachments beside it.
Screenshots in both languages go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QFileDialog

from i18n import _
from tests.gui.test_incident_wizard import TIMEOUT, open_new, screen, settle  # noqa: F401
from tests.helpers import run_on_worker, snap
from tests.unit.incidents.test_incidents import _run_to_archive
from ui.incidents.attachments import THUMBNAIL, AttachmentsPanel
from ui.incidents.list_screen import IncidentsScreen
from ui.incidents.workspace import IncidentWorkspace
from ui.runtime.context import AppContext
from ui.runtime.language import apply_language as set_language


def _photo(path: Path) -> Path:
    image = QImage(640, 480, QImage.Format.Format_RGB32)
    image.fill(QColor("#2e7d32"))
    assert image.save(str(path))
    return path


def _files(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "chosen"
    folder.mkdir()
    letter = folder / "立委來函.pdf"
    letter.write_bytes(b"%PDF-1.4 a letter")
    program = folder / "setup.exe"
    program.write_bytes(b"MZ")
    recording = folder / "電話錄音.mp3"
    recording.write_bytes(b"ID3 a call")
    return {"photo": _photo(folder / "貨櫃 3 號.png"), "letter": letter, "program": program,
            "recording": recording}


def _shown(qtbot, panel: AttachmentsPanel, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: panel.list.count() == count, timeout=TIMEOUT)
    return [panel.list.item(row).text() for row in range(count)]


def _middle(panel: AttachmentsPanel, row: int) -> QColor:
    """The colour in the middle of the icon of *row*: its thumbnail's, once made."""
    icon = panel.list.item(row).icon().pixmap(THUMBNAIL, THUMBNAIL).toImage()
    return icon.pixelColor(THUMBNAIL // 2, THUMBNAIL // 2)


def _drop(panel: AttachmentsPanel, paths: list[Path]) -> bool:
    """Drag *paths* from the file manager onto *panel* and drop them: whether it took them."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    at = QPointF(panel.width() / 2, panel.height() / 2)
    enter = QDragEnterEvent(at.toPoint(), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(at, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel, drop)
    return drop.isAccepted()


def _opened(qtbot, monkeypatch: pytest.MonkeyPatch, panel: AttachmentsPanel,  # type: ignore[no-untyped-def]
            row: int) -> Path:
    """Open the attachment of *row* as the user does: the file the system viewer is given."""
    urls: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    panel.list.setCurrentRow(row)
    qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(urls), timeout=TIMEOUT)
    return Path(urls[0].toLocalFile())


def test_files_are_attached_by_the_dialog_and_by_a_drop_shown_and_opened(  # type: ignore[no-untyped-def]
        qtbot, monkeypatch: pytest.MonkeyPatch, ctx: AppContext, screen: IncidentsScreen,
        tmp_path: Path, artifacts: Path) -> None:
    files = _files(tmp_path)
    ws: IncidentWorkspace = open_new(qtbot, screen)
    panel = ws.pages[0].findChild(AttachmentsPanel, "attachments_incident")
    assert panel is not None and panel.add.isEnabled()
    chosen = [str(files["photo"]), str(files["program"])]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *args: (chosen, ""))

    panel.caption.setText("西岸碼頭查獲現場")
    settle(qtbot, ws, lambda: qtbot.mouseClick(panel.add, Qt.MouseButton.LeftButton))

    [photo] = _shown(qtbot, panel, 1)
    assert photo.splitlines()[:2] == ["貨櫃 3 號.png", "西岸碼頭查獲現場"]
    assert photo.splitlines()[2].startswith(ctx.actor.name)
    qtbot.waitUntil(lambda: _middle(panel, 0) == QColor("#2e7d32"), timeout=TIMEOUT)  # the photo
    assert panel.error.isVisible() and panel.error.text() == _("{file}: {problem}").format(
        file="setup.exe", problem=_("Choose a photo, a PDF, an office document, a text, a "
                                    "recording or a video."))
    assert panel.caption.text() == ""  # given to the files attached

    assert _drop(panel, [files["letter"], files["recording"]])
    texts = _shown(qtbot, panel, 3)
    assert [t.splitlines()[0] for t in texts] == ["貨櫃 3 號.png", "立委來函.pdf", "電話錄音.mp3"]

    opened = _opened(qtbot, monkeypatch, panel, 1)
    assert opened.name == "立委來函.pdf" and opened.read_bytes() == b"%PDF-1.4 a letter"
    assert opened != files["letter"] and not opened.is_relative_to(ctx.data_dir)
    opened.write_bytes(b"saved over by the viewer")  # the stored file is not the viewer's
    assert _opened(qtbot, monkeypatch, panel, 1).read_bytes() == b"%PDF-1.4 a letter"

    box = panel.parentWidget()
    for language in ("zh_TW", "en"):
        set_language(language)
        ctx.language_changed.emit()
        ws.pages[0].ensureWidgetVisible(box)
        snap(box, artifacts / f"incident-attachments-{language}.png")
    set_language("zh_TW")
    ctx.language_changed.emit()



def test_a_statements_attachments_are_its_own(  # type: ignore[no-untyped-def]
        qtbot, monkeypatch: pytest.MonkeyPatch, ctx: AppContext, screen: IncidentsScreen,
        tmp_path: Path, artifacts: Path) -> None:
    files = _files(tmp_path)
    ws: IncidentWorkspace = open_new(qtbot, screen)
    statements = ws.pages[3].findChild(object, "statements")
    panel = statements.attachments
    qtbot.mouseClick(statements.new_clarification, Qt.MouseButton.LeftButton)
    assert not panel.add.isEnabled() and not _drop(panel, [files["letter"]])  # not saved yet
    settle(qtbot, ws, lambda: qtbot.mouseClick(statements.save, Qt.MouseButton.LeftButton))
    statements.list.setCurrentRow(0)
    qtbot.waitUntil(panel.add.isEnabled, timeout=TIMEOUT)
    panel.caption.setText("報導剪報")

    assert _drop(panel, [files["photo"]])

    [clipping] = _shown(qtbot, panel, 1)
    assert clipping.splitlines()[:2] == ["貨櫃 3 號.png", "報導剪報"]
    qtbot.waitUntil(lambda: _middle(panel, 0) == QColor("#2e7d32"), timeout=TIMEOUT)
    opened = _opened(qtbot, monkeypatch, panel, 0)
    assert opened.name == "貨櫃 3 號.png" and opened.read_bytes() == files["photo"].read_bytes()
    incident_panel = ws.pages[0].findChild(AttachmentsPanel, "attachments_incident")
    assert incident_panel.list.count() == 0  # the statement's, not the incident's own
    ws.stack.setCurrentIndex(3)
    for language in ("zh_TW", "en"):
        set_language(language)
        ctx.language_changed.emit()
        snap(statements, artifacts / f"statement-attachments-{language}.png")
    set_language("zh_TW")
    ctx.language_changed.emit()

    qtbot.mouseClick(statements.new_statement, Qt.MouseButton.LeftButton)  # a new draft
    assert panel.list.count() == 0 and panel.record_id is None and not panel.add.isEnabled()
