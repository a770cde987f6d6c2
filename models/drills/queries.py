"""Reading drills: the recorded draws, the year's schedule with the half-year rule, and the
coverage of categories by units.

The GUI gets frozen dataclasses (never ORM objects or a session), built here on the database
worker. Drills are read from their own tables only: no real-incident list or count ever sees
them, and nothing here reads an incident.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from i18n import N_
from i18n.roc import roc_year
from models.drills.entities import DrawRow, DrillRow
from models.drills.kinds import (
    HELD_STATUSES,
    LIVE_STATUSES,
    Candidate,
    Coverage,
    CoverageEntry,
    DrawInfo,
    Exclusion,
    drill_period,
    half_year_due,
    is_overdue,
    month_start,
    months_of_year,
    taipei_date,
)
from models.org.entities import UnitRow
from models.org.offices import UnitInfo
from models.playbook.drill_rules import DrillRules
from models.playbook.records import RecordHeader
from models.playbook.store import playbook_at as playbook_at
from models.storage.db import Database, row_or_gone


@dataclass(frozen=True)
class DrillInfo:
    """The drill of one month as the schedule and the drill screens show it."""

    id: str
    office_code: str
    month: date
    unit_key: str
    category_key: str
    scenario_key: str
    status: str
    planned_at: datetime | None
    held_at: datetime | None
    playbook_version_id: str | None
    draw_id: str | None
    row_version: int
    updated_at: datetime
    updated_by: str
    classification: str = ""
    """Its 密等 (models.playbook.records), flagged on the drills screen when 密 or above."""
    header: RecordHeader = RecordHeader()
    """Its 公文 header as stored, which its forms' verification codes cover."""


@dataclass(frozen=True)
class MonthSlot:
    """A month of the procedure's monthly drills: its drill if a unit is drawn, and how many
    draws the month has (more than one: it was redrawn)."""

    month: date
    drill: DrillInfo | None
    draws: int
    wanted: bool = True
    """Whether a drill is wanted in this month by the office's drill rules: False for a
    month without a drill whose period (every N months from January) has its drill in
    another month, which is then not missing one."""

    @property
    def drawn(self) -> bool:
        return self.drill is not None


@dataclass(frozen=True)
class UnitDrillState:
    """Where a unit stands against the half-year rule."""

    unit: UnitInfo
    last_held: date | None
    """The day of its last drill that took place (None: none on record)."""
    due: date | None
    """The last day its next drill is due on (None: due already, never drilled)."""
    overdue: bool
    next_planned: date | None
    """The month of its next planned drill, from this month on, if one is drawn."""


@dataclass(frozen=True)
class Schedule:
    """The year's monthly drills and every active unit's state, overdue units first."""

    today: date
    year: int
    roc_year: int
    months: tuple[MonthSlot, ...]
    units: tuple[UnitDrillState, ...]
    rules: DrillRules = DrillRules()
    """The office's drill rules the schedule was read with (the current playbook's)."""

    @property
    def overdue(self) -> tuple[UnitDrillState, ...]:
        return tuple(u for u in self.units if u.overdue)


def live_drill(session: Session, drill_id: str) -> DrillRow:
    return row_or_gone(session, DrillRow, drill_id, N_("That drill no longer exists."))


def drill_info(row: DrillRow) -> DrillInfo:
    return DrillInfo(
        id=row.id,
        office_code=row.office_code,
        month=row.month,
        unit_key=row.unit_key,
        category_key=row.category_key,
        scenario_key=row.scenario_key,
        status=row.status,
        planned_at=row.planned_at,
        held_at=row.held_at,
        playbook_version_id=row.playbook_version_id,
        draw_id=row.draw_id,
        row_version=row.row_version,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
        classification=row.doc_classification,
        header=RecordHeader.of(row),
    )


def candidates_to_json(candidates: Iterable[Candidate]) -> str:
    return json.dumps([
        {"unit_key": c.unit_key, "name_zh": c.name_zh, "name_en": c.name_en,
         "last_drill": c.last_drill.isoformat() if c.last_drill else None,
         "days_since": c.days_since, "weight": c.weight}
        for c in candidates
    ], ensure_ascii=False)


def exclusions_to_json(excluded: Iterable[Exclusion]) -> str:
    return json.dumps([
        {"unit_key": e.unit_key, "name_zh": e.name_zh, "name_en": e.name_en, "reason": e.reason}
        for e in excluded
    ], ensure_ascii=False)


def draw_info(row: DrawRow, replaced_by: str | None = None) -> DrawInfo:
    return DrawInfo(
        id=row.id,
        office_code=row.office_code,
        month=row.month,
        as_of=row.as_of,
        candidates=tuple(
            Candidate(c["unit_key"], c["name_zh"], c["name_en"],
                      date.fromisoformat(c["last_drill"]) if c["last_drill"] else None,
                      c["days_since"], c["weight"])
            for c in json.loads(row.candidates)
        ),
        excluded=tuple(Exclusion(e["unit_key"], e["name_zh"], e["name_en"], e["reason"])
                       for e in json.loads(row.excluded)),
        method=row.method,
        seed=row.seed,
        result_unit_key=row.result_unit_key,
        drawn_by=row.drawn_by,
        role=row.role,
        drawn_at=row.drawn_at,
        redraw_of=row.redraw_of,
        redraw_reason=row.redraw_reason,
        replaced_by=replaced_by,
    )


def unit_info(row: UnitRow) -> UnitInfo:
    return UnitInfo(id=row.id, office_code=row.office_code, key=row.key, name_zh=row.name_zh,
                    name_en=row.name_en, kind=row.kind, sort_order=row.sort_order,
                    active=row.active)


def active_units(session: Session, office_code: str) -> list[UnitRow]:
    """The office's units that can be drilled, in the office's order."""
    return list(session.scalars(
        select(UnitRow)
        .where(UnitRow.office_code == office_code, UnitRow.deleted_at.is_(None),
               UnitRow.active.is_(True))
        .order_by(UnitRow.sort_order, UnitRow.name_zh)
    ))


def drill_day(row: DrillRow) -> date:
    """The day a drill took (or takes) place: held, else planned, else its month's first day
    (all in Taipei)."""
    if row.held_at is not None:
        return taipei_date(row.held_at)
    if row.planned_at is not None:
        return taipei_date(row.planned_at)
    return row.month


def office_drills(session: Session, office_code: str) -> list[DrillRow]:
    return list(session.scalars(
        select(DrillRow)
        .where(DrillRow.office_code == office_code, DrillRow.deleted_at.is_(None))
        .order_by(DrillRow.month, DrillRow.created_at)
    ))


def month_drill(session: Session, office_code: str, month: date) -> DrillRow | None:
    """The month's drill (one per office and month), if a unit has been drawn for it."""
    return session.scalars(
        select(DrillRow)
        .where(DrillRow.office_code == office_code, DrillRow.month == month,
               DrillRow.deleted_at.is_(None))
        .order_by(DrillRow.created_at)
        .limit(1)
    ).first()


def list_draws(db: Database, office_code: str, month: date | None = None) -> list[DrawInfo]:
    """The office's draws (of one month, or all), oldest first, each saying which later
    draw replaced it."""
    with db.session() as session:
        query = select(DrawRow).where(DrawRow.office_code == office_code)
        if month is not None:
            query = query.where(DrawRow.month == month_start(month))
        rows = list(session.scalars(query.order_by(DrawRow.month, DrawRow.drawn_at,
                                                   DrawRow.id)))
    replaced = {r.redraw_of: r.id for r in rows if r.redraw_of is not None}
    return [draw_info(r, replaced.get(r.id)) for r in rows]


def drill_schedule(db: Database, office_code: str, today: date) -> Schedule:
    """The procedure's monthly drills of *today*'s year (drawn or not, which unit, status)
    and each active unit's last drill against the half-year rule, overdue units first (never
    drilled, then longest ago), then by the day their next drill falls due.

    The current playbook's drill rules say which months want a drill (one in every period of
    N months) and the half-year rule's months (the office's minimum per unit)."""
    this_month = month_start(today)
    with db.session() as session:
        rules = playbook_at(session, None).drill.rules
        drills = office_drills(session, office_code)
        units = active_units(session, office_code)
        draws: dict[date, int] = {}
        for drawn_month in session.scalars(
                select(DrawRow.month).where(DrawRow.office_code == office_code,
                                            DrawRow.month.in_(months_of_year(today.year)))):
            draws[drawn_month] = draws.get(drawn_month, 0) + 1
        by_month = {d.month: d for d in reversed(drills)}  # the first drill of each month
        drilled = {drill_period(d.month, rules.every_months) for d in drills
                   if d.status in LIVE_STATUSES}
        months = tuple(
            MonthSlot(m, drill_info(by_month[m]) if m in by_month else None, draws.get(m, 0),
                      m in by_month or drill_period(m, rules.every_months) not in drilled)
            for m in months_of_year(today.year)
        )
        states = []
        for unit in units:
            mine = [d for d in drills if d.unit_key == unit.key]
            last_held = max((drill_day(d) for d in mine if d.status in HELD_STATUSES),
                            default=None)
            next_planned = min((d.month for d in mine
                                if d.status == "planned" and d.month >= this_month),
                               default=None)
            states.append(UnitDrillState(
                unit_info(unit), last_held, half_year_due(last_held, rules.unit_every_months),
                is_overdue(last_held, today, rules.unit_every_months), next_planned))
    states.sort(key=lambda s: (not s.overdue, s.due or date.min, s.unit.sort_order))
    return Schedule(today, today.year, roc_year(today.year), months, tuple(states), rules)


def coverage(db: Database, office_code: str, months: Iterable[date]) -> Coverage:
    """Which unit practised which of the playbook's categories in which of *months*: the
    drills that took place with a chosen category. The categories are the current playbook's,
    in its order."""
    wanted = tuple(sorted({month_start(m) for m in months}))
    with db.session() as session:
        categories = tuple(c.key for c in playbook_at(session, None).categories)
        units = tuple(unit_info(u) for u in active_units(session, office_code))
        rows = session.scalars(
            select(DrillRow)
            .where(DrillRow.office_code == office_code, DrillRow.deleted_at.is_(None),
                   DrillRow.month.in_(wanted), DrillRow.status.in_(HELD_STATUSES),
                   DrillRow.category_key != "")
            .order_by(DrillRow.month, DrillRow.created_at)
        )
        entries = tuple(CoverageEntry(r.id, r.unit_key, r.category_key, r.month, drill_day(r))
                        for r in rows)
    return Coverage(wanted, categories, units, entries)
