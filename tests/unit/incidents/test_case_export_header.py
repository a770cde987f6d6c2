"""The archived case files exported for the records system (`main.py cases export`) carry each
case's 公文 header as the window prints it: 檔號, 保存年限 (永久 for a case at the first
level, by the rule), 速別 and 密等 on every page, and a classified case's marking as the first
and the last line of every page."""

from __future__ import annotations

from pathlib import Path

from models.incidents.case_import import load_demo
from models.incidents.entities import IncidentRow
from models.incidents.print import export_case_files
from models.org.people import Actor, Role
from models.storage.db import Database
from tests.unit.forms.test_forms_official import pages

TZ = "Asia/Taipei"


def test_every_exported_case_file_carries_its_header(db: Database, tmp_path: Path) -> None:
    load_demo(db, Actor("林企劃", Role.PLANNING), "keelung")
    with db.session() as session:  # marked before it was archived (an archived case is locked)
        row = session.query(IncidentRow).order_by(IncidentRow.started_at).first()
        assert row is not None
        row.doc_file_number, row.doc_classification, row.doc_declassify = (
            "110/0105.02/1/1", "restricted", "本案結案後解密")
    written = {w.path.name: w.path for w in export_case_files(db, "keelung", tmp_path / "out",
                                                             TZ)}
    assert len(written) >= 2
    secret = next(p for p in written.values()
                  if "檔號：110/0105.02/1/1" in pages(p.read_bytes(), tmp_path)[0])
    for path in written.values():
        for page in pages(path.read_bytes(), tmp_path):
            assert any(line.startswith("保存年限：") for line in page), path.name
            assert "速別：普通件" in page
            if path == secret:
                assert page[0] == "密" and page[-1] == "密"
                assert "保存年限：永久" in page  # a 高度危機 case, by the rule
                assert "密等及解密條件或保密期限：密（本案結案後解密）" in page
            else:
                assert "密" not in (page[0], page[-1])
                assert "密等及解密條件或保密期限：普通" in page
