"""Every form the app prints (`main.py forms sample`, models/samples.py), read back from its PDF:
each page names its record and form and carries its verification code, so a loose sheet finds
its file; no line ends with an opening bracket nor starts with a closing mark; and dates keep
one style per place (the long one in fields, the short one in tables), in both languages. The
PDFs and one PNG per page are kept in test-artifacts/forms-samples/ to be looked at."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from forms.document import FormDocument
from forms.linebreak import NO_LINE_END, NO_LINE_START
from forms.page import match_line
from forms.render import render_pdf
from forms.samples import sample_documents
from i18n import DEFAULT_LANGUAGE, set_language
from models.samples import sample_forms
from tests.unit.forms.print_conventions import date_style_faults, pdf_lines

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils is not installed (packaging/bootstrap.py)")

LANGUAGES = ("zh_TW", "en")
Samples = dict[str, dict[str, tuple[FormDocument, bytes]]]


@pytest.fixture(scope="module")
def samples() -> Samples:
    """language -> sample name -> (form, its PDF), the app's forms made once for the module."""
    out: Samples = {}
    try:
        for language in LANGUAGES:
            set_language(language)
            forms = sample_forms("Asia/Taipei")
            out[language] = {name: (doc, render_pdf(doc)) for name, doc in forms.items()}
    finally:
        set_language(DEFAULT_LANGUAGE)
    return out


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_names_its_record_its_form_and_its_code(samples: Samples,
                                                           language: str) -> None:
    set_language(language)
    assert len(samples[language]) == 10
    for name, (doc, pdf) in samples[language].items():
        assert doc.identity and doc.verification, name
        line = flat(match_line(doc))
        assert doc.identity.split()[-1] in line and doc.verification.code in line
        pages = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                               check=True).stdout.decode("utf-8").split("\f")[:-1]
        assert pages, name
        for number, page in enumerate(pages, start=1):
            assert line in flat(page), (name, number)
    assert len({page for page, _line in pdf_lines(samples[language]["sample-case_file"][1])}) > 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_line_of_any_sample_ends_with_an_opening_bracket(samples: Samples,
                                                            language: str) -> None:
    docs = {name: pdf for name, (_doc, pdf) in samples[language].items()}
    set_language(language)
    docs |= {f"forms-{name}": render_pdf(doc) for name, doc in sample_documents().items()}
    for name, pdf in docs.items():
        lines = pdf_lines(pdf)
        assert lines, name
        ending = [(page, line) for page, line in lines if line and line[-1] in NO_LINE_END]
        starting = [(page, line) for page, line in lines if line and line[0] in NO_LINE_START]
        assert ending == [], name
        assert starting == [], name


def test_the_deputys_signature_names_the_holder_then_the_deputy(samples: Samples) -> None:
    """The sample drill report is signed by 黃副關務長 for 張關務長 (models/samples.py)."""
    lines = [flat(line) for _page, line in pdf_lines(samples["zh_TW"]["sample-drill-report"][1])]
    holder = lines.index("總指揮張關務長不能視事")
    assert lines[holder + 1] == "黃副關務長代行"


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_keep_one_style_per_place(samples: Samples, language: str) -> None:
    set_language(language)
    faults = [fault for doc, _pdf in samples[language].values()
              for fault in date_style_faults(doc)]
    assert faults == []


def test_the_samples_are_kept_to_look_at(samples: Samples, artifacts: Path) -> None:
    folder = artifacts / "forms-samples"
    folder.mkdir(exist_ok=True)
    for language, forms in samples.items():
        for name, (_doc, pdf) in forms.items():
            path = folder / f"{name}-{language}.pdf"
            path.write_bytes(pdf)
            subprocess.run(["pdftoppm", "-r", "70", "-png", str(path), str(path.with_suffix(""))],
                           check=True)
    assert len(list(folder.glob("*.png"))) > 12
