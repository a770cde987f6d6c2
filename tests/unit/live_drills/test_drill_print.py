"""Every form printed from a drill incident says 演練: the watermark on every page, the title and
the footer; its notifications print as drill notifications. Read back from the PDF, as a
reader of the paper sees it; a real incident's forms say none of it."""

from __future__ import annotations

import subprocess
from collections import Counter
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from forms.document import FormDocument
from forms.render import render_pdf
from i18n import _, set_language
from models.incidents.actions import open_incident, record_notification
from models.incidents.inquiry_print import favour_form
from models.incidents.media_print import media_summary
from models.incidents.print import activity_log, case_file, notification_form
from models.incidents.print_situation import situation_report_form
from models.incidents.queries import IncidentView, incident_view
from models.incidents.situation_reports import file_report, snapshot_of, unit_names
from models.org.units import list_units
from models.live_drills.actions import start_drill
from models.storage.db import Database, utcnow
from tests.unit.drills.test_drill_reports import PLANNER, drawn_drill
from tests.unit.incidents.test_incident_print import text_of
from tests.unit.incidents.test_incidents import HEAD, draft
from tests.unit.incidents.test_inquiry_print import demo_view

TZ = "Asia/Taipei"


def told(db: Database, incident_id: str) -> IncidentView:
    record_notification(db, HEAD, incident_id, target_group="commander", member_id="",
                        recipient="張副關務長", acting_for="", means="phone",
                        notified_at=utcnow())
    return incident_view(db, incident_id, utcnow(), 10)


def pages_text(pdf: bytes, tmp_path: Path) -> list[str]:
    """Each page's text, as `pdftotext -layout` lays it out (a rotated watermark comes out
    letter by letter, placed where each letter falls)."""
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return out.split("\f")[:-1]


def watermarks(doc: FormDocument, tmp_path: Path) -> list[Counter[str]]:
    """Per page, the letters the form has more than the same form printed without its
    watermark (and nothing it has fewer): the watermark's letters, on each page it is on."""
    marked = pages_text(render_pdf(doc), tmp_path)
    bare = pages_text(render_pdf(replace(doc, watermark=None)), tmp_path)
    assert len(marked) == len(bare)
    found = []
    for with_mark, without in zip(marked, bare, strict=True):
        letters = Counter("".join(with_mark.split()))
        letters.subtract(Counter("".join(without.split())))
        assert -letters == Counter()
        found.append(+letters)
    return found


@pytest.mark.parametrize("language", ["zh_TW", "en"])
def test_a_drills_notification_form_says_drill(
        db: Database, tmp_path: Path, artifacts: Path, language: str) -> None:
    set_language(language)
    view = told(db, start_drill(db, PLANNER, drawn_drill(db)))
    pdf = render_pdf(notification_form(view, {}, TZ))
    (artifacts / f"drill_notification_form_{language}.pdf").write_bytes(pdf)
    text = text_of(pdf, tmp_path)
    title = _("[Drill] {title}").format(title=_("Crisis incident notification form"))
    for expected in (title, view.number, "張副關務長",
                     _("Drill: a simulated incident, not a real crisis.")):
        assert "".join(expected.split()) in text, expected
    assert "演練" in view.number
    assert watermarks(notification_form(view, {}, TZ), tmp_path) == [Counter(_("Drill"))]


@pytest.mark.parametrize("language", ["zh_TW", "en"])
def test_the_watermark_is_on_every_page(db: Database, tmp_path: Path, language: str) -> None:
    """The case file runs to several pages: each has the watermark, besides its title and
    footer. The same form printed without it differs on every page by the watermark's letters
    exactly."""
    set_language(language)
    view = told(db, start_drill(db, PLANNER, drawn_drill(db)))
    pages = watermarks(case_file(view, {}, TZ), tmp_path)
    assert len(pages) > 1 and pages == [Counter(_("Drill"))] * len(pages)


def test_a_real_incidents_forms_say_nothing_of_a_drill(db: Database, tmp_path: Path) -> None:
    view = told(db, open_incident(db, HEAD, "keelung", draft()))
    for build in (notification_form, case_file, activity_log):
        doc = build(view, {}, TZ)
        assert doc.watermark is None and "演練" not in doc.title
        assert "演練" not in text_of(render_pdf(doc), tmp_path)


def test_a_drills_timeline_prints_its_notifications_as_drill_notifications(
        db: Database, tmp_path: Path) -> None:
    view = told(db, start_drill(db, PLANNER, drawn_drill(db)))
    for build in (case_file, activity_log):
        doc = build(view, {}, TZ)
        assert doc.watermark == _("Drill")
        text = text_of(render_pdf(doc), tmp_path)
        assert "".join(_("Drill notification").split()) in text


def test_every_other_form_of_a_drill_incident_carries_the_watermark(db: Database) -> None:
    incident_id = start_drill(db, PLANNER, drawn_drill(db))
    view = incident_view(db, incident_id, utcnow(), 10)
    summary = media_summary(view, TZ, (utcnow() + timedelta(hours=8)).date(), utcnow())
    units = unit_names(list_units(db, "keelung"))  # the drilled unit is named
    report = file_report(db, HEAD, incident_id, snapshot_of(view, units), "明日再報")
    demo = demo_view(db)
    favour = next(i for i in demo.inquiries if i.favour)
    for doc in (summary, situation_report_form(report, TZ, drill=True),
                favour_form(replace(demo, is_drill=True), favour, TZ)):
        assert doc.watermark == _("Drill") and doc.title.startswith(
            _("[Drill] {title}").format(title="")), doc.title
    assert situation_report_form(report, TZ).watermark is None
    assert favour_form(demo, favour, TZ).watermark is None
