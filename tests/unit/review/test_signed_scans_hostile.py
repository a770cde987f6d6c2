"""Issue 20's signed scans attacked with the files a hostile colleague could hand a user: a
TIFF of a hundred thousand frames (counting them kept the worker busy for minutes), a file
name that shows another kind of file than it is. Each is read promptly or refused with the
reason, and nothing is kept of a refused one."""

from __future__ import annotations

import struct
import time
from pathlib import Path

import pytest

from models.core.errors import ValidationError
from models.core.scan_codes import read_codes
from models.review.signed_scans import attach_scan, scans_of
from models.storage.db import Database
from tests.scans import blank_scan
from tests.unit.review.test_signed_scans import _incident
from tests.unit.incidents.test_incidents import HEAD


def _many_frames(count: int) -> bytes:
    """A TIFF of *count* one-pixel frames, each its own directory, all sharing one strip:
    about 100 bytes a frame."""
    entries = ((256, 3, 1), (257, 3, 1), (258, 3, 1), (259, 3, 1), (262, 3, 1),
               (273, 4, 8), (278, 3, 1), (279, 4, 1))
    size = 2 + 12 * len(entries) + 4
    parts = [b"II*\x00", struct.pack("<I", 9), b"\x00"]
    for index in range(count):
        directory = struct.pack("<H", len(entries)) + b"".join(
            struct.pack("<HHII", tag, kind, 1, value) for tag, kind, value in entries)
        following = 9 + (index + 1) * size if index + 1 < count else 0
        parts.append(directory + struct.pack("<I", following))
    return b"".join(parts)


def test_a_tiff_of_many_frames_is_read_at_once() -> None:
    """6 MB, 60,000 frames: only the two first are looked at, as for a PDF (counting every
    frame first took half a minute here, minutes at the size limit)."""
    data = _many_frames(60_000)
    started = time.monotonic()
    assert read_codes(data, ".tif") == ()
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("name", ["scan\u202efdp.png", "scan\x07.pdf", "掃描\u200b.pdf"],
                         ids=["override", "control", "invisible"])
def test_a_scan_whose_name_disguises_it_is_refused(db: Database, tmp_path: Path,
                                                   name: str) -> None:
    incident_id = _incident(db)
    scan = blank_scan(tmp_path / name)
    with pytest.raises(ValidationError) as error:
        attach_scan(db, HEAD, "notification", incident_id, scan, "ABCD-EFGH-JK")
    assert error.value.field == "file"
    assert scans_of(db, "notification", incident_id) == ()
    assert not (db.path.parent / "attachments").exists() or not any(
        (db.path.parent / "attachments").iterdir())
