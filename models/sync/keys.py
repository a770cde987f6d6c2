"""A PC's signing key and the device id it proves (docs/trust.md).

Every PC signs the segments it writes with an Ed25519 key of its own, made on first use and
kept in its database's sync identity (a copy of the database, restored or cloned, is caught
as a clash and takes a new key: models.sync.run). Its device id is derived from the public
key, as Syncthing's is from its certificate: a segment lying in a device's folder is accepted
only when the key in it hashes to that folder's name and its signature checks, so nobody
speaks for a device without its key, whatever they can write into the share.

The signing is behind two functions (sign, verify) so that a smart-card signer (PKCS#11, the
GCA/MOICA cards of Taiwan's government) can later take the software key's place.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

_SEGMENT_DOMAIN = b"crisisdesk segment v2\n"
"""Prefixed to what a segment's signature covers, so that no signature made for another
purpose (a later signed record) can pass for a segment's, nor the reverse."""


def new_private_key() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes_raw()


def public_key_of(private: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(private).public_key().public_bytes(
        Encoding.Raw, PublicFormat.Raw)


def device_id_of(public: bytes) -> str:
    """The device id *public* proves: the first 128 bits of its SHA-256, written as a UUID
    (the form every device id has had, in folder names and in the database's columns)."""
    digest = hashlib.sha256(public).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


_RECORD_DOMAIN = b"crisisdesk trust record v1\n"
"""Prefixed to what a trust record's signature covers (models.sync.trust_records)."""


def _sign(private: bytes, message: bytes) -> str:
    signature = Ed25519PrivateKey.from_private_bytes(private).sign(message)
    return base64.b64encode(signature).decode("ascii")


def _verify(public: bytes, message: bytes, signature: str) -> bool:
    try:
        raw = base64.b64decode(signature, validate=True)
        if base64.b64encode(raw).decode("ascii") != signature:
            return False  # the same signature written another way: not as it was signed
        Ed25519PublicKey.from_public_bytes(public).verify(raw, message)
    except (ValueError, InvalidSignature):
        return False
    return True


def sign_segment(private: bytes, body_sha256: str) -> str:
    """The signature (base64) over a segment whose body has the SHA-256 *body_sha256*."""
    return _sign(private, _SEGMENT_DOMAIN + body_sha256.encode("ascii"))


def verify_segment(public: bytes, body_sha256: str, signature: str) -> bool:
    """Does *signature* (base64) prove that the holder of *public*'s key signed the body?"""
    return _verify(public, _SEGMENT_DOMAIN + body_sha256.encode("ascii"), signature)


def sign_record(private: bytes, payload: bytes) -> str:
    """The signature (base64) over a trust record's canonical bytes without its signature."""
    return _sign(private, _RECORD_DOMAIN + payload)


def verify_record(public: bytes, payload: bytes, signature: str) -> bool:
    return _verify(public, _RECORD_DOMAIN + payload, signature)


_SUCCESSION_DOMAIN = b"crisisdesk succession v1\n"
"""Prefixed to what a succession's signature covers: the old identity's key names the device
that took its place (a clone caught, models.sync.run), and nothing else can pass for it."""


def sign_succession(private: bytes, successor: str) -> str:
    """The signature (base64) of the identity whose key is *private* over the device id that
    succeeds it: the proof that the versions it wrote may travel in the successor's files."""
    return _sign(private, _SUCCESSION_DOMAIN + successor.encode("ascii"))


def verify_succession(public: bytes, successor: str, signature: str) -> bool:
    return _verify(public, _SUCCESSION_DOMAIN + successor.encode("ascii"), signature)


_TAG_SALT = b"crisisdesk version tag v1"
_TAG_ROUNDS = 20_000


@lru_cache(maxsize=256)
def version_tag(device: str) -> str:
    """The 40 bits (10 hex digits) that end every version id *device* makes
    (models.core.ids.new_id), which receivers check against the device whose file carries it.

    A version id read off the share and sent again by another PC with a value of its own
    (squatting) is thus refused at once: the squatter's file carries a tag that is not its
    device's. Derived by a slow hash (about 10 ms once per device and process) rather than
    taken from the device id: a device id is the hash of a key, so a PC that wanted another's
    tag would have to make keys until one's tag matched; at 2^40 tries of this hash that is
    beyond any PC of an office (docs/trust.md)."""
    return hashlib.pbkdf2_hmac("sha256", device.encode("ascii", "replace"), _TAG_SALT,
                               _TAG_ROUNDS, dklen=5).hex()


def new_identity() -> tuple[bytes, str]:
    """A new private key and the device id it proves: the one way a PC gets an identity."""
    private = new_private_key()
    return private, device_id_of(public_key_of(private))
