"""A PDF's pages as pixels, for the print preview and the printer: plain bytes and sizes, no Qt.

Why pdfium (pypdfium2): QtPdf is not part of PySide6-Essentials, and the forms are PDF bytes
already (forms.render), so what the preview shows and the printer gets is exactly the PDF kept
in printouts/, never a second rendering of the form.

Why plain bytes: these functions run on the database worker, and a QImage (or any Qt object)
must not be made, or dropped, off the GUI thread; the GUI thread wraps the bytes in a QImage.
Why on that one worker: PDFium is not thread-safe (not even for different documents), and the
worker is the one thread that ever calls it; each page is its own job when printing, so a
database job waits behind at most one page.

Imported only inside worker jobs: pdfium loads on first use, not with the window.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pypdfium2

POINTS_PER_INCH = 72


@dataclass(frozen=True)
class PageImage:
    """One page rasterized: 24-bit RGB rows of `stride` bytes (QImage.Format_RGB888), and
    the page's size in points, which the preview lays out by (independent of `dpi`)."""

    index: int
    page_count: int
    dpi: float
    width: int
    height: int
    stride: int
    pixels: bytes
    width_pt: float
    height_pt: float


@dataclass(frozen=True)
class PreviewStart:
    """What the print preview opens with, made in the job that rendered the form: the size
    of every page in points (the preview lays all of them out at once) and the first page's
    image (shown at once; the others are rasterized when they are scrolled into view)."""

    sizes_pt: tuple[tuple[float, float], ...]
    first: PageImage


def render_pages(pdf: bytes, dpi: float, indexes: Iterable[int] | None = None) -> list[PageImage]:
    """The pages *indexes* (0-based; all when None) of *pdf* at *dpi*, on white."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        count = len(document)
        return [_render(document, index, count, dpi)
                for index in (range(count) if indexes is None else indexes)]
    finally:
        document.close()


def first_page(pdf: bytes, dpi: float) -> PreviewStart:
    """What a preview opens with: every page's size and the first page at *dpi*."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        count = len(document)
        sizes = tuple(document.get_page_size(index) for index in range(count))
        return PreviewStart(sizes, _render(document, 0, count, dpi))
    finally:
        document.close()


def _render(document: pypdfium2.PdfDocument, index: int, count: int, dpi: float) -> PageImage:
    page = document[index]
    try:
        width_pt, height_pt = page.get_size()
        bitmap = page.render(scale=dpi / POINTS_PER_INCH,
                             force_bitmap_format=pypdfium2.raw.FPDFBitmap_BGR,
                             rev_byteorder=True)  # BGR reversed: RGB bytes
        try:
            return PageImage(index, count, dpi, bitmap.width, bitmap.height, bitmap.stride,
                             bytes(bitmap.buffer), width_pt, height_pt)
        finally:
            bitmap.close()
    finally:
        page.close()
