"""The share misbehaving as SMB shares do: gone (deleted, renamed, disconnected mid-run),
hanging, refusing a rename while an antivirus holds the file, full. Each run ends with a clear
status, applies nothing in part, keeps this PC's changes queued, and the next run after the
share is back completes."""

from __future__ import annotations

import errno
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import models.sync.folder
import models.sync.run
from i18n import _
from models.incidents.actions import set_field
from models.sync.folder import log_dir, segment_path
from tests.sync.conftest import (
    ACCESS_DENIED,
    HEAD,
    INVALID_FUNCTION,
    NOT_SUPPORTED,
    PC,
    SHARING_VIOLATION,
    assert_in_sync,
    assert_same_rows,
    field_value,
    new_incident,
    sync,
    sync_all,
    table_rows,
    windows_error,
)


@pytest.fixture
def pcs(office_pcs: tuple[PC, PC, PC]) -> tuple[PC, PC, PC]:
    """Enrolled PCs of an office with an authority: the sync holds up with every check on."""
    return office_pcs


def _edited(pcs: tuple[PC, PC, PC], share: Path) -> str:
    """An incident every PC has, then a change of it on A not sent yet."""
    incident = new_incident(pcs[0])
    sync_all(pcs, share)
    set_field(pcs[0].db, HEAD, incident, "s2.plan", "擴大查緝")
    return incident


def _assert_everything_arrives(pcs: tuple[PC, PC, PC], share: Path, incident: str) -> None:
    assert_in_sync(sync_all(pcs, share))
    assert_same_rows(pcs)
    assert field_value(pcs[2], incident, "s2.plan") == "擴大查緝"


@pytest.mark.parametrize("how", ["renamed", "deleted"])
def test_a_share_that_is_gone_is_reported_unreachable_and_the_changes_wait(
        pcs: tuple[PC, PC, PC], share: Path, how: str) -> None:
    incident = _edited(pcs, share)
    aside = share.with_name("share-aside")
    if how == "renamed":
        share.rename(aside)
    else:
        shutil.rmtree(share)

    report = sync(pcs[0], share)

    assert not report.reachable and str(share) in report.error
    assert report.unsent_changes > 0 and not report.in_sync
    assert not share.exists()  # a sync never makes up a share of its own
    if how == "renamed":
        aside.rename(share)
    else:
        share.mkdir()  # an empty folder again: every PC writes back what it holds
    _assert_everything_arrives(pcs, share, incident)


def test_a_share_that_vanishes_while_a_pc_reads_it_is_unreachable_not_in_sync(
        pcs: tuple[PC, PC, PC], share: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    incident = _edited(pcs, share)
    sync(pcs[0], share)
    before = table_rows(pcs[1].db)
    aside = share.with_name("share-aside")
    list_devices = models.sync.run.list_devices

    def vanish_then_list(root: Path) -> Any:
        share.rename(aside)
        return list_devices(root)

    with monkeypatch.context() as patch:
        patch.setattr(models.sync.run, "list_devices", vanish_then_list)
        report = sync(pcs[1], share)

    assert not report.reachable and not report.in_sync
    assert table_rows(pcs[1].db) == before
    aside.rename(share)
    _assert_everything_arrives(pcs, share, incident)


def test_a_share_that_vanishes_while_a_pc_writes_it_keeps_the_changes_queued(
        pcs: tuple[PC, PC, PC], share: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    incident = _edited(pcs, share)
    aside = share.with_name("share-aside")
    publish = models.sync.folder._publish

    def vanish_then_publish(tmp: Path, path: Path) -> None:
        share.rename(aside)
        publish(tmp, path)

    with monkeypatch.context() as patch:
        patch.setattr(models.sync.folder, "_publish", vanish_then_publish)
        report = sync(pcs[0], share)

    assert not report.reachable and report.unsent_changes > 0
    aside.rename(share)
    _assert_everything_arrives(pcs, share, incident)


class Hang:
    """A share that hangs until released: operations made to wait on it stay blocked in
    their threads, as a hung system call does."""

    def __init__(self) -> None:
        self.event = threading.Event()

    def release(self) -> None:
        """The share answers again: the blocked operations end (waited for)."""
        self.event.set()
        for thread in threading.enumerate():
            if thread.name == "share-io":
                thread.join()


@pytest.fixture
def hang(monkeypatch: pytest.MonkeyPatch) -> Iterator[Hang]:
    """A short time-out for share operations, and a share that hangs until released;
    released at teardown, so no thread is left blocked."""
    share = Hang()
    monkeypatch.setattr(models.sync.folder, "TIMEOUT", 0.5)
    yield share
    share.release()


def _hanging(hang: Hang, real: Callable[..., Any],
             when: Callable[..., bool]) -> Callable[..., Any]:
    def maybe_hang(*args: Any) -> Any:
        if when(*args):
            hang.event.wait()
        return real(*args)

    return maybe_hang


def test_a_share_that_hangs_mid_read_times_out_and_applies_nothing(
        pcs: tuple[PC, PC, PC], share: Path, monkeypatch: pytest.MonkeyPatch,
        hang: threading.Event) -> None:
    incident = _edited(pcs, share)
    sync(pcs[0], share)
    before = table_rows(pcs[1].db)

    with monkeypatch.context() as patch:
        patch.setattr(models.sync.folder, "_read", _hanging(
            hang, models.sync.folder._read, lambda path, _limit: path.suffix == ".seg"))
        report = sync(pcs[1], share)

    assert not report.reachable and report.error == _("the shared folder does not respond")
    assert table_rows(pcs[1].db) == before
    hang.release()
    _assert_everything_arrives(pcs, share, incident)


def test_a_share_that_hangs_mid_write_times_out_and_keeps_the_changes_queued(
        pcs: tuple[PC, PC, PC], share: Path, monkeypatch: pytest.MonkeyPatch,
        hang: threading.Event) -> None:
    incident = _edited(pcs, share)

    with monkeypatch.context() as patch:
        patch.setattr(models.sync.folder, "_publish", _hanging(
            hang, models.sync.folder._publish, lambda _tmp, _path: True))
        report = sync(pcs[0], share)

    assert not report.reachable and report.error == _("the shared folder does not respond")
    assert report.unsent_changes > 0
    hang.release()
    _assert_everything_arrives(pcs, share, incident)


def test_a_share_still_hanging_at_the_next_runs_leaves_one_thread_waiting_not_one_a_run(
        pcs: tuple[PC, PC, PC], share: Path, monkeypatch: pytest.MonkeyPatch,
        hang: Hang) -> None:
    """The window syncs every two minutes: each run on a share that still hangs used to
    leave one more thread blocked on it. While one waits, a run ends at once "does not
    respond" without starting another; once the share answers, the next run completes."""
    incident = _edited(pcs, share)

    with monkeypatch.context() as patch:
        patch.setattr(models.sync.folder, "_list_devices", _hanging(
            hang, models.sync.folder._list_devices, lambda _root: True))
        first = sync(pcs[0], share)
        threads = threading.active_count()
        later = [sync(pcs[0], share) for _run in range(3)]

    assert first.error == _("the shared folder does not respond")
    assert {r.error for r in later} == {_("the shared folder does not respond: an earlier "
                                          "operation on it still waits for an answer")}
    assert threading.active_count() == threads
    hang.release()
    _assert_everything_arrives(pcs, share, incident)


def test_a_share_that_hangs_holds_up_no_other_share(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        hang: Hang, caplog: pytest.LogCaptureFixture) -> None:
    """The user points Settings at a working share while the old one still hangs (a dead
    SMB session may never return): the new one syncs. Before, every share operation was
    refused "does not respond" until the hung one came back. The log says what hangs."""
    incident = _edited(pcs, share)
    working = tmp_path / "working share"
    working.mkdir()

    with monkeypatch.context() as patch:
        patch.setattr(models.sync.folder, "_list_devices", _hanging(
            hang, models.sync.folder._list_devices, lambda root: root == share))
        with caplog.at_level("WARNING", logger="models.sync.folder"):
            assert sync(pcs[0], share).error == _("the shared folder does not respond")
        report = sync(pcs[0], working)

    assert report.in_sync, report
    assert f"({share}) on the share {share} did not answer" in caplog.text
    hang.release()
    _assert_everything_arrives(pcs, share, incident)


class _Refusals:
    """os.link or os.rename refused with a Windows error *times* times (None: always); the
    back-off waits are recorded, not slept."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str, times: int | None,
                 code: tuple[int, int | None] = SHARING_VIOLATION) -> None:
        self.left = times
        self.waits: list[float] = []
        real = getattr(os, name)

        def refuse(*args: Any) -> Any:
            if self.left is None or self.left > 0:
                if self.left is not None:
                    self.left -= 1
                raise windows_error(code, str(args[0]))
            return real(*args)

        monkeypatch.setattr(models.sync.folder.os, name, refuse)
        monkeypatch.setattr(time, "sleep", self.waits.append)
        if name == "rename":  # a share without hard links: the rename is the way in
            def no_links(*args: Any) -> None:
                raise windows_error(NOT_SUPPORTED, str(args[0]))

            monkeypatch.setattr(models.sync.folder.os, "link", no_links)


def _next_segment(pc: PC, share: Path) -> Path:
    return segment_path(share, pc.device, len(list(log_dir(share, pc.device).iterdir())) + 1)


@pytest.mark.parametrize("name", ["link", "rename"])
def test_a_file_held_open_by_another_program_is_retried_with_back_off(
        pcs: tuple[PC, PC, PC], share: Path, monkeypatch: pytest.MonkeyPatch,
        name: str) -> None:
    incident = _edited(pcs, share)
    with monkeypatch.context() as patch:
        refusals = _Refusals(patch, name, 3)
        report = sync(pcs[0], share)

    assert report.in_sync and report.sent_segments == 1
    assert refusals.waits[:3] == [0.1, 0.2, 0.4]
    _assert_everything_arrives(pcs, share, incident)


@pytest.mark.parametrize("name", ["link", "rename"])
def test_a_file_held_open_every_time_is_reported_named_and_the_next_run_sends(
        pcs: tuple[PC, PC, PC], share: Path, monkeypatch: pytest.MonkeyPatch,
        name: str) -> None:
    incident = _edited(pcs, share)
    segment = _next_segment(pcs[0], share)
    with monkeypatch.context() as patch:
        refusals = _Refusals(patch, name, None)
        report = sync(pcs[0], share)

    assert report.error == _("{file} is in use by another program (an antivirus or an "
                             "indexer)").format(file=segment)
    assert report.unsent_changes > 0
    assert sum(refusals.waits) <= 5.2  # gives up after about five seconds
    assert not list(share.rglob("*.tmp"))
    _assert_everything_arrives(pcs, share, incident)


@pytest.mark.parametrize("code", [ACCESS_DENIED, (errno.EACCES, None)],
                         ids=["Windows", "POSIX"])
def test_access_denied_is_reported_at_once_naming_the_file(
        pcs: tuple[PC, PC, PC], share: Path, monkeypatch: pytest.MonkeyPatch,
        code: tuple[int, int | None]) -> None:
    """No permission to write in the folder is not an antivirus holding a file: waiting
    would not help. The run says so at once, naming the file, and the changes wait."""
    incident = _edited(pcs, share)
    segment = _next_segment(pcs[0], share)
    with monkeypatch.context() as patch:
        refusals = _Refusals(patch, "link", None, code)

        def denied(tmp: Path, _path: Path) -> None:
            raise windows_error(code, str(tmp))

        patch.setattr(models.sync.folder.os, "rename", denied)
        report = sync(pcs[0], share)

    assert report.error == _("no permission to write {file}").format(file=segment)
    assert report.unsent_changes > 0 and refusals.waits == []
    assert not list(share.rglob("*.tmp"))
    _assert_everything_arrives(pcs, share, incident)


@pytest.mark.parametrize("code", [INVALID_FUNCTION, NOT_SUPPORTED, ACCESS_DENIED,
                                  (errno.EPERM, None)],
                         ids=["invalid function", "not supported", "access denied (NAS)",
                              "POSIX"])
def test_a_share_without_hard_links_takes_each_file_by_renaming(
        pcs: tuple[PC, PC, PC], share: Path, monkeypatch: pytest.MonkeyPatch,
        code: tuple[int, int | None]) -> None:
    """exFAT, FAT32 and some NAS have no hard links; CPython on Windows reports the refusal as
    EINVAL, and a NAS may answer "access denied". Each file is renamed into place instead,
    at once, not waited for as if an antivirus held it."""
    incident = _edited(pcs, share)
    with monkeypatch.context() as patch:
        refusals = _Refusals(patch, "link", None, code)
        report = sync(pcs[0], share)

    assert report.in_sync and report.sent_segments == 1, report.error
    assert refusals.waits == []
    _assert_everything_arrives(pcs, share, incident)


def test_a_temporary_file_a_scanner_holds_does_not_undo_a_written_segment(
        pcs: tuple[PC, PC, PC], share: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The segment is in place under its name; that its temporary file cannot be removed
    yet (a scanner has it open) is no error: the leftover is ignored by every reader."""
    incident = _edited(pcs, share)
    unlink = os.unlink

    def held(path: Any, *args: Any, **kwargs: Any) -> None:
        if str(path).endswith(".tmp"):
            raise windows_error(SHARING_VIOLATION, str(path))
        unlink(path, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(models.sync.folder.os, "unlink", held)
        report = sync(pcs[0], share)

    assert report.in_sync and report.sent_segments == 1, report.error
    assert list(share.rglob("*.tmp"))  # left behind, harmless
    _assert_everything_arrives(pcs, share, incident)
    assert not any(r.foreign for r in sync_all(pcs, share))


def test_an_informational_file_another_program_reads_is_replaced_once_it_is_free(
        pcs: tuple[PC, PC, PC], share: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """acks.json is replaced at every run; on Windows that fails (access denied) while
    anybody, another PC or IT, has it open. It is tried again for a moment; if it stays
    open, the run names the file and the old one is left whole."""
    incident = _edited(pcs, share)
    acks = share / "devices" / pcs[0].device / "acks.json"
    replace = os.replace
    refusals: list[int] = []
    waits: list[float] = []

    def held(src: Any, dst: Any) -> None:
        if Path(dst) == acks and (not refusals or refusals[-1] > 0):
            if refusals:
                refusals[-1] -= 1
            raise windows_error(ACCESS_DENIED, str(src))
        replace(src, dst)

    with monkeypatch.context() as patch:
        patch.setattr(models.sync.folder.os, "replace", held)
        patch.setattr(time, "sleep", waits.append)
        refusals.append(2)
        assert sync(pcs[0], share).in_sync
        assert waits == [0.05, 0.1] and b'"sent"' in acks.read_bytes()
        old = acks.read_bytes()
        refusals.clear()  # now held for good
        waits.clear()
        report = sync(pcs[0], share)

    assert str(acks) in report.error and not report.in_sync
    assert len(waits) == 5 and sum(waits) < 2
    assert acks.read_bytes() == old and not list(acks.parent.glob(".*.tmp"))
    _assert_everything_arrives(pcs, share, incident)


def test_a_full_share_is_reported_and_the_changes_are_sent_once_there_is_room(
        pcs: tuple[PC, PC, PC], share: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    incident = _edited(pcs, share)

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(models.sync.folder.os, "fsync", full)
        report = sync(pcs[0], share)

    assert report.error == _("the shared folder is full")
    assert report.unsent_changes > 0 and report.sent_segments == 0
    assert not list(share.rglob("*.tmp"))  # the temporary file is removed
    _assert_everything_arrives(pcs, share, incident)
