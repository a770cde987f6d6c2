"""How the labels of a chart fit the room they have, so that none runs into its neighbour or
off the picture: wrapped where Chinese text may break (between any two characters, never inside
a word or number of other scripts, nor before closing punctuation), in lines of about equal
length, in type shrunk a little to save a line, on every n-th slot only when slots are too
narrow for a single character, and cut short with "…" as the last resort (the table under the
chart prints every label whole).

Why not reportlab's own line breaking (textsplit): it breaks numbers and Latin words anywhere,
so "第10週" came out as "第1" over "0週".
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth

from forms.fonts import NO_LINE_START, printable, register_fonts

__all__ = ["LABEL_GAP", "LEADING", "SIZES", "fit", "label_step", "one_line", "text_width"]

SIZES = (9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0)
"""Type sizes of a chart's words, in points, the largest first: labels shrink, down to the
smallest, rather than take another line, and are cut short only when that is not enough."""
LEADING = 1.2
"""Baseline to baseline, in type sizes."""
LABEL_GAP = 6.0
"""Space kept between two neighbouring labels, so they read as two."""

_ELLIPSIS = "…"
# A word wider than this many characters of the smallest size is broken rather than leave
# slots without labels.
_LONG_WORD = 6
# Labels shrink down to this size to stay on one line before they take a second.
_ONE_LINE_FROM = 8.0
_BALANCING_STEPS = 8
# Opening brackets, which never end a line.
_NO_LINE_END = "（「『《〈(["


def label_step(labels: Sequence[str], slot: float) -> int:
    """Label every n-th slot of `slot` points: every one, unless slots are too narrow for the
    widest word or Chinese character of the labels at the smallest size. (A word longer than
    `_LONG_WORD` characters' width is broken rather than thin out the labels.)"""
    smallest = SIZES[-1]
    widest = max((text_width(word, smallest) for word in _words(labels)), default=0.0)
    needed = min(max(widest, smallest), _LONG_WORD * smallest) + LABEL_GAP
    return max(1, math.ceil(needed / slot))


def fit(labels: Sequence[str], room: float, max_lines: int,
        largest: float = SIZES[0]) -> tuple[float, list[list[str]]]:
    """The size (up to `largest`) and lines of labels that fit in `room` points: each label
    on as few lines as it can, up to `max_lines`, without breaking a word, in type shrunk to
    `_ONE_LINE_FROM` to stay on one line and as far as needed to save a further line. At
    the smallest size, a word is broken if it must and what still does not fit is cut."""
    sizes = [size for size in SIZES if size <= largest] or [SIZES[-1]]
    words = _words(labels)
    for lines in range(1, max_lines + 1):
        for size in sizes:
            if lines < max_lines and size < (_ONE_LINE_FROM if lines == 1 else SIZES[-1]):
                break
            if any(text_width(word, size) > room for word in words):
                continue
            wrapped = [_balance(label, room, size) for label in labels]
            if all(len(label) <= lines for label in wrapped):
                return size, wrapped
    return sizes[-1], [_cut(_wrap(label, room, sizes[-1]), room, sizes[-1], max_lines)
                       for label in labels]


def _balance(text: str, room: float, size: float) -> list[str]:
    """`text` wrapped into `room` points on as few lines as it needs, the lines about as
    long as each other ("通關案/件處理" rather than "通關案件處/理")."""
    lines = _wrap(text, room, size)
    if len(lines) < 2:
        return lines
    # The narrowest room that still takes no more lines.
    low, high = room / len(lines), room
    for _ in range(_BALANCING_STEPS):
        middle = (low + high) / 2
        if len(_wrap(text, middle, size)) <= len(lines):
            high = middle
        else:
            low = middle
    return _wrap(text, high, size)


def one_line(text: str, room: float, size: float) -> str:
    """`text` on one line of `room` points, cut with "…" if it is longer."""
    return _cut(_wrap(text, room, size), room, size, 1)[0]


def _wrap(text: str, room: float, size: float) -> list[str]:
    """`text` (made printable) broken into lines of `room` points where `_tokens` allows, and
    a word wider than the room by itself wherever it must."""
    lines: list[str] = []
    for part in printable(text).split("\n"):
        line = ""
        for token in _tokens(part):
            if line.strip() and text_width((line + token).rstrip(), size) > room:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
            while len(line) > 1 and text_width(line.rstrip(), size) > room:
                fits = len(line) - 1
                while fits > 1 and text_width(line[:fits], size) > room:
                    fits -= 1
                lines.append(line[:fits])
                line = line[fits:]
        lines.append(line.rstrip())
    return lines


def _words(labels: Sequence[str]) -> list[str]:
    """The pieces of `labels` that no line break may split (see `_tokens`)."""
    return [token for label in labels for token in _tokens(printable(label)) if token.strip()]


def _tokens(text: str) -> list[str]:
    """`text` in the pieces a label breaks between: each Chinese character, each space, each
    word or number of other scripts whole, with the punctuation that may not begin a line
    kept on the piece before it, and an opening bracket on the piece after it."""
    tokens: list[str] = []
    for char in text:
        previous = tokens[-1][-1] if tokens else " "
        joins = char in NO_LINE_START or previous in _NO_LINE_END or not (
            char.isspace() or previous.isspace() or _wide(char) or _wide(previous))
        if tokens and joins:
            tokens[-1] += char
        else:
            tokens.append(char)
    return tokens


def _wide(char: str) -> bool:
    """Whether `char` is set full-width (Chinese characters and punctuation), a unit of its
    own for line breaking."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def _cut(lines: list[str], room: float, size: float, max_lines: int) -> list[str]:
    """The first `max_lines` of `lines`, the last ending in "…" if any were left out."""
    if len(lines) <= max_lines:
        return lines
    last = lines[max_lines - 1]
    while last and text_width(last + _ELLIPSIS, size) > room:
        last = last[:-1]
    return [*lines[: max_lines - 1], last + _ELLIPSIS]


def text_width(text: str, size: float) -> float:
    """How wide `text` prints at `size` points in the form's face."""
    return stringWidth(text, register_fonts(), size)
