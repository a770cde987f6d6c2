"""What a stored playbook version and a handover are to the screens: plain frozen dataclasses,
in a module of their own that does not load SQLAlchemy, so the playbook's first read at start
(models/playbook/first_read.py) can build them while the ORM is still loading."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from i18n import N_, _

DEFAULT_REASON = "預設危機管理作業流程 (default procedure)"
"""Version 1's stored reason, kept as every database has it: version 1 has the same id on
every PC (docs/sync.md), so another text here would meet the older PCs' as a conflict. It is
shown in the reader's language (VersionInfo.reason_shown), never in both at once."""
_DEFAULT_REASON_SHOWN = N_("The shipped default procedure")


@dataclass(frozen=True)
class VersionInfo:
    id: str
    number: int
    created_at: datetime
    created_by: str
    created_role: str
    reason: str
    sha256: str

    @property
    def reason_shown(self) -> str:
        """The reason as the reader reads it: the shipped version's in their language."""
        return _(_DEFAULT_REASON_SHOWN) if self.reason == DEFAULT_REASON else self.reason


@dataclass(frozen=True)
class HandoverInfo:
    created_at: datetime
    created_by: str
    version_number: int
    post: str
    role: str
    from_name: str
    to_name: str
    note: str
