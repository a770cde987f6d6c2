"""Signed trust records: what an office's authority (or a PC it delegated approval to) and a
PC asking to join say about who may write what (docs/trust.md, "Enrolment").

A record is one line of canonical JSON (sorted keys, no spaces, UTF-8) with the signer's public
key and an Ed25519 signature over everything but the signature. Its file is named by its SHA-256,
so a record is written once and the same record is the same file on every PC. Records travel
through the shared folder like any other file and are verified by their signature, never by
where they lie: this module checks form and signature only; who counts as an authority is
decided by models.sync.trust.

Kinds:
- request: a PC asks to join, signed by its own key: its device, key, the person at it and
  their unit and role (as its settings say), the Windows login and the PC's name.
- enrol: the approver binds a device's key to a person, their login and PC, a role and posts;
  ``approver`` lets that PC approve others (one level, never further).
- revoke: the device's segments after ``after_seq`` are refused; those before stay valid.
- seal: the unsigned history of a device from before PCs signed, as the approver's PC held it
  (the SHA-256 of each segment, from 1 on): the only unsigned segments still accepted.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from i18n import N_
from models.core.errors import UserError, ValidationError
from models.core.json_reader import JsonReader, load_json
from models.org.people import Role
from models.core.keytext import decode_key, encode_key
from models.sync.keys import device_id_of, public_key_of, sign_record, verify_record

FORMAT = "crisisdesk-trust"
VERSION = 1
MAX_RECORD_BYTES = 1024 * 1024
"""A record is small; a seal lists at most _MAX_SEALED segments of one device."""
_MAX_SEALED = 12000
_MAX_TEXT = 200
_MAX_POSTS = 20
KINDS = ("request", "enrol", "revoke", "seal")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_DEVICE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class RecordError(UserError):
    """A trust record that is not well formed or whose signature does not check."""


@dataclass(frozen=True)
class Record:
    kind: str
    issued: str
    signer: bytes
    """The public key that signed it."""
    body: Mapping[str, Any]
    sha256: str
    data: bytes
    """The record's bytes, as written (its file's content)."""

    @property
    def signer_device(self) -> str:
        return device_id_of(self.signer)


def _canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def make_record(private: bytes, kind: str, body: Mapping[str, Any],
                issued: str | None = None) -> Record:
    """A new record of *kind* signed with *private*; checked as a receiver checks it, so a
    record this PC writes is one every PC accepts."""
    unsigned = {"format": FORMAT, "version": VERSION, "kind": kind,
                "issued": issued or now_text(), "signer": encode_key(public_key_of(private)),
                "body": dict(body)}
    payload = _canonical(unsigned)
    data = _canonical({**unsigned, "sig": sign_record(private, payload)})
    return decode_record(data)


def decode_record(data: bytes) -> Record:
    """The record *data* is, checked: its form, each field of its kind, that it is written
    exactly as a writer writes it (so its name, the SHA-256, is the same everywhere), and its
    signature. RecordError names what is wrong."""
    try:
        root = JsonReader(load_json(data, wrong_kind=N_("is not a trust record"),
                                    max_bytes=MAX_RECORD_BYTES))
        top = root.obj(allowed=("format", "version", "kind", "issued", "signer", "body", "sig"))
        if root.get("format").string() != FORMAT:
            raise ValidationError("format", N_("must be '{expected}'"), expected=FORMAT)
        if root.get("version").integer() != VERSION:
            raise ValidationError("version", N_("must be {expected}"), expected=VERSION)
        kind = root.get("kind").choice(KINDS)
        issued = root.get("issued").string(max_length=40)
        signer = decode_key(root.get("signer").string(max_length=64))
        if signer is None:
            raise ValidationError("signer", N_("is not a public key"))
        _BODIES[kind](root.get("body"), signer)
        signature = root.get("sig").string(max_length=100)
    except ValidationError as exc:
        raise RecordError(N_("not a valid trust record: {problem}"), problem=exc) from None
    unsigned = {k: v for k, v in top.items() if k != "sig"}
    if _canonical(top) != data:
        raise RecordError(N_("not written as CrisisDesk writes a trust record"))
    if not verify_record(signer, _canonical(unsigned), signature):
        raise RecordError(N_("its signature does not match: forged or altered"))
    return Record(kind, issued, signer, top["body"], hashlib.sha256(data).hexdigest(), data)


def _text(body: JsonReader, name: str, *, allow_empty: bool = False) -> str:
    return body.get(name).string(allow_empty=allow_empty, max_length=_MAX_TEXT)


def _device_and_key(body: JsonReader) -> bytes:
    device = body.get("device").string(max_length=36)
    key = decode_key(body.get("key").string(max_length=64))
    if key is None:
        raise ValidationError("body.key", N_("is not a public key"))
    if device_id_of(key) != device:
        raise ValidationError("body.device", N_("is not the device its key proves"))
    return key


def _request(body: JsonReader, signer: bytes) -> None:
    body.obj(allowed=("device", "key", "person", "login", "pc", "unit", "role"))
    if _device_and_key(body) != signer:
        raise ValidationError("signer", N_("a request must be signed by the PC that asks"))
    for name in ("person", "login", "pc", "unit"):
        _text(body, name, allow_empty=True)
    if body.has("role"):
        body.get("role").choice([r.value for r in Role])


def _enrol(body: JsonReader, signer: bytes) -> None:
    body.obj(allowed=("device", "key", "person", "login", "pc", "role", "posts", "approver"))
    _device_and_key(body)
    for name in ("person", "login"):
        _text(body, name)
    _text(body, "pc", allow_empty=True)
    body.get("role").choice([r.value for r in Role])
    posts = list(body.get("posts").items(non_empty=False))
    if len(posts) > _MAX_POSTS:
        raise ValidationError("body.posts", N_("lists more than {limit}"), limit=_MAX_POSTS)
    for post in posts:
        post.string(max_length=_MAX_TEXT)
    body.get("approver").boolean()


def _revoke(body: JsonReader, signer: bytes) -> None:
    body.obj(allowed=("device", "after_seq"))
    if _DEVICE.fullmatch(body.get("device").string(max_length=36)) is None:
        raise ValidationError("body.device", N_("is not a device id"))
    if body.get("after_seq").integer() < 0:
        raise ValidationError("body.after_seq", N_("must be 0 or more"))


def _seal(body: JsonReader, signer: bytes) -> None:
    body.obj(allowed=("device", "segments"))
    if _DEVICE.fullmatch(body.get("device").string(max_length=36)) is None:
        raise ValidationError("body.device", N_("is not a device id"))
    shas = list(body.get("segments").items())
    if len(shas) > _MAX_SEALED:
        raise ValidationError("body.segments", N_("lists more than {limit}"), limit=_MAX_SEALED)
    for sha in shas:
        if _SHA256.fullmatch(sha.string(max_length=64)) is None:
            raise ValidationError(sha.path, N_("is not a SHA-256"))


_BODIES = {"request": _request, "enrol": _enrol, "revoke": _revoke, "seal": _seal}


def record_file_name(sha256: str) -> str:
    return f"{sha256}.json"


def sha_of_file_name(name: str) -> str | None:
    """The SHA-256 a record file's name says, or None for a name that is not a record's."""
    match = re.fullmatch(r"([0-9a-f]{64})\.json", name)
    return match[1] if match else None
