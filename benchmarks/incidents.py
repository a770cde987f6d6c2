"""Incident response figures (issue 4), measured on the real widgets and the real database:

- the user interactions from "New incident" to the first notification recorded (target ≤ 12),
  counted while a script drives the wizard the way a unit head would;
- opening an incident with 1,000 timeline entries from the incident list (issue 16: target
  ≤ 120 ms), from the double-click until it is loaded on the worker, every stage page, the
  timeline and the lessons of its category are filled and the event loop has painted them;
- switching stages on that incident (target ≤ 30 ms median), from the click on the stage rail
  until the event loop is idle again with the page on screen;
- case search over 10,000 archived cases (target ≤ 50 ms median), for a long Chinese term
  (trigram index), a two-character term (scan), an English term, and a filtered query.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWizard  # noqa: E402

from models.core.ids import new_id  # noqa: E402
from models.org.people import Role  # noqa: E402
from models.org.settings import Settings, save_settings  # noqa: E402
from models.startup import open_data_dir  # noqa: E402
from models.storage.db import utcnow  # noqa: E402

SETTINGS = Settings(user_name="benchmark", unit_key="ops1", role=Role.UNIT_HEAD)


def _wait(signal: Any, timeout_ms: int = 20000, accept: Any = None) -> list[Any]:
    """Run the event loop until *signal* fires (with arguments *accept* approves)."""
    loop = QEventLoop()
    got: list[Any] = []

    def fired(*args: Any) -> None:
        if accept is None or accept(*args):
            got.extend(args)
            loop.quit()

    signal.connect(fired)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(fired)
    return got


def _context(data_dir: Path) -> Any:
    from ui.runtime.context import AppContext
    from ui.runtime.language import apply_language
    from ui.runtime.worker import DbWorker

    save_settings(data_dir, SETTINGS)
    apply_language(SETTINGS.language)
    worker = DbWorker()
    ctx = AppContext(data_dir, SETTINGS, worker)
    worker.open(lambda: open_data_dir(data_dir, SETTINGS.office_code),
                ctx.database_ready.emit, print)
    _wait(ctx.database_ready)
    return ctx


def interactions_to_first_notification(data_dir: Path) -> dict[str, Any]:
    """Drive the real screens; every click, choice or typed field is one interaction."""
    from ui.incidents.escalation import NotifyDialog
    from ui.incidents.list_screen import IncidentsScreen
    from ui.incidents.new_incident import NewIncidentWizard

    ctx = _context(data_dir)
    screen = IncidentsScreen(ctx)
    screen.resize(1400, 900)
    screen.show()
    screen.load()
    _wait(ctx.worker.finished, accept=lambda name: name == "list_incidents")
    steps: list[str] = []
    start = time.perf_counter()

    def step(name: str) -> None:
        steps.append(name)

    screen.new_button.click()
    step("click New incident")
    wizard = screen.findChild(NewIncidentWizard)
    wizard.title.setText("貨櫃夾藏加熱菸")
    step("type the subject")
    wizard.next()
    step("click Next")
    wizard.category.setCurrentIndex(wizard.category.findData("clearance"))
    step("choose the category")
    wizard.next()
    step("click Next")
    wizard.findChild(type(wizard.impact.button(0)), "new_impact_office").click()
    step("answer whose business it affects")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    step("click Open the incident")
    _wait(screen.workspace.ctrl.loaded)
    escalation = screen.workspace.pages[0].findChild(object, "escalation")
    holder = next(b for (_m, deputy), b in escalation.notify_buttons.items() if not deputy)
    holder.click()
    step("click Notify… on the person to tell")
    dialog = next(d for d in screen.workspace.findChildren(NotifyDialog) if d.isVisible())
    dialog.accept()
    step("click Save (means and time prefilled)")
    view = _wait(screen.workspace.ctrl.loaded)[0]
    elapsed = time.perf_counter() - start
    assert len(view.notifications) == 1
    screen.close()
    ctx.worker.shutdown()
    return {"count": len(steps), "steps": steps, "seconds": elapsed}


def _incident(db: Any, title: str, category_key: str, started_at: datetime) -> str:
    from models.incidents.actions import IncidentDraft, open_incident

    return open_incident(db, SETTINGS.actor(), "keelung", IncidentDraft(
        title=title, summary="", started_at=started_at, location="", reporting_unit="",
        source="media", category_key=category_key, subtype_key="", scope="",
        level_key="medium", suggested_level="medium"))


def _incident_with_timeline(data_dir: Path, entries: int) -> str:
    """An open incident whose timeline holds *entries* rows (written in one transaction)."""
    from models.incidents.entities import TimelineRow

    db = open_data_dir(data_dir, "keelung")
    start = utcnow() - timedelta(days=3)
    incident_id = _incident(db, "長時間處理之事件", "public_opinion", start)
    with db.session() as session:
        for i in range(entries - 2):
            session.add(TimelineRow(
                incident_id=incident_id, kind="report",
                data=json.dumps({"text": f"第{i}次回報：輿情持續發酵，已請公關股彙整。"},
                                ensure_ascii=False),
                event_at=start + timedelta(minutes=3 * i), author="benchmark",
                role="unit_head"))
    db.close()
    return incident_id


class _Painted(QObject):
    """Counts paint events anywhere in the application."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def _settle(app: Any, painted: _Painted) -> None:
    """Run the event loop until a turn of it paints nothing more: what was filled is on
    screen (a refit of the timeline's columns posted by the layout included)."""
    while True:
        before = painted.count
        app.processEvents()
        if painted.count == before:
            return


def _open(screen: Any, incident_id: str, app: Any, painted: _Painted) -> None:
    """What a double-click on the incident's row does, until the incident is loaded on the
    worker, every stage page, the timeline and the lessons of its category (a category other
    than the last incident's: its own query) are filled, and all of it is painted."""
    ws = screen.workspace
    loop = QEventLoop()
    waiting = {"load_incident", "category_history"}

    def finished(name: str) -> None:
        waiting.discard(name)
        if not waiting and ws.ctrl.view is not None and ws.ctrl.view.id == incident_id:
            loop.quit()

    ws.ctx.worker.finished.connect(finished)
    QTimer.singleShot(20000, loop.quit)
    screen.open_incident(incident_id)
    loop.exec()
    ws.ctx.worker.finished.disconnect(finished)
    assert not waiting, waiting
    _settle(app, painted)


def stage_switching(data_dir: Path, entries: int = 1000, rounds: int = 10,
                    opens: int = 5) -> dict[str, Any]:
    """Opening the incident with *entries* timeline entries from the incident list (after
    another incident of another category was open: *opens* times, untimed in between), then
    switching its stages *rounds* times round the rail."""
    from ui.incidents.list_screen import IncidentsScreen

    incident_id = _incident_with_timeline(data_dir, entries)
    db = open_data_dir(data_dir, "keelung")
    other_id = _incident(db, "另一事件", "clearance", utcnow() - timedelta(hours=2))
    db.close()
    ctx = _context(data_dir)
    app = QApplication.instance()
    painted = _Painted()
    app.installEventFilter(painted)
    screen = IncidentsScreen(ctx)
    screen.resize(1400, 900)
    screen.show()
    screen.load()
    _wait(ctx.worker.finished, accept=lambda name: name == "list_incidents")
    _settle(app, painted)
    ws = screen.workspace
    open_times = []
    for _open_round in range(opens):
        _open(screen, other_id, app, painted)
        screen.show_list()
        _wait(ctx.worker.finished, accept=lambda name: name == "list_incidents")
        _settle(app, painted)
        begin = time.perf_counter()
        _open(screen, incident_id, app, painted)
        open_times.append((time.perf_counter() - begin) * 1000)
        assert ws.ctrl.view is not None and len(ws.ctrl.view.timeline) == entries
        assert ws.timeline.model.rowCount() == entries
    times = []
    for _round in range(rounds):
        for row in (1, 2, 3, 4, 5, 0):
            begin = time.perf_counter()
            ws.rail.setCurrentRow(row)
            app.processEvents()  # paint the page
            times.append((time.perf_counter() - begin) * 1000)
    app.removeEventFilter(painted)
    screen.close()
    ctx.worker.shutdown()
    return {"median_ms": statistics.median(times), "max_ms": max(times),
            "switches": len(times), "open_ms": statistics.median(open_times),
            "open_first_ms": open_times[0], "opens": len(open_times)}


WORDS = ("加熱菸", "走私", "非洲豬瘟", "輿情", "颱風", "停電", "通關系統", "民意代表", "快遞貨物",
         "貨櫃", "查驗", "X光儀", "報關業者", "澄清稿", "記者會", "防檢署", "肉製品", "郵包")


FILLER = ("本關立即成立應變小組", "持續掌握後續發展", "並依規定通報執行秘書", "會同相關單位研商",
          "檢討作業流程", "對外說明處理情形", "加強宣導", "追蹤改善措施辦理情形", "召開協調會議",
          "蒐集相關資訊", "研判影響範圍", "妥適處理民眾陳情")


def _archive(data_dir: Path, cases: int) -> None:
    """*cases* archived incidents of about 1 KB of Chinese text each, indexed. Each case is
    about three of the topic words among common phrases, so a topic matches some cases, as
    in a real archive, not every one."""
    import random

    from sqlalchemy import text

    from models.incidents.entities import IncidentRow

    rng = random.Random(4)
    db = open_data_dir(data_dir, "keelung")
    base = datetime(2015, 1, 1, tzinfo=UTC)
    with db.session() as session:
        for n in range(cases):
            words = rng.sample(WORDS, 3)
            body = "，".join(rng.choice(words) + rng.choice(FILLER) for _ in range(40))
            started = base + timedelta(hours=9 * n)
            row = IncidentRow(
                id=new_id(), office_code="keelung", title=f"{words[0]}{words[1]}案第{n}號",
                summary=body, started_at=started, ended_at=started + timedelta(days=1),
                source="media", category_key=("clearance", "public_opinion", "legislator",
                                              "emergency")[n % 4],
                level_key=("high", "medium", "low")[n % 3], current_stage=6,
                status="archived", archived_at=started, updated_by="benchmark")
            session.add(row)
            session.flush()
            session.execute(text("INSERT INTO case_fts (incident_id, body) VALUES (:i, :b)"),
                            {"i": row.id, "b": f"{row.title}\n{body}"})
    db.close()


def case_search(data_dir: Path, cases: int = 10_000, repeats: int = 15) -> dict[str, Any]:
    from models.incidents.case_search import CaseQuery, search_cases

    _archive(data_dir, cases)
    db = open_data_dir(data_dir, "keelung")
    queries = {
        "three or more Chinese characters (非洲豬瘟)": CaseQuery(text="非洲豬瘟"),
        "two Chinese characters (走私)": CaseQuery(text="走私"),
        "English, any case (x光儀)": CaseQuery(text="x光儀"),
        "two terms and a category (加熱菸 報關業者, clearance)": CaseQuery(
            text="加熱菸 報關業者", category_key="clearance"),
        "filters only (public opinion, ROC year 110)": CaseQuery(
            category_key="public_opinion", roc_year=110),
    }
    results: dict[str, Any] = {}
    for name, query in queries.items():
        search_cases(db, "keelung", query)  # warm
        times = []
        for _ in range(repeats):
            begin = time.perf_counter()
            found = search_cases(db, "keelung", query)
            times.append((time.perf_counter() - begin) * 1000)
        results[name] = (statistics.median(times), len(found))
    db.close()
    return results


def measure() -> dict[str, Any]:
    app = QApplication.instance() or QApplication([])
    app.setQuitOnLastWindowClosed(False)
    from ui.runtime.fonts import install_ui_font

    install_ui_font(app)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        return {
            "interactions": interactions_to_first_notification(root / "a"),
            "stages": stage_switching(root / "b"),
            "search": case_search(root / "c"),
        }


if __name__ == "__main__":
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    print(json.dumps(measure(), ensure_ascii=False, indent=1, default=str))
