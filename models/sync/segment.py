"""The change segment file of docs/sync.md: written once by one PC, read by all others.

Plain data in and out, no database and no folder: so the format can be tested (and fuzzed)
on its own. Everything read is untrusted: a file that is truncated, damaged, too large, from
another device or from a newer app is refused with the reason, never half-read.

Since format version 2 a segment is signed by its device's key (models.sync.keys): its header
carries the public key, whose hash is the device id, and the SHA-256 of the device's previous
segment (a chain per device); its end line carries the signature over the SHA-256 of
everything before it. A reader checks key, signature and every change's device before it
reads a change; the chain is checked against the previous segment held (models.sync.merge).
Version 1 segments, unsigned, are those written before PCs signed: they decode with no key.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from i18n import N_, _
from models.core.keytext import decode_key, encode_key
from models.sync.keys import (
    device_id_of,
    public_key_of,
    sign_segment,
    sign_succession,
    verify_segment,
    verify_succession,
    version_tag,
)

log = logging.getLogger(__name__)

FORMAT = "crisisdesk-segment"
VERSION = 2
UNSIGNED_VERSION = 1
"""The format of the segments written before PCs signed them (read, never written)."""
MAX_CHANGES = 5000
"""The most changes a segment may hold (what PCs wrote before SEGMENT_CHANGES)."""
SEGMENT_CHANGES = 1000
"""The most changes this app puts into one segment. A PC applies a segment in one write
transaction (all of it or nothing), and a save in the window waits for that transaction:
with 5,000 notes to a segment a save waited 0.53 s during a sync, with 1,000 0.08 s. The
price is paid in the background: each segment is a transaction and a checkpoint of its own,
and 10,000 changes took 1.6 s to import instead of 1.25 s (docs/benchmarks.md)."""
MAX_BYTES = 16 * 1024 * 1024
_ID_LIMIT = 36
_NAME_LIMIT = 80
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
"""A JSON escape of a UTF-16 surrogate: a pair is a character, a lone one is no text."""
_INT_LIMIT = (1 << 63) - 1
"""SQLite's largest integer: a larger stamp or number cannot be stored (OverflowError)."""


class FieldVersion(NamedTuple):
    """One field's new version in a change (a tuple: a segment holds tens of thousands)."""

    version_id: str
    value: Any
    """JSON data (models.sync.values.encode)."""
    bases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Change:
    table: str
    row_id: str
    stamp: int
    device: str
    fields: Mapping[str, FieldVersion]
    seen: tuple[str, ...] = ()


@dataclass(frozen=True)
class Segment:
    device: str
    seq: int
    created: str
    app: str
    deps: Mapping[str, int]
    changes: tuple[Change, ...]
    sha256: str = field(default="")
    """Of the whole file."""
    key: bytes | None = None
    """The device's public key the signature was checked with; None for an unsigned segment
    (format version 1, written before PCs signed their segments)."""
    prev: str = ""
    """The SHA-256 of the device's previous segment file ("" for its first)."""
    formers: tuple[str, ...] = ()
    """The former identities of the device its header proves (succession): their versions
    travel in its files. Under an office's authority each must have been enrolled
    (models.sync.trust.TrustState.refusal): any key can sign a succession."""


class SegmentError(ValueError):
    """The file is not a complete, intact segment of the expected device and number."""


class SegmentTooNew(SegmentError):
    """Written by a newer app in a format this one cannot read."""


_LINE_TEXT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode
"""json.dumps with the segment's options, its encoder made once (not once a line)."""
_QUOTED = json.encoder.encode_basestring
"""A text as _LINE_TEXT writes it (the function its encoder calls for each)."""
_AS_WRITTEN = re.compile(r'"[^"\\\x00-\x1f]*+(?:\\(?:["\\bfnrt]|u00(?:0[0-7bef]|1[0-9a-f]))'
                         r'[^"\\\x00-\x1f]*+)*+"|null|true|false|0|-?[1-9][0-9]*')
"""JSON text of a value that _LINE_TEXT writes exactly so: a text with only the escapes it
makes (a quote, a backslash, a control character: \\b \\f \\n \\r \\t where they exist, else
\\u00 and two lower-case hex digits), null, true, false, or a whole number (no plus sign,
leading zero or exponent). Anything else (a number with a fraction, a "\\u5de1" an older app
may have written, a list) is decoded and written again."""


def _line(data: Any) -> bytes:
    return _LINE_TEXT(data).encode("utf-8") + b"\n"


def _written(data: Any) -> bytes | None:
    """_line of *data* read from a file; None where no writer could have written it (a lone
    surrogate, which UTF-8 cannot encode)."""
    try:
        return _line(data)
    except ValueError:
        return None


def change_line(change: Change) -> bytes:
    """The line of *change* in a segment."""
    return _line({
        "t": change.table, "id": change.row_id, "h": change.stamp, "d": change.device,
        "f": {name: {"v": fv.version_id, "val": fv.value, "b": list(fv.bases)}
              for name, fv in change.fields.items()},
        "seen": list(change.seen)})


StoredChange = tuple[int, str, str, int, str]
"""A change as the history stores it (models.sync.entities.SyncChangeRow): id, table, row id,
stamp (an integer, as JSON writes it), and the JSON text of the list of version ids it has
seen."""
StoredVersion = tuple[int, str, str, str, str]
"""A field version as the history stores it (models.sync.entities.SyncVersionRow): its
change's id, field, version id, value as JSON text, and the JSON text of the list of version
ids it replaced."""


def stored_change_lines(device: str, changes: Iterable[StoredChange],
                        versions: Iterable[StoredVersion]) -> list[bytes]:
    """The lines of *device*'s *changes* with their *versions* (best grouped by change), as
    the history stores them: byte for byte change_line of the changes they decode to, with
    no value decoded and encoded again where its text is already as the line writes it
    (most: json.loads and json.dumps of 80,000 values were a third of an export's time)."""
    fields_of: dict[int, dict[str, str]] = {}
    current: int | None = None
    fields: dict[str, str] = {}
    for change_id, name, version_id, value, bases in versions:
        if change_id != current:
            current, fields = change_id, fields_of.setdefault(change_id, {})
        fields[name] = (f'{_QUOTED(name)}:{{"b":{"[]" if bases == "[]" else _id_list(bases)},'
                        f'"v":{_QUOTED(version_id)},'
                        f'"val":{value if _AS_WRITTEN.fullmatch(value) else _value(value)}}}')
    start = f'{{"d":{_QUOTED(device)},"f":{{'
    lines = []
    for change_id, table, row_id, stamp, seen in changes:
        fields = fields_of.get(change_id, {})
        lines.append((
            f'{start}{",".join([text for _name, text in sorted(fields.items())])}}},'
            f'"h":{stamp:d},"id":{_QUOTED(row_id)},"seen":{_id_list(seen)},'
            f'"t":{_QUOTED(table)}}}\n').encode("utf-8"))
    return lines


def _value(text: str) -> str:
    """The JSON text of a value as the line writes it."""
    return _LINE_TEXT(json.loads(text))


def _id_list(text: str) -> str:
    """The JSON text of a list of version ids as the line writes it (most are empty)."""
    return "[]" if text == "[]" else _LINE_TEXT(list(json.loads(text)))


def succession(former_key: bytes, successor: str) -> dict[str, str]:
    """The header entry that proves *successor* took the place of the identity whose private
    key is *former_key*: what a PC whose copy was caught stores when it takes a new identity
    (models.sync.run), so that its unsent versions, tagged with the old identity, still pass
    the receivers' check (_proven_formers)."""
    return {"key": encode_key(public_key_of(former_key)), "next": successor,
            "sig": sign_succession(former_key, successor)}


def encode_segment(private_key: bytes, seq: int, created: str, app: str,
                   deps: Mapping[str, int], changes: Iterable[Change], *, prev: str,
                   formers: Sequence[Mapping[str, str]] = ()) -> bytes:
    """The bytes of a segment of *changes* signed with *private_key* (encode_lines)."""
    return encode_lines(private_key, seq, created, app, deps, map(change_line, changes),
                        prev=prev, formers=formers)


def encode_lines(private_key: bytes, seq: int, created: str, app: str, deps: Mapping[str, int],
                 lines: Iterable[bytes], *, prev: str,
                 formers: Sequence[Mapping[str, str]] = ()) -> bytes:
    """The bytes of a segment of the change *lines* (change_line, stored_change_lines) signed
    with *private_key*, whose device it is, following the segment whose file has the SHA-256
    *prev*; the same input always gives the same bytes (Ed25519 signatures are
    deterministic). *formers*: the successions that let versions written under the device's
    former identities travel in its files (Succession.entry; none for most PCs, and then the
    header is as it was before successions existed)."""
    public = public_key_of(private_key)
    header = {"format": FORMAT, "version": VERSION, "device": device_id_of(public),
              "seq": seq, "created": created, "app": app, "deps": dict(deps),
              "key": encode_key(public), "prev": prev}
    if formers:
        header["formers"] = [dict(f) for f in formers]
    parts = [_line(header)]
    parts.extend(lines)
    body = b"".join(parts)
    body_sha256 = hashlib.sha256(body).hexdigest()
    footer = _line({"end": True, "count": len(parts) - 1, "sha256": body_sha256,
                    "sig": sign_segment(private_key, body_sha256)})
    return body + footer


# The reasons a segment is refused are shown to the user (the status bar, main.py sync):
# each in their language, naming the line and the part of it at fault; the part's name is
# the segment format's own word, as docs/sync.md writes it.


Where = str | tuple[int, str]
"""Where a value lies, named in the reason it is refused: a part of the header (its name,
translated), or a line and the msgid of its part, translated only when a value is refused (a
file of 5,000 changes is read field by field: naming every field in advance cost a fifth of
an import)."""


def _where(what: Where) -> str:
    if isinstance(what, str):
        return what
    n, part = what
    return _("line {n}: {part}").format(n=n, part=_(part))


def _text(value: Any, limit: int, what: Where) -> str:
    if not isinstance(value, str) or not value or len(value) > limit:
        raise SegmentError(_("{what}: not a text of 1 to {limit} characters").format(
            what=_where(what), limit=limit))
    return value


def _ids(value: Any, what: Where) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise SegmentError(_("{what}: not a list").format(what=_where(what)))
    return tuple(_text(v, _ID_LIMIT, what) for v in value) if value else ()


def _count(value: Any, what: Where) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _INT_LIMIT:
        raise SegmentError(_("{what}: not a whole number").format(what=_where(what)))
    return value


_FIELD_NAME, _VERSION_ID, _BASES = N_("field name"), N_("version id"), N_("bases")
_TABLE, _ROW_ID, _STAMP, _DEVICE, _SEEN = (N_("table"), N_("row id"), N_("stamp"), N_("device"),
                                           N_("seen"))


def _change(data: Any, n: int) -> Change:
    if not isinstance(data, dict):
        raise SegmentError(_("line {n}: not an object").format(n=n))
    raw_fields = data.get("f")
    if not isinstance(raw_fields, dict) or not raw_fields:
        raise SegmentError(_("line {n}: no fields").format(n=n))
    fields: dict[str, FieldVersion] = {}
    for name, raw in raw_fields.items():
        _text(name, _NAME_LIMIT, (n, _FIELD_NAME))
        if not isinstance(raw, dict) or "val" not in raw:
            raise SegmentError(_("line {n}: field {name}: not a version").format(
                n=n, name=name))
        value = raw["val"]
        if not (value is None or isinstance(value, (str, int, float, bool))) or (
                isinstance(value, int) and not -_INT_LIMIT - 1 <= value <= _INT_LIMIT) or (
                isinstance(value, float) and not math.isfinite(value)):
            raise SegmentError(_("line {n}: field {name}: not a plain value").format(
                n=n, name=name))
        fields[name] = FieldVersion(_text(raw.get("v"), _ID_LIMIT, (n, _VERSION_ID)),
                                    value, _ids(raw.get("b", []), (n, _BASES)))
    return Change(
        table=_text(data.get("t"), _NAME_LIMIT, (n, _TABLE)),
        row_id=_text(data.get("id"), _ID_LIMIT, (n, _ROW_ID)),
        stamp=_count(data.get("h"), (n, _STAMP)),
        device=_text(data.get("d"), _ID_LIMIT, (n, _DEVICE)),
        fields=fields,
        seen=_ids(data.get("seen", []), (n, _SEEN)),
    )


_PLAIN = frozenset({str, float, bool, type(None)})
"""The types of a plain value other than a whole number (JSON gives these exact types)."""


_field_version = tuple.__new__
"""FieldVersion(*values) without the named tuple's own __new__, a Python function: the
reading of a segment makes one for each of its tens of thousands of versions."""


def _plain_change(data: Any) -> Change | None:
    """The change of line *data* when it is as a writer writes it, checked inline; None for
    anything else, which _change then reads or refuses with its reason. It accepts only what
    _change accepts, giving the same Change (a segment holds 5,000 lines: the calls of the
    check field by field were a sixth of an import)."""
    if type(data) is not dict:
        return None
    raw_fields, table, row_id, stamp, device = (data.get("f"), data.get("t"), data.get("id"),
                                                 data.get("h"), data.get("d"))
    seen = data.get("seen", [])
    if (type(raw_fields) is not dict or not raw_fields
            or type(table) is not str or not 0 < len(table) <= _NAME_LIMIT
            or type(row_id) is not str or not 0 < len(row_id) <= _ID_LIMIT
            or type(stamp) is not int or not 0 <= stamp <= _INT_LIMIT
            or type(device) is not str or not 0 < len(device) <= _ID_LIMIT
            or type(seen) is not list
            or seen and not all(type(s) is str and 0 < len(s) <= _ID_LIMIT for s in seen)):
        return None
    fields: dict[str, FieldVersion] = {}
    for name, raw in raw_fields.items():
        if not 0 < len(name) <= _NAME_LIMIT or type(raw) is not dict or "val" not in raw:
            return None
        value, version_id, bases = raw["val"], raw.get("v"), raw.get("b", [])
        kind = type(value)
        if (kind not in _PLAIN and not (kind is int and -_INT_LIMIT - 1 <= value <= _INT_LIMIT)
                or kind is float and not math.isfinite(value)
                or type(version_id) is not str or not 0 < len(version_id) <= _ID_LIMIT
                or type(bases) is not list
                or bases and not all(type(b) is str and 0 < len(b) <= _ID_LIMIT for b in bases)):
            return None
        fields[name] = _field_version(FieldVersion, (version_id, value, tuple(bases)))
    return Change(table=table, row_id=row_id, stamp=stamp, device=device, fields=fields,
                  seen=tuple(seen))


def decode_segment(data: bytes, *, device: str, seq: int) -> Segment:
    """The segment in *data*, which must be number *seq* of *device*; SegmentError if not."""
    if len(data) > MAX_BYTES:
        raise SegmentError(_("larger than {limit} bytes").format(limit=MAX_BYTES))
    if not data.endswith(b"\n"):
        raise SegmentError(_("incomplete: its last line is cut off"))
    body, _newline, footer_line = data[:-1].rpartition(b"\n")
    body += b"\n"
    try:
        footer = json.loads(footer_line)
        lines = _json_lines(body)
        if _SURROGATE_ESCAPE.search(data):  # a lone one cannot be stored: UnicodeEncodeError
            for line in lines:
                json.dumps(line, ensure_ascii=False).encode("utf-8")
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # nested too deep
        log.warning("a segment of %s is not JSON lines: %s", device, exc)  # Python's words
        raise SegmentError(_("not JSON lines: damaged, or not a segment")) from exc
    if not isinstance(footer, dict) or footer.get("end") is not True:
        raise SegmentError(_("incomplete: no end line"))
    body_sha256 = hashlib.sha256(body).hexdigest()
    if footer.get("sha256") != body_sha256:
        raise SegmentError(_("damaged: the checksum does not match"))
    if not lines or not isinstance(lines[0], dict) or lines[0].get("format") != FORMAT:
        raise SegmentError(_("not a CrisisDesk change file"))
    header = lines[0]
    version = _count(header.get("version"), _("format version"))
    if version > VERSION:
        raise SegmentTooNew(_("format version {version}; this app reads up to {supported}").format(
            version=version, supported=VERSION))
    if version < UNSIGNED_VERSION:
        raise SegmentError(_("not a CrisisDesk change file"))
    if footer_line + b"\n" != _written(footer):
        # Only the end line is outside the signature: written any other way than the writer
        # writes it, the same signed changes would be a file of another SHA-256, and the
        # chain of every later file of the device would break on the copies that read it.
        raise SegmentError(_("damaged: the end line is not as it was written"))
    if header.get("device") != device or header.get("seq") != seq:
        raise SegmentError(_("it says it is {device}/{seq}: a copy of another file, not this "
                             "one").format(device=str(header.get("device"))[:40],
                                           seq=str(header.get("seq"))[:20]))
    key, prev = (None, "") if version == UNSIGNED_VERSION else _signer(header, footer, device,
                                                                      body_sha256)
    deps = header.get("deps")
    if not isinstance(deps, dict):
        raise SegmentError(_("dependencies: not an object"))
    changes = tuple(_plain_change(line) or _change(line, n)
                    for n, line in enumerate(lines[1:], start=2))
    if footer.get("count") != len(changes) or len(changes) > MAX_CHANGES:
        raise SegmentError(_("damaged: the change count does not match"))
    carried = [fv.version_id for c in changes for fv in c.fields.values()]
    if len(set(carried)) != len(carried):  # a version is written once: one id, one value
        twice = next(vid for vid, times in Counter(carried).items() if times > 1)
        raise SegmentError(_("damaged: it carries version {version} twice").format(
            version=twice[:40]))
    strangers = [n for n, c in enumerate(changes, start=2) if c.device != device]
    if strangers:  # a key speaks for its own device only (and a PC always wrote its own)
        raise SegmentError(_("line {n}: a change of another device").format(n=strangers[0]))
    formers = _proven_formers(header.get("formers"), device, signed=key)
    own = version_tag(device)
    foreign = [vid for vid in carried  # models.core.ids.tag_of, inline: 80,000 in a segment
               if len(vid) == 36 and vid[14] == "8" and vid[-10:] != own]
    if foreign:  # a former's tag is hashed only when a version needs it (10 ms each)
        allowed = {version_tag(f) for f in formers}
        squatted = next((vid for vid in foreign if vid[-10:] not in allowed), None)
        if squatted is not None:
            raise SegmentError(_("it carries version {version}, which another PC wrote: "
                                 "forged").format(version=squatted))
    return Segment(
        device=device, seq=seq,
        created=str(header.get("created", "")), app=str(header.get("app", "")),
        deps={_text(k, _ID_LIMIT, _("dependency")): _count(v, _("dependency"))
              for k, v in deps.items()},
        changes=changes, sha256=hashlib.sha256(data).hexdigest(), key=key, prev=prev,
        formers=tuple(sorted(formers)))


def _json_lines(body: bytes) -> list[Any]:
    """json.loads of each line of *body*, which must be UTF-8 (UnicodeDecodeError if not).

    Strict UTF-8, unlike json.loads of bytes, which passes an encoded surrogate (ED A0 80):
    such a value reads as a lone surrogate that SQLite cannot store, and the error it raised
    there ended every sync run of every PC that received the file. Where every line is an
    object, as a writer writes them, with no carriage return, the body is decoded once and
    split at its newlines (no UTF-8 character holds that byte): the same texts, without a
    decoding per line (half the parse)."""
    text = body.decode("utf-8")
    if "\r" in text or not text.startswith('{"') or (
            text.count('\n{"') != text.count("\n") - 1):
        return [json.loads(line) for line in body.splitlines()]
    return [_parsed(line) for line in text.split("\n")[:-1]]


_scan: Callable[[str, int], tuple[Any, int]] = (
    json.JSONDecoder().scan_once)  # type: ignore[attr-defined]  # set by its __init__, unstubbed


def _parsed(line: str) -> Any:
    """json.loads(line) of a line that begins an object, without json.loads' own steps around
    its scanner (a segment has thousands of lines). Where the value does not end the line
    (whitespace, or more after it), json.loads reads it or says why not."""
    try:
        value, end = _scan(line, 0)
    except StopIteration:  # the scanner's word for a value missing (cut off)
        return json.loads(line)
    return value if end == len(line) else json.loads(line)


def _signer(header: Mapping[str, Any], footer: Mapping[str, Any], device: str,
            body_sha256: str) -> tuple[bytes, str]:
    """The key that signed a version 2 segment of *device*, and the SHA-256 of the segment
    before it; SegmentError unless the key is *device*'s and its signature checks."""
    key = decode_key(header.get("key"))
    if key is None:
        raise SegmentError(_("no signing key"))
    if device_id_of(key) != device:
        raise SegmentError(_("signed with a key that is not this device's: forged"))
    signature = footer.get("sig")
    if not isinstance(signature, str) or len(signature) > 128 or not verify_segment(
            key, body_sha256, signature):
        raise SegmentError(_("its signature does not match: forged or altered"))
    prev = header.get("prev")
    if not isinstance(prev, str) or not (prev == "" or _is_sha256(prev)):
        raise SegmentError(_("previous file: not a SHA-256"))
    return key, prev


MAX_FORMERS = 16
"""The most successions a header may hold: a PC takes a new identity only when a copy of it
is caught, so even a PC restored time after time stays far below."""


def _proven_formers(raw: Any, device: str, *, signed: bytes | None) -> set[str]:
    """The former identities of *device* whose succession the header proves: each entry is
    signed by the former's key and names the device that took its place, and a chain of them
    must end at *device*. An unsigned (version 1) segment proves none. An entry that does not
    check makes the whole file forged: an honest PC writes only what it signed itself."""
    if raw is None or signed is None:
        return set()
    if not isinstance(raw, list) or len(raw) > MAX_FORMERS:
        raise SegmentError(_("former identities: not a list of up to {limit}").format(
            limit=MAX_FORMERS))
    successor: dict[str, str] = {}
    for entry in raw:
        public = decode_key(entry.get("key")) if isinstance(entry, dict) else None
        after, signature = (entry.get("next"), entry.get("sig")) if public else (None, None)
        if (public is None or not isinstance(after, str) or len(after) > _ID_LIMIT
                or not after.isascii() or not isinstance(signature, str)
                or len(signature) > 128 or not verify_succession(public, after, signature)):
            raise SegmentError(_("former identities: a succession that does not check: "
                                 "forged"))
        successor[device_id_of(public)] = after
    proven: set[str] = set()
    for former in successor:
        step, seen = former, set()
        while step in successor and step not in seen:
            seen.add(step)
            step = successor[step]
        if step == device:
            proven.add(former)
    return proven


def _is_sha256(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)
