"""Save as ODF… in the print preview, driven as an office that files ODF uses it: the form on
screen is written as an ODF text document off the GUI thread, with the form's text, and a
preview without its form offers no such button."""

from __future__ import annotations

import io
import re
import threading
from pathlib import Path

import pytest
from odfdo import Document
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget

import forms.odt
from forms.render import render_pdf
from forms.samples import sample_documents
from i18n import _
from tests.helpers import snap
from ui.printing.jobs import FormPrinter
from ui.printing.page_images import first_page
from ui.printing.preview import PrintPreviewDialog, preview_dpi
from ui.runtime.context import AppContext
from ui.runtime.language import apply_language

TIMEOUT = 10000


@pytest.fixture
def host(qtbot) -> QWidget:  # type: ignore[no-untyped-def]
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_the_previewed_form_is_saved_as_odf_off_the_gui_thread(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, host: QWidget, tmp_path: Path, monkeypatch,
        artifacts: Path) -> None:
    apply_language("zh_TW")
    doc = sample_documents()["drill_report"]
    printer = FormPrinter(ctx, host)
    with qtbot.waitSignal(printer.previewed, timeout=TIMEOUT) as opened:
        printer.print_document(lambda _db: ("115-演練報告", doc))
    dialog: PrintPreviewDialog = opened.args[0]
    with qtbot.waitSignal(dialog.pages_shown, timeout=TIMEOUT):
        pass
    assert dialog.save_odf_button.isVisible()
    assert dialog.save_odf_button.text() == _("Save as ODF…")

    offered: list[str] = []
    target = tmp_path / "演練報告"  # typed without the extension

    def choose(_parent: QWidget, _caption: str, proposed: str, filters: str) -> tuple[str, str]:
        offered.append(proposed)
        assert "*.odt" in filters
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    threads: list[threading.Thread] = []
    render = forms.odt.render_odt

    def render_and_note(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return render(*args, **kwargs)

    monkeypatch.setattr(forms.odt, "render_odt", render_and_note)
    with qtbot.waitSignal(dialog.saved_odf, timeout=TIMEOUT) as saved:
        qtbot.mouseClick(dialog.save_odf_button, Qt.MouseButton.LeftButton)
    written = tmp_path / "演練報告.odt"
    assert saved.args == [str(written)]
    assert Path(offered[0]).name == "115-演練報告.odt"
    assert threads and threads[0] is not threading.main_thread()
    odt = Document(io.BytesIO(written.read_bytes()))
    body = re.sub(r"\s+", "", odt.body.text_recursive)
    # A deputy as 公文程式條例 has it (forms.deputies), as the PDF prints it.
    assert "業務二組" in body and "總指揮張志強不能視事黃國華代行" in body
    header = odt.get_style("master-page", "Standard").get_page_header().text_recursive
    assert doc.title in header

    for language in ("zh_TW", "en"):
        apply_language(language)
        ctx.language_changed.emit()
        assert dialog.save_odf_button.text() == _("Save as ODF…")
        snap(dialog, artifacts / f"print-preview-odf-{language}.png")
    apply_language("zh_TW")


def test_a_preview_without_its_form_offers_pdf_only(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, host: QWidget, tmp_path: Path) -> None:
    pdf = render_pdf(sample_documents()["notification"])
    path = tmp_path / "notification.pdf"
    path.write_bytes(pdf)
    dialog = PrintPreviewDialog(ctx, path, pdf, first_page(pdf, preview_dpi(host)), host)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.save_button.isVisible() and not dialog.save_odf_button.isVisible()
