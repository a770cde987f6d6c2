"""The ids of records: random for a new record, stable for "the X of Y". Without SQLAlchemy,
so that what shows before the database opens (models/playbook/first_read.py) can name the
records the open will write."""

from __future__ import annotations

import uuid


def new_id() -> str:
    return str(uuid.uuid4())


_STABLE_NAMESPACE = uuid.UUID("5b0e2c8e-6f0f-4a58-9d1e-3c3b7f6f2a10")


def stable_id(*parts: str) -> str:
    """The same id on every PC for the same *parts*: for a row that is "the X of Y", so two
    PCs creating it at once make one row that merges field by field, not two (docs/sync.md)."""
    return str(uuid.uuid5(_STABLE_NAMESPACE, "\x1f".join(parts)))
