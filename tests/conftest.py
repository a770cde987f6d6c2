"""Shared fixtures: a fresh data folder and database per test, one QApplication per session,
headless Qt, and the UI language reset after every test.

Tests that use Qt (qtbot, qapp or the ctx fixture) are marked ``gui`` automatically, so
``pytest -m "not gui"`` runs the core alone (qutebrowser's habit).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from i18n import DEFAULT_LANGUAGE, set_language
from models.org.people import Actor, Role
from models.org.settings import Settings
from models.startup import open_data_dir
from models.storage.db import Database

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
GUI_FIXTURES = {"qtbot", "qapp", "ctx", "window"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if GUI_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(scope="session")
def qapp(qapp):  # type: ignore[no-untyped-def]
    """pytest-qt's application with the app's own rules, as make_application installs them:
    Python's garbage collector runs on the GUI thread only (ui/runtime/collector.py), so the database
    workers of the tests never destroy a Qt object either; the wheel scrolls pages, never an
    unfocused field (ui/runtime/wheel_guard.py)."""
    from ui.runtime.collector import install_garbage_collector
    from ui.runtime.wheel_guard import install_wheel_guard

    install_garbage_collector(qapp)
    install_wheel_guard(qapp)
    return qapp


@pytest.fixture(autouse=True)
def _collect_garbage_between_tests() -> Iterator[None]:
    """Once automatic collection is off, also collect what is due after each test (on the
    main thread, after the test's worker is shut down): tests that never spin an event loop
    never reach the collector's timer. Autouse, so it is torn down after ``ctx``."""
    yield
    if not gc.isenabled():
        from ui.runtime.collector import collect_due

        collect_due()


@pytest.fixture(autouse=True)
def _reset_language() -> Iterator[None]:
    set_language(DEFAULT_LANGUAGE)
    yield
    set_language(DEFAULT_LANGUAGE)


@pytest.fixture(autouse=True)
def _no_modal_message_boxes(request: pytest.FixtureRequest,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Offscreen, nobody can click a modal message box: an unexpected one would hang the whole
    run. For GUI tests, a question is answered "Cancel" (a dialog closed at teardown with
    unsaved edits stays as it is), and an error box fails the test with its text. A test that
    expects a box replaces these with its own fake."""
    if not GUI_FIXTURES & set(request.fixturenames):
        return
    from PySide6.QtWidgets import QMessageBox

    def answer_cancel(*_args: object, **_kwargs: object) -> QMessageBox.StandardButton:
        return QMessageBox.StandardButton.Cancel

    def fail(_parent: object, title: str, text: str, *_args: object, **_kw: object) -> None:
        raise AssertionError(f"unexpected message box: {title}: {text}")

    monkeypatch.setattr(QMessageBox, "question", answer_cancel)
    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, fail)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    """A new database in a temporary folder, seeded like a first run (Keelung Customs)."""
    database = open_data_dir(data_dir, "keelung")
    yield database
    database.close()


@pytest.fixture
def planner() -> Actor:
    return Actor(name="林企劃", role=Role.PLANNING, unit="secretariat")


@pytest.fixture
def unit_head() -> Actor:
    return Actor(name="陳組長", role=Role.UNIT_HEAD, unit="ops1")


@pytest.fixture
def settings() -> Settings:
    """A planning-group user at Keelung Customs (the role that may edit the playbook)."""
    return Settings(user_name="林企劃", unit_key="secretariat", role=Role.PLANNING)


@pytest.fixture(scope="session")
def ui_font(qapp):  # type: ignore[no-untyped-def]
    """The app's own font set-up, so screenshots show what users see."""
    from ui.runtime.fonts import install_ui_font

    install_ui_font(qapp)


@pytest.fixture
def ctx(qtbot, ui_font, data_dir: Path, settings: Settings):  # type: ignore[no-untyped-def]
    """A running app context whose database is open; the worker is shut down afterwards."""
    from models.org.settings import save_settings
    from ui.runtime.context import AppContext
    from ui.runtime.language import apply_language
    from ui.runtime.worker import DbWorker

    save_settings(data_dir, settings)
    apply_language(settings.language)
    worker = DbWorker()
    context = AppContext(data_dir, settings, worker)
    with qtbot.waitSignal(context.database_ready, timeout=20000):
        worker.open(lambda: open_data_dir(data_dir, settings.office_code),
                    context.database_ready.emit, pytest.fail)
    yield context
    worker.shutdown()
    apply_language(DEFAULT_LANGUAGE)


@pytest.fixture
def artifacts() -> Path:
    """Screenshots and rendered files a person looks at after the run."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
