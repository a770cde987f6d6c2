"""The one table registry: importing a feature's entities module registers its tables on
`Base.metadata`, and this module imports every one of them. What needs the whole schema
(creating a database, Alembic's env, the full export) takes `TABLES` from here, and the sync
its `RULES`, so storage itself names no feature and no feature is left out by a caller
that forgot an import."""

from __future__ import annotations

from collections.abc import Iterable

import models.drills.entities
import models.drills.reports.entities
import models.drills.reports.signed_copy_entities
import models.live_drills.entities
import models.drills.scenario_entities
import models.incidents.attachment_entities
import models.incidents.entities
import models.incidents.followup_entities
import models.incidents.media_entities
import models.org.entities
import models.playbook.entities
import models.sync.entities
from models.core.changes import OpChanges
from models.live_drills.sync_policy import POLICY as DRILL_RUNS
from models.drills.sync_policy import POLICY as DRILLS
from models.incidents.attachment_policy import POLICY as INCIDENT_ATTACHMENTS
from models.incidents.media_policy import POLICY as MEDIA_WATCH
from models.incidents.inquiry_policy import POLICY as INQUIRIES
from models.incidents.sync_policy import POLICY as INCIDENTS
from models.org.sync_policy import POLICY as ORG
from models.playbook.sync_policy import POLICY as PLAYBOOK
from models.review.signed_scans_policy import POLICY as SIGNED_COPIES
from models.storage.db import Base
from models.sync.policy import SyncPolicy
from models.sync.rules import SyncRules

FEATURE_ENTITIES = (
    models.org.entities, models.playbook.entities, models.incidents.entities,
    models.drills.entities, models.drills.scenario_entities, models.drills.reports.entities,
    models.drills.reports.signed_copy_entities, models.sync.entities,
    models.incidents.attachment_entities,
    models.incidents.media_entities,
    models.incidents.followup_entities,
    models.live_drills.entities,
)
"""The modules whose tables make up the schema (imported above for their registration)."""

TABLES = Base.metadata

POLICIES: tuple[SyncPolicy, ...] = (ORG, PLAYBOOK, INCIDENTS, DRILLS,
                                     INCIDENT_ATTACHMENTS, MEDIA_WATCH, INQUIRIES, DRILL_RUNS,
                                     SIGNED_COPIES)
"""Every feature's declarations about its tables."""

RULES = SyncRules.of(TABLES, POLICIES)
"""What the sync engine runs under: the tables it carries and the features' declarations
(models.startup installs the capture with them; every sync run and the conflict list take
them)."""


def changes_of(tables: Iterable[str]) -> OpChanges:
    """The views' kinds of change for writes to *tables* (the sync's own tables are none)."""
    return RULES.changes_of(tables)
