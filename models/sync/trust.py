"""Who the office trusts, as its signed records say (docs/trust.md, "Enrolment").

A pure function of the office authority's public key and the verified records
(models.sync.trust_records): which devices are enrolled, for whom and with what role, which
are revoked and from where, which PCs wait for approval, and which unsigned history the
authority sealed. Every PC holding the same records computes the same state, so every
receiver applies the same rules.

An enrolment counts when the authority signed it, or a PC the authority itself enrolled as an
approver (one level of delegation, as TUF delegates narrowly scoped keys; never further). For
a device enrolled more than once (a new role), the latest record counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from forms.verify import ALPHABET, crockford, normalize_code
from i18n import N_, _
from models.core.errors import UserError
from models.org.people import Actor, Role
from models.core.keytext import decode_key
from models.sync.keys import device_id_of
from models.sync.trust_records import Record

_CODE_GROUPS = (4, 4, 4)
"""12 characters of Crockford's base32 (no I, L, O or U, so a code read over the phone is not
misheard): 60 bits of the device id, so a key made to match another PC's code would take
about 2^60 tries."""


def code_of(device: str) -> str:
    """The short code of a device (or of the authority's key, by its device id) that an approver
    compares by phone or in person, e.g. 4F7K-2Q9M-X3BD."""
    return crockford(int(device.replace("-", "")[:15], 16), _CODE_GROUPS)  # 60 bits


def normal_code(text: str) -> str:
    """A code as a person may type it (lower case, spaces, full-width, O for 0, I or L for 1),
    written as code_of writes it; UserError when it cannot be a code."""
    code = normalize_code(text, _CODE_GROUPS)
    chars = code.replace("-", "")
    if len(chars) != sum(_CODE_GROUPS) or code.count("-") != 2 or not set(chars) <= set(ALPHABET):
        raise UserError(N_("'{code}' is not a PC's code (12 letters and digits, such as "
                           "4F7K-2Q9M-X3BD)."), code=text)
    return code


@dataclass(frozen=True)
class Grant:
    """An enrolled device: the person at it, as the approver saw them."""

    device: str
    key: bytes
    person: str
    login: str
    pc: str
    role: Role
    posts: tuple[str, ...]
    approver: bool
    issued: str
    approved_by: str
    """The device id of the key that signed the enrolment (the authority's, or an approver's)."""

    @property
    def code(self) -> str:
        return code_of(self.device)

    def actor(self, unit: str = "") -> Actor:
        """Who acts on this PC: the person, role and posts granted, never what its settings
        say (*unit*: the unit this PC works for, a setting that grants nothing)."""
        return Actor(name=self.person, role=self.role, unit=unit, login=self.login, pc=self.pc,
                     posts=self.posts)


@dataclass(frozen=True)
class Request:
    """A PC asking to join, as it describes itself (nothing in it is proved but its key)."""

    device: str
    key: bytes
    person: str
    login: str
    pc: str
    unit: str
    issued: str
    role: Role | None = None
    """The role its settings claim (what the approver starts from; it proves nothing)."""

    @property
    def code(self) -> str:
        return code_of(self.device)


@dataclass
class TrustState:
    authority: bytes | None
    grants: dict[str, Grant] = field(default_factory=dict)
    revoked: dict[str, int] = field(default_factory=dict)
    """Device → the last of its segments that stays valid."""
    requests: dict[str, Request] = field(default_factory=dict)
    sealed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Device → the SHA-256 of each of its unsigned segments, from 1 on."""
    office_enrols: bool = False
    """Does this PC hold any enrolment at all (the office has an authority, pinned here or not)?"""

    @property
    def active(self) -> bool:
        """Does this PC check enrolment (it knows the office's authority)?"""
        return self.authority is not None

    def grant(self, device: str) -> Grant | None:
        return self.grants.get(device)

    def pending(self) -> list[Request]:
        """The PCs that asked to join and are neither enrolled nor revoked."""
        return sorted((r for d, r in self.requests.items()
                       if d not in self.grants and d not in self.revoked),
                      key=lambda r: (r.issued, r.device))

    def refusal(self, device: str, seq: int, *, signed: bool, sha256: str,
                formers: tuple[str, ...] = ()) -> str | None:
        """Why segment *seq* of *device* must not be applied here, or None. Unsigned segments
        count only as the sealed history; signed ones need an enrolment not revoked before
        them, and the former identities they carry versions of (models.sync.segment
        Segment.formers) an enrolment of their own at some time: a PC whose copy was caught
        had been enrolled, while a key made to sign a succession never was."""
        stranger = next((f for f in formers if f not in self.grants and f not in self.revoked),
                        None)
        if stranger is not None:
            return _("it names as a former identity a PC the office never enrolled (code "
                     "{code}): forged").format(code=code_of(stranger))
        if not signed:
            sealed = self.sealed.get(device, ())
            if seq <= len(sealed) and sealed[seq - 1] == sha256:
                return None
            return _("not signed, and not in the history the office sealed when it enrolled "
                     "its PCs (forged, or written by a PC not yet updated)")
        after = self.revoked.get(device)
        if after is not None and seq > after:
            return _("this PC was revoked by the office: its files after {seq} are "
                     "refused").format(seq=after)
        if device not in self.grants:
            return self.waiting_text(device)
        return None

    def waiting_text(self, device: str) -> str:
        request = self.requests.get(device)
        if request is None:
            return _("waiting for approval: a PC that has not asked to join, code {code}"
                     ).format(code=code_of(device))
        who = " ".join(part for part in (request.unit, request.person) if part) or request.pc
        return _("waiting for approval: {who}, code {code}").format(who=who, code=request.code)


def trust_state(authority: bytes | None, records: Iterable[Record]) -> TrustState:
    """The state *records* give under *authority* (None: not known on this PC yet).

    The authority's own records come first: its enrolments (the latest per device counts),
    its revocations, and so its approvers (the PCs it enrolled as approvers and did not
    revoke). An approver's enrolments and revocations count for devices the authority did not
    enrol itself, never for the approver's own PC; a revoked approver's signature counts for
    nothing any more (revoke the PCs it approved, or approve them again). A seal counts where it extends
    what the office sealed before it (a seal saying otherwise is ignored)."""
    records = sorted(records, key=lambda r: (r.issued, r.sha256))
    state = TrustState(authority, office_enrols=any(r.kind == "enrol" for r in records))
    for record in records:
        if record.kind == "request":
            body = record.body
            state.requests[body["device"]] = Request(
                body["device"], record.signer, body["person"], body["login"], body["pc"],
                body["unit"], record.issued, Role(body["role"]) if "role" in body else None)
    if authority is None:
        return state
    own = [r for r in records if r.signer == authority]
    for record in own:
        if record.kind == "enrol":
            grant = _grant(record, approver=bool(record.body["approver"]))
            state.grants[grant.device] = grant
        elif record.kind == "revoke":
            _revoke(state, record)
    approvers = {g.device: g.key for g in state.grants.values()
                 if g.approver and g.device not in state.revoked}
    direct = set(state.grants)
    trusted = [r for r in records if r.signer == authority
               or approvers.get(r.signer_device) == r.signer]
    for record in trusted:
        if record.signer == authority:
            continue
        device = str(record.body.get("device", ""))
        if record.kind == "enrol" and device not in direct and device != record.signer_device:
            state.grants[device] = _grant(record, approver=False)
        elif record.kind == "revoke" and device not in direct:
            _revoke(state, record)
    for record in trusted:
        if record.kind == "seal":
            _seal(state, record.body["device"], tuple(record.body["segments"]))
    return state


def _revoke(state: TrustState, record: Record) -> None:
    device, after = record.body["device"], int(record.body["after_seq"])
    state.revoked[device] = min(after, state.revoked.get(device, after))


def _seal(state: TrustState, device: str, segments: tuple[str, ...]) -> None:
    sealed = state.sealed.get(device, ())
    if len(segments) > len(sealed) and segments[:len(sealed)] == sealed:
        state.sealed[device] = segments


def _grant(record: Record, *, approver: bool) -> Grant:
    body = record.body
    key = decode_key(body["key"])
    assert key is not None  # decode_record checked it
    return Grant(body["device"], key, body["person"], body["login"], body["pc"],
                 Role(body["role"]), tuple(body["posts"]), approver, record.issued,
                 record.signer_device)


def authorities_enrolling(device: str, records: Iterable[Record]) -> set[bytes]:
    """The keys that may be the office's authority by the records enrolling *device*: every key
    that signed an enrolment of it, directly or as the authority of the approver that did,
    under which trust_state then grants it, and that is no PC's key (every PC signs its own
    request to join: the authority's PC too, at trust init; nobody can sign one with the
    authority's key but its holder). A PC pins its authority at its own enrolment only when
    exactly one key is left: two (a program approving it with a key of its own) pin nothing
    and the PC keeps waiting, named (docs/trust.md)."""
    records = list(records)
    enrolments = [r for r in records if r.kind == "enrol"]
    pcs = {r.signer for r in records if r.kind == "request"}
    signers = {r.signer for r in enrolments if r.body["device"] == device}
    candidates = signers | {upper.signer for upper in enrolments
                            if upper.body["approver"]
                            and upper.body["device"] in {device_id_of(k) for k in signers}}
    return {key for key in candidates - pcs
            if trust_state(key, records).grant(device) is not None}
