"""The annual review from the command line: `report annual --year 115 --out FILE` writes the
PDF for 陳核, or its tables as .ods or .csv by the file's suffix; a bad year or suffix is
refused with a message and writes nothing."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from models.startup import open_data_dir
from tests.e2e.test_cases_cli import pdf_text
from tests.e2e.test_cli import cli
from tests.review_data import incident, notify, utc

pytestmark = pytest.mark.slow


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    db = open_data_dir(folder, "keelung")
    try:
        first = incident(db, "貨櫃夾藏加熱菸", utc(2026, 3, 10, 2), "high")
        notify(db, first, utc(2026, 3, 10, 2, 12))
        incident(db, "示範用甲案", utc(2026, 5, 5, 5), "high", example=True)
    finally:
        db.close()
    return folder


def test_the_annual_review_is_written_as_pdf_ods_and_csv(data: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "review.pdf"
    result = cli(data, "report", "annual", "--year", "115", "--out", str(pdf))
    assert result.returncode == 0, result.stderr
    text = pdf_text(pdf).replace(" ", "")
    assert "危機管理年度檢討報告" in text and "民國115年" in text
    assert "貨櫃夾藏加熱菸" in text and "示範用甲案" not in text
    assert "總指揮" in text and "執行秘書" in text  # the boxes for 陳核

    ods = tmp_path / "review.ods"
    assert cli(data, "report", "annual", "--year", "115", "--out", str(ods)).returncode == 0
    with zipfile.ZipFile(ods) as package:
        assert package.namelist()[0] == "mimetype"
        assert "貨櫃夾藏加熱菸" in package.read("content.xml").decode("utf-8")

    table = tmp_path / "review.csv"
    assert cli(data, "report", "annual", "--year", "115", "--out", str(table)).returncode == 0
    rows = list(csv.reader(io.StringIO(table.read_bytes().decode("utf-8-sig"))))
    assert any("貨櫃夾藏加熱菸" in row for row in rows)


def test_a_bad_year_or_file_kind_is_refused(data: Path, tmp_path: Path) -> None:
    bad_year = cli(data, "report", "annual", "--year", "一一五", "--out",
                   str(tmp_path / "r.pdf"))
    assert bad_year.returncode != 0 and "115" in bad_year.stderr
    bad_kind = cli(data, "report", "annual", "--year", "115", "--out",
                   str(tmp_path / "r.docx"))
    assert bad_kind.returncode != 0 and ".ods" in bad_kind.stderr
    assert list(tmp_path.glob("r.*")) == []


def test_a_year_that_has_not_begun_is_refused(data: Path, tmp_path: Path) -> None:
    from models.drills.kinds import taipei_today

    next_year = str(taipei_today().year - 1911 + 1)
    result = cli(data, "report", "annual", "--year", next_year, "--out",
                 str(tmp_path / "r.pdf"))
    assert result.returncode != 0 and next_year in result.stderr
    assert not (tmp_path / "r.pdf").exists()
