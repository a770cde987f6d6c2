"""The playbook's versions and the handovers of its posts, as the sync and the views see them."""

import logging
from collections.abc import Mapping
from typing import Any

from i18n import N_
from models.core.changes import Change
from models.core.errors import UserError
from models.org.authorship import written_by
from models.org.people import Permission
from models.playbook.model import parse_playbook_json
from models.playbook.store import is_default_version
from models.sync.policy import Author, SyncPolicy

log = logging.getLogger(__name__)

_saved_by_editor = written_by(by="created_by", role="created_role",
                              permission=Permission.EDIT_PLAYBOOK)


def _a_playbook(author: Author, values: Mapping[str, Any],
                current: Mapping[str, Any] | None) -> str | None:
    """A playbook version is saved by who may edit the playbook, in their own name, and is a
    playbook the editor would save: a version every PC takes as current and cannot read (a
    cadence of 0 minutes, a holiday that is no date) stopped every screen that reads it."""
    reason = _saved_by_editor(author, values, current)
    content = values.get("content")
    if reason is None and isinstance(content, str):
        try:
            parse_playbook_json(content)
        except UserError as exc:
            log.warning("a playbook version refused: %s", exc.message())
            return N_("it is not a playbook the editor would save")
    return reason


POLICY = SyncPolicy(
    changes={"playbook_versions": Change.PLAYBOOK, "handovers": Change.PLAYBOOK},
    record_names={"playbook_versions": N_("Playbook version"), "handovers": N_("Handover")},
    column_labels={"content": N_("Content")},
    name_columns={"playbook_versions": "number"},
    # What every receiver checks of a change an enrolled PC signed (docs/trust.md): the
    # permission saving a version needs (models.playbook.store.save_playbook), in the author's
    # own name. A version and a handover are written once: an edit adds a row. Version 1 as
    # every PC seeds it on its first run is every PC's own.
    writers={"playbook_versions": _a_playbook,
             "handovers": written_by(by="created_by", permission=Permission.EDIT_PLAYBOOK)},
    insert_only=frozenset({"playbook_versions", "handovers"}),
    seeds={"playbook_versions": is_default_version},
)
