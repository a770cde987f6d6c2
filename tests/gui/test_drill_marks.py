"""A drill incident on screen, through the real window: the incident list marks its row, the
incident window's header shows the 演練 badge, the notification dialog opens under the drill
banner (so nobody is woken for a drill by mistake), and the timeline shows the notification as
a drill's. A real incident shows none of it. Screenshots in both languages go to
test-artifacts/."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from i18n import _
from models.incidents.actions import open_incident
from models.live_drills.actions import start_drill
from models.storage.db import Database
from tests.gui.test_incident_wizard import (  # noqa: F401 (screen: a fixture)
    TIMEOUT,
    fill_dialog,
    screen,
    timeline_texts,
)
from tests.helpers import run_on_worker, snap
from tests.unit.drills.test_drill_reports import PLANNER, drawn_drill
from tests.unit.incidents.test_incidents import HEAD, draft
from ui.incidents.escalation import NotifyDialog
from ui.incidents.list_screen import IncidentsScreen
from ui.incidents.workspace import IncidentWorkspace
from ui.runtime.context import AppContext
from ui.runtime.language import apply_language

def incidents(qtbot, ctx: AppContext, screen: IncidentsScreen) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A real incident and a drill incident, listed."""

    def make(db: Database) -> tuple[str, str]:
        return (open_incident(db, HEAD, "keelung", draft()),
                start_drill(db, PLANNER, drawn_drill(db)))

    real, drill = run_on_worker(qtbot, ctx, make)
    with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,
                          check_params_cb=lambda name: name == "list_incidents"):
        screen.load()
    return real, drill


def row_of(screen: IncidentsScreen, incident_id: str) -> int:
    return next(i for i, r in enumerate(screen.model.rows) if r.id == incident_id)


def opened(qtbot, screen: IncidentsScreen, incident_id: str) -> IncidentWorkspace:  # type: ignore[no-untyped-def]
    ws = screen.workspace
    with qtbot.waitSignal(ws.ctrl.loaded, timeout=TIMEOUT):
        screen.open_incident(incident_id)
    return ws


def both_languages(ctx: AppContext, widget, path: Path) -> None:  # type: ignore[no-untyped-def]
    for language in ("zh_TW", "en"):
        apply_language(language)
        ctx.language_changed.emit()
        snap(widget, path.with_name(f"{path.stem}-{language}.png"))
    apply_language("zh_TW")
    ctx.language_changed.emit()


def test_the_list_marks_the_drill_incident_and_only_it(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, screen: IncidentsScreen, artifacts: Path) -> None:
    real, drill = incidents(qtbot, ctx, screen)
    model = screen.model
    title = model.data(model.index(row_of(screen, drill), 1))
    number = model.data(model.index(row_of(screen, drill), 0))
    assert title.startswith(_("[Drill] {title}").format(title="")) and "演練" in number
    assert model.data(model.index(row_of(screen, drill), 1),
                      Qt.ItemDataRole.BackgroundRole) is not None
    real_row = row_of(screen, real)
    assert "演練" not in model.data(model.index(real_row, 0)) + model.data(
        model.index(real_row, 1))
    assert model.data(model.index(real_row, 1), Qt.ItemDataRole.BackgroundRole) is None
    both_languages(ctx, screen, artifacts / "drill-incident-list.png")


def test_the_header_shows_the_drill_badge_for_a_drill_incident_only(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, screen: IncidentsScreen, artifacts: Path) -> None:
    real, drill = incidents(qtbot, ctx, screen)
    ws = opened(qtbot, screen, real)
    badge = ws.findChild(QLabel, "incident_drill")
    assert badge is not None and badge.isHidden()
    ws = opened(qtbot, screen, drill)
    assert badge.isVisible() and badge.text() == _("Drill")
    both_languages(ctx, ws, artifacts / "drill-incident-header.png")
    apply_language("en")
    ctx.language_changed.emit()
    assert badge.text() == "Drill"
    apply_language("zh_TW")
    ctx.language_changed.emit()
    assert badge.text() == "演練"


def test_a_drill_notification_is_recorded_under_the_drill_banner(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, screen: IncidentsScreen, artifacts: Path) -> None:
    _real, drill = incidents(qtbot, ctx, screen)
    ws = opened(qtbot, screen, drill)
    escalation = ws.pages[0].findChild(object, "escalation")
    holder = next(b for (_m, deputy), b in escalation.notify_buttons.items() if not deputy)
    for language in ("zh_TW", "en"):
        apply_language(language)
        ctx.language_changed.emit()
        qtbot.mouseClick(holder, Qt.MouseButton.LeftButton)
        dialog = next(d for d in ws.findChildren(NotifyDialog) if d.isVisible())
        banner = dialog.findChild(QLabel, "notify_drill_banner")
        assert banner is not None and banner.isVisible()
        assert banner.text() == _("DRILL — this is a drill notification. Say first that it "
                                  "is a drill: nobody is to act on it as a real crisis.")
        assert dialog.windowTitle() == _("Record a drill notification")
        snap(dialog, artifacts / f"drill-notify-dialog-{language}.png")
        dialog.reject()
    qtbot.mouseClick(holder, Qt.MouseButton.LeftButton)
    fill_dialog(qtbot, ws, NotifyDialog, {"notify_recipient": "Wang"})
    assert any(t.startswith(_("Drill notification")) and "Wang" in t
               for t in timeline_texts(ws))
    both_languages(ctx, ws, artifacts / "drill-incident-timeline.png")


def test_a_real_incidents_notification_dialog_has_no_drill_banner(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, screen: IncidentsScreen) -> None:
    real, _drill = incidents(qtbot, ctx, screen)
    ws = opened(qtbot, screen, real)
    escalation = ws.pages[0].findChild(object, "escalation")
    holder = next(b for (_m, deputy), b in escalation.notify_buttons.items() if not deputy)
    qtbot.mouseClick(holder, Qt.MouseButton.LeftButton)
    dialog = next(d for d in ws.findChildren(NotifyDialog) if d.isVisible())
    assert dialog.findChild(QLabel, "notify_drill_banner") is None
    assert dialog.windowTitle() == _("Record a notification")
    fill_dialog(qtbot, ws, NotifyDialog, {"notify_recipient": "Wang"})
    assert not any(t.startswith(_("Drill notification")) for t in timeline_texts(ws))
