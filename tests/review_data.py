"""Records for the annual review's tests, written straight into the tables with the times a
test needs (the acts would stamp them now): a year of incidents and drills whose figures the
tests know (models/review/figures.py)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from models.drills.entities import DrillRow
from models.drills.reports.entities import (
    DrillCorrectiveActionRow,
    DrillEvaluationRow,
    DrillReportRow,
)
from models.incidents.entities import (
    AcknowledgementRow,
    CorrectiveActionRow,
    IncidentFieldRow,
    IncidentRow,
    NotificationRow,
    StatementEventRow,
    StatementRow,
    TimelineRow,
)
from models.storage.db import Database

TODAY = date(2026, 12, 7)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def incident(db: Database, title: str, start: datetime, level: str, *, category: str =
             "clearance", subtype: str = "", unit: str = "ops1", source: str = "internal",
             archived: datetime | None = None, example: bool = False) -> str:
    with db.session() as session:
        row = IncidentRow(office_code="keelung", title=title, started_at=start, source=source,
                          category_key=category, subtype_key=subtype, level_key=level,
                          reporting_unit=unit, is_example=example,
                          status="archived" if archived else "open", archived_at=archived)
        session.add(row)
        session.flush()
        if archived is not None:  # as archiving (and an import) writes it
            session.add(TimelineRow(incident_id=row.id, kind="archived", event_at=archived,
                                    author="陳組長", role="unit_head"))
        return str(row.id)


def notify(db: Database, incident_id: str, at: datetime, *, outcome: str = "reached",
           acked: datetime | None = None, acting_for: str = "") -> None:
    with db.session() as session:
        note = NotificationRow(incident_id=incident_id, target_group="commander",
                               recipient="王代理" if acting_for else "李總指揮",
                               acting_for=acting_for, means="phone", outcome=outcome,
                               notified_at=at, entered_by="陳組長", role="unit_head")
        session.add(note)
        session.flush()
        if acked is not None:
            session.add(AcknowledgementRow(notification_id=note.id, acked_at=acked,
                                           entered_by="陳組長"))


def field(db: Database, incident_id: str, key: str, value: str) -> None:
    with db.session() as session:
        session.add(IncidentFieldRow(incident_id=incident_id, key=key, value=value))


def released(db: Database, incident_id: str, at: datetime) -> None:
    with db.session() as session:
        statement = StatementRow(incident_id=incident_id, kind="clarification", title="說明")
        session.add(statement)
        session.flush()
        for event, moment in (("legal_review", at - timedelta(minutes=30)),
                              ("released", at), ("released", at + timedelta(hours=2))):
            session.add(StatementEventRow(statement_id=statement.id, version_number=1,
                                          event=event, event_at=moment, entered_by="公關組"))


def corrective(db: Database, incident_id: str, opened: datetime, due: date | None,
               done: datetime | None) -> None:
    with db.session() as session:
        session.add(CorrectiveActionRow(
            incident_id=incident_id, description="修訂查驗作業流程", owner="查驗課",
            due=due, status="done" if done else "open", created_at=opened,
            updated_at=done or opened))


def drill(db: Database, unit: str, held: datetime, category: str,
          ratings: dict[int, int] | None = None,
          action: tuple[datetime, date, datetime | None] | None = None,
          evaluation: str = "signed") -> None:
    with db.session() as session:
        row = DrillRow(office_code="keelung", month=date(held.year, held.month, 1),
                       unit_key=unit, category_key=category, status="evaluated",
                       held_at=held)
        session.add(row)
        session.flush()
        report = DrillReportRow(drill_id=row.id, status="signed")
        session.add(report)
        session.flush()
        evaluated = DrillEvaluationRow(drill_id=row.id, report_id=report.id, report_version=1,
                                       status=evaluation, ratings=json.dumps(
                                            {str(k): v for k, v in (ratings or {}).items()}))
        session.add(evaluated)
        session.flush()
        if action is not None:
            opened, due, done = action
            session.add(DrillCorrectiveActionRow(
                evaluation_id=evaluated.id, description="加強通報演練", owner="業務一組",
                due=due, status="done" if done else "open", created_at=opened,
                updated_at=done or opened))


def make_year(db: Database) -> None:
    """The made-up year 2026 (ROC 115) every test of this module knows the answers of."""
    # A: high (raised from medium mid-way), a deputy acknowledges, the whole procedure run.
    a = incident(db, "貨櫃夾藏加熱菸", utc(2026, 3, 10, 2), "high", subtype="",
                 archived=utc(2026, 3, 13, 2))
    with db.session() as session:
        session.add(TimelineRow(incident_id=a, kind="level", event_at=utc(2026, 3, 10, 3),
                                data=json.dumps({"from": "medium", "to": "high",
                                                 "reason": "媒體關注"}),
                                author="陳組長", role="unit_head"))
    notify(db, a, utc(2026, 3, 10, 2, 12), acked=utc(2026, 3, 10, 2, 20), acting_for="李總指揮")
    field(db, a, "s2.meeting_at", "2026-03-10T03:00:00Z")
    field(db, a, "s6.lessons", "夜間通報名冊須每月更新")
    released(db, a, utc(2026, 3, 10, 5))
    corrective(db, a, utc(2026, 3, 13, 1), date(2026, 4, 1), utc(2026, 5, 1))  # done late
    corrective(db, a, utc(2026, 3, 13, 1), date(2026, 6, 1), None)  # open, overdue
    # B: medium; the first call reached nobody, the second did, never acknowledged.
    b = incident(db, "輿情：網路謠言", utc(2026, 7, 1, 1), "medium", category="public_opinion",
                 subtype="po_1", unit="ops2", source="media")
    notify(db, b, utc(2026, 7, 1, 1, 5), outcome="no_answer")
    notify(db, b, utc(2026, 7, 1, 1, 30))
    corrective(db, b, utc(2026, 7, 2), None, utc(2026, 7, 20))  # done, no due: on time
    # C: medium, New Year's Eve 23:00 in Taipei, archived in 2027: counted in 2026.
    c = incident(db, "跨年夜港區事故", utc(2026, 12, 31, 15), "medium", category="emergency",
                 subtype="em_1", archived=utc(2027, 1, 5, 15))
    notify(db, c, utc(2026, 12, 31, 15, 10), acked=utc(2026, 12, 31, 15, 40))
    # Not 2026's: 04:00 on 1 January 2027 in Taipei, though 31 December in UTC.
    incident(db, "元旦清晨", utc(2026, 12, 31, 20), "low")
    # Not counted: an example case of 2026.
    incident(db, "範例案件", utc(2026, 5, 5, 5), "high", example=True)
    # Drills: ops1 in October, then March and August (kept the half-year rule); ops2 in
    # January only.
    drill(db, "ops1", utc(2025, 10, 1, 2), "emergency")
    drill(db, "ops1", utc(2026, 3, 20, 2), "clearance", {1: 3, 2: 4},
          action=(utc(2026, 3, 25), date(2026, 5, 1), utc(2026, 4, 20)))
    drill(db, "ops1", utc(2026, 8, 20, 2), "emergency", {1: 2})
    drill(db, "ops2", utc(2026, 1, 15, 2), "clearance", {1: 4})
    drill(db, "ops2", utc(2025, 9, 15, 2), "legislator")  # last year's
