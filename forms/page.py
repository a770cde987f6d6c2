"""What every page of a form carries besides its blocks: the office and title at the top, the
footer note, verification code, QR code and page numbers at the bottom, and the watermark; for
a record printed as a 公文, its header fields around the title and its classification marking
at the top and bottom edge (forms.official).

Why they are drawn on each page rather than flowed with the blocks: a form that runs onto more
pages must still say on each sheet whose form it is and which record it shows, because sheets
get separated at the copier and in the file.

Why pages are held back until the end (`NumberedCanvas`): "共 3 頁" needs the page count, which
is known only once everything is laid out. Holding the finished pages costs far less than laying
the whole form out twice.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from typing import IO, Any

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepInFrame

from forms.document import FormDocument
from forms.fonts import printable, register_fonts
from forms.official import ClassificationMarking, filing_lines, handling_lines
from forms.style import (
    CONTENT_WIDTH,
    FOOTER_GAP,
    HEADER_GAP,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    QR_SIZE,
    WATERMARK_GREY,
    paragraph,
    styles,
)
from i18n import _

__all__ = ["NumberedCanvas", "PageFurniture", "match_line"]

# Header and footer shrink their type rather than grow past these, so that an absurdly long
# title still leaves room for the form.
_MAX_HEADER = 60 * mm
_MAX_FOOTER_TEXT = 25 * mm

_QR_GAP = 4 * mm
_PAGE_NUMBER_SIZE = 9
_PAGE_NUMBER_LINE = 12
# The page number's baseline sits this far above the bottom margin, leaving room for descenders.
_PAGE_NUMBER_RAISE = 2
# The watermark spans at most this share of the page diagonal, and is never larger than this.
_WATERMARK_SPAN = 0.7
_WATERMARK_MAX_SIZE = 120
# Baseline to baseline, in font sizes, when a draft adds a second line.
_WATERMARK_LEADING = 1.2
# The name of the form XObject holding what every page carries (PageFurniture.draw).
_FURNITURE = "furniture"


class PageFurniture:
    """Measures and draws the header, footer and watermark of one document's pages.

    Measuring happens once, up front, so the frame for the blocks is known before layout.
    """

    def __init__(self, doc: FormDocument) -> None:
        s = styles()
        # KeepInFrame measures through a canvas; a scratch one serves before the real one exists.
        scratch = Canvas(io.BytesIO())
        heading: list[Flowable] = [*filing_lines(doc.header),
                                   paragraph(doc.office_name, s.office),
                                   paragraph(doc.title, s.title),
                                   *handling_lines(doc.header)]
        if doc.draft:
            heading.append(paragraph(doc.draft.notice, s.draft_notice))
        self._header = KeepInFrame(CONTENT_WIDTH, _MAX_HEADER, heading, mode="shrink")
        self.header_height = self._header.wrapOn(scratch, CONTENT_WIDTH, _MAX_HEADER)[1]

        self._qr = _QrCode(doc.verification.qr_payload) if doc.verification else None
        self._text_width = CONTENT_WIDTH - (QR_SIZE + _QR_GAP if self._qr else 0)
        lines: list[Flowable] = []
        if doc.footer_note:
            lines.append(paragraph(doc.footer_note, s.footer))
        if doc.identity or doc.verification:
            lines.append(paragraph(match_line(doc), s.footer))
        self._footer = KeepInFrame(self._text_width, _MAX_FOOTER_TEXT, lines, mode="shrink")
        text_height = self._footer.wrapOn(scratch, self._text_width, _MAX_FOOTER_TEXT)[1]
        self.footer_height = max(QR_SIZE if self._qr else 0, _PAGE_NUMBER_LINE + text_height)

        # A draft's word goes under the form's own watermark ("演練" over "草稿").
        marks = (doc.watermark, doc.draft.word if doc.draft else None)
        spaced = (" ".join(printable(m).split()) for m in marks if m)
        self._watermark = [mark for mark in spaced if mark]
        self._marking = ClassificationMarking.of(doc.header)

    @property
    def frame_bottom(self) -> float:
        """Where the blocks may begin, measured from the bottom of the page."""
        return MARGIN_BOTTOM + self.footer_height + FOOTER_GAP

    @property
    def frame_height(self) -> float:
        """The height the blocks have on each page."""
        top = PAGE_HEIGHT - MARGIN_TOP - self.header_height - HEADER_GAP
        return top - self.frame_bottom

    def draw(self, canvas: Canvas, _doc: object) -> None:
        """Draw the header and footer (all but the page numbers) when a page begins.

        They are the same on every page, so they are drawn once, into a form XObject of the
        PDF that each page then shows: a long case file is laid out and written faster (the
        QR code alone is hundreds of rectangles) and its PDF is smaller, and every page
        still prints them the same."""
        if not canvas.hasForm(_FURNITURE):
            canvas.beginForm(_FURNITURE)
            self._header.drawOn(canvas, MARGIN_LEFT,
                                PAGE_HEIGHT - MARGIN_TOP - self.header_height)
            self._footer.drawOn(canvas, MARGIN_LEFT, MARGIN_BOTTOM + _PAGE_NUMBER_LINE)
            if self._qr is not None:
                self._qr.draw(canvas, MARGIN_LEFT + CONTENT_WIDTH - QR_SIZE, MARGIN_BOTTOM)
            if self._marking is not None:
                self._marking.draw(canvas)
            canvas.endForm()
        canvas.doForm(_FURNITURE)

    def draw_watermark(self, canvas: Canvas, _doc: object) -> None:
        """Draw the watermark when a page is complete, translucent and over everything, so
        shaded cells do not hide it and it cannot be cropped away with the margins."""
        if not self._watermark:
            return
        font = register_fonts()
        diagonal = (PAGE_WIDTH**2 + PAGE_HEIGHT**2) ** 0.5
        widest = max(stringWidth(line, font, 1) for line in self._watermark)
        size = min(_WATERMARK_MAX_SIZE, _WATERMARK_SPAN * diagonal / widest)
        canvas.saveState()
        canvas.setFillColor(WATERMARK_GREY)
        canvas.setFont(font, size)
        canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        canvas.rotate(45)
        # Lines a line's height apart, the block centred on the page's centre.
        line_height = size * _WATERMARK_LEADING
        top = (len(self._watermark) - 1) * line_height / 2
        for i, line in enumerate(self._watermark):
            canvas.drawCentredString(0, top - i * line_height - size / 3, line)
        canvas.restoreState()

    def draw_page_number(self, canvas: Canvas, page: int, pages: int) -> None:
        """Draw "第 1 頁，共 3 頁" once the page count is known."""
        text = printable(_("Page %(page)d of %(pages)d") % {"page": page, "pages": pages})
        canvas.setFont(register_fonts(), _PAGE_NUMBER_SIZE)
        canvas.drawCentredString(MARGIN_LEFT + self._text_width / 2,
                                 MARGIN_BOTTOM + _PAGE_NUMBER_RAISE, text)

    def canvas(self, filename: str | IO[bytes], /, **options: Any) -> Canvas:
        """The canvas maker for reportlab's build(): numbers this document's pages."""
        return NumberedCanvas(filename, self.draw_page_number, **options)


def match_line(doc: FormDocument) -> str:
    """The line at the foot of every page that matches a loose sheet to its record: the
    record, the form and the verification code ("案號 基隆關-115-0007｜危機事件通報單｜驗證碼：
    …"); the code alone on a form that names no record."""
    code = doc.verification.code if doc.verification else ""
    if not doc.identity:
        return _("Verification code: %(code)s") % {"code": code}
    if not code:
        return _("%(record)s | %(form)s") % {"record": doc.identity, "form": doc.title}
    return _("%(record)s | %(form)s | Verification code: %(code)s") % {
        "record": doc.identity, "form": doc.title, "code": code}


class NumberedCanvas(Canvas):
    """A canvas that keeps every finished page until the document is saved, then numbers each
    with the final page count."""

    def __init__(self, filename: str | IO[bytes],
                 number_page: Callable[[Canvas, int, int], None], **options: Any) -> None:
        super().__init__(filename, **options)
        self._number_page = number_page
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._held.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab's; not in the stubs

    def save(self) -> None:
        pages = len(self._held)
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            self._number_page(self, number, pages)
            super().showPage()
        super().save()


class _QrCode:
    """The QR code of a payload, drawn straight onto the canvas.

    Why not reportlab's QrCodeWidget: drawing a widget resets the canvas to Helvetica, which
    would put a font in the PDF that is neither embedded nor used. The encoder is reportlab's.
    Level M survives a smudge or a fold; a quiet zone of two modules suits the blank margin it
    sits in.
    """

    _BORDER = 2

    def __init__(self, payload: str) -> None:
        qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        qr.addData(payload)
        qr.make()
        count = len(qr.modules)
        self._module = QR_SIZE / (count + 2 * self._BORDER)
        # Runs of dark modules per row, (row, first column, length): one rectangle each.
        self._runs: list[tuple[int, int, int]] = []
        for r, row in enumerate(qr.modules):
            c = 0
            for dark, run in itertools.groupby(bool(m) for m in row):
                length = len(list(run))
                if dark:
                    self._runs.append((r, c, length))
                c += length

    def draw(self, canvas: Canvas, x: float, y: float) -> None:
        """Draw the code with its lower left corner (quiet zone included) at `x`, `y`."""
        size = self._module
        top = y + QR_SIZE - self._BORDER * size
        path = canvas.beginPath()
        for r, c, length in self._runs:
            path.rect(x + (c + self._BORDER) * size, top - (r + 1) * size, length * size, size)
        canvas.drawPath(path, stroke=0, fill=1)
