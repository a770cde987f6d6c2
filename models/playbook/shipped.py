"""The procedure as shipped, and the fields of a stored playbook version: without SQLAlchemy,
so that a first start can show version 1 exactly as the database is about to store it
(models/playbook/first_read.py), before the database's modules have loaded."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Any, Protocol

from appinfo.resources import resource_path
from models.core.ids import new_id, stable_id
from models.playbook.model import FORMAT_VERSION, Playbook, parse_playbook_json, playbook_to_json
from models.playbook.versions import DEFAULT_REASON

DEFAULT_PLAYBOOK_FILE = ("playbook", "default.json")
SYSTEM = "CrisisDesk"
"""The author of version 1 (and of what the app itself loads, such as the demo cases)."""
SYSTEM_ROLE = "system"


class Parent(Protocol):
    """The version a new one follows (a stored row)."""

    @property
    def id(self) -> str: ...

    @property
    def number(self) -> int: ...


@cache
def default_playbook() -> Playbook:
    """The procedure as shipped in resources/ (validated like any imported file), read once:
    a first start needs it for the version it shows and for the one it stores (frozen)."""
    return parse_playbook_json(resource_path(*DEFAULT_PLAYBOOK_FILE).read_bytes())


def version_values(playbook: Playbook, *, by: str, role: str, reason: str,
                   parent: Parent | None) -> dict[str, Any]:
    """The fields of a new version of *playbook* (all but created_at, set when it is stored)."""
    content = playbook_to_json(playbook)
    sha = hashlib.sha256(content.encode("utf-8")).hexdigest()
    return {
        # The first version is the same row on every PC that starts from the same procedure.
        "id": new_id() if parent else stable_id("playbook", sha),
        "number": (parent.number + 1) if parent else 1,
        "parent_id": parent.id if parent else None,
        "created_by": by,
        "created_role": role,
        "reason": reason,
        "content": content,
        "content_sha256": sha,
        "format_version": FORMAT_VERSION,
    }


@cache
def default_version() -> Mapping[str, Any]:
    """Version 1 as every PC seeds it: the shipped procedure, by the app itself."""
    return MappingProxyType(version_values(default_playbook(), by=SYSTEM, role=SYSTEM_ROLE,
                                           reason=DEFAULT_REASON, parent=None))
