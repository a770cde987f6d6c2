"""`cases export --odf` and `forms export --odf`: the copies an office files in its records
system, as ODF text documents beside their PDFs, each carrying its record's 公文 header (the
office's default retention, 永久 for a case at the first level)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from odfdo import Document

from models.drills.actions import draw_unit
from models.drills.kinds import month_start, taipei_today
from models.org.people import Actor, Role
from models.startup import open_data_dir
from tests.e2e.test_cli import cli

pytestmark = pytest.mark.slow


def odt_text(path: Path) -> str:
    """The document's body and its first page's header, without spaces."""
    odt = Document(io.BytesIO(path.read_bytes()))
    header = odt.get_style("master-page", "Standard").get_page_header().text_recursive
    return re.sub(r"\s+", "", header + odt.body.text_recursive)


def test_case_files_and_drill_forms_are_exported_as_odf_too(tmp_path: Path) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    assert cli(data, "demo").returncode == 0
    result = cli(data, "cases", "export", "--out", str(out / "cases"), "--odf")
    assert result.returncode == 0, result.stderr
    pdfs = sorted(p.stem for p in (out / "cases").glob("*.pdf"))
    assert pdfs and sorted(p.stem for p in (out / "cases").glob("*.odt")) == pdfs
    texts = [odt_text(p) for p in (out / "cases").glob("*.odt")]
    assert all("危機事件案例檔案" in t and "密等及解密條件或保密期限：普通" in t for t in texts)
    assert any("保存年限：永久" in t for t in texts)  # a 高度危機 case, by the rule

    month = month_start(taipei_today())
    db = open_data_dir(data, "keelung")
    try:
        draw_unit(db, Actor("周執秘", Role.SECRETARY), "keelung", month, seed=2026)
    finally:
        db.close()
    roc = f"{month.year - 1911}/{month.month}"
    result = cli(data, "forms", "export", "--month", roc, "--out", str(out / "drills"), "--odf")
    assert result.returncode == 0, result.stderr
    [odt] = (out / "drills").glob("*.odt")
    assert odt.with_suffix(".pdf").exists()
    text = odt_text(odt)
    assert "危機管理演練單位抽選紀錄" in text and "保存年限：10年" in text and "2026" in text
