"""Legislators' inquiries, as the sync and the views see them.

An inquiry is a part of its incident: locked with it once the case is archived. Nothing of it
must move later: a case is not archived while one of its inquiries' clocks still runs
(models.incidents.progress), so its registration and its reply are on record by then. Anyone
on the team records an
inquiry (whoever took the call), in their own name; what no PC may write is a time ahead of
its clock, which would stop or start a legal clock on a day that has not come, nor the removal
of an inquiry whose clock has stopped on record."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from i18n import N_
from models.core.changes import Change
from models.org.authorship import written_by
from models.sync.policy import TOMBSTONE, Author, Parent, SyncPolicy

_edited_by_author = written_by(by="updated_by", times=("received_at", "replied_at"))


def _kept_on_record(author: Author, values: Mapping[str, Any],
                    current: Mapping[str, Any] | None) -> str | None:
    """An inquiry is written in its editor's own name, never dated ahead; what its clocks
    rest on stays, as the window keeps it (models.incidents.inquiry_actions.remove_inquiry):
    one whose registration or reply is on record is never removed, and no registration is
    dated on a day that has not come (it would stop the clock early)."""
    reason = _edited_by_author(author, values, current)
    if reason is not None:
        return reason
    if (values.get(TOMBSTONE) is not None and current is not None
            and (current.get("registered_on") or current.get("reply_statement_id"))):
        return N_("it removes an inquiry whose registration or reply is on record")
    registered = values.get("registered_on")
    if isinstance(registered, str) and registered > (
            datetime.now(UTC) + timedelta(days=1)).date().isoformat():
        return N_("it records a registration on a day that has not come")
    return None


POLICY = SyncPolicy(
    changes={"inquiries": Change.INCIDENTS},
    parts={"inquiries": Parent("incidents", "incident_id")},
    named_by={"inquiries": Parent("incidents", "incident_id")},
    record_names={"inquiries": N_("Legislator's inquiry")},
    column_labels={
        "rep_kind": N_("Representative"), "rep_name": N_("Full name"),
        "rep_office": N_("Representative's office"), "contact": N_("Contact person"),
        "channel": N_("How it came"), "received_at": N_("Received"),
        "place": N_("Place of the inquiry"),
        "received_by": N_("Received by"),
        "request": N_("Request"), "relation": N_("Relation to the party"),
        "favour": N_("May be a request for favour"),
        "registered_on": N_("Registered on"), "registered_with": N_("Registered with"),
        "registration_no": N_("Registration number"),
        "extension_reason": N_("Reason for the extension"), "reply": N_("Reply"),
        "replied_at": N_("Replied")},
    name_columns={"inquiries": "rep_name"},
    writers={"inquiries": _kept_on_record},
)
"""Declared to the sync beside the incidents' own policy (models/schema.py)."""
