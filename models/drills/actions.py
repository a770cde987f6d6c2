"""User actions on drills, one function per act of the procedure's drill section (七).

Every function is one transaction; input is checked before anything is written, and a
ValidationError names the field at fault; the role is checked here (Actor.require), not only
by a hidden button. Drills are kept apart from incidents (models/drills/entities.py): a drill
never becomes a case, a case number or a count of real incidents.

Reads (the draws, the schedule, the coverage) are in models/drills/queries.py; the rules that
need no database (weights, the seeded choice and its replay, the half-year rule, the category
suggestion) in models/drills/kinds.py.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.orm import Session

from i18n import N_
from models.core.checks import MAX_TEXT
from models.core.errors import UserError, ValidationError
from models.core.ids import stable_id
from models.drills.entities import DrawRow, DrillRow
from models.drills.kinds import (
    DRAW_METHOD,
    HELD_STATUSES,
    LIVE_STATUSES,
    MAX_SEED,
    SEED_BITS,
    Candidate,
    DrawInfo,
    Exclusion,
    drill_weight,
    month_start,
    pick_unit,
    taipei_today,
)
from models.drills.queries import (
    DrillInfo,
    active_units,
    candidates_to_json,
    draw_info,
    drill_day,
    drill_info,
    exclusions_to_json,
    live_drill,
    month_drill,
    office_drills,
)
from models.org.people import Actor, Permission
from models.playbook.entities import PlaybookVersionRow
from models.playbook.store import playbook_at as playbook_at
from models.storage.db import Database, utcnow

MAX_KEY = 60
"""The length of a stored key (units.key, category and scenario keys)."""

NO_EXCLUSIONS: Mapping[str, str] = MappingProxyType({})


def _reason(field: str, value: str, *, required: bool, message: str) -> str:
    value = value.strip()
    if required and not value:
        raise ValidationError(field, message)
    if len(value) > MAX_TEXT:
        raise ValidationError(field, N_("At most {limit} characters."), limit=MAX_TEXT)
    return value


def _drill_month(month: date, today: date) -> date:
    """The month drawn for, as its first day: from this month to the end of next year (a draw
    decides a coming drill; it cannot rewrite the past)."""
    first = month_start(month)
    this_month = month_start(today)
    if not this_month <= first <= date(today.year + 1, 12, 1):
        raise ValidationError(
            "month", N_("Draw for this month or a later one, up to the end of next year."))
    return first


def _last_drills(session: Session, office_code: str, skip_drill: str | None) -> dict[str, date]:
    """Each unit's last drill, held or planned (not cancelled), leaving out *skip_drill*: the
    month's own drill, which a redraw is about to replace."""
    last: dict[str, date] = {}
    for row in office_drills(session, office_code):
        if row.id == skip_drill or row.status not in LIVE_STATUSES:
            continue
        day = drill_day(row)
        if row.unit_key not in last or day > last[row.unit_key]:
            last[row.unit_key] = day
    return last


def draw_unit(
    db: Database,
    actor: Actor,
    office_code: str,
    month: date,
    *,
    exclude: Mapping[str, str] = NO_EXCLUSIONS,
    seed: int | None = None,
    redraw_of: str | None = None,
    reason: str = "",
) -> DrawInfo:
    """The executive secretary draws the unit to drill in *month* (抽選演練單位).

    The candidates are the office's active units but those in *exclude* (unit key -> the
    reason it is left out; a reason is required). Each weighs ``min(days since its last drill,
    365) + 30``, 395 if never drilled (`models.drills.kinds.drill_weight`); days count to the
    later of today and the month's first day, and the last drill is the latest one held or
    planned. The choice is made from *seed* (a fresh 63-bit one from `secrets` when None) and
    recorded with the candidates, weights and exclusions, so `replay_draw` reproduces it.

    The month's drill is created, planned, for the unit drawn. A month already drawn is
    changed only by a redraw: *redraw_of* names the draw in force and *reason* says why; the
    earlier draw stays as it was, and a new unit clears the category and scenario chosen for
    the previous one. A drill that has taken place cannot be redrawn.
    """
    actor.require(Permission.DRAW_DRILL_UNIT)
    today = taipei_today()
    first = _drill_month(month, today)
    if seed is None:
        seed = secrets.randbits(SEED_BITS)
    elif isinstance(seed, bool) or not 0 <= seed <= MAX_SEED:
        raise ValidationError("seed", N_("The seed is a whole number from 0 to {largest}."),
                              largest=MAX_SEED)
    if redraw_of is None and reason.strip():
        raise ValidationError("reason", N_("A reason is recorded only with a redraw."))
    reason = _reason("reason", reason, required=redraw_of is not None,
                     message=N_("Say why the unit is drawn again."))
    with db.session() as session:
        units = active_units(session, office_code)
        by_key = {u.key: u for u in units}
        excluded = []
        for key, why in exclude.items():
            unit = by_key.get(key)
            if unit is None:
                raise ValidationError("exclude", N_("{unit} is not an active unit of the office."),
                                      unit=key)
            why = _reason("exclude", why, required=True,
                          message=N_("Give the reason for leaving out a unit."))
            excluded.append(Exclusion(unit.key, unit.name_zh, unit.name_en, why))
        if not units:
            raise UserError(N_("The office has no active unit to draw."))
        if len(excluded) == len(units):
            raise ValidationError("exclude", N_("Every unit is left out: none remains to draw."))

        drill = month_drill(session, office_code, first)
        if redraw_of is None:
            if drill is not None:
                raise UserError(N_("A unit is already drawn for this month; to change it, "
                                   "redraw with a reason."))
        else:
            earlier = session.get(DrawRow, redraw_of)
            if earlier is None or earlier.office_code != office_code or earlier.month != first:
                raise ValidationError("redraw_of", N_("Choose a draw of the same month."))
            if drill is None or drill.draw_id != earlier.id:
                raise ValidationError("redraw_of",
                                      N_("Only the month's draw in force can be redrawn."))
            if drill.status in HELD_STATUSES:
                raise UserError(N_("This month's drill has taken place; its unit can no longer "
                                   "be redrawn."))

        as_of = max(today, first)
        last = _last_drills(session, office_code, drill.id if drill is not None else None)
        left_out = {e.unit_key for e in excluded}
        candidates = []
        for unit in units:
            if unit.key in left_out:
                continue
            last_day = last.get(unit.key)
            days = None if last_day is None else max((as_of - last_day).days, 0)
            candidates.append(Candidate(unit.key, unit.name_zh, unit.name_en, last_day, days,
                                        drill_weight(days)))
        result = pick_unit(candidates, seed)

        version = session.scalar(
            select(PlaybookVersionRow.id).order_by(PlaybookVersionRow.number.desc()).limit(1)
        )
        if version is None:
            raise UserError(N_("The database holds no playbook yet."))
        row = DrawRow(
            office_code=office_code,
            month=first,
            as_of=as_of,
            candidates=candidates_to_json(candidates),
            excluded=exclusions_to_json(excluded),
            method=DRAW_METHOD,
            seed=seed,
            result_unit_key=result,
            drawn_by=actor.name,
            role=actor.role.value,
            drawn_at=utcnow(),
            redraw_of=redraw_of,
            redraw_reason=reason,
        )
        session.add(row)
        session.flush()
        if drill is None:
            session.add(DrillRow(id=stable_id("drill", office_code, first.isoformat()),
                                 office_code=office_code, month=first, unit_key=result,
                                 status="planned", playbook_version_id=version, draw_id=row.id,
                                 updated_by=actor.name))
        else:
            if drill.unit_key != result:
                drill.unit_key = result
                drill.category_key = ""
                drill.scenario_key = ""
            drill.status = "planned"
            drill.draw_id = row.id
            drill.touch(actor.name)
        return draw_info(row)


def choose_scenario(
    db: Database, actor: Actor, drill_id: str, category_key: str, scenario_key: str
) -> DrillInfo:
    """The planning group (or the executive secretary) chooses the crisis category a planned
    drill tests, from the playbook the drill runs under, and the scenario of the scenario
    library ("" until one is chosen; only its key is stored here)."""
    actor.require(Permission.PLAN_DRILLS)
    scenario_key = scenario_key.strip()
    if len(scenario_key) > MAX_KEY:
        raise ValidationError("scenario_key", N_("At most {limit} characters."), limit=MAX_KEY)
    with db.session() as session:
        drill = live_drill(session, drill_id)
        if drill.status != "planned":
            raise UserError(N_("The category or scenario can be changed only while the "
                               "drill is planned."))
        pb = playbook_at(session, drill.playbook_version_id)
        if category_key not in {c.key for c in pb.categories}:
            raise ValidationError("category_key", N_("Choose a category of the playbook."))
        if (drill.category_key, drill.scenario_key) != (category_key, scenario_key):
            drill.category_key = category_key
            drill.scenario_key = scenario_key
            drill.touch(actor.name)
        session.flush()
        return drill_info(drill)

