"""The picture of a Chart block: a reportlab Drawing of bars, stacked bars or a heatmap.

Why drawn from plain shapes rather than with reportlab's chart widgets: the widgets neither wrap
Chinese labels nor hatch bars, and every string of them would need the Kai face set by hand.
Here each label is fitted to the room its bar has (forms.chart_labels), so no two overlap
however many categories there are; series differ by grey level and hatching as well as
by the one accent colour, so a chart still reads from a black-and-white printer; and the height
is bounded, so the picture always fits on one page under its heading.

The figures themselves are printed in the ruled table under the picture (forms.blocks), from
`chart_rows`, whose figures a heatmap's cells print too: chart and table can never disagree.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Literal, TypeAlias

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.colors import Color, black, white
from reportlab.pdfgen.canvas import Canvas

from forms.chart_labels import (
    LABEL_GAP,
    LEADING,
    SIZES,
    fit,
    label_step,
    one_line,
    text_width,
)
from forms.chart_figures import is_whole, value_texts
from forms.document import Chart
from forms.fonts import printable, register_fonts
from forms.style import CONTENT_WIDTH, LINE, PAD_X

__all__ = ["ACCENT", "chart_drawing", "charts_pdf"]

ACCENT = Color(0.16, 0.31, 0.49)
"""The one colour of the charts, a dark slate blue: a black-and-white printer makes it a dark
grey, still apart from the lighter greys of the other series."""

# (fill, hatching) of series 1, 2, ...: "/" or "\\" lines over the fill, or none. Neighbours
# differ by a wide step of grey or by hatching, so they stay apart on a photocopy; a seventh
# series looks like the first (the legend and the table still name it).
_SERIES_LOOKS: tuple[tuple[Color, str], ...] = (
    (ACCENT, ""),
    (Color(0.80, 0.80, 0.80), ""),
    (white, "/"),
    (Color(0.45, 0.45, 0.45), ""),
    (white, "\\"),
    (Color(0.80, 0.80, 0.80), "/"),
)
_Anchor: TypeAlias = Literal["start", "middle", "end"]

_HATCH_GAP = 3.0
_THIN = 0.4
_GRID_GREY = Color(0.75, 0.75, 0.75)
_HEAT_DARKEST = Color(0.08, 0.17, 0.29)
# A heatmap cell darker than this share of the largest value prints its figure in white.
_WHITE_TEXT_FROM = 0.5

_ASCENT = 0.9
"""Of the type size: how far below the top of its line a label's baseline sits."""
_MAX_LABEL_LINES = 3
_GAP = 4.0

_PLOT_HEIGHT = 150.0
_STEPS = 5
"""About how many steps the value axis has."""
_BAR_SHARE = 0.75
"""The share of its category's width a category's bars take; the rest parts the categories."""
_MAX_BAR = 40.0
_SWATCH = 8.0
_LEGEND_GAP = 12.0

_MAX_HEIGHT = 480.0
"""The highest a picture gets, well within a page under the tallest header and footer."""

_HEAT_ROW = 20.0
_HEAT_MAX_GRID = 360.0
"""The most height the rows of a heatmap take: rows get lower rather than the picture taller
than a page."""
_ROW_LABEL_SHARE = 0.3


def charts_pdf(charts: Sequence[Chart]) -> bytes:
    """A PDF of the pictures of `charts` alone, a page each, as wide as a form prints them:
    what the window rasterises, so the screen shows the very charts the paper carries. One
    file for them all: the form font's subset is embedded once, not once a chart (a fifth of
    the Statistics screen's load)."""
    out = io.BytesIO()
    # The form's face from the start, as render_pdf's pages (else Helvetica is embedded);
    # types-reportlab types initialFontName as a number, reportlab takes the font's name.
    canvas = Canvas(out, pageCompression=1,
                    initialFontName=register_fonts())  # type: ignore[arg-type]
    for chart in charts:
        drawing = chart_drawing(chart, CONTENT_WIDTH - 2 * PAD_X)
        canvas.setPageSize((drawing.width, drawing.height))
        renderPDF.draw(drawing, canvas, 0, 0)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def chart_drawing(chart: Chart, width: float) -> Drawing:
    """The picture of `chart`, `width` points wide and as high as its labels need, but never
    higher than `_MAX_HEIGHT`."""
    drawing = _heatmap(chart, width) if chart.kind == "heatmap" else _bars(chart, width)
    if drawing.height > _MAX_HEIGHT:
        # Only the legend of dozens of series gets this high: the whole picture shrinks
        # rather than run past the page.
        factor = _MAX_HEIGHT / drawing.height
        drawing.scale(factor, factor)
        drawing.width, drawing.height = width * factor, _MAX_HEIGHT
    return drawing


def _bars(chart: Chart, width: float) -> Drawing:
    """Bars side by side ("bars") or piled up ("stacked") over each category, the value axis
    and its unit at the left and, for more than one series, a legend on top."""
    stacked = chart.kind == "stacked"
    columns = list(zip(*(values for _name, values in chart.series), strict=True))
    top = max(sum(column) if stacked else max(column) for column in columns)
    ticks = _ticks(top, all(is_whole(v) for column in columns for v in column))
    tick_texts = [_tick_text(tick, ticks[1]) for tick in ticks]
    size = SIZES[0]
    left = max(text_width(text, size) for text in tick_texts) + _GAP
    slot = (width - left) / len(chart.categories)
    step = label_step(chart.categories, slot)
    label_size, labels = fit(chart.categories, slot * step - LABEL_GAP, _MAX_LABEL_LINES)
    label_height = max(len(lines) for lines in labels) * label_size * LEADING
    legend, legend_height = _legend([name for name, _values in chart.series], width)
    unit = one_line(chart.unit, width, size)
    bottom = label_height + _GAP
    plot_top = bottom + _PLOT_HEIGHT
    # Room above the plot for half the top tick label, the unit and the legend.
    height = plot_top + size + (size * LEADING if unit else 0) + legend_height

    drawing = _drawing(width, height)
    scale = _PLOT_HEIGHT / ticks[-1]
    for tick, text in zip(ticks, tick_texts, strict=True):
        y = bottom + tick * scale
        if tick:
            drawing.add(Line(left, y, width, y, strokeColor=_GRID_GREY, strokeWidth=_THIN))
        drawing.add(_string(left - _GAP, y - size * 0.35, text, size, "end"))
    if unit:
        drawing.add(_string(0, plot_top + size, unit, size))
    for index, column in enumerate(columns):
        x = left + slot * index
        _add_bars(drawing, column, x, slot, bottom, scale, stacked)
        if index % step == 0:
            centre = _centre(x + slot / 2, slot * step, width)
            _add_lines(drawing, labels[index], centre, label_height, label_size)
    drawing.add(Line(left, bottom, left, plot_top, strokeColor=black, strokeWidth=LINE))
    drawing.add(Line(left, bottom, width, bottom, strokeColor=black, strokeWidth=LINE))
    _add_legend(drawing, legend, height)
    return drawing


def _add_bars(drawing: Drawing, column: Sequence[float], x: float, slot: float, bottom: float,
              scale: float, stacked: bool) -> None:
    """The bars of one category, whose slot starts at `x`."""
    if stacked:
        bar = min(slot * _BAR_SHARE, _MAX_BAR)
        y = bottom
        for series, value in enumerate(column):
            _add_box(drawing, series, x + (slot - bar) / 2, y, bar, value * scale)
            y += value * scale
        return
    bar = min(slot * _BAR_SHARE / len(column), _MAX_BAR)
    start = x + (slot - bar * len(column)) / 2
    for series, value in enumerate(column):
        _add_box(drawing, series, start + series * bar, bottom, bar, value * scale)


def _add_box(drawing: Drawing, series: int, x: float, y: float, w: float, h: float) -> None:
    """A bar (or a legend swatch) in the look of `series`; nothing for a zero value."""
    if h <= 0:
        return
    fill, hatching = _SERIES_LOOKS[series % len(_SERIES_LOOKS)]
    drawing.add(_rect(x, y, w, h, fill, None))
    if hatching:
        _add_hatching(drawing, x, y, w, h, rising=hatching == "/")
    drawing.add(_rect(x, y, w, h, None, black))


def _add_hatching(drawing: Drawing, x: float, y: float, w: float, h: float,
                  rising: bool) -> None:
    """Diagonal lines across the rectangle, cut at its sides (shapes cannot be clipped)."""
    offset = -h
    while offset < w:
        # The line through (x + offset + u, y + u) for u in [0, h], or its mirror image.
        low, high = max(0.0, -offset), min(h, w - offset)
        if low < high:
            y0, y1 = (y + low, y + high) if rising else (y + h - low, y + h - high)
            drawing.add(Line(x + offset + low, y0, x + offset + high, y1,
                             strokeColor=black, strokeWidth=_THIN))
        offset += _HATCH_GAP * math.sqrt(2)


def _legend(names: Sequence[str], width: float) -> tuple[list[tuple[float, int, str]], float]:
    """Where each series' swatch and name go, as (x, line, name) in series order, and the
    height they take; none for a single series, which the heading names."""
    if len(names) < 2:
        return [], 0.0
    size = SIZES[0]
    items: list[tuple[float, int, str]] = []
    x, line = 0.0, 0
    for name in names:
        text = one_line(name, width - _SWATCH - _GAP, size)
        room = _SWATCH + _GAP + text_width(text, size)
        if x and x + room > width:
            x, line = 0.0, line + 1
        items.append((x, line, text))
        x += room + _LEGEND_GAP
    return items, (line + 1) * size * LEADING + _GAP


def _add_legend(drawing: Drawing, items: Sequence[tuple[float, int, str]], top: float) -> None:
    """The legend laid out by `_legend`, its top at `top`."""
    size = SIZES[0]
    for series, (x, line, text) in enumerate(items):
        baseline = top - (line * LEADING + _ASCENT) * size
        _add_box(drawing, series, x, baseline - 1, _SWATCH, _SWATCH)
        drawing.add(_string(x + _SWATCH + _GAP, baseline, text, size))


def _heatmap(chart: Chart, width: float) -> Drawing:
    """Series as rows and categories as columns of cells, each the darker the larger its
    value and printing its figure; row labels at the left, column labels on top."""
    rows, columns = len(chart.series), len(chart.categories)
    row_height = min(_HEAT_ROW, _HEAT_MAX_GRID / rows)
    row_step, name_size, row_labels = _row_labels([name for name, _v in chart.series],
                                                  row_height, width * _ROW_LABEL_SHARE)
    left = max(text_width(line, name_size) for lines in row_labels for line in lines) + _GAP
    cell_width = (width - left) / columns
    column_step = label_step(chart.categories, cell_width)
    label_size, labels = fit(chart.categories, cell_width * column_step - LABEL_GAP,
                              _MAX_LABEL_LINES)
    label_height = max(len(lines) for lines in labels) * label_size * LEADING
    grid_top = rows * row_height
    drawing = _drawing(width, grid_top + _GAP + label_height)

    largest = max(max(values) for _name, values in chart.series)
    for row, ((_name, values), texts) in enumerate(zip(chart.series, value_texts(chart),
                                                       strict=True)):
        y = grid_top - (row + 1) * row_height
        for column, (value, text) in enumerate(zip(values, texts, strict=True)):
            _add_cell(drawing, left + column * cell_width, y, cell_width, row_height,
                      value / largest if largest else 0.0, text)
        if row % row_step == 0:
            block = len(row_labels[row]) * name_size * LEADING
            _add_lines(drawing, row_labels[row], 0, y + (row_height + block) / 2, name_size,
                       "start")
    for column in range(0, columns, column_step):
        centre = _centre(left + (column + 0.5) * cell_width, cell_width * column_step, width)
        _add_lines(drawing, labels[column], centre, drawing.height, label_size)
    drawing.add(_rect(left, 0, width - left, grid_top, None, black, LINE))
    return drawing


def _row_labels(names: Sequence[str], row_height: float,
                room: float) -> tuple[int, float, list[list[str]]]:
    """Which rows of a heatmap are labelled (every n-th: every one unless rows are lower than
    the smallest size), the labels' size and their lines: as large as a row allows, on two
    lines where a row is high enough for them, at most `room` wide."""
    step = max(1, math.ceil(SIZES[-1] * LEADING / row_height))
    height = row_height * step
    lines = max(1, min(2, int(height // (SIZES[0] * LEADING))))
    size, labels = fit(names, room, lines, height / LEADING / lines)
    return step, size, labels


def _add_cell(drawing: Drawing, x: float, y: float, w: float, h: float, share: float,
              text: str) -> None:
    """One heatmap cell, `share` of the way from white to the darkest shade, with its figure
    when the figure fits (the table under the chart prints it anyway)."""
    drawing.add(_rect(x, y, w, h, _mix(share), _GRID_GREY))
    figure = " ".join(printable(text).split("\n"))
    for size in SIZES:
        if size <= h - 2 and text_width(figure, size) <= w - 2:
            colour = white if share > _WHITE_TEXT_FROM else black
            drawing.add(_string(x + w / 2, y + (h - size * 0.7) / 2, figure, size, "middle",
                                colour))
            return


def _mix(share: float) -> Color:
    """The colour `share` of the way from white (0) to the darkest heatmap shade (1)."""
    return Color(*(1 - share * (1 - c) for c in
                   (_HEAT_DARKEST.red, _HEAT_DARKEST.green, _HEAT_DARKEST.blue)))


def _ticks(top: float, whole: bool) -> list[float]:
    """The value axis: 0 and about `_STEPS` steps of 1, 2 or 5 times a power of ten, up to
    `top` or just past it; steps of at least 1 for whole numbers (counts of cases); 0 to 1
    when every value is 0."""
    top = top or 1.0
    rough = top / _STEPS
    power = 10.0 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough * (1 - 1e-9))
    if whole:
        step = max(step, 1.0)
    return [i * step for i in range(math.ceil(top / step - 1e-9) + 1)]


def _tick_text(tick: float, step: float) -> str:
    """A tick's figure with as many decimals as the step needs (none for 1, 2, 5, 10...)."""
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    return f"{tick:.{decimals}f}"


def _centre(middle: float, room: float, width: float) -> float:
    """Where a label `room` wide that belongs at `middle` goes: there, or as near as the
    picture's edges allow (a label given the room of several slots may be wider than its
    own)."""
    return min(max(middle, room / 2), width - room / 2)


def _add_lines(drawing: Drawing, lines: Sequence[str], x: float, top: float, size: float,
               anchor: _Anchor = "middle") -> None:
    """Lines of a label, the first one's top at `top`, anchored at `x`."""
    for number, line in enumerate(lines):
        baseline = top - (number * LEADING + _ASCENT) * size
        drawing.add(_string(x, baseline, line, size, anchor))


def _drawing(width: float, height: float) -> Drawing:
    """An empty picture in the form's face (else reportlab opens it in Helvetica, a font no
    text of it uses, and lists that font in the PDF)."""
    return Drawing(width, height, initialFontName=register_fonts())


def _rect(x: float, y: float, w: float, h: float, fill: Color | None, stroke: Color | None,
          stroke_width: float = _THIN) -> Rect:
    """A rectangle filled with `fill` and outlined with `stroke` (None: not at all)."""
    rect = Rect(x, y, w, h)
    # Set one by one: the stubs of reportlab mistype Rect's keyword arguments.
    rect.fillColor, rect.strokeColor, rect.strokeWidth = fill, stroke, stroke_width
    return rect


def _string(x: float, y: float, text: str, size: float, anchor: _Anchor = "start",
            colour: Color = black) -> String:
    """Printable `text` in the form's face."""
    return String(x, y, text, fontName=register_fonts(), fontSize=size, textAnchor=anchor,
                  fillColor=colour)
