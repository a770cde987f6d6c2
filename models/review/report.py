"""The annual review report (危機管理年度檢討報告) from a year's figures: one FormDocument the
window previews and prints and the command line writes, and the same tables for the
spreadsheet (.ods) and CSV exports, so paper, screen and file never disagree.

Every chart is a forms.Chart, which prints its own table of the same numbers under it; the
exports get that table (chart_table) where the paper has the chart.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from forms.chart_figures import chart_header, chart_rows
from forms.document import (
    Block,
    Chart,
    FieldGrid,
    FormDocument,
    SignatureBox,
    Signatures,
    Table,
    TextSection,
    Verification,
)
from forms.verify import verification
from i18n import N_, _, pick
from i18n.formatting import format_date, format_minutes, local_date
from models.core.files import atomic_write_bytes
from models.core.form_files import WrittenForm, write_form
from models.incidents.kinds import SOURCES
from models.org.offices import office
from models.org.units import list_units
from models.playbook.model import CORRECTIVE_STATUSES, Playbook
from models.playbook.records import flagged
from models.playbook.store import playbook_at
from models.review.figures import STEPS, ActionLine, AnnualFigures, Timing, annual_figures
from models.review.labels import ORIGINS, drill_reference
from models.storage.db import Database

STEP_LABELS = {
    "notified": N_("First notification reached"),
    "acknowledged": N_("First acknowledgement"),
    "meeting": N_("Stage 2 meeting"),
    "statement": N_("First statement released"),
    "archived": N_("Archived"),
}
"""The response steps of models.review.figures.STEPS, as the report names them."""

CHARTED_STEPS = ("notified", "acknowledged", "meeting", "statement")
"""The steps drawn in the response-time chart: archiving takes days, and on the same axis it
would flatten the minutes that matter into nothing. Its figures are in the table."""


class Names:
    """The words for the figures' keys in the reader's language: the playbook's categories,
    subtypes and levels, the office's units (removed ones too: an old incident may name
    one)."""

    def __init__(self, playbook: Playbook, units: Mapping[str, str]) -> None:
        self.playbook = playbook
        self.units = units
        self.categories = {c.key: pick(c.name) for c in playbook.categories}
        self.subtypes = {(c.key, s.key): pick(s.text)
                         for c in playbook.categories for s in c.subtypes}
        self.levels = {lv.key: pick(lv.name) for lv in playbook.levels}

    def category(self, key: str) -> str:
        return self.categories.get(key, key) if key else _("(no category)")

    def level(self, key: str) -> str:
        return self.levels.get(key, key)

    def unit(self, key: str) -> str:
        return self.units.get(key, key) if key else _("(no unit)")

    def level_order(self, keys: Sequence[str]) -> list[str]:
        """*keys* in the playbook's order of levels, unknown ones after."""
        order = [lv.key for lv in self.playbook.levels]
        return sorted(keys, key=lambda k: (order.index(k) if k in order else len(order), k))


def _counts(heading: str, column: str, rows: Sequence[tuple[str, int]]) -> Table:
    return Table(heading, (column, _("Count")), tuple((name, str(n)) for name, n in rows),
                 widths=(4, 1))


def period(figures: AnnualFigures) -> str:
    return _("{start} to {end}").format(start=format_date(date(figures.year, 1, 1)),
                                        end=format_date(figures.as_of))


def incident_blocks(figures: AnnualFigures, names: Names) -> tuple[Block, ...]:
    levels = names.level_order([k for k, _n in figures.by_level])
    categories = [c.key for c in names.playbook.categories]
    categories += sorted({k for k, _n in figures.by_category} - set(categories))
    cells = {(c, lv): 0 for c in categories for lv in levels}
    for case in figures.cases:
        cells[case.category_key, case.level_key] += 1
    return (
        Chart(_("Incidents by category and level"), "stacked",
              tuple(names.category(c) for c in categories),
              tuple((names.level(lv), tuple(float(cells[c, lv]) for c in categories))
                    for lv in levels) or ((_("Incidents"), tuple(0.0 for _c in categories)),),
              unit=_("incidents")),
        Chart(_("Incidents by month"), "bars",
              tuple(str(m) for m in range(1, 13)),
              ((_("Incidents"), tuple(float(n) for n in figures.by_month)),),
              unit=_("incidents")),
        _counts(_("Incidents by subtype"), _("Subtype"), [
            (f"{names.category(c)}：{names.subtypes.get((c, s), s)}", n)
            for c, s, n in figures.by_subtype]),
        _counts(_("Incidents by reporting unit"), _("Unit"),
                [(names.unit(k), n) for k, n in figures.by_unit]),
        _counts(_("Incidents by source"), _("Source"),
                [(_(SOURCES.get(k, k)), n) for k, n in figures.by_source]),
    )


def response_blocks(figures: AnnualFigures, names: Names) -> tuple[Block, ...]:
    times = {t.level_key: t for t in figures.times}
    levels = names.level_order(list(times))
    rows = []
    for level in levels:
        for step, timing in zip(STEPS, times[level].steps, strict=True):
            rows.append((names.level(level), _(STEP_LABELS[step]), str(times[level].incidents),
                         str(timing.count), format_minutes(timing.median),
                         format_minutes(timing.longest)))
    charted = [STEPS.index(s) for s in CHARTED_STEPS]

    def median(timing: Timing) -> float:
        return timing.median or 0.0

    return (
        Chart(_("Median minutes from the start, per level"), "bars",
              tuple(_(STEP_LABELS[STEPS[i]]) for i in charted),
              tuple((names.level(lv), tuple(median(times[lv].steps[i]) for i in charted))
                    for lv in levels) or ((_("Incidents"), tuple(0.0 for _i in charted)),),
              unit=_("minutes")),
        Table(_("Response times per level"),
              (_("Level"), _("Step"), _("Count"), _("Incidents with it"), _("Median"),
               _("Longest")),
              tuple(rows), widths=(2, 4, 1.6, 1.8, 2, 2)),
    )


def _reference(action: ActionLine, names: Names) -> str:
    if action.drill_month is None:
        return action.reference
    return drill_reference(action.drill_month, names.unit(action.reference))


def action_blocks(figures: AnnualFigures, names: Names) -> tuple[Block, ...]:
    counts = [figures.action_counts(key) for key in ORIGINS]
    return (
        Chart(_("Corrective actions opened this year"), "stacked",
              tuple(_(label) for label in ORIGINS.values()),
              ((_("Done on time"), tuple(float(c.done_on_time) for c in counts)),
               (_("Done late"), tuple(float(c.done_late) for c in counts)),
               (_("Open"), tuple(float(c.open - c.open_overdue) for c in counts)),
               (_("Open and overdue"), tuple(float(c.open_overdue) for c in counts))),
              unit=_("actions")),
        Table(_("Corrective actions and their state"),
              (_("Origin"), _("Case or drill"), _("Action"), _("Owner"), _("Due"), _("State")),
              tuple((_(ORIGINS[a.source]), _reference(a, names), a.description, a.owner,
                     format_date(a.due, long=False) if a.due else "",
                     _action_state(a.status, a.closed_on, a.overdue(figures.today), a.on_time()))
                    for a in figures.actions),
              widths=(1.6, 3.2, 3.9, 1.8, 2.0, 2.9)),
    )


def _action_state(status: str, closed_on: date | None, overdue: bool, on_time: bool) -> str:
    if closed_on is not None:
        done = _(CORRECTIVE_STATUSES.get(status, status))
        when = format_date(closed_on, long=False)
        return (_("{state} {day}") if on_time else _("{state} {day} (late)")).format(
            state=done, day=when)
    return _("Past due") if overdue else _(CORRECTIVE_STATUSES.get(status, status))


def drill_blocks(figures: AnnualFigures, names: Names) -> tuple[Block, ...]:
    categories = [c.key for c in names.playbook.categories]
    extra = sorted({k for u in figures.drills for k, _n in u.by_category} - set(categories))
    columns = [*categories, *extra]
    heat = tuple((names.unit(u.unit_key),
                  tuple(float(dict(u.by_category).get(c, 0)) for c in columns))
                 for u in figures.drills)
    stages = {s.number: pick(s.name) for s in names.playbook.stages}
    quarters = (_("Q1"), _("Q2"), _("Q3"), _("Q4"))
    blocks: list[Block] = []
    if heat:
        blocks.append(Chart(_("Drills per unit and category"), "heatmap",
                            tuple(names.category(c) for c in columns), heat,
                            unit=_("drills")))
    blocks.append(Table(
        _("The half-year rule per unit"),
        (_("Unit"), _("Drills this year"), _("Last drill"), _("At least every half year")),
        tuple((names.unit(u.unit_key), str(u.held),
               format_date(u.last_held, long=False) if u.last_held else _("never"),
               _("Kept") if u.compliant else _("Not kept"))
              for u in figures.drills),
        widths=(3, 2, 2, 2)))
    blocks.append(Table(
        _("Evaluation ratings per stage (mean of 1-4)"), (_("Stage"), *quarters),
        tuple((stages.get(stage, str(stage)),
               *(f"{q:.1f}" if q is not None else "–" for q in by_quarter))
              for stage, by_quarter in figures.ratings),
        widths=(4, 1, 1, 1, 1)))
    return tuple(blocks)


def case_blocks(figures: AnnualFigures, names: Names, tz: str) -> tuple[Block, ...]:
    def day(moment: datetime | None) -> str:
        return format_date(local_date(moment, tz), long=False) if moment else ""

    return (Table(
        _("The year's cases and their lessons"),
        (_("Case number"), _("Subject"), _("Category"), _("Level"), _("Started"),
         _("Archived"), _("Lessons learned")),
        tuple((c.number, flagged(c.title, c.classification), names.category(c.category_key),
               names.level(c.level_key), day(c.started_at), day(c.archived_at), c.lessons)
              for c in figures.cases),
        widths=(2.9, 3, 1.8, 1.5, 2.1, 2.1, 3.6)),)


def annual_review(figures: AnnualFigures, names: Names, tz: str) -> FormDocument:
    """The report, ready for 陳核: the figures and charts, the cases with their lessons, the
    corrective actions and their state, the drills, and the boxes of who prepared, reviewed
    and approved it."""
    return FormDocument(
        office_name=pick(office(figures.office_code).name),
        title=_("Annual crisis management review"),
        blocks=(
            FieldGrid(columns=2, rows=(
                (_("Year"), _("ROC year {year}").format(year=figures.roc_year)),
                (_("Period"), period(figures)),
                (_("Real incidents"), str(figures.incidents)),
                (_("Drills held"), str(sum(u.held for u in figures.drills))),
            )),
            TextSection(_("What is counted"), _(
                "Real incidents that started in the year (Taipei time); example cases and "
                "drills are never counted. An incident counts under the level it was last set "
                "to. Times run from the incident's start; a deputy's acknowledgement counts "
                "for the post.")),
            *incident_blocks(figures, names),
            *response_blocks(figures, names),
            *action_blocks(figures, names),
            *drill_blocks(figures, names),
            *case_blocks(figures, names, tz),
            Signatures((SignatureBox(_("Prepared by")), SignatureBox(_("Executive secretary")),
                        SignatureBox(_("Commander")))),
        ),
        verification=review_verification(figures),
        footer_note=_("Figures as of {day}.").format(day=format_date(figures.as_of)),
        identity=_("ROC year {year}").format(year=figures.roc_year),
    )


def review_id(office_code: str, year: int) -> str:
    """The record a year's review is of, for its code and its signed scans: "keelung:2026"."""
    return f"{office_code}:{year}"


def review_verification(figures: AnnualFigures) -> Verification:
    """The code of the review: it covers every figure (as stored keys, never translated text,
    so it is the same in either language), but not the day they were read, so paper signed
    over several days stays current while no figure changes."""
    content = {k: v for k, v in asdict(figures).items() if k not in ("as_of", "today")}
    return verification("annual_review", review_id(figures.office_code, figures.year), 1,
                        json.loads(json.dumps(content, default=str)))


def chart_table(chart: Chart) -> Table:
    """The numbers of *chart* as the table printed under it, for the exports."""
    return Table(chart.heading, chart_header(chart), chart_rows(chart))


def review_tables(doc: FormDocument) -> tuple[Table, ...]:
    """Every table of the report, a chart's as chart_table gives it, after a summary of the
    office, the year, its totals and the day of the figures: what the spreadsheet and CSV
    exports hold, each file readable on its own."""
    summary = Table(_("Summary"), (_("Item"), _("Value")), (
        (_("Agency"), doc.office_name),
        *(row for b in doc.blocks if isinstance(b, FieldGrid) for row in b.rows),
        (_("Note"), doc.footer_note)))
    return (summary, *(chart_table(b) if isinstance(b, Chart) else b
                       for b in doc.blocks if isinstance(b, (Chart, Table))))


def load_review(db: Database, office_code: str, year: int, today: date, tz: str
                ) -> FormDocument:
    """Read the figures of Gregorian *year* and make the report (on the worker, or the
    command line)."""
    figures = annual_figures(db, office_code, year, today)
    with db.reading() as connection, Session(bind=connection) as session:
        playbook = playbook_at(session, None)
    return annual_review(figures, Names(playbook, office_unit_names(db, office_code)), tz)


def office_unit_names(db: Database, office_code: str) -> dict[str, str]:
    """Every unit the office ever had, by key, in the reader's language: a unit removed since
    is still named on an old incident or drill, never shown as its key."""
    return {u.key: u.name for u in list_units(db, office_code, include_inactive=True,
                                              include_removed=True)}


def write_review(doc: FormDocument, path: Path) -> WrittenForm | None:
    """Write *doc* as PDF, ODF text document, ODF spreadsheet or CSV by *path*'s suffix (.pdf,
    .odt, .ods, .csv); the spreadsheet and CSV hold its tables. None for a file with no form
    to check for missing glyphs (the exports)."""
    from forms.spreadsheet import csv_bytes, ods_bytes

    suffix = path.suffix.lower()
    if suffix == ".odt":
        from forms.coverage import missing_glyphs
        from forms.odt import render_odt

        atomic_write_bytes(path, render_odt(doc))
        return WrittenForm(path, missing_glyphs(doc))
    if suffix == ".ods":
        atomic_write_bytes(path, ods_bytes(review_tables(doc), title=doc.title))
        return None
    if suffix == ".csv":
        atomic_write_bytes(path, csv_bytes(review_tables(doc)))
        return None
    return write_form(path, doc)
