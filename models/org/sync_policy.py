"""The office's units, as the sync and the views see them."""

from models.core.changes import Change
from models.sync.policy import SyncPolicy

POLICY = SyncPolicy(changes={"units": Change.UNITS})
