"""The checks every receiving PC makes of a change another PC signed (SyncPolicy.writers):
the same rules the domain's acts enforce locally, for the author the signature proves.

A feature declares, per table, which permission writing it needs and which columns must name
the author; a change that fails is refused and kept as evidence (models.sync.merge), so a PC
whose settings were edited to "commander", or a program writing into the share, cannot sign
in someone else's name.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from i18n import N_
from models.org.people import Permission, granted
from models.sync.policy import TOMBSTONE, Author, WriteCheck


def may(author: Author, permission: Permission) -> bool:
    return permission in granted(author.role, author.posts)


_SKEW = timedelta(days=1)
"""How far ahead of this PC's clock a time may lie (as models.sync.values.received_stamp)."""


def _latest() -> str:
    """The latest time a change may carry, as it carries times (ISO 8601 UTC text, which
    sorts as the times do): now plus _SKEW, to the second (an import checks thousands of
    changes a second; a second of a day's leeway is nothing)."""
    return _latest_at(int(time.time()))


@lru_cache(maxsize=1)
def _latest_at(second: int) -> str:
    return (datetime.fromtimestamp(second, UTC) + _SKEW).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def written_by(*, by: str = "", role: str = "", signed_from: tuple[str, str] | None = None,
               permission: Permission | None = None,
               when: Mapping[tuple[str, str], Permission] | None = None,
               once: Mapping[tuple[str, str], Permission] | None = None,
               deletes: Permission | None = None,
               columns: Mapping[str, Permission] | None = None,
               times: tuple[str, ...] = ()) -> WriteCheck:
    """A check that the author has *permission* for any change, that column *by* (when the
    change sets it) names the author and column *role* their role; with *when*, a change
    setting a column to a value (("kind", "signed"), ("status", "signed")) needs that
    permission; with *signed_from*, the (login, PC) columns must be those the PC is enrolled
    with; with *once*, any change to a row whose column has that value here (a signed report)
    needs that permission (reopening it); with *deletes*, deleting a row needs it; with
    *columns*, a change setting one of those columns needs its permission (a drill's unit is
    the draw's, its scenario the planning group's); with *times*, those time columns may not
    lie ahead of this PC's clock by more than the clock skew the sync tolerates (an entry dated
    years ahead would stand as the latest for ever)."""

    def check(author: Author, values: Mapping[str, Any],
              current: Mapping[str, Any] | None) -> str | None:
        if permission is not None and not may(author, permission):
            return N_("the role of the PC that wrote it may not do this")
        if by and by in values and values[by] != author.person:
            return N_("it names another person as its author than the one its PC is "
                      "enrolled for")
        if role and role in values and values[role] != author.role:
            return N_("it names another role than the one its PC is enrolled for")
        if signed_from is not None and any(
                column in values and values[column] != expected
                for column, expected in zip(signed_from, (author.login, author.pc))):
            return N_("it names another login or PC than the one it was signed from")
        for (column, value), needed in (when or {}).items():
            if values.get(column) == value and not may(author, needed):
                return N_("the role of the PC that wrote it may not do this")
        for (column, value), needed in (once or {}).items():
            if current is not None and current.get(column) == value and not may(author, needed):
                return N_("the record is signed: only who may sign may reopen or change it")
        if times:
            latest = _latest()
            if any(isinstance(values.get(c), str) and values[c] > latest for c in times):
                return N_("it is dated ahead of this PC's clock by more than a day")
        if any(column in values and not may(author, needed)
               for column, needed in (columns or {}).items()):
            return N_("the role of the PC that wrote it may not do this")
        if deletes is not None and values.get(TOMBSTONE) is not None and not may(author, deletes):
            return N_("the role of the PC that wrote it may not delete this record")
        return None

    return check
