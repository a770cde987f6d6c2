"""The office's units, as the sync and the views see them."""

from i18n import N_
from models.core.changes import Change
from models.org.authorship import written_by
from models.org.people import Permission
from models.org.units import is_default_unit
from models.sync.policy import SyncPolicy

POLICY = SyncPolicy(
    changes={"units": Change.UNITS},
    record_names={"units": N_("Unit")},
    column_labels={"name_zh": N_("Chinese name"), "name_en": N_("English name"),
                   "active": N_("Active")},
    name_columns={"units": "name_zh"},
    # What every receiver checks of a change an enrolled PC signed (docs/trust.md): adding,
    # changing or removing a unit needs the right to edit the units (models.org.units), but
    # for the units as every PC seeds them on its first run.
    writers={"units": written_by(permission=Permission.EDIT_UNITS)},
    seeds={"units": is_default_unit},
)
