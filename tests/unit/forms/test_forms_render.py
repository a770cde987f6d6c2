"""Printed forms, read back the way a reader (or a search tool) sees them: poppler's pdftotext,
pdffonts and pdfinfo on the rendered PDF.

Text is compared with all white space removed, because pdftotext lays wrapped lines out with
spaces and line breaks of its own.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms.blocks import CHECKED, UNCHECKED
from forms.coverage import MissingGlyphs, describe, missing_glyphs
from forms.document import (
    Block,
    Checkboxes,
    FieldGrid,
    FormDocument,
    SignatureBox,
    Signatures,
    Table,
    TextSection,
)
from forms.fonts import MISSING_GLYPH, missing_characters
from forms.render import render_pdf
from forms.samples import sample_documents
from forms.style import (
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    PAGE_WIDTH,
)
from forms.verify import verification
from i18n import set_language
from i18n.roc import format_roc_long

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils is not installed (packaging/bootstrap.py)")

OFFICE = "財政部關務署基隆關"
TITLE = "危機事件通報單"
SIGNED_ON = format_roc_long(date(2026, 11, 24))  # 民國115年11月24日


def poppler(tool: str, pdf: bytes, *args: str) -> str:
    """Run a poppler tool on `pdf` (read from stdin) and return what it prints."""
    return subprocess.run([tool, *args, "-", *(["-"] if tool == "pdftotext" else [])],
                          input=pdf, capture_output=True, check=True).stdout.decode("utf-8")


def pages_text(pdf: bytes) -> list[str]:
    """The text of each page, as `pdftotext -layout` lays it out."""
    return poppler("pdftotext", pdf, "-layout").split("\f")[:-1]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def document(*blocks: Block, watermark: str | None = None, content: str = "v1") -> FormDocument:
    return FormDocument(OFFICE, TITLE, blocks,
                        verification("notification", "case-7", 1, {"text": content}),
                        watermark=watermark, footer_note="本表一式二份")


def every_block() -> FormDocument:
    return document(
        FieldGrid((("案號", "基隆關-115-0007"), ("通報時間", SIGNED_ON),
                   ("通報單位", "業務二組")), columns=2),
        FieldGrid((("發生地點", "基隆港西岸第15號碼頭"),)),
        Checkboxes("事件類別", (("通關案件", False), ("突發案件", True))),
        TextSection("事件概述", "貨櫃內發現未申報之肉製品。\n已通知防檢署採樣。"),
        Table("通報紀錄", ("通報對象", "通報方式"), (("執行秘書", "電話"), ("公關機要股", "電子郵件"))),
        Signatures((SignatureBox("承辦人", "陳志明", SIGNED_ON),
                    SignatureBox("總指揮", "黃國華", deputy_for="張志強"),
                    SignatureBox("執行秘書"))),
    )


def test_every_label_and_value_is_printed() -> None:
    text = flat(pages_text(render_pdf(every_block()))[0])
    expected = [OFFICE, TITLE, "案號", "基隆關-115-0007", "通報時間", SIGNED_ON, "通報單位",
                "業務二組", "發生地點", "基隆港西岸第15號碼頭", "事件類別",
                f"{UNCHECKED}通關案件", f"{CHECKED}突發案件", "事件概述",
                "貨櫃內發現未申報之肉製品。", "已通知防檢署採樣。", "通報紀錄", "通報對象",
                "通報方式", "執行秘書", "電話", "公關機要股", "電子郵件", "承辦人", "陳志明",
                "總指揮", "總指揮張志強不能視事", "黃國華代行", "本表一式二份", "日期："]
    assert [s for s in expected if flat(s) not in text] == []


def test_the_kai_face_is_the_only_font_and_it_is_embedded() -> None:
    rows = poppler("pdffonts", render_pdf(every_block())).splitlines()[2:]
    assert rows, "no fonts listed"
    for row in rows:
        name, kind, _encoding, emb, *_ = row.split()
        assert "TW-Kai" in name and kind == "TrueType" and emb == "yes", row


def test_the_page_is_a4_and_carries_title_and_author() -> None:
    info = poppler("pdfinfo", render_pdf(every_block()))
    assert re.search(r"Page size:\s+595\.2\d* x 841\.8\d* pts \(A4\)", info), info
    assert re.search(rf"Title:\s+{TITLE}", info)
    assert re.search(rf"Author:\s+{OFFICE}", info)


def long_table(rows: int = 90) -> Table:
    return Table("處理時序", ("時間", "處置內容"),
                 tuple((f"115/11/24 {i // 60:02d}:{i % 60:02d}", f"第{i}項處置") for i in range(rows)))


def test_every_page_of_a_long_form_has_header_footer_and_the_table_header() -> None:
    doc = document(long_table())
    pages = pages_text(render_pdf(doc))
    assert len(pages) >= 3
    assert doc.verification is not None
    for number, page in enumerate(pages, start=1):
        text = flat(page)
        assert OFFICE in text and TITLE in text, number
        assert f"第{number}頁，共{len(pages)}頁" in text, number
        assert f"驗證碼：{doc.verification.code}" in text, number
        assert "處理時序時間處置內容" in text, number  # heading and header row, repeated
    # Every row printed once, in order, across the pages.
    rows = re.findall(r"第(\d+)項處置", "".join(pages))
    assert rows == [str(i) for i in range(90)]


def test_page_numbers_follow_the_language() -> None:
    set_language("en")
    pages = pages_text(render_pdf(document(long_table())))
    assert f"Page 2 of {len(pages)}" in pages[1]
    assert "Verification code:" in pages[1]


def test_a_5000_character_value_is_printed_whole_across_pages() -> None:
    value = "".join(f"第{i}句說明處置經過，" for i in range(1000))[:5000]
    doc = document(FieldGrid((("處理情形", value),)))
    pages = pages_text(render_pdf(doc))
    assert len(pages) >= 2
    assert doc.verification is not None
    furniture = [OFFICE, TITLE, "本表一式二份", f"驗證碼：{doc.verification.code}",
                 *(f"第{n}頁，共{len(pages)}頁" for n in range(1, len(pages) + 1))]
    body = flat("".join(pages))
    for text in furniture:
        body = body.replace(text, "")
    assert body == "處理情形" + value


def test_the_watermark_is_printed_only_when_asked_for() -> None:
    blocks = (FieldGrid((("測試單位", "業務二組"),)), long_table())
    with_mark = pages_text(render_pdf(document(*blocks, watermark="演練")))
    without = pages_text(render_pdf(document(*blocks)))
    assert all("演" in page and "練" in page for page in with_mark)
    assert not any("演" in page or "練" in page for page in without)


def test_the_verification_code_is_printed_and_follows_the_content() -> None:
    first, same, changed = (document(FieldGrid((("a", "b"),)), content=content)
                            for content in ("v1", "v1", "v2"))
    codes = []
    for doc in (first, same, changed):
        assert doc.verification is not None
        assert f"驗證碼：{doc.verification.code}" in flat(pages_text(render_pdf(doc))[0])
        codes.append(doc.verification.code)
    assert codes[0] == codes[1] != codes[2]


def test_a_form_without_verification_prints_no_code() -> None:
    doc = replace(every_block(), verification=None)
    assert "驗證碼" not in flat(pages_text(render_pdf(doc))[0])


def test_an_empty_table_says_none_in_the_current_language() -> None:
    empty = Table("附件", ("編號", "文件名稱"), ())
    assert "（無）" in flat(pages_text(render_pdf(document(empty)))[0])
    set_language("en")
    assert "(none)" in flat(pages_text(render_pdf(document(empty)))[0])


def test_a_deputy_without_a_printed_name_still_shows_whom_they_sign_for() -> None:
    doc = document(Signatures((SignatureBox("總指揮", deputy_for="張志強"),)))
    assert "總指揮張志強不能視事＿＿＿＿代行" in flat(pages_text(render_pdf(doc))[0])


def test_characters_the_font_lacks_print_as_geta_marks_and_are_logged(
        caplog: pytest.LogCaptureFixture) -> None:
    name = "王𪚥明☃"  # a rare ideograph (Ext. B) and a snowman: neither is in the subset
    assert missing_characters(name) == "𪚥☃"
    with caplog.at_level(logging.WARNING, logger="forms.render"):
        pdf = render_pdf(document(FieldGrid((("姓名", name),))))
    assert f"王{MISSING_GLYPH}明{MISSING_GLYPH}" in flat(pages_text(pdf)[0])
    assert "「姓名」：𪚥 (U+2A6A5)、☃ (U+2603)" in caplog.text


# Given names with a Big5 level-2 character (次常用字; the old subset printed it as 〓) ...
LEVEL_2_NAMES = ("陳怡璇", "林翊婕", "張煒", "黃嫚", "蔡鈺", "周彧", "葉芃", "蘇湉", "江琇",
                 "何瑄", "沈瑋", "杜珈", "邱筱", "梁琬", "唐甯", "程昶", "盧霈", "潘瀅")
# ... and with a CNS 11643 character outside Big5 altogether (in Unicode's BMP).
BEYOND_BIG5_NAMES = ("王堃", "李喆", "林媖", "陳綉", "鄭彣", "馮瀞", "黃峯")


def big5_level(char: str) -> int:
    """1 or 2 for a Big5 ideograph (by its code as Windows encodes it), 0 outside Big5."""
    try:
        code = int.from_bytes(char.encode("cp950"), "big")
    except UnicodeEncodeError:
        return 0
    return 2 if 0xC940 <= code <= 0xF9D5 else 1


def test_names_with_rare_characters_print_intact_on_a_signed_form() -> None:
    assert all(any(big5_level(c) == 2 for c in name) for name in LEVEL_2_NAMES)
    assert all(any(big5_level(c) == 0 for c in name) for name in BEYOND_BIG5_NAMES)
    names = LEVEL_2_NAMES + BEYOND_BIG5_NAMES
    doc = document(
        FieldGrid(tuple(("姓名", name) for name in names), columns=2),
        TextSection("參與人員", "\n".join(names)),
        Signatures(tuple(SignatureBox("承辦人", name, SIGNED_ON, deputy_for=absent)
                         for name, absent in zip(names, reversed(names), strict=True))))
    assert missing_characters(repr(doc)) == ""
    text = flat("".join(pages_text(render_pdf(doc))))
    assert MISSING_GLYPH not in text
    for name in names:
        # In the grid, in the list of participants, as a signer and as the one deputised for.
        assert text.count(name) >= 4, name


def test_the_missing_character_report_names_each_field() -> None:
    doc = FormDocument(
        OFFICE, TITLE,
        (FieldGrid((("姓名", "王𡘙"), ("案號", "基隆關-115-0007"))),
         TextSection("事件概述", "旅客𠀀攜帶☃"),
         Table("通報紀錄", ("通報對象", "通報方式"), (("執行秘書", "電話"), ("林𡘙", "電話"))),
         Table("", ("時間", "內容"), (("09:30", "👍"),)),
         Signatures((SignatureBox("承辦人", "陳怡璇"), SignatureBox("總指揮", "黃國華", "", "張𡘙")))),
        verification("notification", "case-7", 1, {}), footer_note="𠀀")
    assert missing_glyphs(doc) == (
        MissingGlyphs("姓名", "𡘙"),
        MissingGlyphs("事件概述", "𠀀☃"),
        MissingGlyphs("通報紀錄：通報對象，第2列", "𡘙"),
        MissingGlyphs("內容，第1列", "👍"),
        MissingGlyphs("簽章欄：總指揮", "𡘙"),
        MissingGlyphs("頁尾附註", "𠀀"),
    )
    assert describe(missing_glyphs(doc)[1]) == "「事件概述」：𠀀 (U+20000)、☃ (U+2603)"
    set_language("en")
    assert [m.field for m in missing_glyphs(doc)][2:] == [
        "通報紀錄: 通報對象, row 2", "內容, row 1", "Signature box: 總指揮", "Footer note"]
    assert describe(missing_glyphs(doc)[0]) == "姓名: 𡘙 (U+21619)"
    assert missing_glyphs(every_block()) == ()


def word_boxes(pdf: bytes) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, word) of every word, from `pdftotext -bbox`."""
    html = poppler("pdftotext", pdf, "-bbox")
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<'
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w
            in re.findall(pattern, html)]


def test_no_text_leaves_the_printable_area_however_long_the_words() -> None:
    unbreakable = "x" * 400
    doc = FormDocument(
        "財政部關務署基隆關" * 12, "危機事件通報單" * 20,
        (FieldGrid(((unbreakable, unbreakable), ("短", "https://example.gov.tw/" + "a" * 300),
                    ("案號", "基隆關-115-0007" * 30)), columns=2),
         Checkboxes(unbreakable, ((unbreakable, True), ("通關案件" * 40, False))),
         TextSection(unbreakable, unbreakable),
         Table(unbreakable, ("時間", unbreakable), (("115/11/24", unbreakable),), widths=(1, 9)),
         Signatures(tuple(SignatureBox(unbreakable, unbreakable, unbreakable, unbreakable)
                          for _ in range(5)))),
        verification("notification", "x", 1, {}), footer_note=unbreakable)
    slack = 0.5
    outside = [w for w in word_boxes(render_pdf(doc))
               if w[0] < MARGIN_LEFT - slack or w[2] > PAGE_WIDTH - MARGIN_RIGHT + slack
               or w[1] < MARGIN_TOP - slack or w[3] > PAGE_HEIGHT - MARGIN_BOTTOM + slack]
    assert outside == []


def test_the_samples_cover_every_block_and_print_whole() -> None:
    samples = sample_documents()
    kinds = {type(block) for doc in samples.values() for block in doc.blocks}
    assert kinds == {FieldGrid, TextSection, Table, Checkboxes, Signatures}
    assert any(not block.rows for doc in samples.values() for block in doc.blocks
               if isinstance(block, Table))
    pages = {name: pages_text(render_pdf(doc)) for name, doc in samples.items()}
    assert len(pages["case_file"]) >= 3
    drill = samples["drill_report"]
    assert drill.watermark == "演練"
    assert any(box.deputy_for for block in drill.blocks if isinstance(block, Signatures)
               for box in block.boxes)
    assert "代" in flat(pages["drill_report"][0])


@pytest.mark.parametrize("language", ["zh_TW", "en"])
def test_the_samples_need_no_character_the_font_lacks(language: str) -> None:
    set_language(language)
    for name, doc in sample_documents().items():
        texts = [doc.office_name, doc.title, doc.footer_note, doc.watermark or "", repr(doc.blocks)]
        assert missing_characters("".join(texts)) == "", name


# Any text at all, including controls, lone surrogates, emoji and characters outside the font.
any_text = st.text(st.characters(), max_size=80)
long_text = st.text(st.characters(), max_size=600)


@st.composite
def documents(draw: st.DrawFn) -> FormDocument:
    columns = draw(st.integers(1, 4))
    blocks: list[Block] = [
        FieldGrid(tuple(draw(st.lists(st.tuples(any_text, long_text), max_size=5))),
                  columns=draw(st.sampled_from([1, 2]))),
        TextSection(draw(any_text), draw(long_text)),
        Table(draw(any_text), tuple(draw(st.lists(any_text, min_size=columns, max_size=columns))),
              tuple(tuple(row) for row in draw(st.lists(
                  st.lists(any_text, min_size=columns, max_size=columns), max_size=4))),
              draw(st.none() | st.tuples(*[st.floats(0.1, 10)] * columns))),
        Checkboxes(draw(any_text), tuple(draw(st.lists(st.tuples(any_text, st.booleans()),
                                                       max_size=6)))),
        Signatures(tuple(SignatureBox(*draw(st.tuples(any_text, any_text, any_text, any_text)))
                         for _ in range(draw(st.integers(1, 6))))),
    ]
    return FormDocument(draw(any_text), draw(any_text), tuple(draw(st.permutations(blocks))),
                        verification("kind", draw(any_text), 1, {"x": draw(any_text)}),
                        watermark=draw(st.none() | any_text), footer_note=draw(any_text))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_any_text_renders_without_error(doc: FormDocument) -> None:
    pdf = render_pdf(doc)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")


def test_a_written_form_is_searched_for_missing_characters_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The search reads every field of the form; the command line's exports used to run it
    twice per form (once inside render_pdf, for the log, once for the warning)."""
    import forms.coverage
    import forms.render
    from models.core.form_files import write_form

    searched: list[str] = []
    real = forms.coverage.missing_glyphs

    def counted(doc: Any) -> Any:
        searched.append(doc.title)
        return real(doc)

    monkeypatch.setattr(forms.coverage, "missing_glyphs", counted)
    monkeypatch.setattr(forms.render, "missing_glyphs", counted)
    doc = sample_documents()["notification"]
    written = write_form(tmp_path / "notification.pdf", doc)

    assert searched == [doc.title] and written.missing == real(doc)
    assert (tmp_path / "notification.pdf").read_bytes().startswith(b"%PDF")
