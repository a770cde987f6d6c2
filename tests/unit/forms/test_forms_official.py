"""Every form the app prints, carrying its record's 公文 header (forms.official), read back
with pdftotext page by page as a 文書 clerk reads the paper: 檔號, 保存年限, 速別 and 密等及
解密條件或保密期限 on every page, and a classified record's marking as the first and the last
line of every page; an open record's pages carry no marking."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from forms.document import FormDocument
from forms.render import render_pdf
from i18n import set_language
from models.playbook.records import RecordHeader, RecordRules, official_header
from models.samples import sample_forms

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils (pdftotext) is not installed")

TZ = "Asia/Taipei"
FORMS = ("sample-notification", "sample-case_file", "sample-activity_log",
         "sample-favour-registration", "sample-media-summary", "sample-situation-report",
         "sample-draw-record", "sample-drill-report", "sample-drill-evaluation")
"""The forms of a record (an incident's, a drill's): all but the annual review, which is the
office's and has no record header."""
SECRET = RecordHeader(file_number="115/0105.02/1/7", retention="25", speed="most_urgent",
                      classification="secret", declassify="本案結案後解密")
FIELDS = ("檔號：115/0105.02/1/7", "保存年限：25年", "速別：最速件",
          "密等及解密條件或保密期限：極機密（本案結案後解密）")


@pytest.fixture(scope="module")
def samples() -> dict[str, FormDocument]:
    set_language("zh_TW")
    return sample_forms(TZ)


def pages(pdf: bytes, tmp_path: Path) -> list[list[str]]:
    """Each page's non-blank lines, as `pdftotext -layout` lays them out, without spaces."""
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return [[line for line in ("".join(raw.split()) for raw in page.splitlines()) if line]
            for page in out.split("\f")[:-1]]


def test_the_samples_cover_every_form(samples: dict[str, FormDocument]) -> None:
    assert sorted(samples) == sorted((*FORMS, "sample-annual-review"))


@pytest.mark.parametrize("name", FORMS)
def test_every_page_carries_each_field_and_the_marking_at_top_and_bottom(
        samples: dict[str, FormDocument], name: str, tmp_path: Path) -> None:
    set_language("zh_TW")
    doc = replace(samples[name], header=official_header(SECRET, RecordRules()))
    found = pages(render_pdf(doc), tmp_path)
    assert found
    for number, lines in enumerate(found, start=1):
        text = "".join(lines)
        for field in FIELDS:
            assert field in text, f"{name} page {number}: {field}"
        assert (lines[0], lines[-1]) == ("極機密", "極機密"), f"{name} page {number}"


OWN_HEADERS = {
    # The first demo case (a 重大輿情 case at the first level): kept permanently, open.
    "demo case": ("檔號：", "保存年限：永久", "速別：普通件", "密等及解密條件或保密期限：普通"),
    # The demo case of the favour registration, at a lower level: the office's ten years.
    "favour": ("檔號：", "保存年限：10年", "速別：普通件", "密等及解密條件或保密期限：普通"),
    # The sample's open case, given a file number and 速件 by the secretary.
    "open case": ("檔號：115/0301/1", "保存年限：10年", "速別：速件",
                  "密等及解密條件或保密期限：普通"),
    # The sample drill, marked 密 with its condition.
    "drill": ("檔號：", "保存年限：10年", "速別：普通件",
              "密等及解密條件或保密期限：密（本件於演練評核完成後解密）"),
}


def _record_of(name: str) -> str:
    if "draw" in name or "drill" in name:
        return "drill"
    if "favour" in name:
        return "favour"
    return "open case" if "media" in name or "situation" in name else "demo case"


@pytest.mark.parametrize("name", FORMS)
def test_the_sample_records_print_their_own_header(
        samples: dict[str, FormDocument], name: str, tmp_path: Path) -> None:
    """Each sample prints the header its record holds or its rule gives, on every page; only
    the drill, marked 密, has the marking at the top and bottom."""
    record = _record_of(name)
    for lines in pages(render_pdf(samples[name]), tmp_path):
        text = "".join(lines)
        for field in OWN_HEADERS[record]:
            assert field in text, f"{name}: {field}"
        assert ((lines[0], lines[-1]) == ("密", "密")) == (record == "drill"), name


def test_the_annual_review_has_no_record_header(samples: dict[str, FormDocument],
                                                tmp_path: Path) -> None:
    text = "".join(pages(render_pdf(samples["sample-annual-review"]), tmp_path)[0])
    assert "危機管理年度檢討報告" in text and "檔號" not in text and "速別" not in text


def test_the_header_prints_in_english_too(samples: dict[str, FormDocument],
                                          tmp_path: Path) -> None:
    set_language("en")
    doc = replace(samples["sample-notification"], header=official_header(SECRET, RecordRules()))
    text = "".join(pages(render_pdf(doc), tmp_path)[0])
    for field in ("Fileno.:115/0105.02/1/7", "Retention:25years", "Urgency:Mosturgent",
                  "Classificationanddeclassification:Secret(本案結案後解密)"):
        assert field in text


def test_the_filing_labels_keep_their_full_width_spaces(samples: dict[str, FormDocument],
                                                        tmp_path: Path) -> None:
    """檔　　號 is spaced with two 全形空白 to stand as wide as 保存年限 (as 速　　別 under the
    title): printed, its colon lines up with the one below."""
    from forms.fonts import register_fonts
    from forms.style import paragraph, styles

    register_fonts()
    set_language("zh_TW")
    file_no, retention = (paragraph(text, styles().cell) for text in ("檔　　號：", "保存年限："))
    assert file_no.minWidth() == pytest.approx(retention.minWidth())  # 檔 號： was 20 pt
