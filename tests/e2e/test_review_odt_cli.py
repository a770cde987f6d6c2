"""`report annual --out FILE.odt`: the annual review, charts and signature boxes included, as
an ODF text document, for an office that files ODF."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from odfdo import Document

from tests.e2e.test_cli import cli
from tests.e2e.test_review_cli import data

pytestmark = pytest.mark.slow

__all__ = ["data"]  # the fixture, imported for pytest


def test_the_annual_review_is_written_as_odf_text(data: Path, tmp_path: Path) -> None:
    odt = tmp_path / "review.odt"
    result = cli(data, "report", "annual", "--year", "115", "--out", str(odt))
    assert result.returncode == 0, result.stderr
    document = Document(io.BytesIO(odt.read_bytes()))
    header = document.get_style("master-page", "Standard").get_page_header().text_recursive
    assert "危機管理年度檢討報告" in header
    body = re.sub(r"\s+", "", document.body.text_recursive)
    assert "民國115年" in body
    assert "貨櫃夾藏加熱菸" in body and "示範用甲案" not in body
    assert "總指揮" in body and "執行秘書" in body  # the boxes for 陳核
    assert "各月份事件數" in body  # a chart, as its table of figures
