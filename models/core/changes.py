"""What an act or a sync run changed, as the views understand it (Anki's OpChanges).

A view reloads when a change of a kind it shows arrives; nobody names the kinds by hand: the
feature that owns a table declares the kind its rows belong to (its `sync_policy`), and the
writes a transaction actually made (or a sync run applied) are mapped to kinds through those
declarations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Change(StrEnum):
    """The kinds of records a view may show."""

    PLAYBOOK = "playbook"
    UNITS = "units"
    INCIDENTS = "incidents"
    DRILLS = "drills"
    SIGNED_COPIES = "signed_copies"
    """The scans of signed paper (models.review.signed_scans), of any form."""


@dataclass(frozen=True)
class OpChanges:
    """The kinds of records one act or one sync run changed (empty: nothing to reload)."""

    kinds: frozenset[Change] = frozenset()

    @classmethod
    def of(cls, kinds: Iterable[Change]) -> OpChanges:
        return cls(frozenset(kinds))

    def touches(self, *kinds: Change) -> bool:
        """Whether any of *kinds* changed: what a view showing them asks."""
        return not self.kinds.isdisjoint(kinds)

    def __bool__(self) -> bool:
        return bool(self.kinds)

    def __or__(self, other: OpChanges) -> OpChanges:
        return OpChanges(self.kinds | other.kinds)
