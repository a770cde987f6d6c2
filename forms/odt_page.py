"""The page of the forms' ODF text documents (forms/odt.py), as styles.xml holds it: A4 with
the PDF's margins, the header (a 公文's filing fields, office, title, its handling fields, draft
banner, the 45° watermark) and footer (note, the line naming record, form and verification code,
page fields, QR code) every page carries, a classified record's boxed marking at the top and
bottom edge, and the PDF's paragraph styles (forms/style.py) in the Kai face.

Why the marking is a frame placed on the page rather than a line of the header or footer: as in
the PDF (forms.official), it sits in the margins at the very edges, where a sheet cut, folded or
copied short still shows it; anchored in the page header and footer, every page carries it.
"""

from __future__ import annotations

import math
from dataclasses import fields

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth

from forms.document import FormDocument
from forms.fonts import register_fonts
from forms.official import (
    ClassificationMarking,
    MarkingBox,
    filing_texts,
    handling_texts,
)
from forms.odf_package import FONT, XML_DECLARATION, attrs
from forms.odt_xml import DOCUMENT_ROOT, clean, inline, paragraph, picture, to_mm
from forms.page import match_line
from forms.style import (
    CONTENT_WIDTH,
    FOOTER_GAP,
    HEADER_GAP,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    QR_SIZE,
    Styles,
    styles,
)
from i18n import _

__all__ = ["FALLBACK_FONT", "QR_PICTURE", "font_faces", "styles_xml", "text_properties"]

FALLBACK_FONT = "標楷體"
"""The Kai face of Traditional-Chinese Windows (DFKai-SB), named after TW-Kai so an office
suite without TW-Kai still sets the form in a Kai face."""


FONT_NAME = "Kai"
"""The style:font-face every style names: TW-Kai, then the fallbacks (LibreOffice reads a
semicolon-separated family list; others take the first)."""


QR_PICTURE = "Pictures/verification-qr.png"


# Two page-number placeholders that no translation contains, replaced by the fields.
_PAGE, _PAGES = 987654321, 987654322


_WATERMARK_GREY = "#d9d9d9"


# As forms/page.py draws the watermark.
_WATERMARK_SPAN = 0.7


_WATERMARK_MAX_SIZE = 120


_WATERMARK_LEADING = 1.2


# The page number's type, as forms/page.py sets it.
_PAGE_NUMBER_SIZE = 9


_PAGE_NUMBER_LINE = 12


_ALIGN: dict[object, str] = {TA_LEFT: "start", TA_CENTER: "center", TA_RIGHT: "end"}


def _page_number() -> str:
    """"第 n 頁，共 N 頁" in the current language, with the office suite's page fields."""
    text = inline(clean(_("Page %(page)d of %(pages)d") % {"page": _PAGE, "pages": _PAGES}))
    text = text.replace(str(_PAGE), "<text:page-number/>")
    text = text.replace(str(_PAGES), "<text:page-count/>")
    return f'<text:p text:style-name="page_number">{text}</text:p>'


def _anchored(paragraph_xml: str, shapes: str) -> str:
    """*paragraph_xml* holding *shapes* (placed on the page) at its start: anchored in the
    page header or footer, every page carries them."""
    return paragraph_xml.replace(">", f">{shapes}", 1) if shapes else paragraph_xml


def _header(doc: FormDocument) -> str:
    """As the PDF's (forms/page.py): 檔號 and 保存年限, the office, the title, 速別 and 密等,
    the draft banner; the watermark and the top marking anchored in its first line."""
    parts = [*(paragraph(text, "cell") for text in filing_texts(doc.header)),
             paragraph(doc.office_name, "office"), paragraph(doc.title, "title"),
             *(paragraph(text, "cell") for text in handling_texts(doc.header))]
    if doc.draft:
        parts.append(paragraph(doc.draft.notice, "draft_notice"))
    lines = _watermark_lines(doc)
    shapes = _watermark(lines) if lines else ""
    marking = ClassificationMarking.of(doc.header)
    if marking:
        shapes += _marking(marking.text, marking.boxes()[0], "MarkingTop")
    parts[0] = _anchored(parts[0], shapes)
    return f"<style:header>{''.join(parts)}</style:header>"


def _marking(text: str, box: MarkingBox, name: str) -> str:
    """The marking in a ruled frame on *box*, as the PDF draws it (forms.official)."""
    return (f'<draw:frame text:anchor-type="paragraph" draw:z-index="2" draw:name="{name}"'
            f' draw:style-name="MarkingFrame" svg:x="{to_mm(box.x)}"'
            f' svg:y="{to_mm(PAGE_HEIGHT - box.y - box.height)}" svg:width="{to_mm(box.width)}"'
            f' svg:height="{to_mm(box.height)}"><draw:text-box>{paragraph(text, "marking")}'
            "</draw:text-box></draw:frame>")


def _watermark_lines(doc: FormDocument) -> list[str]:
    """The watermark's lines, as the PDF prints them: the form's own over a draft's word."""
    marks = (doc.watermark, doc.draft.word if doc.draft else None)
    spaced = (" ".join(clean(m).split()) for m in marks if m)
    return [mark for mark in spaced if mark]


def _watermark_size(lines: list[str]) -> float:
    """The PDF's size (forms/page.py): the widest line spans 70% of the page's diagonal, at
    most 120 points."""
    widest = max(stringWidth(line, register_fonts(), 1) for line in lines)
    diagonal = (PAGE_WIDTH**2 + PAGE_HEIGHT**2) ** 0.5
    return float(min(_WATERMARK_MAX_SIZE, _WATERMARK_SPAN * diagonal / widest))


def _watermark(lines: list[str]) -> str:
    """The watermark across the page's diagonal at 45°, centred, as the PDF draws it: a
    shape holding its text, in the page header so every page has it.

    Behind the blocks rather than over them (the PDF's is translucent, which ODF text cannot
    be), so it never hides a word; a shaded cell hides it there."""
    size = _watermark_size(lines)
    widest = max(stringWidth(line, register_fonts(), 1) for line in lines)
    width = widest * size * 1.1
    height = len(lines) * size * _WATERMARK_LEADING * 1.1
    # ODF rotates about the shape's top left corner: move it so its centre is the page's.
    angle = math.radians(45)
    cx = width / 2 * math.cos(angle) + height / 2 * math.sin(angle)
    cy = -width / 2 * math.sin(angle) + height / 2 * math.cos(angle)
    x, y = PAGE_WIDTH / 2 - cx, PAGE_HEIGHT / 2 - cy
    text = ('<text:p text:style-name="WatermarkText">'
            + "<text:line-break/>".join(inline(line) for line in lines) + "</text:p>")
    return (f'<draw:custom-shape text:anchor-type="paragraph" draw:z-index="1"'
            f' draw:name="Watermark" draw:style-name="WatermarkShape"'
            f' draw:text-style-name="WatermarkText" svg:width="{to_mm(width)}"'
            f' svg:height="{to_mm(height)}"'
            f' draw:transform="rotate ({angle:.6f}) translate ({to_mm(x)} {to_mm(y)})">{text}'
            f'<draw:enhanced-geometry svg:viewBox="0 0 21600 21600" draw:type="rectangle"'
            f' draw:enhanced-path="M 0 0 L 21600 0 21600 21600 0 21600 Z N"/>'
            "</draw:custom-shape>")


def _footer(doc: FormDocument) -> str:
    """As the PDF's: the footer note, the line naming record, form and verification code
    (forms.page.match_line), the page fields and the QR code; the bottom marking anchored in
    its last line."""
    lines: list[str] = []
    if doc.footer_note:
        lines.append(paragraph(doc.footer_note, "footer"))
    if doc.identity or doc.verification:
        lines.append(paragraph(match_line(doc), "footer"))
    lines.append(_page_number())
    marking = ClassificationMarking.of(doc.header)
    shapes = _marking(marking.text, marking.boxes()[1], "MarkingBottom") if marking else ""
    if doc.verification is None:
        lines[-1] = _anchored(lines[-1], shapes)
        return f"<style:footer>{''.join(lines)}</style:footer>"
    # Text at the left, the QR code at the right, as in the PDF: a table without rules.
    qr = picture(QR_PICTURE, QR_SIZE, QR_SIZE)
    return (f'<style:footer><table:table table:name="Footer" table:style-name="FooterTable">'
            f'<table:table-column table:style-name="FooterText"/>'
            f'<table:table-column table:style-name="FooterQr"/>'
            f"<table:table-row>"
            f'<table:table-cell table:style-name="FooterCell" office:value-type="string">'
            f"{''.join(lines)}</table:table-cell>"
            f'<table:table-cell table:style-name="FooterCell" office:value-type="string">'
            f"{qr}</table:table-cell></table:table-row></table:table>"
            f"{_anchored(paragraph('', 'footer'), shapes)}</style:footer>")


def font_faces() -> str:
    family = f"&apos;{FONT}&apos;;&apos;{FALLBACK_FONT}&apos;;DFKai-SB"
    return (f'<office:font-face-decls><style:font-face style:name="{FONT_NAME}"'
            f' svg:font-family="{family}" style:font-family-generic="roman"'
            ' style:font-pitch="variable"/></office:font-face-decls>')


def text_properties(size: float, colour: str = "#000000") -> str:
    """The Kai face at *size*. Chinese text is Chinese (Taiwan); Latin letters and digits are
    English, as LibreOffice sets them for a Taiwanese office: marked Chinese, a Latin run
    breaks anywhere ("cust|oms", "08:4|5"), where the PDF breaks at spaces and hyphens."""
    font = {"style:font-name": FONT_NAME, "style:font-name-asian": FONT_NAME,
            "style:font-name-complex": FONT_NAME, "fo:font-size": f"{size}pt",
            "style:font-size-asian": f"{size}pt", "style:font-size-complex": f"{size}pt",
            "fo:color": colour, "fo:language": "en", "fo:country": "US",
            "style:language-asian": "zh", "style:country-asian": "TW"}
    return f"<style:text-properties{attrs(font)}/>"


def _paragraph_style(name: str, style: ParagraphStyle) -> str:
    """A paragraph style of the PDF's (forms/style.py) in ODF: its size, leading, alignment,
    colour, spacing and border."""
    colour = "#" + style.textColor.hexval()[2:]  # "0x8c8c8c"
    extra = ""
    if style.spaceBefore:
        extra += f' fo:margin-top="{style.spaceBefore}pt"'
    if style.spaceAfter:
        extra += f' fo:margin-bottom="{style.spaceAfter}pt"'
    if style.borderWidth:
        extra += (f' fo:border="{style.borderWidth}pt solid #000000"'
                  f' fo:padding="{style.borderPadding}pt"')
    return (f'<style:style style:name="{name}" style:family="paragraph"'
            f' style:parent-style-name="Standard">'
            f'<style:paragraph-properties fo:text-align="{_ALIGN[style.alignment]}"'
            f' fo:line-height="{style.leading}pt"{extra}/>'
            f"{text_properties(style.fontSize, colour)}</style:style>")


def styles_xml(doc: FormDocument) -> str:
    """styles.xml: the Kai face as the default of every paragraph, the named paragraph styles
    of forms/style.py, and the A4 page with its header and footer."""
    paragraphs = "".join(_paragraph_style(field.name, getattr(styles(), field.name))
                         for field in fields(Styles))
    paragraphs += _paragraph_style("page_number", ParagraphStyle(
        "page_number", fontSize=_PAGE_NUMBER_SIZE, leading=_PAGE_NUMBER_LINE,
        alignment=TA_CENTER))
    paragraphs += _paragraph_style("marking", ParagraphStyle(
        "marking", fontSize=ClassificationMarking.size, leading=ClassificationMarking.size,
        alignment=TA_CENTER))
    text_width = CONTENT_WIDTH - QR_SIZE
    footer_styles = (
        f'<style:style style:name="FooterTable" style:family="table">'
        f'<style:table-properties style:width="{to_mm(CONTENT_WIDTH)}" table:align="left"/>'
        f"</style:style>"
        f'<style:style style:name="FooterText" style:family="table-column">'
        f'<style:table-column-properties style:column-width="{to_mm(text_width)}"/></style:style>'
        f'<style:style style:name="FooterQr" style:family="table-column">'
        f'<style:table-column-properties style:column-width="{to_mm(QR_SIZE)}"/></style:style>'
        f'<style:style style:name="WatermarkShape" style:family="graphic">'
        f'<style:graphic-properties draw:stroke="none" draw:fill="none"'
        f' style:run-through="background" style:wrap="run-through"'
        f' style:horizontal-pos="from-left" style:horizontal-rel="page"'
        f' style:vertical-pos="from-top" style:vertical-rel="page"'
        f' draw:textarea-horizontal-align="center" draw:textarea-vertical-align="middle"'
        f' style:flow-with-text="false"/></style:style>'
        # The marking's box: ruled as the PDF's (a 1 pt line), over the page and not in the
        # text's way. A text frame (a child of "Frame"), which sets its paragraph in its
        # own style; LibreOffice reads a text box of no parent as a drawing shape, which
        # does not.
        f'<style:style style:name="MarkingFrame" style:family="graphic"'
        f' style:parent-style-name="Frame">'
        f'<style:graphic-properties fo:border="1pt solid #000000" fo:padding="0mm"'
        f' draw:fill="none" fo:background-color="transparent"'
        f' style:run-through="foreground" style:wrap="run-through"'
        f' style:horizontal-pos="from-left" style:horizontal-rel="page"'
        f' style:vertical-pos="from-top" style:vertical-rel="page"'
        f' draw:textarea-vertical-align="middle"'
        f' style:flow-with-text="false"/></style:style>'
        f'<style:style style:name="FooterCell" style:family="table-cell">'
        f'<style:table-cell-properties fo:padding="0mm" fo:border="none"'
        f' style:vertical-align="bottom"/></style:style>')
    page = (f'<style:page-layout style:name="A4">'
            f'<style:page-layout-properties fo:page-width="{to_mm(PAGE_WIDTH)}"'
            f' fo:page-height="{to_mm(PAGE_HEIGHT)}" style:print-orientation="portrait"'
            f' fo:margin-top="{to_mm(MARGIN_TOP)}" fo:margin-bottom="{to_mm(MARGIN_BOTTOM)}"'
            f' fo:margin-left="{to_mm(MARGIN_LEFT)}" fo:margin-right="{to_mm(MARGIN_RIGHT)}"/>'
            f'<style:header-style><style:header-footer-properties fo:min-height="0mm"'
            f' fo:margin-bottom="{to_mm(HEADER_GAP)}" style:dynamic-spacing="false"/>'
            f"</style:header-style>"
            f'<style:footer-style><style:header-footer-properties fo:min-height="0mm"'
            f' fo:margin-top="{to_mm(FOOTER_GAP)}" style:dynamic-spacing="false"/>'
            f"</style:footer-style></style:page-layout>")
    lines = _watermark_lines(doc)
    if lines:
        size = _watermark_size(lines)
        footer_styles += (
            f'<style:style style:name="WatermarkText" style:family="paragraph">'
            f'<style:paragraph-properties fo:text-align="center"'
            f' fo:line-height="{_WATERMARK_LEADING:.0%}"/>'
            f"{text_properties(size, _WATERMARK_GREY)}</style:style>")
    master = (f'<style:master-page style:name="Standard" style:page-layout-name="A4">'
              f"{_header(doc)}{_footer(doc)}</style:master-page>")
    return (f"{XML_DECLARATION}<office:document-styles{DOCUMENT_ROOT}>{font_faces()}"
            f'<office:styles><style:default-style style:family="paragraph">'
            # No extra space between Chinese and Latin text (LibreOffice's default), as the
            # PDF sets them; the suite's rules for characters that may not begin or end a line
            # (an opening bracket at a line's end, a comma at its start) applied.
            f'<style:paragraph-properties style:text-autospace="none"'
            f' style:line-break="strict" style:punctuation-wrap="simple"/>'
            f"{text_properties(11)}</style:default-style>"
            f'<style:style style:name="Standard" style:family="paragraph"/>'
            f'<style:style style:name="Frame" style:family="graphic"/>'
            f"{paragraphs}</office:styles>"
            f"<office:automatic-styles>{page}{footer_styles}</office:automatic-styles>"
            f"<office:master-styles>{master}</office:master-styles></office:document-styles>")
