"""Helpers shared by the GUI tests (imported as ``tests.helpers``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QWidget

from i18n import use_locale_dir

T = TypeVar("T")


def run_on_worker(qtbot: Any, ctx: Any, fn: Callable[[Any], T]) -> T:
    """Run ``fn(db)`` on the app's own database worker, as the GUI does, and wait for it."""
    box: list[T] = []
    with qtbot.waitSignal(ctx.worker.finished, timeout=10000,
                          check_params_cb=lambda name: name == "test_job"):
        ctx.worker.run("test_job", fn, box.append, pytest.fail)
    return box[0]


def pages_on_screen(qtbot: Any, preview: Any, timeout: int = 15000) -> int:
    """Wait until the print preview has announced its pages in view (pages_shown) with none
    still asked of the worker; their count. A condition, not the signal: the images may have
    arrived, and pages_shown fired, in the same turn of the event loop that announced the
    preview, before a wait for the signal could begin."""
    qtbot.waitUntil(lambda: bool(preview.views) and not preview.fresh and not preview.asked,
                    timeout=timeout)
    return len(preview.views)


def snap(widget: QWidget, path: Path) -> None:
    """Save a screenshot once pending layout work is done: texts changed by a language switch
    resize their labels only when the posted layout requests are handled. Each pass settles
    one level of nested layouts and posts the request of the level above (a button in a row
    widget in the screen was shot at its old width after one), hence a pass per level."""
    for _level in range(4):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    assert widget.grab().save(str(path))


def write_catalog(folder: Path, translations: dict[str, str]) -> None:
    """A tiny zh_TW catalog of the test's own, independent of the shipped one."""
    target = folder / "zh_TW" / "LC_MESSAGES"
    target.mkdir(parents=True)
    entries = "".join(f'\nmsgid "{k}"\nmsgstr "{v}"\n' for k, v in translations.items())
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    (target / "crisisdesk.po").write_text(header + entries, encoding="utf-8")


@contextmanager
def private_catalog(folder: Path, translations: dict[str, str]) -> Iterator[None]:
    """Use a catalog of the test's own while the block runs, then the shipped one again."""
    write_catalog(folder, translations)
    use_locale_dir(folder)
    try:
        yield
    finally:
        use_locale_dir(None)


def drills_screen_shown(qtbot: Any, ctx: Any, timeout: int = 20000) -> Any:
    """The drills screen on its own, shown at 1300×820 (room for both halves in either
    language) and loaded."""
    from ui.drills.screen import DrillsScreen

    screen = DrillsScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1300, 820)
    screen.show()
    with qtbot.waitSignal(screen.loaded, timeout=timeout):
        screen.load()
    return screen


def incident_open(qtbot: Any, win: Any, incident_id: str, stage: int = 1,
                  timeout: int = 10000) -> Any:
    """The main window's incidents screen with *incident_id* opened at *stage* and loaded."""
    from ui.incidents.list_screen import IncidentsScreen

    screen = win.screens["incidents"]
    assert isinstance(screen, IncidentsScreen)
    with qtbot.waitSignal(screen.workspace.ctrl.loaded, timeout=timeout):
        win.go_to("incidents")
        screen.open_incident(incident_id, stage)
    return screen


def window_at_home(qtbot: Any, ctx: Any, size: tuple[int, int] = (1180, 760),
                   timeout: int = 20000) -> Any:
    """The main window, shown at *size*, with its database ready and Home loaded (as the app
    lands after start-up)."""
    from ui.main_window import MainWindow
    from ui.review.home import HomeScreen

    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.build_screens()
    win.resize(*size)
    win.show()
    home = win.screens["home"]
    assert isinstance(home, HomeScreen)
    with qtbot.waitSignal(home.loaded, timeout=timeout):
        ctx.database_ready.emit()
        win.land_home()
    return win

