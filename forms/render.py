"""A FormDocument as PDF bytes: the one entry point the window, the command line and the tests
use to print.

Layout is reportlab's platypus: the blocks flow through one frame per page, between the header
and footer that `forms.page` draws on every page, so a form of any length prints whole.
"""

from __future__ import annotations

import io
import logging

from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer

from forms.blocks import block_flowables
from forms.coverage import MissingGlyphs, describe, missing_glyphs
from forms.document import FormDocument
from forms.fonts import MISSING_GLYPH, printable, register_fonts
from forms.page import PageFurniture
from forms.style import CONTENT_WIDTH, MARGIN_LEFT, PAGE_HEIGHT, PAGE_WIDTH
from i18n import current_language

__all__ = ["render_pdf"]

log = logging.getLogger(__name__)


def render_pdf(doc: FormDocument, missing: tuple[MissingGlyphs, ...] | None = None) -> bytes:
    """Lay out `doc` on A4 pages and return the PDF.

    The form's own words (page numbers, "(none)", the verification caption) come out in the
    current language. Characters the shipped font lacks print as 〓 and are logged with their
    field (`forms.coverage`); they never make rendering fail. A caller that warns about them
    too passes the `missing_glyphs(doc)` it found, so the form is not searched twice.
    """
    font = register_fonts()
    for field in missing_glyphs(doc) if missing is None else missing:
        log.warning("%r: the form font lacks %s; printed as %s", doc.title, describe(field),
                    MISSING_GLYPH)
    furniture = PageFurniture(doc)
    frame = Frame(MARGIN_LEFT, furniture.frame_bottom, CONTENT_WIDTH, furniture.frame_height,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="blocks")
    template = PageTemplate("form", [frame], onPage=furniture.draw,
                            onPageEnd=furniture.draw_watermark)
    out = io.BytesIO()
    pdf = BaseDocTemplate(
        out,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        pageTemplates=[template],
        title=printable(doc.title),
        author=printable(doc.office_name),
        lang=current_language().replace("_", "-"),
        # Without this the canvas opens every page in Helvetica, a font nobody asked for.
        initialFontName=font,
    )
    void = doc.draft.word if doc.draft else ""
    story: list[Flowable] = [
        flowable for block in doc.blocks
        for flowable in block_flowables(block, CONTENT_WIDTH, void=void)
    ]
    # A form without blocks is still a page with its header and footer.
    pdf.build(story or [Spacer(0, 0)], canvasmaker=furniture.canvas)
    return out.getvalue()
