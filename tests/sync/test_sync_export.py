"""What a PC writes to the share is written from its history's texts (models.sync.run._pack):
the file must be the one the segment writer makes of the changes it holds, byte for byte, so
that its checksum, its signature and the chain of the files after it are what an older app
writes and checks."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from models.incidents.actions import add_entry, set_field
from models.storage.db import utcnow
from models.sync.entities import SyncVersionRow
from models.sync.segment import decode_segment, encode_segment
from tests.sync.conftest import HEAD, PC, assert_in_sync, field_value, new_incident, sync, sync_all

TEXTS = ['他說："請回報"', "第一行\n第二行\r\n\t縮排", "C:\\資料\\案件 \\u5de1", "🚢 貨櫃 😀",
         "</script>\u2028\u2029", "巡查第0次，一切正常"]


def test_a_pcs_files_are_what_the_writer_makes_of_its_changes(pcs: tuple[PC, PC, PC],
                                                              share: Path) -> None:
    a, b, _c = pcs
    incident = new_incident(a, TEXTS[0])
    for text in TEXTS:  # each replaces the one before: its bases
        set_field(a.db, HEAD, incident, "s2.information", text)
        add_entry(a.db, HEAD, incident, "note", text, utcnow())

    assert sync(a, share).sent_changes

    with a.db.session() as session:
        stored = {vid: value for vid, value in session.execute(
            select(SyncVersionRow.version_id, SyncVersionRow.value))}
    files = sorted((share / "devices" / a.device / "log").glob("*.seg"))
    for seq, path in enumerate(files, start=1):
        data = path.read_bytes()
        segment = decode_segment(data, device=a.device, seq=seq)
        assert data == encode_segment(a.signing_key, seq, segment.created, segment.app,
                                      segment.deps, segment.changes, prev=segment.prev)
        assert all(fv.value == json.loads(stored[fv.version_id])
                   for change in segment.changes for fv in change.fields.values())
    assert_in_sync(sync_all(pcs, share))
    assert field_value(b, incident, "s2.information") == TEXTS[-1]
