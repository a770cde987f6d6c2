"""The incident list: open incidents with their level, stage and overdue items, filtered and
sorted; and coming back after a restart to the incident and stage the user was on."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from PySide6.QtCore import Qt

from models.incidents.actions import open_incident, record_notification
from models.org.people import Actor, Role
from models.storage.db import utcnow
from tests.helpers import run_on_worker
from tests.unit.incidents.test_incidents import draft
from ui.incidents.list_screen import IncidentsScreen
from ui.runtime.context import AppContext

TIMEOUT = 10000
HEAD = Actor("林組長", Role.UNIT_HEAD)


def loaded_screen(qtbot, ctx: AppContext) -> IncidentsScreen:  # type: ignore[no-untyped-def]
    screen = IncidentsScreen(ctx)
    qtbot.addWidget(screen)
    with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,
                          check_params_cb=lambda name: name == "list_incidents"):
        screen.load()
    return screen


def shown(screen: IncidentsScreen, column: int) -> list[str]:
    return [screen.proxy.index(r, column).data() for r in range(screen.proxy.rowCount())]


def test_the_list_shows_filters_and_sorts_open_incidents(qtbot, qtmodeltester,  # type: ignore[no-untyped-def]
                                                        ctx: AppContext) -> None:
    def seed(db):  # type: ignore[no-untyped-def]
        first = open_incident(db, HEAD, "keelung", draft(title="Rumour online", level_key="low",
                                                         level_reason="only one unit",
                                                         started_at=utcnow() - timedelta(hours=5)))
        record_notification(db, HEAD, first, target_group="secretary", member_id="",
                            recipient="Wang", acting_for="", means="phone",
                            notified_at=utcnow() - timedelta(hours=1))
        open_incident(db, HEAD, "keelung", draft(title="Container seized",
                                                 started_at=utcnow() - timedelta(hours=2)))

    run_on_worker(qtbot, ctx, seed)
    screen = loaded_screen(qtbot, ctx)
    qtmodeltester.check(screen.model)
    assert shown(screen, 1) == ["Container seized", "Rumour online"]  # newest first
    late = shown(screen, 7)
    # the unacknowledged call an hour ago is overdue; the medium incident learned of two
    # hours ago has not told the executive secretary within the office's hour
    assert late == ["1", "1"]
    assert screen.proxy.index(1, 7).data(Qt.ItemDataRole.ForegroundRole) is not None

    screen.search.setText("rumour")
    assert shown(screen, 1) == ["Rumour online"]
    screen.search.clear()
    screen.level.setCurrentIndex(screen.level.findData("medium"))
    assert shown(screen, 1) == ["Container seized"]
    screen.level.setCurrentIndex(0)
    screen.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # by level, most severe first
    assert shown(screen, 1) == ["Container seized", "Rumour online"]
    screen.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert shown(screen, 1) == ["Rumour online", "Container seized"]


def test_a_restart_comes_back_to_the_incident_and_stage_in_use(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    incident_id = run_on_worker(qtbot, ctx, lambda db: open_incident(db, HEAD, "keelung",
                                                                     draft()))
    screen = loaded_screen(qtbot, ctx)
    with qtbot.waitSignal(screen.workspace.ctrl.loaded, timeout=TIMEOUT):
        screen.open_incident(incident_id)
    with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,
                          check_params_cb=lambda name: name == "save_resume"):
        screen.workspace.rail.setCurrentRow(2)

    again = IncidentsScreen(ctx)  # as after a restart: a new screen reading resume.json
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.workspace.ctrl.loaded, timeout=TIMEOUT):
        again.load()
    assert again.currentWidget() is again.workspace
    assert again.workspace.ctrl.incident_id == incident_id
    assert again.workspace.shown_stage() == 3


def test_an_empty_list_and_an_empty_roster_say_so_at_the_top(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, artifacts) -> None:
    """No incident yet, and the shipped roster has no phone numbers: the heading and toolbar
    stay at the top, the empty list says what to do, and the screen names the posts nobody
    could call and who fills the roster in, before any incident needs it."""
    from i18n import _
    from tests.helpers import snap

    screen = loaded_screen(qtbot, ctx)
    screen.resize(1024, 700)
    screen.show()
    qtbot.waitExposed(screen)
    assert screen.empty.isVisible() and not screen.table.isVisible()
    assert screen.heading.y() < 40 and screen.new_button.y() < 120
    assert screen.roster.isVisible()
    for post in ("總指揮", "執行秘書"):
        assert post in screen.roster.text()
    assert _("Playbook") in screen.roster.text()
    snap(screen, artifacts / "incidents-empty-zh_TW.png")


def test_the_list_follows_the_office_and_only_the_office(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    def seed(db):  # type: ignore[no-untyped-def]
        open_incident(db, HEAD, "keelung", draft(title="Keelung pier fire"))
        open_incident(db, HEAD, "taipei", draft(title="Taipei cargo leak"))

    run_on_worker(qtbot, ctx, seed)
    screen = loaded_screen(qtbot, ctx)
    screen.show()  # a hidden list only notes that it is stale
    assert shown(screen, 1) == ["Keelung pier fire"]
    asked: list[str] = []
    ctx.worker.finished.connect(asked.append)

    with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,
                          check_params_cb=lambda name: name == "list_incidents"):
        ctx.update_settings(replace(ctx.settings, office_code="taipei"))
    assert shown(screen, 1) == ["Taipei cargo leak"]

    asked.clear()
    ctx.update_settings(replace(ctx.settings, user_name="林組長"))  # the same office: nothing to reload
    run_on_worker(qtbot, ctx, lambda db: None)  # the worker answers in order: a reload would be done
    assert "list_incidents" not in asked
    assert shown(screen, 1) == ["Taipei cargo leak"]
