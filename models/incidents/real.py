"""Which incidents are real: the one predicate every count, list, number and archive of real
incidents applies, so that a drill incident (IncidentRow.drill_id) never appears in any.

A drill incident runs in the real six-stage wizard (models/live_drills/actions.py), so it lives in the
incidents table with all its records; only this predicate tells it apart where it matters."""

from __future__ import annotations

from typing import Any

from models.incidents.entities import IncidentRow


def real() -> Any:
    """The SQL condition of a real incident (not a drill's)."""
    return IncidentRow.drill_id.is_(None)


DRILL_MARK = "演練"
"""The mark in a drill incident's number (基隆關-演練-115-0001). The number is the record's
name, the same on every PC and paper whatever the reader's language, as the office's prefix
is; the screens and printouts add the translated word (Drill) beside it."""
