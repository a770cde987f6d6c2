"""Each block of a FormDocument as reportlab flowables: ruled tables in the government-form style.

Why everything is a ruled table: it gives the look of the paper forms (thin rules, shaded label
cells) and lets reportlab carry any cell onto the next page (`splitInRow`), so a long value is
never cut off, while heading and header rows repeat above the continuation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, assert_never

from reportlab.lib.colors import black
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer
from reportlab.platypus import Table as RLTable
from reportlab.platypus.tables import TableStyle

from forms.chart_figures import chart_rows
from forms.charts import chart_drawing
from forms.deputies import signer_text
from forms.document import (
    Block,
    Chart,
    Checkboxes,
    FieldGrid,
    Signatures,
    SignatureBox,
    Table,
    TextSection,
)
from forms.fonts import printable, register_fonts
from forms.style import (
    FRAME_LINE,
    LABEL_WIDTH,
    LINE,
    PAD_BOTTOM,
    PAD_TOP,
    PAD_X,
    SHADE,
    SIGNATURES_GAP,
    SIGNATURES_PER_ROW,
    SIGNING_SPACE,
    paragraph,
    styles,
)
from i18n import _

__all__ = ["CHECKED", "UNCHECKED", "block_flowables", "chart_figure_widths", "checkbox_lines",
           "column_widths", "signer_name"]

#: The boxes of a Checkboxes block (both are in the shipped font).
CHECKED = "☑"
UNCHECKED = "☐"

# Signature boxes are never wider than a row of this many would make them.
_MIN_BOXES_ACROSS = 3

# The narrowest a table column may be, in characters of table text.
_MIN_COLUMN_CHARS = 2

# A chart's table gives the names of its series at most this share of the width.
_SERIES_NAMES_SHARE = 0.3

# Between two options on one line: two ideographic spaces, as typed on paper forms.
_OPTION_GAP = "\u3000\u3000"

_Cell = str | Flowable | list[Flowable]
_Command = tuple[Any, ...]


def block_flowables(block: Block, width: float, *, void: str = "") -> list[Flowable]:
    """The flowables that print `block` across `width` points. *void* (a draft's "草稿")
    fills the signing space of signature boxes, so nobody signs a draft."""
    if isinstance(block, FieldGrid):
        # A grid of optional fields may have none to show: print nothing rather than fail.
        return [_field_grid(block, width)] if block.rows else []
    if isinstance(block, TextSection):
        return [_text_section(block, width)]
    if isinstance(block, Table):
        return [_table(block, width)]
    if isinstance(block, Checkboxes):
        return [_checkboxes(block, width)]
    if isinstance(block, Signatures):
        return [_signatures(block, width, void)]
    if isinstance(block, Chart):
        return _chart(block, width)
    assert_never(block)


def _ruled(
    rows: Sequence[Sequence[_Cell]],
    widths: Sequence[float],
    commands: Sequence[_Command] = (),
    repeat_rows: int = 0,
    row_heights: Sequence[float | None] | None = None,
) -> RLTable:
    """A table with thin inner rules, a heavier outline and cells that may split across pages."""
    style = [
        ("GRID", (0, 0), (-1, -1), LINE, black),
        ("BOX", (0, 0), (-1, -1), FRAME_LINE, black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        # For the blank cells: reportlab sets their (unused) font, Helvetica unless told.
        ("FONTNAME", (0, 0), (-1, -1), register_fonts()),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), PAD_TOP),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_BOTTOM),
        *commands,
    ]
    return RLTable(
        [list(row) for row in rows],
        colWidths=list(widths),
        rowHeights=None if row_heights is None else list(row_heights),
        style=TableStyle(style),
        repeatRows=repeat_rows,
        splitInRow=1,
    )


def _shade(col: int, row: int, last_col: int | None = None) -> list[_Command]:
    """Shade cells `col`..`last_col` of `row`, as label and heading cells are."""
    end = (col if last_col is None else last_col, row)
    return [("BACKGROUND", (col, row), end, SHADE)]


def _field_grid(block: FieldGrid, width: float) -> RLTable:
    s = styles()
    value_width = (width - block.columns * LABEL_WIDTH) / block.columns
    widths = [LABEL_WIDTH, value_width] * block.columns
    rows: list[Sequence[_Cell]] = []
    commands: list[_Command] = []
    for r, start in enumerate(range(0, len(block.rows), block.columns)):
        pairs = block.rows[start : start + block.columns]
        row: list[_Cell] = []
        for i, (label, value) in enumerate(pairs):
            row += [paragraph(label, s.label), paragraph(value, s.body)]
            commands += _shade(2 * i, r)
        if len(pairs) < block.columns:
            # The odd last value takes the rest of the line.
            row += [""] * (len(widths) - len(row))
            commands.append(("SPAN", (2 * len(pairs) - 1, r), (-1, r)))
        rows.append(row)
    return _ruled(rows, widths, commands)


def _text_section(block: TextSection, width: float) -> RLTable:
    s = styles()
    body: list[Flowable] = [paragraph(line, s.text) for line in block.text.splitlines() or [""]]
    if not block.heading:
        return _ruled([[body]], [width])
    return _ruled([[paragraph(block.heading, s.heading)], [body]], [width], _shade(0, 0),
                  repeat_rows=1)


def _table(block: Table, width: float) -> RLTable:
    s = styles()
    columns = len(block.headers)
    widths = column_widths(block.widths or (1.0,) * columns, width)
    rows: list[Sequence[_Cell]] = []
    commands: list[_Command] = []
    if block.heading:
        rows.append([paragraph(block.heading, s.heading)] + [""] * (columns - 1))
        commands += [("SPAN", (0, 0), (-1, 0)), *_shade(0, 0, columns - 1)]
    header_row = len(rows)
    rows.append([paragraph(h, s.header_cell) for h in block.headers])
    commands += _shade(0, header_row, columns - 1)
    rows += [[paragraph(cell, s.cell) for cell in row] for row in block.rows]
    if not block.rows:
        empty = len(rows)
        rows.append([paragraph(_("(none)"), s.centered)] + [""] * (columns - 1))
        commands.append(("SPAN", (0, empty), (-1, empty)))
    return _ruled(rows, widths, commands, repeat_rows=header_row + 1)


def _chart(block: Chart, width: float) -> list[Flowable]:
    """The heading over the picture, then the chart's figures, all on one page where they fit;
    a table too long for that starts a page and runs on over the next."""
    s = styles()
    picture: list[Sequence[_Cell]] = [[chart_drawing(block, width - 2 * PAD_X)]]
    commands: list[_Command] = []
    if block.heading:
        picture.insert(0, [paragraph(block.heading, s.heading)])
        commands = _shade(0, 0)
    return [KeepTogether([_ruled(picture, [width], commands), *_chart_figures(block, width)])]


def _chart_figures(block: Chart, width: float) -> list[Flowable]:
    """The figures of a chart as a ruled table: the unit and the categories in the header
    row, then a row per series. Categories too many for one row of the page continue in more
    tables under the first, their columns in line with its columns."""
    s = styles()
    series_rows = chart_rows(block)
    widths = chart_figure_widths(block, width)
    across = len(widths) - 1
    tables: list[Flowable] = []
    for start in range(0, len(block.categories), across):
        part = slice(start, start + across)
        categories = block.categories[part]
        rows: list[Sequence[_Cell]] = [
            [paragraph(block.unit, s.header_cell),
             *(paragraph(category, s.header_cell) for category in categories)],
            *([paragraph(row[0], s.cell),
               *(paragraph(text, s.figure) for text in row[1:][part])] for row in series_rows),
        ]
        table = _ruled(rows, widths[: len(categories) + 1], _shade(0, 0, len(categories)),
                       repeat_rows=1)
        table.hAlign = "LEFT"
        tables.append(table)
    return tables


def chart_figure_widths(block: Chart, width: float) -> list[float]:
    """The columns of a chart's table of figures across `width`: the series' names, then as
    many categories as fit (the rest continue in tables under the first). Shared with the
    ODF document (forms/odt.py)."""
    s = styles()
    font, size = s.cell.fontName, s.cell.fontSize
    series_rows = chart_rows(block)
    minimum = _MIN_COLUMN_CHARS * size + 2 * PAD_X
    widest_name = max(stringWidth(printable(t), font, size)
                      for t in [block.unit, *(row[0] for row in series_rows)])
    label = max(minimum, min(widest_name + 2 * PAD_X, width * _SERIES_NAMES_SHARE))
    widest_figure = max(stringWidth(printable(t), font, size)
                        for row in series_rows for t in row[1:])
    column = max(minimum, widest_figure + 2 * PAD_X)
    across = max(1, int((width - label) // column))
    # As many categories in each table, rather than a full table and a stub.
    across = math.ceil(len(block.categories) / math.ceil(len(block.categories) / across))
    return [label] + [(width - label) / across] * across


def column_widths(relative: Sequence[float], width: float) -> list[float]:
    """Share `width` out in proportion to `relative`, but never make a column too narrow for
    two characters: it takes the difference from the wider ones. Raises ValueError when the
    columns cannot all fit."""
    minimum = _MIN_COLUMN_CHARS * styles().cell.fontSize + 2 * PAD_X
    if len(relative) * minimum > width:
        raise ValueError(f"{len(relative)} columns do not fit across the page")
    narrow: set[int] = set()
    while True:
        room = width - minimum * len(narrow)
        share = sum(w for i, w in enumerate(relative) if i not in narrow)
        widths = [minimum if i in narrow else room * w / share for i, w in enumerate(relative)]
        too_narrow = {i for i, w in enumerate(widths) if w < minimum and i not in narrow}
        if not too_narrow:
            return widths
        narrow |= too_narrow


def _checkboxes(block: Checkboxes, width: float) -> RLTable:
    s = styles()
    value_width = width - LABEL_WIDTH
    options: list[Flowable] = [paragraph(line, s.body)
                               for line in checkbox_lines(block, value_width - 2 * PAD_X)]
    return _ruled([[paragraph(block.label, s.label), options]], [LABEL_WIDTH, value_width],
                  _shade(0, 0))


def checkbox_lines(block: Checkboxes, room: float) -> list[str]:
    """The options of *block* packed onto lines *room* points wide, in the body style.

    Packed here rather than left to the paragraph, so a line never breaks between a box and
    its option; the ODF document (forms/odt.py) prints the same lines."""
    s = styles()
    lines: list[str] = []
    for label, ticked in block.options:
        option = f"{CHECKED if ticked else UNCHECKED} {printable(label)}"
        joined = f"{lines[-1]}{_OPTION_GAP}{option}" if lines else option
        if lines and stringWidth(joined, s.body.fontName, s.body.fontSize) <= room:
            lines[-1] = joined
        else:
            lines.append(option)
    return lines


def _signatures(block: Signatures, width: float, void: str) -> Flowable:
    parts: list[Flowable] = [Spacer(width, SIGNATURES_GAP)]
    for start in range(0, len(block.boxes), SIGNATURES_PER_ROW):
        boxes = block.boxes[start : start + SIGNATURES_PER_ROW]
        cells = [_signature_cells(box, void) for box in boxes]
        # One or two signers get boxes of a normal size at the right, where approvals go,
        # rather than boxes stretched across the page.
        box_width = width / max(len(boxes), _MIN_BOXES_ACROSS)
        table = _ruled([[cell[i] for cell in cells] for i in range(4)], [box_width] * len(boxes),
                       [*_shade(0, 0, len(boxes) - 1), ("VALIGN", (0, 2), (-1, -1), "MIDDLE")],
                       row_heights=[None, SIGNING_SPACE, None, None])
        table.hAlign = "RIGHT"
        parts.append(table)
    # A signature block split over two pages would leave a page without its signers.
    return KeepTogether(parts)


def _signature_cells(box: SignatureBox, void: str) -> tuple[_Cell, _Cell, _Cell, _Cell]:
    """Role, signing space (blank, or *void* across it on a draft), name (`signer_name`) and
    date of one box; an unknown date leaves its cell blank but for the caption, for the signer
    to write it."""
    s = styles()
    name = signer_name(box)
    date = paragraph(box.date, s.centered) if box.date else paragraph(_("Date:"), s.cell)
    # Where it was signed (login and PC), small, under the date.
    when: _Cell = [date, paragraph(box.signed_from, s.footer)] if box.signed_from else date
    space = paragraph(void, s.void) if void else ""
    return paragraph(box.role, s.label), space, paragraph(name, s.centered), when


def signer_name(box: SignatureBox) -> str:
    """The name line of a signature box, a deputy's as 公文程式條例 has it (forms.deputies):
    shared by the PDF and the ODF document (forms/odt.py), so both print a deputy alike."""
    return signer_text(box.role, box.name, box.deputy_for, box.deputy_title)
