"""The four customs offices and their default units, as shipped in resources/units.json.

Plain data with no database: the first-run dialog lists offices and units before any database
is open, and the window can show without loading SQLAlchemy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from appinfo.resources import resource_path
from i18n import N_, pick
from models.core.errors import UserError

UNIT_KINDS = {"division": N_("Division"), "office": N_("Office"), "branch": N_("Branch")}
MAX_UNIT_NAME = 60


@dataclass(frozen=True)
class UnitInfo:
    id: str
    office_code: str
    key: str
    name_zh: str
    name_en: str
    kind: str
    sort_order: int
    active: bool

    @property
    def name(self) -> str:
        return pick({"zh_TW": self.name_zh, "en": self.name_en})


@dataclass(frozen=True)
class OfficeInfo:
    code: str
    name: dict[str, str]
    short_name: dict[str, str]
    units: tuple[UnitInfo, ...]

    @property
    def label(self) -> str:
        return pick(self.short_name)


def _office(raw: Any) -> OfficeInfo:
    code = raw["code"]
    return OfficeInfo(
        code=code,
        name=dict(raw["name"]),
        short_name=dict(raw["short_name"]),
        units=tuple(
            UnitInfo(
                id="",
                office_code=code,
                key=u["key"],
                name_zh=u["name"]["zh_TW"],
                name_en=u["name"].get("en", ""),
                kind=u["kind"],
                sort_order=i,
                active=True,
            )
            for i, u in enumerate(raw["units"])
        ),
    )


@cache
def offices() -> tuple[OfficeInfo, ...]:
    """The four customs offices and their default units, as shipped."""
    data = json.loads(resource_path("units.json").read_text(encoding="utf-8"))
    return tuple(_office(o) for o in data["offices"])


def office(code: str) -> OfficeInfo:
    for candidate in offices():
        if candidate.code == code:
            return candidate
    raise UserError(N_("Unknown customs office '{code}'."), code=code)
