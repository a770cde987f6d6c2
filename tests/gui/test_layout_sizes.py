"""The work area gets the room: at 1024×768 and 1366×768, in both languages, the stage form
is the widest part of an open incident, the side panes fold away and keep their sizes
across a restart, and nothing of the task table is cut."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from models.incidents.actions import open_incident
from tests.helpers import run_on_worker, snap
from tests.unit.incidents.test_incidents import HEAD, draft
from ui.incidents.list_screen import IncidentsScreen
from ui.main_window import MainWindow
from ui.runtime.context import AppContext
from ui.runtime.language import apply_language

TIMEOUT = 10000


@pytest.fixture
def window(qtbot, ctx: AppContext) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.build_screens()
    with qtbot.waitSignal(win.screens["playbook"].loaded, timeout=TIMEOUT):  # type: ignore[attr-defined]
        ctx.database_ready.emit()
    win.show()
    qtbot.waitExposed(win)
    yield win


def opened(qtbot, ctx: AppContext, window: MainWindow) -> IncidentsScreen:  # type: ignore[no-untyped-def]
    incident_id = run_on_worker(qtbot, ctx, lambda db: open_incident(
        db, HEAD, "keelung", draft(title="網傳海關放行染疫肉品")))
    screen = window.screens["incidents"]
    assert isinstance(screen, IncidentsScreen)
    window.go_to("incidents")
    with qtbot.waitSignal(screen.workspace.ctrl.loaded, timeout=TIMEOUT):
        screen.open_incident(incident_id, 1)
    return screen


@pytest.mark.parametrize("size", [(1024, 768), (1366, 768)])
def test_the_stage_form_gets_the_room(qtbot, ctx: AppContext, window: MainWindow,  # type: ignore[no-untyped-def]
                                      artifacts: Path, size: tuple[int, int]) -> None:
    """At 1024×768 the stage form once got about 190 pixels between the stage list and the
    timeline, and the task table was cut. Now every stage reads without scrolling sideways
    and the form is the widest of the three, in both languages."""
    screen = opened(qtbot, ctx, window)
    ws = screen.workspace
    for language in ("zh_TW", "en"):
        apply_language(language)
        ctx.language_changed.emit()
        window.resize(*size)
        qtbot.waitUntil(lambda: window.width() == size[0])
        for stage in range(1, 7):
            ws.rail.setCurrentRow(stage - 1)
            page = ws.pages[stage - 1]
            qtbot.waitUntil(lambda p=page: p.horizontalScrollBar().maximum() == 0)
            rail, form, timeline = ws.split.sizes()
            assert form > max(rail, timeline), (stage, ws.split.sizes())
            if stage in (1, 6):
                snap(window, artifacts / f"layout-{size[0]}x{size[1]}-stage{stage}-{language}.png")
    apply_language("zh_TW")


def test_the_side_panes_fold_away_and_come_back_as_left(qtbot, ctx: AppContext,  # type: ignore[no-untyped-def]
                                                         window: MainWindow) -> None:
    """The timeline folds away with its button and the form takes its room; the sizes are
    remembered in the data folder and a new window (a restart) starts with them."""
    from ui.incidents.workspace import IncidentWorkspace

    screen = opened(qtbot, ctx, window)
    ws = screen.workspace
    window.resize(1024, 768)
    qtbot.waitUntil(lambda: window.width() == 1024)
    form = ws.split.sizes()[1]
    qtbot.mouseClick(ws.show_timeline, Qt.MouseButton.LeftButton)
    assert ws.split.sizes()[2] == 0 and ws.split.sizes()[1] > form
    assert not ws.show_timeline.isChecked()
    assert (ctx.data_dir / "window.ini").is_file()

    again = IncidentWorkspace(ctx)
    qtbot.addWidget(again)
    again.resize(ws.size())
    again.show()
    qtbot.waitUntil(lambda: again.split.sizes()[1] > 0)
    assert again.split.sizes()[2] == 0 and not again.show_timeline.isChecked()
    qtbot.mouseClick(again.show_timeline, Qt.MouseButton.LeftButton)
    assert again.split.sizes()[2] > 0 and again.show_timeline.isChecked()


@pytest.mark.parametrize("language", ["zh_TW", "en"])
def test_the_settings_labels_are_whole_at_1024(qtbot, ctx: AppContext, window: MainWindow,  # type: ignore[no-untyped-def]
                                               artifacts: Path, language: str) -> None:
    """Every label of Your details gets the width its text needs at 1024×768, in both
    languages (an earlier session saw "Language:" and "Acknowledgement time:" cut in English
    in a window 1000 pixels wide)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication, QFormLayout, QLabel

    apply_language(language)
    ctx.language_changed.emit()
    window.go_to("settings")
    window.resize(1024, 768)
    qtbot.waitUntil(lambda: window.width() == 1024)
    profile = window.screens["settings"].profile  # type: ignore[attr-defined]
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    form = profile.findChild(QFormLayout)
    labels = [form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
              for row in range(form.rowCount())
              if form.itemAt(row, QFormLayout.ItemRole.LabelRole) is not None]
    snap(window, artifacts / f"layout-1024x768-settings-{language}.png")
    cut = [label.text() for label in labels if isinstance(label, QLabel)
           and label.width() < label.sizeHint().width()]
    assert labels and cut == []
    apply_language("zh_TW")
