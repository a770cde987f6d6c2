"""The verification code printed on every form: proof that a paper copy matches a record.

A signed paper form outlives the screen it came from. Its code is a hash of what the record
said (kind, id, version and content) when it was printed, so anyone holding the paper can ask
CrisisDesk whether the record still says the same, and two printouts of different versions
never carry the same code.

Why Crockford base32 and only 10 characters: people read the code off paper and type it. The
alphabet has no I, L, O or U, so nothing is confused with 1 or 0, and 50 bits keep an accidental
match between two records of one office far beyond reach while the code stays short enough to
read aloud over the phone ("7K3Q-9XD2-MA").
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, unquote

from forms.document import Verification

__all__ = ["ALPHABET", "CODE_LENGTH", "Printed", "crockford", "normalize_code", "qr_payload",
           "read_payload", "verification", "verification_code"]

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_BITS_PER_CHAR = 5

#: Characters in a code, without its hyphens.
CODE_LENGTH = 10

# Groups of 4, 4 and 2 characters: short enough to read off paper without losing one's place.
_GROUPS = (4, 4, 2)

# Bumped if the hashed layout or the payload ever changes, so old paper is still recognised.
_PAYLOAD_PREFIX = "CDV1"


def verification_code(
    kind: str, record_id: str, version: int, content: Mapping[str, object]
) -> str:
    """The code of one version of one record, e.g. "7K3Q-9XD2-MA".

    `content` holds what the form prints, as JSON values (text, numbers, booleans, None, lists
    and dicts; write dates as ISO text). The hash covers canonical JSON (sorted keys, no
    white space, all non-ASCII as \\u escapes), so the code depends on the data alone, never on
    dict order, and any text hashes, even one with a stray surrogate. Any change of kind, id,
    version or content gives another code. Raises TypeError for a value JSON cannot hold and
    ValueError for NaN or infinity.
    """
    canonical = json.dumps(
        {"content": dict(content), "id": record_id, "kind": kind, "version": version},
        sort_keys=True,
        separators=(",", ":"),
        allow_nan=False,
    )
    digest = int.from_bytes(hashlib.sha256(canonical.encode("ascii")).digest(), "big")
    return crockford(digest >> (256 - CODE_LENGTH * _BITS_PER_CHAR), _GROUPS)


def crockford(value: int, groups: tuple[int, ...]) -> str:
    """*value* in Crockford's base32, its lowest bits in groups of these sizes joined by
    hyphens (also the short code of a PC: models.sync.trust)."""
    length = sum(groups)
    chars = "".join(ALPHABET[(value >> (_BITS_PER_CHAR * (length - 1 - i))) & 0b11111]
                    for i in range(length))
    parts, start = [], 0
    for size in groups:
        parts.append(chars[start : start + size])
        start += size
    return "-".join(parts)


def qr_payload(kind: str, record_id: str, version: int, code: str) -> str:
    """What the QR code holds: "CDV1:<kind>:<id>:<version>:<code>", compact enough for a small
    symbol. Kind and id are percent-encoded, so a ":" inside them cannot shift the fields; a
    text that is not valid Unicode (a lone surrogate from a damaged import) is encoded as its
    escape rather than failing the print."""
    fields = (_PAYLOAD_PREFIX, quote(kind, safe="", errors="backslashreplace"),
              quote(record_id, safe="", errors="backslashreplace"), str(version), code)
    return ":".join(fields)


@dataclass(frozen=True)
class Printed:
    """What a QR code read off paper says the paper was printed from."""

    kind: str
    record_id: str
    version: int
    code: str


def read_payload(text: str) -> Printed | None:
    """The fields of a QR payload *text* (qr_payload's inverse), or None when it is not one of
    ours: a scan may carry other QR codes (a parcel label, a web address) or a forged one, so
    anything that does not parse is ignored rather than trusted."""
    fields = text.split(":")
    if len(fields) != 5 or fields[0] != _PAYLOAD_PREFIX or not fields[3].isascii() \
            or not fields[3].isdigit() or len(fields[3]) > 9:
        return None
    code = normalize_code(fields[4])
    if len(code) != CODE_LENGTH + len(_GROUPS) - 1 or code != fields[4]:
        return None
    return Printed(unquote(fields[1]), unquote(fields[2]), int(fields[3]), code)


def verification(
    kind: str, record_id: str, version: int, content: Mapping[str, object]
) -> Verification:
    """The code and the QR payload of one version of one record, ready for a FormDocument."""
    code = verification_code(kind, record_id, version, content)
    return Verification(code=code, qr_payload=qr_payload(kind, record_id, version, code))


_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def normalize_code(typed: str, sizes: tuple[int, ...] = _GROUPS) -> str:
    """A code as typed off the paper, in the printed form (in groups of *sizes*): case,
    spaces and dashes do not matter, and the letters Crockford's alphabet leaves out are read
    as the digits they look like (O as 0, I and L as 1)."""
    # NFKC first: a code typed with a Chinese input method comes in full-width letters.
    chars = "".join(c for c in unicodedata.normalize("NFKC", typed).upper()
                    if c.isascii() and c.isalnum()).translate(_READ_AS)
    groups, start = [], 0
    for size in sizes:
        if start < len(chars):
            groups.append(chars[start : start + size])
        start += size
    return "-".join(groups) + chars[start:]
