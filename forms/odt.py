"""A FormDocument as an ODF text document (.odt): the same form as `forms.render.render_pdf`
prints, for offices that must file ODF (CNS 15251, i.e. ISO/IEC 26300; OpenDocument 1.2).

Why from the FormDocument and not from the PDF: the form is one description rendered twice,
so both files hold the same blocks in the same order, and a fix to a form reaches both.
What ODF cannot hold as the PDF does is approximated, never dropped:
- the office, title and draft banner head every page (the page header), the footer note,
  verification code, page numbers (fields the office suite fills in: "第 n 頁，共 N 頁") and the
  QR code (a PNG) end every page (the page footer);
- the diagonal watermark ("演練", "草稿") is a shape in the page header, grey, behind the
  blocks rather than translucent over them;
- blocks are ruled tables, label and heading cells shaded, heading and header rows repeated on
  every page; signature boxes are a table kept on one page, at the right, with room to sign;
- a chart is reportlab's drawing of it as an SVG picture, over its tables of figures.
Every style names the Kai face (TW-Kai, as the PDF embeds it), with 標楷體 (DFKai-SB, the Kai
face of every Taiwanese Windows) as the fallback an office suite picks when TW-Kai is absent;
the font is not embedded (34 MB).

Why the standard library and no ODF package: as for forms/spreadsheet.py, odfdo would bring
lxml into the PyInstaller bundle, which has no room left under its size limit. The tests open
every .odt with odfdo and convert it with LibreOffice.

Text goes through `printable` as in the PDF (a character the font lacks is 〓 in both files),
then loses what XML 1.0 cannot hold. Like forms.render, the form's own words (page numbers,
"(none)", the verification caption) come out in the current language.
"""

from __future__ import annotations

import io
import math
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import datetime
from typing import NamedTuple, assert_never
from xml.sax.saxutils import escape

from reportlab.graphics import renderSVG
from reportlab.graphics.barcode import qrencoder
from reportlab.graphics.shapes import Drawing
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from appinfo.meta import APP_NAME, VERSION
from forms.blocks import chart_figure_widths, checkbox_lines, column_widths, signer_name
from forms.chart_figures import chart_rows
from forms.charts import chart_drawing
from forms.document import (
    Block,
    Chart,
    Checkboxes,
    FieldGrid,
    FormDocument,
    Signatures,
    SignatureBox,
    Table,
    TextSection,
)
from forms.fonts import printable, register_fonts
from forms.spreadsheet import FONT, ODF_VERSION
from forms.style import (
    CONTENT_WIDTH,
    FOOTER_GAP,
    FRAME_LINE,
    HEADER_GAP,
    LABEL_WIDTH,
    LINE,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAD_BOTTOM,
    PAD_TOP,
    PAD_X,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    QR_SIZE,
    SIGNATURES_GAP,
    SIGNATURES_PER_ROW,
    SIGNING_SPACE,
    Styles,
    styles,
)
from i18n import _

__all__ = ["FALLBACK_FONT", "MIMETYPE", "render_odt"]

MIMETYPE = "application/vnd.oasis.opendocument.text"

FALLBACK_FONT = "標楷體"
"""The Kai face of Traditional-Chinese Windows (DFKai-SB), named after TW-Kai so an office
suite without TW-Kai still sets the form in a Kai face."""

_FONT_NAME = "Kai"
"""The style:font-face every style names: TW-Kai, then the fallbacks (LibreOffice reads a
semicolon-separated family list; others take the first)."""

_NAMESPACES = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_MANIFEST_NS = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_QR_PICTURE = "Pictures/verification-qr.png"

# What XML 1.0 can hold (its production "Char"), as in forms/spreadsheet.py.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# Two page-number placeholders that no translation contains, replaced by the fields.
_PAGE, _PAGES = 987654321, 987654322

_SHADE = "#e0e0e0"
_WATERMARK_GREY = "#d9d9d9"
# As forms/page.py draws the watermark.
_WATERMARK_SPAN = 0.7
_WATERMARK_MAX_SIZE = 120
_WATERMARK_LEADING = 1.2
_QR_PIXELS_PER_MODULE = 8
_QR_BORDER = 2
_MIN_BOXES_ACROSS = 3

# The page number's type, as forms/page.py sets it.
_PAGE_NUMBER_SIZE = 9
_PAGE_NUMBER_LINE = 12
_ALIGN: dict[object, str] = {TA_LEFT: "start", TA_CENTER: "center", TA_RIGHT: "end"}


def _mm(points: float) -> str:
    return f"{points / mm:.2f}mm"


def _attrs(attributes: dict[str, str]) -> str:
    return "".join(f' {name}="{escape(value, {chr(34): "&quot;"})}"'
                   for name, value in attributes.items())


def _namespaces(*prefixes: str) -> dict[str, str]:
    return {f"xmlns:{prefix}": _NAMESPACES[prefix] for prefix in prefixes}


def _clean(text: str) -> str:
    """*text* as the PDF prints it (`printable`), less what XML 1.0 cannot hold."""
    return _NOT_XML.sub("", printable(text))


def _inline(line: str) -> str:
    """One line of text, escaped, its runs of spaces kept (ODF collapses them otherwise)."""
    return re.sub(r" {2,}|^ | $", lambda m: f'<text:s text:c="{len(m.group())}"/>',
                  escape(line))


def _p(text: str, style: str) -> str:
    """*text* as one paragraph of *style*, its line breaks kept as line breaks."""
    lines = _clean(text).split("\n")
    body = "<text:line-break/>".join(_inline(line) for line in lines)
    return f'<text:p text:style-name="{style}">{body}</text:p>'


class _CellStyles:
    """The automatic styles of the tables, named as they are first needed: the ODF file holds
    one style per kind of cell (shaded or not, which edges are the table's outline), column
    width and table."""

    def __init__(self) -> None:
        self._styles: dict[tuple[str, str], str] = {}
        self._xml: list[str] = []

    def _name(self, family: str, key: str, prefix: str, properties: str) -> str:
        name = self._styles.get((family, key))
        if name is None:
            name = f"{prefix}{len(self._styles) + 1}"
            self._styles[(family, key)] = name
            self._xml.append(f'<style:style style:name="{name}" style:family="{family}">'
                             f"{properties}</style:style>")
        return name

    def cell(self, shaded: bool, edges: tuple[bool, bool, bool, bool],
             middle: bool = False) -> str:
        """A cell style: *edges* (top, right, bottom, left) on the table's outline are ruled
        heavier, as in the PDF."""
        sides = ("top", "right", "bottom", "left")
        borders = "".join(
            f' fo:border-{side}="{FRAME_LINE if outer else LINE}pt solid #000000"'
            for side, outer in zip(sides, edges))
        background = f' fo:background-color="{_SHADE}"' if shaded else ""
        align = "middle" if middle else "top"
        properties = (f'<style:table-cell-properties{borders}{background}'
                      f' style:vertical-align="{align}" fo:padding-left="{PAD_X}pt"'
                      f' fo:padding-right="{PAD_X}pt" fo:padding-top="{PAD_TOP}pt"'
                      f' fo:padding-bottom="{PAD_BOTTOM}pt"/>')
        return self._name("table-cell", f"{shaded}{edges}{middle}", "ce", properties)

    def column(self, width: float) -> str:
        return self._name("table-column", _mm(width), "co",
                          f'<style:table-column-properties style:column-width="{_mm(width)}"/>')

    def table(self, width: float, align: str = "left", keep: bool = False,
              space_before: float = 0, with_next: bool = False) -> str:
        """A table style: its width and place; *keep* keeps it on one page, *with_next* on the
        page of what follows."""
        keep_attr = ' style:may-break-between-rows="false"' if keep else ""
        if with_next:
            keep_attr += ' fo:keep-with-next="always"'
        properties = (f'<style:table-properties style:width="{_mm(width)}" table:align="{align}"'
                      f' table:border-model="collapsing" fo:margin-top="{_mm(space_before)}"'
                      f"{keep_attr}/>")
        return self._name("table", f"{_mm(width)}{align}{keep}{space_before}{with_next}", "ta",
                          properties)

    def row(self, height: float) -> str:
        return self._name("table-row", _mm(height), "ro",
                          f'<style:table-row-properties style:row-height="{_mm(height)}"/>')

    def xml(self) -> str:
        return "".join(self._xml)


class _Cell(NamedTuple):
    """A cell of a _Grid: its paragraphs, how many columns it spans, whether it is shaded (a
    label or heading) and whether its text sits in the middle (signature boxes)."""

    content: str
    span: int = 1
    shaded: bool = False
    middle: bool = False


class _Grid:
    """One ruled table being written: rows of cells (and a fixed height, if any), the first
    *repeat* rows repeated at the top of every page it runs onto."""

    def __init__(self, widths: Sequence[float]) -> None:
        self.widths = list(widths)
        self.rows: list[tuple[list[_Cell], float | None]] = []
        self.repeat = 0

    def add(self, cells: Iterable[_Cell], height: float | None = None) -> None:
        self.rows.append((list(cells), height))

    def xml(self, styles: _CellStyles, table_style: str, name: str) -> str:
        columns = "".join(f'<table:table-column table:style-name="{styles.column(w)}"/>'
                          for w in self.widths)
        last_row, last_col = len(self.rows) - 1, len(self.widths) - 1
        rows: list[str] = []
        for r, (cells, height) in enumerate(self.rows):
            out: list[str] = []
            col = 0
            for cell in cells:
                end = col + cell.span - 1
                edges = (r == 0, end == last_col, r == last_row, col == 0)
                attributes = {"table:style-name": styles.cell(cell.shaded, edges, cell.middle)}
                if cell.span > 1:
                    attributes["table:number-columns-spanned"] = str(cell.span)
                out.append(f"<table:table-cell{_attrs(attributes)}"
                           f' office:value-type="string">{cell.content}</table:table-cell>')
                out += ["<table:covered-table-cell/>"] * (cell.span - 1)
                col += cell.span
            row_style = f' table:style-name="{styles.row(height)}"' if height else ""
            rows.append(f"<table:table-row{row_style}>{''.join(out)}</table:table-row>")
        head, body = rows[: self.repeat], rows[self.repeat :]
        header = (f"<table:table-header-rows>{''.join(head)}</table:table-header-rows>"
                  if head else "")
        return (f'<table:table table:name="{name}" table:style-name="{table_style}">'
                f"{columns}{header}"
                f"{''.join(body)}</table:table>")


class _Writer:
    """Writes the blocks of one form as the body of content.xml."""

    def __init__(self, void: str) -> None:
        self.styles = _CellStyles()
        self.void = void
        self.tables = 0
        self.pictures: dict[str, bytes] = {}
        """The package's pictures (charts), by their path in it."""

    def block(self, block: Block) -> str:
        if isinstance(block, FieldGrid):
            return self._field_grid(block) if block.rows else ""
        if isinstance(block, TextSection):
            return self._text_section(block)
        if isinstance(block, Table):
            return self._table(block)
        if isinstance(block, Checkboxes):
            return self._checkboxes(block)
        if isinstance(block, Signatures):
            return self._signatures(block)
        if isinstance(block, Chart):
            return self._chart(block)
        assert_never(block)

    def _table_xml(self, grid: _Grid, width: float = CONTENT_WIDTH, align: str = "left",
                   keep: bool = False, space_before: float = 0, with_next: bool = False) -> str:
        self.tables += 1
        style = self.styles.table(width, align, keep, space_before, with_next)
        return grid.xml(self.styles, style, f"Table{self.tables}")

    def _field_grid(self, block: FieldGrid) -> str:
        value_width = (CONTENT_WIDTH - block.columns * LABEL_WIDTH) / block.columns
        grid = _Grid([LABEL_WIDTH, value_width] * block.columns)
        for start in range(0, len(block.rows), block.columns):
            pairs = block.rows[start : start + block.columns]
            cells: list[_Cell] = []
            for i, (label, value) in enumerate(pairs):
                # The odd last value takes the rest of the line.
                span = 1 if i < len(pairs) - 1 else 2 * (block.columns - len(pairs)) + 1
                cells += [_Cell(_p(label, "label"), shaded=True),
                          _Cell(_p(value, "body"), span)]
            grid.add(cells)
        return self._table_xml(grid)

    def _text_section(self, block: TextSection) -> str:
        grid = _Grid([CONTENT_WIDTH])
        if block.heading:
            grid.add([_Cell(_p(block.heading, "heading"), shaded=True)])
            grid.repeat = 1
        lines = block.text.splitlines() or [""]
        grid.add([_Cell("".join(_p(line, "text") for line in lines))])
        return self._table_xml(grid)

    def _table(self, block: Table) -> str:
        columns = len(block.headers)
        grid = _Grid(column_widths(block.widths or (1.0,) * columns, CONTENT_WIDTH))
        if block.heading:
            grid.add([_Cell(_p(block.heading, "heading"), columns, shaded=True)])
        grid.add([_Cell(_p(h, "header_cell"), shaded=True) for h in block.headers])
        grid.repeat = len(grid.rows)
        for row in block.rows:
            grid.add([_Cell(_p(cell, "cell")) for cell in row])
        if not block.rows:
            grid.add([_Cell(_p(_("(none)"), "centered"), columns)])
        return self._table_xml(grid)

    def _checkboxes(self, block: Checkboxes) -> str:
        # The PDF's lines, so a box never ends a line without its option.
        room = CONTENT_WIDTH - LABEL_WIDTH - 2 * PAD_X
        options = "\n".join(checkbox_lines(block, room))
        grid = _Grid([LABEL_WIDTH, CONTENT_WIDTH - LABEL_WIDTH])
        grid.add([_Cell(_p(block.label, "label"), shaded=True), _Cell(_p(options, "body"))])
        return self._table_xml(grid)

    def _signatures(self, block: Signatures) -> str:
        parts: list[str] = []
        for start in range(0, len(block.boxes), SIGNATURES_PER_ROW):
            boxes = block.boxes[start : start + SIGNATURES_PER_ROW]
            box_width = CONTENT_WIDTH / max(len(boxes), _MIN_BOXES_ACROSS)
            grid = _Grid([box_width] * len(boxes))
            cells = [self._signature_cells(box) for box in boxes]
            grid.add([_Cell(cell[0], shaded=True) for cell in cells])
            grid.add([_Cell(cell[1], middle=True) for cell in cells], height=SIGNING_SPACE)
            for line in (2, 3):
                grid.add(_Cell(cell[line], middle=True) for cell in cells)
            parts.append(self._table_xml(grid, box_width * len(boxes), "right", keep=True,
                                         space_before=SIGNATURES_GAP))
        return "".join(parts)

    def _signature_cells(self, box: SignatureBox) -> tuple[str, str, str, str]:
        """Role, signing space (blank, or the draft's word), name and date, as in the PDF."""
        space = _p(self.void, "void") if self.void else _p("", "cell")
        date = _p(box.date, "centered") if box.date else _p(_("Date:"), "cell")
        if box.signed_from:
            date += _p(box.signed_from, "footer")
        return _p(box.role, "label"), space, _p(signer_name(box), "centered"), date

    def _chart(self, block: Chart) -> str:
        """The chart under its heading, then its figures, as the PDF prints them: the picture
        is reportlab's drawing of it as SVG, its text in the Kai face; categories too many
        for one row of figures continue in tables under the first."""
        self.pictures[f"Pictures/chart{len(self.pictures) + 1}.svg"] = _chart_svg(block)
        picture = _Grid([CONTENT_WIDTH])
        if block.heading:
            picture.add([_Cell(_p(block.heading, "heading"), shaded=True)])
        picture.add([_Cell(_picture(next(reversed(self.pictures)), CONTENT_WIDTH - 2 * PAD_X,
                                    _chart_drawing(block).height))])
        # Kept with the first table of its figures, as the PDF keeps them together.
        tables = [self._table_xml(picture, keep=True, with_next=True)]
        rows = chart_rows(block)
        widths = chart_figure_widths(block, CONTENT_WIDTH)
        across = len(widths) - 1
        for start in range(0, len(block.categories), across):
            part = slice(start, start + across)
            categories = block.categories[part]
            grid = _Grid(widths[: len(categories) + 1])
            grid.add([_Cell(_p(block.unit, "header_cell"), shaded=True),
                      *(_Cell(_p(c, "header_cell"), shaded=True) for c in categories)])
            grid.repeat = 1
            for row in rows:
                grid.add([_Cell(_p(row[0], "cell")),
                          *(_Cell(_p(text, "figure")) for text in row[1:][part])])
            tables.append(self._table_xml(grid, sum(grid.widths)))
        return "".join(tables)


def _chart_drawing(block: Chart) -> Drawing:
    return chart_drawing(block, CONTENT_WIDTH - 2 * PAD_X)


def _chart_svg(block: Chart) -> bytes:
    """The chart as the PDF draws it, as SVG, naming the Kai face by the family name an office
    suite knows it by (reportlab calls it by its own registered name)."""
    svg = renderSVG.drawToString(_chart_drawing(block))
    family = f"font-family: '{FONT}', '{FALLBACK_FONT}', DFKai-SB, serif;"
    return svg.replace(f"font-family: {register_fonts()};", family).encode("utf-8")


def _picture(path: str, width: float, height: float) -> str:
    """A picture of the package, in a paragraph of its own, as a character."""
    return (f'<text:p text:style-name="Standard"><draw:frame text:anchor-type="as-char"'
            f' svg:width="{_mm(width)}" svg:height="{_mm(height)}">'
            f'<draw:image xlink:href="{path}" xlink:type="simple" xlink:show="embed"'
            ' xlink:actuate="onLoad"/></draw:frame></text:p>')


# ---------------------------------------------------------------------------- page furniture


def _page_number() -> str:
    """"第 n 頁，共 N 頁" in the current language, with the office suite's page fields."""
    text = _inline(_clean(_("Page %(page)d of %(pages)d") % {"page": _PAGE, "pages": _PAGES}))
    text = text.replace(str(_PAGE), "<text:page-number/>")
    text = text.replace(str(_PAGES), "<text:page-count/>")
    return f'<text:p text:style-name="page_number">{text}</text:p>'


def _header(doc: FormDocument) -> str:
    parts = [_p(doc.office_name, "office"), _p(doc.title, "title")]
    if doc.draft:
        parts.append(_p(doc.draft.notice, "draft_notice"))
    lines = _watermark_lines(doc)
    if lines:
        # Anchored to the office's line, so that every page carries it.
        parts[0] = parts[0].replace(">", f">{_watermark(lines)}", 1)
    return f"<style:header>{''.join(parts)}</style:header>"


def _watermark_lines(doc: FormDocument) -> list[str]:
    """The watermark's lines, as the PDF prints them: the form's own over a draft's word."""
    marks = (doc.watermark, doc.draft.word if doc.draft else None)
    spaced = (" ".join(_clean(m).split()) for m in marks if m)
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
            + "<text:line-break/>".join(_inline(line) for line in lines) + "</text:p>")
    return (f'<draw:custom-shape text:anchor-type="paragraph" draw:z-index="1"'
            f' draw:name="Watermark" draw:style-name="WatermarkShape"'
            f' draw:text-style-name="WatermarkText" svg:width="{_mm(width)}"'
            f' svg:height="{_mm(height)}"'
            f' draw:transform="rotate ({angle:.6f}) translate ({_mm(x)} {_mm(y)})">{text}'
            f'<draw:enhanced-geometry svg:viewBox="0 0 21600 21600" draw:type="rectangle"'
            f' draw:enhanced-path="M 0 0 L 21600 0 21600 21600 0 21600 Z N"/>'
            "</draw:custom-shape>")


def _footer(doc: FormDocument) -> str:
    lines: list[str] = []
    if doc.footer_note:
        lines.append(_p(doc.footer_note, "footer"))
    if doc.verification:
        lines.append(_p(_("Verification code: %(code)s") % {"code": doc.verification.code},
                        "footer"))
    lines.append(_page_number())
    if doc.verification is None:
        return f"<style:footer>{''.join(lines)}</style:footer>"
    # Text at the left, the QR code at the right, as in the PDF: a table without rules.
    qr = _picture(_QR_PICTURE, QR_SIZE, QR_SIZE)
    return (f'<style:footer><table:table table:name="Footer" table:style-name="FooterTable">'
            f'<table:table-column table:style-name="FooterText"/>'
            f'<table:table-column table:style-name="FooterQr"/>'
            f"<table:table-row>"
            f'<table:table-cell table:style-name="FooterCell" office:value-type="string">'
            f"{''.join(lines)}</table:table-cell>"
            f'<table:table-cell table:style-name="FooterCell" office:value-type="string">'
            f"{qr}</table:table-cell></table:table-row></table:table>"
            f'<text:p text:style-name="footer"/></style:footer>')


def _qr_png(payload: str) -> bytes:
    """The verification QR code as a black-and-white PNG (level M, as the PDF's), written with
    zlib: 8 pixels per module, a quiet zone of two modules."""
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(payload)
    qr.make()
    modules = [[bool(m) for m in row] for row in qr.modules]
    count = len(modules) + 2 * _QR_BORDER
    side = count * _QR_PIXELS_PER_MODULE
    blank = [False] * count
    padded = [blank] * _QR_BORDER + [[False] * _QR_BORDER + row + [False] * _QR_BORDER
                                     for row in modules] + [blank] * _QR_BORDER
    raw = bytearray()
    for row in padded:
        line = bytes(0 if dark else 255 for dark in row for _i in range(_QR_PIXELS_PER_MODULE))
        raw += (b"\0" + line) * _QR_PIXELS_PER_MODULE

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b""))


# ---------------------------------------------------------------------------- the parts


def _font_faces() -> str:
    family = f"&apos;{FONT}&apos;;&apos;{FALLBACK_FONT}&apos;;DFKai-SB"
    return (f'<office:font-face-decls><style:font-face style:name="{_FONT_NAME}"'
            f' svg:font-family="{family}" style:font-family-generic="roman"'
            ' style:font-pitch="variable"/></office:font-face-decls>')


def _text_properties(size: float, colour: str = "#000000") -> str:
    font = {"style:font-name": _FONT_NAME, "style:font-name-asian": _FONT_NAME,
            "style:font-name-complex": _FONT_NAME, "fo:font-size": f"{size}pt",
            "style:font-size-asian": f"{size}pt", "style:font-size-complex": f"{size}pt",
            "fo:color": colour, "fo:language": "zh", "fo:country": "TW",
            "style:language-asian": "zh", "style:country-asian": "TW"}
    return f"<style:text-properties{_attrs(font)}/>"


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
            f"{_text_properties(style.fontSize, colour)}</style:style>")


def _styles_xml(doc: FormDocument) -> str:
    """styles.xml: the Kai face as the default of every paragraph, the named paragraph styles
    of forms/style.py, and the A4 page with its header and footer."""
    paragraphs = "".join(_paragraph_style(field.name, getattr(styles(), field.name))
                         for field in fields(Styles))
    paragraphs += _paragraph_style("page_number", ParagraphStyle(
        "page_number", fontSize=_PAGE_NUMBER_SIZE, leading=_PAGE_NUMBER_LINE,
        alignment=TA_CENTER))
    text_width = CONTENT_WIDTH - QR_SIZE
    footer_styles = (
        f'<style:style style:name="FooterTable" style:family="table">'
        f'<style:table-properties style:width="{_mm(CONTENT_WIDTH)}" table:align="left"/>'
        f"</style:style>"
        f'<style:style style:name="FooterText" style:family="table-column">'
        f'<style:table-column-properties style:column-width="{_mm(text_width)}"/></style:style>'
        f'<style:style style:name="FooterQr" style:family="table-column">'
        f'<style:table-column-properties style:column-width="{_mm(QR_SIZE)}"/></style:style>'
        f'<style:style style:name="WatermarkShape" style:family="graphic">'
        f'<style:graphic-properties draw:stroke="none" draw:fill="none"'
        f' style:run-through="background" style:wrap="run-through"'
        f' style:horizontal-pos="from-left" style:horizontal-rel="page"'
        f' style:vertical-pos="from-top" style:vertical-rel="page"'
        f' draw:textarea-horizontal-align="center" draw:textarea-vertical-align="middle"'
        f' style:flow-with-text="false"/></style:style>'
        f'<style:style style:name="FooterCell" style:family="table-cell">'
        f'<style:table-cell-properties fo:padding="0mm" fo:border="none"'
        f' style:vertical-align="bottom"/></style:style>')
    page = (f'<style:page-layout style:name="A4">'
            f'<style:page-layout-properties fo:page-width="{_mm(PAGE_WIDTH)}"'
            f' fo:page-height="{_mm(PAGE_HEIGHT)}" style:print-orientation="portrait"'
            f' fo:margin-top="{_mm(MARGIN_TOP)}" fo:margin-bottom="{_mm(MARGIN_BOTTOM)}"'
            f' fo:margin-left="{_mm(MARGIN_LEFT)}" fo:margin-right="{_mm(MARGIN_RIGHT)}"/>'
            f'<style:header-style><style:header-footer-properties fo:min-height="0mm"'
            f' fo:margin-bottom="{_mm(HEADER_GAP)}" style:dynamic-spacing="false"/>'
            f"</style:header-style>"
            f'<style:footer-style><style:header-footer-properties fo:min-height="0mm"'
            f' fo:margin-top="{_mm(FOOTER_GAP)}" style:dynamic-spacing="false"/>'
            f"</style:footer-style></style:page-layout>")
    lines = _watermark_lines(doc)
    if lines:
        size = _watermark_size(lines)
        footer_styles += (
            f'<style:style style:name="WatermarkText" style:family="paragraph">'
            f'<style:paragraph-properties fo:text-align="center"'
            f' fo:line-height="{_WATERMARK_LEADING:.0%}"/>'
            f"{_text_properties(size, _WATERMARK_GREY)}</style:style>")
    master = (f'<style:master-page style:name="Standard" style:page-layout-name="A4">'
              f"{_header(doc)}{_footer(doc)}</style:master-page>")
    root = _attrs({**_namespaces("office", "style", "text", "table", "draw", "fo", "xlink",
                                 "svg"), "office:version": ODF_VERSION})
    return (f"{_XML_DECLARATION}<office:document-styles{root}>{_font_faces()}"
            f'<office:styles><style:default-style style:family="paragraph">'
            # No extra space between Chinese and Latin text (LibreOffice's default), as the
            # PDF sets them; the suite's rules for characters that may not begin or end a line
            # (an opening bracket at a line's end, a comma at its start) applied.
            f'<style:paragraph-properties style:text-autospace="none"'
            f' style:line-break="strict" style:punctuation-wrap="simple"/>'
            f"{_text_properties(11)}</style:default-style>"
            f'<style:style style:name="Standard" style:family="paragraph"/>'
            f"{paragraphs}</office:styles>"
            f"<office:automatic-styles>{page}{footer_styles}</office:automatic-styles>"
            f"<office:master-styles>{master}</office:master-styles></office:document-styles>")


def _content_xml(doc: FormDocument) -> tuple[str, dict[str, bytes]]:
    """content.xml, and the pictures it shows by their path in the package."""
    writer = _Writer(doc.draft.word if doc.draft else "")
    body = "".join(writer.block(block) for block in doc.blocks)
    root = _attrs({**_namespaces("office", "style", "text", "table", "draw", "fo", "xlink",
                                 "svg"), "office:version": ODF_VERSION})
    # An empty paragraph after the last table: ODF wants the text to end in one, and a form
    # without blocks is still a page with its header and footer.
    return (f"{_XML_DECLARATION}<office:document-content{root}>{_font_faces()}"
            f"<office:automatic-styles>{writer.styles.xml()}</office:automatic-styles>"
            f"<office:body><office:text>{body}"
            f'<text:p text:style-name="Standard"/></office:text></office:body>'
            "</office:document-content>"), writer.pictures


def _meta_xml(doc: FormDocument, created: datetime) -> str:
    root = _attrs({**_namespaces("office", "meta", "dc"), "office:version": ODF_VERSION})
    when = escape(created.replace(microsecond=0).isoformat())
    return (f"{_XML_DECLARATION}<office:document-meta{root}><office:meta>"
            f"<meta:generator>{escape(f'{APP_NAME}/{VERSION}')}</meta:generator>"
            f"<dc:title>{escape(_clean(doc.title))}</dc:title>"
            f"<meta:initial-creator>{escape(_clean(doc.office_name))}</meta:initial-creator>"
            f"<meta:creation-date>{when}</meta:creation-date><dc:date>{when}</dc:date>"
            "</office:meta></office:document-meta>")


def _manifest_xml(parts: Iterable[tuple[str, str]]) -> str:
    entries = [{"manifest:full-path": "/", "manifest:version": ODF_VERSION,
                "manifest:media-type": MIMETYPE},
               *({"manifest:full-path": path, "manifest:media-type": kind}
                 for path, kind in parts)]
    lines = "".join(f"<manifest:file-entry{_attrs(entry)}/>" for entry in entries)
    root = _attrs({"xmlns:manifest": _MANIFEST_NS, "manifest:version": ODF_VERSION})
    return f"{_XML_DECLARATION}<manifest:manifest{root}>{lines}</manifest:manifest>"


def render_odt(doc: FormDocument, *, created: datetime | None = None) -> bytes:
    """The form as an .odt package. *created* (now, when omitted) goes into the document's
    properties and the zip entries, so a caller can make the same bytes twice.

    `mimetype` comes first, stored and without extra field, as ODF 1.2 part 3 (3.3) requires:
    that is how office suites recognise the package."""
    created = created or datetime.now().astimezone()
    stamp = created.replace(tzinfo=None)
    when = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute,
            stamp.second)
    content, pictures = _content_xml(doc)
    parts: dict[str, bytes] = {
        "content.xml": content.encode("utf-8"),
        "styles.xml": _styles_xml(doc).encode("utf-8"),
        "meta.xml": _meta_xml(doc, created).encode("utf-8"),
    }
    kinds = [(path, "text/xml") for path in parts]
    parts.update(pictures)
    kinds += [(path, "image/svg+xml") for path in pictures]
    if doc.verification:
        parts[_QR_PICTURE] = _qr_png(doc.verification.qr_payload)
        kinds.append((_QR_PICTURE, "image/png"))
    parts["META-INF/manifest.xml"] = _manifest_xml(kinds).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for path, data in [("mimetype", MIMETYPE.encode("ascii")), *parts.items()]:
            entry = zipfile.ZipInfo(path, when)
            entry.external_attr = 0o644 << 16
            stored = path == "mimetype" or path.endswith(".png")
            package.writestr(entry, data, compress_type=zipfile.ZIP_STORED if stored
                             else zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
