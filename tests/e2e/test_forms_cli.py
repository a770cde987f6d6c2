"""A month's drill forms from the command line: `forms export --month 115/11 --out DIR`."""

from __future__ import annotations

from pathlib import Path

import pytest

from i18n import _
from models.drills.actions import draw_unit
from models.drills.kinds import month_start, taipei_today
from models.org.people import Actor, Role
from models.org.units import list_units
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


def test_a_character_the_form_font_lacks_is_named_on_stderr_with_file_and_field(
        tmp_path: Path) -> None:
    """A unit left out of the draw for a reason naming 王𡘙 (Extension B, not in the face):
    the record is written (exit code 0) with 〓 in place, and stderr says which file, which
    field and which character."""
    data = tmp_path / "data"
    month = month_start(taipei_today())
    db = open_data_dir(data, "keelung")
    try:
        unit = list_units(db, "keelung")[0].key
        draw_unit(db, Actor("周執秘", Role.SECRETARY), "keelung", month,
                  exclude={unit: "承辦人王𡘙請假"}, seed=2026)
    finally:
        db.close()
    roc = f"{month.year - 1911}/{month.month}"
    result = cli(data, "forms", "export", "--month", roc, "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    [pdf] = (tmp_path / "out").glob("*.pdf")
    assert "王〓請假" in pdf_text(pdf).replace(" ", "")
    field = _("{table}: {column}, row {row}").format(
        table=_("Left out of the draw"), column=_("Reason"), row=1)
    warnings = [line for line in result.stderr.splitlines() if str(pdf) in line]
    assert len(warnings) == 1, result.stderr
    assert _("{field}: {characters}").format(field=field, characters="𡘙 (U+21619)") \
        in warnings[0] and "〓" in warnings[0]
