"""An incident's attachments between PCs: the row and its file arrive together, as the
drill reports' signed copies do; a row or a shared file that is not what it says is refused,
named, and nothing is written from it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from i18n import _
from models.core.content_files import stored_name
from models.incidents.actions import save_statement
from models.incidents.attachment_entities import AttachmentRow
from models.incidents.attachments import attach, attachment_path, attachments_of
from models.org.people import Actor, Role
from models.sync.entities import REFUSED
from tests.sync.conftest import (
    HEAD,
    PC,
    assert_in_sync,
    assert_same_rows,
    found_office,
    new_incident,
    sync,
    sync_all,
)

PHOTO = b"\x89PNG\r\n\x1a\n container 3"
LETTER = b"%PDF-1.4 a legislator's letter"


def test_an_attachment_made_on_one_pc_arrives_with_its_file_on_the_others(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path) -> None:
    a, b, c = pcs
    incident = new_incident(a)
    statement = save_statement(a.db, HEAD, incident, None, kind="clarification",
                               title="新聞稿", text="初稿")
    (tmp_path / "照片.jpg").write_bytes(PHOTO)
    (tmp_path / "來函.pdf").write_bytes(LETTER)
    attach(a.db, HEAD, incident, "incident", incident, tmp_path / "照片.jpg", "3 號櫃")
    attach(a.db, HEAD, incident, "statement", statement, tmp_path / "來函.pdf", "立委來函")

    reports = sync_all(pcs, share)

    assert_in_sync(reports)
    assert_same_rows(pcs)
    for pc in (b, c):
        seen = {a.filename: a for a in attachments_of(pc.db, incident)}
        assert set(seen) == {"照片.jpg", "來函.pdf"}
        assert seen["照片.jpg"].caption == "3 號櫃" and seen["照片.jpg"].attached_by == "林組長"
        assert attachment_path(pc.db, seen["照片.jpg"]).read_bytes() == PHOTO
        assert attachment_path(pc.db, seen["來函.pdf"]).read_bytes() == LETTER
        assert [x.filename for x in attachments_of(pc.db, incident, "statement",
                                                   statement)] == ["來函.pdf"]


SHA = hashlib.sha256(PHOTO).hexdigest()


@pytest.mark.parametrize(("sha", "filename"), [
    ("../crisisdesk", "photo.png"),  # climbs out of attachments/ and blobs/
    (SHA, "photo.png\\..\\..\\x"),  # a Windows path in the suffix
    (SHA, "photo.exe"),  # not a kind of attachment
])
def test_a_row_naming_a_path_is_refused_named_and_nothing_is_written(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path, sha: str, filename: str) -> None:
    """A forged row (a tampered app, or one written into the database file) whose SHA-256 or
    file name is a path: neither sent nor fetched, named in the status, the rest syncs."""
    a, b, _c = pcs
    sync_all(pcs, share)
    incident = new_incident(b)
    with b.db.session() as session:
        session.add(AttachmentRow(incident_id=incident, record_kind="incident",
                                  record_id=incident, sha256=sha, filename=filename, size=1,
                                  caption="", attached_by="林組長", role="unit_head"))
    (share / "crisisdesk").write_bytes(b"planted in the share")
    files_before = {p for p in tmp_path.rglob("*") if p.is_file()}

    b_report, a_report = sync(b, share), sync(a, share)

    for report in (b_report, a_report):
        assert report.reachable and not report.error, report.error
        assert [w for w in report.waiting if "attachments/" in w] == [_(
            "A record names an attachment {file} that is not a plain file name of an allowed "
            "kind: it was neither sent nor fetched.").format(
                file=f"attachments/{stored_name(sha, filename)}")]
        assert report.blobs_sent == report.blobs_received == 0
    new = {p for p in tmp_path.rglob("*") if p.is_file()} - files_before
    assert [p for p in new if not (p.is_relative_to(a.data_dir) or p.is_relative_to(b.data_dir)
                                   or p.is_relative_to(share / "devices"))] == []
    assert not (a.data_dir / "attachments").exists()
    assert [x.filename for x in attachments_of(a.db, incident)] == [filename]


def test_a_shared_file_that_is_not_what_its_hash_says_is_refused_named_and_not_kept(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path) -> None:
    """A file in the share's blobs/ replaced (or damaged) after its PC sent it: the receiver
    names it as damaged and keeps nothing, and fetches the real one once it is back."""
    a, b, _c = pcs
    incident = new_incident(a)
    (tmp_path / "photo.png").write_bytes(PHOTO)
    info = attach(a.db, HEAD, incident, "incident", incident, tmp_path / "photo.png", "")
    sync(a, share)
    shared = share / "blobs" / info.sha256
    assert shared.read_bytes() == PHOTO
    shared.write_bytes(b"something else entirely")

    report = sync(b, share)

    assert _("{file}: damaged").format(file=f"blobs/{info.sha256}") in report.waiting
    assert report.blobs_received == 0
    assert [x.filename for x in attachments_of(b.db, incident)] == ["photo.png"]
    assert not attachment_path(b.db, info).exists()
    shared.unlink()  # a person removes it; the sender writes it again
    sync(a, share)
    assert sync(b, share).blobs_received == 1
    assert attachment_path(b.db, info).read_bytes() == PHOTO


def test_an_attachment_in_another_persons_name_is_refused_everywhere(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path) -> None:
    """B is enrolled for the unit head: an attachment it writes in the executive secretary's
    name (an edited settings file, a modified app) is refused by every receiver, kept as
    evidence and named; its file is never fetched."""
    a, b, _c = pcs
    secretary = Actor("王主秘", Role.SECRETARY)
    found_office([a], share, tmp_path / "authority.pem", secretary).enrol(b, HEAD)
    incident = new_incident(a)
    sync_all([a, b], share)
    (tmp_path / "photo.png").write_bytes(PHOTO)
    attach(b.db, secretary, incident, "incident", incident, tmp_path / "photo.png", "冒名")

    sync(b, share)
    report = sync(a, share)

    assert attachments_of(a.db, incident) == ()
    assert not (a.data_dir / "attachments").exists()
    with a.db.session() as session:
        reasons = list(session.scalars(select(REFUSED.c.reason).where(
            REFUSED.c.tbl == "incident_attachments")))
    assert reasons == [
        "it names another person as its author than the one its PC is enrolled for"]
    assert any(_("Attachment") in line for line in report.refused)
