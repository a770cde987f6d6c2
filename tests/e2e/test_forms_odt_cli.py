"""`main.py forms sample --odf`: every form the app prints, as an ODF text document beside its
PDF, to try an office suite as the PDFs try a printer."""

from __future__ import annotations

import io
from pathlib import Path

from odfdo import Document

from tests.e2e.test_cli import cli


def test_forms_sample_writes_every_form_as_odf_too(tmp_path: Path) -> None:
    out = tmp_path / "samples"
    result = cli(tmp_path / "data", "forms", "sample", "--out", str(out), "--odf")
    assert result.returncode == 0, result.stderr
    pdfs = sorted(p.stem for p in out.glob("*.pdf"))
    assert sorted(p.stem for p in out.glob("*.odt")) == pdfs and len(pdfs) == 10
    for path in out.glob("*.odt"):
        odt = Document(io.BytesIO(path.read_bytes()))
        header = odt.get_style("master-page", "Standard").get_page_header().text_recursive
        assert "財政部關務署基隆關" in header, path.name
    report = Document(io.BytesIO((out / "sample-drill-report.odt").read_bytes()))
    assert "代" in report.body.text_recursive
