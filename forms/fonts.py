"""The typeface of every printed form: the TW-Kai (全字庫正楷體) subset shipped in resources/,
embedded in the PDF, with Chinese line-breaking rules, and what happens to characters it lacks.

Why not reportlab's built-in CID font MSung-Light: it writes a Simplified-Chinese encoding that
poppler shows as nothing and MuPDF as wrong characters (DESIGN.md). A TrueType font embedded as
a subset shows the same on every viewer and printer.

Why characters the font lacks become 〓: the shipped subset holds all of Big5 (levels 1 and 2)
and every CJK ideograph of Unicode's BMP (the CNS 11643 characters of names), Latin with its
accented letters, punctuation and symbols, but not Extension B and beyond (one TrueType face
holds at most 65,535 glyphs), other scripts, nor emoji. reportlab would print such a character
as the font's empty .notdef box and drop it from the text layer, so a name could silently lose
a character or read like an unticked checkbox. The geta mark 〓, the typesetters' sign for "no
type for this character", shows the reader that something is missing and where, and the text
around it stays intact. Invisible control and format characters are dropped. Before printing,
the window and the command line name each such character and its field (forms/coverage.py).
"""

from __future__ import annotations

import io
import logging
import threading
import unicodedata
from collections.abc import Callable
from functools import cache

from reportlab.lib import textsplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import paragraph

from appinfo.resources import read_resource
from forms import linebreak

__all__ = ["KAI", "MISSING_GLYPH", "measure_characters_directly", "missing_characters",
           "printable", "read_glyphs_in_place", "register_fonts"]

log = logging.getLogger(__name__)

KAI = "TWKai"
FONT_FILE = ("fonts", "TWKai-subset.ttf")
NO_LINE_START = "，；：？！》〉、。）」』"
"""Punctuation that must never begin a line; reportlab's own list lacks some of it."""

MISSING_GLYPH = "〓"
"""What a character the font lacks prints as (GETA MARK, U+3013)."""

# Control (Cc), format (Cf: zero-width and direction marks) and lone surrogate (Cs) code
# points: nothing a reader would see, and the last cannot even be encoded.
_INVISIBLE = frozenset(("Cc", "Cf", "Cs"))


class _GlyphTable:
    """The face's 'glyf' table as reportlab's per-document subsetting reads it, without a copy.

    reportlab (`TTFontFile.makeSubset`) takes `get_table("glyf")`, a slice of the whole file,
    for every 256 characters a document uses, only to cut single glyphs out of it. With the
    34 MB face that copy is most of a form's rendering time (a batch of 100 forms took 8.6 s
    instead of 4.7 s, docs/benchmarks.md). This view hands out the same bytes glyph by glyph.
    """

    def __init__(self, data: bytes, start: int, length: int) -> None:
        self._view = memoryview(data)[start:start + length]

    def __len__(self) -> int:
        return len(self._view)

    def __getitem__(self, key: slice) -> bytes:
        return self._view[key].tobytes()


def read_glyphs_in_place(face: object) -> bool:
    """Make *face* (a TTFont's) hand out its glyph table in place (_GlyphTable); whether it
    could.

    It uses reportlab's internals: the whole file as read (``_ttf_data``), ``get_table_pos``
    and ``get_table``, as in the reportlab versions pyproject.toml allows. A version without
    them leaves the face as it is: forms print the same, only slower."""
    data = getattr(face, "_ttf_data", None)
    position = getattr(face, "get_table_pos", None)
    read_table: Callable[[str], bytes] | None = getattr(face, "get_table", None)
    if not isinstance(data, bytes) or not callable(position) or read_table is None:
        log.info("reportlab's font internals differ: the form font's glyphs are copied as "
                 "reportlab does it")
        return False
    start, length = position("glyf")
    glyphs = _GlyphTable(data, start, length)
    table = read_table

    def get_table(tag: str) -> bytes | _GlyphTable:
        return glyphs if tag == "glyf" else table(tag)

    setattr(face, "get_table", get_table)  # noqa: B010
    return True


class _FaceFile(io.BytesIO):
    """The face's bytes as the file reportlab reads them whole, named for its messages."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name


_loading = threading.Lock()
"""Held while the face loads: the window warms printing up on a thread of its own
(ui/printing/warm.py), and a form printed meanwhile on the database worker waits for that
one parse instead of starting a second."""


def _kai() -> TTFont:
    """The Kai face, loaded and registered once, from whichever thread asks first."""
    with _loading:
        return _load_kai()


@cache
def _load_kai() -> TTFont:
    """Load and register the Kai face (parsing the file is the slow part), its glyph table
    read in place where reportlab allows it (read_glyphs_in_place)."""
    font = TTFont(KAI, _FaceFile(read_resource(*FONT_FILE), FONT_FILE[-1]))
    read_glyphs_in_place(font.face)
    pdfmetrics.registerFont(font)
    measure_characters_directly(font)
    for module in (textsplit, paragraph):
        # Each module keeps its own copy of the list (the stubs do not declare it).
        current: str = getattr(module, "ALL_CANNOT_START")  # noqa: B009
        missing = "".join(c for c in NO_LINE_START if c not in current)
        if missing:
            setattr(module, "ALL_CANNOT_START", current + missing)  # noqa: B010
    linebreak.install()
    return font


def measure_characters_directly(font: TTFont) -> None:
    """Make reportlab's Chinese line breaking read *font*'s character widths straight from
    its table.

    Chinese text breaks between any two characters, so reportlab measures every character of
    every cell alone (`textsplit.getCharWidths`), each through four calls (stringWidth, the
    font registry, the font, its width sum): a fifth of an 8-page case file's rendering time.
    This gives the same widths (the same arithmetic on the same table) in one step; other
    fonts are measured as before."""
    original: Callable[[str, str, float], list[float]] = textsplit.getCharWidths
    width_of = font.face.charWidths.get
    default = font.face.defaultWidth
    name = font.fontName

    def char_widths(word: str, font_name: str, font_size: float) -> list[float]:
        if font_name != name:
            return original(word, font_name, font_size)
        scale = 0.001 * font_size  # reportlab's own: 0.001 * size * width
        return [scale * width_of(ord(char), default) for char in word]

    setattr(textsplit, "getCharWidths", char_widths)  # noqa: B010


@cache
def _covered() -> frozenset[int]:
    """The code points the font has a glyph for."""
    char_to_glyph: dict[int, int] = _kai().face.charToGlyph
    return frozenset(char_to_glyph)


def register_fonts() -> str:
    """Register the Kai face with reportlab once; returns its name for setFont/ParagraphStyle."""
    return _kai().fontName


def printable(text: str) -> str:
    """`text` as the form prints it: line breaks of every kind as "\\n", other white space the
    font lacks (tabs, em spaces) as spaces, invisible characters dropped, the rest in NFC (which
    folds, say, a compatibility ideograph into the unified one the font has) and each character
    the font lacks as `MISSING_GLYPH`."""
    covered = _covered()
    lines = unicodedata.normalize("NFC", text).splitlines()
    return "\n".join("".join(_print_as(char, covered) for char in line) for line in lines)


def missing_characters(text: str) -> str:
    """The distinct characters of `text` that print as `MISSING_GLYPH`, in order of first
    appearance, for a warning before printing."""
    covered = _covered()
    normalized = unicodedata.normalize("NFC", text)
    return "".join(dict.fromkeys(
        c for c in normalized if ord(c) not in covered and _print_as(c, covered) == MISSING_GLYPH))


def _print_as(char: str, covered: frozenset[int]) -> str:
    """What one character (not a line break) prints as."""
    if ord(char) in covered:
        return char
    if char.isspace():
        return " "
    if unicodedata.category(char) in _INVISIBLE:
        return ""
    return MISSING_GLYPH
