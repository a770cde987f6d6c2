"""The one table registry: importing a feature's entities module registers its tables on
`Base.metadata`, and this module imports every one of them. What needs the whole schema
(creating a database, Alembic's env, the full export, the sync's list of tables) takes
`TABLES` from here, so storage itself names no feature and no feature is left out by a caller
that forgot an import."""

from __future__ import annotations

from collections.abc import Iterable

import models.drills.entities
import models.drills.reports.entities
import models.drills.reports.signed_copy_entities
import models.drills.scenario_entities
import models.incidents.entities
import models.org.entities
import models.playbook.entities
import models.sync.entities
from models.core.changes import Change, OpChanges
from models.drills.sync_policy import POLICY as DRILLS
from models.incidents.sync_policy import POLICY as INCIDENTS
from models.org.sync_policy import POLICY as ORG
from models.playbook.sync_policy import POLICY as PLAYBOOK
from models.storage.db import Base
from models.sync.policy import SyncPolicy

FEATURE_ENTITIES = (
    models.org.entities, models.playbook.entities, models.incidents.entities,
    models.drills.entities, models.drills.scenario_entities, models.drills.reports.entities,
    models.drills.reports.signed_copy_entities, models.sync.entities,
)
"""The modules whose tables make up the schema (imported above for their registration)."""

TABLES = Base.metadata

POLICIES: tuple[SyncPolicy, ...] = (ORG, PLAYBOOK, INCIDENTS, DRILLS)
"""Every feature's declarations about its tables."""

_KINDS: dict[str, Change] = {table: kind for policy in POLICIES
                             for table, kind in policy.changes.items()}


def changes_of(tables: Iterable[str]) -> OpChanges:
    """The views' kinds of change for writes to *tables* (the sync's own tables are none)."""
    return OpChanges.of(_KINDS[t] for t in tables if t in _KINDS)
