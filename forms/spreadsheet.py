"""The tables of a printed form (forms.document.Table) as an ODF spreadsheet (.ods) and as CSV,
so figures of the annual review can be summed and charted, not only read on paper.

Why ODF: Taiwan's government files its documents in ODF (CNS 15251, which is ISO/IEC 26300);
the package is OpenDocument 1.2 (ISO/IEC 26300:2015), which every office suite in use reads.
Why CSV as well: it is what other tools and scripts take in, and what Excel opens by a double
click on a PC without an ODF-aware default.

Why the standard library and no ODF package: odfdo would bring lxml into the PyInstaller bundle,
which has next to no room left under its size limit; a spreadsheet of plain text and numbers
is a zip of four small XML files, packed by forms/odf_package.py as the text documents are.

Cells are untrusted text (users type them, other PCs send them): characters XML 1.0 cannot hold
are dropped (a single one would make the whole file unreadable), and in the CSV a cell a
spreadsheet would run as a formula is quoted as text (formula or "CSV" injection).

Like forms.document, this module translates nothing: headings and headers arrive final.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from forms.document import Table
from forms.odf_package import (
    FONT,
    ODF_VERSION,
    XML_DECLARATION,
    attrs,
    namespaces,
    package,
    xml_chars,
)

__all__ = ["MIMETYPE", "SHEET_NAME_LIMIT", "csv_bytes", "ods_bytes", "sheet_names"]

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
SHEET_NAME_LIMIT = 31
"""Excel's longest sheet name (counted in UTF-16 units); LibreOffice accepts it too."""

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.([0-9]+))?")
_PERCENT = re.compile(r"(-?(?:0|[1-9][0-9]*)(?:\.([0-9]+))?)%")
_SIGNIFICANT_DIGITS = 15
"""A spreadsheet's number is an IEEE double: more digits than this (a 17-digit declaration
number) would come back changed, so such a cell stays text."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What makes Excel or LibreOffice read a CSV cell as a formula (OWASP, "CSV Injection")."""

_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]*?:/\\']")
"""Excel refuses these in sheet names ([ ] * ? : / \\), LibreOffice too; the apostrophe is
refused only at the ends but is dropped everywhere, as it quotes names in formulas."""

_EXCEL_RESERVED_SHEET_NAME = "history"
"""Excel keeps the name "History" for its change tracking and refuses a sheet so named."""


_PAGE_TEXT_WIDTH_CM = 17.0
"""The text width of the printed A4 form: a table's relative widths are scaled to it."""
_MIN_COLUMN_CM = 1.5
_MAX_COLUMN_CM = 10.0
_CM_PER_HALF_WIDTH_CHARACTER = 0.19
"""About one Latin character at the default 10-point size; a Chinese character takes two."""


# ---------------------------------------------------------------------------- cell text


def _clean_text(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (C0 controls but tab, LF and CR,
    U+FFFE, U+FFFF, lone surrogates), and with CRLF and CR as LF.

    Why drop rather than refuse: one such character from a pasted text or another PC would make
    the whole .ods unreadable, and none of them is visible anyway. The CSV drops the same ones,
    so both files hold the same text."""
    return xml_chars(text).replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class _Value:
    """How a cell is typed in the spreadsheet: `kind` is "float", "percentage" or "string";
    `value` is the office:value (a number in xsd:double syntax) and `decimals` the places a
    percentage is shown with, so "87.5%" still reads 87.5% and not 0.875."""

    kind: str
    value: str = ""
    decimals: int = 0


def _few_enough_digits(number: str) -> bool:
    """Whether `number` (sign, digits, point) survives the round trip through a double."""
    digits = number.replace("-", "").replace(".", "").lstrip("0")
    return len(digits) <= _SIGNIFICANT_DIGITS


def _classify(text: str) -> _Value:
    """Whether a (clean) cell is a plain number, a percentage or text.

    Plain means what a person reads as a number and nothing else: an optional minus, digits and
    an optional decimal part. Not plain, hence text: a leading zero ("007", "0912345678": case
    numbers and phone numbers would lose it), thousands separators, spaces, a plus sign, or
    more digits than a double keeps."""
    if _NUMBER.fullmatch(text) and _few_enough_digits(text):
        return _Value("float", text)
    percent = _PERCENT.fullmatch(text)
    if percent and _few_enough_digits(percent.group(1)):
        fraction = Decimal(percent.group(1)).scaleb(-2)
        return _Value("percentage", format(fraction, "f"), len(percent.group(2) or ""))
    return _Value("string")


# ---------------------------------------------------------------------------- sheet names


def _utf16_length(text: str) -> int:
    """Length as Excel counts it: a character beyond the BMP (CJK Extension B) counts twice."""
    return len(text.encode("utf-16-le")) // 2


def _truncate(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-16 units, never inside a character."""
    while _utf16_length(text) > limit:
        text = text[:-1]
    return text.rstrip()


def _sheet_base_name(heading: str, position: int) -> str:
    """A valid sheet name from a table's heading: forbidden characters as "_", line breaks and
    tabs as spaces, at most 31 units; the table's position (1, 2, …) when nothing is left."""
    name = _SHEET_NAME_FORBIDDEN.sub("_", _clean_text(heading))
    name = " ".join(name.split())
    return _truncate(name, SHEET_NAME_LIMIT) or str(position)


def _unique(base: str, taken: set[str]) -> str:
    """`base`, or `base (2)`, `base (3)` … (shortened to keep the limit) when a sheet already has
    the name. Compared ignoring case, as Excel and LibreOffice compare sheet names."""
    name, number = base, 1
    while name.casefold() in taken or name.casefold() == _EXCEL_RESERVED_SHEET_NAME:
        number += 1
        suffix = f" ({number})"
        name = _truncate(base, SHEET_NAME_LIMIT - len(suffix)) + suffix
    taken.add(name.casefold())
    return name


def sheet_names(tables: Sequence[Table]) -> list[str]:
    """One distinct, valid sheet name per table, from its heading, in order.

    Why so strict: LibreOffice renames a sheet it finds invalid, but Excel declares a file with
    a duplicate, over-long or forbidden name damaged and "repairs" it by dropping content."""
    taken: set[str] = set()
    return [_unique(_sheet_base_name(table.heading, position), taken)
            for position, table in enumerate(tables, start=1)]


# ---------------------------------------------------------------------------- column widths


def _display_units(text: str) -> int:
    """Width of the longest line of `text` in half-width characters (a Chinese one is two)."""
    lines = text.split("\n") or [""]
    return max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
               for line in lines)


def _column_widths_cm(table: Table) -> list[float]:
    """Each column's width in centimetres.

    A table with relative `widths` keeps the proportions its form was designed with, over the
    printed page's width. Without them a column is as wide as its longest line (the header
    included), so the first column of labels comes out wider than a column of figures; at most
    10 cm, as a longer text is better wrapped by the reader than scrolled past. Never narrower
    than 1.5 cm, room for a few characters."""
    if table.widths is not None:
        total = sum(table.widths)
        widths = [w / total * _PAGE_TEXT_WIDTH_CM for w in table.widths]
    else:
        columns = zip(table.headers, *table.rows)
        widths = [min(max(_display_units(_clean_text(cell)) for cell in column)
                      * _CM_PER_HALF_WIDTH_CHARACTER + 0.4, _MAX_COLUMN_CM)
                  for column in columns]
    return [round(max(w, _MIN_COLUMN_CM), 2) for w in widths]


# ---------------------------------------------------------------------------- XML pieces


def _spaces(count: int) -> str:
    return "<text:s/>" if count == 1 else f'<text:s text:c="{count}"/>'


def _paragraph(line: str) -> str:
    """One line of a cell as text:p, its spacing kept.

    ODF collapses runs of spaces and drops them at the ends of a paragraph (as HTML does), so
    every space that is not a single one between words is written as text:s, and a tab as
    text:tab; the rest is escaped."""
    parts = re.split(r"( +|\t)", line)
    out = []
    for index, part in enumerate(parts):
        if part == "\t":
            out.append("<text:tab/>")
        elif part.startswith(" "):
            inner = 0 < index < len(parts) - 1 and parts[index - 1] and parts[index + 1]
            out.append(" " if len(part) == 1 and inner else _spaces(len(part)))
        else:
            out.append(escape(part))
    return f"<text:p>{''.join(out)}</text:p>"


def _paragraphs(text: str) -> str:
    """A cell's (clean) text as paragraphs, one per line, as the office suite shows a line break
    typed into a cell."""
    return "".join(_paragraph(line) for line in text.split("\n"))


def _percent_style(decimals: int) -> str:
    return f"ceP{decimals}"


def _cell(text: str, *, header: bool = False) -> str:
    """One table:table-cell: a header as bold text, a body cell typed by `_classify`."""
    text = _clean_text(text)
    if not text:
        return '<table:table-cell table:style-name="ceH"/>' if header else "<table:table-cell/>"
    value = _Value("string") if header else _classify(text)
    attributes = {"office:value-type": value.kind}
    if value.kind != "string":
        attributes["office:value"] = value.value
    if header:
        attributes["table:style-name"] = "ceH"
    elif value.kind == "percentage":
        attributes["table:style-name"] = _percent_style(value.decimals)
    elif "\n" in text:
        attributes["table:style-name"] = "ceW"
    return f"<table:table-cell{attrs(attributes)}>{_paragraphs(text)}</table:table-cell>"


def _row(cells: Iterable[str], *, header: bool = False) -> str:
    return ("<table:table-row>" + "".join(_cell(c, header=header) for c in cells)
            + "</table:table-row>")


def _column_style_names(tables: Sequence[Table]) -> dict[float, str]:
    """One automatic column style per distinct width, named co1, co2, … in order of use."""
    names: dict[float, str] = {}
    for table in tables:
        for width in _column_widths_cm(table):
            names.setdefault(width, f"co{len(names) + 1}")
    return names


def _sheet(table: Table, name: str, column_styles: dict[float, str]) -> str:
    """One table:table: its columns, the header row (repeated on every printed page, as on the
    form) and the rows. A table without rows keeps its header row and nothing else."""
    columns = "".join(f"<table:table-column{attrs({'table:style-name': column_styles[w]})}/>"
                      for w in _column_widths_cm(table))
    header_row = _row(table.headers, header=True)
    header = f"<table:table-header-rows>{header_row}</table:table-header-rows>"
    rows = "".join(_row(row) for row in table.rows)
    return (f"<table:table{attrs({'table:name': name})}>"
            f"{columns}{header}{rows}</table:table>")


def _font_face_decls() -> str:
    """The Kai face, declared where a style may name it. "roman" (serif) is the generic family
    to fall back to: a Kai face is a regular script, nearer to a serif than to "script", which
    would pick a Latin handwriting face."""
    font = attrs({"style:name": FONT, "svg:font-family": FONT,
                  "style:font-family-generic": "roman", "style:font-pitch": "variable"})
    return f"<office:font-face-decls><style:font-face{font}/></office:font-face-decls>"


def _percentage_data_styles(tables: Sequence[Table]) -> str:
    """A percentage data style and cell style for each number of decimals in use, so that a
    cell reads as it was typed ("87.5%") while holding 0.875."""
    decimals = sorted({value.decimals for table in tables for row in table.rows for cell in row
                       if (value := _classify(_clean_text(cell))).kind == "percentage"})
    return "".join(
        f'<number:percentage-style style:name="NP{d}">'
        f'<number:number number:decimal-places="{d}" number:min-integer-digits="1"/>'
        f"<number:text>%</number:text></number:percentage-style>"
        f'<style:style style:name="{_percent_style(d)}" style:family="table-cell"'
        f' style:parent-style-name="Default" style:data-style-name="NP{d}"/>'
        for d in decimals)


def _automatic_styles(tables: Sequence[Table], column_styles: dict[float, str]) -> str:
    """Column widths, the bold header cell, the wrapped multi-line cell and percentage cells."""
    columns = "".join(
        f'<style:style style:name="{name}" style:family="table-column">'
        f'<style:table-column-properties fo:break-before="auto"'
        f' style:column-width="{width:.2f}cm"/></style:style>'
        for width, name in column_styles.items())
    bold = ('<style:text-properties fo:font-weight="bold" style:font-weight-asian="bold"'
            ' style:font-weight-complex="bold"/>')
    wrap = '<style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top"/>'
    cells = (f'<style:style style:name="ceH" style:family="table-cell"'
             f' style:parent-style-name="Default">{wrap}{bold}</style:style>'
             f'<style:style style:name="ceW" style:family="table-cell"'
             f' style:parent-style-name="Default">{wrap}</style:style>')
    return (f"<office:automatic-styles>{columns}{cells}{_percentage_data_styles(tables)}"
            "</office:automatic-styles>")


def _content_xml(tables: Sequence[Table]) -> str:
    """The content.xml part: the sheets and the automatic styles they use."""
    column_styles = _column_style_names(tables)
    sheets = "".join(_sheet(table, name, column_styles)
                     for table, name in zip(tables, sheet_names(tables)))
    root = attrs({**namespaces("office", "style", "text", "table", "fo", "number", "svg"),
                  "office:version": ODF_VERSION})
    return (f"{XML_DECLARATION}<office:document-content{root}>{_font_face_decls()}"
            f"{_automatic_styles(tables, column_styles)}"
            f"<office:body><office:spreadsheet>{sheets}</office:spreadsheet></office:body>"
            "</office:document-content>")


def _styles_xml() -> str:
    """The styles.xml part, minimal: the Kai face as every cell's default font (Latin, Asian
    and complex script alike, or Chinese would show in the suite's own CJK face) and the
    "Default" cell style the automatic styles derive from."""
    root = attrs({**namespaces("office", "style", "fo", "svg"), "office:version": ODF_VERSION})
    font = attrs({"style:font-name": FONT, "style:font-name-asian": FONT,
                  "style:font-name-complex": FONT, "fo:font-size": "10pt",
                  "style:font-size-asian": "10pt", "style:font-size-complex": "10pt"})
    return (f"{XML_DECLARATION}<office:document-styles{root}>{_font_face_decls()}"
            f'<office:styles><style:default-style style:family="table-cell">'
            f"<style:text-properties{font}/></style:default-style>"
            f'<style:style style:name="Default" style:family="table-cell"/></office:styles>'
            "</office:document-styles>")


# ---------------------------------------------------------------------------- the files


def _require_tables(tables: Sequence[Table]) -> None:
    """An empty export would look like a failed one, and a spreadsheet has at least one sheet."""
    if not tables:
        raise ValueError("no table to export")


def ods_bytes(tables: Sequence[Table], *, title: str = "",
              created: datetime | None = None) -> bytes:
    """One sheet per table, named from its heading (made unique and valid, see `sheet_names`):
    the column headers in bold, then the rows, numbers and percentages typed as such so the
    office suite can sum them. `title` goes into the document properties; `created` (now, in
    local time, when omitted) into the properties and the zip entries, so a caller can make the
    same bytes twice.

    Why `mimetype` comes first, uncompressed and without extra field: that is how office suites
    and file-type sniffers recognise an ODF package (ODF 1.2 part 3, 3.3)."""
    _require_tables(tables)
    return package(MIMETYPE, {"content.xml": _content_xml(tables).encode("utf-8"),
                              "styles.xml": _styles_xml().encode("utf-8")},
                   created=created or datetime.now().astimezone(), title=_clean_text(title))


def _is_number(text: str) -> bool:
    """Whether a (clean) cell is a number or percentage the spreadsheet reads as such."""
    return _classify(text).kind != "string"


def _csv_cell(text: str) -> str:
    """A cell as CSV writes it: clean, and prefixed with ' when a spreadsheet would otherwise
    run it as a formula (it starts with = + - @, a tab or a CR) — "=HYPERLINK(…)" from another
    PC would otherwise become a live link, "@SUM(…)" a computation.

    A number ("-3", "-5%") is left alone: it is read as the number it is, and runs nothing.
    The cleaning turns CR into LF, so a CR can no longer start a cell; it is in the list as
    OWASP's advice has it, in case the cleaning changes."""
    text = _clean_text(text)
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def csv_bytes(tables: Sequence[Table]) -> bytes:
    """Every table as a section of one CSV file: its heading alone on a line, the header row,
    the rows, and an empty line before the next table.

    Why UTF-8 with a byte order mark: Excel on a Taiwanese Windows reads a CSV without it as
    Big5 (cp950) and garbles every Chinese character; with it, Excel, LibreOffice and Python's
    "utf-8-sig" all read UTF-8. Lines end in CRLF (the csv module's default, and RFC 4180's)."""
    _require_tables(tables)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for index, table in enumerate(tables):
        if index:
            writer.writerow([])
        writer.writerow([_csv_cell(table.heading)])
        writer.writerow([_csv_cell(cell) for cell in table.headers])
        writer.writerows([_csv_cell(cell) for cell in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8-sig")
