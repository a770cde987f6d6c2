"""The review's tables as .ods and CSV, read back the way an office suite (or a user opening the
files) would: the zip package, its XML parts parsed with xml.etree in the ODF namespaces, the
CSV with the csv module; and, when LibreOffice happens to be installed, converted by it."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms.document import Table
from forms.spreadsheet import MIMETYPE, SHEET_NAME_LIMIT, csv_bytes, ods_bytes, sheet_names

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}
TAIPEI = timezone(timedelta(hours=8))
CREATED = datetime(2026, 3, 5, 14, 30, 15, tzinfo=TAIPEI)
FORBIDDEN_IN_SHEET_NAMES = set("[]*?:/\\'")

DRILLS = Table(
    heading="115 年度演練統計",
    headers=("關別", "演練次數", "平均分數", "達成率", "備註"),
    rows=(
        ("基隆關", "12", "3.5", "87.5%", "颱風演練；含夜間"),
        ("臺北關", "0", "-2", "100%", "第二行\n第三行"),
        ("高雄關", "7", "0.25", "0.5%", "  前後有空格  中間兩格 "),
    ),
)
EMPTY = Table(heading="未結案件", headers=("案號", "狀態"), rows=())


def q(name: str) -> str:
    """A namespaced name as ElementTree spells it: "table:name" → "{urn…table:1.0}name"."""
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


@dataclass(frozen=True)
class Cell:
    kind: str
    """office:value-type ("" for an empty cell)."""
    value: str
    """office:value ("" for text)."""
    text: str
    """What the cell shows: its paragraphs joined by line breaks, spaces and tabs expanded."""
    style: str


@dataclass(frozen=True)
class Sheet:
    name: str
    header: list[Cell]
    rows: list[list[Cell]]
    column_styles: list[str]


def _characters(element: ET.Element) -> list[tuple[str, bool]]:
    """A paragraph's (or span's) characters in document order, each marked as collapsible
    (character data) or not (what text:s, text:tab and text:line-break stand for)."""
    out = [(c, True) for c in element.text or ""]
    for child in element:
        if child.tag == q("text:s"):
            out += [(" ", False)] * int(child.get(q("text:c"), "1"))
        elif child.tag == q("text:tab"):
            out.append(("\t", False))
        elif child.tag == q("text:line-break"):
            out.append(("\n", False))
        else:
            out += _characters(child)
        out += [(c, True) for c in child.tail or ""]
    return out


def inline_text(paragraph: ET.Element) -> str:
    """The text of a text:p as an office suite shows it (ODF 1.2 part 1, 6.1.2): tabs, line
    feeds and carriage returns in character data are spaces, a space after a space is dropped,
    and so are spaces at the start and end of the paragraph; text:s and text:tab are kept."""
    out: list[tuple[str, bool]] = []
    for char, collapsible in _characters(paragraph):
        if collapsible and char in " \t\r\n":
            if not out or out[-1] == (" ", True):
                continue
            char = " "
        out.append((char, collapsible))
    if out and out[-1] == (" ", True):
        out.pop()
    return "".join(char for char, _ in out)


def read_cell(element: ET.Element) -> Cell:
    assert element.get(q("table:number-columns-repeated")) is None
    return Cell(kind=element.get(q("office:value-type"), ""),
                value=element.get(q("office:value"), ""),
                text="\n".join(inline_text(p) for p in element.findall("text:p", NS)),
                style=element.get(q("table:style-name"), ""))


def read_row(element: ET.Element) -> list[Cell]:
    return [read_cell(cell) for cell in element.findall("table:table-cell", NS)]


def read_sheets(ods: bytes) -> list[Sheet]:
    """Each table:table of content.xml: name, the header row(s), the body rows."""
    root = ET.fromstring(zipfile.ZipFile(io.BytesIO(ods)).read("content.xml"))
    sheets = []
    for table in root.iterfind("office:body/office:spreadsheet/table:table", NS):
        headers = table.findall("table:table-header-rows/table:table-row", NS)
        assert len(headers) == 1
        sheets.append(Sheet(
            name=table.get(q("table:name"), ""),
            header=read_row(headers[0]),
            rows=[read_row(row) for row in table.findall("table:table-row", NS)],
            column_styles=[c.get(q("table:style-name"), "")
                           for c in table.findall("table:table-column", NS)]))
    return sheets


def automatic_styles(ods: bytes) -> dict[str, ET.Element]:
    root = ET.fromstring(zipfile.ZipFile(io.BytesIO(ods)).read("content.xml"))
    styles = root.find("office:automatic-styles", NS)
    assert styles is not None
    return {s.get(q("style:name"), ""): s for s in styles}


def texts(cells: list[Cell]) -> list[str]:
    return [cell.text for cell in cells]


def read_csv(data: bytes) -> list[list[list[str]]]:
    """The CSV's sections (split at the empty lines): [heading], header row, rows."""
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    sections: list[list[list[str]]] = [[]]
    for row in rows:
        if row:
            sections[-1].append(row)
        else:
            sections.append([])
    return sections


def xml_char_ok(c: str) -> bool:
    """XML 1.0's Char production, written out independently of the module."""
    n = ord(c)
    return (c in "\t\n\r" or 0x20 <= n <= 0xD7FF or 0xE000 <= n <= 0xFFFD
            or 0x10000 <= n <= 0x10FFFF)


def cleaned(text: str) -> str:
    return "".join(c for c in text if xml_char_ok(c)).replace("\r\n", "\n").replace("\r", "\n")


# ---------------------------------------------------------------------------- the package


def test_the_mimetype_is_the_first_entry_stored_without_extra_field() -> None:
    """What file-type sniffers and office suites check: the bytes at offset 30 of the file."""
    ods = ods_bytes([DRILLS], created=CREATED)
    first = zipfile.ZipFile(io.BytesIO(ods)).infolist()[0]
    assert first.filename == "mimetype"
    assert first.compress_type == zipfile.ZIP_STORED
    assert first.extra == b""
    assert ods[:4] == b"PK\x03\x04"
    assert ods[30:38] == b"mimetype"
    assert ods[38:38 + len(MIMETYPE)] == b"application/vnd.oasis.opendocument.spreadsheet"


def test_every_xml_part_parses_and_the_manifest_lists_every_file() -> None:
    package = zipfile.ZipFile(io.BytesIO(ods_bytes([DRILLS, EMPTY], created=CREATED)))
    assert package.testzip() is None
    names = package.namelist()
    assert {"content.xml", "styles.xml", "meta.xml", "META-INF/manifest.xml"} <= set(names)
    for name in names:
        if name.endswith(".xml"):
            ET.fromstring(package.read(name))
    manifest = ET.fromstring(package.read("META-INF/manifest.xml"))
    entries = {e.get(q("manifest:full-path")): e.get(q("manifest:media-type"))
               for e in manifest.findall("manifest:file-entry", NS)}
    assert entries.pop("/") == MIMETYPE
    assert set(entries) == set(names) - {"mimetype", "META-INF/manifest.xml"}
    assert all(kind == "text/xml" for kind in entries.values())
    # Unpacked (to inspect or to repair it), every part is readable.
    assert all((info.external_attr >> 16) & 0o444 == 0o444 for info in package.infolist())


def test_the_parts_declare_odf_1_2() -> None:
    package = zipfile.ZipFile(io.BytesIO(ods_bytes([DRILLS], created=CREATED)))
    for name in ("content.xml", "styles.xml", "meta.xml"):
        assert ET.fromstring(package.read(name)).get(q("office:version")) == "1.2"


def test_meta_names_title_generator_and_creation_date() -> None:
    ods = ods_bytes([DRILLS], title="115 年度檢討報告 <草稿> & 附表", created=CREATED)
    meta = ET.fromstring(zipfile.ZipFile(io.BytesIO(ods)).read("meta.xml"))
    assert meta.findtext("office:meta/dc:title", namespaces=NS) == "115 年度檢討報告 <草稿> & 附表"
    generator = meta.findtext("office:meta/meta:generator", namespaces=NS) or ""
    assert generator.startswith("CrisisDesk")
    created = meta.findtext("office:meta/meta:creation-date", namespaces=NS) or ""
    assert datetime.fromisoformat(created) == CREATED


def test_the_same_input_and_date_give_the_same_bytes() -> None:
    """So an exported file can be compared with another export, or with a file kept earlier."""
    assert ods_bytes([DRILLS], created=CREATED) == ods_bytes([DRILLS], created=CREATED)


def test_a_missing_date_is_now() -> None:
    ods = ods_bytes([DRILLS])
    meta = ET.fromstring(zipfile.ZipFile(io.BytesIO(ods)).read("meta.xml"))
    created = datetime.fromisoformat(
        meta.findtext("office:meta/meta:creation-date", namespaces=NS) or "")
    assert abs(created - datetime.now().astimezone()) < timedelta(minutes=1)


def test_nothing_to_export_is_refused() -> None:
    with pytest.raises(ValueError):
        ods_bytes([])
    with pytest.raises(ValueError):
        csv_bytes([])


# ---------------------------------------------------------------------------- the sheets


def test_each_table_is_a_sheet_with_its_header_and_rows() -> None:
    sheets = read_sheets(ods_bytes([DRILLS, EMPTY], created=CREATED))
    assert [s.name for s in sheets] == ["115 年度演練統計", "未結案件"]
    assert texts(sheets[0].header) == list(DRILLS.headers)
    assert [texts(row) for row in sheets[0].rows] == [list(row) for row in DRILLS.rows]


def test_an_empty_table_keeps_its_header_row_and_nothing_else() -> None:
    """No "(none)" row as on paper: a spreadsheet is data, and that row would be counted."""
    [sheet] = read_sheets(ods_bytes([EMPTY], created=CREATED))
    assert texts(sheet.header) == ["案號", "狀態"]
    assert sheet.rows == []
    sections = read_csv(csv_bytes([EMPTY]))
    assert sections == [[["未結案件"], ["案號", "狀態"]]]


def test_the_header_row_is_bold_text() -> None:
    ods = ods_bytes([DRILLS], created=CREATED)
    [sheet] = read_sheets(ods)
    styles = automatic_styles(ods)
    for cell in sheet.header:
        assert cell.kind == "string"
        bold = styles[cell.style].find("style:text-properties", NS)
        assert bold is not None
        assert bold.get(q("fo:font-weight")) == "bold"
        assert bold.get(q("style:font-weight-asian")) == "bold"
    assert all(cell.style != sheet.header[0].style for row in sheet.rows for cell in row)


def test_numbers_are_typed_so_they_can_be_summed() -> None:
    table = Table("數字", ("值",), tuple((v,) for v in (
        "12", "3.5", "-2", "0", "0.25", "-0.5", "87.5%", "100%", "-5%", "0.5%",
        "007", "0912345678", "1,234", "1e5", " 12", "12 ", "+3", ".5", "5.", "3.5.1", "--2",
        "12345678901234567", "NaN", "inf", "１２", "")))
    [sheet] = read_sheets(ods_bytes([table], created=CREATED))
    typed = {row[0].text: (row[0].kind, row[0].value) for row in sheet.rows}
    assert typed["12"] == ("float", "12")
    assert typed["3.5"] == ("float", "3.5")
    assert typed["-2"] == ("float", "-2")
    assert typed["0"] == ("float", "0")
    assert Decimal(typed["-0.5"][1]) == Decimal("-0.5")
    for text, fraction in (("87.5%", "0.875"), ("100%", "1"), ("-5%", "-0.05"),
                           ("0.5%", "0.005")):
        kind, value = typed[text]
        assert kind == "percentage"
        assert Decimal(value) == Decimal(fraction)
    # What would lose digits or is not a plain number stays exactly the text typed.
    for text in ("007", "0912345678", "1,234", "1e5", " 12", "12 ", "+3", ".5", "5.",
                 "3.5.1", "--2", "12345678901234567", "NaN", "inf", "１２"):
        assert typed[text] == ("string", ""), text
    assert typed[""] == ("", "")


def test_a_percentage_shows_as_typed() -> None:
    """87.5% is stored as 0.875 and shown through a percentage style with one decimal."""
    ods = ods_bytes([DRILLS], created=CREATED)
    [sheet] = read_sheets(ods)
    cell = sheet.rows[0][3]
    styles = automatic_styles(ods)
    data_style = styles[styles[cell.style].get(q("style:data-style-name"), "")]
    assert data_style.tag == q("number:percentage-style")
    number = data_style.find("number:number", NS)
    assert number is not None and number.get(q("number:decimal-places")) == "1"
    assert data_style.findtext("number:text", namespaces=NS) == "%"


def test_the_kai_face_is_every_cells_default_font() -> None:
    package = zipfile.ZipFile(io.BytesIO(ods_bytes([DRILLS], created=CREATED)))
    styles = ET.fromstring(package.read("styles.xml"))
    face = styles.find("office:font-face-decls/style:font-face", NS)
    assert face is not None
    assert face.get(q("style:name")) == "TW-Kai"
    assert face.get(q("svg:font-family")) == "TW-Kai"
    assert face.get(q("style:font-family-generic")) == "roman"
    default = styles.find("office:styles/style:default-style[@style:family='table-cell']"
                          "/style:text-properties", NS)
    assert default is not None
    for script in ("style:font-name", "style:font-name-asian", "style:font-name-complex"):
        assert default.get(q(script)) == "TW-Kai"


def column_widths(ods: bytes) -> list[float]:
    [sheet] = read_sheets(ods)
    styles = automatic_styles(ods)
    widths = []
    for name in sheet.column_styles:
        properties = styles[name].find("style:table-column-properties", NS)
        assert properties is not None
        width = properties.get(q("style:column-width"), "")
        assert width.endswith("cm")
        widths.append(float(width.removesuffix("cm")))
    return widths


def test_columns_are_as_wide_as_their_text_within_limits() -> None:
    widths = column_widths(ods_bytes([DRILLS], created=CREATED))
    assert len(widths) == len(DRILLS.headers)
    assert all(1.5 <= w <= 10 for w in widths)
    very_long = Table("長", ("說明",), (("很長" * 100,),))
    assert column_widths(ods_bytes([very_long], created=CREATED)) == [10.0]
    long_text = Table("說明", ("項目", "數"), (("關務署北區關務局基隆關颱風應變演練第一梯次", "3"),))
    first, second = column_widths(ods_bytes([long_text], created=CREATED))
    assert first > second


def test_relative_widths_keep_the_forms_proportions() -> None:
    table = Table("比例", ("一", "二", "三"), (), widths=(1, 2, 5))
    a, b, c = column_widths(ods_bytes([table], created=CREATED))
    assert b == pytest.approx(2 * a, rel=0.02)
    assert c == pytest.approx(5 * a, rel=0.02)


# ---------------------------------------------------------------------------- sheet names


def valid_sheet_name(name: str) -> bool:
    return (0 < len(name.encode("utf-16-le")) // 2 <= SHEET_NAME_LIMIT
            and not FORBIDDEN_IN_SHEET_NAMES & set(name) and name == name.strip())


def test_sheet_names_are_unique_short_and_valid() -> None:
    long = "關務署北區關務局基隆關一一五年度颱風暨地震複合型災害應變演練執行成果統計"
    headings = ["統計", "統計", "統計", "STATS", "stats", long, long, "a/b: [c]*?\\'d'",
                "", "   ", "\x00\x1b", "第一行\n第二行\t完", "History", "𠀀" * 20]
    tables = [Table(h, ("欄",), ()) for h in headings]
    names = [s.name for s in read_sheets(ods_bytes(tables, created=CREATED))]
    assert names == sheet_names(tables)
    assert all(valid_sheet_name(n) for n in names), names
    assert len({n.casefold() for n in names}) == len(names)
    assert names[:5] == ["統計", "統計 (2)", "統計 (3)", "STATS", "stats (2)"]
    assert names[5] == long[:SHEET_NAME_LIMIT]
    assert names[6] == long[:SHEET_NAME_LIMIT - 4] + " (2)"
    assert names[7] == "a_b_ _c_____d_"
    assert names[8:11] == ["9", "10", "11"]  # nothing left of the heading: its position
    assert names[11] == "第一行 第二行 完"
    assert names[12].casefold() != "history"  # Excel keeps that name for itself
    assert names[13] == "𠀀" * 15  # a character beyond the BMP counts twice, as in Excel


# ---------------------------------------------------------------------------- hostile text


HOSTILE = Table(
    heading="來自他台 <b>&amp;\"引號\"",
    headers=("欄\x00位", "=1+1"),
    rows=(
        ("\x00\x01\x1b", '=HYPERLINK("http://evil.example","點我")'),
        ("@SUM(1)", "-3"),
        ("+886 2 1234", "\tTAB"),
        ("a\x0bb\x7fc\ufffed\uffffe\ud800f", "行一\r\n行二\r行三"),
        ("</text:p><x>&lt;", "-"),
    ),
)


def test_hostile_text_is_kept_as_inert_text_in_the_ods() -> None:
    ods = ods_bytes([HOSTILE], title="\x07標題\ud800", created=CREATED)
    package = zipfile.ZipFile(io.BytesIO(ods))
    for name in package.namelist():
        if name.endswith(".xml"):
            ET.fromstring(package.read(name))
    assert b"table:formula" not in package.read("content.xml")
    [sheet] = read_sheets(ods)
    assert sheet.name == '來自他台 <b>&amp;"引號"'
    assert texts(sheet.header) == ["欄位", "=1+1"]
    rows = [[(c.kind, c.text) for c in row] for row in sheet.rows]
    assert rows == [
        [("", ""), ("string", '=HYPERLINK("http://evil.example","點我")')],
        [("string", "@SUM(1)"), ("float", "-3")],
        [("string", "+886 2 1234"), ("string", "\tTAB")],
        [("string", "ab\x7fcdef"), ("string", "行一\n行二\n行三")],
        [("string", "</text:p><x>&lt;"), ("string", "-")],
    ]
    meta = ET.fromstring(package.read("meta.xml"))
    assert meta.findtext("office:meta/dc:title", namespaces=NS) == "標題"


def test_line_breaks_become_paragraphs_and_spaces_are_kept() -> None:
    ods = ods_bytes([DRILLS], created=CREATED)
    root = ET.fromstring(zipfile.ZipFile(io.BytesIO(ods)).read("content.xml"))
    cells = root.findall(".//table:table-row/table:table-cell", NS)
    two_lines = next(c for c in cells if "第二行" in "".join(c.itertext()))
    assert [inline_text(p) for p in two_lines.findall("text:p", NS)] == ["第二行", "第三行"]
    [sheet] = read_sheets(ods)
    assert sheet.rows[2][4].text == "  前後有空格  中間兩格 "


def test_hostile_text_is_quoted_in_the_csv() -> None:
    """OWASP's CSV injection advice: a cell that would start a formula gets a leading '."""
    [[heading, header, *rows]] = read_csv(csv_bytes([HOSTILE]))
    assert heading == ['來自他台 <b>&amp;"引號"']
    assert header == ["欄位", "'=1+1"]
    assert rows == [
        ["", '\'=HYPERLINK("http://evil.example","點我")'],
        ["'@SUM(1)", "-3"],
        ["'+886 2 1234", "'\tTAB"],
        ["ab\x7fcdef", "行一\n行二\n行三"],
        ["</text:p><x>&lt;", "'-"],
    ]


def test_numbers_are_not_quoted_in_the_csv() -> None:
    table = Table("數", ("a", "b", "c", "d"), (("-3", "-0.5", "-5%", "-1,000"),))
    [[_, _, row]] = read_csv(csv_bytes([table]))
    assert row == ["-3", "-0.5", "-5%", "'-1,000"]


# ---------------------------------------------------------------------------- CSV layout


def test_the_csv_is_utf8_with_bom_crlf_and_one_section_per_table() -> None:
    data = csv_bytes([DRILLS, EMPTY])
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.replace("\r\n", "").count("\n") == 1  # the line break inside a cell
    assert "颱風演練".encode() in data
    assert read_csv(data) == [
        [[DRILLS.heading], list(DRILLS.headers), *(list(row) for row in DRILLS.rows)],
        [[EMPTY.heading], list(EMPTY.headers)],
    ]
    assert data.endswith(b"\r\n") and not data.endswith(b"\r\n\r\n")


# ---------------------------------------------------------------------------- any text


ANY_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=30)


@given(ANY_TEXT, ANY_TEXT)
def test_any_text_reads_back_as_itself_less_what_xml_cannot_hold(heading: str, text: str) -> None:
    table = Table(heading, ("欄",), ((text,),))
    [sheet] = read_sheets(ods_bytes([table], title=text, created=CREATED))
    assert valid_sheet_name(sheet.name)
    assert sheet.rows[0][0].text == cleaned(text)
    [[csv_heading, _, [cell]]] = read_csv(csv_bytes([table]))
    expected = cleaned(text)
    assert cell in (expected, "'" + expected)
    assert cell == expected or expected.startswith(("=", "+", "-", "@", "\t"))
    assert not cell.startswith(("=", "+", "@", "\t")) and (
        not cell.startswith("-") or sheet.rows[0][0].kind != "string")
    assert csv_heading[0] in (cleaned(heading), "'" + cleaned(heading))


# ---------------------------------------------------------------------------- LibreOffice


OFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice (soffice/libreoffice) is not installed, "
                    "so the .ods is checked by the reader above only")
def test_libreoffice_reads_the_first_sheet_as_written(tmp_path: Path) -> None:
    assert OFFICE is not None
    table = Table("演練", ("關別", "次數", "分數", "達成率", "說明"), (
        ("基隆關", "12", "3.5", "87.5%", '=HYPERLINK("x")'),
        ("臺北關", "-2", "0.25", "100%", "兩  格\n第二行"),
    ))
    source = tmp_path / "review.ods"
    source.write_bytes(ods_bytes([table, EMPTY], created=CREATED))
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([OFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path / "out"),
                    str(source)], check=True, capture_output=True, timeout=180)
    converted = (tmp_path / "out" / "review.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(converted, newline="")))
    assert rows == [list(table.headers), *(list(row) for row in table.rows)]
