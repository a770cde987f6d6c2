"""Situation reports (處理情形): a snapshot filed in its author's name, numbered, never
rewritten by later changes; the cadence per level; the one-page printout; the sync's rules."""

from __future__ import annotations

import json
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from forms.render import render_pdf
from i18n import _
from models.core.errors import UserError, ValidationError
from models.incidents.actions import (
    change_level,
    open_incident,
    record_notification,
    save_action,
    update_fact,
)
from models.incidents.print_situation import situation_report_form
from models.incidents.queries import incident_view
from models.incidents.situation_reports import (
    cadence,
    cadence_of_view,
    file_report,
    last_filed,
    list_reports,
    snapshot_of,
    unit_names,
)
from models.org.people import Actor
from models.playbook.shipped import default_playbook
from models.schema import RULES
from models.storage.db import Database, utcnow
from tests.unit.incidents.test_incident_print import text_of
from tests.unit.incidents.test_incidents import HEAD, draft


def shown(db: Database, incident_id: str) -> dict[str, object]:
    """The snapshot as the stage-3 section shows it before filing."""
    return snapshot_of(incident_view(db, incident_id, utcnow(), 10), {})


def high(db: Database, minutes_ago: int = 90) -> str:
    return open_incident(db, HEAD, "keelung", draft(
        level_key="high", suggested_level="high",
        started_at=utcnow() - timedelta(minutes=minutes_ago)))


def test_a_filed_report_keeps_what_was_shown_when_the_incident_changes(db: Database) -> None:
    incident_id = high(db)
    record_notification(db, HEAD, incident_id, target_group="commander", member_id="",
                        recipient="李副關務長", acting_for="", means="phone",
                        notified_at=utcnow() - timedelta(minutes=80))
    save_action(db, HEAD, incident_id, None, description="封存貨櫃", group_key="handling",
                resources="", status="in_progress")
    first = file_report(db, HEAD, incident_id, shown(db, incident_id), "明日上午複查")
    assert first.number == 1 and first.entered_by == HEAD.name
    assert first.snapshot["level"]["name"]["zh_TW"] == "高度危機"
    assert [n["recipient"] for n in first.snapshot["notifications"]] == ["李副關務長"]
    assert first.snapshot["actions"][0]["status"] == "in_progress"

    update_fact(db, HEAD, incident_id, "title", "改過的名稱")
    second = file_report(db, HEAD, incident_id, shown(db, incident_id), "持續追蹤")
    reports = list_reports(db, incident_id)
    assert [r.number for r in reports] == [1, 2]
    assert reports[0].snapshot["title"] == "加熱菸走私案"  # as filed, not as now
    assert reports[1].snapshot["title"] == "改過的名稱" and second.number == 2


def test_filing_what_is_no_longer_true_is_refused(db: Database) -> None:
    incident_id = high(db)
    seen = shown(db, incident_id)
    update_fact(db, HEAD, incident_id, "summary", "另一台電腦改了經過")  # arrives meanwhile
    with pytest.raises(UserError):
        file_report(db, HEAD, incident_id, seen, "下一步")
    assert list_reports(db, incident_id) == ()


def test_next_steps_are_required(db: Database) -> None:
    incident_id = high(db)
    with pytest.raises(ValidationError) as caught:
        file_report(db, HEAD, incident_id, shown(db, incident_id), "  ")
    assert caught.value.field == "next_steps"


def test_the_next_report_is_due_after_the_level_was_set_then_after_the_last(
        db: Database) -> None:
    incident_id = high(db, minutes_ago=90)
    view = incident_view(db, incident_id, utcnow(), 10)
    due = cadence_of_view(view, None)
    assert due is not None and due.every_minutes == 60
    assert due.due_at == view.started_at + timedelta(minutes=60) and due.overdue(utcnow())
    report = file_report(db, HEAD, incident_id, shown(db, incident_id), "下一步")
    last = last_filed(db, [incident_id])[incident_id]
    assert last == report.entered_at
    after = cadence_of_view(view, last)
    assert after is not None and after.due_at == report.entered_at + timedelta(minutes=60)
    assert not after.overdue(utcnow())


def test_the_cadence_changes_with_the_level(db: Database) -> None:
    incident_id = high(db, minutes_ago=300)
    change_level(db, HEAD, incident_id, "medium", "已控制")
    view = incident_view(db, incident_id, utcnow(), 10)
    due = cadence_of_view(view, None)
    assert due is not None and due.every_minutes == 240
    assert due.since > view.started_at + timedelta(minutes=290)  # from the change
    assert not due.overdue(utcnow())


def test_a_level_without_a_cadence_has_no_report_due(db: Database) -> None:
    pb = default_playbook()
    assert cadence(pb, "low", utcnow(), None) is None
    incident_id = open_incident(db, HEAD, "keelung", draft(level_key="low",
                                                           suggested_level="low"))
    assert cadence_of_view(incident_view(db, incident_id, utcnow(), 10), None) is None


def test_the_printed_report_is_one_page_of_what_was_filed(db: Database,
                                                          tmp_path: Path) -> None:
    incident_id = high(db)
    record_notification(db, HEAD, incident_id, target_group="commander", member_id="",
                        recipient="王代理", acting_for="李副關務長", means="phone",
                        notified_at=utcnow() - timedelta(minutes=80))
    report = file_report(db, HEAD, incident_id, shown(db, incident_id), "明日上午複查貨櫃")
    pdf = render_pdf(situation_report_form(report, "Asia/Taipei"))
    text = text_of(pdf, tmp_path)
    for expected in (_("Situation report"), "加熱菸走私案", "高度危機", "王代理", "李副關務長",
                     "明日上午複查貨櫃", "林組長", _("Commander")):
        assert "".join(expected.split()) in text, expected
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    assert info.split("Pages:")[1].split()[0] == "1"  # one A4 page


def test_a_damaged_snapshot_prints_marked_and_does_not_crash(db: Database) -> None:
    from models.incidents.followup_entities import SituationReportRow

    incident_id = high(db)
    with db.session() as session:
        session.add(SituationReportRow(incident_id=incident_id, number=1, level_key="high",
                                       snapshot="{not json", next_steps="x",
                                       entered_by="某人", role="unit_head"))
    [report] = list_reports(db, incident_id)
    assert report.damaged and report.snapshot == {}
    assert render_pdf(situation_report_form(report, "Asia/Taipei")).startswith(b"%PDF")


def test_a_report_is_evidence_in_its_authors_name() -> None:
    check = RULES.writers["situation_reports"]
    assert "situation_reports" in RULES.insert_only
    from models.sync.policy import Author

    author = Author(person="林組長", role="unit_head")
    assert check(author, {"entered_by": "林組長", "role": "unit_head",
                          "snapshot": json.dumps({})}, None) is None
    assert check(author, {"entered_by": "別人", "role": "unit_head"}, None) is not None


def test_the_report_tells_what_the_media_wrote_and_the_inquiries_as_filed(
        db: Database, tmp_path: Path) -> None:
    """The commander reads the outside world in the report too: the media watch's items
    (a clarification still owed among them) and a legislator's request for favour with its
    registration pending."""
    from models.incidents.inquiry_actions import save_inquiry
    from models.incidents.media_actions import MediaItemDraft, save_media_item
    from tests.unit.incidents.test_inquiries import inquiry

    incident_id = high(db)
    save_media_item(db, HEAD, incident_id, None, MediaItemDraft(
        outlet="自由時報", channel="newspaper", seen_at=utcnow() - timedelta(minutes=30),
        headline="海關放行走私加熱菸？", tone="negative", reach="high",
        needs_clarification=True))
    save_inquiry(db, HEAD, incident_id, None, inquiry(rep_name="林委員", favour=True))
    report = file_report(db, HEAD, incident_id, shown(db, incident_id), "下午發布澄清稿")

    pdf = render_pdf(situation_report_form(report, "Asia/Taipei"))
    text = text_of(pdf, tmp_path)

    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    assert info.split("Pages:")[1].split()[0] == "1"  # still the one page (empty lists left out)
    for expected in (_("In the media"), "自由時報", "海關放行走私加熱菸？", _("needed, none yet"),
                     _("Legislators' inquiries"), "林委員",
                     _("registration with the ethics unit pending")):
        assert "".join(expected.split()) in text, expected
    assert [c["outlet"] for c in report.snapshot["coverage"]] == ["自由時報"]


def test_a_report_is_filed_after_the_reporting_unit_was_removed(
        db: Database, planner: Actor) -> None:
    """The window names the units it lists (those not removed); filing named every unit, a
    removed one too, so the snapshots never matched and each filing was refused as "changed
    while you read it"."""
    from models.org.units import delete_unit, list_units

    unit = list_units(db, "keelung")[0]
    incident_id = open_incident(db, HEAD, "keelung", draft(
        level_key="high", suggested_level="high", reporting_unit=unit.key))
    delete_unit(db, planner, unit.id)
    window_units = unit_names(list_units(db, "keelung", include_inactive=True))
    read = snapshot_of(incident_view(db, incident_id, utcnow(), 10), window_units)

    report = file_report(db, HEAD, incident_id, read, "持續追蹤")

    assert report.number == 1
