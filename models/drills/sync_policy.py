"""Drills, their draws, reports, evaluations, signed copies and the office's scenarios, as the
sync and the views see them."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Connection, select

from i18n import N_
from models.core.changes import Change
from models.drills.reports.signed_copy_entities import (
    ATTACHMENTS,
    SCAN_SUFFIXES,
    SignedCopyRow,
    stored_name,
)
from models.sync.policy import Attachments, Lock, SyncPolicy


def _signed_copy_files(connection: Connection) -> Iterator[tuple[str, str]]:
    """Each scan a signed copy names, with the name of its file."""
    rows = connection.execute(select(SignedCopyRow.sha256, SignedCopyRow.filename)).all()
    for sha, filename in sorted(set(rows)):
        yield sha, stored_name(sha, filename)


POLICY = SyncPolicy(
    changes={table: Change.DRILLS for table in (
        "drill_draws", "drills", "drill_reports", "drill_report_versions", "drill_report_events",
        "drill_evaluations", "drill_corrective_actions", "drill_evaluation_events",
        "signed_copies", "office_scenarios")},
    locks={"drill_report_versions": Lock("submitted_at", lambda value: value is not None)},
    record_names={
        "drills": N_("Drill"), "drill_reports": N_("Drill report"),
        "drill_report_versions": N_("Drill report version"),
        "drill_evaluations": N_("Evaluation"), "drill_corrective_actions": N_("Corrective action"),
        "office_scenarios": N_("Scenario")},
    column_labels={
        "level_key": N_("Level"), "status": N_("Status"), "description": N_("Description"),
        "owner": N_("Owner"), "due": N_("Due date"), "content": N_("Content")},
    name_columns={
        "drill_report_versions": "number", "drill_corrective_actions": "description",
        "office_scenarios": "key"},
    attachments=Attachments(ATTACHMENTS, _signed_copy_files, SCAN_SUFFIXES),
)
