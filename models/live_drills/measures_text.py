"""A live drill's measured figures (models.live_drills.measures) in the reader's words: the
evaluation window shows them beside the stage ratings and the printed evaluation carries them
(`measures_blocks`), both from these functions, so screen and paper say the same.

The rating guidance (RATING_GUIDANCE) ties the evaluation's scale (models.drills.reports.kinds
RATING_SCALE) to the figures: each stage's rating rests on the figures named beside it
(STAGE_FIGURES).
"""

from __future__ import annotations

from forms.document import Block, FieldGrid, Table
from i18n import N_, _, pick
from i18n.formatting import format_datetime, format_minutes
from models.incidents.timeline_text import kind_label
from models.live_drills.measures import FIGURES, STAGE_FIGURES, DrillMeasures
from models.playbook.model import Playbook

RATING_GUIDANCE = N_(
    "Rate each stage on the figures measured beside it. 3 Met: every released inject drew a "
    "reaction, the post the level names was told within the level's limit, the first "
    "statement was drafted, and no required item of the stage is missing. 2 Partly met: one "
    "of these fell short (told late, a reaction or statement missing, items left open). "
    "1 Not met: the level's post was never told, or most of the stage's items are missing. "
    "4 Excellent: all met well within the limits.")


def _minutes(value: float | None) -> str:
    return format_minutes(value) if value is not None else _("none yet")


def _group(playbook: Playbook, key: str) -> str:
    groups = {g.key: pick(g.name) for g in playbook.team.groups}
    return groups.get(key, key)


def notification_text(m: DrillMeasures, playbook: Playbook) -> str:
    """Whether and when the level's post was told, and against which limit."""
    level = next((pick(lv.name) for lv in playbook.levels if lv.key == m.level_key),
                 m.level_key)
    post = _group(playbook, m.post)
    if m.right_post is None:
        return _("{level}: nobody was notified.").format(level=level)
    if not m.right_post:
        told = "、".join(_group(playbook, g) for g in m.groups_notified)
        return _("{level}: the {post} was not told (notified instead: {told}).").format(
            level=level, post=post, told=told)
    text = _("{level}: the {post} was told {minutes} after the first inject").format(
        level=level, post=post, minutes=_minutes(m.told_minutes))
    if m.limit_minutes is None:
        return text + _(" (no time limit at this level).")
    if m.told_in_time:
        return text + _(", within the limit of {limit} min.").format(limit=m.limit_minutes)
    return text + _(", beyond the limit of {limit} min.").format(limit=m.limit_minutes)


def first_notification_text(m: DrillMeasures) -> str:
    """When the unit first notified anyone, whichever post it was."""
    if m.first_notify_minutes is None:
        return _("nobody was notified")
    return _("{minutes} after the first inject").format(
        minutes=format_minutes(m.first_notify_minutes))


def statement_text(m: DrillMeasures) -> str:
    if m.statement_drafted_at is None:
        return _("No statement was drafted.")
    text = _("First statement drafted {minutes} after the first inject").format(
        minutes=_minutes(m.statement_minutes))
    if m.statement_released_at is None:
        return text + _("; not released.")
    return text + _("; released after {minutes}.").format(
        minutes=_minutes(m.statement_release_minutes))


def reaction_text(m: DrillMeasures) -> str:
    """The slowest reaction of the released injects, and how many drew none."""
    released = [i for i in m.injects if i.released_at is not None]
    if not released:
        return _("No inject was released.")
    waiting = sum(1 for i in released if i.reacted_at is None)
    times = [t for i in released for t in (i.reaction_minutes,) if t is not None]
    text = (_("Slowest reaction {minutes}").format(minutes=format_minutes(max(times)))
            if times else _("No reaction"))
    if waiting:
        text += _("; {count} of {total} injects drew no reaction.").format(
            count=waiting, total=len(released))
    return text


def missing_text(m: DrillMeasures, stage: int) -> str:
    found = m.missing_at(stage)
    if found is None:
        return _("Stage not reached.")
    if not found.items:
        return _("Nothing missing.")
    items = _("; ").join(item.rstrip("。.") for item in found.items)  # one sentence
    return _("{count} missing: {items}").format(count=len(found.items), items=items)


def figure_value(m: DrillMeasures, playbook: Playbook, key: str, stage: int) -> str:
    if key == "reaction":
        return reaction_text(m)
    if key == "first_notification":
        return first_notification_text(m)
    if key == "notification":
        return notification_text(m, playbook)
    if key == "statement":
        return statement_text(m)
    return missing_text(m, stage)


def stage_lines(m: DrillMeasures, playbook: Playbook, stage: int) -> list[str]:
    """"figure: value" for each figure the stage's rating rests on."""
    return [_("{figure}: {value}").format(figure=_(FIGURES[key]),
                                          value=figure_value(m, playbook, key, stage))
            for key in STAGE_FIGURES.get(stage, ("missing",))]


def inject_rows(m: DrillMeasures, tz: str) -> tuple[tuple[str, ...], ...]:
    """Per inject: number and sender, released, delivery, first reaction (after, what)."""
    rows = []
    for i in m.injects:
        if i.released_at is None:
            rows.append((f"{i.number}. {pick(i.sender)}", _("not released"), "", ""))
            continue
        delivery = (format_minutes(i.delivery_minutes) if i.delivered_at is not None
                    else _("not delivered"))
        if i.reacted_at is None:
            reaction = _("no reaction yet")
        else:
            reaction = _("{minutes} ({kind})").format(
                minutes=format_minutes(i.reaction_minutes), kind=kind_label(i.reaction_kind))
            if i.reacted_before_delivery:
                reaction += _(", before the delivery was recorded")
        rows.append((f"{i.number}. {pick(i.sender)}",
                     format_datetime(i.released_at, long=False, tz=tz), delivery, reaction))
    return tuple(rows)


INJECT_HEADERS = (N_("Inject"), N_("Released"), N_("Delivered after"), N_("First reaction after"))


def measures_blocks(m: DrillMeasures, playbook: Playbook, tz: str) -> tuple[Block, ...]:
    """The printed evaluation's figures: the injects, the stages' figures and the guidance."""
    stages = tuple((f"{s.number}. {pick(s.name)}", "\n".join(stage_lines(m, playbook, s.number)))
                   for s in playbook.stages)
    return (
        Table(_("Measured in the live drill: injects"), tuple(_(h) for h in INJECT_HEADERS),
              inject_rows(m, tz), widths=(5, 3, 2, 4)),
        Table(_("Measured in the live drill: what each stage's rating rests on"),
              (_("Stage"), _("Measured")), stages, widths=(3, 9)),
        FieldGrid(((_("Rating guidance"), _(RATING_GUIDANCE)),)),
    )

