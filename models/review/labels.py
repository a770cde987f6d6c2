"""The review's words for where a corrective action comes from: shared by the report, the
follow-up list and the home screen, and without the database modules, so that the window's
screens name them without loading those on the GUI thread."""

from __future__ import annotations

from datetime import date

from i18n import N_, _
from i18n.formatting import format_month

ORIGINS = {"incident": N_("Incidents"), "drill": N_("Drill evaluations")}
"""Where a corrective action comes from, by its stored source."""


def drill_reference(month: date, unit: str) -> str:
    """How a drill evaluation's action names its drill: "民國115年3月業務一組演練"."""
    return _("{month} drill of {unit}").format(month=format_month(month), unit=unit)
