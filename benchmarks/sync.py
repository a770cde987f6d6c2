"""Sync figures (issue 6), measured in a child process with real data folders and one shared
folder on the local disk:

- 10,000 changes exported by one PC and imported by another (issue 16: ≤ 0.5 s and ≤ 1 s), and
  the same between two PCs of an office with an authority, each enrolled (issue 15: every
  change checked against the rules for the enrolled author; at most 10% more); after each
  import, its floor: SQLite alone inserting the same field versions (the import's baseline);
- a sync with nothing new against a database of 100,000 records (target ≤ 100 ms);
- 20 PCs converging (every PC edits, then sync rounds until all are equal).

The window's sync as the user feels it (gui_stall) is run by benchmarks/sync_stall.py,
interleaved with the base commit's.

The changes are timeline notes (8 fields each), as a long incident accumulates them.
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
sys.path.insert(0, str(ROOT))


def _pc(root: Path, name: str) -> Any:
    from models.startup import open_data_dir

    return open_data_dir(root / name, "keelung")


def _notes(db: Any, incident_id: str, count: int, batch: int = 10_000) -> None:
    from models.incidents.entities import TimelineRow
    from models.storage.db import utcnow

    for start in range(0, count, batch):
        with db.session() as session:
            for n in range(start, min(count, start + batch)):
                session.add(TimelineRow(incident_id=incident_id, kind="note",
                                        data=json.dumps({"text": f"巡查第{n}次，一切正常"}),
                                        author="林組長", role="unit_head", event_at=utcnow()))


def _incident(db: Any, title: str = "加熱菸走私案") -> str:
    from datetime import timedelta

    from models.incidents.actions import IncidentDraft, open_incident
    from models.org.people import Actor, Role
    from models.storage.db import utcnow

    return open_incident(db, Actor("林組長", Role.UNIT_HEAD, "inspection"), "keelung",
                         IncidentDraft(title=title, summary="查獲貨櫃夾藏加熱菸",
                                       started_at=utcnow() - timedelta(hours=1),
                                       location="基隆港", reporting_unit="", source="internal",
                                       category_key="clearance", subtype_key="", scope="本關",
                                       level_key="medium", suggested_level="medium",
                                       level_reason=""))


def _timed(fn: Any) -> tuple[float, Any]:
    begin = time.perf_counter()
    result = fn()
    return time.perf_counter() - begin, result


def _enrol(a: Any, b: Any, share: Path, root: Path) -> None:
    """Make *a* the office authority's PC and enrol *b*, both for the notes' author."""
    from models.org.people import Role
    from models.org.settings import login_name
    from models.schema import RULES
    from models.sync.enrolment import load_me
    from models.sync.run import sync_once
    from models.trust_admin import Approver, approve_pc, create_authority

    create_authority(a, root / "authority.pem", b"bench", person="林組長", role=Role.UNIT_HEAD)
    sync_once(a, share, RULES), sync_once(b, share, RULES, person="林組長")
    with b.session() as session:
        code = load_me(session.connection()).code
    approve_pc(a, share, code, person="林組長", login=login_name(), role=Role.UNIT_HEAD,
               posts=(), approver=Approver())


def export_import(base: Path, repeats: int = 3, *, enrolled: bool = False
                  ) -> dict[str, float]:
    from models.schema import RULES
    from models.sync.run import sync_once

    exports, imports, floors = [], [], []
    for n in range(repeats):
        root = base / f"ei{n}{'e' if enrolled else ''}"
        share = root / "share"
        share.mkdir(parents=True)
        a, b = _pc(root, "a"), _pc(root, "b")
        if enrolled:
            _enrol(a, b, share, root)
        incident = _incident(a)
        sync_once(a, share, RULES), sync_once(b, share, RULES)
        _notes(a, incident, 10_000)
        seconds, report = _timed(lambda: sync_once(a, share, RULES))
        assert report.sent_changes == 10_000, report
        exports.append(seconds)
        seconds, report = _timed(lambda: sync_once(b, share, RULES))
        assert report.received_changes == 10_000 and report.in_sync, report
        imports.append(seconds)
        a.close(), b.close()
        floors.append(_insert_floor(root / "b", root / "floor.db"))
    prefix = "enrolled_" if enrolled else ""
    return {f"{prefix}export_s": statistics.median(exports),
            f"{prefix}import_s": statistics.median(imports),
            f"{prefix}floor_s": statistics.median(floors)}


def _insert_floor(data_dir: Path, target: Path) -> float:
    """Seconds SQLite alone takes to insert the field versions *data_dir*'s PC holds into an
    empty copy of its history table (the same indexes and journal), with one executemany in
    one transaction: the part of an import no Python can cut."""
    import sqlite3

    from models.storage.names import DATABASE_FILE

    with sqlite3.connect(data_dir / DATABASE_FILE) as source:
        schema = [sql for (sql,) in source.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'sync_versions' AND sql IS NOT NULL")]
        rows = source.execute("SELECT * FROM sync_versions ORDER BY rowid").fetchall()
    source.close()
    copy = sqlite3.connect(target, isolation_level=None)
    copy.execute("PRAGMA journal_mode=WAL"), copy.execute("PRAGMA synchronous=NORMAL")
    for sql in schema:
        copy.execute(sql)
    marks = ", ".join("?" * len(rows[0]))
    begin = time.perf_counter()
    copy.execute("BEGIN")
    copy.executemany(f"INSERT INTO sync_versions VALUES ({marks})", rows)
    copy.execute("COMMIT")
    seconds = time.perf_counter() - begin
    copy.close()
    return seconds


def nothing_new(base: Path, records: int = 100_000) -> dict[str, float]:
    from sqlalchemy import func, select

    from models.schema import RULES
    from models.sync.entities import SyncVersionRow
    from models.sync.run import sync_once

    root = base / "big"
    share = root / "share"
    share.mkdir(parents=True)
    a, b = _pc(root, "a"), _pc(root, "b")
    _notes(a, _incident(a), records)
    sync_once(a, share, RULES)
    sync_once(b, share, RULES)
    times = [_timed(lambda: sync_once(b, share, RULES))[0] for _ in range(15)]
    with b.session() as session:
        versions = session.scalar(select(func.count()).select_from(SyncVersionRow))
    a.close(), b.close()
    return {"nothing_new_ms": statistics.median(times) * 1000, "records": records,
            "versions": versions or 0}


def convergence(base: Path, pcs: int = 20, edits: int = 20) -> dict[str, float]:
    from models.incidents.actions import set_field
    from models.org.people import Actor, Role
    from models.schema import RULES
    from models.sync.run import sync_once

    root = base / "twenty"
    share = root / "share"
    share.mkdir(parents=True)
    dbs = [_pc(root, f"pc{n:02d}") for n in range(pcs)]
    shared = _incident(dbs[0], "共同事件")
    for db in dbs:
        sync_once(db, share, RULES)
    sync_once(dbs[0], share, RULES)
    begin = time.perf_counter()
    for n, db in enumerate(dbs):
        actor = Actor(f"PC{n}", Role.UNIT_HEAD, "inspection")
        own = _incident(db, f"PC{n} 的事件")
        for e in range(edits):
            set_field(db, actor, own, "s2.plan", f"計畫第{e}版")
        set_field(db, actor, shared, "s2.information", f"PC{n} 的資訊")  # 20 concurrent edits
    rounds = 0
    while True:
        rounds += 1
        reports = [sync_once(db, share, RULES) for db in dbs]
        if all(r.received_changes == 0 and r.sent_changes == 0 for r in reports):
            break
    seconds = time.perf_counter() - begin

    def snapshot(db: Any) -> list[Any]:
        from sqlalchemy import select

        with db.session() as session:
            return [sorted(map(tuple, session.execute(select(t)).all()), key=str)
                    for t in RULES.tables.values()]

    first = snapshot(dbs[0])
    equal = all(snapshot(db) == first for db in dbs[1:])
    conflicts = reports[0].conflicts
    for db in dbs:
        db.close()
    return {"pcs": pcs, "rounds": rounds, "converge_s": seconds, "equal": equal,
            "conflicts": conflicts}


SAVE_EVERY_MS = 100
"""While the sync runs, the stall measure saves a timeline note on the worker this long after
the previous save ended (one at a time, as a user typing)."""


def gui_stall(base: Path) -> dict[str, float]:
    """The window's own sync path (ui/sync/controller.py, whatever it runs the sync in) imports
    10,000 changes while a 5 ms QTimer ticks on the GUI thread and the database worker saves a
    timeline note SAVE_EVERY_MS after each save, as a user typing would: the longest gap
    between ticks, and the longest time a save waited for its transaction (SQLite's lock, and
    in the window's process Python's). The modules come from whichever tree is first on sys.path (see
    benchmarks/sync_stall.py, which runs this against the base commit too)."""
    from dataclasses import replace

    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from models.incidents.entities import TimelineRow
    from models.org.settings import Settings, save_settings
    from models.schema import RULES
    from models.startup import open_data_dir
    from models.storage.db import utcnow
    from models.sync.run import sync_once
    from ui.runtime.collector import install_garbage_collector
    from ui.runtime.context import AppContext
    from ui.runtime.worker import DbWorker
    from ui.sync.controller import SyncController

    root = Path(tempfile.mkdtemp(prefix="stall", dir=base))
    share = root / "share"
    share.mkdir(parents=True)
    a = _pc(root, "a")
    _notes(a, _incident(a), 10_000)
    sync_once(a, share, RULES)
    a.close()
    gui = _pc(root, "gui")
    incident = _incident(gui, "颱風期間港區巡查")  # the incident its user is writing in
    gui.close()
    app = QApplication.instance() or QApplication([])
    install_garbage_collector(app)  # as the app does: collections on the GUI thread
    settings = replace(Settings(user_name="林組長"), share_folder=str(share))
    data_dir = root / "gui"
    save_settings(data_dir, settings)
    worker = DbWorker()
    ctx = AppContext(data_dir, settings, worker)
    loop = QEventLoop()
    ctx.database_ready.connect(loop.quit)
    worker.open(lambda: open_data_dir(data_dir, "keelung"), ctx.database_ready.emit, print)
    loop.exec()
    controller = SyncController(ctx)
    clock, gaps = QElapsedTimer(), []
    ticker = QTimer(interval=5)
    ticker.timeout.connect(lambda: (gaps.append(clock.restart())))
    waits: list[float] = []

    def save(db: Any) -> float:
        begin = time.perf_counter()
        with db.session() as session:
            session.add(TimelineRow(incident_id=incident, kind="note",
                                    data=json.dumps({"text": "現場回報"}), author="林組長",
                                    role="unit_head", event_at=utcnow()))
        return time.perf_counter() - begin

    saver = QTimer(singleShot=True, interval=SAVE_EVERY_MS)  # one save at a time, as a user

    def saved(seconds: float) -> None:
        waits.append(seconds)
        if not reports:
            saver.start()

    saver.timeout.connect(lambda: worker.run("save", save, saved, print))
    reports: list[Any] = []
    controller.finished.connect(lambda r: (reports.append(r), loop.quit()))
    begin = time.perf_counter()
    clock.start()
    ticker.start()
    saver.start()
    controller.sync_now()
    loop.exec()
    seconds = time.perf_counter() - begin
    ticker.stop()
    saver.stop()
    controller.shutdown()
    worker.shutdown()
    assert reports and reports[0].received_changes >= 10_000, reports
    return {"stall_ms": max(gaps), "ticks": len(gaps), "sync_s": seconds,
            "save_wait_ms": max(waits) * 1000, "saves": len(waits)}


def _child() -> dict[str, Any]:
    from i18n import set_language

    set_language("zh_TW")
    base = Path(tempfile.mkdtemp(prefix="crisisdesk-sync-bench-"))
    try:
        result: dict[str, Any] = {}
        result.update(export_import(base))
        result.update(export_import(base, enrolled=True))
        result.update(nothing_new(base))
        result.update(convergence(base))
        return result
    finally:
        shutil.rmtree(base, ignore_errors=True)


def measure() -> dict[str, Any]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    out = subprocess.run([sys.executable, __file__, "--child"], capture_output=True, text=True,
                         check=True, cwd=ROOT, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(_child()))
    else:
        print(json.dumps(measure(), indent=2))
