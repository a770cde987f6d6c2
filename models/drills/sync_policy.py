"""Drills, their draws, reports, evaluations, signed copies and the office's scenarios, as the
sync and the views see them."""

from models.core.changes import Change
from models.sync.policy import SyncPolicy

POLICY = SyncPolicy(changes={table: Change.DRILLS for table in (
    "drill_draws", "drills", "drill_reports", "drill_report_versions", "drill_report_events",
    "drill_evaluations", "drill_corrective_actions", "drill_evaluation_events", "signed_copies",
    "office_scenarios")})
