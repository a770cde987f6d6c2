"""What a live drill measured: the figures the evaluation (評估與觀摩) rates the stages on,
computed from the drill incident and its injects' events, never stored (a record synced late
from the unit's PC moves them as it should).

The rules, each a figure of the evaluation:

- Delivery of an inject: from its release to the first PC of the drilled unit that recorded
  its arrival (models.live_drills.kinds.InjectState.delivered_at).
- The unit's first reaction to an inject: the first entry of the drill incident's timeline at
  or after the release (by the time the entry says it happened: a notification's time, a
  statement's saving) recorded by someone other than who released the inject, of any kind but
  the drill's own (another inject, the drill's end, the opening and its level). A level decided, a
  notification, a statement, an action, a note, a task ticked: whatever the unit did next. It
  may come before the delivery was recorded (the unit saw the inject in the wizard's timeline
  before the notice): it counts, measured from the release, and is flagged.
- The notification: counted from the first inject's release (when the unit learned of the
  simulated crisis; the drill's start when none was released; a notification before it counts
  as at once). The first notification of anyone, and when the post the unit's level names
  knew, by the reporting clock's rule (models.incidents.clocks_report): a call the holder or
  their deputy (代) took counts when made, a message left counts once acknowledged, a call
  nobody answered never does. The level is the one the drill incident has at the end (the
  unit's decision); the post is told in time within the level's reporting limit.
  Notifications to other posts only: the wrong post.
- The first statement: when its first version was saved (drafted), and its first release.
- The stage items missing at the end: for every stage up to the one the unit was working on,
  what models.incidents.progress finds still missing (required tasks, the notification, the
  stage form's fields), in the reader's words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from i18n import N_
from i18n.formatting import DEFAULT_TIMEZONE
from models.drills.queries import live_drill
from models.incidents.clocks_report import Told, reporting_clock
from models.incidents.progress import describe_missing, missing_for_stage
from models.incidents.queries import IncidentView, TimelineEntry, load_view
from models.incidents.timeline import Entry, LevelSet
from models.live_drills.kinds import InjectState
from models.live_drills.queries import drill_incident_id, injects_of
from models.storage.db import Database, utcnow

NOT_REACTIONS = frozenset({"drill_inject", "drill_ended", "opened"})
"""Timeline kinds that are the drill's doing, never the unit's reaction (nor is the level
the drill incident opened with, a LevelSet: the unit's decisions are later changes)."""

FIGURES = {
    "reaction": N_("Inject to the unit's first reaction"),
    "first_notification": N_("Inject to the first notification"),
    "notification": N_("Inject to the level's post told"),
    "statement": N_("Inject to the first statement"),
    "missing": N_("Required items missing at the end"),
}
"""The measured figures, as the evaluation names them."""

STAGE_FIGURES: Mapping[int, tuple[str, ...]] = {
    1: ("reaction", "first_notification", "notification", "missing"),
    2: ("missing",),
    3: ("missing",),
    4: ("statement", "missing"),
    5: ("missing",),
    6: ("missing",),
}
"""The figures each response stage's rating rests on (001 §六: stage 1 grasps the crisis and
reports it, stage 4 communicates with the media); every stage, its items still missing."""


def _minutes(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return (end - start).total_seconds() / 60


@dataclass(frozen=True)
class InjectMeasure:
    """One inject: when it was released, reached the unit, and drew the unit's reaction."""

    number: int
    sender: Mapping[str, str]
    released_at: datetime | None
    delivered_at: datetime | None
    reacted_at: datetime | None
    reaction_kind: str
    """The timeline kind of the reaction ("" for none)."""

    @property
    def delivery_minutes(self) -> float | None:
        return _minutes(self.released_at, self.delivered_at)

    @property
    def reaction_minutes(self) -> float | None:
        """From the release to the reaction (None: not released, or no reaction yet)."""
        return _minutes(self.released_at, self.reacted_at)

    @property
    def reacted_before_delivery(self) -> bool:
        return (self.reacted_at is not None and self.delivered_at is not None
                and self.reacted_at < self.delivered_at)


@dataclass(frozen=True)
class StageMissing:
    stage: int
    items: tuple[str, ...]
    """What is missing, in the reader's words (empty: nothing)."""


@dataclass(frozen=True)
class DrillMeasures:
    """The figures of a drill run live (see the module's rules)."""

    incident_id: str
    started_at: datetime
    ended_at: datetime | None
    since: datetime
    """The first inject's release, or the start when none was released."""
    injects: tuple[InjectMeasure, ...]
    level_key: str
    post: str
    """The group (post) the level names."""
    limit_minutes: int | None
    first_notified_at: datetime | None
    groups_notified: tuple[str, ...]
    """Every post a notification went to, in the order first notified."""
    told_at: datetime | None
    """When the level's post knew (None: not yet)."""
    statement_drafted_at: datetime | None
    statement_released_at: datetime | None
    current_stage: int
    missing: tuple[StageMissing, ...]

    @property
    def first_notify_minutes(self) -> float | None:
        """From the first inject to the first notification of anyone (0 when the unit
        notified on the scenario's background alone, before any inject)."""
        minutes = _minutes(self.since, self.first_notified_at)
        return None if minutes is None else max(0.0, minutes)

    @property
    def told_minutes(self) -> float | None:
        minutes = _minutes(self.since, self.told_at)
        return None if minutes is None else max(0.0, minutes)

    @property
    def right_post(self) -> bool | None:
        """The level's post was told; None when nobody was notified at all."""
        if self.told_at is not None:
            return True
        return False if self.groups_notified else None

    @property
    def told_in_time(self) -> bool | None:
        """Told within the level's limit (None: no limit, or not told)."""
        if self.told_at is None or self.limit_minutes is None:
            return None
        minutes = self.told_minutes
        return minutes is not None and minutes <= self.limit_minutes

    @property
    def statement_minutes(self) -> float | None:
        return _minutes(self.since, self.statement_drafted_at)

    @property
    def statement_release_minutes(self) -> float | None:
        return _minutes(self.since, self.statement_released_at)

    def missing_at(self, stage: int) -> StageMissing | None:
        """The stage's missing items; None for a stage the unit did not reach."""
        return next((m for m in self.missing if m.stage == stage), None)


def first_reaction(inject: InjectState, timeline: Iterable[TimelineEntry[Entry]]
                   ) -> TimelineEntry[Entry] | None:
    """The unit's first reaction to *inject* (the module's rule), or None."""
    released = inject.released_at
    if released is None:
        return None
    after = [e for e in timeline if e.event_at >= released and e.kind not in NOT_REACTIONS
             and not isinstance(e.what, LevelSet) and e.author != inject.released_by]
    return min(after, key=lambda e: (e.event_at, e.entered_at), default=None)


def measures_of(view: IncidentView, injects: Iterable[InjectState], unit_key: str,
                started_at: datetime, ended_at: datetime | None) -> DrillMeasures:
    """The figures of a drill incident *view* and the drill's *injects* (unit_key: the
    drilled unit, whose PCs' deliveries count)."""
    rows = []
    for inject in injects:
        reaction = first_reaction(inject, view.timeline)
        rows.append(InjectMeasure(inject.number, inject.content.sender, inject.released_at,
                                  inject.delivered_at(unit_key),
                                  reaction.event_at if reaction else None,
                                  reaction.kind if reaction else ""))
    releases = [r.released_at for r in rows if r.released_at is not None]
    since = min(releases, default=started_at)
    notes = sorted(view.notifications, key=lambda n: n.notified_at)
    clock = reporting_clock(view.playbook, view.level_key, since,
                            (Told(n.target_group, n.outcome, n.notified_at, n.acked_at)
                             for n in notes))
    groups = tuple(dict.fromkeys(n.target_group for n in notes))
    drafted = [v.entered_at for s in view.statements for v in s.versions]
    released = [e.event_at for s in view.statements for e in s.releases()]
    stages = [s.number for s in view.playbook.stages if s.number <= view.current_stage]
    missing = tuple(StageMissing(stage, tuple(describe_missing(view, m)
                                              for m in missing_for_stage(view, stage)))
                    for stage in stages)
    return DrillMeasures(
        incident_id=view.id, started_at=started_at, ended_at=ended_at, since=since,
        injects=tuple(rows), level_key=view.level_key,
        post=clock.group if clock else "",
        limit_minutes=clock.limit_minutes if clock else None,
        first_notified_at=notes[0].notified_at if notes else None,
        groups_notified=groups, told_at=clock.told_at if clock else None,
        statement_drafted_at=min(drafted, default=None),
        statement_released_at=min(released, default=None),
        current_stage=view.current_stage, missing=missing)


def load_measures(session: Session, drill_id: str, tz: str = DEFAULT_TIMEZONE
                  ) -> DrillMeasures | None:
    """The figures of the drill, or None for one not run live (recorded after the fact) or
    whose drill incident is not on this PC."""
    drill = live_drill(session, drill_id)
    incident_id = drill_incident_id(session, drill_id)
    if drill.started_at is None or incident_id is None:
        return None
    view = load_view(session, incident_id, drill.ended_at or utcnow(), None, tz)
    return measures_of(view, injects_of(session, drill_id), drill.unit_key,
                       drill.started_at, drill.ended_at)


def drill_measures(db: Database, drill_id: str, tz: str = DEFAULT_TIMEZONE
                   ) -> DrillMeasures | None:
    with db.session() as session:
        return load_measures(session, drill_id, tz)
