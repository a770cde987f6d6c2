"""The office's units, as the sync and the views see them."""

from i18n import N_
from models.core.changes import Change
from models.sync.policy import SyncPolicy

POLICY = SyncPolicy(
    changes={"units": Change.UNITS},
    record_names={"units": N_("Unit")},
    column_labels={"name_zh": N_("Chinese name"), "name_en": N_("English name"),
                   "active": N_("Active")},
    name_columns={"units": "name_zh"},
)
