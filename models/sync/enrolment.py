"""Enrolling PCs: the office authority, approvals, revocations and seals, kept in this PC's
database and published through the share (docs/trust.md, "Enrolment").

The authority is created once (``main.py trust init``) by IT or the executive secretary: its
private key goes to a file encrypted with a passphrase, kept off the PCs' everyday data; its
public key is pinned in this PC's database, and this PC is enrolled as the authority's PC with
the right to approve others (so approving needs no key file). Another PC pins the authority at
its own enrolment. Records are stored here first and written to the share at the next sync
(models.sync.run), so an act never waits on the share.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    PrivateFormat,
    load_pem_private_key,
)
from sqlalchemy import Connection, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from i18n import N_
from models.core.errors import UserError
from models.org.people import Role
from models.org.settings import login_name, pc_name
from models.sync.entities import DEVICE, SEGMENTS, TRUST_RECORDS
from models.core.keytext import encode_key
from models.sync.keys import device_id_of, public_key_of
from models.sync.trust import (
    Grant,
    TrustState,
    authorities_enrolling,
    code_of,
    normal_code,
    trust_state,
)
from models.sync.trust_records import Record, RecordError, decode_record, make_record
from models.sync.segment import UNSIGNED_VERSION

_KEY_FILE_LIMIT = 16 * 1024
REFUSED_KIND = "refused"
"""The kind under which a file of trust/ that is no valid record is remembered."""


@dataclass(frozen=True)
class Me:
    """This PC as the office sees it."""

    device: str
    key: bytes | None
    state: TrustState

    @property
    def code(self) -> str:
        return code_of(self.device)

    @property
    def grant(self) -> Grant | None:
        return self.state.grant(self.device) if self.state.active else None

    @property
    def revoked(self) -> bool:
        return self.device in self.state.revoked

    @property
    def authority_code(self) -> str:
        return code_of(device_id_of(self.state.authority)) if self.state.authority else ""


# --------------------------------------------------------------------------- reading


def records(connection: Connection) -> list[Record]:
    """Every trust record this PC holds (each checked again: a row edited outside the app is
    no record)."""
    found = []
    for data in connection.scalars(select(TRUST_RECORDS.c.data).where(
            TRUST_RECORDS.c.kind != REFUSED_KIND)):
        try:
            found.append(decode_record(data))
        except RecordError:
            continue
    return found


def load_me(connection: Connection, *, pin: bool = False, anchor: bytes | None = None) -> Me:
    """This PC's identity and the office's trust state as its records say. An authority not
    pinned yet counts from this PC's own enrolment, when exactly one key can be it; *pin*
    (a writing transaction: the sync run) then keeps it for good. *anchor*: the authority
    IT's defaults file names, which counts whatever is pinned (anchor_authority stores it at
    the next sync; a reader passes it so as not to act meanwhile under another)."""
    device, key, authority = connection.execute(
        select(DEVICE.c.device_id, DEVICE.c.signing_key, DEVICE.c.authority_key)).one()
    authority = anchor or authority
    held = records(connection)
    if authority is None:
        candidates = authorities_enrolling(device, held)
        if len(candidates) == 1:
            authority = candidates.pop()
            if pin:
                connection.execute(update(DEVICE).values(authority_key=authority))
    return Me(device, key, trust_state(authority, held))


def anchor_authority(connection: Connection, authority: bytes) -> None:
    """IT's defaults file names the office authority (models.org.it_defaults): this PC trusts
    it and no other, in place of one pinned on first sight. An office moves to a new authority
    by IT deploying the file with the new key; the new authority then approves each PC again."""
    connection.execute(update(DEVICE).where(
        (DEVICE.c.authority_key.is_(None)) | (DEVICE.c.authority_key != authority))
        .values(authority_key=authority))


def refuse_records(connection: Connection, shas: Iterable[str]) -> None:
    """Remember files of the share's trust/ that are no valid record (named once, when first
    read): they are never read again, however many or large (kind "refused", no data)."""
    for sha in shas:
        connection.execute(sqlite_insert(TRUST_RECORDS).values(
            sha256=sha, kind=REFUSED_KIND, data=b"", published=True).on_conflict_do_nothing())


def store(connection: Connection, found: Iterable[Record], *, published: bool) -> None:
    """Keep *found* (*published*: read from the share, or seen written there)."""
    for record in found:
        connection.execute(sqlite_insert(TRUST_RECORDS).values(
            sha256=record.sha256, kind=record.kind, data=record.data,
            published=published).on_conflict_do_nothing())
        if published:
            connection.execute(update(TRUST_RECORDS).where(
                TRUST_RECORDS.c.sha256 == record.sha256).values(published=True))


# --------------------------------------------------------------------------- the authority


def write_authority_key(path: Path, private: bytes, passphrase: bytes) -> None:
    """Write the authority's private key to *path*, encrypted with *passphrase* (PKCS#8 PEM,
    the form IT tools read); never over an existing file."""
    if not passphrase:
        raise UserError(N_("The authority's key needs a passphrase."))
    pem = Ed25519PrivateKey.from_private_bytes(private).private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, BestAvailableEncryption(passphrase))
    try:
        with open(path, "xb") as fh:
            fh.write(pem)
    except FileExistsError:
        raise UserError(N_("{path} exists: the authority's key is never written over a "
                           "file."), path=str(path)) from None


def read_authority_key(path: Path, passphrase: bytes) -> bytes:
    """The authority's private key from *path*; UserError for a wrong passphrase or file."""
    try:
        with open(path, "rb") as fh:
            pem = fh.read(_KEY_FILE_LIMIT)
        key = load_pem_private_key(pem, passphrase or None)
    except (ValueError, TypeError):
        raise UserError(N_("{path} cannot be opened with this passphrase, or is not an "
                           "authority key."), path=str(path)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise UserError(N_("{path} is not an authority key."), path=str(path))
    return key.private_bytes_raw()


def init_authority(connection: Connection, authority: bytes, *, person: str, login: str,
                   pc: str, role: Role, posts: Sequence[str]) -> Record:
    """Make *authority* this office's, on this PC, and enrol this PC as the authority's PC
    (an approver), sealing the unsigned history it holds. Refused where an authority is
    already pinned."""
    me = load_me(connection)
    refuse_second_authority(me)
    if me.key is None:
        raise UserError(N_("This PC has no signing key yet: sync once, then try again."))
    connection.execute(update(DEVICE).values(authority_key=public_key_of(authority)))
    enrolment = _enrol_record(authority, me.device, public_key_of(me.key), person=person,
                              login=login, pc=pc, role=role, posts=posts, approver=True)
    # Its own request too, as every PC's: it says that this key is a PC's, not an authority's
    # (models.sync.trust.authorities_enrolling).
    asked = _request(me.key, me.device, person=person, login=login, pc=pc, unit="", role=role)
    store(connection, [asked, enrolment, *_seals(connection, authority, TrustState(None))],
          published=False)
    return enrolment


def refuse_second_authority(me: Me) -> None:
    """One authority per office: not on a PC that has one, nor where the shared folder
    already brought enrolments (an office that has one; or forged ones, to be removed)."""
    if me.state.authority is not None:
        raise UserError(N_("This PC already belongs to an office authority (code {code})."),
                        code=me.authority_code)
    if me.state.office_enrols:
        raise UserError(N_("The shared folder already holds enrolments by an office "
                           "authority: approve this PC from the authority's PC instead. If "
                           "they are forged, remove them from the folder's trust/ first."))


def _enrol_record(private: bytes, device: str, key: bytes, *, person: str, login: str, pc: str,
                  role: Role, posts: Sequence[str], approver: bool) -> Record:
    return make_record(private, "enrol", {
        "device": device, "key": encode_key(key), "person": person, "login": login, "pc": pc,
        "role": role.value, "posts": list(posts), "approver": approver})


def _seals(connection: Connection, signer: bytes, state: TrustState) -> list[Record]:
    """Seals of the unsigned history this PC holds beyond what *state* already seals: per
    device, the SHA-256 of its unsigned segments from 1 on, as long as they run unbroken."""
    shas: dict[str, list[str]] = {}
    for device, seq, sha, packed in connection.execute(
            select(SEGMENTS.c.device, SEGMENTS.c.seq, SEGMENTS.c.sha256, SEGMENTS.c.data)
            .order_by(SEGMENTS.c.device, SEGMENTS.c.seq)):
        run = shas.setdefault(device, [])
        if seq == len(run) + 1 and _unsigned(zlib.decompress(packed)):
            run.append(sha)
    return [make_record(signer, "seal", {"device": device, "segments": run})
            for device, run in sorted(shas.items())
            if len(run) > len(state.sealed.get(device, ()))]


def _unsigned(data: bytes) -> bool:
    header = json.loads(data.split(b"\n", 1)[0])
    return int(header.get("version", UNSIGNED_VERSION)) <= UNSIGNED_VERSION


# --------------------------------------------------------------------------- approving


def request_record(connection: Connection, *, person: str, unit: str,
                   role: Role | None = None) -> Record | None:
    """This PC's request to join, as it would publish it now (None once enrolled, or without
    a key)."""
    me = load_me(connection)
    if me.key is None or me.grant is not None or me.revoked:
        return None
    return _request(me.key, me.device, person=person, login=login_name(), pc=pc_name(),
                    unit=unit, role=role)


def _request(key: bytes, device: str, *, person: str, login: str, pc: str, unit: str,
             role: Role | None) -> Record:
    body = {"device": device, "key": encode_key(public_key_of(key)), "person": person,
            "login": login, "pc": pc, "unit": unit}
    return make_record(key, "request", body if role is None else {**body, "role": role.value})


_SIGNERS = frozenset({Role.COMMANDER, Role.SECRETARY})


def _refuse_both_signers(me: Me, device: str, person: str, role: Role) -> None:
    """The commander and the executive secretary sign as two people: one person is not
    enrolled as one on a PC and as the other on another (signing both boxes at once from the
    two, they would leave PCs that disagree on which signature stands)."""
    if role not in _SIGNERS:
        return
    for other in me.state.grants.values():
        if (other.device != device and other.device not in me.state.revoked
                and other.person == person and other.role in _SIGNERS - {role}):
            raise UserError(N_("{person} is enrolled as {role} on the PC with the code {code}: "
                               "the commander and the executive secretary sign as two people. "
                               "Revoke that PC first."), person=person,
                            role=other.role.label, code=other.code)


def _signer(connection: Connection, me: Me, authority: bytes | None) -> bytes:
    """The key an approval is signed with: the authority's (from its key file), or this PC's
    if the authority made it an approver."""
    if authority is not None:
        if me.state.authority is None:
            connection.execute(update(DEVICE).values(authority_key=public_key_of(authority)))
        elif public_key_of(authority) != me.state.authority:
            raise UserError(N_("That key is not this office's authority (code {code})."),
                            code=me.authority_code)
        return authority
    grant = me.grant
    if me.key is None or grant is None or not grant.approver or me.revoked:
        raise UserError(N_("This PC may not approve PCs: give the authority's key file "
                           "(--key-file), or approve from a PC the authority made an "
                           "approver."))
    return me.key


def _refuse_over_authority(me: Me, signer: bytes, device: str) -> None:
    """An approver PC acts only on PCs it may (models.sync.trust.trust_state would ignore the
    rest): never on its own PC, nor on one the authority enrolled itself. *signer* is the
    private key signing."""
    if public_key_of(signer) == me.state.authority:
        return
    grant = me.state.grant(device)
    authority = device_id_of(me.state.authority) if me.state.authority else ""
    if device == me.device or (grant is not None and grant.approved_by == authority):
        raise UserError(N_("The authority enrolled that PC itself: only its key file may "
                           "change or revoke that enrolment (--key-file)."))


def find_request(me: Me, code: str) -> tuple[str, bytes, str, str]:
    """The device, key, login and PC name of the PC with *code* that asked to join (or is
    enrolled already, for a new role)."""
    wanted = normal_code(code)
    requests = [r for r in me.state.requests.values() if r.code == wanted]
    grants = [g for g in me.state.grants.values() if g.code == wanted]
    if len(requests) > 1:
        raise UserError(N_("Two PCs have the code {code}: one of them is forged. Compare the "
                           "PC's full device id."), code=wanted)
    if requests:
        r = requests[0]
        return r.device, r.key, r.login, r.pc
    if grants:
        g = grants[0]
        return g.device, g.key, g.login, g.pc
    raise UserError(N_("No PC with the code {code} has asked to join: start CrisisDesk on "
                       "it and let it sync with the shared folder, then try again."),
                    code=wanted)


def approve(connection: Connection, code: str, *, person: str, login: str, role: Role,
            posts: Sequence[str], authority: bytes | None = None) -> Grant:
    """Enrol the PC with *code* for *person*; the login must be the one the PC reported (the
    approver compares the person at the PC, not a name typed for it). Stored here; the next
    sync writes it to the share."""
    me = load_me(connection)
    signer = _signer(connection, me, authority)
    me = load_me(connection)
    device, key, reported_login, pc = find_request(me, code)
    _refuse_over_authority(me, signer, device)
    if device in me.state.revoked:
        raise UserError(N_("The PC with the code {code} was revoked: it must start again "
                           "with a new identity."), code=code_of(device))
    if reported_login and reported_login.casefold() != login.casefold():
        raise UserError(N_("The PC with the code {code} reports the login {reported}, not "
                           "{login}: is it the right PC?"), code=code_of(device),
                        reported=reported_login, login=login)
    if not person.strip() or not login.strip():
        raise UserError(N_("Give the person's name and login."))
    _refuse_both_signers(me, device, person.strip(), role)
    earlier = me.state.grant(device)  # a new role: an approver stays one
    enrolment = _enrol_record(signer, device, key, person=person.strip(),
                              login=reported_login or login.strip(), pc=pc, role=role,
                              posts=posts, approver=earlier is not None and earlier.approver
                              and public_key_of(signer) == me.state.authority)
    store(connection, [enrolment, *_seals(connection, signer, me.state)], published=False)
    grant = load_me(connection).state.grant(device)
    if grant is None or grant.issued != enrolment.issued:  # the rules of approvers refuse it
        raise UserError(N_("The approval was not taken: this PC may not approve that PC."))
    return grant


def revoke(connection: Connection, code: str, authority: bytes | None = None) -> Record:
    """Revoke the PC with *code*, enrolled or only asking to join (refusing it): the segments
    of it this PC holds stay valid, every later one is refused everywhere."""
    me = load_me(connection)
    signer = _signer(connection, me, authority)
    wanted = normal_code(code)
    devices = {d for d in [*me.state.grants, *me.state.requests] if code_of(d) == wanted}
    if not devices:
        raise UserError(N_("No PC with the code {code} is enrolled or asking to join."),
                        code=wanted)
    if len(devices) > 1:
        raise UserError(N_("Two PCs have the code {code}: one of them is forged. Compare the "
                           "PC's full device id."), code=wanted)
    device = devices.pop()
    if device == me.device:
        raise UserError(N_("A PC cannot revoke itself."))
    _refuse_over_authority(me, signer, device)
    after = connection.scalar(select(SEGMENTS.c.seq).where(SEGMENTS.c.device == device)
                              .order_by(SEGMENTS.c.seq.desc()).limit(1)) or 0
    record = make_record(signer, "revoke", {"device": device, "after_seq": int(after)})
    store(connection, [record], published=False)
    return record
