"""The month's drill forms exported for the file copy (`main.py forms export`) carry the drill's
公文 header as the drills screen prints them: 檔號, 保存年限, 速別 and 密等 on every page, and
a classified drill's marking as the first and the last line of every page."""

from __future__ import annotations

from pathlib import Path

from models.drills.export import export_month_forms
from models.drills.kinds import month_start, taipei_today
from models.drills.record_header import set_drill_header
from models.playbook.records import RecordHeader
from models.storage.db import Database
from tests.unit.drills.test_report_codes import SECRETARY, _signed_report
from tests.unit.forms.test_forms_official import pages

TZ = "Asia/Taipei"


def test_the_exported_forms_carry_the_drills_header_and_marking(db: Database,
                                                                tmp_path: Path) -> None:
    drill_id, _report = _signed_report(db)
    set_drill_header(db, SECRETARY, drill_id, RecordHeader(
        file_number="115/0105.02/2/3", classification="restricted",
        declassify="演練評核完成後解密"))
    written = export_month_forms(db, "keelung", month_start(taipei_today()), tmp_path, TZ)
    names = sorted(w.path.name for w in written)
    assert [n.split("-")[0] for n in names] == ["draw", "drill"]  # the draw record, the report
    for form in written:
        for page in pages(form.path.read_bytes(), tmp_path):
            assert page[0] == "密" and page[-1] == "密", form.path.name
            assert "檔號：115/0105.02/2/3" in page and "保存年限：10年" in page
            assert "密等及解密條件或保密期限：密（演練評核完成後解密）" in page
