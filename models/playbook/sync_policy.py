"""The playbook's versions and the handovers of its posts, as the sync and the views see them."""

from i18n import N_
from models.core.changes import Change
from models.org.authorship import written_by
from models.org.people import Permission
from models.playbook.store import is_default_version
from models.sync.policy import SyncPolicy

POLICY = SyncPolicy(
    changes={"playbook_versions": Change.PLAYBOOK, "handovers": Change.PLAYBOOK},
    record_names={"playbook_versions": N_("Playbook version"), "handovers": N_("Handover")},
    column_labels={"content": N_("Content")},
    name_columns={"playbook_versions": "number"},
    # What every receiver checks of a change an enrolled PC signed (docs/trust.md): the
    # permission saving a version needs (models.playbook.store.save_playbook), in the author's
    # own name. A version and a handover are written once: an edit adds a row. Version 1 as
    # every PC seeds it on its first run is every PC's own.
    writers={"playbook_versions": written_by(by="created_by", role="created_role",
                                             permission=Permission.EDIT_PLAYBOOK),
             "handovers": written_by(by="created_by", permission=Permission.EDIT_PLAYBOOK)},
    insert_only=frozenset({"playbook_versions", "handovers"}),
    seeds={"playbook_versions": is_default_version},
)
