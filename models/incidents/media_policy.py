"""The media watch's table as the sync and the views see it.

An item is a part of its incident: once the case is archived no change to it is applied (a
concurrent one is kept and flagged, as for the incident's other parts). Anyone of the team
may log what they saw in the media, as anyone records an action; every receiver checks that a
change does not name another person as its last editor than the PC is enrolled for, and that
the time it was seen does not lie ahead of this PC's clock.
"""

from __future__ import annotations

from i18n import N_
from models.core.changes import Change
from models.org.authorship import written_by
from models.sync.policy import Parent, SyncPolicy

_OF_AN_INCIDENT = Parent("incidents", "incident_id")

POLICY = SyncPolicy(
    changes={"media_items": Change.INCIDENTS},
    parts={"media_items": _OF_AN_INCIDENT},
    named_by={"media_items": _OF_AN_INCIDENT},
    record_names={"media_items": N_("Media item")},
    column_labels={
        "outlet": N_("Outlet"), "channel": N_("Media type"), "seen_at": N_("Seen"),
        "headline": N_("Headline"), "link": N_("Link"), "clipping": N_("Clipping"),
        "tone": N_("Tone"), "reach": N_("Reach"), "reach_note": N_("Note on the reach"),
        "needs_clarification": N_("Needs a clarification"),
        "statement_id": N_("Answered by")},
    name_columns={"media_items": "headline"},
    writers={"media_items": written_by(by="updated_by", times=("seen_at",))},
)
