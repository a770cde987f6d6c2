"""An incident's attachments as the sync and the views see them: rows written once in their
author's own name, each with a file that travels beside the database as the drill reports'
signed copies do (the same folder, the same checks of names and hashes)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from i18n import N_
from models.core.changes import Change
from models.core.content_files import ATTACHMENTS, named_files
from models.incidents.attachment_entities import AttachmentRow
from models.incidents.attachments import SUFFIXES, keepable_filename
from models.org.authorship import written_by
from models.sync.policy import Attachments, Author, Parent, SyncPolicy

_in_person = written_by(by="attached_by", role="role", times=("attached_at",))

NAME_REFUSED = N_("its file name holds a path sign or a hidden character")
"""A file's name shown in the lists of every PC: no override showing "scan\u202efdp.png" as
"scangnp.pdf" (models.incidents.attachments.keepable_filename)."""


def _an_attachment(author: Author, values: Mapping[str, Any],
                   current: Mapping[str, Any] | None) -> str | None:
    """In its author's own name, under a name the window would keep."""
    if "filename" in values and not keepable_filename(values["filename"]):
        return NAME_REFUSED
    return _in_person(author, values, current)



# Not a part of the incident (SyncPolicy.parts): as a timeline entry, an attachment made
# before its PC saw the case archived is evidence, kept when it arrives after the archiving.
# One made after is refused (sealed_by), as the window refuses it.
POLICY = SyncPolicy(
    changes={"incident_attachments": Change.INCIDENTS},
    sealed_by={"incident_attachments": Parent("incidents", "incident_id")},
    named_by={"incident_attachments": Parent("incidents", "incident_id")},
    record_names={"incident_attachments": N_("Attachment")},
    column_labels={"caption": N_("Caption"), "filename": N_("File name")},
    name_columns={"incident_attachments": "filename"},
    attachments=Attachments(ATTACHMENTS, named_files(AttachmentRow), SUFFIXES),
    writers={"incident_attachments": _an_attachment},
    insert_only=frozenset({"incident_attachments"}),
)
