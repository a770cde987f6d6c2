"""Printed forms use the shipped Kai face, embedded, never start a line with a comma, and print
a character the face lacks as a visible 〓 instead of failing or dropping it."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from forms.fonts import MISSING_GLYPH, missing_characters, printable, register_fonts


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
