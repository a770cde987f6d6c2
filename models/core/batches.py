"""A long list of keys cut into batches: SQLite takes at most so many bound values in one
`IN (...)` (999 before 3.32), and a query per batch keeps each one small."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")


def batches(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    """*items* in consecutive slices of at most *size*."""
    for start in range(0, len(items), size):
        yield items[start:start + size]
