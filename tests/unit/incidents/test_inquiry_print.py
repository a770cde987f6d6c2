"""The printed side of inquiries: the registration form of a request for favour
(請託關說登錄表) read back from its PDF in both languages, rendered to PNG for a person to look
at, and the case file's table of inquiries with their clocks' outcome."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from forms.document import Table
from forms.render import render_pdf
from i18n import _, set_language
from i18n.formatting import format_date
from models.incidents.case_import import load_demo
from models.incidents.clocks import Clock
from models.incidents.entities import IncidentRow, InquiryRow
from models.incidents.inquiry_print import clock_text, favour_form
from models.incidents.print import case_file
from models.incidents.queries import IncidentView, incident_view
from models.org.people import Actor, Role
from models.storage.db import Database, utcnow
from tests.unit.incidents.test_incident_print import text_of

TZ = "Asia/Taipei"


def demo_view(db: Database) -> IncidentView:
    load_demo(db, Actor("林企劃", Role.PLANNING), "keelung")
    with db.session() as session:
        incident_id = session.scalar(select(InquiryRow.incident_id).limit(1))
        assert session.get(IncidentRow, incident_id) is not None
    assert incident_id is not None
    return incident_view(db, incident_id, utcnow(), 10)


@pytest.mark.parametrize("language", ["zh_TW", "en"])
def test_the_registration_form_prints_what_the_directives_ask(
        db: Database, tmp_path: Path, artifacts: Path, language: str) -> None:
    set_language(language)
    view = demo_view(db)
    favour = next(i for i in view.inquiries if i.favour)
    pdf = render_pdf(favour_form(view, favour, TZ))
    text = text_of(pdf, tmp_path)
    for expected in (_("Request for favour registration form"), "林○○委員", "陳助理",
                     "快遞機動稽核科科長", "政風室", "110-請-012", view.number,
                     _("Requester"), _("Requested of"),
                     _("Content or grounds"), _("How it was handled"),
                     _("Registered by"), _("Registered on"), _("Ethics unit"),
                     "詢問○○報關行快遞貨物拆袋查驗進度"):
        assert "".join(expected.split()) in text, expected
    assert "☑" in text  # the manner: by phone
    (artifacts / f"favour-form-{language}.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-singlefile",
                    str(artifacts / f"favour-form-{language}.pdf"),
                    str(artifacts / f"favour-form-{language}")], check=True)


def test_the_case_file_lists_the_inquiries_with_their_clocks_outcome(
        db: Database, tmp_path: Path) -> None:
    set_language("zh_TW")
    view = demo_view(db)
    doc = case_file(view, {}, TZ)
    (table,) = [b for b in doc.blocks
                if isinstance(b, Table) and b.heading == _("Legislators' inquiries")]
    assert [row[-1] for row in table.rows] == [
        _("Registration with the ethics unit: {state}").format(
            state=_("done {day}").format(day="110/09/08")),
        _("Reply to the interpellation: {state}").format(
            state=_("done {day}").format(day="110/09/30"))]
    assert [row[1] for row in table.rows] == [_("Phone"), _("Written interpellation")]
    text = text_of(render_pdf(doc), tmp_path)  # printed, with its cells wrapped
    for expected in (_("Legislators' inquiries"), _("Clocks"), "110/09/30", "○○委員"):
        assert expected in text, expected


def test_a_clock_says_its_due_day_and_what_is_left_in_the_roc_calendar() -> None:
    set_language("zh_TW")  # ROC dates in Chinese; the words are checked in English below
    assert format_date(date(2026, 12, 10), False) == "115/12/10"
    set_language("en")
    clock = Clock("favour", date(2026, 12, 10))
    assert clock_text(clock, date(2026, 12, 8)) == "due 2026-12-10, 2 days left"
    assert clock_text(clock, date(2026, 12, 10)) == "due today, 2026-12-10"
    assert clock_text(clock, date(2026, 12, 11)) == "due 2026-12-10, 1 day overdue"
    late = Clock("reply", date(2026, 12, 10), date(2026, 12, 10) + timedelta(days=2))
    assert clock_text(late, date(2027, 1, 1)) == "done 2026-12-12, late (due 2026-12-10)"
