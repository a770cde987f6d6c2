"""Every form the app prints, saved as an ODF text document (forms/odt.py) for a record marked
極機密 with every 公文 header field set, read back as the 文書 clerk reads the paper the office
suite prints: LibreOffice headless converts each .odt (both languages) to PDF, and poppler reads
it page by page. Each page must carry 檔號, 保存年限, 速別 and 密等及解密條件或保密期限, the boxed
marking as its first and last line at the very edges, and the line naming the record, the form
and the verification code (forms.page.match_line), as the PDF of the same form does
(test_forms_official.py, test_forms_conventions.py); no line may end with an opening bracket.

Text is compared with all white space removed, as in test_forms_odt.py.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from odfdo import Document

from forms.document import FormDocument
from forms.linebreak import NO_LINE_END
from forms.odt import render_odt
from forms.odt_xml import to_mm
from forms.official import ClassificationMarking
from forms.page import match_line
from forms.render import render_pdf
from forms.style import MARGIN_BOTTOM, MARGIN_TOP, PAGE_HEIGHT
from i18n import DEFAULT_LANGUAGE, set_language
from models.playbook.records import RecordHeader, RecordRules, official_header
from models.samples import sample_forms
from tests.unit.forms.print_conventions import pdf_lines, texts

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
LANGUAGES = ("zh_TW", "en")
SECRET = RecordHeader(file_number="115/0105.02/1/7", retention="25", speed="most_urgent",
                      classification="secret", declassify="本案結案後解密")
FIELDS = {
    "zh_TW": ("檔號：115/0105.02/1/7", "保存年限：25年", "速別：最速件",
              "密等及解密條件或保密期限：極機密（本案結案後解密）"),
    "en": ("Fileno.:115/0105.02/1/7", "Retention:25years", "Urgency:Mosturgent",
           "Classificationanddeclassification:Secret(本案結案後解密)"),
}
MARKING = {"zh_TW": "極機密", "en": "Secret"}

Samples = dict[str, dict[str, FormDocument]]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def samples() -> Iterator[Samples]:
    """language -> sample name -> the form, its record marked 極機密 with every field set."""
    out: Samples = {}
    try:
        for language in LANGUAGES:
            set_language(language)
            secret = official_header(SECRET, RecordRules())
            out[language] = {name: replace(doc, header=secret)
                             for name, doc in sample_forms("Asia/Taipei").items()}
        yield out
    finally:
        set_language(DEFAULT_LANGUAGE)


def open_odt(data: bytes) -> Document:
    return Document(io.BytesIO(data))


# ---------------------------------------------------------------------------- with odfdo


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_header_and_footer_holds_the_fields_marking_and_identity(
        samples: Samples, language: str) -> None:
    set_language(language)
    for name, doc in samples[language].items():
        page = open_odt(render_odt(doc)).get_style("master-page", "Standard")
        header, footer = page.get_page_header(), page.get_page_footer()
        text = flat(header.text_recursive)
        assert [f for f in FIELDS[language] if f not in text] == [], name
        # 檔號 and 保存年限 above the office, 速別 and 密等 under the title, as the PDF has them.
        order = [text.index(flat(t)) for t in (FIELDS[language][1], doc.office_name, doc.title,
                                               FIELDS[language][2])]
        assert order == sorted(order), name
        assert flat(match_line(doc)) in flat(footer.text_recursive), name
        for part, frame in ((header, "MarkingTop"), (footer, "MarkingBottom")):
            box = part.get_frame(name=frame)
            assert box is not None, (name, frame)
            marking = "".join(p.text_recursive for p in box.get_paragraphs())
            assert marking == MARKING[language], (name, frame)


def test_an_open_record_carries_no_marking(samples: Samples) -> None:
    set_language("zh_TW")
    doc = samples["zh_TW"]["sample-notification"]
    open_header = official_header(replace(SECRET, classification="open", declassify=""),
                                  RecordRules())
    page = open_odt(render_odt(replace(doc, header=open_header))).get_style(
        "master-page", "Standard")
    assert page.get_page_header().get_frames() == []
    assert "密等及解密條件或保密期限：普通" in flat(page.get_page_header().text_recursive)


def test_the_marking_frames_sit_where_the_pdf_draws_its_boxes(samples: Samples) -> None:
    set_language("zh_TW")
    doc = samples["zh_TW"]["sample-notification"]
    marking = ClassificationMarking.of(doc.header)
    assert marking is not None
    page = open_odt(render_odt(doc)).get_style("master-page", "Standard")
    frames = (page.get_page_header().get_frame(name="MarkingTop"),
              page.get_page_footer().get_frame(name="MarkingBottom"))
    for frame, box in zip(frames, marking.boxes()):
        top = PAGE_HEIGHT - box.y - box.height
        assert [frame.get_attribute(f"svg:{a}") for a in ("x", "y", "width", "height")] == [
            to_mm(v) for v in (box.x, top, box.width, box.height)]


# ---------------------------------------------------------------------------- LibreOffice


@pytest.fixture(scope="module")
def converted(samples: Samples, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """"language/name" -> LibreOffice's PDF of the form's .odt, all converted in one run with
    a profile of its own (one in use by another LibreOffice would make it wait or fail)."""
    if SOFFICE is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) or poppler-utils is not installed: "
                    "packaging/bootstrap.py installs both")
    folder = tmp_path_factory.mktemp("odt-official")
    for language, forms in samples.items():
        set_language(language)
        for name, doc in forms.items():
            (folder / f"{language}-{name}.odt").write_bytes(render_odt(doc))
    profile = tmp_path_factory.mktemp("lo-profile")
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(folder),
         *sorted(str(p) for p in folder.glob("*.odt"))],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return {f"{language}/{name}": folder / f"{language}-{name}.pdf"
            for language, forms in samples.items() for name in forms}


def layout_pages(pdf: Path) -> list[list[str]]:
    """Each page's non-blank lines, top to bottom as `pdftotext -layout` lays them out, without
    spaces."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return [[line for line in (flat(raw) for raw in page.splitlines()) if line]
            for page in out.split("\f")[:-1]]


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_libreoffice_prints_carries_fields_marking_and_identity(
        samples: Samples, converted: dict[str, Path], language: str) -> None:
    set_language(language)
    for name, doc in samples[language].items():
        pages = layout_pages(converted[f"{language}/{name}"])
        assert pages, name
        identity = flat(match_line(doc))
        for number, lines in enumerate(pages, start=1):
            text = "".join(lines)
            assert [f for f in FIELDS[language] if f not in text] == [], (name, number)
            assert identity in text, (name, number)
            assert (lines[0], lines[-1]) == (MARKING[language],) * 2, (name, number)
    # The case file runs onto several pages, so "every page" is more than the first.
    assert len(layout_pages(converted[f"{language}/sample-case_file"])) > 3


@pytest.mark.slow
def test_the_marking_sits_in_the_top_and_bottom_margins(converted: dict[str, Path]) -> None:
    """Where the PDF draws it: at the very edges, outside the header and footer, so a sheet
    cut or copied short still shows it."""
    words = subprocess.run(["pdftotext", "-bbox", str(converted["zh_TW/sample-case_file"]),
                            "-"], capture_output=True, text=True, check=True).stdout
    for page in words.split("<page ")[1:]:
        tops = [float(y) for y in re.findall(r'yMin="([\d.]+)"[^>]*>極機密</word>', page)]
        assert len(tops) == 2
        assert min(tops) < MARGIN_TOP and max(tops) > PAGE_HEIGHT - MARGIN_BOTTOM


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_line_libreoffice_prints_ends_with_an_opening_bracket(
        samples: Samples, converted: dict[str, Path], language: str) -> None:
    for name in samples[language]:
        lines = pdf_lines(converted[f"{language}/{name}"].read_bytes())
        assert lines, name
        assert [(page, line) for page, line in lines
                if line and line[-1] in NO_LINE_END] == [], name


@pytest.mark.slow
def test_the_documents_are_kept_to_look_at(samples: Samples, converted: dict[str, Path],
                                           artifacts: Path) -> None:
    """Each form as LibreOffice prints its .odt ("-odt") beside the PDF the app prints of it
    ("-pdf"), one PNG per page, in test-artifacts/forms-odt-official/ to be compared."""
    folder = artifacts / "forms-odt-official"
    folder.mkdir(exist_ok=True)
    for key, pdf in converted.items():
        language, name = key.split("/")
        set_language(language)
        stem = folder / f"{name}-{language}"
        kept = {"odt": pdf.read_bytes(), "pdf": render_pdf(samples[language][name])}
        for kind, data in kept.items():
            path = stem.with_name(f"{stem.name}-{kind}.pdf")
            path.write_bytes(data)
            subprocess.run(["pdftoppm", "-r", "70", "-png", str(path),
                            str(path.with_suffix(""))], check=True)
    assert len(list(folder.glob("*-odt-*.png"))) > 12


@pytest.mark.slow
def test_libreoffice_breaks_english_between_words(samples: Samples,
                                                  converted: dict[str, Path]) -> None:
    """As the PDF does: Latin letters and digits are set as English, so "customs" or "08:45"
    never ends a line half-way ("cust" / "oms")."""
    set_language("en")
    for name, doc in samples["en"].items():
        printed = subprocess.run(["pdftotext", "-bbox", str(converted[f"en/{name}"]), "-"],
                                 capture_output=True, text=True, check=True).stdout
        words = set(re.findall(r"<word[^>]*>([^<]*)</word>", printed))
        latin = {w for _where, _kind, text in texts(doc)
                 for w in re.findall(r"[A-Za-z]{3,}|\d{2}:\d{2}", text)}
        assert [w for w in sorted(latin) if not any(w in word for word in words)] == [], name
