"""The reporting clock (通報時限): from learning of the incident to telling the post its level
names, against the office's limit per level; overdue on the list and on Home, printed on the
notification form."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from forms.render import render_pdf
from i18n import _
from models.core.errors import ValidationError
from models.incidents.actions import (
    acknowledge,
    change_level,
    open_incident,
    record_notification,
)
from models.incidents.clocks_report import clock_of_view
from models.incidents.print import notification_form
from models.incidents.queries import incident_view, list_incidents
from models.playbook.model import parse_playbook, playbook_to_dict, playbook_to_json
from models.playbook.shipped import default_playbook
from models.review.dashboard import what_needs_me
from models.storage.db import Database, utcnow
from tests.unit.incidents.test_incident_print import text_of
from tests.unit.incidents.test_incidents import HEAD, draft


def high(db: Database, minutes_ago: int) -> tuple[str, object]:
    """A high-level incident learned of *minutes_ago* (limit: the commander within 30 min)."""
    start = utcnow() - timedelta(minutes=minutes_ago)
    incident_id = open_incident(db, HEAD, "keelung", draft(
        level_key="high", suggested_level="high", started_at=start))
    return incident_id, start


def tell(db: Database, incident_id: str, at: object, *, group: str = "commander",
         outcome: str = "reached", acting_for: str = "") -> str:
    return record_notification(db, HEAD, incident_id, target_group=group, member_id="",
                               recipient="李副關務長", acting_for=acting_for, means="phone",
                               notified_at=at, outcome=outcome)  # type: ignore[arg-type]


def clock(db: Database, incident_id: str):  # type: ignore[no-untyped-def]
    found = clock_of_view(incident_view(db, incident_id, utcnow(), 10))
    assert found is not None
    return found


def test_told_within_the_limit_is_met_and_measured(db: Database) -> None:
    incident_id, start = high(db, 50)
    tell(db, incident_id, start + timedelta(minutes=20))
    seen = clock(db, incident_id)
    assert seen.group == "commander" and seen.limit_minutes == 30
    assert seen.taken_minutes == pytest.approx(20)
    assert seen.state(utcnow()) == "met" and not seen.overdue(utcnow())
    assert list_incidents(db, "keelung", utcnow(), 600)[0].overdue == 0  # acks not late


def test_told_after_the_limit_is_missed(db: Database) -> None:
    incident_id, start = high(db, 50)
    tell(db, incident_id, start + timedelta(minutes=45))
    seen = clock(db, incident_id)
    assert seen.taken_minutes == pytest.approx(45)
    assert seen.state(utcnow()) == "missed"
    assert not seen.overdue(utcnow())  # told, late: nothing more to do now


def test_nobody_told_past_the_limit_is_overdue_on_the_list_and_at_home(db: Database) -> None:
    incident_id, start = high(db, 40)
    seen = clock(db, incident_id)
    assert seen.due_at == start + timedelta(minutes=30)
    assert seen.overdue(utcnow())
    assert list_incidents(db, "keelung", utcnow(), 10)[0].overdue == 1
    needs = what_needs_me(db, "keelung", HEAD, utcnow(), utcnow().date(), 10)
    assert [r.incident.id for r in needs.late_reporting] == [incident_id]
    assert needs.late_reporting[0].post["zh_TW"] == "總指揮兼發言人"
    assert needs.count() >= 1


def test_before_the_limit_it_is_pending_not_overdue(db: Database) -> None:
    incident_id, _start = high(db, 10)
    seen = clock(db, incident_id)
    assert seen.state(utcnow()) == "pending" and not seen.overdue(utcnow())
    needs = what_needs_me(db, "keelung", HEAD, utcnow(), utcnow().date(), 10)
    assert needs.late_reporting == ()


def test_a_deputys_notification_counts(db: Database) -> None:
    incident_id, start = high(db, 50)
    tell(db, incident_id, start + timedelta(minutes=10), acting_for="李副關務長")
    assert clock(db, incident_id).state(utcnow()) == "met"


def test_a_message_left_does_not_stop_the_clock_until_acknowledged(db: Database) -> None:
    incident_id, start = high(db, 50)
    note = tell(db, incident_id, start + timedelta(minutes=5), outcome="left_message")
    tell(db, incident_id, start + timedelta(minutes=6), outcome="no_answer")
    seen = clock(db, incident_id)
    assert seen.told_at is None and seen.overdue(utcnow())
    acknowledge(db, HEAD, note, start + timedelta(minutes=40))  # they called back late
    seen = clock(db, incident_id)
    assert seen.taken_minutes == pytest.approx(40) and seen.state(utcnow()) == "missed"


def test_telling_another_post_does_not_count(db: Database) -> None:
    incident_id, start = high(db, 50)
    tell(db, incident_id, start + timedelta(minutes=5), group="secretary")
    assert clock(db, incident_id).overdue(utcnow())


def test_a_raised_level_starts_the_clock_of_its_post_at_the_change(db: Database) -> None:
    start = utcnow() - timedelta(hours=3)
    incident_id = open_incident(db, HEAD, "keelung", draft(started_at=start))
    tell(db, incident_id, start + timedelta(minutes=30), group="secretary")
    assert clock(db, incident_id).state(utcnow()) == "met"
    change_level(db, HEAD, incident_id, "high", "媒體大幅報導")
    seen = clock(db, incident_id)
    assert seen.group == "commander" and seen.since > start + timedelta(hours=2)
    assert seen.state(utcnow()) == "pending"


def test_a_level_without_a_limit_has_no_clock_to_miss(db: Database) -> None:
    start = utcnow() - timedelta(days=2)
    incident_id = open_incident(db, HEAD, "keelung", draft(
        level_key="low", suggested_level="low", started_at=start))
    seen = clock(db, incident_id)
    assert seen.limit_minutes is None and seen.state(utcnow()) == "none"
    assert not seen.overdue(utcnow())


def test_an_old_playbook_without_clocks_loads_with_the_defaults_of_each_place() -> None:
    data = playbook_to_dict(default_playbook())
    for level in data["levels"]:
        level.pop("report_within_minutes", None)
        level.pop("update_every_minutes", None)
    levels = parse_playbook(data).levels
    assert [(lv.report_within_minutes, lv.update_every_minutes) for lv in levels] == [
        (30, 60), (60, 240), (None, None)]


def test_the_shipped_playbook_keeps_its_canonical_text() -> None:
    """Version 1's id is the hash of its canonical text on every PC: the clocks at their
    defaults are not written, so PCs of this and older versions seed the same version 1."""
    assert "report_within_minutes" not in playbook_to_json(default_playbook())


def test_an_office_sets_its_own_limits_and_they_are_kept() -> None:
    data = playbook_to_dict(default_playbook())
    data["levels"][0]["report_within_minutes"] = 15
    data["levels"][2]["update_every_minutes"] = 1440
    data["levels"][1]["report_within_minutes"] = None
    again = parse_playbook(json.loads(playbook_to_json(parse_playbook(data))))
    assert [(lv.report_within_minutes, lv.update_every_minutes) for lv in again.levels] == [
        (15, 60), (None, 240), (None, 1440)]


@pytest.mark.parametrize("value", [0, -5, 99999, "30", True])
def test_an_impossible_limit_is_refused_with_its_path(value: object) -> None:
    data = playbook_to_dict(default_playbook())
    data["levels"][1]["report_within_minutes"] = value
    with pytest.raises(ValidationError) as caught:
        parse_playbook(data)
    assert caught.value.field == "levels[1].report_within_minutes"


def test_the_notification_form_prints_the_limit_the_time_taken_and_the_verdict(
        db: Database, tmp_path: Path) -> None:
    incident_id, start = high(db, 50)
    tell(db, incident_id, start + timedelta(minutes=45))
    view = incident_view(db, incident_id, utcnow(), 10)
    text = text_of(render_pdf(notification_form(view, {}, "Asia/Taipei")), tmp_path)
    for expected in (_("Reporting limit"), _("Time taken to tell"), _("Limit met"),
                     _("Not met"), "總指揮兼發言人", _("{n} min").format(n=30),
                     _("{n} min").format(n=45)):
        assert "".join(expected.split()) in text, expected
