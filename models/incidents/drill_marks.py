"""How a drill incident (演練, models/incidents/real.py) is marked on paper: every form printed
from it carries the 演練 watermark on every page and says so in its title and footer, so a
drill's 通報單 left on a desk or faxed on is never taken for a real crisis."""

from __future__ import annotations

from i18n import N_, _
from models.incidents.timeline_text import kind_label


def drill_watermark(is_drill: bool) -> str | None:
    """The watermark of a form printed from the incident: 演練 for a drill's, none otherwise."""
    return _("Drill") if is_drill else None


def drill_title(title: str, is_drill: bool) -> str:
    """A form's title, marked as a drill's."""
    return _("[Drill] {title}").format(title=title) if is_drill else title


def drill_note(note: str, is_drill: bool) -> str:
    """A form's footer note, with the drill's warning first."""
    if not is_drill:
        return note
    return " ".join(p for p in (_("Drill: a simulated incident, not a real crisis."), note) if p)


DRILL_KINDS = {"notified": N_("Drill notification"),
               "acknowledged": N_("Drill notification acknowledged")}
"""The timeline's kinds that read differently in a drill incident: a notification made in a
drill is a drill notification wherever the timeline is shown or printed."""


def entry_kind_label(kind: str, is_drill: bool) -> str:
    """The label of a timeline entry's kind (models.incidents.timeline_text.kind_label), as
    a drill's where its incident is a drill's."""
    if is_drill and kind in DRILL_KINDS:
        return _(DRILL_KINDS[kind])
    return kind_label(kind)
