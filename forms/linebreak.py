"""Where a line of a form may break: between any two Chinese characters, but never after an
opening bracket or quote, nor before a closing one or a pause mark (the 避頭點/避尾點 rules of
Chinese typesetting, Japanese kinsoku shori).

Why our own rules rather than reportlab's: reportlab's CJK wrapping (textsplit.dumbSplit for a
paragraph of one style, paragraph.cjkFragSplit for one with line breaks) lets one closing mark
hang in the margin, but it never looks at what ends a line, so a cell printed "快遞倉（" over
"EMS）". `line_ends` keeps reportlab's greedy fill and its habit of letting one closing mark
hang past the margin, carries a Latin word to the next line whole wherever the line has a space
before it, then moves the break back until no opening bracket ends the line and no closing mark
starts the next, by carrying the character before the closing mark down with it. `install`
puts it in place of reportlab's two splitters; it is called once, when the form font is
registered.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection, Sequence
from typing import Any

from reportlab.lib import textsplit
from reportlab.platypus import paragraph as rl_paragraph

__all__ = ["NO_LINE_END", "NO_LINE_START", "install", "line_ends", "split_lines"]

NO_LINE_START = "，；：？！》〉、。）」』〕】〗〙”’,.;:?!)]}"
"""Punctuation that must never begin a line: closing brackets and quotes, pause and stop marks.
(ASCII " and ' open as often as they close, so they are in neither list.)"""

NO_LINE_END = "（「『〔【《〈〖〘“‘([{"
"""Opening brackets and quotes, which must never end a line."""

_FUZZ = 1e-6
"""reportlab's own tolerance for layout arithmetic (rl_config._FUZZ)."""

_CJK_FROM = 0x3000
"""reportlab's rough test for "an Asian character": code points from here up."""


def line_ends(text: str, widths: Sequence[float], max_widths: Sequence[float],
              forced: Collection[int] = ()) -> list[int]:
    """The end (exclusive index into `text`) of each line when `text`, its characters
    `widths` wide, fills lines `max_widths` wide (the last width serves every further line).
    A line ends right after each index in `forced` (an explicit line break), whatever it
    holds. Every line holds at least one character, so the text always fits somewhere."""
    ends: list[int] = []
    start = i = 0
    used = 0.0
    while i < len(text):
        used += widths[i]
        i += 1
        if i - 1 in forced:
            ends.append(i)
        elif used > max_widths[min(len(ends), len(max_widths) - 1)] + _FUZZ and used > 0:
            ends.append(_break(text, start, i - 1))
        else:
            continue
        start = i = ends[-1]
        used = 0.0
    if start < len(text) and sum(widths[start:]) > 0:
        ends.append(len(text))
    return ends


def _break(text: str, start: int, over: int) -> int:
    """Where the line begun at `start` ends, the character at `over` not fitting on it."""
    end = over
    if ord(text[over]) < _CJK_FROM:
        # Inside Latin text: back to the last space or Chinese character of the line, so the
        # word goes down whole. reportlab looks only in the line's second half and splits a
        # long word otherwise: a narrow column's heading printed "clarifica" over "tion".
        for j in range(over - 1, start, -1):
            if unicodedata.category(text[j]) == "Zs" or ord(text[j]) >= _CJK_FROM:
                end = j + 1
                break
    if text[end] in NO_LINE_START or end == start:
        end += 1  # one closing mark hangs in the margin; a line holds at least a character
    while end - 1 > start:
        if end < len(text) and text[end] in NO_LINE_START:
            end -= 1  # the character before a closing mark goes down with it
        elif text[end - 1] in NO_LINE_END:
            end -= 1  # an opening bracket goes down with what it opens
        else:
            break
    return end


def split_lines(text: str, widths: Sequence[float],
                max_widths: float | Sequence[float]) -> list[list[Any]]:
    """`text` as reportlab's textsplit.dumbSplit returns it: [room left, line] per line,
    every line but the last stripped of surrounding spaces."""
    if not isinstance(max_widths, (list, tuple)):
        max_widths = [float(max_widths)]  # type: ignore[arg-type]
    lines: list[list[Any]] = []
    start = 0
    ends = line_ends(text, widths, max_widths)
    for n, end in enumerate(ends):
        room = max_widths[min(n, len(max_widths) - 1)] - sum(widths[start:end])
        line = text[start:end]
        lines.append([room, line if n == len(ends) - 1 else line.strip()])
        start = end
    return lines


def _frag_split(frags: Sequence[Any], max_widths: Sequence[float], calc_bounds: bool,
                encoding: str = "utf8") -> Any:
    """reportlab's paragraph.cjkFragSplit (a paragraph of several fragments, as one with line
    breaks is) with `line_ends`'s rules: one glyph per unit, lines made as reportlab makes
    them."""
    char = getattr(rl_paragraph, "cjkU")  # noqa: B009 (not in the stubs)
    make_line: Callable[..., Any] = getattr(rl_paragraph, "makeCJKParaLine")  # noqa: B009
    para_lines: Callable[..., Any] = getattr(rl_paragraph, "ParaLines")  # noqa: B009
    units: list[Any] = []
    for frag in frags:
        text = frag.text.decode(encoding) if isinstance(frag.text, bytes) else frag.text
        if text:
            units.extend(char(t, frag, encoding) for t in text)
        else:
            units.append(char(text, frag, encoding))
    widths = []
    for unit in units:
        width = unit.width
        if hasattr(width, "normalizedValue"):  # a width given as a share of the line
            width._normalizer = max_widths[0]
            width = width.normalizedValue(max_widths[0])
        widths.append(width)
    forced = {n for n, unit in enumerate(units) if hasattr(unit.frag, "lineBreak")}
    text = "".join(unit or "\0" for unit in units)  # an empty unit holds a line break
    lines = []
    start = 0
    for n, end in enumerate(line_ends(text, widths, max_widths, forced)):
        max_width = max_widths[min(n, len(max_widths) - 1)]
        used = sum(widths[start:end])
        lines.append(make_line(units[start:end], max_width, used, max_width - used,
                               end - 1 in forced, calc_bounds))
        start = end
    return para_lines(kind=1, lines=lines)


def install() -> None:
    """Make reportlab's Chinese line wrapping (every form style's wordWrap="CJK") follow
    `line_ends`. Idempotent."""
    setattr(textsplit, "dumbSplit", split_lines)  # noqa: B010
    setattr(rl_paragraph, "cjkFragSplit", _frag_split)  # noqa: B010
