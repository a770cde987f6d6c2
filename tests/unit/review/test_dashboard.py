"""What needs each person now (the home screen's items): the same records give the legal
group a statement to review, the spokesperson one to approve, a signer the reports to sign,
a unit head only their unit's corrective actions; example cases give nobody anything."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from models.drills.entities import DrillRow
from models.drills.reports.entities import DrillReportEventRow, DrillReportRow
from models.incidents.entities import (
    CorrectiveActionRow,
    StatementEventRow,
    StatementRow,
    StatementVersionRow,
)
from models.org.people import Actor, Role
from models.review.dashboard import Needs, what_needs_me
from models.storage.db import Database
from tests.review_data import corrective, incident, notify

NOW = datetime(2026, 12, 7, 2, tzinfo=UTC)
TODAY = date(2026, 12, 7)


def statement(db: Database, incident_id: str, title: str, events: tuple[str, ...]) -> None:
    with db.session() as session:
        row = StatementRow(incident_id=incident_id, kind="statement", title=title)
        session.add(row)
        session.flush()
        session.add(StatementVersionRow(statement_id=row.id, number=1, text="說明",
                                        entered_by="公關組"))
        for event in events:
            session.add(StatementEventRow(statement_id=row.id, version_number=1, event=event,
                                          event_at=NOW, entered_by="法務組"))


@pytest.fixture
def records(db: Database) -> Database:
    case = incident(db, "貨櫃夾藏加熱菸", NOW - timedelta(hours=2), "high", unit="ops1")
    notify(db, case, NOW - timedelta(hours=1), outcome="left_message")  # late: 10 minutes
    statement(db, case, "澄清稿", ())
    statement(db, case, "新聞稿", ("legal_review",))
    statement(db, case, "已發布", ("legal_review", "approved", "released"))
    corrective(db, case, NOW, TODAY + timedelta(days=7), None)  # ops1's, due soon
    other = incident(db, "他組案件", NOW - timedelta(days=40), "low", unit="ops2",
                     archived=NOW - timedelta(days=30))
    corrective(db, other, NOW - timedelta(days=30), TODAY - timedelta(days=1), None)  # overdue
    corrective(db, other, NOW - timedelta(days=30), TODAY + timedelta(days=60), None)  # later
    example = incident(db, "示範用甲案", NOW - timedelta(hours=1), "high", example=True)
    notify(db, example, NOW - timedelta(hours=1), outcome="left_message")
    with db.session() as session:
        drill = DrillRow(office_code="keelung", month=date(2026, 11, 1), unit_key="ops2",
                         category_key="clearance", status="reported")
        session.add(drill)
        session.flush()
        session.add(DrillReportRow(drill_id=drill.id, status="submitted"))
    return db


def needs(db: Database, actor: Actor) -> Needs:
    return what_needs_me(db, "keelung", actor, NOW, TODAY, 10)


def test_a_unit_head_sees_the_incident_and_their_units_actions(records: Database) -> None:
    mine = needs(records, Actor("陳組長", Role.UNIT_HEAD, "ops1"))
    assert [i.title for i in mine.incidents] == ["貨櫃夾藏加熱菸"]  # no example case
    assert [n.title for n in mine.late_notices] == ["貨櫃夾藏加熱菸"]
    # a message left an hour after learning of it, never acknowledged: nobody told in time
    assert [r.incident.title for r in mine.late_reporting] == ["貨櫃夾藏加熱菸"]
    # high level, learned of two hours ago, no situation report yet: one was due after an hour
    assert [(r.incident.title, r.late) for r in mine.reports_due] == [("貨櫃夾藏加熱菸", True)]
    assert [g.incident.title for g in mine.gaps] == ["貨櫃夾藏加熱菸"]
    assert mine.gaps[0].stage == 1 and mine.gaps[0].count >= len(mine.gaps[0].missing) > 0
    assert [a.unit_key for a in mine.actions] == ["ops1"]
    assert (mine.statements, mine.sign_offs, mine.overdue_units) == ((), (), ())


def test_statements_wait_for_those_who_may_act_on_them(records: Database) -> None:
    legal = needs(records, Actor("林法務", Role.UNIT_HEAD, "legal", posts=("legal",)))
    assert [(s.statement_title, s.step) for s in legal.statements] == [("澄清稿", "legal_review")]
    spokesperson = needs(records, Actor("李總指揮", Role.COMMANDER))
    assert [(s.statement_title, s.step) for s in spokesperson.statements] == [
        ("新聞稿", "approved")]


def test_signers_see_the_reports_and_the_office_wide_follow_up(records: Database) -> None:
    secretary = needs(records, Actor("周執秘", Role.SECRETARY, "secretariat"))
    assert [(s.kind, s.unit_key) for s in secretary.sign_offs] == [("report", "ops2")]
    assert sorted(a.unit_key for a in secretary.actions) == ["ops1", "ops2"]  # not the later one
    assert secretary.overdue_units  # every unit never drilled
    assert secretary.count() == (len(secretary.late_notices) + len(secretary.gaps)
                                 + len(secretary.sign_offs) + len(secretary.actions)
                                 + len(secretary.overdue_units)
                                 + len(secretary.late_reporting)
                                 + sum(1 for r in secretary.reports_due if r.late)
                                 + len(secretary.late_evaluations))
    # November's drill, held on the 1st with no evaluation: due by 1 December, overdue
    assert [e.unit_key for e in secretary.late_evaluations] == ["ops2"]


def test_a_report_the_secretary_signed_already_waits_only_for_the_commander(
        records: Database) -> None:
    with records.session() as session:
        report = session.scalars(select(DrillReportRow)).one()
        session.add(DrillReportEventRow(report_id=report.id, version_number=report.version,
                                        kind="submitted", as_role="", name="林企劃",
                                        entered_by="林企劃", role="planning"))
        session.add(DrillReportEventRow(report_id=report.id, version_number=report.version,
                                        kind="signed", as_role="secretary", name="周執秘",
                                        entered_by="周執秘", role="secretary"))
    assert needs(records, Actor("周執秘", Role.SECRETARY, "secretariat")).sign_offs == ()
    assert [s.kind for s in needs(records, Actor("李總指揮", Role.COMMANDER)).sign_offs] == [
        "report"]


def test_an_action_owned_by_my_unit_is_mine_whatever_case_it_came_from(
        records: Database) -> None:
    case = incident(records, "別組的案件", NOW - timedelta(days=5), "low", unit="ops1")
    with records.session() as session:
        session.add(CorrectiveActionRow(incident_id=case, description="改由業務二組辦理",
                                        owner="業務 二組", due=TODAY, status="open"))
    head = needs(records, Actor("黃組長", Role.UNIT_HEAD, "ops2"))
    assert "改由業務二組辦理" in [a.description for a in head.actions]


def test_one_incident_another_pc_wrote_oddly_hides_nothing_else(records: Database) -> None:
    odd = incident(records, "新版本的等級", NOW - timedelta(hours=1), "zzz_level")
    mine = needs(records, Actor("陳組長", Role.UNIT_HEAD, "ops1"))
    assert odd in [i.id for i in mine.incidents]
    assert [g.incident.title for g in mine.gaps] == ["貨櫃夾藏加熱菸"]
    assert mine.late_notices  # the rest is all there
