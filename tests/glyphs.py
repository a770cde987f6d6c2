"""The glyph check shared by the tests of shipped texts (imported as ``tests.glyphs``).

The printed forms embed the TW-Kai subset (resources/fonts/TWKai-subset.ttf); a character
outside it prints as 〓. The subset covers all of Big5, every CJK ideograph of the BMP and the
characters of resources/**/*.json *as they were when packaging/tools/make_font_subset.py last
ran*, so a character beyond them in a shipped text (an Extension B ideograph, an emoji) fails
the test that uses this, and is better rephrased than printed as 〓.
"""

from __future__ import annotations

from functools import cache

from appinfo.resources import resource_path


@cache
def _glyphs() -> frozenset[int]:
    from reportlab.pdfbase.ttfonts import TTFont

    font = TTFont("TWKai-test", str(resource_path("fonts", "TWKai-subset.ttf")))
    covered: dict[int, int] = font.face.charToGlyph
    return frozenset(covered)


def missing_glyphs(text: str) -> list[str]:
    """The distinct characters of *text* (line breaks aside) the bundled font has no glyph
    for, sorted; [] when every character prints."""
    glyphs = _glyphs()
    return sorted({c for c in text if c != "\n" and ord(c) not in glyphs})
