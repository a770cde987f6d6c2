"""A case marked 密 or above is flagged in the two lists of cases that showed it bare: the
incident window's "past cases of this category" (stage 1's lessons from earlier cases, also
in the new-incident wizard) and the Statistics screen's annual review, which lists the
year's cases. Screenshots in test-artifacts/."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from models.drills.kinds import taipei_today
from models.incidents.entities import IncidentRow
from models.storage.db import Database, utcnow
from tests.helpers import incident_open, run_on_worker, snap, window_at_home
from tests.review_data import incident, utc
from ui.review.screen import ReviewScreen
from ui.runtime.context import AppContext

TIMEOUT = 10000


def _classify(db: Database, incident_id: str) -> None:
    """As the act wrote it before the case was archived (an archived case is locked)."""
    with db.session() as session:
        row = session.get(IncidentRow, incident_id)
        assert row is not None
        row.doc_classification, row.doc_declassify = "confidential", "本案結案後解密"


def test_a_classified_past_case_is_flagged_among_the_lessons(
        qtbot: QtBot, ctx: AppContext, artifacts: Path) -> None:
    def cases(db: Database) -> str:
        now = utcnow()
        secret = incident(db, "查緝情資外洩", now - timedelta(days=90), "high",
                          archived=now - timedelta(days=60))
        incident(db, "快遞貨物查獲毒品", now - timedelta(days=40), "medium",
                 archived=now - timedelta(days=30))
        _classify(db, secret)
        return incident(db, "貨櫃夾藏加熱菸", now - timedelta(hours=3), "medium")

    case = run_on_worker(qtbot, ctx, cases)
    win = window_at_home(qtbot, ctx, (1280, 900))
    screen = incident_open(qtbot, win, case, timeout=TIMEOUT)
    past = screen.workspace.history.cases
    qtbot.waitUntil(lambda: past.count() == 2, timeout=TIMEOUT)
    texts = [past.item(i).text() for i in range(past.count())]
    [secret] = [t for t in texts if "查緝情資外洩" in t]
    [plain] = [t for t in texts if "快遞貨物查獲毒品" in t]
    assert "【機密】查緝情資外洩" in secret and "【" not in plain
    snap(screen.workspace.history, artifacts / "classified_lessons_zh.png")


def test_a_classified_case_is_flagged_in_the_annual_review_on_screen(
        qtbot: QtBot, ctx: AppContext, artifacts: Path) -> None:
    year = taipei_today().year

    def cases(db: Database) -> None:
        _classify(db, incident(db, "查緝情資外洩", utc(year, 1, 10, 2), "high"))
        incident(db, "快遞貨物查獲毒品", utc(year, 1, 12, 2), "medium")

    run_on_worker(qtbot, ctx, cases)
    screen = ReviewScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1100, 800)
    screen.show()
    with qtbot.waitSignal(screen.loaded, timeout=20000):
        screen.load()
    text = screen.view.toPlainText()
    assert "【機密】查緝情資外洩" in text
    assert "快遞貨物查獲毒品" in text and "【機密】快遞貨物查獲毒品" not in text
    snap(screen, artifacts / "classified_review_zh.png")
