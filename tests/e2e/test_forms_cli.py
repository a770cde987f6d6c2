"""A month's drill forms from the command line: `forms export --month 115/11 --out DIR`."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.drill_kinds import month_start, taipei_today
from models.drills import draw_unit
from models.people import Actor, Role
from models.startup import open_data_dir
from tests.e2e.test_cases_cli import pdf_text
from tests.e2e.test_cli import cli

pytestmark = pytest.mark.slow


def test_a_months_draw_records_are_written_and_a_bad_month_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    month = month_start(taipei_today())
    db = open_data_dir(data, "keelung")
    try:
        draw = draw_unit(db, Actor("周執秘", Role.SECRETARY), "keelung", month,
                         seed=8_675_309_123)
    finally:
        db.close()
    roc = f"{month.year - 1911}/{month.month}"
    result = cli(data, "forms", "export", "--month", roc, "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    [pdf] = (tmp_path / "out").glob("*.pdf")
    text = pdf_text(pdf).replace(" ", "")
    assert "8675309123" in text and draw.result.name_zh in text and "演練" in text

    bad = cli(data, "forms", "export", "--month", "11/x", "--out", str(tmp_path / "out"))
    assert bad.returncode == 1 and "--month" in bad.stderr
