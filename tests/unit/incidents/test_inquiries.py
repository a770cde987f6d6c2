"""Legislators' inquiries: recording them, the acts on their clocks and what is refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from i18n import _
from i18n.formatting import local_date
from models.core.errors import UserError, ValidationError
from models.incidents.actions import (
    StageIncomplete,
    complete_stage,
    open_incident,
    statement_event,
)
from models.incidents.inquiry_actions import (
    InquiryDraft,
    extend_reply,
    record_registration,
    record_reply,
    remove_inquiry,
    save_inquiry,
    start_reply,
)
from models.incidents.inquiry_policy import POLICY
from models.incidents.progress import describe_missing
from models.incidents.queries import incident_view
from models.org.people import Actor, Role
from models.playbook.holidays import Holiday
from models.playbook.store import current_playbook, save_playbook
from models.storage.db import Database, utcnow
from models.sync.policy import Author
from tests.unit.incidents.test_incidents import HEAD, _run_to_archive, draft

LEGAL = Actor("王法務", Role.UNIT_HEAD, "legal", posts=("legal",))
COMMANDER = Actor("張關長", Role.COMMANDER, "")


TODAY = local_date(utcnow(), "Asia/Taipei")


def inquiry(**changes: object) -> InquiryDraft:
    values: dict[str, object] = dict(
        rep_kind="legislator", rep_name="李委員", rep_office="李委員基隆服務處",
        contact="陳助理", channel="phone", received_at=utcnow() - timedelta(minutes=30),
        place="", received_by="王科長", request="關切某報關行貨櫃查驗進度", relation="選民", favour=False)
    values.update(changes)
    return InquiryDraft(**values)  # type: ignore[arg-type]


def seen(db: Database, incident_id: str):  # type: ignore[no-untyped-def]
    return incident_view(db, incident_id, utcnow(), 10)


@pytest.fixture
def incident(db: Database) -> str:
    return open_incident(db, HEAD, "keelung", draft())


@pytest.mark.parametrize(("changes", "field"), [
    ({"rep_name": " "}, "rep_name"),
    ({"request": ""}, "request"),
    ({"rep_kind": "mayor"}, "rep_kind"),
    ({"channel": "telepathy"}, "channel"),
    ({"received_at": utcnow() + timedelta(hours=2)}, "received_at"),
    ({"rep_kind": "councillor", "channel": "written_interpellation"}, "channel"),
    ({"contact": "x" * 201}, "contact"),
    ({"received_by": ""}, "received_by"),
])
def test_bad_input_names_the_field_and_saves_nothing(db: Database, incident: str,
                                                     changes: dict[str, object],
                                                     field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        save_inquiry(db, HEAD, incident, None, inquiry(**changes))
    assert caught.value.field == field
    assert seen(db, incident).inquiries == ()


def test_an_inquiry_is_kept_with_its_timeline_entry_and_no_clock(db: Database,
                                                                 incident: str) -> None:
    save_inquiry(db, HEAD, incident, None, inquiry())
    view = seen(db, incident)
    (found,) = view.inquiries
    assert (found.rep_name, found.rep_office, found.contact) == ("李委員", "李委員基隆服務處",
                                                                 "陳助理")
    assert found.clocks() == ()
    assert [e.data for e in view.timeline if e.kind == "inquiry"] == [
        {"who": "李委員", "what": "added"}]


def test_a_request_for_favour_is_due_in_three_working_days_and_registration_stops_it(
        db: Database, incident: str) -> None:
    inquiry_id = save_inquiry(db, HEAD, incident, None, inquiry(favour=True))
    (found,) = seen(db, incident).inquiries
    clock = found.favour_clock
    assert clock is not None and clock.done_on is None and found.reply_clock is None
    assert clock.due_day > TODAY and clock.due_day.weekday() < 5
    with pytest.raises(ValidationError) as caught:
        record_registration(db, HEAD, inquiry_id, on=TODAY, registered_with=" ",
                            number="")
    assert caught.value.field == "registered_with"
    with pytest.raises(ValidationError) as caught:
        record_registration(db, HEAD, inquiry_id, on=TODAY + timedelta(days=3),
                            registered_with="政風室 吳專員", number="")
    assert caught.value.field == "registered_on"
    record_registration(db, HEAD, inquiry_id, on=TODAY, registered_with="政風室 吳專員",
                        number="115-請-003")
    (found,) = seen(db, incident).inquiries
    assert found.favour_clock is not None and found.favour_clock.done_on == TODAY
    assert found.registration_no == "115-請-003"
    with pytest.raises(UserError):
        record_registration(db, HEAD, inquiry_id, on=TODAY, registered_with="政風室",
                            number="")
    with pytest.raises(ValidationError) as caught:  # a registered one stays a favour request
        save_inquiry(db, HEAD, incident, inquiry_id, inquiry(favour=False))
    assert caught.value.field == "favour"
    with pytest.raises(UserError):
        remove_inquiry(db, HEAD, inquiry_id)


def test_the_office_holidays_from_the_playbook_move_the_due_day(db: Database,
                                                                incident: str,
                                                                planner: Actor) -> None:
    save_inquiry(db, HEAD, incident, None, inquiry(favour=True))
    before = seen(db, incident).inquiries[0].favour_clock
    assert before is not None
    info, pb = current_playbook(db)
    next_working = before.due_day - timedelta(days=1)
    while next_working.weekday() >= 5:
        next_working -= timedelta(days=1)
    save_playbook(db, planner, replace(pb, holidays=(Holiday(next_working, "颱風假"),)),
                  "颱風停班", base_version_id=info.id)
    after = seen(db, incident).inquiries[0].favour_clock
    assert after is not None and after.due_day > before.due_day


def test_only_a_favour_request_is_registered(db: Database, incident: str) -> None:
    inquiry_id = save_inquiry(db, HEAD, incident, None, inquiry())
    with pytest.raises(UserError):
        record_registration(db, HEAD, inquiry_id, on=TODAY, registered_with="政風室",
                            number="")


def test_a_written_interpellation_runs_20_days_extends_once_and_stops_when_its_reply_is_released(
        db: Database, incident: str) -> None:
    inquiry_id = save_inquiry(db, HEAD, incident, None,
                              inquiry(channel="written_interpellation"))
    (found,) = seen(db, incident).inquiries
    assert found.reply_clock is not None
    received = found.received_at
    due = found.reply_clock.due_day
    with pytest.raises(ValidationError):
        extend_reply(db, HEAD, inquiry_id, "  ")
    extend_reply(db, HEAD, inquiry_id, "質詢涉及三個業務單位")
    (found,) = seen(db, incident).inquiries
    assert found.reply_clock is not None and found.reply_clock.due_day == due + timedelta(days=5)
    with pytest.raises(UserError):
        extend_reply(db, HEAD, inquiry_id, "再延")
    with pytest.raises(ValidationError) as caught:  # when and how it came are now fixed
        save_inquiry(db, HEAD, incident, inquiry_id,
                     inquiry(channel="letter", received_at=received))
    assert caught.value.field == "channel"
    with pytest.raises(UserError):
        record_reply(db, HEAD, inquiry_id, "已電話說明", utcnow())
    statement_id = start_reply(db, HEAD, inquiry_id, "書面質詢答復", "一、……")
    with pytest.raises(UserError):
        start_reply(db, HEAD, inquiry_id, "書面質詢答復", "again")
    with pytest.raises(UserError):  # the reply statement names it
        remove_inquiry(db, HEAD, inquiry_id)
    view = seen(db, incident)
    (reply,) = [s for s in view.statements if s.id == statement_id]
    assert reply.kind == "reply" and view.inquiries[0].reply_statement_id == statement_id
    assert view.inquiries[0].reply_step == "drafted"
    now = utcnow()
    statement_event(db, LEGAL, statement_id, 1, "legal_review", name=LEGAL.name, event_at=now)
    assert seen(db, incident).inquiries[0].reply_step == "legal_review"
    with pytest.raises(UserError):  # the reply is approved like a statement, by the post
        statement_event(db, HEAD, statement_id, 1, "released", name=HEAD.name, event_at=now,
                        channel="letter")
    statement_event(db, COMMANDER, statement_id, 1, "approved", name=COMMANDER.name,
                    event_at=now)
    statement_event(db, HEAD, statement_id, 1, "released", name=HEAD.name, event_at=now,
                    channel="letter")
    (found,) = seen(db, incident).inquiries
    assert found.replied_at is not None and found.reply_step == "released"
    assert found.reply_clock is not None and found.reply_clock.done_on is not None


def test_other_inquiries_record_their_reply_and_can_be_removed(db: Database,
                                                               incident: str) -> None:
    inquiry_id = save_inquiry(db, HEAD, incident, None, inquiry())
    with pytest.raises(UserError):
        extend_reply(db, HEAD, inquiry_id, "太多")
    with pytest.raises(UserError):
        start_reply(db, HEAD, inquiry_id, "答復", "text")
    with pytest.raises(ValidationError) as caught:
        record_reply(db, HEAD, inquiry_id, "已電話說明", utcnow() - timedelta(days=1))
    assert caught.value.field == "replied_at"
    record_reply(db, HEAD, inquiry_id, "已電話說明查驗依規定辦理", utcnow())
    assert seen(db, incident).inquiries[0].reply == "已電話說明查驗依規定辦理"
    remove_inquiry(db, HEAD, inquiry_id)
    view = seen(db, incident)
    assert view.inquiries == ()
    assert view.timeline[-1].data == {"who": "李委員", "what": "removed"}


def test_an_archived_case_locks_its_inquiries(db: Database, incident: str) -> None:
    inquiry_id = save_inquiry(db, HEAD, incident, None, inquiry(favour=True))
    with pytest.raises(StageIncomplete) as caught:  # not while its clock runs
        _run_to_archive(db, incident)
    assert [m.kind for m in caught.value.missing] == ["clock"]
    assert describe_missing(seen(db, incident), caught.value.missing[0]) == _(
        "The request for favour of {name} is not yet registered with the ethics unit."
    ).format(name="李委員")
    record_registration(db, HEAD, inquiry_id, on=TODAY, registered_with="政風室", number="")
    complete_stage(db, HEAD, incident, 6)
    assert seen(db, incident).status == "archived"
    with pytest.raises(UserError):
        extend_reply(db, HEAD, inquiry_id, "太多")
    with pytest.raises(UserError):
        save_inquiry(db, HEAD, incident, None, inquiry())
    assert POLICY.parts["inquiries"].table == "incidents"  # locked with it on every PC


def test_no_pc_may_write_an_inquiry_received_in_the_future() -> None:
    check = POLICY.writers["inquiries"]
    author = Author("王科長", "unit_head")
    ahead = (utcnow() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert check(author, {"received_at": ahead}, None) is not None
    now = utcnow().strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert check(author, {"received_at": now, "rep_name": "林委員"}, None) is None
