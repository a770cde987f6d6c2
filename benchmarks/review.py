"""The home screen and the annual review (issue 17: ≤ 100 ms median on the worker), over ten
years of a busy office: 2,000 incidents (each with two notification attempts, an
acknowledgement, a released statement, its stage 2 meeting and lessons, and a corrective
action, done unless of the last year; the last OPEN_NOW incidents still open) and 500 drills
with their evaluations, in one data folder.

Measured, each the median of REPEATS runs after one warm-up, in the process that made the data:
- what needs the executive secretary now (models.review.dashboard.what_needs_me: the home
  screen's job on the worker);
- the figures of the last year (models.review.figures.annual_figures);
- the report made of them (models.review.report.load_review: figures, playbook, units);
- the Statistics screen's whole job on the worker: the report and each chart's picture as
  pixels (ui/review/screen.py `_read`).
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEARS = 10
INCIDENTS = 2000
DRILLS = 500
REPEATS = 15
OPEN_NOW = 5
LAST_YEAR = 2026


def _fill(db: Any) -> None:
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
    )
    from models.org.units import list_units

    rng = random.Random(17)
    units = [u.key for u in list_units(db, "keelung")]
    categories = ["clearance", "public_opinion", "legislator", "emergency"]
    first = datetime(LAST_YEAR - YEARS + 1, 1, 1, tzinfo=UTC)
    span = (datetime(LAST_YEAR, 12, 1, tzinfo=UTC) - first).total_seconds()
    with db.session() as session:
        for n in range(INCIDENTS):
            start = first + timedelta(seconds=rng.uniform(0, span))
            if n >= INCIDENTS - OPEN_NOW:  # handled right now
                start = datetime(LAST_YEAR, 12, 7, tzinfo=UTC) - timedelta(hours=n % 7 + 1)
            row = IncidentRow(office_code="keelung", title=f"事件{n}", started_at=start,
                              source=rng.choice(["media", "internal", "public"]),
                              category_key=rng.choice(categories), level_key=rng.choice(
                                  ["high", "medium", "medium", "low"]),
                              reporting_unit=rng.choice(units),
                              **({"status": "open"} if n >= INCIDENTS - OPEN_NOW else {
                                  "status": "archived",
                                  "archived_at": start + timedelta(days=rng.uniform(1, 20))}))
            session.add(row)
            session.flush()
            for minutes, outcome in ((5, "no_answer"), (rng.uniform(6, 40), "reached")):
                note = NotificationRow(incident_id=row.id, target_group="commander",
                                       recipient="李總指揮", means="phone", outcome=outcome,
                                       notified_at=start + timedelta(minutes=minutes),
                                       entered_by="陳組長", role="unit_head")
                session.add(note)
            session.flush()
            session.add(AcknowledgementRow(notification_id=note.id, entered_by="陳組長",
                                           acked_at=note.notified_at + timedelta(minutes=9)))
            statement = StatementRow(incident_id=row.id, kind="statement", title="新聞稿")
            session.add(statement)
            session.flush()
            session.add(StatementEventRow(statement_id=statement.id, version_number=1,
                                          event="released", entered_by="公關組",
                                          event_at=start + timedelta(hours=3)))
            meeting = (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
            session.add(IncidentFieldRow(incident_id=row.id, key="s2.meeting_at", value=meeting))
            session.add(IncidentFieldRow(incident_id=row.id, key="s6.lessons", value="檢討" * 40))
            session.add(CorrectiveActionRow(incident_id=row.id, description="改善", owner="查驗課",
                                            due=(start + timedelta(days=30)).date(),
                                            # followed up: the older ones are done
                                            status="done" if start.year < LAST_YEAR
                                            else rng.choice(["open", "done"]),
                                            created_at=start + timedelta(days=2),
                                            updated_at=start + timedelta(days=rng.uniform(3, 60))))
        for n in range(DRILLS):
            held = first + timedelta(seconds=rng.uniform(0, span))
            drill = DrillRow(office_code="keelung", month=date(held.year, held.month, 1),
                             unit_key=rng.choice(units), category_key=rng.choice(categories),
                             status="evaluated", held_at=held)
            session.add(drill)
            session.flush()
            report = DrillReportRow(drill_id=drill.id, status="signed")
            session.add(report)
            session.flush()
            evaluation = DrillEvaluationRow(
                drill_id=drill.id, report_id=report.id, report_version=1, status="signed",
                ratings=json.dumps({str(s): rng.randint(1, 4) for s in range(1, 7)}))
            session.add(evaluation)
            session.flush()
            session.add(DrillCorrectiveActionRow(evaluation_id=evaluation.id, description="加強",
                                                 owner="業務一組",
                                                 due=(held + timedelta(days=60)).date(),
                                                 status="done" if held.year < LAST_YEAR
                                                 else "open",
                                                 created_at=held + timedelta(days=5),
                                                 updated_at=held + timedelta(days=5)))


def _median_ms(fn: Any) -> float:
    fn()  # warm-up: the first run also loads the modules
    times = []
    for _ in range(REPEATS):
        begin = time.perf_counter()
        fn()
        times.append((time.perf_counter() - begin) * 1000)
    return statistics.median(times)


def measure() -> dict[str, float]:
    from i18n import set_language
    from models.org.people import Actor, Role
    from models.review.dashboard import what_needs_me
    from models.review.figures import annual_figures
    from models.review.report import load_review
    from models.startup import open_data_dir
    from ui.review.screen import _read

    set_language("zh_TW")
    today = date(LAST_YEAR, 12, 7)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_data_dir(Path(tmp) / "data", "keelung")
        try:
            _fill(db)
            figures = annual_figures(db, "keelung", LAST_YEAR, today)
            secretary = Actor("周執秘", Role.SECRETARY, "secretariat")
            now = datetime(LAST_YEAR, 12, 7, 8, tzinfo=UTC)
            needs = what_needs_me(db, "keelung", secretary, now, today, 10)
            result = {
                "open_incidents": float(len(needs.incidents)),
                "home_ms": _median_ms(
                    lambda: what_needs_me(db, "keelung", secretary, now, today, 10)),
                "incidents_in_year": float(figures.incidents),
                "figures_ms": _median_ms(
                    lambda: annual_figures(db, "keelung", LAST_YEAR, today)),
                "report_ms": _median_ms(
                    lambda: load_review(db, "keelung", LAST_YEAR, today, "Asia/Taipei")),
                "screen_job_ms": _median_ms(
                    lambda: _read(db, "keelung", "Asia/Taipei", LAST_YEAR)),
            }
        finally:
            db.close()
    return result


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))
