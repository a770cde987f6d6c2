"""Segments an enrolled PC running a tampered app signs with its own key (or a writer of the
share forges without one): each is refused with its reason named, nothing of it is applied,
the run goes on, and the receiver's own integrity check stays clean."""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from i18n import _
from models.incidents.queries import list_incidents
from models.schema import RULES
from models.storage.db import utcnow
from models.sync.audit import verify_history
from models.sync.folder import segment_path
from models.sync.merge import heads_of
from models.sync.run import _now_text
from models.sync.segment import encode_lines
from tests.sync.conftest import PC, new_incident, sync, sync_all
from tests.sync.test_sync_basic import _archived_on_a_while_b_edits


def _line(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"),
                      sort_keys=True).encode("utf-8") + b"\n"


def _next(pc: PC, share: Path) -> tuple[int, str]:
    log = share / "devices" / pc.device / "log"
    seq = max((int(p.stem) for p in log.glob("*.seg")), default=0) + 1
    prev = (hashlib.sha256(segment_path(share, pc.device, seq - 1).read_bytes()).hexdigest()
            if seq > 1 else "")
    return seq, prev


def publish(pc: PC, share: Path, lines: list[bytes],
            formers: list[dict[str, str]] | None = None) -> Path:
    """*lines* as *pc*'s next segment, signed with its key (with *formers* in its header)."""
    seq, prev = _next(pc, share)
    path = segment_path(share, pc.device, seq)
    path.write_bytes(encode_lines(pc.signing_key, seq, _now_text(), "9.9", {}, lines,
                                  prev=prev, formers=formers or ()))
    return path


def change(pc: PC, row_id: str, fields: dict[str, tuple[str, Any, list[str]]],
           table: str = "incidents") -> bytes:
    """A change line of *pc*: field → (version id, value, bases)."""
    return _line({"t": table, "id": row_id, "h": 10 ** 17, "d": pc.device, "seen": [],
                  "f": {name: {"v": v, "val": value, "b": bases}
                        for name, (v, value, bases) in fields.items()}})


def head(pc: PC, table: str, row_id: str, name: str) -> str:
    with pc.db.session() as session:
        [version] = heads_of(session.connection(), table, [row_id])[row_id][name]
    return version.version_id


def refused(report: Any, path: Path) -> str:
    [line] = [w for w in report.waiting if path.name in w]
    return str(line)


@pytest.mark.parametrize("sent", [
    "2026-W28-7T17:27:36.123456Z",  # a week date, which Python's ISO reader takes
    "2026-07-12T17-20:36.123456Z",  # an offset where the minutes go
    "2026-07-12T17.27+16.123456Z",
])
def test_a_time_in_another_form_than_the_syncs_is_refused(
        pcs: tuple[PC, PC, PC], share: Path, sent: str) -> None:
    """Stored as it came, such a text is no time to SQLite: the incident fell out of the
    year's numbering and the list of incidents failed on every PC that took it."""
    a, b, _c = pcs
    incident = new_incident(b)
    sync_all(pcs, share)
    path = publish(b, share, [change(b, incident, {"started_at": (
        str(uuid.uuid4()), sent, [head(b, "incidents", incident, "started_at")])})])

    report = sync(a, share)

    assert report.received_changes == 0
    assert _("{column}: not a time").format(column="started_at") in refused(report, path)
    assert incident in {i.id for i in list_incidents(a.db, "keelung", utcnow(), 15)}
    assert not verify_history(a.db, RULES).findings


def test_an_end_line_no_writer_could_write_is_refused_not_a_crash(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    """A lone surrogate in the end line, which is outside the signature: anyone who can write
    to the share, with no key, ended every PC's sync run with an exception."""
    a, b, _c = pcs
    new_incident(b)
    sync_all(pcs, share)
    seq, _prev = _next(b, share)
    body = _line({"format": "crisisdesk-segment", "version": 2, "device": b.device,
                  "seq": seq})
    path = segment_path(share, b.device, seq)
    path.write_bytes(body + b'{"count":0,"end":true,"sha256":"'
                     + hashlib.sha256(body).hexdigest().encode() + b'","sig":"\\ud800"}\n')

    report = sync(a, share)

    assert _("damaged: the end line is not as it was written") in refused(report, path)


@pytest.mark.parametrize("where", ["two changes", "two fields of a change"])
def test_a_segment_carrying_one_version_twice_is_refused(
        pcs: tuple[PC, PC, PC], share: Path, where: str) -> None:
    """The second was skipped as a replay, and the receiver's own check then said a value of
    the signed file was deleted outside the app: a hostile PC made an honest PC's history look
    tampered with."""
    a, b, _c = pcs
    first, second = new_incident(b, "甲案"), new_incident(b, "乙案")
    sync_all(pcs, share)
    vid = str(uuid.uuid4())
    lines = ([change(b, first, {"title": (vid, "甲", [head(b, "incidents", first, "title")])}),
              change(b, second, {"title": (vid, "乙", [head(b, "incidents", second, "title")])})]
             if where == "two changes" else
             [change(b, first, {"title": (vid, "甲", []), "summary": (vid, "乙", [])})])
    path = publish(b, share, lines)

    report = sync(a, share)

    assert report.received_changes == 0
    assert _("damaged: it carries version {version} twice").format(version=vid) in refused(
        report, path)
    assert not verify_history(a.db, RULES).findings


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_a_number_json_cannot_hold_is_refused(pcs: tuple[PC, PC, PC], share: Path,
                                              value: str) -> None:
    """Python's JSON reader takes NaN and infinities; kept in the history (here in a field of
    a newer app), they are no JSON, and the receiver's check called its history altered."""
    a, b, _c = pcs
    incident = new_incident(b)
    sync_all(pcs, share)
    line = (b'{"d":"' + b.device.encode() + b'","f":{"zz_newer":{"b":[],"v":"'
            + str(uuid.uuid4()).encode() + b'","val":' + value.encode() + b'}},"h":'
            + str(10 ** 17).encode() + b',"id":"' + incident.encode()
            + b'","seen":[],"t":"incidents"}\n')
    path = publish(b, share, [line])

    report = sync(a, share)

    assert report.received_changes == 0
    assert _("line {n}: field {name}: not a plain value").format(
        n=2, name="zz_newer") in refused(report, path)
    assert not verify_history(a.db, RULES).findings


@pytest.mark.parametrize("unlock", [False, True], ids=["plain", "naming the lock"])
def test_an_archived_incident_stays_locked_against_an_enrolled_hostile_pc(
        office_pcs: tuple[PC, PC, PC], share: Path, unlock: bool) -> None:
    """B may not change an archived incident. A change of B's own incident that named the
    archived one's lock among the values it replaced made the lock count no more, and B's
    title of the archived incident stood on every PC."""
    from models.incidents.queries import incident_view

    a, b, c = office_pcs
    archived = _archived_on_a_while_b_edits(office_pcs, share, lambda _b, _i: None)
    own = new_incident(b, "B 自己的案")
    sync_all(office_pcs, share)
    with a.db.session() as session:
        heads = heads_of(session.connection(), "incidents", [archived])[archived]
    [lock], [title] = heads["status"], heads["title"]
    lines = [change(b, own, {"title": (str(uuid.uuid4()), "B 自己的案 改", [
        head(b, "incidents", own, "title"), lock.version_id])})] if unlock else []
    path = publish(b, share, [*lines, change(b, archived, {"title": (
        str(uuid.uuid4()), "封存後被改的標題", [title.version_id])})])

    report = sync(c, share)

    assert incident_view(c.db, archived, utcnow(), 10).title == "加熱菸走私案"
    if unlock:
        assert _("{table} {row}, field {field}: it names as replaced a value of another "
                 "record or field").format(table="incidents", row=own, field="title") in (
            refused(report, path))
    assert not verify_history(c.db, RULES).findings


def _squatted(pcs: tuple[PC, PC, PC], share: Path
              ) -> tuple[str, Path, Any, dict[str, str]]:
    """C retitles an incident; B, reading C's file on the share, sends a title of its own
    under C's version id, and A receives B's file before C's. The version id, B's file, A's
    report of the run that met B's file alone, and each PC's title of the incident after
    everyone synced."""
    from models.incidents.actions import update_fact
    from models.sync.segment import decode_segment
    from tests.sync.conftest import HEAD, table_rows

    a, b, c = pcs
    incident = new_incident(c)
    sync_all(pcs, share)
    update_fact(c.db, HEAD, incident, "title", "真標題")
    sync(c, share)
    genuine = sorted((share / "devices" / c.device / "log").glob("*.seg"))[-1]
    [vid] = [ch.fields["title"].version_id for ch in decode_segment(
        genuine.read_bytes(), device=c.device, seq=int(genuine.stem)).changes
        if ch.table == "incidents" and "title" in ch.fields]
    squatter = publish(b, share, [change(b, incident, {"title": (vid, "假標題", [])})])
    held_back = genuine.read_bytes()
    genuine.unlink()
    report = sync(a, share)
    genuine.write_bytes(held_back)
    sync_all(pcs, share)
    titles = {pc.name: next(r["title"] for r in table_rows(pc.db)["incidents"]
                            if r["id"] == incident) for pc in pcs}
    return vid, squatter, report, titles


def test_a_version_id_reused_by_another_pc_is_refused_as_forged(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    """A version id ends with its writer's tag (models.sync.keys.version_tag): B's file
    carrying C's id is refused by the first PC that meets it, naming the version."""
    vid, squatter, report, _titles = _squatted(pcs, share)

    assert _("it carries version {version}, which another PC wrote: forged").format(
        version=vid) in refused(report, squatter)


def test_a_version_id_reused_by_another_pc_loses_no_value(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    """Before ids were bound to their writer, A kept B's value under C's id and skipped C's
    genuine version as known: the PCs diverged for good, silently."""
    a, _b, c = pcs
    _vid, _squatter, _report, titles = _squatted(pcs, share)

    assert titles[a.name] == titles[c.name] == "真標題"
    assert not verify_history(a.db, RULES).findings


@pytest.mark.parametrize("forgery", ["its own", "copied from another", "replayed", "no key"])
def test_a_succession_that_does_not_lead_to_the_writer_proves_nothing(
        pcs: tuple[PC, PC, PC], share: Path, forgery: str) -> None:
    """A PC whose copy was caught carries its unsent versions on under a new identity, with
    the old identity's signed word for it (models.sync.segment.succession). B, to carry
    versions tagged as another PC's, can sign only its own word, copy another's signature
    (which does not check for its device), or replay a genuine succession of another PC
    (which leads to that PC, not to B): each file is refused, nothing of it applied."""
    from models.core.ids import new_id
    from models.core.keytext import encode_key
    from models.sync.keys import device_id_of, new_identity, public_key_of, version_tag
    from models.sync.segment import succession

    a, b, c = pcs
    incident = new_incident(c)
    sync_all(pcs, share)
    c_former, c_former_device = new_identity()
    writer = c_former_device if forgery == "replayed" else c.device
    claim = {
        "its own": succession(b.signing_key, b.device),
        "copied from another": {**succession(b.signing_key, b.device),
                                "key": encode_key(public_key_of(c.signing_key))},
        "replayed": succession(c_former, c.device),
        "no key": {"key": "AAAA", "next": b.device, "sig": "AAAA"},
    }[forgery]
    assert device_id_of(public_key_of(c_former)) == c_former_device
    squatting = new_id(version_tag(writer))
    path = publish(b, share, [change(b, incident, {"title": (squatting, "假標題", [])})],
                   formers=[claim])

    report = sync(a, share)

    expected = (_("former identities: a succession that does not check: forged")
                if forgery in ("copied from another", "no key") else
                _("it carries version {version}, which another PC wrote: forged").format(
                    version=squatting))
    assert expected in refused(report, path)
    assert "假標題" not in {i.title for i in list_incidents(a.db, "keelung", utcnow(), 10)}


def test_a_former_identity_the_office_never_enrolled_proves_nothing(
        office_pcs: tuple[PC, PC, PC], share: Path) -> None:
    """Any key can sign a succession: B, enrolled, could make keys until one's tag were C's
    and name it as its former identity. Under the office's authority a former must have been
    enrolled itself, as the original of a caught copy always was."""
    from models.core.ids import new_id
    from models.sync.keys import new_identity, version_tag
    from models.sync.segment import succession
    from models.sync.trust import code_of

    a, b, _c = office_pcs
    incident = new_incident(b, "B 的案")
    sync_all(office_pcs, share)
    throwaway, made_up = new_identity()
    path = publish(b, share, [change(b, incident, {"title": (
        new_id(version_tag(made_up)), "假標題", [])})], formers=[succession(throwaway, b.device)])

    report = sync(a, share)

    assert _("it names as a former identity a PC the office never enrolled (code {code}): "
             "forged").format(code=code_of(made_up)) in refused(report, path)
    assert "假標題" not in {i.title for i in list_incidents(a.db, "keelung", utcnow(), 10)}
