"""The office's units, as the sync and the views see them."""

from i18n import N_
from models.core.changes import Change
from models.sync.policy import SyncPolicy

POLICY = SyncPolicy(changes={"units": Change.UNITS}, record_names={"units": N_("Unit")})
