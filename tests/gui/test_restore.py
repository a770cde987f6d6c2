"""The window and the database's files: a damaged database at start, File ▸ Restore from a
backup…, the day's first backup, a failed export and a full disk, each said in the user's
language, with screenshots of what is said in both languages."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

import models.core.files
import models.storage.backups
import ui.runtime.jobs
from i18n import DEFAULT_LANGUAGE
from models.admin import backup
from models.incidents.actions import open_incident
from models.org.settings import Settings
from models.startup import open_data_dir
from models.storage.names import DATABASE_FILE
from tests.damage import count, fill_disk, zero_pages_of
from tests.helpers import run_on_worker, snap
from tests.unit.incidents.test_incidents import draft
from ui.app import start_window
from ui.main_window import MainWindow
from ui.runtime.context import AppContext
from ui.runtime.feedback import unexpected_message
from ui.runtime.language import apply_language

Shown = list[tuple[str, str, str]]
"""Message boxes shown: (kind, title, text)."""


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> Shown:
    """Every message box is recorded instead of shown; a question is answered Yes."""
    shown: Shown = []

    def record(kind: str) -> Callable[..., QMessageBox.StandardButton]:
        def box(_parent: object, title: str, text: str, *_args: Any) -> Any:
            shown.append((kind, title, text))
            return QMessageBox.StandardButton.Yes
        return box

    for kind in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, record(kind))
    return shown


def choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(path), ""))


def snap_box(kind: str, title: str, text: str, path: Path) -> None:
    """What a faked message box would have shown, drawn as Qt draws it."""
    icons = {"critical": QMessageBox.Icon.Critical, "warning": QMessageBox.Icon.Warning,
             "information": QMessageBox.Icon.Information,
             "question": QMessageBox.Icon.Question}
    box = QMessageBox(icons[kind], title, text)
    if kind == "question":
        box.setStandardButtons(QMessageBox.StandardButton.Yes
                               | QMessageBox.StandardButton.Cancel)
    box.show()
    snap(box, path)
    box.close()
    box.deleteLater()


@pytest.fixture
def started(qtbot, request, ui_font, data_dir: Path,  # type: ignore[no-untyped-def]
            settings: Settings) -> Iterator[Callable[[str], MainWindow]]:
    """Start the window as a user does (ui.app.start_window), in a language."""
    def start(language: str) -> MainWindow:
        apply_language(language)
        window = start_window(data_dir, settings.with_(language=language))
        qtbot.addWidget(window)
        request.addfinalizer(window.ctx.worker.shutdown)
        return window

    yield start
    apply_language(DEFAULT_LANGUAGE)


@pytest.mark.parametrize("language", ["zh_TW", "en"])
def test_a_damaged_database_is_said_at_start_and_restored_from_the_file_menu(  # type: ignore[no-untyped-def]
        qtbot, monkeypatch, boxes: Shown, started, data_dir: Path, artifacts: Path,
        language: str) -> None:
    database = open_data_dir(data_dir, "keelung")
    saved = backup(database, data_dir / "backups")
    database.close()
    path = data_dir / DATABASE_FILE
    zero_pages_of(path, "units", "timeline")
    damaged = path.read_bytes()

    window = started(language)
    qtbot.waitUntil(lambda: bool(boxes), timeout=20000)

    [(kind, title, text)] = boxes
    assert kind == "critical" and str(path) in text and str(saved) in text
    if language == "zh_TW":
        assert title == "無法開啟資料庫" and "已損毀" in text and "從備份還原" in text
    assert window.isVisible() and window.database_damaged  # the way out is in its menu
    assert path.read_bytes() == damaged
    assert window.act_restore.isEnabled() and not window.act_export_json.isEnabled()
    snap_box(kind, title, text, artifacts / f"damaged-at-start-{language}.png")
    snap(window, artifacts / f"damaged-window-{language}.png")
    window.file_menu.adjustSize()  # drawn without popping up (no pointer grab offscreen)
    snap(window.file_menu, artifacts / f"damaged-file-menu-{language}.png")

    choose_file(monkeypatch, saved)
    window.act_restore.trigger()
    qtbot.waitUntil(lambda: len(boxes) == 3, timeout=20000)

    [_damaged, question, done] = boxes
    assert question[0] == "question" and str(saved) in question[2]
    assert done[0] == "information" and str(saved) in done[2]
    [kept] = (data_dir / "backups").glob("crisisdesk.damaged-*.sqlite3")
    assert str(kept) in done[2] and kept.read_bytes() == damaged
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert count(path, "units") == 15
    snap_box(*question, artifacts / f"restore-question-{language}.png")
    snap_box(*done, artifacts / f"restore-done-{language}.png")


def test_the_first_start_of_the_day_backs_up_and_a_restore_replaces_the_open_database(  # type: ignore[no-untyped-def]
        qtbot, monkeypatch, boxes: Shown, started, data_dir: Path, unit_head) -> None:
    window = started("zh_TW")  # the event loop has not run yet: nothing is opened so far
    with qtbot.waitSignal(window.ctx.worker.finished, timeout=20000,
                          check_params_cb=lambda name: name == "daily_backup"):
        pass
    [daily] = (data_dir / "backups").glob("crisisdesk-????????.sqlite3")
    run_on_worker(qtbot, window.ctx, lambda db: open_incident(db, unit_head, "keelung",
                                                              draft()))

    choose_file(monkeypatch, daily)
    window.act_restore.trigger()
    qtbot.waitUntil(lambda: len(boxes) == 2, timeout=20000)

    [question, done] = boxes
    [kept] = (data_dir / "backups").glob("crisisdesk.replaced-*.sqlite3")
    assert done[0] == "information" and str(kept) in done[2] and "重新啟動" in done[2]
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert count(kept, "incidents") == 1  # the records of the replaced database are kept
    assert count(data_dir / DATABASE_FILE, "incidents") == 0
    assert not window.ctx.worker.ready  # nothing of this session writes into the new file


def test_a_refused_restore_is_said_and_the_window_goes_on(  # type: ignore[no-untyped-def]
        qtbot, monkeypatch, boxes: Shown, started, data_dir: Path, tmp_path: Path,
        unit_head, artifacts: Path) -> None:
    window = started("zh_TW")
    qtbot.waitUntil(lambda: window.ctx.worker.ready, timeout=20000)
    bad = tmp_path / "not a backup.sqlite3"
    bad.write_bytes(b"")
    choose_file(monkeypatch, bad)

    window.act_restore.trigger()
    # While it runs, nothing else may start: it would be dropped behind the restore without
    # a word, or (a second restore) replace the one just restored.
    assert not any(act.isEnabled() for act in (*window._database_actions(),
                                                 window.act_restore))
    qtbot.waitUntil(lambda: len(boxes) == 2, timeout=20000)

    [_question, (kind, title, text)] = boxes
    assert (kind, title) == ("warning", "從備份還原")
    assert text.startswith(f"無法還原{bad}") and "0位元組" in text
    qtbot.waitUntil(lambda: window.ctx.worker.ready, timeout=5000)
    assert window.isVisible() and window.centralWidget().isEnabled()
    assert all(act.isEnabled() for act in (*window._database_actions(), window.act_restore))
    assert run_on_worker(qtbot, window.ctx, lambda db: open_incident(
        db, unit_head, "keelung", draft()))  # the database is open again
    snap_box(kind, title, text, artifacts / "restore-refused-zh_TW.png")


# --- a failed export and a full disk, in a running window ------------------------------------


@pytest.fixture
def window(qtbot, ctx: AppContext, boxes: Shown) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    ctx.database_ready.emit()
    return win


def test_an_export_that_fails_unexpectedly_says_so_briefly_in_chinese(  # type: ignore[no-untyped-def]
        qtbot, monkeypatch, caplog, window: MainWindow, boxes: Shown, tmp_path: Path,
        artifacts: Path) -> None:
    def broken(_db: object, _path: Path) -> int:
        raise TypeError("Object of type date is not JSON serializable")

    monkeypatch.setattr(ui.runtime.jobs, "export_json", broken)
    choose_file(monkeypatch, tmp_path / "all.json")
    with caplog.at_level(logging.ERROR):
        window.act_export_json.trigger()
        qtbot.waitUntil(lambda: bool(boxes), timeout=10000)

    [(kind, title, text)] = boxes
    assert (kind, title) == ("critical", "匯出所有紀錄")
    # The one "unexpected" message of the app: it sends IT to Help ▸ Open the log folder.
    assert text == unexpected_message() and "JSON serializable" not in text
    assert "JSON serializable" in caplog.text  # the details, for IT
    snap_box(kind, title, text, artifacts / "export-failed-zh_TW.png")


def test_an_export_onto_a_full_disk_is_said_and_leaves_no_file(  # type: ignore[no-untyped-def]
        qtbot, monkeypatch, window: MainWindow, boxes: Shown, tmp_path: Path) -> None:
    import errno
    import os

    import models.core.files

    def no_space(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(models.core.files.os, "fsync", no_space)
    choose_file(monkeypatch, tmp_path / "all.json")
    window.act_export_json.trigger()
    qtbot.waitUntil(lambda: bool(boxes), timeout=10000)

    [(kind, _title, text)] = boxes
    assert kind == "warning" and "磁碟已滿" in text and str(tmp_path / "all.json") in text
    assert list(tmp_path.iterdir()) == [tmp_path / "data"]


def test_a_full_disk_during_a_save_is_said_and_nothing_is_half_saved(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, boxes: Shown, artifacts: Path) -> None:
    window.build_screens()
    run_on_worker(qtbot, window.ctx, lambda db: fill_disk(db.engine))

    window.act_examples.trigger()  # the example cases: one transaction of many rows
    qtbot.waitUntil(lambda: bool(boxes), timeout=10000)

    [(kind, title, text)] = boxes
    assert kind == "warning" and "磁碟已滿" in text
    assert str(window.ctx.data_dir / DATABASE_FILE) in text
    assert run_on_worker(qtbot, window.ctx, lambda db: count(db.path, "incidents")) == 0
    snap_box(kind, title, text, artifacts / "disk-full-zh_TW.png")


def test_a_restore_that_cannot_put_the_database_back_leaves_no_new_empty_one(  # type: ignore[no-untyped-def]
        qtbot, monkeypatch, boxes: Shown, started, data_dir: Path) -> None:
    """Damage found only by the restore's copy: the database is moved to backups/, the
    replace is refused, and moving it back fails too. The worker used to open the database
    again, which made a new, empty one under its name: the silent loss the issue forbids.
    Now nothing is made; the window says where the database is and offers the restore."""
    from datetime import date

    from models.core.faults import backup_file

    path = data_dir / DATABASE_FILE
    database = open_data_dir(data_dir, "keelung")
    today = data_dir / "backups" / f"crisisdesk-{date.today():%Y%m%d}.sqlite3"
    backup_file(database.path, today)  # the day's backup is made: the start makes none
    database.close()
    zero_pages_of(path, "timeline")  # nothing at start reads it
    window = started("zh_TW")
    qtbot.waitUntil(lambda: window.ctx.worker.ready, timeout=20000)
    real_replace = models.storage.backups.os.replace

    def held(source: str, target: str) -> None:
        if str(source).endswith(".restore"):
            raise PermissionError(13, "The process cannot access the file", str(source))
        real_replace(source, target)

    def stuck(moved: Path, _database: Path) -> None:
        raise PermissionError(13, "The process cannot access the file", str(moved))

    monkeypatch.setattr(models.storage.backups.os, "replace", held)
    monkeypatch.setattr(models.core.files.time, "sleep", lambda _s: None)
    monkeypatch.setattr(models.storage.backups, "_move_back", stuck)
    choose_file(monkeypatch, today)

    window.act_restore.trigger()
    qtbot.waitUntil(lambda: len(boxes) == 2, timeout=20000)

    [_question, (kind, _title, text)] = boxes
    [moved] = (data_dir / "backups").glob("crisisdesk.damaged-*.sqlite3")
    assert kind == "warning" and str(moved) in text
    assert not path.exists()  # no new, empty database in its place
    assert not window.ctx.worker.ready and window.database_damaged
    assert window.act_restore.isEnabled() and not window.act_backup.isEnabled()
    assert not window.centralWidget().isEnabled()


def test_damage_found_by_the_days_first_backup_stops_the_work_on_the_database(  # type: ignore[no-untyped-def]
        qtbot, boxes: Shown, started, data_dir: Path) -> None:
    """Pages nothing reads at start: the database opens, and the day's first backup finds
    the damage. The window used to say "Not done" and go on writing into the damaged file;
    now it says what the damage is and which backup to restore, closes the database, and
    offers only the restore."""
    database = open_data_dir(data_dir, "keelung")
    saved = backup(database, data_dir / "backups")
    database.close()
    path = data_dir / DATABASE_FILE
    zero_pages_of(path, "timeline")
    damaged = path.read_bytes()

    window = started("zh_TW")
    qtbot.waitUntil(lambda: bool(boxes), timeout=20000)

    [(kind, title, text)] = boxes
    assert kind == "critical" and str(path) in text and str(saved) in text
    assert "已損毀" in text and "從備份還原" in text
    qtbot.waitUntil(lambda: not window.ctx.worker.ready, timeout=10000)
    assert window.database_damaged and not window.centralWidget().isEnabled()
    assert window.act_restore.isEnabled()
    assert not any(act.isEnabled() for act in window._database_actions())
    # Closed: the -wal folded in and gone, the file as the damage left it. The worker closes
    # it after `ready` turns False (run_released): wait for the close, not for the flag.
    wal = path.with_name(path.name + "-wal")
    qtbot.waitUntil(lambda: not wal.exists(), timeout=10000)
    assert path.read_bytes() == damaged
