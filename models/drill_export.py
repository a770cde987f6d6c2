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
    """Every draw record of the month (a redraw and the draw it replaced both), and the
    month's drill report form and evaluation report once they exist."""
    from forms.render import render_pdf
    from models.drill_print import evaluation_form, report_form
    from models.drill_queries import drill_schedule
    from models.drill_report_queries import evaluation_view, report_view
    from models.playbook_store import load_version

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for n, draw in enumerate(list_draws(db, office_code, month), start=1):
        path = folder / f"draw-{month:%Y-%m}-{n}.pdf"
        atomic_write_bytes(path, render_draw_record(draw, tz))
        written.append(path)
    schedule = drill_schedule(db, office_code, month)
    drill = next((s.drill for s in schedule.months if s.month == month and s.drill), None)
    if drill is None:
        return written
    report = report_view(db, drill.id)
    if report.report is not None and drill.playbook_version_id:
        playbook = load_version(db, drill.playbook_version_id)[1]
        path = folder / f"drill-report-{month:%Y-%m}.pdf"
        atomic_write_bytes(path, render_pdf(report_form(report, playbook, tz)))
        written.append(path)
    evaluation = evaluation_view(db, drill.id)
    if evaluation.evaluation is not None:
        path = folder / f"drill-evaluation-{month:%Y-%m}.pdf"
        atomic_write_bytes(path, render_pdf(evaluation_form(evaluation, tz)))
        written.append(path)
    return written
