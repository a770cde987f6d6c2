"""Who is using the app, and what their role allows.

The procedure gives each role its own acts: only the planning group (策劃組) maintains the
playbook; the executive secretary (執行秘書) draws drill units; the planning group, as the
executive secretary directs, chooses what a drill tests (the secretary may too); the commander
(總指揮) and the executive secretary sign off and confirm the decided plan themselves (anyone
may record a confirmation given by phone: the record shows who recorded it). Some acts belong to
a post of the team rather than a role: the legal group (法務組) reviews a statement, the
spokesperson (the commander, 總指揮兼發言人) approves it; the office grants a person the posts
they hold or deputise for when it enrols their PC. The checks live here, in the domain, so a hidden
button is never the only guard: the command line and any future caller meet the same rule.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
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
    REVIEW_STATEMENT = N_("review a statement for the legal group yourself")
    APPROVE_STATEMENT = N_("approve a statement as the spokesperson yourself")


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.UNIT_HEAD: frozenset(),
    Role.PLANNING: frozenset({Permission.EDIT_PLAYBOOK, Permission.EDIT_UNITS,
                              Permission.PLAN_DRILLS}),
    Role.SECRETARY: frozenset({Permission.DRAW_DRILL_UNIT, Permission.PLAN_DRILLS,
                               Permission.SIGN_OFF, Permission.CONFIRM_PLAN}),
    Role.COMMANDER: frozenset({Permission.SIGN_OFF, Permission.CONFIRM_PLAN,
                               Permission.APPROVE_STATEMENT}),
}

POST_GRANTS: dict[str, frozenset[Permission]] = {
    "legal": frozenset({Permission.REVIEW_STATEMENT}),
    "commander": frozenset({Permission.APPROVE_STATEMENT}),
}
"""What holding (or deputising for) a post of a team group adds to a role, by the group's key
in the playbook: the legal group reviews statements, the commander's post is the
spokesperson's."""


def granted(role: str, posts: Iterable[str]) -> frozenset[Permission]:
    """Everything a role and the posts held give (a role or post this app does not know gives
    nothing: a grant from a newer app, or a forged one)."""
    try:
        found = set(GRANTS[Role(role)])
    except ValueError:
        found = set()
    for post in posts:
        found |= POST_GRANTS.get(post, frozenset())
    return frozenset(found)


def same_person(name: str, other: str) -> bool:
    """Whether two written names are one person's to a reader: compared after Unicode's
    compatibility folding (a CJK compatibility ideograph, full-width letters), without the
    invisible format characters (a zero-width space, a byte-order mark) and outer spaces. An
    act done in one's own name is recognised so, not by a name typed to look like another."""
    return _reading(name) == _reading(other)


def _reading(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name)
    return "".join(c for c in folded if unicodedata.category(c) != "Cf").strip().casefold()


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
    posts: tuple[str, ...] = ()
    """The team groups whose post the person holds or deputises for, as the office granted
    them (POST_GRANTS), or every post as declared while the PC is not enrolled
    (Actor.declared)."""

    @classmethod
    def declared(cls, name: str, role: Role, **details: str) -> Actor:
        """Who acts on a PC the office has not enrolled: as its user declares, role and posts
        alike (every post: an office without an authority proves nobody's). Once the PC is
        enrolled its grant decides, here and on every receiver, what it did meanwhile
        included."""
        return cls(name=name, role=role, posts=tuple(POST_GRANTS), **details)

    def may(self, permission: Permission) -> bool:
        return permission in granted(self.role, self.posts)

    def require(self, permission: Permission) -> None:
        if not self.may(permission):
            raise PermissionDenied(
                N_("As {role} you may not {action}."),
                role=self.role.label,
                action=_(permission.value),
            )
