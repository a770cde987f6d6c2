"""Files attached to an incident or its statements: stored by content, within the size limit,
of an allowed kind and with a plain name; never to an archived case, never lost by one."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from i18n import _
from models.core.errors import UserError, ValidationError
from models.incidents.actions import open_incident, save_statement
from models.incidents.attachments import (
    MAX_ATTACHMENT_BYTES,
    attach,
    attachment_path,
    attachments_of,
    viewer_copy,
    viewer_name,
)
from models.org.people import Actor, Role
from models.storage.db import Database
from models.sync.run import _BLOB_LIMIT
from tests.unit.incidents.test_incidents import HEAD, _run_to_archive, draft

PHOTO = b"\x89PNG\r\n\x1a\n a container photo"


def _file(folder: Path, name: str, data: bytes = PHOTO) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _stored(db: Database) -> list[str]:
    folder = db.path.parent / "attachments"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_file_is_stored_under_its_hash_and_listed_with_who_and_when(
        db: Database, tmp_path: Path) -> None:
    incident = open_incident(db, HEAD, "keelung", draft())
    info = attach(db, HEAD, incident, "incident", incident, _file(tmp_path, "貨櫃照片.PNG"),
                  "  西岸碼頭 3 號櫃  ")
    sha = hashlib.sha256(PHOTO).hexdigest()
    assert (info.sha256, info.stored, info.size) == (sha, f"{sha}.png", len(PHOTO))
    assert attachment_path(db, info).read_bytes() == PHOTO
    [listed] = attachments_of(db, incident, "incident", incident)
    assert (listed.filename, listed.caption, listed.attached_by) == (
        "貨櫃照片.PNG", "西岸碼頭 3 號櫃", "林組長")
    assert listed.is_image and listed.attached_at == info.attached_at


def test_the_same_bytes_attached_twice_are_stored_once(db: Database, tmp_path: Path) -> None:
    incident = open_incident(db, HEAD, "keelung", draft())
    statement = save_statement(db, HEAD, incident, None, kind="clarification", title="新聞稿",
                               text="初稿")
    attach(db, HEAD, incident, "incident", incident, _file(tmp_path, "a.png"), "")
    attach(db, HEAD, incident, "statement", statement, _file(tmp_path, "b.png"), "同一張")
    assert _stored(db) == [f"{hashlib.sha256(PHOTO).hexdigest()}.png"]
    assert [a.filename for a in attachments_of(db, incident)] == ["a.png", "b.png"]
    assert [a.filename for a in attachments_of(db, incident, "statement", statement)] == [
        "b.png"]


def test_the_limit_lets_every_accepted_file_travel_by_sync() -> None:
    assert MAX_ATTACHMENT_BYTES <= _BLOB_LIMIT


def test_a_file_over_the_limit_is_refused_naming_the_limit(
        db: Database, tmp_path: Path) -> None:
    incident = open_incident(db, HEAD, "keelung", draft())
    big = tmp_path / "錄影.mp4"
    with open(big, "wb") as fh:
        fh.truncate(MAX_ATTACHMENT_BYTES + 1)
    with pytest.raises(ValidationError) as caught:
        attach(db, HEAD, incident, "incident", incident, big, "")
    assert caught.value.field == "file"
    assert caught.value.message() == "file: " + _("The file is larger than {limit} MB.").format(
        limit=25)
    assert attachments_of(db, incident) == () and _stored(db) == []


@pytest.mark.parametrize("name", ["setup.exe", "run.bat", "macro.js", "noext", "page.html"])
def test_a_kind_of_file_not_allowed_is_refused(db: Database, tmp_path: Path,
                                               name: str) -> None:
    incident = open_incident(db, HEAD, "keelung", draft())
    with pytest.raises(ValidationError) as caught:
        attach(db, HEAD, incident, "incident", incident, _file(tmp_path, name), "")
    assert caught.value.field == "file"
    assert attachments_of(db, incident) == () and _stored(db) == []


@pytest.mark.parametrize("name", [
    "photo\u202egnp.exe.png",  # a right-to-left override shows another name
    "a\x07bell.png", "line\nbreak.png", "tab\tname.png", "back\\slash.png",
    "bad\udcffname.png",  # a name that is not UTF-8, as Python reads it on Linux
])
def test_a_hostile_file_name_is_refused(db: Database, tmp_path: Path, name: str) -> None:
    incident = open_incident(db, HEAD, "keelung", draft())
    path = Path(os.fsdecode(os.fsencode(tmp_path))) / name
    try:
        path.write_bytes(PHOTO)
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses the name itself")
    with pytest.raises(ValidationError) as caught:
        attach(db, HEAD, incident, "incident", incident, path, "")
    assert caught.value.field == "file"
    assert attachments_of(db, incident) == () and _stored(db) == []


def test_a_pipe_is_refused_without_waiting(db: Database, tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    incident = open_incident(db, HEAD, "keelung", draft())
    pipe = tmp_path / "photo.png"
    os.mkfifo(pipe)
    with pytest.raises(ValidationError):
        attach(db, HEAD, incident, "incident", incident, pipe, "")


def test_a_statement_of_another_incident_is_refused(db: Database, tmp_path: Path) -> None:
    first = open_incident(db, HEAD, "keelung", draft())
    other = open_incident(db, HEAD, "keelung", draft(title="另一案"))
    statement = save_statement(db, HEAD, other, None, kind="clarification", title="新聞稿",
                               text="初稿")
    with pytest.raises(UserError):
        attach(db, HEAD, first, "statement", statement, _file(tmp_path, "a.png"), "")
    with pytest.raises(ValidationError):
        attach(db, HEAD, first, "email", first, _file(tmp_path, "a.png"), "")


def test_an_archived_case_keeps_its_attachments_and_takes_no_new_one(
        db: Database, tmp_path: Path) -> None:
    incident = open_incident(db, HEAD, "keelung", draft())
    statement = save_statement(db, HEAD, incident, None, kind="clarification", title="新聞稿",
                               text="初稿")
    attach(db, HEAD, incident, "incident", incident, _file(tmp_path, "photo.jpg"), "現場")
    attach(db, HEAD, incident, "statement", statement, _file(tmp_path, "letter.pdf", b"%PDF"),
           "來函")
    before = attachments_of(db, incident)

    _run_to_archive(db, incident)

    assert attachments_of(db, incident) == before and len(before) == 2
    assert all(attachment_path(db, a).exists() for a in before)
    with pytest.raises(UserError) as caught:
        attach(db, Actor("王主秘", Role.SECRETARY), incident, "incident", incident,
               _file(tmp_path, "late.png"), "")
    assert caught.value.message() == _(
        "This incident is archived as a case file: nothing can be attached to it any more. "
        "Its attachments are kept.")
    assert attachments_of(db, incident) == before


@pytest.mark.parametrize(("name", "shown"), [
    ("貨櫃照片.JPG", "貨櫃照片.jpg"),
    ("a<b>:c?.pdf", "a_b__c_.pdf"),
    ("CON.png", "_CON.png"),  # a device's name on Windows
    (" .hidden.txt", "hidden.txt"),
    ("..txt", "_.txt"),
])
def test_the_viewers_copy_has_a_safe_version_of_the_name(name: str, shown: str) -> None:
    assert viewer_name(name) == shown


def test_the_viewers_copy_is_made_only_of_the_file_its_hash_names(
        db: Database, tmp_path: Path) -> None:
    incident = open_incident(db, HEAD, "keelung", draft())
    info = attach(db, HEAD, incident, "incident", incident, _file(tmp_path, "photo.png"), "")
    copy = viewer_copy(db, info, tmp_path / "viewer")
    assert copy == tmp_path / "viewer" / "photo.png" and copy.read_bytes() == PHOTO
    attachment_path(db, info).write_bytes(b"replaced")
    with pytest.raises(UserError) as caught:
        viewer_copy(db, info, tmp_path / "again")
    assert caught.value.message() == _(
        "The file of this attachment on this PC is damaged: it is not opened.")
    attachment_path(db, info).unlink()  # not arrived yet (another PC's, before its sync)
    with pytest.raises(UserError) as caught:
        viewer_copy(db, info, tmp_path / "again")
    assert caught.value.message() == _(
        "The file of this attachment has not reached this PC yet: the next sync brings it.")
    assert not (tmp_path / "again").exists()


def test_a_letter_attaches_to_an_inquiry_of_its_incident_only(db: Database,
                                                               tmp_path: Path) -> None:
    """A legislator's letter is kept with the inquiry it brought; an inquiry of another
    incident is no record of this one."""
    from models.incidents.inquiry_actions import save_inquiry
    from tests.unit.incidents.test_inquiries import inquiry

    first = open_incident(db, HEAD, "keelung", draft())
    other = open_incident(db, HEAD, "keelung", draft(title="另一案"))
    own = save_inquiry(db, HEAD, first, None, inquiry())
    foreign = save_inquiry(db, HEAD, other, None, inquiry())

    attach(db, HEAD, first, "inquiry", own, _file(tmp_path, "來函.pdf"), "李委員來函")

    assert [(a.record_kind, a.record_id, a.caption) for a in attachments_of(db, first)] == [
        ("inquiry", own, "李委員來函")]
    with pytest.raises(UserError):
        attach(db, HEAD, first, "inquiry", foreign, _file(tmp_path, "b.pdf"), "")


def test_the_archive_finds_a_case_by_a_legislators_inquiry_and_an_attachments_caption(
        db: Database, tmp_path: Path) -> None:
    """Which case did 立委 X call about, which one holds the photo of container 3?"""
    from models.incidents.case_search import CaseQuery, search_cases
    from models.incidents.inquiry_actions import save_inquiry
    from tests.unit.incidents.test_incidents import _run_to_archive
    from tests.unit.incidents.test_inquiries import inquiry

    incident_id = open_incident(db, HEAD, "keelung", draft())
    save_inquiry(db, HEAD, incident_id, None, inquiry(rep_name="賴委員"))
    attach(db, HEAD, incident_id, "incident", incident_id, _file(tmp_path, "a.png"),
           "三號貨櫃夾層照片")
    _run_to_archive(db, incident_id)

    for words in ("賴委員", "貨櫃夾層照片"):
        assert [c.id for c in search_cases(db, "keelung", CaseQuery(text=words))] == [
            incident_id], words
