"""The playbook's versions and the handovers of its posts, as the sync and the views see them."""

from models.core.changes import Change
from models.sync.policy import SyncPolicy

POLICY = SyncPolicy(changes={"playbook_versions": Change.PLAYBOOK, "handovers": Change.PLAYBOOK})
