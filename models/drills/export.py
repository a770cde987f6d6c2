"""A month's drill forms written out as PDFs, for the file copy the procedure keeps
(`main.py forms export --month 115/11 --out DIR`). Each form is named by what it is and
replaced when exported again. Each carries the 公文 header of the month's drill (its 檔號,
保存年限, 速別, 密等, and a classified drill's marking on every page), as when printed from
the drills screen: the file copy is the paper the office keeps."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from forms.document import FormDocument
from models.core.form_files import WrittenForm, write_form
from models.drills.print import draw_record
from models.drills.queries import list_draws
from models.drills.record_header import draw_header, drill_official_header
from models.storage.db import Database


def export_month_forms(db: Database, office_code: str, month: date, folder: Path,
                       tz: str, *, odf: bool = False) -> list[WrittenForm]:
    """Every draw record of the month (a redraw and the draw it replaced both), and the
    month's drill report form and evaluation report once they exist; *odf*: each as an ODF
    text document too."""
    from models.drills.print import evaluation_form, report_form
    from models.drills.queries import drill_schedule
    from models.drills.reports.queries import evaluation_view, report_view
    from models.playbook.store import load_version

    folder.mkdir(parents=True, exist_ok=True)
    schedule = drill_schedule(db, office_code, month)
    drill = next((s.drill for s in schedule.months if s.month == month and s.drill), None)
    header = drill_official_header(db, drill.id) if drill is not None else None

    def write(name: str, doc: FormDocument) -> WrittenForm:
        return write_form(folder / name, replace(doc, header=header) if header else doc,
                          odf=odf)

    written = [write(f"draw-{month:%Y-%m}-{n}.pdf",
                     draw_record(draw, tz, draw_header(db, draw.id)))
               for n, draw in enumerate(list_draws(db, office_code, month), start=1)]
    if drill is None:
        return written
    report = report_view(db, drill.id)
    if report.report is not None and drill.playbook_version_id:
        playbook = load_version(db, drill.playbook_version_id)[1]
        written.append(write(f"drill-report-{month:%Y-%m}.pdf",
                             report_form(report, playbook, tz)))
    evaluation = evaluation_view(db, drill.id)
    if evaluation.evaluation is not None:
        written.append(write(f"drill-evaluation-{month:%Y-%m}.pdf",
                             evaluation_form(evaluation, tz)))
    return written
