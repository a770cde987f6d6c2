"""Issue 18's synced records (situation reports, watch reviews, decisions and their tasks,
attachments, media items) from a hostile enrolled PC (a tampered app writing its own database,
whose capture signs the rows) or a writer of the share: refused with a reason, nothing of it
applied, no screen, printout or later act of any receiving PC failing because of it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from models.incidents.actions import save_statement
from models.incidents.attachment_entities import AttachmentRow
from models.incidents.attachments import attachments_of
from models.incidents.entities import ActionRow, DecisionRow
from models.incidents.followup_entities import SituationReportRow, WatchReviewRow
from models.incidents.print import case_file
from models.incidents.print_situation import situation_report_form
from models.incidents.queries import incident_view
from models.incidents.situation_reports import file_report, list_reports, snapshot_of
from models.incidents.watch import list_reviews
from models.org.people import Role
from models.storage.db import utcnow
from tests.sync.conftest import (
    HEAD,
    PC,
    found_office,
    new_incident,
    refusal_reasons,
    sync,
    sync_all,
)

TZ = "Asia/Taipei"
FAR = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)


def test_a_task_due_in_year_9999_is_refused_or_prints(pcs: tuple[PC, PC, PC],
                                                      share: Path) -> None:
    """B's tampered app gives a task a due time the form never accepts (check_due): on A
    the case file (and stage 3's board, which formats the same time) must still show."""
    a, b, _c = pcs
    incident = new_incident(b)
    with b.db.session() as session:
        session.add(ActionRow(incident_id=incident, description="清查貨櫃",
                              group_key="handling", status="planned", due_at=FAR))
    sync_all(pcs, share)

    view = incident_view(a.db, incident, utcnow(), 10)
    case_file(view, {}, TZ)  # no OverflowError


def test_a_situation_report_numbered_at_sqlites_limit_does_not_stop_filing(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    """B files report number 2**63-1: every other PC must still file the next report."""
    a, b, _c = pcs
    incident = new_incident(b)
    sync_all(pcs, share)
    seen = snapshot_of(incident_view(b.db, incident, utcnow(), 10), {})
    with b.db.session() as session:
        session.add(SituationReportRow(
            incident_id=incident, number=2 ** 63 - 1, level_key="low",
            snapshot=json.dumps(seen), next_steps="x", entered_at=utcnow(),
            entered_by=HEAD.name, role=HEAD.role.value))
    sync_all(pcs, share)

    shown = snapshot_of(incident_view(a.db, incident, utcnow(), 10), {})
    file_report(a.db, HEAD, incident, shown, "A 的下一步")  # no OverflowError
    assert "A 的下一步" in {r.next_steps for r in list_reports(a.db, incident)}


@pytest.mark.parametrize("snapshot", [
    '[1, 2]', 'not json', '{"format": 1, "level": 5, "notifications": "x", "actions": [1]}',
    '{"started_at": "9999-12-31T23:00:00+00:00"}',
    '{"started_at": "2026-01-01T00:00:00"}',
    '{"actions": [{"due_at": "9999-12-31T23:30:00+00:00"}]}',
    '{"notifications": [{"notified_at": "0001-01-01T00:00:00+14:00"}]}',
    '{"office_code": 5, "stage": {"number": true, "name": [1]}, "media": [{"at": 3}]}',
], ids=["list", "text", "wrong-types", "year-9999", "naive", "task-9999", "year-1-offset",
        "odd"])
def test_a_situation_report_whose_snapshot_is_not_what_the_reader_expects_prints(
        pcs: tuple[PC, PC, PC], share: Path, snapshot: str) -> None:
    a, b, _c = pcs
    incident = new_incident(b)
    with b.db.session() as session:
        session.add(SituationReportRow(
            incident_id=incident, number=1, level_key="low", snapshot=snapshot,
            next_steps="x", entered_at=utcnow(), entered_by=HEAD.name, role=HEAD.role.value))
    sync_all(pcs, share)

    for report in list_reports(a.db, incident):
        situation_report_form(report, TZ)  # no exception
    case_file(incident_view(a.db, incident, utcnow(), 10), {}, TZ)


@pytest.mark.parametrize("next_review", [date(9999, 12, 31), date(2000, 1, 1)],
                         ids=["far-future", "before-the-review"])
def test_a_watch_review_the_form_would_refuse_is_refused_by_the_receiver(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path, next_review: date) -> None:
    """log_review refuses a next review more than a year ahead (the incident would never come
    up again) or not after the review: a tampered app's row must not stand on A either (B
    enrolled: the office's rules bind the PCs it enrolled)."""
    a, b, _c = pcs
    found_office([a], share, tmp_path / "authority.pem").enrol(b, HEAD)
    incident = new_incident(b)
    with b.db.session() as session:
        session.add(WatchReviewRow(incident_id=incident, reviewed_at=utcnow(), seen="看過",
                                   next_review=next_review, entered_at=utcnow(),
                                   entered_by=HEAD.name, role=HEAD.role.value))
    sync_all(pcs, share)

    assert [r.next_review for r in list_reviews(a.db, incident)] == []
    assert refusal_reasons(a, "watch_reviews")


def test_a_watch_review_in_another_persons_name_is_refused(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path) -> None:
    a, b, _c = pcs
    found_office([a], share, tmp_path / "authority.pem").enrol(b, HEAD)
    incident = new_incident(a)
    sync_all([a, b], share)
    with b.db.session() as session:
        session.add(WatchReviewRow(incident_id=incident, reviewed_at=utcnow(), seen="冒名",
                                   next_review=date.today() + timedelta(days=3),
                                   entered_at=utcnow(), entered_by="王主秘",
                                   role=Role.SECRETARY.value))
        session.add(SituationReportRow(
            incident_id=incident, number=1, level_key="low", snapshot="{}",
            next_steps="冒名", entered_at=utcnow(), entered_by="王主秘",
            role=Role.SECRETARY.value))
    sync(b, share)
    sync(a, share)

    assert list_reviews(a.db, incident) == ()
    assert list_reports(a.db, incident) == ()
    assert refusal_reasons(a, "watch_reviews") and refusal_reasons(a, "situation_reports")


@pytest.mark.parametrize("decided_by", ["林組長", "林\u200b組長", "ＡＢ"],
                         ids=["own-name", "look-alike", "other"])
def test_a_decision_in_its_authors_own_name_without_the_permission_is_refused(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path, decided_by: str) -> None:
    """B is enrolled for the unit head, who may not take a decision: one in B's own name (or
    a look-alike of it) is refused; one recorded for someone else stands, recorded by B."""
    a, b, _c = pcs
    found_office([a], share, tmp_path / "authority.pem").enrol(b, HEAD)
    incident = new_incident(a)
    sync_all([a, b], share)
    with b.db.session() as session:
        session.add(DecisionRow(incident_id=incident, decided_at=utcnow(),
                                decided_by=decided_by, post="commander", acting_for="",
                                decision="擴大清查", recorded_by=HEAD.name))
    sync(b, share)
    sync(a, share)

    decisions = incident_view(a.db, incident, utcnow(), 10).decisions
    if decided_by == "ＡＢ":
        assert [d.decided_by for d in decisions] == ["ＡＢ"]
    else:
        assert decisions == ()
        assert refusal_reasons(a, "decisions") == [
            "it records a decision in the name of its author, who may not take it"]


def test_a_decision_recorded_in_another_persons_name_is_refused(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path) -> None:
    a, b, _c = pcs
    found_office([a], share, tmp_path / "authority.pem").enrol(b, HEAD)
    incident = new_incident(a)
    sync_all([a, b], share)
    with b.db.session() as session:
        session.add(DecisionRow(incident_id=incident, decided_at=utcnow(),
                                decided_by="王主秘", post="secretary", acting_for="",
                                decision="冒名記錄", recorded_by="王主秘"))
    sync(b, share)
    sync(a, share)

    assert incident_view(a.db, incident, utcnow(), 10).decisions == ()
    assert refusal_reasons(a, "decisions")


def test_a_task_naming_a_decision_of_another_incident_is_not_shown_under_it(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    a, b, _c = pcs
    first, second = new_incident(b, "甲案"), new_incident(b, "乙案")
    with b.db.session() as session:
        decision = DecisionRow(incident_id=first, decided_at=utcnow(), decided_by="王主秘",
                               post="secretary", acting_for="", decision="甲案的決定",
                               recorded_by=HEAD.name)
        session.add(decision)
        session.flush()
        session.add(ActionRow(incident_id=second, description="乙案的任務",
                              group_key="handling", status="planned",
                              decision_id=decision.id))
    sync_all(pcs, share)

    from models.incidents.decisions import decision_log
    for incident in (first, second):
        view = incident_view(a.db, incident, utcnow(), 10)
        assert all(t.incident_id == incident if hasattr(t, "incident_id") else True
                   for e in decision_log(view) for t in e.tasks)
        assert "乙案的任務" not in {t.description for e in decision_log(view) for t in e.tasks}
        case_file(view, {}, TZ)


def test_an_attachment_naming_a_record_of_another_incident_is_not_shown(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    """attach() checks the record belongs to the incident; a tampered app's row of incident
    甲 naming a statement of incident 乙 is not shown with 甲 on A (the receiver cannot refuse
    it on receipt: the record may come later in the same file)."""
    a, b, _c = pcs
    first, second = new_incident(b, "甲案"), new_incident(b, "乙案")
    statement = save_statement(b.db, HEAD, second, None, kind="clarification",
                               title="乙案新聞稿", text="初稿")
    with b.db.session() as session:
        session.add(AttachmentRow(incident_id=first, record_kind="statement",
                                  record_id=statement, sha256="0" * 64, filename="x.png",
                                  size=1, caption="", attached_by=HEAD.name,
                                  role=HEAD.role.value))
    sync_all(pcs, share)

    assert attachments_of(a.db, first, "statement", statement) == ()
    assert attachments_of(a.db, first) == ()


@pytest.mark.parametrize("size", [-5, 2 ** 63 - 1])
def test_an_attachment_row_with_an_absurd_size_is_shown_not_a_crash(
        pcs: tuple[PC, PC, PC], share: Path, size: int) -> None:
    from models.incidents.attachments import file_size

    a, b, _c = pcs
    incident = new_incident(b)
    with b.db.session() as session:
        session.add(AttachmentRow(incident_id=incident, record_kind="incident",
                                  record_id=incident, sha256="0" * 64, filename="x.png",
                                  size=size, caption="", attached_by=HEAD.name,
                                  role=HEAD.role.value))
    reports = sync_all(pcs, share)

    assert all(r.reachable and not r.error for r in reports)
    for info in attachments_of(a.db, incident):
        file_size(info.size)
    case_file(incident_view(a.db, incident, utcnow(), 10), {}, TZ)


def test_a_media_item_with_a_javascript_link_is_never_opened(pcs: tuple[PC, PC, PC],
                                                            share: Path) -> None:
    from models.incidents.media_entities import MediaItemRow
    from ui.incidents.media_watch import openable

    a, b, _c = pcs
    incident = new_incident(b)
    with b.db.session() as session:
        session.add(MediaItemRow(incident_id=incident, outlet="x", channel="online_news",
                                 seen_at=utcnow() - timedelta(hours=1), headline="h",
                                 link="javascript:alert(1)", tone="angry", reach="galactic",
                                 updated_by=HEAD.name))
    reports = sync_all(pcs, share)

    assert all(r.reachable and not r.error for r in reports)
    view = incident_view(a.db, incident, utcnow(), 10)
    for item in view.media:
        assert openable(item.link) is None
    case_file(view, {}, TZ)


def _hostile_playbook(pc: PC, edit: object) -> None:
    """A version 2 of the playbook written by *pc*'s tampered app (in its planner's own name)
    with content the editor and the import would refuse."""
    import hashlib

    from models.playbook.entities import PlaybookVersionRow
    from models.playbook.model import playbook_to_dict
    from models.playbook.shipped import default_playbook, version_values
    from models.playbook.store import _latest

    data = playbook_to_dict(default_playbook())
    edit(data)  # type: ignore[operator]
    content = json.dumps(data, ensure_ascii=False, sort_keys=True)
    with pc.db.session() as session:
        values = version_values(default_playbook(), by="林企劃", role="planning",
                                reason="惡意", parent=_latest(session))
        values.update(content=content,
                      content_sha256=hashlib.sha256(content.encode("utf-8")).hexdigest())
        session.add(PlaybookVersionRow(**values))


def _cadence(value: object) -> object:
    def edit(data: dict) -> None:  # type: ignore[type-arg]
        data["levels"][0]["update_every_minutes"] = value
    return edit


def _holidays(data: dict) -> None:  # type: ignore[type-arg]
    data["holidays"] = [{"date": "not a date", "name": "x"}]


@pytest.mark.parametrize("edit", [_cadence(0), _cadence(-60), _cadence("60"),
                                  _cadence(10 ** 18), _holidays],
                         ids=["zero", "negative", "text", "huge", "bad-holiday"])
def test_a_playbook_version_the_editor_would_refuse_does_not_break_every_pc(
        make_pc: object, share: Path, tmp_path: Path, edit: object) -> None:
    """B is enrolled for the planning group (it may edit the playbook) but runs a tampered
    app: a version whose clocks or holidays do not parse must be refused by A, not become
    A's current playbook, which every screen reads."""
    from models.playbook.store import current_playbook
    from models.review.dashboard import what_needs_me
    from tests.sync.conftest import PLANNER

    a, b = make_pc("A"), make_pc("B")  # type: ignore[operator]
    found_office([a], share, tmp_path / "authority.pem").enrol(b, PLANNER)
    incident = new_incident(a)
    sync_all([a, b], share)
    _hostile_playbook(b, edit)
    sync(b, share)
    sync(a, share)

    current_playbook(a.db)  # no ValidationError
    incident_view(a.db, incident, utcnow(), 10)
    what_needs_me(a.db, "keelung", HEAD, utcnow(), date.today(), 15)
    assert refusal_reasons(a, "playbook_versions")


def test_an_inquiry_with_dates_at_the_ends_of_the_calendar_shows_and_prints(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    """A tampered app's inquiry: received in year 1000, registered in year 9999, of a channel
    and kind this app does not know: the section, its 登錄表, the case file and Home show."""
    from models.incidents.entities import InquiryRow
    from models.incidents.inquiries import load_inquiries
    from models.incidents.inquiry_print import favour_form, inquiries_table
    from models.review.dashboard import what_needs_me

    a, b, _c = pcs
    incident = new_incident(b)
    with b.db.session() as session:
        session.add(InquiryRow(incident_id=incident, rep_kind="alien", rep_name="x",
                               channel="telepathy", received_at=datetime(1000, 1, 1, tzinfo=UTC),
                               request="r", favour=True, registered_on=date(9999, 12, 31),
                               replied_at=datetime(1000, 1, 1, tzinfo=UTC),
                               updated_by=HEAD.name))
        session.add(InquiryRow(incident_id=incident, rep_kind="legislator", rep_name="y",
                               channel="written", received_at=utcnow() - timedelta(days=1),
                               request="r", favour=True, registered_on=date(1, 1, 1),
                               updated_by=HEAD.name))
    reports = sync_all(pcs, share)

    assert all(r.reachable and not r.error for r in reports), [r.error for r in reports]
    today = date.today()
    view = incident_view(a.db, incident, utcnow(), 10)
    with a.db.session() as session:
        infos = list(load_inquiries(session, incident, TZ, frozenset()))
    failures = []
    for name, show in [
            ("inquiries_table", lambda: inquiries_table(view, TZ, today)),
            *[(f"favour_form {i.rep_name}", lambda i=i: favour_form(view, i, TZ))
              for i in infos],
            ("case_file", lambda: case_file(view, {}, TZ)),
            ("home", lambda: what_needs_me(a.db, "keelung", HEAD, utcnow(), today, 15))]:
        try:
            show()
        except Exception as exc:  # noqa: BLE001 - every renderer is tried, each failure named
            failures.append(f"{name}: {exc!r}")
    assert failures == [], "\n".join(failures)


def test_a_task_and_a_watch_review_dated_before_1912_do_not_take_home_down(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    """Home formats each overdue task's due time and each due review's date in the ROC
    calendar (ui/review/home.py _fill), outside the per-incident guard of what_needs_me: a
    tampered app's task due in year 1000, or a review whose next one is on 1000-01-01, must be
    refused or shown, never end the Home screen of every PC."""
    from i18n.formatting import format_date, format_datetime
    from models.incidents.actions import change_level
    from models.review.dashboard import what_needs_me

    a, b, _c = pcs
    incident = new_incident(b)
    change_level(b.db, HEAD, incident, "low", "僅影響單一單位")
    with b.db.session() as session:
        session.add(ActionRow(incident_id=incident, description="清查貨櫃",
                              group_key="handling", status="planned",
                              due_at=datetime(1000, 1, 1, tzinfo=UTC)))
        session.add(WatchReviewRow(incident_id=incident, reviewed_at=utcnow(), seen="看過",
                                   next_review=date(1000, 1, 1), entered_at=utcnow(),
                                   entered_by=HEAD.name, role=HEAD.role.value))
    sync_all(pcs, share)

    needs = what_needs_me(a.db, "keelung", HEAD, utcnow(), date.today(), 15)
    failures = []
    for kind, show in [
            *[("task", lambda t=t: format_datetime(t.due_at, long=False, tz=TZ))
              for t in needs.late_tasks],  # as home.py formats them
            *[("review", lambda w=w: format_date(w.watch.next_review, long=False))
              for w in needs.watch_due]]:
        try:
            show()
        except ValueError as exc:
            failures.append(f"{kind}: {exc}")
    assert failures == [], failures


@pytest.mark.parametrize("kind", ["decision", "task", "media", "inquiry", "situation_report",
                                  "watch_review", "attachment"])
def test_a_record_added_to_a_case_its_pc_knew_archived_is_refused(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path, kind: str) -> None:
    """B, enrolled, has received A's archiving; its tampered app then adds a record of issue
    18's kinds to the archived case (the window refuses every one of them): every receiver
    refuses it, as it refuses a change of the incident's own fields. (Without an office
    authority no PC's changes are checked: a tampered app would leave out what it knew.)"""
    from models.incidents.entities import InquiryRow
    from models.incidents.media_entities import MediaItemRow
    from tests.sync.test_sync_basic import _archived_on_a_while_b_edits

    a, b, c = pcs
    found_office(pcs, share, tmp_path / "authority.pem")
    incident = _archived_on_a_while_b_edits(pcs, share, lambda _b, _i: None)
    sync_all(pcs, share)
    now = utcnow()
    rows = {
        "decision": lambda: DecisionRow(incident_id=incident, decided_at=now,
                                        decided_by="王主秘", post="secretary",
                                        acting_for="", decision="封存後的決定",
                                        recorded_by=HEAD.name),
        "task": lambda: ActionRow(incident_id=incident, description="封存後的任務",
                                  group_key="handling", status="planned"),
        "media": lambda: MediaItemRow(incident_id=incident, outlet="x", channel="online_news",
                                      seen_at=now - timedelta(minutes=5), headline="封存後",
                                      tone="negative", reach="high", updated_by=HEAD.name),
        "inquiry": lambda: InquiryRow(incident_id=incident, rep_kind="legislator",
                                      rep_name="封存後", channel="phone",
                                      received_at=now - timedelta(minutes=5), request="r",
                                      updated_by=HEAD.name),
        "situation_report": lambda: SituationReportRow(
            incident_id=incident, number=9, level_key="low", snapshot="{}",
            next_steps="封存後", entered_at=now, entered_by=HEAD.name, role=HEAD.role.value),
        "watch_review": lambda: WatchReviewRow(
            incident_id=incident, reviewed_at=now, seen="封存後",
            next_review=date.today() + timedelta(days=3), entered_at=now,
            entered_by=HEAD.name, role=HEAD.role.value),
        "attachment": lambda: AttachmentRow(
            incident_id=incident, record_kind="incident", record_id=incident,
            sha256="0" * 64, filename="x.png", size=1, caption="封存後",
            attached_by=HEAD.name, role=HEAD.role.value),
    }
    with b.db.session() as session:
        row = rows[kind]()
        session.add(row)
        session.flush()
        table, row_id = row.__tablename__, row.id
    sync(b, share)
    sync(c, share)

    from tests.sync.conftest import conflicts
    with c.db.session() as session:
        present = session.get(type(row), row_id) is not None
    assert not present, (f"{table} added to the archived case; flagged: "
                         f"{[x for x in conflicts(c) if x[1] == row_id]}, "
                         f"refused: {refusal_reasons(c, table)}")
