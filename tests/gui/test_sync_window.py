"""Sync as a unit head meets it in the window: another PC's incident arrives by itself, the
status bar says when the PC last synced and whether anything waits, and a conflict is decided
side by side in the conflicts dialog, after which both PCs show the decision."""

from __future__ import annotations

import os
import stat
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QListWidget, QPlainTextEdit, QPushButton

from i18n import _
from models.incidents.actions import open_incident, set_field
from models.incidents.queries import incident_view
from models.org.people import Actor, Role
from models.org.settings import Settings
from models.schema import RULES
from models.startup import open_data_dir
from models.storage.db import Database, utcnow
from models.sync.folder import FORMAT_FILE
from models.sync.run import sync_once
from tests.helpers import run_on_worker, snap
from tests.unit.incidents.test_incidents import draft
from ui.main_window import NAV, MainWindow
from ui.runtime.context import AppContext
from ui.sync.conflicts import ConflictsDialog

TIMEOUT = 20000
OTHER = Actor("王組長", Role.UNIT_HEAD, "inspection")


@pytest.fixture
def share(tmp_path: Path) -> Path:
    folder = tmp_path / "share"
    folder.mkdir()
    return folder


@pytest.fixture(params=["zh_TW", "en"])
def settings(request: pytest.FixtureRequest, settings: Settings, share: Path) -> Settings:
    return replace(settings, share_folder=str(share), language=request.param)


@pytest.fixture
def other_pc(tmp_path: Path) -> Iterator[Database]:
    db = open_data_dir(tmp_path / "other-pc", "keelung")
    yield db
    db.close()


def synced(qtbot, window: MainWindow):  # type: ignore[no-untyped-def]
    """Start a run from the window, as F9 does, and wait for its report."""
    with qtbot.waitSignal(window.sync.finished, timeout=TIMEOUT,
                          check_params_cb=lambda report: report is not None) as blocker:
        window.act_sync.trigger()
    return blocker.args[0]


def plan_of(db: Database, incident_id: str) -> str:
    return incident_view(db, incident_id, utcnow(), 10).fields.get("s2.plan", "")


def test_another_pcs_incident_arrives_and_a_conflict_is_decided_side_by_side(
        qtbot, ctx: AppContext, other_pc: Database, share: Path, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    incident_id = open_incident(other_pc, OTHER, "keelung", draft(title="Heated tobacco"))
    assert sync_once(other_pc, share, RULES).sent_changes > 0

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.build_screens()
    window.nav.setCurrentRow([key for key, _label in NAV].index("incidents"))
    window.show()
    screen = window.screens["incidents"]
    with qtbot.waitSignal(window.sync.finished, timeout=TIMEOUT,
                          check_params_cb=lambda report: report is not None):
        ctx.database_ready.emit()  # the first run starts by itself once the database is open
    qtbot.waitUntil(lambda: screen.proxy.rowCount() == 1, timeout=TIMEOUT)  # type: ignore[attr-defined]
    assert screen.proxy.index(0, 1).data() == "Heated tobacco"  # type: ignore[attr-defined]
    in_sync, one_conflict = (("已同步", "1項衝突待決定") if ctx.settings.language == "zh_TW"
                             else ("In sync", "1 conflict to decide"))
    assert in_sync in window.sync_state.text()

    # Both PCs change the meeting's plan before they sync again.
    run_on_worker(qtbot, ctx, lambda db: set_field(db, ctx.actor, incident_id, "s2.plan",
                                                   "Search every container"))
    set_field(other_pc, OTHER, incident_id, "s2.plan", "Search the flagged containers")
    sync_once(other_pc, share, RULES)
    report = synced(qtbot, window)
    assert report.conflicts == 1
    assert one_conflict in window.sync_state.text()

    window.sync_state.click()  # with a conflict waiting, the status opens the dialog
    qtbot.waitUntil(lambda: bool(window.findChildren(ConflictsDialog)), timeout=TIMEOUT)
    dialog = window.findChildren(ConflictsDialog)[0]
    listing = dialog.findChild(QListWidget, "conflict_list")
    qtbot.waitUntil(lambda: listing.count() == 1, timeout=TIMEOUT)
    # Widgets added to a shown dialog appear from the event loop: wait until they do.
    qtbot.waitUntil(lambda: all(
        (box := dialog.findChild(QPlainTextEdit, f"conflict_value_{n}")) is not None
        and box.isVisible() for n in range(2)), timeout=TIMEOUT)
    values = {dialog.findChild(QPlainTextEdit, f"conflict_value_{n}").toPlainText()
              for n in range(2)}
    assert values == {"Search every container", "Search the flagged containers"}
    snap(dialog, artifacts / f"sync-conflicts-{ctx.settings.language}.png")

    merged = dialog.findChild(QPlainTextEdit, "conflict_merged")
    merged.setPlainText("Search every flagged container first")
    with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,
                          check_params_cb=lambda name: name == "sync_conflicts"):
        dialog.findChild(QPushButton, "conflict_keep_merged").click()
    qtbot.waitUntil(lambda: listing.count() == 0, timeout=TIMEOUT)
    dialog.close()

    report = synced(qtbot, window)
    assert report.conflicts == 0 and report.in_sync
    sync_once(other_pc, share, RULES)
    assert plan_of(other_pc, incident_id) == "Search every flagged container first"
    QApplication.processEvents()
    snap(window, artifacts / f"sync-status-{ctx.settings.language}.png")


@pytest.mark.skipif(sys.platform == "win32", reason="os.mkfifo exists only on POSIX")
def test_a_pipe_as_the_format_file_is_named_in_the_status_and_leaves_no_thread(
        qtbot, ctx: AppContext, share: Path) -> None:  # type: ignore[no-untyped-def]
    """The window's runs (the first by itself, then F9) on a share whose format file is a
    pipe end at once naming it, leave it there, and leave no thread blocked on it (the
    timer used to add one every two minutes)."""
    fmt = share / FORMAT_FILE
    os.mkfifo(fmt)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.build_screens()
    window.show()
    with qtbot.waitSignal(window.sync.finished, timeout=TIMEOUT,
                          check_params_cb=lambda report: report is not None) as first:
        ctx.database_ready.emit()

    reports = [first.args[0], synced(qtbot, window)]

    named = _("{file} is not a regular file: remove it").format(file=fmt)
    assert [r.error for r in reports] == [named, named]
    assert named in window.sync_state.toolTip()
    qtbot.waitUntil(lambda: not [t for t in threading.enumerate()
                                 if t.name in ("sync", "share-io")], timeout=TIMEOUT)
    assert stat.S_ISFIFO(fmt.lstat().st_mode)


def test_both_signers_signing_at_once_is_locked_after_the_next_sync(
        qtbot, ctx: AppContext, other_pc: Database, share: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The executive secretary signs in the window while the commander signs on their own PC,
    neither having seen the other's signature: the run that brings the commander's signature
    locks the report here, and the lock reaches the commander's PC at the next runs."""
    from models.drills.reports.actions import save_report, sign_off, submit_report
    from models.drills.reports.queries import report_view
    from tests.sync.conftest import PC
    from tests.sync.test_sync_basic import COMMANDER, drawn_drill, report_draft

    secretary = Actor("周執秘", Role.SECRETARY, "secretariat")
    ctx.settings = replace(ctx.settings, user_name=secretary.name, role=secretary.role)
    drill = drawn_drill(PC("other", tmp_path / "other-pc", other_pc))
    info = save_report(other_pc, OTHER, drill, report_draft())
    submit_report(other_pc, OTHER, info.id)
    sync_once(other_pc, share, RULES)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    # The run brings the report in, reads this PC's standing, then settles (nothing yet).
    with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,
                          check_params_cb=lambda name: name == "settle_signatures"):
        ctx.database_ready.emit()
    sign_off(other_pc, COMMANDER, info.id, as_role="commander", name=COMMANDER.name)
    run_on_worker(qtbot, ctx, lambda db: sign_off(db, ctx.actor, info.id, as_role="secretary",
                                                   name=secretary.name))
    sync_once(other_pc, share, RULES)

    with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,
                          check_params_cb=lambda name: name == "settle_signatures"):
        synced(qtbot, window)
    assert run_on_worker(qtbot, ctx, lambda db: report_view(db, drill).locked)
    synced(qtbot, window)  # sends the lock
    sync_once(other_pc, share, RULES)
    assert report_view(other_pc, drill).locked


def test_home_shows_the_incident_a_sync_brings(qtbot, ctx: AppContext, other_pc: Database,  # type: ignore[no-untyped-def]
                                               share: Path) -> None:
    """The home screen is open on this PC when another PC's new incident arrives with a sync
    run: it is listed without the user doing anything."""
    from ui.review.home import HomeScreen

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.build_screens()
    window.show()
    home = window.screens["home"]
    assert isinstance(home, HomeScreen)
    with qtbot.waitSignal(window.sync.finished, timeout=TIMEOUT,
                          check_params_cb=lambda report: report is not None):
        ctx.database_ready.emit()
        window.land_home()
    qtbot.waitUntil(lambda: home.needs is not None, timeout=TIMEOUT)
    assert home.needs is not None and home.needs.incidents == ()
    open_incident(other_pc, OTHER, "keelung", draft(title="Heated tobacco"))
    sync_once(other_pc, share, RULES)
    synced(qtbot, window)
    # Home is read again on the run's data_changed (other reads may finish first: the
    # standing the run read, a notification turning late), so wait for what it shows.
    qtbot.waitUntil(lambda: home.needs is not None and [
        i.title for i in home.needs.incidents] == ["Heated tobacco"], timeout=TIMEOUT)
    assert any("Heated tobacco" in home.items.item(i).text()  # type: ignore[union-attr]
               for i in range(home.items.count()))
