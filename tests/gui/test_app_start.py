"""The window's real start path (ui.app.start_window): shown first, then screens built and the
database created on the worker, then the playbook on screen. A newer database is refused
with a message, not opened."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtWidgets import QWidget

import ui.app as app_module
from models.org.settings import Settings
from models.startup import open_data_dir
from models.storage.names import DATABASE_FILE


def test_first_start_shows_the_window_then_the_playbook(qtbot, request, ui_font,  # type: ignore[no-untyped-def]
                                                       data_dir: Path, settings: Settings) -> None:
    window = app_module.start_window(data_dir, settings)
    qtbot.addWidget(window)
    request.addfinalizer(window.ctx.worker.shutdown)
    assert window.isVisible() and window.screens == {}  # shown before anything heavy
    qtbot.waitUntil(lambda: bool(window.screens), timeout=10000)
    playbook = window.findChild(QWidget, "screen_playbook")
    qtbot.waitUntil(lambda: playbook.snapshot is not None, timeout=20000)  # type: ignore[attr-defined]
    assert (data_dir / DATABASE_FILE).exists()
    assert "財政部關務署基隆關危機管理作業流程" in playbook.view.toPlainText()  # type: ignore[attr-defined]
    assert window.db_state.text() == "資料庫已就緒"


def test_a_database_from_a_newer_version_is_refused_with_a_message(  # type: ignore[no-untyped-def]
        qtbot, request, ui_font, monkeypatch, data_dir: Path, settings: Settings) -> None:
    open_data_dir(data_dir, "keelung").close()
    with sqlite3.connect(data_dir / DATABASE_FILE) as con:
        con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    shown: list[str] = []
    monkeypatch.setattr(app_module.QMessageBox, "critical",
                        lambda _parent, title, text: shown.append(f"{title}: {text}"))
    window = app_module.start_window(data_dir, settings)
    qtbot.addWidget(window)
    request.addfinalizer(window.ctx.worker.shutdown)
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)
    assert "較新版本" in shown[0]
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
