"""A FormDocument as an ODF text document (.odt): the same form as `forms.render.render_pdf`
prints, for offices that must file ODF (CNS 15251, i.e. ISO/IEC 26300; OpenDocument 1.2).

Why from the FormDocument and not from the PDF: the form is one description rendered twice,
so both files hold the same blocks in the same order, and a fix to a form reaches both.
What ODF cannot hold as the PDF does is approximated, never dropped:
- the 公文 header fields, office, title and draft banner head every page (the page header),
  the footer note, the line naming record, form and verification code, page numbers (fields
  the office suite fills in: "第 n 頁，共 N 頁") and the QR code (a PNG) end every page (the
  page footer); a classified record's marking is a ruled frame at the top and bottom edge;
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

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple, assert_never

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing

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
from forms.fonts import register_fonts
from forms.odf_package import FONT, XML_DECLARATION, attrs, package, xml_chars
from forms.odt_page import FALLBACK_FONT, QR_PICTURE, font_faces, styles_xml
from forms.odt_xml import DOCUMENT_ROOT, MIMETYPE, paragraph, picture, qr_png, to_mm
from forms.style import (
    CONTENT_WIDTH,
    FRAME_LINE,
    LABEL_WIDTH,
    LINE,
    PAD_BOTTOM,
    PAD_TOP,
    PAD_X,
    SIGNATURES_GAP,
    SIGNATURES_PER_ROW,
    SIGNING_SPACE,
)
from i18n import _

__all__ = ["FALLBACK_FONT", "MIMETYPE", "render_odt"]

_SHADE = "#e0e0e0"


_MIN_BOXES_ACROSS = 3


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
        return self._name("table-column", to_mm(width), "co",
                          f'<style:table-column-properties style:column-width="{to_mm(width)}"/>')

    def table(self, width: float, align: str = "left", keep: bool = False,
              space_before: float = 0, with_next: bool = False) -> str:
        """A table style: its width and place; *keep* keeps it on one page, *with_next* on the
        page of what follows."""
        keep_attr = ' style:may-break-between-rows="false"' if keep else ""
        if with_next:
            keep_attr += ' fo:keep-with-next="always"'
        properties = (f'<style:table-properties style:width="{to_mm(width)}" table:align="{align}"'
                      f' table:border-model="collapsing" fo:margin-top="{to_mm(space_before)}"'
                      f"{keep_attr}/>")
        return self._name("table", f"{to_mm(width)}{align}{keep}{space_before}{with_next}", "ta",
                          properties)

    def row(self, height: float) -> str:
        return self._name("table-row", to_mm(height), "ro",
                          f'<style:table-row-properties style:row-height="{to_mm(height)}"/>')

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
                out.append(f"<table:table-cell{attrs(attributes)}"
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
                cells += [_Cell(paragraph(label, "label"), shaded=True),
                          _Cell(paragraph(value, "body"), span)]
            grid.add(cells)
        return self._table_xml(grid)

    def _text_section(self, block: TextSection) -> str:
        grid = _Grid([CONTENT_WIDTH])
        if block.heading:
            grid.add([_Cell(paragraph(block.heading, "heading"), shaded=True)])
            grid.repeat = 1
        lines = block.text.splitlines() or [""]
        grid.add([_Cell("".join(paragraph(line, "text") for line in lines))])
        return self._table_xml(grid)

    def _table(self, block: Table) -> str:
        columns = len(block.headers)
        grid = _Grid(column_widths(block.widths or (1.0,) * columns, CONTENT_WIDTH))
        if block.heading:
            grid.add([_Cell(paragraph(block.heading, "heading"), columns, shaded=True)])
        grid.add([_Cell(paragraph(h, "header_cell"), shaded=True) for h in block.headers])
        grid.repeat = len(grid.rows)
        for row in block.rows:
            grid.add([_Cell(paragraph(cell, "cell")) for cell in row])
        if not block.rows:
            grid.add([_Cell(paragraph(_("(none)"), "centered"), columns)])
        return self._table_xml(grid)

    def _checkboxes(self, block: Checkboxes) -> str:
        # The PDF's lines, so a box never ends a line without its option.
        room = CONTENT_WIDTH - LABEL_WIDTH - 2 * PAD_X
        options = "\n".join(checkbox_lines(block, room))
        grid = _Grid([LABEL_WIDTH, CONTENT_WIDTH - LABEL_WIDTH])
        grid.add([_Cell(paragraph(block.label, "label"), shaded=True), _Cell(paragraph(options, "body"))])
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
        space = paragraph(self.void, "void") if self.void else paragraph("", "cell")
        date = paragraph(box.date, "centered") if box.date else paragraph(_("Date:"), "cell")
        if box.signed_from:
            date += paragraph(box.signed_from, "footer")
        return paragraph(box.role, "label"), space, paragraph(signer_name(box), "centered"), date

    def _chart(self, block: Chart) -> str:
        """The chart under its heading, then its figures, as the PDF prints them: the picture
        is reportlab's drawing of it as SVG, its text in the Kai face; categories too many
        for one row of figures continue in tables under the first."""
        self.pictures[f"Pictures/chart{len(self.pictures) + 1}.svg"] = _chart_svg(block)
        drawn = _Grid([CONTENT_WIDTH])
        if block.heading:
            drawn.add([_Cell(paragraph(block.heading, "heading"), shaded=True)])
        drawn.add([_Cell(picture(next(reversed(self.pictures)), CONTENT_WIDTH - 2 * PAD_X,
                                 _chart_drawing(block).height))])
        # Kept with the first table of its figures, as the PDF keeps them together.
        tables = [self._table_xml(drawn, keep=True, with_next=True)]
        rows = chart_rows(block)
        widths = chart_figure_widths(block, CONTENT_WIDTH)
        across = len(widths) - 1
        for start in range(0, len(block.categories), across):
            part = slice(start, start + across)
            categories = block.categories[part]
            grid = _Grid(widths[: len(categories) + 1])
            grid.add([_Cell(paragraph(block.unit, "header_cell"), shaded=True),
                      *(_Cell(paragraph(c, "header_cell"), shaded=True) for c in categories)])
            grid.repeat = 1
            for row in rows:
                grid.add([_Cell(paragraph(row[0], "cell")),
                          *(_Cell(paragraph(text, "figure")) for text in row[1:][part])])
            tables.append(self._table_xml(grid, sum(grid.widths)))
        return "".join(tables)


def _chart_drawing(block: Chart) -> Drawing:
    return chart_drawing(block, CONTENT_WIDTH - 2 * PAD_X)


def _chart_svg(block: Chart) -> bytes:
    """The chart as the PDF draws it, as SVG, naming the Kai face by the family name an office
    suite knows it by (reportlab calls it by its own registered name)."""
    svg = xml_chars(renderSVG.drawToString(_chart_drawing(block)))
    family = f"font-family: '{FONT}', '{FALLBACK_FONT}', DFKai-SB, serif;"
    return svg.replace(f"font-family: {register_fonts()};", family).encode("utf-8")


def _content_xml(doc: FormDocument) -> tuple[str, dict[str, bytes]]:
    """content.xml, and the pictures it shows by their path in the package."""
    writer = _Writer(doc.draft.word if doc.draft else "")
    body = "".join(writer.block(block) for block in doc.blocks)
    # An empty paragraph after the last table: ODF wants the text to end in one, and a form
    # without blocks is still a page with its header and footer.
    return (f"{XML_DECLARATION}<office:document-content{DOCUMENT_ROOT}>{font_faces()}"
            f"<office:automatic-styles>{writer.styles.xml()}</office:automatic-styles>"
            f"<office:body><office:text>{body}"
            f'<text:p text:style-name="Standard"/></office:text></office:body>'
            "</office:document-content>"), writer.pictures


def render_odt(doc: FormDocument, *, created: datetime | None = None) -> bytes:
    """The form as an .odt package. *created* (now, when omitted) goes into the document's
    properties and the zip entries, so a caller can make the same bytes twice."""
    content, pictures = _content_xml(doc)
    parts = {"content.xml": content.encode("utf-8"),
             "styles.xml": styles_xml(doc).encode("utf-8"), **pictures}
    if doc.verification:
        parts[QR_PICTURE] = qr_png(doc.verification.qr_payload)
    return package(MIMETYPE, parts, created=created or datetime.now().astimezone(),
                   title=doc.title, creator=doc.office_name)
