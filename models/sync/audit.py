"""Is this PC's database what its signed sync history says? (``main.py audit verify``,
Help ▸ Verify records.)

The records a user reads are written by the app in the same transaction as their history
(models.sync.capture, models.sync.merge), and everything other PCs sent, and everything this
PC sent, is kept as the signed segment it came in (models.sync.segment). A change made to the
file outside the app (an SQLite tool, a script, a restored copy edited by hand) breaks one of
the two links, and the verification names where:

1. the stored segments against themselves: checksum, signature, key and chain, no gap
   (models.sync.audit_log);
2. the history tables against the segments: everything a segment carries is in the history
   as carried, and every change that names a segment is in it; only this PC's own unsent
   work is carried by none (models.sync.audit_log);
3. the synced tables against the history: each field shows the value the merge gives
   (models.sync.audit_rows).

The changes this PC refused on receipt (the office's rules: docs/trust.md) are listed beside
the findings as the evidence they are kept as; they are no finding.

It only reads, in one snapshot (Database.reading): it never makes a save wait, and may run
beside the window and the sync.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from models.storage.db import Database
from models.sync.audit_findings import MAX_FINDINGS, AuditReport, Finding, Findings, Refusal
from models.sync.audit_log import check_log
from models.sync.audit_rows import check_rows
from models.sync.entities import REFUSED
from models.sync.rules import SyncRules

__all__ = ["AuditReport", "Finding", "verify_history"]


def verify_history(source: Database | Connection, rules: SyncRules) -> AuditReport:
    """Verify the database open as *source* (a Database is read in one snapshot of its own)
    under *rules* (models.schema.RULES): every finding, and what was checked."""
    if isinstance(source, Database):
        with source.reading() as connection:
            return verify_history(connection, rules)
    findings = Findings()
    segments, versions = check_log(source, findings)
    rows = check_rows(source, rules, findings)
    refused = _refusals(source, rules)
    total = source.scalar(select(func.count()).select_from(REFUSED)) or 0
    return findings.report(segments=segments, versions=versions, rows=rows, refused=refused,
                           refused_more=total - len(refused))


def _refusals(connection: Connection, rules: SyncRules) -> tuple[Refusal, ...]:
    """The changes this PC refused on receipt (the first MAX_FINDINGS), as evidence beside
    the findings."""
    r = REFUSED.c
    return tuple(
        Refusal(rules.record_names.get(table, table), row_id, author, reason, device, seq)
        for table, row_id, author, reason, device, seq in connection.execute(
            select(r.tbl, r.row_id, r.author, r.reason, r.device, r.seq)
            .order_by(r.id).limit(MAX_FINDINGS)))
