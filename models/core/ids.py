"""The ids of records: new ones in the order they were made, stable ones for "the X of Y".
Without SQLAlchemy, so that what shows before the database opens
(models/playbook/first_read.py) can name the records the open will write."""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_last_seq = 0


def new_id(tag: str | None = None) -> str:
    """A UUID version 7 (RFC 9562): 48 bits of the Unix time in milliseconds, 12 bits of a
    counter within the millisecond (method 1 of its section 6.2), 62 random bits.

    With a *tag* (10 hex digits: the writing device's models.sync.keys.version_tag), a UUID
    version 8 of the same layout whose last 40 bits are the tag and 22 random: a sync version
    id bound to the PC that wrote it (tag_of).

    Ordered by time, a PC's new ids land at the end of every index keyed by them: a random
    UUID 4 lands anywhere, and importing 10,000 changes into a history of as many more
    rewrote pages all over the history's indexes, three times as slow as in order
    (docs/benchmarks.md, issue 16). An id made in a clock's step backwards continues the
    last millisecond, so a PC's ids never go back; ids stay unique through the random bits
    whatever the clocks of the other PCs say."""
    global _last_ms, _last_seq
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms > _last_ms:
            _last_ms, _last_seq = ms, 0
        elif _last_seq < 0xFFF:
            _last_seq += 1
        else:
            _last_ms, _last_seq = _last_ms + 1, 0
        ms, seq = _last_ms, _last_seq
    tail = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    version = 0x7
    if tag is not None:
        version, tail = 0x8, tail & ~((1 << 40) - 1) | int(tag, 16) & ((1 << 40) - 1)
    return str(uuid.UUID(int=(ms & ((1 << 48) - 1)) << 80 | version << 76 | seq << 64
                         | 0b10 << 62 | tail))


def tag_of(version_id: str) -> str | None:
    """The writer's tag a version id made by new_id(tag) ends with; None for an id without one
    (made before ids were bound to their writer, or by a test)."""
    return version_id[-10:] if len(version_id) == 36 and version_id[14] == "8" else None


_STABLE_NAMESPACE = uuid.UUID("5b0e2c8e-6f0f-4a58-9d1e-3c3b7f6f2a10")


def stable_id(*parts: str) -> str:
    """The same id on every PC for the same *parts*: for a row that is "the X of Y", so two
    PCs creating it at once make one row that merges field by field, not two (docs/sync.md)."""
    return str(uuid.uuid5(_STABLE_NAMESPACE, "\x1f".join(parts)))
