"""Print preview figures (issue 16): from the click on Print to the first page of the form
painted in the preview, for the first print since the app started and warm (median of a few),
measured on the real app in a separate process, offscreen.

Each run is a child process that starts CrisisDesk the way `main.py` does (so whatever the app
does after start-up, such as warming the printing, happens as it would for a user) on a copy
of a data folder holding one open incident, opens that incident on the incidents screen,
then triggers the real "Print ▸ Notification form" action of its workspace (what a click in
the menu does) and times until the preview's first page image has been painted (an event
filter on the application sees the page's paint; the time is taken on the next turn of the
event loop, once the paint is done). The first print is clicked when the incident is on
screen, but not before FIRST_CLICK_S after the process started: nobody reaches an
incident's Print menu faster. It is the one-page notification form in half of the runs and
the case file (several pages) in the other half. Then the notification form is printed warm
WARM_REPEATS times (the previous preview closed), and the case file as often.

`measure(base=...)` runs the children of two source trees interleaved (a worktree of the
base commit, e.g. `git worktree add /tmp/base a775f57`, and this one), so both see the same
machine load; the child imports the app from the tree it is given. benchmarks/run.py takes
the base tree from the environment variable BENCH_BASE_TREE.

    .venv/bin/python benchmarks/preview.py [BASE_TREE]
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WARM_REPEATS = 5
ROUNDS = 3
FIRST_CLICK_S = 2.5
"""The first Print is clicked no earlier than this after the process started: from the
window's appearing, a user needs at least four clicks (Incidents, the incident, Print, the
form) to get there."""
TIMELINE_ENTRIES = 60
"""Entries in the incident's timeline: enough for a case file of several pages."""
TIMEOUT_S = 60


# --- the data folder (made once with this tree's models, copied for every run) -------------

def seed(data_dir: Path) -> str:
    """A data folder with saved settings, today's backup already made (an everyday start)
    and one open incident with a timeline; returns the incident's id."""
    sys.path.insert(0, str(ROOT))
    import json as jsonlib
    from datetime import date, timedelta

    from models.incidents.actions import IncidentDraft, open_incident
    from models.incidents.entities import TimelineRow
    from models.org.people import Role
    from models.org.settings import Settings, save_settings
    from models.startup import open_data_dir
    from models.storage.backups import daily_backup
    from models.storage.db import utcnow
    from models.storage.names import DATABASE_FILE

    settings = Settings(user_name="benchmark", unit_key="ops1", role=Role.UNIT_HEAD)
    save_settings(data_dir, settings)
    db = open_data_dir(data_dir, settings.office_code)
    start = utcnow() - timedelta(days=1)
    incident_id = open_incident(db, settings.actor(), settings.office_code, IncidentDraft(
        title="旅客行李夾藏非洲豬瘟疫區肉品", summary="入境旅客行李經X光儀查獲未申報肉製品。",
        started_at=start, location="桃園機場第二航廈", reporting_unit="",
        source="media", category_key="clearance", subtype_key="", scope="",
        level_key="medium", suggested_level="medium"))
    with db.session() as session:
        for i in range(TIMELINE_ENTRIES):
            session.add(TimelineRow(
                incident_id=incident_id, kind="report",
                data=jsonlib.dumps({"text": f"第{i + 1}次回報：已會同防檢署採樣，持續追蹤檢驗結果。"},
                                   ensure_ascii=False),
                event_at=start + timedelta(minutes=10 * i), author="benchmark",
                role="unit_head"))
    db.close()
    daily_backup(data_dir / DATABASE_FILE, date.today())
    return incident_id


# --- the child: the real app, timed from inside ------------------------------------------

def _child(tree: Path, data_dir: Path, incident_id: str, first: str) -> dict[str, Any]:
    here = str(Path(__file__).resolve().parent)
    sys.path[:] = [str(tree)] + [p for p in sys.path if p != here]
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QApplication, QWidget

    started = time.perf_counter()
    app = QApplication(sys.argv[:1])
    result: dict[str, Any] = {"warm_ms": [], "case_file_ms": []}
    plan = [first] + ["notification"] * WARM_REPEATS + ["case_file"] * WARM_REPEATS

    class Probe(QObject):
        """Finds the window, opens the incident, prints, and sees the first page painted."""

        def __init__(self) -> None:
            super().__init__()
            self.window: Any = None
            self.clicked = 0.0
            self.waiting = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
            kind = event.type()
            if (kind == QEvent.Type.Show and self.window is None
                    and obj.objectName() == "main_window"):
                self.window = obj
                QTimer.singleShot(0, self.until_ready)
            elif (kind == QEvent.Type.Paint and self.waiting
                  and type(obj).__name__ == "PageView"
                  and getattr(obj, "image", None) is not None):
                dialog = obj.window()  # type: ignore[attr-defined]  # a QWidget
                views = getattr(dialog, "views", None)
                if views and obj is views[0]:
                    self.waiting = False
                    QTimer.singleShot(0, lambda: self.painted(dialog))
            return False

        def until_ready(self) -> None:
            """Poll (the app's start-up is not ours to hook): the screens are built and
            the database is open."""
            window = self.window
            if not window.screens or not window.ctx.worker.ready:
                QTimer.singleShot(10, self.until_ready)
                return
            incidents = window.screens["incidents"]
            window.go_to("incidents")
            incidents.workspace.ctrl.loaded.connect(self.opened)
            incidents.open_incident(incident_id)

        def opened(self, _view: object) -> None:
            workspace = self.window.screens["incidents"].workspace
            workspace.ctrl.loaded.disconnect(self.opened)
            wait = FIRST_CLICK_S - (time.perf_counter() - started)
            result["incident_open_s"] = time.perf_counter() - started
            QTimer.singleShot(max(0, round(wait * 1000)), self.click)

        def click(self) -> None:
            workspace = self.window.screens["incidents"].workspace
            action = workspace.findChild(QAction, f"print_{plan[0]}")
            self.waiting = True
            if "first_ms" not in result:
                result["first_click_s"] = time.perf_counter() - started
            self.clicked = time.perf_counter()
            action.trigger()

        def painted(self, dialog: QWidget) -> None:
            ms = (time.perf_counter() - self.clicked) * 1000
            kind = plan.pop(0)
            if "first_ms" not in result:
                result["first_ms"] = ms
            else:
                result["warm_ms" if kind == "notification" else "case_file_ms"].append(ms)
            result.setdefault("pages", {})[kind] = len(dialog.views)  # type: ignore[attr-defined]
            dialog.close()
            if not plan:
                QTimer.singleShot(0, app.quit)
                return
            # Let the closed preview's leftovers settle (its page jobs, deletion) first.
            worker = self.window.ctx.worker
            worker.run("benchmark_settle", lambda _db: None,
                       lambda _none: QTimer.singleShot(100, self.click))

    probe = Probe()
    app.installEventFilter(probe)
    QTimer.singleShot(TIMEOUT_S * 1000, lambda: (result.setdefault("timeout", True), app.quit()))
    import main as crisisdesk

    crisisdesk.main(["--data-dir", str(data_dir)])
    return result


# --- the parent: interleaved runs of the trees -------------------------------------------

def _run(tree: Path, template: Path, incident_id: str, first: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(template, data)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        out = subprocess.run([sys.executable, __file__, "--child", str(tree), str(data),
                              incident_id, first], capture_output=True, text=True, env=env,
                             cwd=tree, timeout=TIMEOUT_S * 2)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode or not lines:
        raise RuntimeError(f"the preview benchmark's child failed in {tree}:\n{out.stderr}")
    found: dict[str, Any] = json.loads(lines[-1])
    if found.get("timeout"):
        raise RuntimeError(f"the preview benchmark's child timed out in {tree}: {found}")
    return found


def _summary(runs: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    def first(kind: str) -> float:
        return float(statistics.median(r["first_ms"] for f, r in runs if f == kind))

    return {
        "first_ms": first("notification"),
        "first_case_file_ms": first("case_file"),
        "warm_ms": statistics.median(ms for _f, r in runs for ms in r["warm_ms"]),
        "case_file_ms": statistics.median(ms for _f, r in runs for ms in r["case_file_ms"]),
        "first_click_s": statistics.median(r["first_click_s"] for _f, r in runs),
        "pages": runs[-1][1]["pages"],
        "runs": len(runs),
    }


def base_tree() -> Path | None:
    """The baseline's source tree named by BENCH_BASE_TREE, if any."""
    named = os.environ.get("BENCH_BASE_TREE")
    return Path(named) if named else None


def measure(base: Path | None = None, rounds: int = ROUNDS) -> dict[str, Any]:
    """Median figures of *rounds* runs of this tree, and of *base* (a source tree of another
    commit) interleaved with them when given."""
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "template"
        template.mkdir()
        incident_id = subprocess.run(
            [sys.executable, __file__, "--seed", str(template)], capture_output=True,
            text=True, check=True, cwd=ROOT).stdout.strip().splitlines()[-1]
        trees = {"after": ROOT} if base is None else {"before": base, "after": ROOT}
        runs: dict[str, list[tuple[str, dict[str, Any]]]] = {name: [] for name in trees}
        for _round in range(rounds):
            for first in ("notification", "case_file"):
                for name, tree in trees.items():
                    runs[name].append((first, _run(tree, template, incident_id, first)))
    return {name: _summary(found) for name, found in runs.items()}


if __name__ == "__main__":
    if sys.argv[1:2] == ["--seed"]:
        print(seed(Path(sys.argv[2])))
    elif sys.argv[1:2] == ["--child"]:
        print(json.dumps(_child(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4],
                                sys.argv[5])), flush=True)
    else:
        print(json.dumps(measure(Path(sys.argv[1]) if len(sys.argv) > 1 else base_tree()),
                         indent=1))
