"""What may lie in the share besides intact segments: damaged and truncated segments, segments
the directory cache shows out of order, junk that Windows, users or backups leave, and files of
a newer app. Nothing of it is applied in part, nothing crashes a run, and the status says what
waits and why."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest

from i18n import _
from models.incidents.actions import set_field
from models.sync.folder import FORMAT_FILE, segment_path
from models.sync.keys import device_id_of, new_private_key, public_key_of
from models.sync.status import EXIT_UNREACHABLE
from tests.scans import blank_scan
from tests.sync.conftest import (
    HEAD,
    PC,
    PLANNER,
    assert_in_sync,
    assert_same_rows,
    field_value,
    history,
    new_incident,
    sync,
    sync_all,
    table_rows,
)

DAMAGE = {
    "a flipped byte": lambda data: data[:40] + bytes([data[40] ^ 0x20]) + data[41:],
    "a cut tail": lambda data: data[:len(data) - 30],
    "no bytes at all": lambda data: b"",
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_segment_waits_named_and_is_applied_once_a_good_copy_is_back(
        pcs: tuple[PC, PC, PC], share: Path, damage: str) -> None:
    """A reader never deletes nor rewrites another PC's file, and the writer does not read
    its own files back once written: a damaged file stays until someone removes it (the status
    names it). Then any PC that holds the segment, the writer or one that applied it, writes
    the same bytes back."""
    a, b, c = pcs
    sync_all(pcs, share)
    incident = new_incident(a)
    sync(a, share)
    sync(c, share)  # C applies it and keeps a copy
    path = segment_path(share, a.device, 2)
    path.write_bytes(DAMAGE[damage](path.read_bytes()))
    before = table_rows(b.db)

    for _run in range(2):
        report = sync(b, share)
        assert not report.in_sync
        assert [w for w in report.waiting if "0000000002.seg" in w and a.device in w]
        assert table_rows(b.db) == before
    assert sync(a, share).repaired == 0  # the file is there: nobody knows it is damaged

    path.unlink()  # as the person reading the status does
    assert sync(c, share).repaired == 1
    assert_in_sync(sync_all(pcs, share))
    rows = assert_same_rows(pcs)
    assert incident in {r["id"] for r in rows["incidents"]}


def test_segments_visible_out_of_order_wait_for_the_gap_then_apply_in_order(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path) -> None:
    a, b, c = pcs
    incident = new_incident(a)
    sync(a, share)
    set_field(a.db, HEAD, incident, "s2.plan", "擴大查緝")
    sync(a, share)
    first = segment_path(share, a.device, 1)
    hidden = tmp_path / first.name
    shutil.move(first, hidden)  # the directory listing shows 2 before 1
    before = table_rows(b.db)

    report = sync(b, share)

    assert report.received_segments == 0 and table_rows(b.db) == before
    assert report.waiting == [_("{file}: missing, though later files are present").format(
        file=f"{a.device}/1")]
    shutil.move(hidden, first)
    report = sync(b, share)
    assert report.received_segments == 2 and report.in_sync
    assert field_value(b, incident, "s2.plan") == "擴大查緝"
    assert_in_sync(sync_all(pcs, share))
    assert_same_rows(pcs)


def test_junk_in_the_share_is_ignored_and_listed(pcs: tuple[PC, PC, PC], share: Path) -> None:
    a, b, c = pcs
    incident = new_incident(a)
    sync_all(pcs, share)
    log = segment_path(share, a.device, 1).parent
    junk = {
        "desktop.ini": b"[.ShellClassInfo]",
        "Thumbs.db": b"",
        "新資料夾/readme.txt": b"x",
        "devices/desktop.ini": b"[.ShellClassInfo]",
        "devices/備份/0000000001.seg": b"not ours",
        f"devices/{a.device}/log/0000000001 (1).seg": segment_path(
            share, a.device, 1).read_bytes(),
        f"devices/{a.device}/log/0000000002.seg.bak": b"",
        f"devices/{a.device}/log/empty.txt": b"",
        f"devices/{a.device}/log/sub/0000000002.seg": b"",
    }
    for name, data in junk.items():
        (share / name).parent.mkdir(parents=True, exist_ok=True)
        (share / name).write_bytes(data)
    (log / ".0000000002.seg.0badc0de.tmp").write_bytes(b"{half a segm")  # a writer's leftover
    set_field(a.db, HEAD, incident, "s2.plan", "擴大查緝")

    reports = sync_all(pcs, share)

    assert_in_sync(reports)
    assert_same_rows(pcs)
    assert field_value(c, incident, "s2.plan") == "擴大查緝"
    expected = {"desktop.ini", "Thumbs.db", "新資料夾", "devices/desktop.ini", "devices/備份",
                f"devices/{a.device}/log/0000000001 (1).seg",
                f"devices/{a.device}/log/0000000002.seg.bak",
                f"devices/{a.device}/log/empty.txt", f"devices/{a.device}/log/sub"}
    assert set(reports[1].foreign) == expected  # B sees all of it
    assert all(".tmp" not in name for r in reports for name in r.foreign)


def _write_format(share: Path, **limits: int) -> None:
    (share / FORMAT_FILE).write_text(json.dumps(
        {"format": "crisisdesk-sync", "version": 2, "min_reader": 1, "min_writer": 1,
         **limits}), encoding="utf-8")


def test_a_folder_only_newer_apps_may_write_is_read_but_not_written(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    a, b, c = pcs
    incident = new_incident(a)
    sync(a, share)
    _write_format(share, min_writer=2)
    set_field(a.db, HEAD, incident, "s2.plan", "擴大查緝")
    files = sorted(share.rglob("*"))

    sent = sync(a, share)
    received = sync(b, share)

    assert sent.read_only and not sent.in_sync and sent.unsent_changes > 0
    assert received.read_only and received.received_segments == 1
    assert incident in {r["id"] for r in table_rows(b.db)["incidents"]}
    assert sorted(share.rglob("*")) == files  # neither wrote anything
    _write_format(share)
    assert_in_sync(sync_all(pcs, share))
    assert_same_rows(pcs)


def test_a_folder_only_newer_apps_may_read_is_left_alone(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    a, b, c = pcs
    new_incident(a)
    sync(a, share)
    _write_format(share, min_reader=2, min_writer=2)
    before = table_rows(b.db)

    report = sync(b, share)

    assert report.error == "needs-newer-app" and not report.in_sync
    assert report.received_segments == 0 and table_rows(b.db) == before


def test_a_segment_of_a_newer_format_waits_and_the_rest_is_applied(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    a, b, c = pcs
    incident = new_incident(a)
    sync(a, share)
    newer = str(uuid.uuid4())
    body = json.dumps({"format": "crisisdesk-segment", "version": 3, "device": newer,
                       "seq": 1, "created": "2030-01-01T00:00:00.000000Z", "app": "9.0.0",
                       "deps": {}}).encode() + b"\n"
    footer = json.dumps({"end": True, "count": 0,
                         "sha256": hashlib.sha256(body).hexdigest()}).encode() + b"\n"
    path = segment_path(share, newer, 1)
    path.parent.mkdir(parents=True)
    path.write_bytes(body + footer)

    report = sync(b, share)

    [waiting] = report.waiting
    assert "0000000001.seg" in waiting and newer in waiting
    assert waiting == _("{file} from {device}: needs a newer version of CrisisDesk ({detail})").format(
        file="0000000001.seg", device=newer,
        detail=_("format version {version}; this app reads up to {supported}").format(
            version=3, supported=2))
    assert incident in {r["id"] for r in table_rows(b.db)["incidents"]}


def test_an_older_app_keeps_the_fields_and_records_of_a_newer_one(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    """A newer app's change carries a field this app's incidents lack and a whole table it
    does not know. What this app knows is applied; the rest is kept in its history, and the
    segment goes back to the folder byte for byte when the folder loses it, so the newer PCs
    never lose it either."""
    from models.sync.capture import row_heads
    from models.sync.segment import Change, FieldVersion, encode_segment

    a, b, c = pcs
    incident = new_incident(a)
    sync_all(pcs, share)
    with b.db.session() as session:
        [summary_head] = row_heads(session.connection(), "incidents", incident)["summary"]
    key = new_private_key()
    newer = device_id_of(public_key_of(key))
    future_row = str(uuid.uuid4())
    data = encode_segment(key, 1, "2027-01-01T00:00:00.000000Z", "9.0.0", {}, [
        Change("incidents", incident, 10, newer, {
            "summary": FieldVersion(str(uuid.uuid4()), "新版程式寫的摘要", (summary_head,)),
            "priority": FieldVersion(str(uuid.uuid4()), "P1")}),
        Change("future_things", future_row, 11, newer, {
            "name": FieldVersion(str(uuid.uuid4()), "未來的紀錄")}),
    ], prev="")
    path = segment_path(share, newer, 1)
    path.parent.mkdir(parents=True)
    path.write_bytes(data)

    report = sync(b, share)

    assert report.received_changes == 2 and not report.waiting
    assert table_rows(b.db)["incidents"][0]["summary"] == "新版程式寫的摘要"
    assert history(b, "incidents", incident, "priority") == {"P1"}
    assert history(b, "future_things", future_row, "name") == {"未來的紀錄"}

    shutil.rmtree(share / "devices" / newer)  # the folder loses the newer PC's log
    assert sync(b, share).repaired >= 1
    assert path.read_bytes() == data
    assert history(c, "incidents", incident, "priority") == set()
    sync(c, share)
    assert history(c, "incidents", incident, "priority") == {"P1"}


def _hostile_segments(key: bytes, incident: str) -> dict[str, bytes]:
    from models.sync.segment import Change, FieldVersion, encode_segment

    device = device_id_of(public_key_of(key))

    def segment(change: Change) -> bytes:
        return encode_segment(key, 1, "2030-01-01T00:00:00.000000Z", "9.0.0", {}, [change],
                              prev="")

    return {
        "nested a hundred thousand deep": b"[" * 100_000 + b"\n" + b"{}\n",
        "a stamp too large for SQLite": segment(Change(
            "future_things", str(uuid.uuid4()), 10 ** 30, device,
            {"name": FieldVersion(str(uuid.uuid4()), "x")})),
        "a number too large for SQLite": segment(Change(
            "incidents", incident, (1 << 62), device,
            {"row_version": FieldVersion(str(uuid.uuid4()), 10 ** 30)})),
    }


@pytest.mark.parametrize("kind", list(_hostile_segments(new_private_key(), "i")))
def test_a_hostile_segment_waits_named_and_the_run_goes_on(
        pcs: tuple[PC, PC, PC], share: Path, kind: str) -> None:
    """Whatever a file named like a segment holds, the run does not end in an exception (the
    command line would crash and every device's log would stop behind it): that one log
    waits, named, and the others are applied."""
    a, b, c = pcs
    sync_all(pcs, share)
    incident = new_incident(a)
    sync(a, share)
    key = new_private_key()
    hostile = device_id_of(public_key_of(key))
    path = segment_path(share, hostile, 1)
    path.parent.mkdir(parents=True)
    path.write_bytes(_hostile_segments(key, incident)[kind])

    report = sync(b, share)

    assert [w for w in report.waiting if hostile in w and "0000000001.seg" in w]
    assert report.reachable and not report.error
    assert incident in {r["id"] for r in table_rows(b.db)["incidents"]}



@pytest.mark.parametrize("damaged", [b"[" * 60_000, b"\x00" * 4096, b'{"format": "crisisdesk-sync"'],
                         ids=["nested too deep", "zeros, longer than the file", "cut"])
def test_a_damaged_format_file_is_written_again(
        pcs: tuple[PC, PC, PC], share: Path, damaged: bytes) -> None:
    """The format file holds no state: damaged, it is replaced (docs/sync.md), whatever its
    size, never an exception nor an unreachable folder at every run."""
    a, b, c = pcs
    incident = new_incident(a)
    sync(a, share)
    (share / FORMAT_FILE).write_bytes(damaged)

    report = sync(b, share)

    assert report.reachable and not report.error
    assert incident in {r["id"] for r in table_rows(b.db)["incidents"]}
    assert json.loads((share / FORMAT_FILE).read_bytes())["format"] == "crisisdesk-sync"


def test_attachments_already_in_the_folder_are_not_read_again_at_every_run(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A run comes every two minutes and after each save: reading every scan of every
    signed report, here and from the share, at each one would grow with the office's
    archive. And a damaged copy in the share is the receivers' to report (named, waiting); the
    sender writes it again once a person has removed it, never ending its runs unreachable."""
    import models.sync.run
    from models.sync.folder import blob_path
    from tests.sync.test_sync_basic import full_drill

    a, b, c = pcs
    scan = blank_scan(tmp_path / "scan.pdf")
    full_drill(a, scan)
    assert_in_sync(sync_all(pcs, share))
    [shared] = list((share / "blobs").iterdir())
    written: list[Path] = []
    real = models.sync.run.write_once

    def spy(root: Path, path: Path, data: bytes) -> bool:
        written.append(path)
        return real(root, path, data)

    monkeypatch.setattr(models.sync.run, "write_once", spy)
    assert_in_sync(sync_all(pcs, share))
    assert written == []

    shared.write_bytes(b"%PDF-1.4 damaged")
    (c.data_dir / "attachments" / f"{shared.name}.pdf").unlink()
    report = sync(a, share)
    assert report.reachable and not report.error
    assert any(shared.name in w for w in sync(c, share).waiting)
    shared.unlink()  # as the person reading C's status does
    sync(a, share)
    assert blob_path(share, shared.name).read_bytes() == scan.read_bytes()
    assert_in_sync(sync_all(pcs, share))
    assert (c.data_dir / "attachments" / f"{shared.name}.pdf").read_bytes() == scan.read_bytes()


def test_a_device_folder_that_cannot_be_listed_waits_named_and_the_others_sync(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    """One PC's log that cannot be listed (here a file where the folder should be; on a share,
    as well a folder another account's permissions keep closed) is that device's problem: the
    run does not end "not reachable" for every device."""
    a, b, c = pcs
    sync_all(pcs, share)
    broken = str(uuid.uuid4())
    (share / "devices" / broken).mkdir()
    (share / "devices" / broken / "log").write_bytes(b"")
    incident = new_incident(a)
    sync(a, share)

    report = sync(b, share)

    assert report.reachable and not report.error, report.error
    assert [w for w in report.waiting if broken in w]
    assert incident in {r["id"] for r in table_rows(b.db)["incidents"]}


def _not_regular(path: Path, kind: str, content: bytes, outside: Path) -> None:
    """Put a pipe, or a link to a file outside the share holding *content* (what a reader
    following it would take for good), where the file *path* should be."""
    path.unlink()
    if kind == "pipe":
        os.mkfifo(path)
    else:
        outside.write_bytes(content)
        path.symlink_to(outside)


def _still_there(path: Path, kind: str) -> bool:
    mode = path.lstat().st_mode
    return stat.S_ISFIFO(mode) if kind == "pipe" else stat.S_ISLNK(mode)


POSIX_PIPES = pytest.mark.skipif(
    sys.platform == "win32",
    reason="os.mkfifo exists only on POSIX: Windows' named pipes live in \\\\.\\pipe\\, never "
           "as a file in a folder (there the type check on the open file is what guards)")
LINKS = pytest.mark.skipif(
    sys.platform == "win32",
    reason="creating a symbolic link on Windows needs SeCreateSymbolicLinkPrivilege "
           "(an administrator or Developer Mode), which a test run cannot count on")
SPECIAL = [pytest.param("pipe", marks=POSIX_PIPES), pytest.param("link", marks=LINKS)]


@pytest.mark.parametrize("kind", SPECIAL)
def test_a_format_file_that_is_not_a_regular_file_is_named_and_left_alone(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path, kind: str) -> None:
    """A pipe would block the read for ever (the run used to wait 20 s, end "not
    responding" without a name, and leave its thread blocked for good); a link may lead out
    of the share. Neither is opened nor replaced: the run ends at once naming it."""
    a, b, c = pcs
    incident = new_incident(a)
    sync(a, share)
    fmt = share / FORMAT_FILE
    _not_regular(fmt, kind, fmt.read_bytes(), tmp_path / "elsewhere.json")
    before = table_rows(b.db)
    threads = threading.active_count()

    report = sync(b, share)

    assert report.error == _("{file} is not a regular file: remove it").format(file=fmt)
    assert not report.in_sync
    assert threading.active_count() == threads
    assert table_rows(b.db) == before and _still_there(fmt, kind)
    fmt.unlink()  # as the person reading the status does
    assert_in_sync(sync_all(pcs, share))
    assert incident in {r["id"] for r in table_rows(b.db)["incidents"]}


@pytest.mark.slow
@POSIX_PIPES
def test_the_command_line_names_a_pipe_as_the_format_file_at_once(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    """``main.py sync`` on a share whose format file is a pipe: exit 3 well before the
    share's 20 s time-out, the pipe named, nothing changed."""
    a, b, _c = pcs
    new_incident(a)
    sync(a, share)
    fmt = share / FORMAT_FILE
    _not_regular(fmt, "pipe", b"", share / "unused")
    before = table_rows(b.db)
    b.db.close()

    run = subprocess.run([sys.executable, str(Path(__file__).resolve().parents[2] / "main.py"),
                          "--data-dir", str(b.data_dir), "sync", "--folder", str(share)],
                         capture_output=True, text=True, timeout=15)

    assert run.returncode == EXIT_UNREACHABLE and not run.stderr, run.stderr
    assert str(fmt) in run.stdout
    b.reopen()
    assert table_rows(b.db) == before and _still_there(fmt, "pipe")


@pytest.mark.parametrize("kind", SPECIAL)
def test_an_attachment_that_is_not_a_regular_file_waits_named(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path, kind: str) -> None:
    """A pipe or a link in place of an attachment in blobs/ is named as waiting by the PC
    that needs the file, which syncs everything else; once a person removes it, the PC that
    has the file writes it again."""
    from tests.sync.test_sync_basic import full_drill

    a, b, c = pcs
    scan = blank_scan(tmp_path / "scan.pdf")
    full_drill(a, scan)
    sync(a, share)
    [shared] = list((share / "blobs").iterdir())
    _not_regular(shared, kind, scan.read_bytes(), tmp_path / "elsewhere.pdf")
    local = c.data_dir / "attachments" / f"{shared.name}.pdf"
    threads = threading.active_count()

    report = sync(c, share)

    assert report.reachable and not report.error, report.error
    assert [w for w in report.waiting if f"blobs/{shared.name}" in w
            and _("{file} is not a regular file: remove it").format(file=shared) in w]
    assert threading.active_count() == threads
    assert not local.exists() and _still_there(shared, kind)
    shared.unlink()  # as the person reading C's status does
    sync(a, share)
    assert_in_sync(sync_all(pcs, share))
    assert local.read_bytes() == scan.read_bytes()


def test_an_attachment_that_cannot_be_read_waits_named_in_the_users_words(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The system's reason for a file it refuses is English on most PCs ("Permission
    denied"): the waiting line says it in the user's language."""
    import models.sync.folder
    from tests.sync.test_sync_basic import full_drill

    a, _b, c = pcs
    scan = blank_scan(tmp_path / "scan.pdf")
    full_drill(a, scan)
    sync(a, share)
    [shared] = list((share / "blobs").iterdir())
    real_open = os.open

    def denied(path: Any, *args: Any) -> int:
        if Path(path) == shared:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args)

    monkeypatch.setattr(models.sync.folder.os, "open", denied)
    report = sync(c, share)

    [line] = [w for w in report.waiting if f"blobs/{shared.name}" in w]
    assert _("no permission, or another program is using it") in line and str(shared) in line
    assert "Permission denied" not in line


def test_a_record_clashing_with_one_of_this_pcs_waits_named_in_the_users_words(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    """A unit with the key of one this PC already has under another id: the segment waits;
    SQLite's "UNIQUE constraint failed" goes to the log, not to the status."""
    import sqlite3

    from models.org.units import save_unit

    a, b, _c = pcs
    sync_all(pcs, share)
    unit = save_unit(a.db, PLANNER, "keelung", unit_id=None, name_zh="港區分隊",
                     name_en="Port team", kind="office", active=True)
    con = sqlite3.connect(b.db.path)
    columns = [row[1] for row in con.execute("PRAGMA table_info(units)")]
    values = ", ".join("?" if c in ("id", "key") else c for c in columns)
    con.execute(f"INSERT INTO units ({', '.join(columns)}) SELECT {values} FROM units LIMIT 1",
                (str(uuid.uuid4()), unit.key) if columns.index("id") < columns.index("key")
                else (unit.key, str(uuid.uuid4())))
    con.commit()
    con.close()
    sync(a, share)

    report = sync(b, share)

    [line] = [w for w in report.waiting if a.device in w]
    assert _("a record in it clashes with one of this PC's (the details are in the log for "
             "IT)") in line
    assert "UNIQUE" not in line


@LINKS
def test_a_device_folder_that_is_a_link_is_not_followed_out_of_the_share(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path) -> None:
    """A link in devices/ named like a device: O_NOFOLLOW guards only the last part of a
    path, so following the folder would read (and apply) whatever lies where it leads."""
    a, b, _c = pcs
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    incident = new_incident(a)
    sync(a, elsewhere)  # a whole, valid log of A's, outside the share
    (share / "devices").mkdir()
    (share / "devices" / a.device).symlink_to(elsewhere / "devices" / a.device,
                                              target_is_directory=True)
    before = table_rows(b.db)

    report = sync(b, share)

    assert f"devices/{a.device}" in report.foreign
    assert report.received_segments == 0 and table_rows(b.db) == before
    assert incident not in {r["id"] for r in table_rows(b.db)["incidents"]}
