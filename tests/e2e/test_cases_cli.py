"""The case archive from the command line: the demo cases, exporting every case file as a PDF
and importing an exchange file, run as separate processes exactly as documented."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from i18n import _
from tests.e2e.test_cli import cli
from tests.json_mutation import shipped_json

pytestmark = pytest.mark.slow


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_demo_cases_load_once_and_export_as_case_files(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = cli(data, "demo")
    assert first.returncode == 0, first.stderr
    again = cli(data, "demo")
    assert again.returncode == 0
    with sqlite3.connect(data / "crisisdesk.sqlite3") as con:
        assert con.execute("SELECT count(*), sum(is_example) FROM incidents "
                           "WHERE status = 'archived'").fetchone() == (4, 4)
        titles = [r[0] for r in con.execute("SELECT title FROM incidents")]
    out = tmp_path / "pdf"
    result = cli(data, "cases", "export", "--out", str(out))
    assert result.returncode == 0, result.stderr
    files = sorted(out.glob("*.pdf"))
    assert len(files) == 4
    texts = "".join(pdf_text(f) for f in files)
    for title in titles:
        assert title[:10] in texts.replace(" ", "")
    assert "危機事件案例檔案" in texts.replace(" ", "") and "民國" in texts


def test_an_exchange_file_with_an_unknown_category_is_refused_whole(tmp_path: Path) -> None:
    data = shipped_json("demo", "cases.json")
    data["office"] = "keelung"
    for case in data["cases"]:
        case["reporting_unit"] = ""
    category = data["cases"][1]["category"]
    data["cases"][1]["category"] = "smuggling"
    bad = tmp_path / "cases.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = cli(tmp_path / "data", "cases", "import", str(bad), "--user", "林企劃",
                 "--role", "planning")
    assert result.returncode == 1
    assert "cases[1].category" in result.stderr and "smuggling" in result.stderr
    with sqlite3.connect(tmp_path / "data" / "crisisdesk.sqlite3") as con:
        assert con.execute("SELECT count(*) FROM incidents").fetchone() == (0,)

    data["cases"][1]["category"] = category
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    good = cli(tmp_path / "data", "cases", "import", str(bad), "--user", "林企劃",
               "--role", "planning")
    assert good.returncode == 0, good.stderr
    with sqlite3.connect(tmp_path / "data" / "crisisdesk.sqlite3") as con:
        assert con.execute("SELECT count(*), sum(is_example) FROM incidents").fetchone() == (4, 0)


def test_forms_sample_renders_every_form_to_try_a_printer(tmp_path: Path) -> None:
    result = cli(tmp_path / "data", "forms", "sample", "--out", str(tmp_path / "samples"))
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in (tmp_path / "samples").glob("*.pdf"))
    assert files == sorted(f"sample-{name}.pdf" for name in (
        "notification", "case_file", "activity_log", "favour-registration", "media-summary",
        "situation-report", "draw-record", "drill-report", "drill-evaluation", "annual-review"))
    for path in (tmp_path / "samples").glob("*.pdf"):
        assert "財政部關務署基隆關" in pdf_text(path).replace(" ", "")
    assert "代" in pdf_text(tmp_path / "samples" / "sample-drill-report.pdf")


def test_exporting_a_case_file_names_the_characters_the_font_lacks(tmp_path: Path) -> None:
    """A case whose location holds 𠀀 (Extension B): the case file is written with 〓 and
    stderr names the file, the field and the character; the exit code stays 0."""
    data = shipped_json("demo", "cases.json")
    data["office"] = "keelung"
    for case in data["cases"]:
        case["reporting_unit"] = ""
    data["cases"] = data["cases"][:1]
    data["cases"][0]["location"] = "基隆港𠀀號碼頭"
    exchange = tmp_path / "cases.json"
    exchange.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    imported = cli(tmp_path / "data", "cases", "import", str(exchange), "--user", "林企劃",
                   "--role", "planning")
    assert imported.returncode == 0, imported.stderr
    result = cli(tmp_path / "data", "cases", "export", "--out", str(tmp_path / "pdf"))
    assert result.returncode == 0, result.stderr
    [pdf] = (tmp_path / "pdf").glob("*.pdf")
    assert "基隆港〓號碼頭" in pdf_text(pdf).replace(" ", "")
    warnings = [line for line in result.stderr.splitlines() if str(pdf) in line]
    assert len(warnings) == 1, result.stderr
    assert _("{field}: {characters}").format(field=_("Location"), characters="𠀀 (U+20000)") \
        in warnings[0]
