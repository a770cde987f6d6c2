"""Chinese line breaking (forms/linebreak.py): no line ends with an opening bracket or quote,
none starts with a closing one or a pause mark, Latin words still go down whole, and the
rules hold inside real paragraphs of a form's styles."""

from __future__ import annotations

from typing import Any

import pytest
from reportlab.platypus import Paragraph

from forms.fonts import register_fonts
from forms.linebreak import NO_LINE_END, NO_LINE_START, line_ends, split_lines
from forms.style import paragraph, styles


def lines(text: str, per_line: int, forced: tuple[int, ...] = ()) -> list[str]:
    """`text` broken into lines `per_line` characters wide (every character one unit)."""
    ends = line_ends(text, [1.0] * len(text), [float(per_line)], forced)
    return [text[start:end] for start, end in zip([0, *ends], ends)]


def test_an_opening_bracket_goes_down_with_what_it_opens() -> None:
    assert lines("桃園國際機場各貨棧快遞倉（空運快遞）", 12) == [
        "桃園國際機場各貨棧快遞倉", "（空運快遞）"]


@pytest.mark.parametrize("bracket", list(NO_LINE_END))
def test_no_opening_bracket_or_quote_ends_a_line(bracket: str) -> None:
    text = f"甲乙丙{bracket}丁戊己"
    assert lines(text, 4) == ["甲乙丙", f"{bracket}丁戊己"]


@pytest.mark.parametrize("mark", list(NO_LINE_START))
def test_no_closing_mark_starts_a_line(mark: str) -> None:
    for broken in lines(f"甲乙丙丁{mark}戊己庚辛壬癸", 4):
        assert broken[0] not in NO_LINE_START


def test_one_closing_mark_hangs_two_carry_the_character_before_down() -> None:
    assert lines("甲乙丙丁。戊己", 4) == ["甲乙丙丁。", "戊己"]
    assert lines("甲乙丙丁。」戊己", 4) == ["甲乙丙", "丁。」戊", "己"]
    # The case file's task board printed "…專案稽核」" over "，改進措施…".
    assert lines("辦理「專案稽核」，改進措施", 7) == ["辦理「專案稽", "核」，改進措施"]


def test_a_run_of_brackets_still_makes_progress() -> None:
    text = "（（（（（（"
    broken = lines(text, 2)
    assert "".join(broken) == text
    assert all(broken)


def test_latin_words_go_down_whole_and_ascii_brackets_follow_the_rules() -> None:
    assert lines("通報 deadline (draft)", 14) == ["通報 deadline ", "(draft)"]
    assert lines("快遞倉(EMS)", 4) == ["快遞倉", "(EMS)"]
    # A word longer than half the line goes down whole too: a table heading in English.
    assert lines("Needing a clarification", 19) == ["Needing a ", "clarification"]
    # Only a word longer than the whole line is split.
    assert lines("Clarification", 5) == ["Clari", "ficat", "ion"]


def test_explicit_line_breaks_end_lines_wherever_they_are() -> None:
    assert lines("甲（\n乙丙", 9, forced=(2,)) == ["甲（\n", "乙丙"]


def test_split_lines_reports_the_room_left_as_reportlab_does() -> None:
    assert split_lines("甲乙（丙）", [10.0] * 5, 30) == [[10.0, "甲乙"], [0.0, "（丙）"]]


def wrapped(para: Paragraph, width: float) -> list[str]:
    """The lines reportlab lays `para` out in, `width` points wide."""
    para.wrap(width, 1000)
    laid: Any = getattr(para, "blPara")  # noqa: B009 (reportlab's; not in the stubs)
    if laid.kind == 0:
        return ["".join(line[1]) for line in laid.lines]
    return ["".join(w.text for w in line.words) for line in laid.lines]


@pytest.mark.parametrize("text", [
    "地點：桃園國際機場各貨棧快遞倉（空運快遞貨物通關）",
    "地點：桃園國際機場各貨棧快遞倉（空運快遞貨物通關）\n第二行「引號」測試。",
])
def test_form_paragraphs_follow_the_rules(text: str) -> None:
    register_fonts()
    style = styles().body
    # Widths that put the bracket at every position of a line in turn.
    for chars in range(6, 16):
        laid = wrapped(paragraph(text, style), chars * style.fontSize + 0.5)
        assert "".join(laid).replace("\n", "") == text.replace("\n", "")
        for line in laid:
            assert line.rstrip()[-1:] not in set(NO_LINE_END), laid
            assert line[:1] not in set(NO_LINE_START), laid
