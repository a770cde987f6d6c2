"""The print preview, driven as the secretary uses it: an incident's notification form printed
from the app opens in the preview, its pages rendered off the GUI thread and shown A4 and
legible; Save as PDF copies the very bytes; Print sends the chosen pages to the printer and
Cancel stops it between pages; a preview closed before its pages arrive is simply gone."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QDesktopServices, QImage
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from forms.document import FormDocument
from forms.render import render_pdf
from forms.samples import sample_documents
from i18n import _
from tests.helpers import run_on_worker, snap
from ui.printing.jobs import FormPrinter
from ui.printing.page_images import first_page, render_pages
from ui.printing.page_printer import PagePrinter, page_qimage
from ui.printing.preview import PAGE_GAP, PrintPreviewDialog, preview_dpi
from ui.runtime.context import AppContext
from ui.runtime.language import apply_language

TIMEOUT = 10000
ROOT = Path(__file__).resolve().parent.parent.parent
A4_RATIO = 297 / 210


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert match, info
    return int(match.group(1))


def ink(image: QImage) -> float:
    """The share of the page's pixels that are darker than mid-grey."""
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    data = bytes(grey.constBits())
    return (len(data) - len(data.translate(None, bytes(range(128))))) / len(data)


@pytest.fixture
def host(qtbot) -> QWidget:  # type: ignore[no-untyped-def]
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def preview_of(qtbot, ctx: AppContext, host: QWidget, doc: FormDocument,  # type: ignore[no-untyped-def]
               name: str) -> PrintPreviewDialog:
    """A preview of *doc*, kept in printouts/ as the app keeps it, with its pages shown."""
    printer = FormPrinter(ctx, host)
    with qtbot.waitSignal(printer.previewed, timeout=TIMEOUT) as opened:
        printer.print_document(lambda _db: (name, doc))
    dialog = opened.args[0]
    with qtbot.waitSignal(dialog.pages_shown, timeout=TIMEOUT):
        pass
    return dialog


def test_a_notification_form_is_previewed_saved_and_opened(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, host: QWidget, tmp_path: Path, monkeypatch,
        artifacts: Path) -> None:
    from models.incidents.actions import open_incident
    from tests.unit.incidents.test_incidents import HEAD, draft

    incident_id = run_on_worker(qtbot, ctx, lambda db: open_incident(
        db, HEAD, "keelung", draft(title="旅客行李夾藏非洲豬瘟疫區肉品")))
    printer = FormPrinter(ctx, host)
    with qtbot.waitSignal(printer.previewed, timeout=TIMEOUT) as opened:
        printer.print_form(incident_id, "notification")
    dialog: PrintPreviewDialog = opened.args[0]
    # It opens with its first page on it, rendered with the form: no wait for the worker.
    assert dialog.isVisible() and dialog.views[0].image is not None
    assert dialog.print_button.isEnabled()
    with qtbot.waitSignal(dialog.pages_shown, timeout=TIMEOUT) as shown:
        pass
    assert dialog.path.parent == ctx.data_dir / "printouts"
    assert dialog.pdf == dialog.path.read_bytes() and dialog.pdf.startswith(b"%PDF")
    assert shown.args == [pdf_pages(dialog.path)] == [len(dialog.views)]
    assert dialog.page_label.text() == _("Page %(page)d of %(pages)d") % {
        "page": 1, "pages": len(dialog.views)}
    assert dialog.print_button.isEnabled()

    page = dialog.views[0]
    image = page.image.toImage()
    assert abs(image.height() / image.width() - A4_RATIO) < 0.01
    assert abs(page.height() / page.width() - A4_RATIO) < 0.01
    assert 0.005 < ink(image) < 0.5  # text and rules on a white page
    # Fit width: the page spans the view, less its margins.
    assert abs(page.width() - (dialog.scroller.viewport().width() - 24)) <= 2

    fitted = page.width()
    qtbot.mouseClick(dialog.zoom_in, Qt.MouseButton.LeftButton)
    assert dialog.fit is None and page.width() > fitted * 1.2
    with qtbot.waitSignal(dialog.pages_shown, timeout=TIMEOUT):  # sharper images follow
        pass
    assert dialog.views[0].image.width() > image.width() * 1.1
    qtbot.mouseClick(dialog.fit_page, Qt.MouseButton.LeftButton)
    assert dialog.views[0].height() <= dialog.scroller.viewport().height()

    copy = tmp_path / "通報單.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *_args, **_kw: (str(copy), "PDF (*.pdf)"))
    with qtbot.waitSignal(dialog.saved, timeout=TIMEOUT) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved.args == [str(copy)] and copy.read_bytes() == dialog.path.read_bytes()

    opened_urls: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        lambda url: opened_urls.append(url.toLocalFile()))
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert opened_urls == [str(dialog.path)]

    qtbot.mouseClick(dialog.fit_width, Qt.MouseButton.LeftButton)
    for language in ("zh_TW", "en"):
        apply_language(language)
        ctx.language_changed.emit()
        assert dialog.print_button.text() == _("Print…")
        snap(dialog, artifacts / f"print-preview-{language}.png")
    apply_language("zh_TW")


def test_print_sends_the_chosen_pages_to_the_printer(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, host: QWidget, tmp_path: Path, monkeypatch) -> None:
    dialog = preview_of(qtbot, ctx, host, sample_documents()["case_file"], "case-file")
    case_file = dialog.pdf
    pages = len(dialog.views)
    assert pages >= 3  # the sample case file runs over several pages
    outputs = iter([tmp_path / "all.pdf", tmp_path / "two.pdf"])
    choices = iter([(QPrinter.PrintRange.AllPages, 0, 0),
                    (QPrinter.PrintRange.PageRange, 2, 3)])

    def accept(print_dialog: QPrintDialog) -> int:
        """The user picks the office printer (here: a PDF file) and the pages."""
        printer = print_dialog.printer()
        assert printer.pageLayout().pageSize().id() == printer.pageLayout().pageSize().PageSizeId.A4
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(next(outputs)))
        chosen, first, last = next(choices)
        printer.setPrintRange(chosen)
        if first:
            printer.setFromTo(first, last)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    for expected, output in ((pages, tmp_path / "all.pdf"), (2, tmp_path / "two.pdf")):
        with qtbot.waitSignal(dialog.printed, timeout=TIMEOUT * 3) as printed:
            qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
        assert printed.args == [expected]
        assert pdf_pages(output) == expected
        text = subprocess.run(["pdfinfo", "-box", str(output)], capture_output=True, text=True,
                              check=True).stdout
        width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", text).groups())
        assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5  # A4 portrait
        # The paper carries the form, not a blank or shrunken image: about as much ink as
        # the page it prints (compared at 100 dpi: coarser blurs the rules away).
        first = 0 if expected == pages else 1
        paper = page_qimage(render_pages(output.read_bytes(), 100, [0])[0])
        shown = page_qimage(render_pages(case_file, 100, [first])[0])
        assert paper.size() == shown.size()
        assert abs(ink(paper) - ink(shown)) < 0.2 * ink(shown)


def test_a_preview_closed_before_its_pages_arrive_is_gone(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, host: QWidget, tmp_path: Path) -> None:
    pdf = render_pdf(sample_documents()["case_file"])
    path = tmp_path / "case-file.pdf"
    path.write_bytes(pdf)
    dialog = PrintPreviewDialog(ctx, path, pdf, first_page(pdf, preview_dpi(host)), host)
    dialog.show()
    for _step in range(4):  # small pages: the next ones come into view and are asked for
        qtbot.mouseClick(dialog.zoom_out, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.asked), timeout=TIMEOUT)
    with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,
                          check_params_cb=lambda name: name == "preview_pages"):
        dialog.close()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert not shiboken6.isValid(dialog)
    assert host.findChildren(PrintPreviewDialog) == []


def test_a_long_form_shows_its_first_page_at_once_and_the_others_as_they_come_into_view(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, host: QWidget, artifacts: Path) -> None:
    """The first page is on the preview as it opens; a page is rasterized only once it
    scrolls into view, and pages scrolled past unseen never are."""
    jobs: list[str] = []
    ctx.worker.finished.connect(jobs.append)
    printer = FormPrinter(ctx, host)
    with qtbot.waitSignal(printer.previewed, timeout=TIMEOUT) as opened:
        printer.print_document(lambda _db: ("case-file", sample_documents()["case_file"]))
    dialog: PrintPreviewDialog = opened.args[0]
    pages = len(dialog.views)
    assert pages == pdf_pages(dialog.path) >= 3
    assert dialog.views[0].image is not None
    assert [view.image for view in dialog.views[1:]] == [None] * (pages - 1)
    with qtbot.waitSignal(dialog.pages_shown, timeout=TIMEOUT) as shown:
        pass
    assert shown.args == [pages] and dialog.visible_pages() == [0]
    assert "preview_pages" not in jobs  # the first page came with the form
    assert [view.image for view in dialog.views[1:]] == [None] * (pages - 1)

    bar = dialog.scroller.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    with qtbot.waitSignal(dialog.pages_shown, timeout=TIMEOUT):
        bar.setValue(bar.maximum())  # straight to the end
    in_view = dialog.visible_pages()
    assert in_view[-1] == pages - 1 and 1 not in in_view
    shown_pages = [i for i, view in enumerate(dialog.views) if view.image is not None]
    assert shown_pages == [0, *in_view]  # page 2, scrolled past unseen, is still blank
    last = dialog.views[-1].image.toImage()
    assert abs(last.height() / last.width() - A4_RATIO) < 0.01 and 0.005 < ink(last) < 0.5
    assert dialog.page_label.text() == _("Page %(page)d of %(pages)d") % {
        "page": pages, "pages": pages}

    with qtbot.waitSignal(dialog.pages_shown, timeout=TIMEOUT):
        bar.setValue(dialog.views[1].y())  # page 2 comes into view
    assert dialog.views[1].image is not None
    snap(dialog, artifacts / "print-preview-page-2.png")
    dialog.close()


def test_printing_is_cancelled_between_pages(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, host: QWidget, tmp_path: Path, monkeypatch) -> None:
    dialog = preview_of(qtbot, ctx, host, sample_documents()["case_file"], "case-file")

    def accept(print_dialog: QPrintDialog) -> int:
        print_dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        print_dialog.printer().setOutputFileName(str(tmp_path / "cancelled.pdf"))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    printed: list[int] = []
    dialog.printed.connect(printed.append)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    job = dialog.findChild(PagePrinter)
    progress = dialog.findChild(QProgressDialog)
    assert progress.isVisible() and progress.maximum() == len(dialog.views)
    with qtbot.waitSignal(job.progressed, timeout=TIMEOUT):
        pass
    with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,  # the page then in hand
                          check_params_cb=lambda name: name == "print_page"):
        qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
    # Stopped and cleared away; the page in hand when Cancel was clicked went nowhere.
    assert not shiboken6.isValid(progress) and not shiboken6.isValid(job)
    assert printed == [] and dialog.print_button.isEnabled()


def test_the_page_counter_names_the_page_on_screen(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, host: QWidget) -> None:
    """As the pages arrive, after a zoom and while scrolling: the counter names the page at
    the top of the view (it read 第2頁，共5頁 over page 1 while the layout caught up)."""
    dialog = preview_of(qtbot, ctx, host, sample_documents()["case_file"], "case-file")
    pages = len(dialog.views)
    assert pages >= 3

    def counter(page: int) -> str:
        return _("Page %(page)d of %(pages)d") % {"page": page, "pages": pages}

    assert dialog.page_label.text() == counter(1)
    dialog.resize(900, 1400)
    for _step in range(8):  # small pages: several fit in the top third of the view
        qtbot.mouseClick(dialog.zoom_out, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: 0 < dialog.views[1].y() < dialog.scroller.viewport().height() // 3)
    assert dialog.page_label.text() == counter(1)
    qtbot.mouseClick(dialog.fit_width, Qt.MouseButton.LeftButton)  # page 1 fills the view
    assert dialog.page_label.text() == counter(1)
    qtbot.mouseClick(dialog.fit_page, Qt.MouseButton.LeftButton)
    assert dialog.page_label.text() == counter(1)
    bar = dialog.scroller.verticalScrollBar()
    first, second = dialog.views[0], dialog.views[1]

    def placed_at_fit_page() -> bool:
        # The click resizes the pages at once; the column moves page 2 up on a later event,
        # and until then its place is still the one at fit width, far down.
        return second.y() == first.y() + first.height() + PAGE_GAP < bar.maximum()

    qtbot.waitUntil(placed_at_fit_page)
    bar.setValue(dialog.views[1].y())
    assert dialog.page_label.text() == counter(2)
    bar.setValue(bar.maximum())
    assert dialog.page_label.text() == counter(pages)
    bar.setValue(0)
    assert dialog.page_label.text() == counter(1)
    dialog.close()


def test_printing_is_warmed_up_off_the_gui_thread_after_a_delay() -> None:
    """In a fresh process, as at start-up: the call loads nothing itself; after the delay a
    thread of its own imports reportlab and pdfium and parses the form font, so the first
    form printed finds them ready."""
    code = """if True:
        import sys, threading
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from ui.printing.warm import warm_up_printing
        warm_up_printing(50)
        loaded = lambda: sorted({n.split('.')[0] for n in sys.modules}
                                & {'reportlab', 'pypdfium2'})
        print(loaded())
        started = []

        def look():
            started.extend(t for t in threading.enumerate() if t.name == 'crisisdesk-print-warm')
            if started:
                app.quit()
            else:
                QTimer.singleShot(1, look)

        look()
        app.exec()
        started[0].join()
        from forms.fonts import _load_kai
        print(loaded(), _load_kai.cache_info().currsize)
    """
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert out.stdout.splitlines() == ["[]", "['pypdfium2', 'reportlab'] 1"], out.stderr
