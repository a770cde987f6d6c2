"""What a feature declares about its tables, for the sync engine and the views: the engine reads
these declarations and names no feature's table itself."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from models.core.changes import Change


@dataclass(frozen=True)
class SyncPolicy:
    """One feature's declarations.

    changes: each of the feature's tables and the kind of change its rows are to the views
        (a write to the table, here or synced from another PC, reloads the views of that kind).
    """

    changes: Mapping[str, Change]
