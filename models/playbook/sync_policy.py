"""The playbook's versions and the handovers of its posts, as the sync and the views see them."""

from i18n import N_
from models.core.changes import Change
from models.sync.policy import SyncPolicy

POLICY = SyncPolicy(
    changes={"playbook_versions": Change.PLAYBOOK, "handovers": Change.PLAYBOOK},
    column_labels={"content": N_("Content")},
    name_columns={"playbook_versions": "number"},
)
