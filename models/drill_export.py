"""A month's drill forms written out as PDFs, for the file copy the procedure keeps
(`main.py forms export --month 115/11 --out DIR`). Each form is named by what it is and
replaced when exported again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from models.db import Database
from models.drill_print import render_draw_record
from models.drill_queries import list_draws
from models.files import atomic_write_bytes


def export_month_forms(db: Database, office_code: str, month: date, folder: Path,
                       tz: str) -> list[Path]:
    """Every draw record of the month (a redraw and the draw it replaced both)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for n, draw in enumerate(list_draws(db, office_code, month), start=1):
        path = folder / f"draw-{month:%Y-%m}-{n}.pdf"
        atomic_write_bytes(path, render_draw_record(draw, tz))
        written.append(path)
    return written
