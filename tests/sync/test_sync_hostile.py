"""What a hostile program with write access to the share, or to this PC's data folder, puts in
the sync's way: links and pipes under the names the sync writes, links in place of the
share's folders, attachments that are not what their names say, names that are not UTF-8.
Nothing is written or read through a link, nothing blocks, and the status names the file."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest

from i18n import _
from tests.damage import plant_at_temporary_name
from tests.scans import blank_scan
from tests.sync.conftest import PC, assert_in_sync, new_incident, sync, sync_all, table_rows
from tests.sync.test_sync_files import LINKS, SPECIAL

NOT_A_FOLDER = ("{folder} is not a folder of the shared folder's own (a link or a file lies "
                "there): remove it")


@pytest.mark.parametrize("kind", SPECIAL)
def test_a_link_or_pipe_under_a_temporary_name_in_the_share_is_never_written_through(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path, kind: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """acks.json is replaced through a temporary file beside it. A link put under that name
    made the sync write acks.json's text into the database (or any file the user can
    write); a pipe blocked the run, and every later one ("does not respond"). The temporary
    file is made anew (O_EXCL): a taken name is left alone and another drawn."""
    a, _b, _c = pcs
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"the user's own file")
    new_incident(a)
    sync(a, share)
    planted = plant_at_temporary_name(monkeypatch, lambda path: path.name == "acks.json", kind,
                                      victim)
    threads = threading.active_count()

    report = sync(a, share)

    assert report.reachable and not report.error, report.error
    assert planted and planted[0].parent == share / "devices" / a.device
    assert victim.read_bytes() == b"the user's own file"
    acks = share / "devices" / a.device / "acks.json"
    assert acks.is_file() and not acks.is_symlink() and a.device in acks.read_text("utf-8")
    assert threading.active_count() == threads


@LINKS
def test_a_devices_folder_that_is_a_link_is_named_and_nothing_is_written_through_it(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path) -> None:
    """``devices`` linked to another folder (the root of the disk, say): every PC wrote its
    segments and acks.json there, and read what lay there as devices. The run stops naming
    the link; nothing is written where it leads."""
    a, _b, _c = pcs
    new_incident(a)
    outside = tmp_path / "outside"
    outside.mkdir()
    (share / "devices").symlink_to(outside, target_is_directory=True)

    report = sync(a, share)

    assert not report.in_sync
    assert report.error == _(NOT_A_FOLDER).format(folder=share / "devices")
    assert list(outside.iterdir()) == []
    assert report.unsent_changes  # still queued, sent once the link is gone
    (share / "devices").unlink()
    assert sync(a, share).sent_changes


@LINKS
def test_a_device_folder_of_this_pc_that_is_a_link_is_named_and_not_written_into(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path) -> None:
    a, _b, _c = pcs
    new_incident(a)
    sync(a, share)
    own = share / "devices" / a.device
    moved = tmp_path / "moved"
    own.rename(moved)
    own.symlink_to(moved, target_is_directory=True)
    before = {p.name: p.read_bytes() for p in moved.rglob("*") if p.is_file()}
    new_incident(a, "第二案")

    report = sync(a, share)

    assert not report.in_sync and report.error == _(NOT_A_FOLDER).format(folder=own)
    assert {p.name: p.read_bytes() for p in moved.rglob("*") if p.is_file()} == before


@LINKS
def test_a_blobs_folder_that_is_a_link_is_named_and_nothing_is_written_through_it(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path) -> None:
    from tests.sync.test_sync_basic import full_drill

    a, _b, _c = pcs
    scan = blank_scan(tmp_path / "scan.pdf")
    full_drill(a, scan)
    outside = tmp_path / "outside"
    outside.mkdir()
    (share / "blobs").symlink_to(outside, target_is_directory=True)

    report = sync(a, share)

    assert not report.in_sync and report.error == _(NOT_A_FOLDER).format(folder=share / "blobs")
    assert list(outside.iterdir()) == []


def _attachment(pc: PC, tmp_path: Path, share: Path) -> tuple[Path, bytes]:
    """A signed scan attached on *pc* and sent, then gone from the share (as a person
    cleaning it up, or a share restored from an older backup, leaves it): the local file,
    and its content."""
    from tests.sync.test_sync_basic import full_drill

    scan = blank_scan(tmp_path / "scan.pdf")
    full_drill(pc, scan)
    sync(pc, share)
    [shared] = list((share / "blobs").iterdir())
    shared.unlink()
    local = pc.data_dir / "attachments" / f"{shared.name}.pdf"
    assert local.read_bytes() == scan.read_bytes()
    return local, scan.read_bytes()


@pytest.mark.parametrize("kind", SPECIAL)
def test_a_local_attachment_that_is_a_link_or_pipe_is_named_and_not_sent(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path, kind: str) -> None:
    """A link in the attachments folder sent whatever it led to (/etc/shadow) to every PC;
    a pipe blocked the run, outside the share's time-out (the file is local)."""
    a, b, _c = pcs
    local, content = _attachment(a, tmp_path, share)
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"not for the share")
    local.unlink()
    if kind == "pipe":
        os.mkfifo(local)
    else:
        local.symlink_to(secret)
    threads = threading.active_count()

    report = sync(a, share)

    assert report.reachable and not report.error, report.error
    assert report.blobs_sent == 0 and not list((share / "blobs").iterdir())
    [line] = [w for w in report.waiting if local.name in w]
    assert _("{file} is not a regular file: remove it").format(file=local) in line
    assert threading.active_count() == threads
    local.unlink()  # as the person reading the status does: the file comes back from B
    local.write_bytes(content)
    assert sync(a, share).blobs_sent == 1
    sync(b, share)
    assert (b.data_dir / "attachments" / local.name).read_bytes() == content


@pytest.mark.parametrize("content", ["other bytes", "too large"])
def test_a_local_attachment_that_is_not_what_its_name_says_is_named_and_not_sent(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path, content: str) -> None:
    """A file in the attachments folder replaced (or damaged): sent under the SHA-256 of
    the real one, every receiver took it for that and a file in blobs/ is never replaced,
    so the real attachment could never arrive. 100 MB of it were sent, and every receiver
    said "larger than 26214400 bytes" for good."""
    a, b, _c = pcs
    local, real = _attachment(a, tmp_path, share)
    if content == "too large":
        with open(local, "r+b") as fh:
            fh.truncate(30 * 1024 * 1024)  # sparse: no 30 MB written
    else:
        local.write_bytes(b"%PDF-1.4 another scan")

    report = sync(a, share)

    assert report.reachable and not report.error, report.error
    assert report.blobs_sent == 0 and not list((share / "blobs").iterdir())
    [line] = [w for w in report.waiting if local.name in w]
    assert line == (_("{file}: {problem}").format(
        file=f"attachments/{local.name}",
        problem=_("{file} is larger than {limit} bytes").format(file=local, limit=26214400))
        if content == "too large" else _(
            "{file} on this PC is not the attachment its name says (damaged or replaced): it "
            "was not sent. Remove it; the next sync fetches it again if another PC has sent "
            "it.").format(file=f"attachments/{local.name}"))
    assert hashlib.sha256(real).hexdigest() in local.name
    b_report = sync(b, share)
    assert not [w for w in b_report.waiting if "larger than" in w]


@pytest.mark.skipif(sys.platform in ("win32", "darwin"),
                    reason="only Linux and other POSIX file systems take a name that is not "
                           "UTF-8 (a Big5 name on a Linux NAS); Windows and macOS refuse it")
@pytest.mark.parametrize("where", ["top", "devices", "log"])
def test_a_name_that_is_not_utf8_is_listed_escaped_and_the_run_finishes(
        pcs: tuple[PC, PC, PC], share: Path, where: str) -> None:
    """One such file anywhere in the share ended every PC's run "unexpected": the list of
    ignored files could not be recorded."""
    a, b, c = pcs
    new_incident(a)
    sync_all(pcs, share)
    folder = {"top": share, "devices": share / "devices",
              "log": share / "devices" / a.device / "log"}[where]
    with open(os.path.join(os.fsencode(folder), b"\xff\xfejunk"), "w"):
        pass

    reports = sync_all(pcs, share)

    shown = "\\xff\\xfejunk"
    assert all(any(f.endswith(shown) for f in r.foreign) or where == "log" and r is reports[0]
               for r in reports), [r.foreign for r in reports]
    assert all(r.reachable and not r.error and not r.waiting for r in reports)
    assert _last_run(b) is not None and _last_run(c) is not None


def _last_run(pc: PC) -> str | None:
    """The report of *pc*'s last recorded run."""
    from sqlalchemy import select

    from models.sync.entities import SyncRunRow

    with pc.db.session() as session:
        return session.scalar(select(SyncRunRow.report).order_by(SyncRunRow.id.desc()).limit(1))


def test_an_acks_file_that_is_a_folder_is_named_and_the_run_is_a_run(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    """acks.json is informational: a folder of that name turned a run that sent and
    received everything into "shared folder not reachable" (exit 3)."""
    a, b, _c = pcs
    incident = new_incident(a)
    sync(a, share)
    acks = share / "devices" / a.device / "acks.json"
    acks.unlink()
    acks.mkdir()
    sync(b, share)
    new_incident(b)
    sync(b, share)

    report = sync(a, share)

    assert report.reachable and not report.error, report.error
    assert report.received_changes
    assert [w for w in report.waiting if str(acks) in w]
    assert incident in {r["id"] for r in table_rows(b.db)["incidents"]}
    acks.rmdir()
    assert_in_sync([sync(a, share)])


def test_a_format_file_with_a_version_of_the_wrong_kind_is_damage_not_a_newer_app(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    """"min_reader": "1" read as a newer app's folder: "install the update", for good."""
    from models.sync.folder import FORMAT_FILE

    a, b, c = pcs
    new_incident(a)
    sync(a, share)
    (share / FORMAT_FILE).write_text(json.dumps(
        {"format": "crisisdesk-sync", "version": 1, "min_reader": "1", "min_writer": 1}))

    reports = sync_all(pcs, share)

    assert all(r.error != "needs-newer-app" for r in reports)
    assert_in_sync(reports)
    assert json.loads((share / FORMAT_FILE).read_text())["min_reader"] == 1


def _segment_of(pc: PC, share: Path, changes: list[Any]) -> tuple[Path, str]:
    """A valid segment with *changes*, signed with *pc*'s key and written as its next file
    (as *pc* running a tampered app would write it); its path and device."""
    from models.sync.folder import segment_path
    from models.sync.run import _now_text
    from models.sync.segment import encode_segment

    device = pc.device
    seq = max(int(p.stem) for p in (share / "devices" / device / "log").glob("*.seg")) + 1
    path = segment_path(share, device, seq)
    prev = hashlib.sha256(segment_path(share, device, seq - 1).read_bytes()).hexdigest()
    path.write_bytes(encode_segment(pc.signing_key, seq, _now_text(), "9.9", {}, changes,
                                    prev=prev))
    return path, device


@pytest.mark.parametrize("table", ["sync_device", "alembic_version", "sync_cursors"])
def test_changes_to_a_table_every_pc_keeps_for_itself_are_refused(
        pcs: tuple[PC, PC, PC], share: Path, table: str) -> None:
    """They were counted as received ("received 1 change", in sync): forged, or damaged."""
    from models.sync.segment import Change, FieldVersion

    a, b, _c = pcs
    sync_all(pcs, share)
    path, device = _segment_of(b, share, [Change(
        table, "row", 10 ** 12, b.device,
        {"device_id": FieldVersion(str(uuid.uuid4()), "a forged id", ())}, ())])
    before = a.device

    report = sync(a, share)

    assert report.received_changes == 0 and not report.in_sync
    [line] = [w for w in report.waiting if path.name in w]
    assert table in line
    assert a.device == before


@pytest.mark.parametrize("content", ["junk", "another file"])
def test_a_refused_segment_is_said_in_the_users_words(pcs: tuple[PC, PC, PC], share: Path,
                                                      content: str) -> None:
    """Python's JSON error ("Expecting value: line 1 column 1 (char 0)") and "it says it is
    <device>/1" were shown as they were, in English."""
    a, b, _c = pcs
    new_incident(b)
    sync_all(pcs, share)
    log = share / "devices" / b.device / "log"
    nxt = log / f"{len(list(log.glob('*.seg'))) + 1:010d}.seg"
    nxt.write_bytes(b'{"junk":1}\n' if content == "junk"
                    else (log / "0000000001.seg").read_bytes())

    report = sync(a, share)

    [line] = [w for w in report.waiting if nxt.name in w]
    assert "Expecting" not in line
    assert (_("not JSON lines: damaged, or not a segment") if content == "junk"
            else _("it says it is {device}/{seq}: a copy of another file, not this one").format(
                device=b.device, seq=1)) in line


@LINKS
@pytest.mark.parametrize("whose", ["another device", "this PC"])
def test_a_link_loop_in_devices_is_named_not_the_share_unreachable(
        pcs: tuple[PC, PC, PC], share: Path, whose: str) -> None:
    """A link to itself named like a device: "Too many levels of symbolic links" made the
    whole share "unreachable" (English, exit 3). Another's is a foreign file; this PC's own
    folder as a loop is named as not a folder of the share's."""
    a, _b, _c = pcs
    new_incident(a)
    sync(a, share)
    name = "11111111-2222-3333-4444-555555555555" if whose == "another device" else a.device
    loop = share / "devices" / name
    if loop.exists():
        import shutil

        shutil.rmtree(loop)
    loop.symlink_to(loop, target_is_directory=True)

    report = sync(a, share)

    assert "Too many levels" not in report.error + "".join(report.waiting)
    if whose == "another device":
        assert f"devices/{name}" in report.foreign and report.in_sync, report
    else:
        assert report.error == _(NOT_A_FOLDER).format(folder=loop)


@LINKS
def test_a_local_attachment_that_is_a_link_is_named_even_when_the_share_has_it(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path) -> None:
    """The share has the file, so nothing is sent: the link in its place here (which the
    window would open) is named all the same, and never replaced by the sync."""
    from tests.sync.test_sync_basic import full_drill

    a, _b, _c = pcs
    scan = blank_scan(tmp_path / "scan.pdf")
    full_drill(a, scan)
    sync(a, share)
    [local] = list((a.data_dir / "attachments").iterdir())
    local.unlink()
    local.symlink_to(tmp_path / "elsewhere.pdf")

    report = sync(a, share)

    [line] = [w for w in report.waiting if local.name in w]
    assert _("{file} is not a regular file: remove it").format(file=local) in line
    assert local.is_symlink()


SHA = hashlib.sha256(b"%PDF-1.4 a scan").hexdigest()


@pytest.mark.parametrize(("sha", "filename"), [
    ("../crisisdesk", "scan.pdf"),  # climbs out of attachments/ and blobs/
    ("../../settings", ""),
    (f"/{SHA[1:]}", "scan.pdf"),  # an absolute path
    ("C:", "scan.pdf"),  # a drive
    (SHA, "scan.pdf\\..\\..\\x"),  # a Windows path in the suffix
    (SHA, "scan.exe"),  # not a kind of scan
    (SHA.upper(), "scan.pdf"),
])
def test_an_attachment_row_naming_a_path_is_refused_and_nothing_leaves_its_folder(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path, sha: str, filename: str) -> None:
    """A forged signed-copy row (a tampered app, or a row written into the database file)
    whose SHA-256 or file name is a path made the receiving PC read and write outside its
    attachments folder and the share's blobs/. Such a name is neither sent nor fetched, the
    status names it, and everything else still syncs."""
    from models.core.content_files import stored_name
    from models.drills.reports.signed_copy_entities import SignedCopyRow

    a, b, _c = pcs
    sync_all(pcs, share)
    (share / "crisisdesk").write_bytes(b"planted in the share")
    with b.db.session() as session:
        session.add(SignedCopyRow(record_kind="drill_report", record_id="r", sha256=sha,
                                  filename=filename, size=1, typed_code="", attached_by="x"))
    incident = new_incident(b, "走私查緝")
    files_before = {p for p in tmp_path.rglob("*") if p.is_file()}

    b_report, a_report = sync(b, share), sync(a, share)

    for report in (b_report, a_report):
        assert report.reachable and not report.error, report.error
        assert [w for w in report.waiting if "attachments/" in w] == [_(
            "A record names an attachment {file} that is not a plain file name of an allowed "
            "kind: it was neither sent nor fetched.").format(
                file=f"attachments/{stored_name(sha, filename)}")]
        assert report.blobs_sent == report.blobs_received == 0
    assert not (share / "blobs").exists() or not list((share / "blobs").iterdir())
    new = {p for p in tmp_path.rglob("*") if p.is_file()} - files_before
    assert [p for p in new if not (p.is_relative_to(a.data_dir) or p.is_relative_to(b.data_dir)
                                   or p.is_relative_to(share / "devices"))] == []
    assert not (a.data_dir / "attachments").exists()
    assert incident in {r["id"] for r in table_rows(a.db)["incidents"]}
