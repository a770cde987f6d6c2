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
from models.org.authorship import written_by
from models.org.people import Permission
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
    # What every receiver checks of a change an enrolled PC signed (docs/trust.md): the
    # same permissions the acts of models.drills require, in the author's own name.
    writers={
        "drill_draws": written_by(by="drawn_by", role="role",
                                  permission=Permission.DRAW_DRILL_UNIT),
        "drill_report_events": written_by(by="entered_by", role="role",
                                          signed_from=("login", "pc"), when={
            ("kind", "signed"): Permission.SIGN_OFF, ("kind", "returned"): Permission.SIGN_OFF,
            ("kind", "reopened"): Permission.SIGN_OFF}),
        "drill_evaluation_events": written_by(by="entered_by", role="role",
                                              signed_from=("login", "pc"), when={
            ("kind", "signed"): Permission.SIGN_OFF, ("kind", "returned"): Permission.SIGN_OFF}),
        "drill_reports": written_by(when={("status", "signed"): Permission.SIGN_OFF},
                                    once={("status", "signed"): Permission.SIGN_OFF},
                                    deletes=Permission.SIGN_OFF),
        "drill_evaluations": written_by(when={("status", "signed"): Permission.SIGN_OFF},
                                        once={("status", "signed"): Permission.SIGN_OFF},
                                        deletes=Permission.SIGN_OFF),
    },
    insert_only=frozenset({"drill_draws", "drill_report_events", "drill_evaluation_events"}),
)
