"""Charts on a printed form, read back as a reader sees them (poppler's pdftotext and pdffonts,
as in test_forms_render): each kind prints its heading, labels, legend and the very figures of
its data in the table under it, in the form's own face; an empty year still prints; long and
many labels stay on the page and never run into each other; the picture stays with its
heading; and the window's one-page PDF of a chart is the printed picture."""

from __future__ import annotations

import itertools
import math
import re
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms.chart_figures import chart_rows
from forms.charts import chart_drawing, charts_pdf
from forms.coverage import MissingGlyphs, missing_glyphs
from forms.document import Chart, Table
from forms.render import render_pdf
from forms.style import (
    CONTENT_WIDTH,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    PAGE_WIDTH,
)
# The sibling module by the name pytest (which puts this folder on sys.path) and mypy give it.
from test_forms_render import document, flat, pages_text, poppler, word_boxes

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils is not installed (packaging/bootstrap.py)")

MONTHS = tuple(f"{m}月" for m in range(1, 13))
LEVELS = (("高度危機", (1, 0, 2, 0, 0, 1, 3, 0, 1, 0, 0, 2)),
          ("中度危機", (3, 2, 4, 1, 5, 2, 6, 3, 2, 1, 4, 3)),
          ("低度危機", (8, 6, 9, 7, 12, 5, 10, 8, 7, 6, 9, 11)))
# Eight labels of six Chinese characters: too long to sit side by side at full size.
LONG_LABELS = ("通關案件處理", "輿情案件處理", "民代關切案件", "突發事件應變", "颱風淹水停電",
               "系統中斷處置", "疫病防治作業", "走私查緝行動")
TWENTY = tuple(f"第{i}關" for i in range(1, 21))


def chart(kind: str, categories: tuple[str, ...] = MONTHS,
          series: tuple[tuple[str, tuple[float, ...]], ...] = LEVELS, unit: str = "",
          texts: tuple[tuple[str, ...], ...] | None = None) -> Chart:
    return Chart(f"各月{kind}統計", kind, categories, series, unit, texts)


def series_of(count: int, categories: tuple[str, ...]) -> tuple[tuple[str, tuple[float, ...]], ...]:
    return tuple((f"系列{k}", tuple(float((i * 7 + k * 3) % 11) for i in range(len(categories))))
                 for k in range(count))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"kind": "pie"}, "bars, stacked, heatmap, not 'pie'"),
    ({"categories": ()}, "at least one category"),
    ({"series": ()}, "at least one series"),
    ({"series": (("甲", (1.0, 2.0)),)}, "series '甲' has 2 values for 3 categories"),
    ({"series": (("甲", (1.0, -2.0, 3.0)),)}, "negative or not a number"),
    ({"series": (("甲", (1.0, math.nan, 3.0)),)}, "negative or not a number"),
    ({"series": (("甲", (1.0, math.inf, 3.0)),)}, "negative or not a number"),
    ({"texts": (("1", "2", "3"), ("4", "5", "6"))}, "one text per value"),
    ({"texts": (("1", "2"),)}, "one text per value"),
])
def test_a_chart_that_cannot_be_drawn_is_refused(kwargs: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {"heading": "件數", "kind": "bars", "categories": ("甲", "乙", "丙"),
                                 "series": (("115年", (1.0, 2.0, 3.0)),), **kwargs}
    with pytest.raises(ValueError, match=re.escape(message)):
        Chart(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["bars", "stacked", "heatmap"])
def test_each_kind_prints_its_heading_labels_names_and_figures(kind: str) -> None:
    pdf = render_pdf(document(chart(kind, unit="件")))
    pages = pages_text(pdf)
    assert len(pages) == 1
    text = flat(pages[0])
    for label in (f"各月{kind}統計", *MONTHS, "件"):
        assert label in text
    for name, values in LEVELS:
        # The table's row: the series' name, then its figures in the order of the categories.
        assert name + "".join(str(v) for v in values) in text
    if kind == "heatmap":
        # Each cell of the heatmap prints its figure too: the row appears twice.
        assert all(text.count(name + "".join(map(str, values))) == 2 for name, values in LEVELS)
    rows = poppler("pdffonts", pdf).splitlines()[2:]
    assert [row.split()[0].split("+")[-1] for row in rows] == ["TW-Kai-98_1"]


def test_figures_are_rounded_half_up_to_one_decimal_unless_whole() -> None:
    block = chart("bars", ("甲", "乙", "丙", "丁"), (("平均分鐘", (12.5, 30.0, 0.25, 2.675)),),
                  unit="分鐘")
    assert chart_rows(block) == (("平均分鐘", "12.5", "30", "0.3", "2.7"),)
    assert "平均分鐘12.5300.32.7" in flat(pages_text(render_pdf(document(block)))[0])


def test_given_texts_are_printed_instead_of_the_values() -> None:
    block = chart("bars", ("甲", "乙"), (("中位數", (12.0, 0.0)),),
                  texts=(("12分", "–"),))
    assert "中位數12分–" in flat(pages_text(render_pdf(document(block)))[0])


def test_counts_get_whole_numbers_on_the_value_axis() -> None:
    # Up to 2 cases: five steps would be half cases.
    block = chart("bars", ("甲", "乙", "丙"), (("件數", (1.0, 2.0, 1.0)),))
    words = [w[4] for w in word_boxes(render_pdf(document(block)))]
    assert not [w for w in words if re.fullmatch(r"\d+\.\d+", w)]
    assert {"0", "1", "2"} <= set(words)


@pytest.mark.parametrize("kind", ["bars", "stacked", "heatmap"])
def test_a_year_of_zeros_still_prints(kind: str) -> None:
    block = chart(kind, LONG_LABELS, (("115年", (0.0,) * 8), ("114年", (0.0,) * 8)))
    text = flat(pages_text(render_pdf(document(block)))[0])
    assert f"各月{kind}統計" in text
    assert "115年00000000" in text and "114年00000000" in text


def overlapping(boxes: list[tuple[float, float, float, float, str]]) -> list[tuple[str, str]]:
    """Pairs of words whose boxes overlap by more than a hair."""
    hair = 0.3
    return [(a[4], b[4]) for a, b in itertools.combinations(boxes, 2)
            if min(a[2], b[2]) - max(a[0], b[0]) > hair
            and min(a[3], b[3]) - max(a[1], b[1]) > hair]


@pytest.mark.parametrize("kind", ["bars", "stacked", "heatmap"])
@pytest.mark.parametrize("categories", [LONG_LABELS, TWENTY], ids=["8 long", "20"])
def test_labels_neither_overlap_nor_leave_the_page(kind: str, categories: tuple[str, ...]) -> None:
    block = chart(kind, categories, series_of(4, categories))
    assert chart_drawing(block, CONTENT_WIDTH).width <= CONTENT_WIDTH
    pdf = render_pdf(document(block))
    boxes = word_boxes(pdf)
    slack = 0.5  # pdftotext rounds
    outside = [w for w in boxes
               if w[0] < MARGIN_LEFT - slack or w[2] > PAGE_WIDTH - MARGIN_RIGHT + slack
               or w[1] < MARGIN_TOP - slack or w[3] > PAGE_HEIGHT - MARGIN_BOTTOM + slack]
    assert outside == []
    assert overlapping(boxes) == []
    # Every label is printed whole (in the table at least), and every series named.
    text = flat("".join(pages_text(pdf)))
    assert all(label in text for label in categories)
    assert all(name in text for name, _values in block.series)


@pytest.mark.parametrize("rows_before", [16, 18, 20, 24, 28])
def test_the_picture_is_never_parted_from_its_heading(rows_before: int) -> None:
    """Whatever precedes it, the heading, the picture and (when it fits) the table under it
    share a page: the legend's and table's names, both printed, are on the heading's page."""
    filler = Table("處理時序", ("時間", "處置內容"),
                   tuple((f"{i:02d}:00", f"第{i}項處置") for i in range(rows_before)))
    pages = [flat(page) for page in pages_text(render_pdf(document(filler, chart("bars"))))]
    (page,) = [page for page in pages if "各月bars統計" in page]
    for name, _values in LEVELS:
        assert page.count(name) == 2, name


def test_a_table_too_wide_for_the_page_continues_under_itself() -> None:
    block = chart("bars", TWENTY, series_of(2, TWENTY))
    pages = pages_text(render_pdf(document(block)))
    # Twenty categories in two tables of ten, each naming the series: the legend and two rows.
    assert len(pages) == 1
    assert flat(pages[0]).count("系列0") == 3


@pytest.mark.parametrize("kind", ["bars", "heatmap"])
def test_the_windows_picture_is_the_printed_one(kind: str) -> None:
    """Every word of the window's one-page PDF is on the form too, at the same place relative
    to the others: same size, same labels, same layout."""
    block = chart(kind, LONG_LABELS, series_of(3, LONG_LABELS), unit="件")
    alone = word_boxes(charts_pdf([block]))
    printed = word_boxes(render_pdf(document(block)))
    assert {w[4] for w in alone} >= {*LONG_LABELS, "系列0", "系列2"}
    first = alone[0]
    anchor = next(w for w in printed if w[4] == first[4])
    dx, dy = anchor[0] - first[0], anchor[1] - first[1]
    missing = [w for w in alone if not any(
        p[4] == w[4] and abs(p[0] - w[0] - dx) < 0.5 and abs(p[1] - w[1] - dy) < 0.5
        for p in printed)]
    assert missing == []
    assert [row.split()[0].split("+")[-1]
            for row in poppler("pdffonts", charts_pdf([block])).splitlines()[2:]] == ["TW-Kai-98_1"]


def test_characters_the_font_lacks_are_reported_under_the_charts_heading() -> None:
    block = Chart("各單位件數", "bars", ("林𡘙股",), (("115年", (1.0,)),), texts=(("1👍",),))
    assert missing_glyphs(document(block)) == (MissingGlyphs("各單位件數", "𡘙👍"),)


any_text = st.text(st.characters(), max_size=30)


@st.composite
def charts(draw: st.DrawFn) -> Chart:
    columns = draw(st.integers(1, 25))
    rows = draw(st.integers(1, 8))
    values = st.floats(0, 1e6, allow_nan=False, allow_infinity=False)
    series = tuple((draw(any_text), tuple(draw(st.lists(values, min_size=columns,
                                                        max_size=columns))))
                   for _ in range(rows))
    texts = draw(st.none() | st.just(tuple(tuple(draw(any_text) for _ in range(columns))
                                           for _ in range(rows))))
    return Chart(draw(any_text), draw(st.sampled_from(["bars", "stacked", "heatmap"])),
                 tuple(draw(any_text) for _ in range(columns)), series, draw(any_text), texts)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(charts())
def test_any_chart_renders(block: Chart) -> None:
    pdf = render_pdf(document(block))
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
