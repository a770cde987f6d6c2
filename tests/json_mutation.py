"""Shipped JSON files for the parsers' tests, and changing one value of one, for the property tests of the parsers: every
place in the file (`value_paths`), and the file with the value at one place replaced or
deleted (`with_one_change`). A parser must then parse the file or refuse it with its own
error, never crash."""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any

from appinfo.resources import resource_path
from models.playbook.shipped import default_playbook

shipped_playbook = cache(default_playbook)
"""The playbook as shipped, parsed once for a test module."""


@cache
def shipped_text(*parts: str) -> str:
    """A file under resources/, read once."""
    return resource_path(*parts).read_text(encoding="utf-8")


def shipped_json(*parts: str) -> dict[str, Any]:
    """A fresh copy of a shipped JSON file, for a test to change."""
    data: dict[str, Any] = json.loads(shipped_text(*parts))
    return data


def value_paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path (keys and indexes) of every value inside *value*, itself included."""
    found = [here]
    if isinstance(value, dict):
        for k, v in value.items():
            found += value_paths(v, (*here, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += value_paths(v, (*here, i))
    return found


def with_one_change(raw: Any, path: tuple[Any, ...], value: object, delete: bool) -> Any:
    """A copy of *raw* with the value at *path* replaced by *value*, or deleted."""
    changed: Any = copy.deepcopy(raw)
    parent = changed
    for step in path[:-1]:
        parent = parent[step]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return changed
