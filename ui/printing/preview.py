"""The print preview: a form's pages as they will print, zoomable, with Print…, Save as PDF…,
Save as ODF… (the same form as an ODF text document, for offices that file ODF: forms/odt.py)
and Open in PDF viewer.

Why in the app: the executive secretary and the commander print forms to sign; they must see
the pages (a draft's marking, the signers filled in) before paper comes out, and print without
a PDF viewer installed. What is shown and printed is the PDF kept in printouts/, rasterized by
pdfium (ui/printing/page_images.py).

The GUI thread never waits for pdfium: pages are rasterized on the worker, and the images come
back as bytes. The preview opens with its first page already rasterized (in the job that
rendered the form, ui/printing/jobs.py) and every page laid out at its size; the other pages
are rasterized only when they come into view, so a long case file costs no more to open than
a one-page form. A zoom scales the images at once and asks for sharper ones of the pages in
view at the new size. A dialog closed before its pages arrive is deleted, and the worker skips
its callbacks.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QStandardPaths, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QPageLayout,
    QPageSize,
    QPainter,
    QPaintEvent,
    QPixmap,
    QShowEvent,
)
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from i18n import _
from ui.printing.page_printer import PagePrinter, chosen_pages, page_qimage
from ui.runtime.context import AppContext
from ui.runtime.feedback import error_text, show_error
from ui.runtime.naming import named
from ui.runtime.ops import Op

if TYPE_CHECKING:
    from forms.document import FormDocument
    from models.storage.db import Database
    from ui.printing.page_images import PageImage, PreviewStart

__all__ = ["PageView", "PrintPreviewDialog", "preview_dpi"]

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.25, 4.0
MIN_DPI, MAX_DPI = 36.0, 300.0
RERENDER_AFTER_MS = 200
"""Zooming several steps in a row asks for one sharper rendering, not one per step."""
SCROLL_SETTLE_MS = 40
"""Pages scrolled into view are asked for at most this often while the view moves."""
RERENDER_MARGIN = 0.15
"""Images within this share of the wanted resolution are sharp enough: no new rendering."""
PAGE_GAP = 12
POINTS_PER_INCH = 72


def preview_dpi(widget: QWidget, zoom: float = 1.0) -> float:
    """The resolution that draws a page pixel for pixel on *widget*'s screen at *zoom*."""
    wanted = widget.logicalDpiX() * zoom * widget.devicePixelRatioF()
    return max(MIN_DPI, min(MAX_DPI, wanted))


def _sharp_enough(dpi: float, wanted: float) -> bool:
    return abs(wanted - dpi) <= RERENDER_MARGIN * wanted


class PageView(QWidget):
    """One page: its image drawn scaled to the widget's size, on white with a thin frame;
    a blank sheet until its image comes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image: QPixmap | None = None
        self.dpi = 0.0

    def set_image(self, image: QPixmap, dpi: float) -> None:
        self.image = image
        self.dpi = dpi
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        if self.image is None:
            painter.fillRect(self.rect(), Qt.GlobalColor.white)
        else:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawPixmap(self.rect(), self.image)
        painter.setPen(Qt.GlobalColor.darkGray)
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()


class PrintPreviewDialog(QDialog):
    """The pages of *pdf* (kept at *path*), to read, print, save or open elsewhere; *start*
    gives the pages' sizes and the first page's image. With the form *doc* it was rendered
    from, the form can also be saved as an ODF text document.

    Signals:
        pages_shown(int): the pages in view all have their images (the page count): once
            the dialog is shown, and again whenever scrolling or a zoom brought more or
            sharper ones.
        saved(str): the PDF was saved under this name.
        saved_odf(str): the form was saved as an ODF text document under this name.
        printed(int): so many pages went to the printer.
    """

    pages_shown = Signal(int)
    saved = Signal(str)
    saved_odf = Signal(str)
    printed = Signal(int)

    def __init__(self, ctx: AppContext, path: Path, pdf: bytes, start: PreviewStart,
                 parent: QWidget | None = None, doc: FormDocument | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("print_preview")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx = ctx
        self.path = path
        self.pdf = pdf
        self.doc = doc
        self.sizes_pt = list(start.sizes_pt)
        self.zoom = 1.0
        self.fit: str | None = "width"
        """"width" or "page" keeps the pages fitted as the window resizes; None: a set zoom."""
        self.asked: dict[int, float] = {}
        """Pages asked of the worker and not arrived yet, with the resolution asked for."""
        self.fresh = True
        """Images arrived that no pages_shown has announced yet."""

        self.status = named(QLabel(alignment=Qt.AlignmentFlag.AlignCenter), "preview_status")
        self.status.setWordWrap(True)
        self.pages = named(QWidget(), "preview_pages")
        self.pages.setStyleSheet("#preview_pages { background: #808080; }")
        self.column = QVBoxLayout(self.pages)
        self.column.setSpacing(PAGE_GAP)
        self.column.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        # Stacked from the top (not spread over a view taller than the pages): where each page
        # lies then follows from the page sizes alone (_page_spans).
        self.column.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.views = [PageView(self.pages) for _size in self.sizes_pt]
        for view in self.views:
            self.column.addWidget(view)
        self.scroller = named(QScrollArea(widgetResizable=True), "preview_scroll")
        self.scroller.setWidget(self.pages)
        self.scroller.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.scroller.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.status)
        self.stack.addWidget(self.scroller)
        self.stack.setCurrentWidget(self.scroller)

        self.fit_width = named(QPushButton(), "preview_fit_width")
        self.fit_width.clicked.connect(lambda: self._fit_to("width"))
        self.fit_page = named(QPushButton(), "preview_fit_page")
        self.fit_page.clicked.connect(lambda: self._fit_to("page"))
        self.zoom_out = named(QPushButton("−"), "preview_zoom_out")
        self.zoom_out.clicked.connect(lambda: self._zoom_by(1 / ZOOM_STEP))
        self.zoom_in = named(QPushButton("+"), "preview_zoom_in")
        self.zoom_in.clicked.connect(lambda: self._zoom_by(ZOOM_STEP))
        self.zoom_label = named(QLabel(), "preview_zoom")
        self.page_label = named(QLabel(), "preview_page")
        self.open_button = named(QPushButton(), "preview_open")
        self.open_button.clicked.connect(self.open_in_viewer)
        self.save_button = named(QPushButton(), "preview_save")
        self.save_button.clicked.connect(self.save_as)
        self.save_odf_button = named(QPushButton(), "preview_save_odf")
        self.save_odf_button.clicked.connect(self.save_as_odf)
        self.save_odf_button.setVisible(doc is not None)
        self.print_button = named(QPushButton(), "preview_print")
        self.print_button.clicked.connect(self.print_pages)
        self.close_button = named(QPushButton(), "preview_close")
        self.close_button.clicked.connect(self.close)
        self.print_button.setDefault(True)

        top = QHBoxLayout()
        for widget in (self.fit_width, self.fit_page, self.zoom_out, self.zoom_label,
                       self.zoom_in):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.page_label)
        bottom = QHBoxLayout()
        bottom.addWidget(self.open_button)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.save_odf_button)
        bottom.addStretch(1)
        bottom.addWidget(self.print_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)

        self.fetch = QTimer(self, singleShot=True)
        self.fetch.timeout.connect(self._fetch_visible)
        ctx.language_changed.connect(self.retranslate)
        self.retranslate()
        self._place(start.first)
        self.resize(900, 1000)
        self._apply_zoom()
        # Fitted to the view's own size, which is known only once the layout has placed it.
        self.scroller.viewport().installEventFilter(self)

    # --- texts ---------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(_("Print preview: {name}").format(name=self.path.name))
        self.fit_width.setText(_("Fit width"))
        self.fit_page.setText(_("Fit page"))
        self.zoom_out.setToolTip(_("Zoom out"))
        self.zoom_in.setToolTip(_("Zoom in"))
        self.open_button.setText(_("Open in PDF viewer"))
        self.save_button.setText(_("Save as PDF…"))
        self.save_odf_button.setText(_("Save as ODF…"))
        self.save_odf_button.setToolTip(_("Save the form as an ODF text document (.odt), "
                                          "for offices that file ODF"))
        self.print_button.setText(_("Print…"))
        self.close_button.setText(_("Close"))
        self._show_zoom()
        self._show_page_number()

    def _show_zoom(self) -> None:
        self.zoom_label.setText(_("{percent} %").format(percent=round(self.zoom * 100)))

    def _show_page_number(self) -> None:
        self.page_label.setText(_("Page %(page)d of %(pages)d") % {
            "page": self.current_page() + 1, "pages": len(self.views)})

    # --- rendering -----------------------------------------------------------------------

    def _wanted_dpi(self) -> float:
        return preview_dpi(self, self.zoom)

    def visible_pages(self) -> list[int]:
        """The pages (0-based) that show at least a line of themselves in the view."""
        view_top = self.scroller.verticalScrollBar().value()
        view_bottom = view_top + self.scroller.viewport().height()
        return [index for index, top, height in self._page_spans()
                if top < view_bottom and top + height > view_top]

    def _fetch_visible(self) -> None:
        """Ask the worker for the pages in view that lack an image sharp enough for the zoom
        (one job for all of them); announce pages_shown once none is missing."""
        wanted = self._wanted_dpi()
        missing = [index for index in self.visible_pages()
                   if not _sharp_enough(self.views[index].dpi, wanted)
                   and not _sharp_enough(self.asked.get(index, 0.0), wanted)]
        if missing:
            pdf = self.pdf

            def render(_db: Database) -> list[PageImage]:
                from ui.printing.page_images import render_pages

                return render_pages(pdf, wanted, missing)

            self.asked.update(dict.fromkeys(missing, wanted))
            self.ctx.worker.run("preview_pages", render, self._arrived, self._show_failure)
        elif self.fresh and not self.asked:
            self.fresh = False
            self.pages_shown.emit(len(self.views))

    def _arrived(self, pages: list[PageImage]) -> None:
        for page in pages:
            latest = self.asked.get(page.index) == page.dpi
            if latest:
                del self.asked[page.index]
            # An image asked for before a zoom still beats a blank page until its successor.
            if latest or self.views[page.index].image is None:
                self._place(page)
        self._fetch_visible()

    def _place(self, page: PageImage) -> None:
        self.views[page.index].set_image(QPixmap.fromImage(page_qimage(page)), page.dpi)
        self.fresh = True

    def _show_failure(self, exc: Exception) -> None:
        self.asked.clear()
        self.status.setText(_("The form could not be shown: {error}").format(
            error=error_text(exc)))
        self.stack.setCurrentWidget(self.status)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fetch.start(0)  # once the layout has placed the pages

    def _scrolled(self) -> None:
        self._show_page_number()
        if not self.fetch.isActive():
            self.fetch.start(SCROLL_SETTLE_MS)

    # --- zoom and pages ------------------------------------------------------------------

    def _page_pixels(self, index: int, zoom: float) -> tuple[int, int]:
        """The on-screen size of page *index* at *zoom* (1.0: actual size)."""
        width_pt, height_pt = self.sizes_pt[index]
        per_point = self.logicalDpiX() / POINTS_PER_INCH * zoom
        return round(width_pt * per_point), round(height_pt * per_point)

    def _page_spans(self) -> Iterator[tuple[int, int, int]]:
        """(page, top, height) of each page in the column at the zoom, in pixels.

        Worked out from the pages' sizes, as the column stacks them from the top, and not
        from the page widgets' positions: right after a zoom (and when the dialog first
        shows) the layout has not moved them yet, and the counter once read 第2頁 over
        page 1."""
        top = PAGE_GAP
        for index in range(len(self.views)):
            height = self._page_pixels(index, self.zoom)[1]
            yield index, top, height
            top += height + PAGE_GAP

    def _fit_to(self, mode: str) -> None:
        self.fit = mode
        area = self.scroller.viewport().size()
        width, height = self._page_pixels(0, 1.0)
        zoom = (area.width() - 2 * PAGE_GAP) / width
        if mode == "page":
            zoom = min(zoom, (area.height() - 2 * PAGE_GAP) / height)
        self._set_zoom(zoom)

    def _zoom_by(self, factor: float) -> None:
        self.fit = None
        self._set_zoom(self.zoom * factor)

    def _set_zoom(self, zoom: float) -> None:
        self.zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        self._apply_zoom()

    def _apply_zoom(self) -> None:
        for index, view in enumerate(self.views):
            view.setFixedSize(*self._page_pixels(index, self.zoom))
        self._show_zoom()
        self._show_page_number()
        self.fetch.start(RERENDER_AFTER_MS)

    def current_page(self) -> int:
        """The page on screen (0-based): the first page that fills at least half of what it
        could fill of the view (half of itself, or half of a view smaller than a page)."""
        view_top = self.scroller.verticalScrollBar().value()
        view_height = self.scroller.viewport().height()
        for index, top, height in self._page_spans():
            shown = min(top + height, view_top + view_height) - max(top, view_top)
            if shown * 2 >= min(height, view_height):
                return index
        return max(len(self.views) - 1, 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.scroller.viewport() and event.type() == QEvent.Type.Resize
                and self.fit):
            self._fit_to(self.fit)
        return False

    # --- actions -------------------------------------------------------------------------

    def open_in_viewer(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path)))

    def save_as(self) -> None:
        """A copy of the PDF (the very bytes previewed), written on the worker: the folder
        may be a slow network share."""
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save as PDF"), str(Path(folder) / self.path.name), _("PDF files (*.pdf)"))
        if not name:
            return
        pdf, target = self.pdf, Path(name)

        def write(_db: Database) -> str:
            from models.core.files import atomic_write_bytes

            atomic_write_bytes(target, pdf)
            return str(target)

        Op(self.ctx, "save_pdf", write, parent=self).on_done(self.saved.emit).run()

    def save_as_odf(self) -> None:
        """The form as an ODF text document (forms/odt.py), rendered and written on the
        worker: rendering reads the font, and the folder may be a slow network share."""
        if self.doc is None:
            return
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save as ODF"), str(Path(folder) / f"{self.path.stem}.odt"),
            _("ODF text documents (*.odt)"))
        if not name:
            return
        doc, target = self.doc, Path(name)
        if target.suffix.lower() != ".odt":
            target = target.with_name(f"{target.name}.odt")

        def write(_db: Database) -> str:
            from forms.odt import render_odt
            from models.core.files import atomic_write_bytes

            atomic_write_bytes(target, render_odt(doc))
            return str(target)

        Op(self.ctx, "save_odf", write, parent=self).on_done(self.saved_odf.emit).run()

    def print_pages(self) -> None:
        """Ask for the printer and the pages, then print them A4 portrait, page by page."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        printer.setFullPage(True)
        printer.setDocName(self.path.stem)
        dialog = QPrintDialog(printer, self)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, True)
        dialog.setMinMax(1, len(self.views))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        pages = chosen_pages(printer, len(self.views), self.current_page())
        progress = QProgressDialog(_("Printing…"), _("Cancel"), 0, len(pages), self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        job = PagePrinter(self.ctx.worker, self.pdf, printer, pages, self)
        job.progressed.connect(progress.setValue)

        def ended() -> None:
            progress.reset()
            progress.deleteLater()
            job.deleteLater()

        progress.canceled.connect(job.cancel)
        progress.canceled.connect(ended)
        job.finished.connect(ended)
        job.finished.connect(self.printed.emit)
        job.failed.connect(ended)
        job.failed.connect(lambda exc: show_error(self, exc))
        progress.show()
        job.start()
