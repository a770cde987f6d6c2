"""What a verification of the history found (models.sync.audit): each finding names the place
at fault (a sync file, or a table, record and field) and what is wrong there.

A finding keeps its message id and parameters, not a finished sentence, so it reads in the
language the user has when it is shown (the check runs on the worker; the language can change
before the dialog opens). The list is bounded: a database changed wholesale outside the app
would otherwise give one finding per field, and the rest are counted."""

from __future__ import annotations

import json
import dataclasses
from dataclasses import dataclass
from typing import Any

from i18n import _, ngettext

MAX_FINDINGS = 1000
"""Findings kept in full; beyond them only their number."""

_SHOWN_CHARS = 60
_CONTEXT_CHARS = 12


@dataclass(frozen=True)
class Finding:
    """One thing that does not hold. *table*, *row_id* and *field* are empty where the place
    is a sync file or the history itself."""

    msgid: str
    params: tuple[tuple[str, Any], ...] = ()
    table: str = ""
    row_id: str = ""
    field: str = ""

    def message(self) -> str:
        """The finding in the user's language."""
        return _(self.msgid).format(table=self.table, row=self.row_id, field=self.field,
                                    **dict(self.params))


@dataclass(frozen=True)
class Refusal:
    """A change the office's rules refused (sync_refused, models.sync.merge): kept as evidence
    and never applied. Not a finding: the rules held."""

    record: str
    """How a record of its table is called (a msgid), or the table's name."""
    row_id: str
    author: str
    reason: str
    """A msgid."""
    device: str
    seq: int

    def message(self) -> str:
        from models.sync.trust import code_of

        try:
            code = code_of(self.device)
        except ValueError:  # a list edited outside the app: its text as it stands
            code = repr(self.device)
        return _("{record} {row} by {author} (sync file {seq} of the PC with the code "
                 "{code}): {reason}").format(record=_(self.record), row=self.row_id,
                                             author=self.author, seq=self.seq, code=code,
                                             reason=_(self.reason))


@dataclass(frozen=True)
class AuditReport:
    """The outcome of a verification: what was checked, and what did not hold."""

    findings: tuple[Finding, ...]
    more: int
    """Findings beyond MAX_FINDINGS, not kept."""
    segments: int
    """Stored sync files checked."""
    versions: int
    """Field versions in the history."""
    rows: int
    """Records of the synced tables compared with their history."""
    refused: tuple[Refusal, ...] = ()
    """The changes refused on receipt, oldest first (at most MAX_FINDINGS)."""
    refused_more: int = 0
    """Refused changes beyond MAX_FINDINGS, not listed."""

    @property
    def ok(self) -> bool:
        return not self.findings and not self.more

    def summary(self) -> str:
        """One line: everything holds, or how many findings there are."""
        if self.ok:
            return _("Everything holds. Verified: sync files {segments}, field versions "
                     "{versions}, records {rows}.").format(
                segments=self.segments, versions=self.versions, rows=self.rows)
        count = len(self.findings) + self.more
        return ngettext(
            "{count} finding: this PC's records are not all what their signed history says.",
            "{count} findings: this PC's records are not all what their signed history says.",
            count).format(count=count)


@dataclass
class Findings:
    """The findings gathered so far, at most MAX_FINDINGS of them."""

    kept: list[Finding] = dataclasses.field(default_factory=list)
    more: int = 0

    def add(self, msgid: str, *, table: str = "", row: str = "", column: str = "",
            **params: Any) -> None:
        if len(self.kept) < MAX_FINDINGS:
            self.kept.append(Finding(msgid, tuple(params.items()), table, row, column))
        else:
            self.more += 1

    def report(self, *, segments: int, versions: int, rows: int,
               refused: tuple[Refusal, ...] = (), refused_more: int = 0) -> AuditReport:
        return AuditReport(tuple(self.kept), self.more, segments, versions, rows, refused,
                           refused_more)


def shown(value: Any) -> str:
    """A value as a finding quotes it: a text in quotes, anything else as JSON; cut short."""
    text = f"“{value}”" if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                                   default=str)
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS - 1] + "…"


def shown_apart(value: Any, other: Any) -> tuple[str, str]:
    """Two values a finding sets against each other: two long texts (a report's content as
    JSON) from a little before where they begin to differ, which a cut start would hide."""
    if isinstance(value, str) and isinstance(other, str):
        same = next((n for n, (a, b) in enumerate(zip(value, other)) if a != b),
                    min(len(value), len(other)))
        if same > _CONTEXT_CHARS:
            cut = same - _CONTEXT_CHARS
            return shown("…" + value[cut:]), shown("…" + other[cut:])
    return shown(value), shown(other)
