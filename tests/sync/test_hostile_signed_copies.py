"""Signed copies between enrolled PCs (models.review.signed_scans_policy): an honest scan of any
form arrives on the other PCs, while a copy a tampered app forges (in another's name, of the
office's own paper by a unit head, of no form or no record, dated ahead) or a rewrite or
removal of one filed is refused on the receiving PC, with its reason, and nothing of it is
applied. An archived case still takes its signed paper (its case file is signed when closed)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from models.drills.actions import draw_unit
from models.drills.kinds import taipei_today
from models.drills.reports.signed_copy_entities import SignedCopyRow
from models.incidents.entities import IncidentRow
from models.incidents.queries import incident_view
from models.incidents.situation_reports import file_report, snapshot_of
from models.review.signed_scans import attach_scan, scans_of
from models.schema import RULES
from models.storage.db import utcnow
from models.sync.capture import record_edits
from tests.sync.conftest import (
    HEAD,
    PC,
    found_office,
    new_incident,
    refusal_reasons,
    sync,
    sync_all,
)
from tests.sync.test_sync_basic import SECRETARY
from tests.unit.incidents.test_incidents import _run_to_archive

CODE = "ABCD-EFGH-JK"
"""A code typed off a scan without a readable QR code (of none of the record's versions)."""


@pytest.fixture
def office(pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path) -> tuple[PC, PC]:
    """A, the authority's PC, enrolled for the executive secretary; B for the unit head."""
    a, b, _c = pcs
    found_office([a], share, tmp_path / "authority.pem", SECRETARY).enrol(b, HEAD)
    return a, b


def _scan(tmp_path: Path, name: str = "scan.png") -> Path:
    """A scan on which no QR code can be read (so the typed code names the paper)."""
    path = tmp_path / name
    Image.new("L", (200, 120), 255).save(path)
    return path


def _shown(pc: PC, incident: str) -> dict[str, object]:
    """The snapshot a situation report filed now stores (as the stage-3 section shows it)."""
    return snapshot_of(incident_view(pc.db, incident, utcnow(), 0), {})


def _copies(pc: PC) -> list[tuple[str, str, str]]:
    with pc.db.session() as session:
        return [(r.record_kind, r.record_id, r.attached_by) for r in session.scalars(
            select(SignedCopyRow).order_by(SignedCopyRow.attached_at))]


def _forge(pc: PC, **values: object) -> str:
    """A signed copy written straight into *pc*'s database (a tampered app): its id."""
    row = SignedCopyRow(**{"record_kind": "notification", "record_id": "", "sha256": "0" * 64,
                           "filename": "scan.png", "size": 1, "typed_code": CODE,
                           "attached_by": HEAD.name, **values})
    with pc.db.session() as session:
        session.add(row)
        session.flush()
        return str(row.id)


def _ids(pc: PC) -> set[str]:
    with pc.db.session() as session:
        return set(session.scalars(select(SignedCopyRow.id)))


def test_honest_scans_of_an_incidents_form_and_the_annual_review_arrive(
        office: tuple[PC, PC], share: Path, tmp_path: Path) -> None:
    """B opens a case and files its notification form's scan before it ever syncs (the case
    and the copy in one file), then a situation report and its scan; A, the executive secretary, files the annual review's and the
    draw record's. Each arrives on the other PC, nothing refused."""
    a, b = office
    incident = new_incident(b)
    attach_scan(b.db, HEAD, "notification", incident, _scan(tmp_path), CODE)
    report = file_report(b.db, HEAD, incident, _shown(b, incident), "續查").id
    attach_scan(b.db, HEAD, "situation_report", report, _scan(tmp_path), CODE)
    year = utcnow().year
    attach_scan(a.db, SECRETARY, "annual_review", f"keelung:{year}", _scan(tmp_path), CODE)
    draw = draw_unit(a.db, SECRETARY, "keelung", taipei_today(), seed=7)
    attach_scan(a.db, SECRETARY, "drill_draw", draw.id, _scan(tmp_path), CODE)

    sync_all([b, a, b], share)

    for pc in (a, b):
        assert sorted(_copies(pc)) == [("annual_review", f"keelung:{year}", SECRETARY.name),
                                       ("drill_draw", draw.id, SECRETARY.name),
                                       ("notification", incident, HEAD.name),
                                       ("situation_report", report, HEAD.name)]
        assert [s.attached_by for s in scans_of(pc.db, "notification", incident)] == [HEAD.name]
        assert refusal_reasons(pc, "signed_copies") == []


FORGERIES = {
    "in another's name": ("b", lambda i: {"record_id": i, "attached_by": SECRETARY.name},
                          "it names another person as its author than the one its PC is "
                          "enrolled for"),
    "the office's paper by a unit head": (
        "b", lambda i: {"record_kind": "annual_review", "record_id": f"keelung:{utcnow().year}"},
        "the role of the PC that wrote it may not do this"),
    "of no form": ("b", lambda i: {"record_kind": "statement", "record_id": i},
                   "it is a signed copy of no form the app prints with a code"),
    "of no record": ("b", lambda i: {"record_kind": "case_file", "record_id": i[::-1]},
                     "it names a record this PC does not have"),
    "of a drill report, naming a case": ("b", lambda i: {"record_kind": "drill_report",
                                                         "record_id": i},
                                         "it names a record this PC does not have"),
    "of no registration form's inquiry": (
        "b", lambda i: {"record_kind": "favour_registration", "record_id": i},
        "it names a record this PC does not have"),
    "dated ahead": ("b", lambda i: {"record_id": i, "attached_at": utcnow() + timedelta(days=9)},
                    "it is dated ahead of this PC's clock by more than a day"),
    "named to pass for another kind of file": (
        "b", lambda i: {"record_id": i, "filename": "scan\u202efdp.png"},
        "its file name holds a path sign or a hidden character"),
    "of no year's review": ("a", lambda i: {"record_kind": "annual_review",
                                           "record_id": "keelung:9999",
                                           "attached_by": SECRETARY.name},
                            "it names no year's annual review"),
}


@pytest.mark.parametrize("forgery", FORGERIES)
def test_a_forged_signed_copy_is_refused_with_its_reason(
        office: tuple[PC, PC], share: Path, forgery: str) -> None:
    """A tampered app writes the copy straight into its database; the other PC refuses it,
    named, and applies nothing of it, while the rest of the same file syncs."""
    a, b = office
    incident = new_incident(b)
    sync_all([b, a], share)
    which, values, reason = FORGERIES[forgery]
    forger, receiver = (b, a) if which == "b" else (a, b)
    forged = _forge(forger, **values(incident))
    new_incident(forger, "同檔的真案件", HEAD if forger is b else SECRETARY)

    sync(forger, share)
    report = sync(receiver, share)

    assert refusal_reasons(receiver, "signed_copies") == [reason]
    assert len(report.refused) == 1
    assert forged not in _ids(receiver)
    assert "同檔的真案件" in {r.title for r in _incidents(receiver)}


def _incidents(pc: PC) -> list[IncidentRow]:
    with pc.db.session() as session:
        rows = list(session.scalars(select(IncidentRow)))
        session.expunge_all()
        return rows


def test_a_filed_copy_is_never_rewritten_nor_removed(
        office: tuple[PC, PC], share: Path, tmp_path: Path) -> None:
    """A files a scan; B's tampered app rewrites it (in its own name) and then removes it:
    A refuses both, and its copy stays as filed."""
    a, b = office
    incident = new_incident(b)
    sync_all([b, a], share)
    filed = attach_scan(a.db, SECRETARY, "case_file", incident, _scan(tmp_path), CODE)
    sync_all([a, b], share)
    with b.db.session() as session:
        row = session.get(SignedCopyRow, filed.id)
        assert row is not None
        row.attached_by, row.typed_code = HEAD.name, "ZZZZ-ZZZZ-ZZ"
    with b.db.session() as session:
        record_edits(session.connection(), RULES,
                     [("signed_copies", filed.id, {"deleted_at": utcnow()}, False)])

    sync(b, share)
    sync(a, share)

    assert refusal_reasons(a, "signed_copies") == [
        "a record that is never changed once written"] * 2
    (kept,) = scans_of(a.db, "case_file", incident)
    assert (kept.attached_by, kept.code) == (SECRETARY.name, CODE)


def test_an_archived_cases_signed_paper_is_filed_and_synced(
        office: tuple[PC, PC], share: Path, tmp_path: Path) -> None:
    """The case file is printed and signed when the case is closed: B archives the case, then
    files the signed case file's scan; A, which filed the notification form's scan offline
    before the archive reached it, keeps its own. Both reach both PCs, none refused."""
    a, b = office
    incident = new_incident(b)
    sync_all([b, a], share)
    _run_to_archive(b.db, incident)
    offline = attach_scan(a.db, SECRETARY, "notification", incident, _scan(tmp_path), CODE)
    after = attach_scan(b.db, HEAD, "case_file", incident, _scan(tmp_path), CODE)
    sync_all([b, a, b], share)

    assert refusal_reasons(a, "signed_copies") == refusal_reasons(b, "signed_copies") == []
    assert _ids(a) == _ids(b) == {offline.id, after.id}
