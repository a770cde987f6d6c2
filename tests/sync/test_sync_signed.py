"""Signed segments (docs/trust.md): every PC signs its segments with its own key, its device id
is the hash of that key, and each segment names the one before it. A program that can write
into the share but holds no PC's key can no longer speak for a PC: what it writes into a
PC's folder is refused, named, and everything else still syncs."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pytest

import models.sync.merge
import models.sync.run
from i18n import _
from models.sync.folder import segment_path
from models.sync.keys import device_id_of, new_private_key, public_key_of
from models.sync.run import _now_text
from models.sync.segment import (
    Change,
    FieldVersion,
    change_line,
    decode_segment,
    encode_segment,
)
from tests.sync.conftest import PC, new_incident, sync, sync_all, table_rows


def _unsigned(device: str, seq: int, deps: Mapping[str, int], changes: list[Change]) -> bytes:
    """A segment in the format from before PCs signed (version 1): anyone could write one."""
    return _unsigned_lines(device, seq, deps, [change_line(c) for c in changes])


def _unsigned_lines(device: str, seq: int, deps: Mapping[str, int],
                    lines: Iterable[bytes]) -> bytes:
    """_unsigned of the changes' lines."""
    body = _line({"format": "crisisdesk-segment", "version": 1, "device": device, "seq": seq,
                  "created": _now_text(), "app": "1.0", "deps": dict(deps)})
    lines = list(lines)
    body += b"".join(lines)
    return body + _line({"end": True, "count": len(lines),
                         "sha256": hashlib.sha256(body).hexdigest()})


def _old_app(key: bytes, seq: int, _created: str, _app: str, deps: Mapping[str, int],
             lines: Iterable[bytes], *, prev: str, formers: object = ()) -> bytes:
    """models.sync.segment.encode_lines as an app from before PCs signed wrote segments."""
    return _unsigned_lines(device_id_of(public_key_of(key)), seq, deps, lines)


def _title_change(device: str, incident: str, title: str) -> Change:
    return Change("incidents", incident, 10 ** 15, device,
                  {"title": FieldVersion(str(uuid.uuid4()), title, ())})


def _stranger(incident: str, title: str) -> tuple[str, bytes]:
    """A made-up device (a key anyone can make) and its first segment, properly signed, which
    retitles *incident*."""
    key = new_private_key()
    device = device_id_of(public_key_of(key))
    return device, encode_segment(key, 1, _now_text(), "9.9", {},
                                  [_title_change(device, incident, title)], prev="")


def _plant(share: Path, device: str, seq: int, data: bytes) -> None:
    """Write *data* as segment *seq* of *device* into the share, as any program could."""
    path = segment_path(share, device, seq)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _next(pc: PC, share: Path) -> tuple[int, str]:
    """The number of *pc*'s next file in the share, and the SHA-256 of its last one."""
    logs = sorted((share / "devices" / pc.device / "log").glob("*.seg"))
    return len(logs) + 1, hashlib.sha256(logs[-1].read_bytes()).hexdigest()


def _titles(pc: PC) -> set[str]:
    return {r["title"] for r in table_rows(pc.db)["incidents"]}


def test_a_pcs_segments_are_signed_by_its_key_and_chained(pcs: tuple[PC, PC, PC],
                                                           share: Path) -> None:
    a, _b, _c = pcs
    new_incident(a)
    sync(a, share)
    new_incident(a, "第二件")
    sync(a, share)

    first, second = sorted((share / "devices" / a.device / "log").glob("*.seg"))
    one = decode_segment(first.read_bytes(), device=a.device, seq=1)
    two = decode_segment(second.read_bytes(), device=a.device, seq=2)
    assert one.key is not None and device_id_of(one.key) == a.device
    assert device_id_of(public_key_of(a.signing_key)) == a.device
    assert (one.prev, two.prev) == ("", hashlib.sha256(first.read_bytes()).hexdigest())


def _rewritten(segment: bytes, old: str, new: str) -> bytes:
    """*segment* with *old* replaced by *new* and its checksum made to match (as a program
    would), the signature left as it was: only a key can make a new one."""
    body, _nl, footer = segment[:-1].rpartition(b"\n")
    body = body.replace(old.encode(), new.encode()) + b"\n"
    end = json.loads(footer)
    end["sha256"] = hashlib.sha256(body).hexdigest()
    return body + _line(end)


def _line(data: object) -> bytes:
    """A line as the writer writes it (models.sync.segment)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"),
                      sort_keys=True).encode("utf-8") + b"\n"


def _forged(a: PC, share: Path, incident: str) -> dict[str, tuple[bytes, str]]:
    """Files written as *a*'s next segment by a program without *a*'s key (and, the last
    two, by *a*'s own key misused), each with the reason a receiver gives."""
    seq, prev = _next(a, share)
    change = _title_change(a.device, incident, "被竄改的標題")
    other = new_private_key()
    someone = encode_segment(other, seq, _now_text(), "9.9", {}, [
        _title_change(device_id_of(public_key_of(other)), incident, "被竄改的標題")], prev=prev)
    genuine = encode_segment(a.signing_key, seq, _now_text(), "9.9", {}, [change], prev=prev)
    return {
        "unsigned": (_unsigned(a.device, seq, {}, [change]), _(
            "not signed: only a PC not yet updated, whose earlier files this PC already has, "
            "may still send an unsigned one")),
        "another key": (_rewritten(someone, device_id_of(public_key_of(other)), a.device),
                        _("signed with a key that is not this device's: forged")),
        "altered": (_rewritten(genuine, "被竄改的標題", "另一個標題"),
                    _("its signature does not match: forged or altered")),
        "a fork": (encode_segment(a.signing_key, seq, _now_text(), "9.9", {}, [change],
                                  prev="0" * 64),
                   _("it does not follow the previous file of its device: forged, or that "
                     "device's log was rewritten")),
        "a change of another device": (encode_segment(a.signing_key, seq, _now_text(), "9.9",
                                                      {}, [_title_change(str(uuid.uuid4()),
                                                                         incident, "x")],
                                                      prev=prev),
                                       _("line {n}: a change of another device").format(n=2)),
    }


@pytest.mark.parametrize("kind", ["unsigned", "another key", "altered", "a fork",
                                  "a change of another device"])
def test_a_file_in_a_pcs_folder_it_did_not_sign_is_refused_and_the_rest_syncs(
        pcs: tuple[PC, PC, PC], share: Path, kind: str) -> None:
    a, b, c = pcs
    incident = new_incident(a)
    sync_all(pcs, share)
    data, reason = _forged(a, share, incident)[kind]
    seq, _prev = _next(a, share)
    path = segment_path(share, a.device, seq)
    path.write_bytes(data)
    new_incident(c, "另一案")
    sync(c, share)

    report = sync(b, share)

    assert [w for w in report.waiting if a.device in w] == [
        _("{file} from {device}: {problem}").format(file=path.name, device=a.device,
                                                     problem=reason)]
    assert _titles(b) == {"加熱菸走私案", "另一案"}
    assert report.received_segments == 1  # c's


def test_a_made_up_device_with_an_unsigned_file_is_refused(pcs: tuple[PC, PC, PC],
                                                           share: Path) -> None:
    """The attack of the walk-through: one hand-made file under a made-up device folder."""
    a, b, _c = pcs
    incident = new_incident(a)
    sync_all(pcs, share)
    made_up = str(uuid.uuid4())
    _plant(share, made_up, 1, _unsigned(made_up, 1, {}, [_title_change(made_up, incident, "偽造")]))

    report = sync(b, share)

    assert [w for w in report.waiting if made_up in w]
    assert _titles(b) == {"加熱菸走私案"}


def test_an_unsigned_log_this_pc_already_follows_goes_on_until_its_pc_signs(
        make_pc: Callable[..., PC], share: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The office mid-update: a PC not yet updated (L) still writes unsigned files; a PC that
    applied its earlier ones before updating (A) takes its next ones, a PC that never had
    them (C) leaves them waiting, named. Once L signs, A takes its signed files, and an
    unsigned file after them is refused."""
    a, c, old = make_pc("A"), make_pc("C"), make_pc("L")

    with monkeypatch.context() as old_apps:
        old_apps.setattr(models.sync.run, "encode_lines", _old_app)
        new_incident(old, "更新前的案件")
        sync(old, share)
        old_apps.setattr(models.sync.merge, "_check_chain", lambda *_args: None)
        sync(a, share)  # A, not yet updated, applies L's first file
    with monkeypatch.context() as old_apps:
        old_apps.setattr(models.sync.run, "encode_lines", _old_app)
        new_incident(old, "仍未更新")
        sync(old, share)

    assert not [w for w in sync(a, share).waiting if old.device in w]
    assert _titles(a) == {"更新前的案件", "仍未更新"}
    assert [w for w in sync(c, share).waiting if old.device in w]
    assert _titles(c) == set()

    new_incident(old, "更新後的案件")  # L updated: signed, after its unsigned files
    sync(old, share)
    assert not [w for w in sync(a, share).waiting if old.device in w]
    assert "更新後的案件" in _titles(a)
    seq, _prev = _next(old, share)
    segment_path(share, old.device, seq).write_bytes(_unsigned(old.device, seq, {}, [
        _title_change(old.device, str(uuid.uuid4()), "偽造")]))
    assert [w for w in sync(a, share).waiting if old.device in w]
    assert _titles(a) == {"更新前的案件", "仍未更新", "更新後的案件"}


def test_a_pc_from_before_signing_takes_a_key_and_a_new_identity_at_its_next_sync(
        make_pc: Callable[..., PC], share: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database from before signing that has already sent segments: its next sync gives it
    a key and the identity that key proves (its old files stay under the old id), and its
    unsent changes go out signed under the new one. A PC that followed the old log takes
    them; one that never did waits for the old log (the new files depend on it), named."""
    from sqlalchemy import update

    from models.sync.entities import DEVICE

    a, c, old = make_pc("A"), make_pc("C"), make_pc("L")
    with monkeypatch.context() as old_apps:
        old_apps.setattr(models.sync.run, "encode_lines", _old_app)
        new_incident(old, "更新前的案件")
        sync(old, share)
        old_apps.setattr(models.sync.merge, "_check_chain", lambda *_args: None)
        sync(a, share)  # A, not yet updated, follows L's log
    before = old.device
    with old.db.session() as session:  # as the database from before has it: no key
        session.execute(update(DEVICE).values(signing_key=None))
    new_incident(old, "更新後的案件")

    report = sync(old, share)

    assert not report.new_identity  # nothing to tell the user: not a clone
    assert old.device != before
    assert device_id_of(public_key_of(old.signing_key)) == old.device
    [signed] = (share / "devices" / old.device / "log").glob("*.seg")
    assert decode_segment(signed.read_bytes(), device=old.device, seq=1).key is not None
    sync(a, share)
    assert {"更新前的案件", "更新後的案件"} <= _titles(a)
    report = sync(c, share)
    assert _titles(c) == set()
    assert [w for w in report.waiting if before in w] and [
        w for w in report.waiting if old.device in w]


def test_an_unsigned_file_speaks_for_its_own_device_only(
        make_pc: Callable[..., PC], share: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unsigned file appended to an old log a PC follows may not carry a change as another
    PC's (the locks and the conflict list would take it for that PC's own)."""
    a, old = make_pc("A"), make_pc("L")
    with monkeypatch.context() as old_apps:
        old_apps.setattr(models.sync.run, "encode_lines", _old_app)
        incident = new_incident(old, "更新前的案件")
        sync(old, share)
        old_apps.setattr(models.sync.merge, "_check_chain", lambda *_args: None)
        sync(a, share)
    seq, _prev = _next(old, share)
    segment_path(share, old.device, seq).write_bytes(_unsigned(old.device, seq, {}, [
        _title_change(a.device, incident, "冒名的修改")]))

    report = sync(a, share)

    assert [w for w in report.waiting if old.device in w and _(
        "line {n}: a change of another device").format(n=2) in w]
    assert _titles(a) == {"更新前的案件"}


def test_an_end_line_written_another_way_is_refused_and_the_chain_holds(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    """The end line is the one part outside the signature. Written another way (a space, an
    extra key), the same signed changes would make a file of another SHA-256, and every later
    file of the device would be refused as a broken chain by the PCs that read that copy."""
    a, b, _c = pcs
    new_incident(a)
    sync(a, share)
    [path] = (share / "devices" / a.device / "log").glob("*.seg")
    genuine = path.read_bytes()
    body, _nl, footer = genuine[:-1].rpartition(b"\n")
    path.write_bytes(body + b"\n" + footer + b" \n")

    report = sync(b, share)

    assert [w for w in report.waiting if a.device in w and _(
        "damaged: the end line is not as it was written") in w]
    path.write_bytes(genuine)  # a person restores it: the log goes on, the chain intact
    sync(b, share)
    new_incident(a, "第二件")
    sync(a, share)
    assert not [w for w in sync(b, share).waiting if a.device in w]
    assert _titles(b) == {"加熱菸走私案", "第二件"}


def test_a_lone_surrogate_is_refused_and_the_run_goes_on(pcs: tuple[PC, PC, PC],
                                                         share: Path) -> None:
    """A text that is half a UTF-16 pair cannot be stored: it ended every run in an
    exception, the devices after it never read."""
    a, b, c = pcs
    sync_all(pcs, share)
    stranger, data = _stranger(str(uuid.uuid4()), "x")
    _plant(share, stranger, 1, _rewritten(data, '"x"', '"\\ud800"'))
    new_incident(c, "另一案")
    sync(c, share)

    report = sync(b, share)

    assert report.reachable and not report.error, report.error
    assert [w for w in report.waiting if stranger in w]
    assert "另一案" in _titles(b)


def test_a_file_in_this_pcs_folder_it_did_not_sign_never_costs_it_its_identity(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    """Only a file signed with this PC's own key is a clone's. Junk put in its folder, ahead
    or at the number it writes next, is named and changes nothing: it used to make the PC
    give up its identity at every run."""
    a, b, _c = pcs
    new_incident(a)
    sync_all(pcs, share)
    device = a.device
    seq, _prev = _next(a, share)
    ahead = segment_path(share, device, seq + 5)
    ahead.write_bytes(b"junk")
    segment_path(share, device, seq).write_bytes(b"junk at the next number")
    new_incident(a, "第二件")

    report = sync(a, share)

    assert not report.new_identity and a.device == device
    assert [w for w in report.waiting if f"{device}/{seq + 5}" in w]
    assert [w for w in report.waiting if f"{device}/{seq}" in w]
    segment_path(share, device, seq).unlink()  # a person removes it
    assert sync(a, share).sent_segments == 1
    sync(b, share)
    assert "第二件" in _titles(b)
