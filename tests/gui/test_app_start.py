"""The window's real start path (ui.app.start_window): shown first, then the playbook on screen
(read from the database file before the database opens, or from the database a first start
creates), then the other screens and the open database. A newer database is refused with a
message, not opened."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

import ui.app as app_module
from models.org.people import Actor
from models.org.settings import Settings
from models.playbook.store import export_playbook, import_playbook
from models.startup import open_data_dir
from models.storage.backups import daily_backup
from models.storage.names import DATABASE_FILE
from ui.playbook.screen import PlaybookScreen


def test_first_start_shows_the_window_then_the_playbook(qtbot, request, ui_font,  # type: ignore[no-untyped-def]
                                                       data_dir: Path, settings: Settings) -> None:
    window = app_module.start_window(data_dir, settings)
    qtbot.addWidget(window)
    request.addfinalizer(window.ctx.worker.shutdown)
    assert window.isVisible() and window.screens == {}  # shown before anything heavy
    qtbot.waitUntil(lambda: bool(window.screens), timeout=10000)
    playbook = window.findChild(QWidget, "screen_playbook")
    qtbot.waitUntil(lambda: playbook.snapshot is not None, timeout=20000)  # type: ignore[attr-defined]
    assert "財政部關務署基隆關危機管理作業流程" in playbook.view.toPlainText()  # type: ignore[attr-defined]
    # The other screens are built once the playbook is on screen; then the database is ready.
    qtbot.waitUntil(lambda: window.db_state.text() == "資料庫已就緒", timeout=20000)
    assert (data_dir / DATABASE_FILE).exists() and len(window.screens) == 7
    # Then the window lands on what needs the user now.
    assert window.stack.currentWidget() is window.screens["home"]


def test_a_database_from_a_newer_version_is_refused_with_a_message(  # type: ignore[no-untyped-def]
        qtbot, request, ui_font, monkeypatch, data_dir: Path, settings: Settings) -> None:
    open_data_dir(data_dir, "keelung").close()
    with sqlite3.connect(data_dir / DATABASE_FILE) as con:
        con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda _parent, title, text: shown.append(f"{title}: {text}"))
    window = app_module.start_window(data_dir, settings)
    qtbot.addWidget(window)
    request.addfinalizer(window.ctx.worker.shutdown)
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)
    assert "較新版本" in shown[0]
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)


def _hold_the_open(monkeypatch) -> threading.Event:  # type: ignore[no-untyped-def]
    """The database's open waits on the worker until the returned event is set (the
    caller sets it at the latest when the test ends, before the worker shuts down), so a test
    sees what shows before it."""
    go = threading.Event()
    real_open = app_module.open_data

    def held(data_dir: Path, office_code: str):  # type: ignore[no-untyped-def]
        go.wait()
        return real_open(data_dir, office_code)

    monkeypatch.setattr(app_module, "open_data", held)
    return go


def _revised(data_dir: Path, purpose: str, planner: Actor) -> None:
    """A new playbook version, saved in the data folder as an edit or a sync would."""
    db = open_data_dir(data_dir, "keelung")
    try:
        data = json.loads(export_playbook(db))
        data["purpose"]["zh_TW"] = purpose
        import_playbook(db, planner, json.dumps(data, ensure_ascii=False).encode(), "年度修訂")
    finally:
        db.close()


def _first_read_shown(qtbot, request, monkeypatch, data_dir: Path,  # type: ignore[no-untyped-def]
                      settings: Settings) -> tuple[Any, PlaybookScreen, threading.Event]:
    """Start the window with the database's open held back until *go* is set, and wait until
    the playbook read from the file before the open is on its screen."""
    go = _hold_the_open(monkeypatch)
    window = app_module.start_window(data_dir, settings)
    qtbot.addWidget(window)
    request.addfinalizer(window.ctx.worker.shutdown)
    request.addfinalizer(go.set)  # first: the worker finishes the open, then shuts down
    qtbot.waitUntil(lambda: "playbook" in window.screens, timeout=10000)
    playbook = window.screens["playbook"]
    assert isinstance(playbook, PlaybookScreen)
    qtbot.waitUntil(lambda: playbook.snapshot is not None, timeout=20000)
    return window, playbook, go


def test_an_everyday_start_shows_the_playbook_before_the_database_opens(  # type: ignore[no-untyped-def]
        qtbot, request, ui_font, monkeypatch, data_dir: Path, settings: Settings,
        planner: Actor) -> None:
    """The playbook as the database file holds it now, its latest edit included, is on
    screen while the database is still opening; editing waits for the open database."""
    _revised(data_dir, "修訂後之目的。", planner)
    window, playbook, go = _first_read_shown(qtbot, request, monkeypatch, data_dir, settings)
    assert "修訂後之目的。" in playbook.view.toPlainText()
    assert "第2版" in playbook.version_label.text()
    assert window.db_state.text() == "正在開啟資料庫…"
    assert not playbook.edit_button.isEnabled() and not playbook.roster_button.isEnabled()
    with qtbot.waitSignal(playbook.loaded, timeout=20000):  # the open database's own load
        go.set()
    assert not playbook.first_read and playbook.edit_button.isEnabled()
    assert "修訂後之目的。" in playbook.view.toPlainText()
    assert window.db_state.text() == "資料庫已就緒" and len(window.screens) == 7


def test_a_playbook_changed_while_the_database_opens_replaces_the_first_read(  # type: ignore[no-untyped-def]
        qtbot, request, ui_font, monkeypatch, data_dir: Path, settings: Settings,
        planner: Actor) -> None:
    """What was read before the open is never left on screen as current once the database
    holds a newer version (a sync that wrote in between): the open database's load shows it."""
    open_data_dir(data_dir, "keelung").close()
    window, playbook, go = _first_read_shown(qtbot, request, monkeypatch, data_dir, settings)
    assert "第1版" in playbook.version_label.text() and playbook.first_read
    _revised(data_dir, "同步送達之新目的。", planner)
    with qtbot.waitSignal(playbook.loaded, timeout=20000):
        go.set()
    assert "同步送達之新目的。" in playbook.view.toPlainText()
    assert "第2版" in playbook.version_label.text() and not playbook.first_read
    assert playbook.edit_button.isEnabled()


def test_a_first_start_shows_the_shipped_playbook_while_the_database_is_made(  # type: ignore[no-untyped-def]
        qtbot, request, ui_font, monkeypatch, data_dir: Path, settings: Settings) -> None:
    """No database yet: the procedure the open is about to store is on screen at once, as
    version 1; editing waits for the database, whose own load then takes its place."""
    window, playbook, go = _first_read_shown(qtbot, request, monkeypatch, data_dir, settings)
    assert not (data_dir / DATABASE_FILE).exists()  # the open has not begun
    assert "財政部關務署基隆關危機管理作業流程" in playbook.view.toPlainText()
    assert "第1版" in playbook.version_label.text() and playbook.first_read
    assert window.db_state.text() == "正在開啟資料庫…"
    assert not playbook.edit_button.isEnabled()
    bar = playbook.view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum() // 2)  # the user reads on while the database is made
    read_to = bar.value()
    with qtbot.waitSignal(playbook.loaded, timeout=20000):  # the open database's own load
        go.set()
    assert not playbook.first_read and playbook.edit_button.isEnabled()
    assert bar.value() == read_to > 0  # the same text: not drawn again, nor scrolled back
    assert "財政部關務署基隆關危機管理作業流程" in playbook.view.toPlainText()
    assert "第1版" in playbook.version_label.text()


def test_a_database_gone_while_its_backups_are_there_is_no_first_start(  # type: ignore[no-untyped-def]
        qtbot, request, ui_font, monkeypatch, data_dir: Path, settings: Settings) -> None:
    """The office's playbook is in the backup, not the shipped one: nothing is shown as
    version 1; the open refuses the missing file and the window offers the restore."""
    open_data_dir(data_dir, "keelung").close()
    assert daily_backup(data_dir / DATABASE_FILE, date.today()) is not None
    (data_dir / DATABASE_FILE).unlink()
    refused: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda _parent, _title, text: refused.append(text))
    window = app_module.start_window(data_dir, settings)
    qtbot.addWidget(window)
    request.addfinalizer(window.ctx.worker.shutdown)
    qtbot.waitUntil(lambda: bool(refused), timeout=20000)  # after the first read was tried
    qtbot.waitUntil(lambda: window.database_damaged, timeout=5000)
    playbook = window.screens.get("playbook")
    assert playbook is None or playbook.snapshot is None  # type: ignore[attr-defined]


def test_the_started_window_guards_its_fields_from_the_wheel(  # type: ignore[no-untyped-def]
        qtbot, qapp, request, ui_font, data_dir: Path, settings: Settings) -> None:
    """The wheel guard comes after the show now, yet before any screen: every field of
    every screen is still guarded. The tests' own guard (conftest.py) is taken off for this
    one, so that only the window's can pass it."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QComboBox

    from ui.runtime import wheel_guard

    session_guard = wheel_guard.install_wheel_guard(qapp)
    qapp.removeEventFilter(session_guard)
    wheel_guard._installed.clear()

    def put_back() -> None:
        for guard in wheel_guard._installed:
            qapp.removeEventFilter(guard)
        wheel_guard._installed[:] = [session_guard]
        qapp.installEventFilter(session_guard)

    request.addfinalizer(put_back)
    window = app_module.start_window(data_dir, settings)
    qtbot.addWidget(window)
    request.addfinalizer(window.ctx.worker.shutdown)
    assert wheel_guard._installed == []  # not before the show
    qtbot.waitUntil(lambda: window.db_state.text() == "資料庫已就緒", timeout=20000)
    assert len(wheel_guard._installed) == 1
    window.go_to("settings")
    combos = window.screens["settings"].findChildren(QComboBox)
    assert combos and all(c.focusPolicy() == Qt.FocusPolicy.StrongFocus for c in combos)
