"""The reporting clock as the notification form (通報單) prints it: the office's limit for
the level, the time it took to tell the post the level names, and whether the limit was met
(models/incidents/clocks_report.py)."""

from __future__ import annotations

from datetime import datetime

from forms.document import Block, FieldGrid
from i18n import _, pick
from i18n.formatting import format_datetime, format_minutes
from models.incidents.clocks_report import clock_of_view
from models.incidents.queries import IncidentView
from models.storage.db import utcnow



def reporting_grid(view: IncidentView, tz: str, now: datetime) -> FieldGrid | None:
    """The clock's four cells, or None for a level the playbook lacks."""
    clock = clock_of_view(view)
    if clock is None:
        return None
    state = clock.state(now)
    verdict = {"none": _("No limit set for this level"), "met": _("Met"),
               "missed": _("Not met"), "pending": _("Not yet due")}[state]
    told = (_("{minutes} ({when})").format(minutes=format_minutes(clock.taken_minutes),
                                           when=format_datetime(clock.told_at, long=True,
                                                                tz=tz))
            if clock.told_at is not None else _("Not told yet"))
    return FieldGrid(columns=2, rows=(
        (_("Post to tell"), pick(view.playbook.group(clock.group).name)),
        (_("Clock started"), format_datetime(clock.since, long=True, tz=tz)),
        (_("Reporting limit"), format_minutes(clock.limit_minutes)
         if clock.limit_minutes is not None else _("None")),
        (_("Time taken to tell"), told),
        (_("Limit met"), verdict),
        (_("Due by"), format_datetime(clock.due_at, long=True, tz=tz)
         if clock.due_at is not None else ""),
    ))


def reporting_blocks(view: IncidentView, tz: str, now: datetime | None = None
                     ) -> tuple[Block, ...]:
    """The clock's cells as blocks of a form (none when it has no clock), as of *now*
    (the time of printing when not given)."""
    grid = reporting_grid(view, tz, now or utcnow())
    return (grid,) if grid is not None else ()
