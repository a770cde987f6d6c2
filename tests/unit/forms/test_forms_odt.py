"""Printed forms as ODF text documents (forms/odt.py), read back as an office would: opened
with odfdo (an independent ODF library), and converted by LibreOffice headless to PDF, whose
text, page size and fonts poppler reads.

Text is compared with all white space removed, as in test_forms_render.py.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from odfdo import Document

from forms.blocks import CHECKED, UNCHECKED
from forms.document import (
    Chart,
    Checkboxes,
    DraftMark,
    FieldGrid,
    FormDocument,
    Signatures,
    SignatureBox,
    Table,
    TextSection,
)
from forms.fonts import MISSING_GLYPH, printable
from forms.odt import FALLBACK_FONT, MIMETYPE, render_odt
from forms.page import match_line
from forms.samples import sample_documents
from forms.verify import verification
from i18n import set_language
from i18n.roc import format_roc_long
from models.samples import sample_forms

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
OFFICE = "財政部關務署基隆關"
TITLE = "危機事件通報單"
SIGNED_ON = format_roc_long(date(2026, 11, 24))


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def form_texts(doc: FormDocument) -> list[str]:
    """Every text of the form's blocks, as the form prints it."""
    texts: list[str] = []
    for block in doc.blocks:
        if isinstance(block, FieldGrid):
            texts += [t for row in block.rows for t in row]
        elif isinstance(block, TextSection):
            texts += [block.heading, *block.text.splitlines()]
        elif isinstance(block, Table):
            texts += [block.heading, *block.headers, *(c for row in block.rows for c in row)]
        elif isinstance(block, Checkboxes):
            texts += [block.label, *(label for label, _ticked in block.options)]
        elif isinstance(block, Signatures):
            texts += [t for box in block.boxes for t in (box.role, box.name, box.date)]
        elif isinstance(block, Chart):
            texts += [block.heading, block.unit, *block.categories,
                      *(name for name, _values in block.series)]
    return [flat(printable(t)) for t in texts if flat(t)]


def open_odt(data: bytes) -> Document:
    return Document(io.BytesIO(data))


def body_text(data: bytes) -> str:
    return flat(open_odt(data).body.text_recursive)


def furniture_text(data: bytes) -> str:
    """The page header and footer, as odfdo reads the master page."""
    page = open_odt(data).get_style("master-page", "Standard")
    return flat(page.get_page_header().text_recursive + page.get_page_footer().text_recursive)


@pytest.fixture(scope="module")
def samples() -> dict[str, FormDocument]:
    """Every form the app prints (the command line's `forms sample`), the layout samples and
    a draft with every kind of block (a chart among them), in Chinese."""
    set_language("zh_TW")
    forms = {**sample_documents(), **sample_forms("Asia/Taipei"),
             "every-block": every_block(draft=True)}
    set_language("en")
    return forms


def every_block(draft: bool = False) -> FormDocument:
    return FormDocument(
        OFFICE, TITLE,
        (FieldGrid((("案號", "基隆關-115-0007"), ("通報時間", SIGNED_ON), ("通報單位", "業務二組")),
                   columns=2),
         Checkboxes("事件類別", (("通關案件", False), ("突發案件", True))),
         TextSection("事件概述", "貨櫃內發現未申報之肉製品。\n已通知防檢署採樣。"),
         Table("通報紀錄", ("通報對象", "通報方式"), (("執行秘書", "電話"),)),
         Table("附件", ("編號", "文件"), ()),
         Chart("各月事件數", "bars", ("1月", "2月"), (("輿情案件", (3.0, 5.0)),), unit="件"),
         Signatures((SignatureBox("承辦人", "陳志明", SIGNED_ON, signed_from="chen.cm@KL-01"),
                     SignatureBox("總指揮", "黃國華", deputy_for="張志強"),
                     SignatureBox("執行秘書")))),
        verification("notification", "case-7", 1, {"text": "v1"}),
        watermark="演練", footer_note="本表一式二份",
        draft=DraftMark("草稿", "草稿 DRAFT — 未簽報，不得簽核") if draft else None)


# ---------------------------------------------------------------------------- with odfdo


def test_every_sample_form_opens_with_odfdo_and_holds_its_text(
        samples: dict[str, FormDocument]) -> None:
    set_language("zh_TW")
    for name, doc in samples.items():
        data = render_odt(doc)
        odt = open_odt(data)
        assert odt.get_type() == "text" and odt.mimetype == MIMETYPE, name
        body = body_text(data)
        assert [t for t in form_texts(doc) if t not in body] == [], name
        furniture = furniture_text(data)
        expected = [doc.office_name, doc.title, doc.footer_note,
                    doc.verification.code if doc.verification else "",
                    match_line(doc) if doc.identity else ""]
        assert [t for t in expected if flat(printable(t)) not in furniture] == [], name


def test_every_block_kind_is_written() -> None:
    expected = [f"{UNCHECKED}通關案件", f"{CHECKED}突發案件", "貨櫃內發現未申報之肉製品。",
                "（無）", "各月事件數", "件", "1月", "輿情案件", "3", "5",
                # A deputy as 公文程式條例 has it (forms.deputies), as the PDF prints it.
                "總指揮張志強不能視事黃國華代行", "日期：", "chen.cm@KL-01"]
    set_language("zh_TW")
    data = render_odt(every_block())
    body = body_text(data)
    assert [t for t in expected if t not in body] == []
    # Heading and header rows repeat on every page a table runs onto.
    odt = open_odt(data)
    records = next(t for t in odt.body.tables if "通報紀錄" in t.text_recursive)
    assert "通報紀錄" in records.get_element("table:table-header-rows").text_recursive


def test_page_is_a4_with_the_forms_margins_and_page_number_fields() -> None:
    odt = open_odt(render_odt(every_block()))
    layout = odt.get_style("page-layout", "A4").serialize()
    for attribute in ('fo:page-width="210.00mm"', 'fo:page-height="297.00mm"',
                      'fo:margin-left="25.00mm"', 'fo:margin-right="20.00mm"'):
        assert attribute in layout
    footer = odt.get_style("master-page", "Standard").get_page_footer().serialize()
    assert "<text:page-number" in footer and "<text:page-count" in footer


def test_every_style_names_the_kai_face_with_its_fallback() -> None:
    data = render_odt(every_block())
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        styles = package.read("styles.xml").decode("utf-8")
    assert re.search(r'svg:font-family="&apos;TW-Kai&apos;;&apos;' + FALLBACK_FONT, styles)
    paragraph_styles = re.findall(r'<style:style style:name="(\w+)" style:family="paragraph"'
                                  r'[^>]*>.*?</style:style>', styles)
    assert len(paragraph_styles) > 10
    for style in re.findall(r"<style:text-properties[^>]*>", styles):
        assert 'style:font-name-asian="Kai"' in style and 'style:font-name="Kai"' in style


def test_the_package_is_well_formed() -> None:
    data = render_odt(every_block())
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        first = package.infolist()[0]
        assert (first.filename, first.compress_type, first.extra) == (
            "mimetype", zipfile.ZIP_STORED, b"")
        assert package.read("mimetype") == MIMETYPE.encode()
        manifest = package.read("META-INF/manifest.xml").decode()
        assert package.read("Pictures/verification-qr.png").startswith(b"\x89PNG")
        chart = package.read("Pictures/chart1.svg").decode("utf-8")
    assert 'manifest:full-path="Pictures/verification-qr.png"' in manifest
    assert ('manifest:full-path="Pictures/chart1.svg" manifest:media-type="image/svg+xml"'
            in manifest)
    # The chart's picture names the Kai face by its family name, as the text does.
    assert "<svg" in chart and "font-family: 'TW-Kai'" in chart and "TWKai;" not in chart


def test_a_draft_says_so_in_its_header_and_signing_spaces() -> None:
    data = render_odt(every_block(draft=True))
    assert "草稿DRAFT—未簽報，不得簽核" in furniture_text(data)
    assert body_text(data).count("草稿") == 3  # one in each signature box


def test_the_watermark_crosses_every_page_at_45_degrees() -> None:
    header = open_odt(render_odt(every_block(draft=True))).get_style(
        "master-page", "Standard").get_page_header()
    shape = header.get_element("//draw:custom-shape")
    assert shape.get_attribute("draw:transform").startswith("rotate (0.785398)")
    assert [flat(p.text_recursive) for p in shape.get_paragraphs()] == ["演練草稿"]


def test_text_xml_cannot_hold_is_dropped_and_markup_is_text() -> None:
    doc = FormDocument(OFFICE, "<b>&標題</b>", (
        TextSection("說明\x00\x1b", "第一行\ufffe\n  兩個空白  "),
        FieldGrid((("缺字", "𠀀"),)),
    ), None)
    data = render_odt(doc)
    body = open_odt(data).body.text_recursive
    assert "說明" in body and "\x00" not in body and "\x1b" not in body
    assert MISSING_GLYPH in body  # as the PDF prints a character the font lacks
    assert "<b>&標題</b>" in furniture_text(data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60), st.text(max_size=60))
def test_any_text_makes_a_document_an_xml_parser_reads(heading: str, text: str) -> None:
    """Whatever a user typed or another PC sent: odfdo's parser (lxml, strict XML) reads the
    document, and it holds the text as the PDF prints it, less what XML cannot hold."""
    doc = FormDocument(OFFICE, heading, (TextSection(heading, text),
                                         Table(heading, (text or "x",), ((text,),))), None)
    body = "".join(p.text_recursive for p in open_odt(render_odt(doc)).body.get_paragraphs())
    for line in printable(text).splitlines():
        kept = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", line)
        assert flat(kept) in flat(body)


def test_a_form_without_blocks_is_still_a_document() -> None:
    data = render_odt(FormDocument(OFFICE, TITLE, (), None))
    assert TITLE in furniture_text(data)


# ---------------------------------------------------------------------------- LibreOffice


@pytest.fixture(scope="module")
def converted(samples: dict[str, FormDocument],
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """Each sample's .odt and LibreOffice's PDF (the pages) and text (the body, cell by cell,
    where pdftotext would interleave the lines of neighbouring cells) of it, all converted by
    one LibreOffice run per format with a profile of its own (a profile in use by another
    LibreOffice would make the conversion wait or fail). Maps names to the PDFs."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed: packaging/bootstrap.py installs "
                    "Debian's libreoffice-writer-nogui")
    folder = tmp_path_factory.mktemp("odt")
    set_language("zh_TW")
    for name, doc in samples.items():
        (folder / f"{name}.odt").write_bytes(render_odt(doc))
    set_language("en")
    profile = tmp_path_factory.mktemp("lo-profile")
    for target in ("pdf", "txt:Text (encoded):UTF8"):
        result = subprocess.run(
            [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
             "--convert-to", target, "--outdir", str(folder),
             *sorted(str(p) for p in folder.glob("*.odt"))],
            capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
    yield {name: folder / f"{name}.pdf" for name in samples}


def poppler(tool: str, pdf: Path, *args: str) -> str:
    return subprocess.run([tool, *args, str(pdf), *(["-"] if tool == "pdftotext" else [])],
                          capture_output=True, check=True).stdout.decode("utf-8")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None,
                    reason="poppler-utils is not installed (packaging/bootstrap.py)")
def test_libreoffice_converts_every_sample_and_prints_its_text(
        samples: dict[str, FormDocument], converted: dict[str, Path]) -> None:
    for name, doc in samples.items():
        pdf = converted[name]
        assert pdf.is_file(), f"LibreOffice wrote no PDF of {name}"
        text = flat(pdf.with_suffix(".txt").read_text(encoding="utf-8-sig"))
        assert [t for t in form_texts(doc) if t not in text] == [], name
        pages = poppler("pdftotext", pdf).split("\f")[:-1]
        assert pages, name
        # The suite's line breaking keeps an opening bracket with what it opens.
        assert [line for page in pages for line in page.splitlines()
                if re.search(r"[（「『〈《(]\s*$", line)] == [], name
        # The page header and footer on every page, the page fields filled in.
        for number, page in enumerate(pages, start=1):
            assert flat(doc.title) in flat(page), (name, number)
            assert f"第{number}頁，共{len(pages)}頁" in flat(page), (name, number)
        info = poppler("pdfinfo", pdf)
        assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), (name, info)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdffonts") is None or shutil.which("fc-list") is None,
                    reason="poppler-utils or fontconfig is not installed")
def test_libreoffice_sets_the_forms_in_the_kai_face(converted: dict[str, Path]) -> None:
    """Where TW-Kai is installed (bootstrap installs Debian's fonts-cns11643-kai), it is the
    only face LibreOffice uses: the font the .odt names, found by its name."""
    installed = subprocess.run(["fc-list", ":family=TW-Kai"], capture_output=True,
                               text=True).stdout
    if not installed.strip():
        pytest.skip("TW-Kai is not installed: LibreOffice sets the forms in a fallback face")
    for name, pdf in converted.items():
        fonts = [row.split()[0] for row in poppler("pdffonts", pdf).splitlines()[2:]]
        assert fonts and all("TW-Kai" in font for font in fonts), (name, fonts)


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) or poppler-utils is not installed "
                           "(packaging/bootstrap.py installs both)")
def test_a_value_longer_than_a_page_flows_on_whole_in_libreoffice(tmp_path: Path) -> None:
    assert SOFFICE is not None
    value = "本關查驗" * 1250  # 5,000 characters in one cell
    rows = tuple((f"115/11/{i % 28 + 1:02d}", "處置內容") for i in range(90))
    doc = FormDocument(OFFICE, TITLE, (FieldGrid((("說明", value),)),
                                       Table("處理時序", ("時間", "處置內容"), rows)), None)
    (tmp_path / "long.odt").write_bytes(render_odt(doc))
    subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--headless", "--norestore", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), str(tmp_path / "long.odt")],
                   check=True, capture_output=True, timeout=300)
    pages = poppler("pdftotext", tmp_path / "long.pdf").split("\f")[:-1]
    assert len(pages) > 3
    assert flat("".join(pages)).count("本關查驗") == 1250
    # The table's heading and header row head each page it runs onto.
    table_pages = [page for page in pages if "115/11/" in page]
    assert len(table_pages) > 1 and all("處理時序" in flat(p) for p in table_pages)
