"""The look shared by every form: page geometry, type sizes, rules and shading.

Modelled on Taiwanese government forms: 楷書 throughout, thin black rules, label cells shaded
light grey (it survives a black-and-white office printer and a photocopy), A4 portrait with a
wider left margin for binding.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color, black
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from forms.fonts import printable, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4

# 25 mm on the left, the edge that is stapled or filed, 20 mm on the right. The header and
# footer start 15 and 12 mm from the top and bottom edges; the blocks sit well inside them.
MARGIN_LEFT = 25 * mm
MARGIN_RIGHT = 20 * mm
MARGIN_TOP = 15 * mm
MARGIN_BOTTOM = 12 * mm

#: The width the blocks of a form are laid out in.
CONTENT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

# Space between the page header and the first block, and between the last block and the footer.
HEADER_GAP = 5 * mm
FOOTER_GAP = 4 * mm

QR_SIZE = 18 * mm

LINE = 0.5
"""Width of the inner rules, in points."""
FRAME_LINE = 1.0
"""Width of the outline around each block, a little heavier as on printed forms."""
SHADE = Color(0.88, 0.88, 0.88)
"""Fill of label and heading cells."""
WATERMARK_GREY = Color(0.5, 0.5, 0.5, alpha=0.2)
VOID_GREY = Color(0.55, 0.55, 0.55)
"""The draft word in a signing space: plainly printed, yet lighter than anything signed."""

# Space between a cell's rules and its text, in points: a little more below, where Chinese
# characters sit lower than Latin ones.
PAD_X = 4
PAD_TOP = 3
PAD_BOTTOM = 4

#: Width of the label column of field grids and checkbox rows, so their rules line up.
LABEL_WIDTH = 28 * mm

#: Height left blank in a signature box for the signature or seal.
SIGNING_SPACE = 18 * mm

#: At most this many signature boxes share a row; more start another row.
SIGNATURES_PER_ROW = 4

#: Space above the signature boxes, setting them apart from the form's content.
SIGNATURES_GAP = 2 * mm


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of a form."""

    office: ParagraphStyle
    title: ParagraphStyle
    label: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    text: ParagraphStyle
    cell: ParagraphStyle
    header_cell: ParagraphStyle
    figure: ParagraphStyle
    centered: ParagraphStyle
    footer: ParagraphStyle
    draft_notice: ParagraphStyle
    void: ParagraphStyle


@cache
def styles() -> Styles:
    """The styles, built once. Every style uses the Kai face and CJK line breaking (which
    still breaks Latin text between words)."""
    font = register_fonts()

    def style(name: str, size: float, leading: float, alignment: Literal[0, 1, 2] = TA_LEFT,
              space_after: float = 0) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, bulletFontName=font, fontSize=size,
                              leading=leading, alignment=alignment, spaceAfter=space_after,
                              wordWrap="CJK")

    return Styles(
        office=style("office", 15, 20, TA_CENTER),
        title=style("title", 19, 25, TA_CENTER),
        label=style("label", 11, 15, TA_CENTER),
        heading=style("heading", 11.5, 15.5),
        body=style("body", 11, 16),
        text=style("text", 11, 16, space_after=3),
        cell=style("cell", 10, 13.5),
        header_cell=style("header_cell", 10, 13.5, TA_CENTER),
        # Figures in a table, right-aligned so their digits line up.
        figure=style("figure", 10, 13.5, TA_RIGHT),
        centered=style("centered", 10.5, 14, TA_CENTER),
        footer=style("footer", 8.5, 11),
        # A draft's banner: boxed, so it reads as a stamp rather than as part of the title.
        draft_notice=ParagraphStyle("draft_notice", style("draft_notice", 13, 17, TA_CENTER),
                                    borderWidth=FRAME_LINE, borderColor=black,
                                    borderPadding=4, spaceBefore=6, spaceAfter=3),
        # The word filling a draft's signing space: large and grey, so the box looks void.
        void=ParagraphStyle("void", style("void", 22, 26, TA_CENTER), textColor=VOID_GREY),
    )


IDEOGRAPHIC_SPACE = "\u3000"
"""全形空白, which Chinese labels space with ("檔　　號" as wide as "保存年限")."""

_IDEOGRAPHIC_SPACE_PRINTED = "\u00a0\u00a0"
"""How a paragraph prints one: reportlab's parser folds every run of spaces into one half-width
space ("檔　　號" printed "檔 號"), but keeps no-break spaces, two of which are one full width
in the Kai face."""


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """`text` as a paragraph: made printable, escaped (a "<" in a value is text, not markup),
    with its line breaks and its full-width spaces kept."""
    markup = escape(printable(text)).replace("\n", "<br/>")
    return Paragraph(markup.replace(IDEOGRAPHIC_SPACE, _IDEOGRAPHIC_SPACE_PRINTED), style)
