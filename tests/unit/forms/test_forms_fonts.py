"""Printed forms use the shipped Kai face, embedded, never start a line with a comma, and print
a character the face lacks as a visible 〓 instead of failing or dropping it. The face draws
every character of Big5, level 2 included, where many given names are (issue 12)."""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
import unicodedata

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from appinfo.resources import resource_path
from forms.document import FormDocument, TextSection
from forms.fonts import MISSING_GLYPH, missing_characters, printable, register_fonts
from forms.render import render_pdf

BIG5_TRAIL_BYTES = (*range(0x40, 0x7F), *range(0xA1, 0xFF))


@functools.cache
def big5() -> dict[int, tuple[str, ...]]:
    """Every two-byte Big5 code -> the characters it decodes to, as Windows (cp950) and
    Python ('big5') read it: the symbols, level 1 (0xA440-0xC67E), level 2 (0xC940-0xF9D5)
    and the ETEN extensions. 0xA1E3 is '∼' to one and '～' to the other: both must print."""
    table: dict[int, tuple[str, ...]] = {}
    for lead in range(0xA1, 0xFA):
        for trail in BIG5_TRAIL_BYTES:
            chars = []
            for codec in ("big5", "cp950"):
                try:
                    char = bytes((lead, trail)).decode(codec)
                except UnicodeDecodeError:
                    continue
                if char not in chars:
                    chars.append(char)
            if chars:
                table[lead << 8 | trail] = tuple(chars)
    return table


def big5_characters() -> list[str]:
    return list(dict.fromkeys(c for chars in big5().values() for c in chars))


def test_chinese_text_is_embedded_in_the_kai_face() -> None:
    name = register_fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.setFont(name, 16)
    canvas.drawString(72, 760, "財政部關務署基隆關危機管理演練報告表 民國115年11月24日")
    canvas.save()
    pdf = out.getvalue()
    assert b"/FontFile2" in pdf  # an embedded TrueType program
    assert b"TW-Kai" in pdf


def test_a_line_never_starts_with_chinese_punctuation() -> None:
    name = register_fonts()
    style = ParagraphStyle("body", fontName=name, fontSize=12, leading=16, wordWrap="CJK")
    text = "處理組應基於專業迅速研判危機事件影響等級，" * 6
    for width in range(100, 400, 7):
        para = Paragraph(text, style)
        para.wrap(width, 1000)
        starts = [line[1][0] if isinstance(line, tuple) else line.words[0].text[0]
                  for line in para.blPara.lines if (line[1] if isinstance(line, tuple) else
                                                    line.words)]
        assert "，" not in starts, width


def test_printable_keeps_what_the_font_has_and_marks_what_it_lacks() -> None:
    assert printable("民國115年11月24日 ☑ 〓") == "民國115年11月24日 ☑ 〓"
    # Line breaks of every kind become "\n"; tabs become spaces; controls and zero-width
    # characters vanish; a rare ideograph and an emoji become geta marks.
    assert printable("a\r\nb\rc\u2028d\te\x07f\u200bg") == "a\nb\nc\nd efg"
    assert printable("王𪚥明👍") == f"王{MISSING_GLYPH}明{MISSING_GLYPH}"
    # A compatibility ideograph prints as the unified one it stands for.
    assert printable("\uf9e4") == "理"


def test_missing_characters_lists_each_once_in_order() -> None:
    assert missing_characters("👍王𪚥👍\x07\u200b〓") == "👍𪚥"
    assert missing_characters("危機事件通報單 Page 1 of 3 ☑☐") == ""


def test_big5_is_what_the_standard_counts() -> None:
    """The table the next tests check is the whole of Big5, not a part of it."""
    codes = big5()
    assert sum(0xA440 <= code <= 0xC67E for code in codes) == 5401  # level 1
    # Level 2: 7,652 codes; two of them (兀 嗀, as compatibility ideographs) repeat level-1
    # characters, which leaves the 7,650 characters the standard counts.
    level_2 = {code for code in codes if 0xC940 <= code <= 0xF9D5}
    assert len(level_2) == 7652
    nfc = functools.partial(unicodedata.normalize, "NFC")
    assert len({nfc(codes[code][0]) for code in level_2}
               - {nfc(codes[code][0]) for code in codes if code < 0xC940}) == 7650
    assert len(big5_characters()) > 13_700


def test_every_big5_character_has_a_glyph_with_an_outline_in_the_shipped_face() -> None:
    """A mapping to .notdef (glyph 0) or to an empty glyph would print as a blank."""
    face = TTFont("TWKai-cmap", str(resource_path("fonts", "TWKai-subset.ttf"))).face
    char_to_glyph: dict[int, int] = face.charToGlyph
    glyph_pos: list[int] = face.glyphPos
    blank = []
    for char in big5_characters():
        glyph = char_to_glyph.get(ord(char), 0)
        outline = glyph_pos[glyph + 1] - glyph_pos[glyph] if glyph else 0
        if glyph == 0 or (outline == 0 and not char.isspace()):
            blank.append(f"{char} U+{ord(char):04X}")
    assert blank == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_every_big5_character_prints_and_reads_back() -> None:
    """All of Big5 on a form, 40 to a line: pdftotext gives every character back, and not one
    geta mark (〓 is not in Big5, so any would be a character the font lacked)."""
    shown = [c for c in big5_characters() if not c.isspace()]
    text = "\n".join("".join(shown[i:i + 40]) for i in range(0, len(shown), 40))
    pdf = render_pdf(FormDocument("Big5", "Big5", (TextSection("Big5", text),), None))
    read = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode("utf-8")
    assert MISSING_GLYPH not in read
    # A compatibility ideograph (cp950's 0xC94A 兀 U+FA0C) prints as its unified twin.
    lost = [c for c in shown if unicodedata.normalize("NFC", c) not in read]
    assert lost == []


def test_the_face_holds_the_bmp_ideographs_beyond_big5_and_not_extension_b() -> None:
    """堃 喆 媖 彣 (CNS 11643, common in names, not in Big5) and a rare Extension A ideograph
    print; Extension B (𡘙 U+21619) is beyond one face and prints as 〓 (forms/coverage.py
    names it before printing)."""
    assert printable("王堃 李喆 林媖 鄭彣 㐀") == "王堃 李喆 林媖 鄭彣 㐀"
    assert printable("王𡘙") == f"王{MISSING_GLYPH}"


def test_without_reportlabs_internals_the_face_is_left_as_reportlab_made_it() -> None:
    """The glyph table is read in place through reportlab's internals; a reportlab without
    them must print as before (slower), not fail on the first form."""
    from types import SimpleNamespace

    from forms.fonts import read_glyphs_in_place

    def get_table(tag: str) -> bytes:
        return b"table " + tag.encode()

    for face in (SimpleNamespace(get_table=get_table, get_table_pos=lambda tag: (0, 4)),
                 SimpleNamespace(get_table=get_table, _ttf_data=b"0123456789")):
        assert read_glyphs_in_place(face) is False
        assert face.get_table is get_table

    whole = SimpleNamespace(get_table=get_table, get_table_pos=lambda tag: (2, 4),
                            _ttf_data=b"0123456789")
    assert read_glyphs_in_place(whole) is True
    assert whole.get_table("glyf")[0:4] == b"2345" and whole.get_table("head") == b"table head"


def test_line_breaking_measures_each_character_as_reportlab_does() -> None:
    """The Kai face's widths are read straight from its table for Chinese line breaking
    (forms.fonts.measure_characters_directly): the very widths reportlab's stringWidth
    gives, for Chinese, Latin, punctuation and a character the face lacks; other fonts are
    measured as before."""
    from reportlab.lib import textsplit
    from reportlab.pdfbase.pdfmetrics import stringWidth

    name = register_fonts()
    text = "財政部關務署基隆關 Keelung Customs，第1頁「測試」☑ 𠀀\u3000x"
    for size in (8.5, 10, 11, 19):
        assert textsplit.getCharWidths(text, name, size) == [
            stringWidth(char, name, size) for char in text]
    assert textsplit.getCharWidths("Hello", "Courier", 10) == [6.0] * 5
