"""The office's own drill rules, kept in the playbook under ``drill.rules``: how often a drill
runs, how often each unit must be drilled at least, how the crisis categories rotate, and the
after-action deadlines.

The offices differ: 基隆關's procedure drills month by month (按月模擬演練), 臺中關's plan at
least every half year, the others quarterly; reference 003 asks every unit to be drilled at
least every half year. After-action practice (HSEEP) wants the evaluation within about 30 days
of the drill and the corrective actions followed up within about 60.

A playbook without the key (every version written before the rules existed, stored in the
database or arriving by sync) reads with `DrillRules()`, which is exactly how the app behaved
before: monthly drills, every unit at least every six months, the least practised category
first, 30 and 60 days. Rules equal to those defaults are not written back, so such a playbook
keeps its canonical text, and the shipped version 1 its id on every PC.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from i18n import N_, _, ngettext
from models.core.errors import ValidationError
from models.core.json_reader import JsonReader

DRILL_EVERY = (1, 2, 3, 4, 6, 12)
"""How often the office drills, in months: the numbers that divide the year, so that the
drill periods start in January (quarterly: January, April, July, October)."""
MAX_UNIT_MONTHS = 36
MAX_EVALUATION_DAYS = 365
MAX_FOLLOW_UP_DAYS = 730
ROTATIONS = {
    "least_practised": N_("the least practised first"),
    "in_order": N_("in the playbook's order, after the unit's last one"),
}
"""How the next drill's category is suggested for the drawn unit (models.drills.kinds)."""
RULES_KEY = "rules"
EVERY_LABELS = {
    1: N_("Every month"),
    2: N_("Every two months"),
    3: N_("Every quarter (three months)"),
    4: N_("Every four months"),
    6: N_("Every half year (six months)"),
    12: N_("Every year"),
}
"""DRILL_EVERY in words (基隆關 drills every month, 臺中關 every half year, others quarterly)."""


@dataclass(frozen=True)
class DrillRules:
    every_months: int = 1
    """A drill is due in every period of this many months (1: every month)."""
    unit_every_months: int = 6
    """Each unit is drilled at least once in this many months; later, it is overdue."""
    rotation: str = "least_practised"
    """A key of ROTATIONS."""
    evaluation_within_days: int = 30
    """The evaluation is due this many days after the day of the drill."""
    follow_up_within_days: int = 60
    """A corrective action without a due day of its own is due this many days after the
    drill."""


FIELDS = tuple(asdict(DrillRules()))


def _days(r: JsonReader, limit: int) -> int:
    value = r.integer()
    if not 1 <= value <= limit:
        raise ValidationError(r.path, N_("must be between 1 and {limit}"), limit=limit)
    return value


def parse_drill_rules(drill: JsonReader) -> DrillRules:
    """The rules under *drill* (the playbook's ``drill`` object), the defaults for what is
    not given; an unknown key or a value out of range is refused with its path, such as
    ``drill.rules.every_months``."""
    if not drill.has(RULES_KEY):
        return DrillRules()
    r = drill.get(RULES_KEY)
    r.obj(allowed=FIELDS)
    default = DrillRules()
    every = r.get("every_months", optional=True, default=default.every_months)
    every_months = every.integer()
    if every_months not in DRILL_EVERY:
        raise ValidationError(every.path, N_("must be one of: {allowed}"),
                              allowed=", ".join(str(n) for n in DRILL_EVERY))
    evaluation = _days(r.get("evaluation_within_days", optional=True,
                             default=default.evaluation_within_days), MAX_EVALUATION_DAYS)
    follow_up_r = r.get("follow_up_within_days", optional=True,
                        default=default.follow_up_within_days)
    follow_up = _days(follow_up_r, MAX_FOLLOW_UP_DAYS)
    if follow_up < evaluation:
        raise ValidationError(follow_up_r.path, N_(
            "must not be shorter than the days given for the evaluation ({days})"),
            days=evaluation)
    return DrillRules(
        every_months=every_months,
        unit_every_months=_days(r.get("unit_every_months", optional=True,
                                      default=default.unit_every_months), MAX_UNIT_MONTHS),
        rotation=r.get("rotation", optional=True, default=default.rotation).choice(
            tuple(ROTATIONS)),
        evaluation_within_days=evaluation,
        follow_up_within_days=follow_up,
    )


def drill_rules_dict(rules: DrillRules) -> dict[str, Any]:
    """The ``rules`` entry of the playbook's ``drill`` object: nothing when the rules are the
    defaults (the canonical text of a playbook without rules stays the same), else all of
    them, so the file says the whole rule where an office set one."""
    return {} if rules == DrillRules() else {RULES_KEY: asdict(rules)}


def span_text(months: int) -> str:
    """A number of months as a reader says it: "half a year", "a year", "3 months"."""
    if months == 6:
        return _("half a year")
    if months == 12:
        return _("a year")
    return ngettext("{n} month", "{n} months", months).format(n=months)


def period_text(every_months: int) -> str:
    """How often the office drills, in words."""
    return _(EVERY_LABELS[every_months])


def rules_text(rules: DrillRules) -> str:
    """The office's drill rules in one line (the Drills screen, the playbook's text)."""
    return _("{period} a drill. Each unit at least every {span}. Next category: {rotation}. "
             "Evaluation within {evaluation} days of the drill, corrective actions followed "
             "up within {follow_up} days.").format(
        period=period_text(rules.every_months), span=span_text(rules.unit_every_months),
        rotation=_(ROTATIONS[rules.rotation]), evaluation=rules.evaluation_within_days,
        follow_up=rules.follow_up_within_days)
