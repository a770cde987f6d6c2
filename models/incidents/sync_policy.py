"""Incidents and their case files, as the sync and the views see them."""

from models.core.changes import Change
from models.sync.policy import SyncPolicy

POLICY = SyncPolicy(changes={table: Change.INCIDENTS for table in (
    "incidents", "incident_fields", "timeline", "notifications", "acknowledgements",
    "task_states", "incident_actions", "statements", "statement_versions", "statement_events",
    "negotiations", "corrective_actions")})
