"""Issue 20's 公文 header attacked from a hostile enrolled PC (a tampered app writing its own
database, whose capture signs the rows): a unit head declassifying a case or shortening its
retention, values padded so that they pass the check but are none the app knows, line
floods and direction overrides in the 檔號 and the 解密條件, a header changed on an archived
case. Each is refused by every receiver with its reason, nothing of it applied, and the
receiver's forms still print."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from models.core.errors import ValidationError
from models.incidents.entities import IncidentRow
from models.incidents.record_header import (
    incident_header,
    incident_official_header,
    set_incident_header,
)
from models.playbook.records import RecordHeader
from tests.sync.conftest import (
    HEAD,
    PC,
    SECRETARY,
    assert_same_rows,
    conflicts,
    found_office,
    new_incident,
    refusal_reasons,
    sync,
    sync_all,
)

WRONG_ROLE = "the role of the PC that wrote it may not do this"
INVALID = "its document header is not one the app accepts"
SECRET = RecordHeader(file_number="115/0105.02/1/7", retention="permanent", speed="urgent",
                      classification="secret", declassify="本案結案後解密")


def _write(pc: PC, incident_id: str, **values: str) -> None:
    """What a tampered app does: the doc_* columns written straight, signed by its capture."""
    with pc.db.session() as session:
        row = session.get(IncidentRow, incident_id)
        assert row is not None
        for column, value in values.items():
            setattr(row, column, value)
        row.touch("x")


def _secretaries(a: PC, b: PC, share: Path, tmp_path: Path) -> str:
    """Two PCs of the executive secretary (B the tampered one), and a case A classified."""
    found_office([a, b], share, tmp_path / "authority.pem", actor=SECRETARY)
    incident = new_incident(a, actor=SECRETARY)
    set_incident_header(a.db, SECRETARY, incident, SECRET)
    sync_all([a, b], share)
    return incident


def test_a_unit_head_cannot_declassify_a_case_or_shorten_its_retention(
        make_pc: Callable[[str], PC], share: Path, tmp_path: Path) -> None:
    """B, a unit head's PC, writes the secretary's 密 case as open, kept a year, not urgent,
    filed elsewhere: every field refused (one change, one reason); A keeps the secretary's."""
    a, b = make_pc("A"), make_pc("B")
    office = found_office([a], share, tmp_path / "authority.pem", actor=SECRETARY)
    office.enrol(b, HEAD)
    incident = new_incident(a, actor=SECRETARY)
    set_incident_header(a.db, SECRETARY, incident, SECRET)
    sync_all([a, b], share)
    for values in ({"doc_classification": "open", "doc_declassify": ""},
                   {"doc_retention": "1"}, {"doc_file_number": "115/9999/9/9"}):
        _write(b, incident, **values)
        sync_all([a, b], share)

    assert incident_header(a.db, incident) == SECRET
    assert refusal_reasons(a, "incidents") == [WRONG_ROLE] * 3


@pytest.mark.parametrize("values", [
    {"doc_classification": " secret"},
    {"doc_classification": "top_secret\n"},
    {"doc_classification": "open ", "doc_declassify": ""},
    {"doc_retention": " 5"},
    {"doc_retention": "0099"},
    {"doc_speed": "\turgent"},
], ids=["classification-space", "classification-newline", "open-space", "retention",
        "retention-zeros", "speed"])
def test_a_value_padded_past_the_check_is_refused(make_pc: Callable[[str], PC], share: Path,
                                                   tmp_path: Path,
                                                   values: dict[str, str]) -> None:
    """The secretary's own tampered PC stores " secret": trimmed, it passes the check, but
    stored as sent it is no classification the app knows: the forms of the case failed to
    print (its marking looked up) and the lists showed no 【密】. Refused; A prints."""
    a, b = make_pc("A"), make_pc("B")
    incident = _secretaries(a, b, share, tmp_path)
    _write(b, incident, **values)
    sync_all([a, b], share)

    assert incident_header(a.db, incident) == SECRET
    assert refusal_reasons(a, "incidents") == [INVALID]
    assert incident_official_header(a.db, incident).marking


FLOOD = "x" + "\n" * 58 + "x"
UNREADABLE = {
    "file-number-newlines": {"doc_file_number": FLOOD},
    "file-number-returns": {"doc_file_number": "115/0105\r" * 6},
    "file-number-bidi": {"doc_file_number": "115/0105.02/\u202e7/1"},
    "file-number-zero-width": {"doc_file_number": "115/0105.02/1/7\u200b"},
    "file-number-nul": {"doc_file_number": "115/0105\x00.02/1/7"},
    "declassify-newlines": {"doc_declassify": "解" + "\n" * 198 + "密"},
    "declassify-separators": {"doc_declassify": "解" + "\u2028" * 198 + "密"},
}


@pytest.mark.parametrize("values", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_a_header_that_breaks_the_printed_page_is_refused(make_pc: Callable[[str], PC], share: Path,
                                                           tmp_path: Path,
                                                           values: dict[str, str]) -> None:
    """Within the column's length, a flood of line breaks pushed the office, the title and the
    classification's condition off the top of every printed page; an override reversed the
    檔號 as printed. Refused by the receiver, and by the local act with the field named."""
    a, b = make_pc("A"), make_pc("B")
    incident = _secretaries(a, b, share, tmp_path)
    _write(b, incident, **values)
    sync_all([a, b], share)

    assert incident_header(a.db, incident) == SECRET
    assert refusal_reasons(a, "incidents") == [INVALID]
    ((column, value),) = values.items()
    field = column.removeprefix("doc_")
    with pytest.raises(ValidationError) as error:
        set_incident_header(a.db, SECRETARY, incident,
                            RecordHeader(**{**SECRET.__dict__, field: value}))
    assert error.value.field == column


def test_the_header_of_an_archived_case_stays_as_archived(
        make_pc: Callable[[str], PC], share: Path, tmp_path: Path) -> None:
    """A (a unit head's PC) archives the case; B, the secretary's, tampered, files and
    declassifies it, before and after receiving the archiving: C applies neither over the
    archived case and lists each as a change of a locked record for a person to see (the
    change of a field the case never had names no lock it knew, so it counts as concurrent
    with the archiving: docs/sync.md, "Locked records stay locked")."""
    from tests.sync.test_sync_basic import _archived_on_a_while_b_edits

    a, b, c = make_pc("A"), make_pc("B"), make_pc("C")
    office = found_office([a], share, tmp_path / "authority.pem")
    office.enrol(b, SECRETARY)
    office.enrol(c, HEAD)

    def concurrent(pc: PC, incident: str) -> None:
        _write(pc, incident, doc_file_number="115/0001/1/1")

    incident = _archived_on_a_while_b_edits((a, b, c), share, concurrent)
    sync_all([a, b, c], share)
    _write(b, incident, doc_classification="top_secret", doc_declassify="永不解密")
    sync(b, share)
    sync(c, share)

    assert incident_header(c.db, incident) == RecordHeader()
    assert {(f, kind) for _t, row, f, kind in conflicts(c) if row == incident} >= {
        ("doc_file_number", "locked"), ("doc_classification", "locked"),
        ("doc_declassify", "locked")}


def test_a_header_set_by_the_secretary_still_reaches_every_pc(
        make_pc: Callable[[str], PC], share: Path, tmp_path: Path) -> None:
    """The checks refuse only what the app never writes: a header set in the window, with
    the longest 檔號 and condition it takes, reaches the other PC as set."""
    a, b = make_pc("A"), make_pc("B")
    found_office([a, b], share, tmp_path / "authority.pem", actor=SECRETARY)
    incident = new_incident(a, actor=SECRETARY)
    longest = RecordHeader(file_number="1" * 60, retention="99", speed="most_urgent",
                           classification="top_secret", declassify="解" * 200)
    set_incident_header(a.db, SECRETARY, incident, longest)
    sync_all([a, b], share)

    assert incident_header(b.db, incident) == longest
    assert refusal_reasons(b, "incidents") == []
    assert_same_rows([a, b])


def test_an_attachment_named_to_pass_for_another_kind_of_file_is_refused(
        make_pc: Callable[[str], PC], share: Path, tmp_path: Path) -> None:
    """The window refuses a file name with a direction override ("scan\u202efdp.png" shown as
    "scangnp.pdf"); a tampered app that writes one all the same is refused by the receiver,
    which keeps the rest of the file."""
    from models.incidents.attachment_entities import AttachmentRow

    a, b = make_pc("A"), make_pc("B")
    found_office([a, b], share, tmp_path / "authority.pem")
    incident = new_incident(b)
    sync_all([b, a], share)
    with b.db.session() as session:
        forged = AttachmentRow(incident_id=incident, record_kind="incident", record_id=incident,
                               sha256="0" * 64, filename="scan\u202efdp.png", size=1,
                               caption="掃描", attached_by=HEAD.name, role=HEAD.role.value)
        session.add(forged)
        session.flush()
        forged_id = forged.id
    new_incident(b, "同檔的真案件")
    sync(b, share)
    sync(a, share)

    assert refusal_reasons(a, "incident_attachments") == [
        "its file name holds a path sign or a hidden character"]
    with a.db.session() as session:
        assert session.get(AttachmentRow, forged_id) is None
        assert session.query(IncidentRow).filter_by(title="同檔的真案件").count() == 1
