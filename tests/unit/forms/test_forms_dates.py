"""One date style per place on every form of every demo case, not only the one each sample
shows (tests/unit/forms/test_forms_conventions.py): the incident forms, the request-for-favour
registration forms, a media summary, a situation report and the annual review of each year the
demo cases fall in, in both languages. Fields print the
long style (民國115年12月5日, "Dec 5, 2026"), tables the short one (115/12/05, 2026-12-05)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from forms.document import FormDocument
from i18n import set_language
from i18n.formatting import local_date
from models.incidents.actions import open_incident, record_notification
from models.incidents.case_import import load_demo
from models.incidents.entities import IncidentRow
from models.incidents.inquiry_print import favour_form
from models.incidents.media_actions import save_media_item
from models.incidents.media_print import media_summary
from models.incidents.print import BUILDERS
from models.incidents.print_situation import situation_report_form
from models.incidents.queries import incident_view
from models.incidents.situation_reports import file_report, snapshot_of
from models.org.people import Actor, Role
from models.review.report import load_review
from models.storage.db import Database, utcnow
from tests.unit.forms.print_conventions import date_style_faults
from tests.unit.incidents.test_incidents import HEAD, draft
from tests.unit.incidents.test_media_watch import item

TZ = "Asia/Taipei"


def every_form(db: Database) -> list[FormDocument]:
    """Each form of each demo case; a case of our own with a media item, its daily media
    summary and a filed situation report; and the annual reviews of the years the demo cases
    started in."""
    load_demo(db, Actor("林企劃", Role.PLANNING), "keelung")
    with db.session() as session:
        rows = session.execute(select(IncidentRow.id, IncidentRow.started_at)).all()
    forms: list[FormDocument] = []
    for incident_id, _started in rows:
        view = incident_view(db, incident_id, utcnow(), 10)
        forms += [build(view, {}, TZ) for build in BUILDERS.values()]
        forms += [favour_form(view, i, TZ) for i in view.inquiries if i.favour]
    incident_id = open_incident(db, HEAD, "keelung", draft(
        level_key="high", suggested_level="high", started_at=utcnow() - timedelta(hours=2)))
    record_notification(db, HEAD, incident_id, target_group="commander", member_id="",
                        recipient="王代理", acting_for="李副關務長", means="phone",
                        notified_at=utcnow() - timedelta(minutes=80))
    save_media_item(db, HEAD, incident_id, None, item())
    view = incident_view(db, incident_id, utcnow(), 10)
    forms.append(media_summary(view, TZ, local_date(view.media[0].seen_at, TZ), utcnow()))
    forms.append(situation_report_form(
        file_report(db, HEAD, incident_id, snapshot_of(view, {}), "明日複查"), TZ))
    for year in sorted({started.year for _id, started in rows}):
        forms.append(load_review(db, "keelung", year, date.today(), TZ))
    return forms


@pytest.mark.parametrize("language", ["zh_TW", "en"])
def test_every_form_keeps_one_date_style_per_place(db: Database, language: str) -> None:
    set_language(language)
    forms = every_form(db)
    titles = {doc.title for doc in forms}
    assert len(titles) >= 7, titles  # notification, case file, log, favour, media, report, review
    assert [fault for doc in forms for fault in date_style_faults(doc)] == []
