"""A public key as text (base64 of its 32 bytes): in the share's segments and trust records,
and in IT's defaults file, which names the office authority every PC of the office trusts.
Here, below every feature, so that the defaults file is read with the same check."""

from __future__ import annotations

import base64

KEY_BYTES = 32
"""An Ed25519 private key (its seed) and public key are both 32 bytes."""


def encode_key(public: bytes) -> str:
    return base64.b64encode(public).decode("ascii")


def decode_key(text: object) -> bytes | None:
    """The public key written as *text* (base64 of 32 bytes), or None if it is not one."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        return None
    return raw if len(raw) == KEY_BYTES else None
