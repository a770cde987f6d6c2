"""Who is using the app, and what their role allows.

The procedure gives each role its own acts: only the planning group (策劃組) maintains the
playbook; the executive secretary (執行秘書) draws drill units; the planning group, as the
executive secretary directs, chooses what a drill tests (the secretary may too); the commander
(總指揮) and the executive secretary sign off and confirm the decided plan themselves (anyone
may record a confirmation given by phone: the record shows who recorded it). The checks live here, in the domain, so a hidden
button is never the only guard: the command line and any future caller meet the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum

from i18n import N_, _
from models.core.errors import PermissionDenied


class Role(StrEnum):
    UNIT_HEAD = "unit_head"
    PLANNING = "planning"
    SECRETARY = "secretary"
    COMMANDER = "commander"

    @property
    def label(self) -> str:
        return _(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.UNIT_HEAD: N_("Unit head"),
    Role.PLANNING: N_("Planning group"),
    Role.SECRETARY: N_("Executive secretary"),
    Role.COMMANDER: N_("Commander"),
}


class Permission(Enum):
    EDIT_PLAYBOOK = N_("edit the crisis playbook")
    EDIT_UNITS = N_("edit the office's units")
    DRAW_DRILL_UNIT = N_("draw the unit to drill")
    PLAN_DRILLS = N_("choose a drill's category and scenario")
    SIGN_OFF = N_("sign off reports")
    CONFIRM_PLAN = N_("confirm the decided plan yourself")


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.UNIT_HEAD: frozenset(),
    Role.PLANNING: frozenset({Permission.EDIT_PLAYBOOK, Permission.EDIT_UNITS,
                              Permission.PLAN_DRILLS}),
    Role.SECRETARY: frozenset({Permission.DRAW_DRILL_UNIT, Permission.PLAN_DRILLS,
                               Permission.SIGN_OFF, Permission.CONFIRM_PLAN}),
    Role.COMMANDER: frozenset({Permission.SIGN_OFF, Permission.CONFIRM_PLAN}),
}


@dataclass(frozen=True)
class Actor:
    """The person behind an action, recorded on everything they change."""

    name: str
    role: Role
    unit: str = ""
    login: str = ""
    """The Windows login and the PC the act is made from (as the office enrolled the PC, or
    this PC's own while it is not enrolled): printed under a signature."""
    pc: str = ""

    def may(self, permission: Permission) -> bool:
        return permission in GRANTS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.may(permission):
            raise PermissionDenied(
                N_("As {role} you may not {action}."),
                role=self.role.label,
                action=_(permission.value),
            )
