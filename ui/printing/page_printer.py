"""Sending a PDF's pages to a printer, one page at a time, without freezing the window.

Why page images rather than the PDF itself: Qt cannot hand a PDF to a printer, and PySide6-
Essentials has no QtPdf; pdfium (ui/printing/page_images.py) rasterizes each page at the printer's
resolution (at most PRINT_DPI: a 1200 dpi A4 page would be half a gigabyte) and QPainter draws
it onto the QPrinter.

Why one page at a time: each page is rasterized on the worker while the window stays live, then
painted on the GUI thread (a QPainter on a printer belongs to one thread); only one page's
pixels exist at once, whatever the length of the case file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRectF, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from i18n import N_
from models.core.errors import UserError
from ui.runtime.worker import DbWorker

if TYPE_CHECKING:
    from models.storage.db import Database
    from ui.printing.page_images import PageImage

PRINT_DPI = 300
"""Sharp for text and the QR code on an office laser printer, at 26 MB a page."""


def page_qimage(page: PageImage) -> QImage:
    """The QImage of a rasterized page, owning its pixels (made on the GUI thread)."""
    return QImage(page.pixels, page.width, page.height, page.stride,
                  QImage.Format.Format_RGB888).copy()


def chosen_pages(printer: QPrinter, page_count: int, current: int) -> list[int]:
    """The 0-based pages the print dialog chose: all, the range(s) typed, or the page shown."""
    if printer.printRange() == QPrinter.PrintRange.PageRange and not printer.pageRanges().isEmpty():
        ranges = printer.pageRanges()
        return [i for i in range(page_count) if ranges.contains(i + 1)]
    if printer.printRange() == QPrinter.PrintRange.CurrentPage:
        return [current]
    return list(range(page_count))


class PagePrinter(QObject):
    """Prints the pages *pages* (0-based) of *pdf* on *printer*, A4 page for A4 page.

    Signals:
        progressed(int): so many pages are on the printer so far.
        finished(int): every page was sent (their number).
        failed(object): the printer refused or a page failed to render (the exception).
    """

    progressed = Signal(int)
    finished = Signal(int)
    failed = Signal(object)

    def __init__(self, worker: DbWorker, pdf: bytes, printer: QPrinter, pages: Sequence[int],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.pdf = pdf
        self.printer = printer
        self.pages = list(pages)
        self.sent = 0
        self.painter = QPainter()
        self.cancelled = False

    def start(self) -> None:
        if not self.painter.begin(self.printer):
            self.failed.emit(UserError(N_("The printer could not be opened.")))
            return
        self._next()

    def cancel(self) -> None:
        """Stop after the page being drawn; what reached the printer stays there."""
        if self.cancelled or not self.painter.isActive():
            return
        self.cancelled = True
        self.printer.abort()
        self.painter.end()

    def _next(self) -> None:
        if self.sent == len(self.pages):
            self.painter.end()
            self.finished.emit(self.sent)
            return
        pdf, index = self.pdf, self.pages[self.sent]
        dpi = min(self.printer.resolution(), PRINT_DPI)

        def render(_db: Database) -> PageImage:
            from ui.printing.page_images import render_pages

            return render_pages(pdf, dpi, [index])[0]

        self.worker.run("print_page", render, self._draw, self._fail)

    def _draw(self, page: PageImage) -> None:
        if self.cancelled:
            return
        if self.sent:
            self.printer.newPage()
        # The image fills the paper (full-page mode), its proportions kept: the PDF is A4 with
        # its own margins, so nothing is scaled when the paper is A4 too.
        paper = self.printer.paperRect(QPrinter.Unit.DevicePixel)
        scale = min(paper.width() / page.width_pt, paper.height() / page.height_pt)
        width, height = page.width_pt * scale, page.height_pt * scale
        target = QRectF(paper.x() + (paper.width() - width) / 2,
                        paper.y() + (paper.height() - height) / 2, width, height)
        self.painter.drawImage(target, page_qimage(page))
        self.sent += 1
        self.progressed.emit(self.sent)
        self._next()

    def _fail(self, exc: Exception) -> None:
        self.cancel()
        self.failed.emit(exc)
