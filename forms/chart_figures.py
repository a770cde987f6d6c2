"""The figures of a chart as text, as its table prints them: apart from the drawing (and
from reportlab), so that the window can show a chart's table without loading the PDF
library on the GUI thread (ui/printing/document_html.py), and the exports can hold it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from forms.document import Chart

__all__ = ["chart_header", "chart_rows", "figure", "is_whole", "value_texts"]


def chart_header(chart: Chart) -> tuple[str, ...]:
    """The header row of the chart's table: the unit over the series' names, then the
    categories."""
    return (chart.unit, *chart.categories)


def chart_rows(chart: Chart) -> tuple[tuple[str, ...], ...]:
    """The rows of the chart's table under its chart_header: each series' name and what is
    printed for each of its values (see `value_texts`)."""
    return tuple((name, *texts)
                 for (name, _values), texts in zip(chart.series, value_texts(chart), strict=True))


def value_texts(chart: Chart) -> tuple[tuple[str, ...], ...]:
    """What is printed for each value, series by series: the chart's own `texts`, or whole
    numbers without decimals and others with one."""
    if chart.texts is not None:
        return chart.texts
    return tuple(tuple(figure(v) for v in values) for _name, values in chart.series)


def figure(value: float) -> str:
    """`value` as printed: whole numbers without decimals, others rounded half up (四捨五入,
    as official statistics are) to one decimal, 0.25 to "0.3"."""
    if is_whole(value):
        return f"{value:.0f}"
    return str(Decimal(repr(float(value))).quantize(Decimal("0.1"), ROUND_HALF_UP))


def is_whole(value: float) -> bool:
    """Whether `value` is a whole number (an int passed for a float is one)."""
    return float(value).is_integer()
