"""A record's 公文 header edited through the real window, as the executive secretary: the
incident's header dialog refuses 密 without its declassification condition at that field,
stores it once given, and the case is then flagged beside its title and in the incident list;
the month's drill is marked from the drills screen and flagged in its schedule. Screenshots of
the dialog and the flags in both languages go to test-artifacts/."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from models.drills.actions import draw_unit
from models.drills.kinds import taipei_today
from models.incidents.record_header import incident_header
from models.org.people import Actor, Role
from models.org.settings import Settings
from models.playbook.records import RecordHeader
from models.storage.db import Database, utcnow
from tests.helpers import drills_screen_shown, incident_open, run_on_worker, snap, window_at_home
from tests.review_data import incident
from ui.main_window import MainWindow
from ui.runtime.context import AppContext
from ui.runtime.language import apply_language
from ui.widgets.combos import select_data
from ui.widgets.record_header import RecordHeaderDialog

TIMEOUT = 10000
SECRETARY = Actor("周執秘", Role.SECRETARY, "secretariat")


@pytest.fixture
def settings() -> Settings:
    """The executive secretary: sets an incident's header (as the commander does) and a
    drill's (as the planning group does)."""
    return Settings(user_name="周執秘", unit_key="secretariat", role=Role.SECRETARY)


@pytest.fixture
def window(qtbot: QtBot, ctx: AppContext) -> Iterator[tuple[MainWindow, str]]:
    case = run_on_worker(qtbot, ctx, lambda db: incident(
        db, "貨櫃夾藏加熱菸", utcnow() - timedelta(hours=3), "medium"))
    yield window_at_home(qtbot, ctx, (1280, 900)), case


def opened_dialog(qtbot: QtBot, owner: object) -> RecordHeaderDialog:
    qtbot.mouseClick(owner.button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: owner.dialog is not None  # type: ignore[attr-defined]
                    and owner.dialog.isVisible(), timeout=TIMEOUT)  # type: ignore[attr-defined]
    return owner.dialog  # type: ignore[attr-defined, no-any-return]


def test_the_secretary_classifies_a_case_and_it_is_flagged(
        qtbot: QtBot, ctx: AppContext, window: tuple[MainWindow, str], artifacts: Path) -> None:
    win, case = window
    screen = incident_open(qtbot, win, case, timeout=TIMEOUT)
    header = screen.workspace.record_header
    assert header.button.isEnabled() and not header.badge.isVisible()

    dialog = opened_dialog(qtbot, header)
    assert (dialog.retention.currentText(), dialog.speed.currentText(),
            dialog.classification.currentText()) == ("依規定（10年）", "普通件", "普通")
    assert not dialog.declassify.isEnabled()
    qtbot.keyClicks(dialog.file_number, "115/0105.02/1/7")
    select_data(dialog.speed, "urgent")
    dialog.classification.setCurrentIndex(dialog.classification.findData("restricted"))
    assert dialog.declassify.isEnabled()
    with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT):
        dialog.accept()  # no condition given
    assert dialog.isVisible() and dialog.error.isVisible()
    assert "解密條件或保密期限" in dialog.error.text()
    snap(dialog, artifacts / "record_header_dialog_zh.png")

    dialog.declassify.insert("本案結案後解密")  # keyClicks types ASCII only
    with qtbot.waitSignal(screen.workspace.ctrl.loaded, timeout=TIMEOUT):
        dialog.accept()
    assert not dialog.isVisible()
    stored = run_on_worker(qtbot, ctx, lambda db: incident_header(db, case))
    assert stored == RecordHeader("115/0105.02/1/7", "", "urgent", "restricted", "本案結案後解密")
    assert header.badge.isVisible() and header.badge.text() == "【密】"
    snap(screen.workspace, artifacts / "record_header_incident_zh.png")

    printer = screen.workspace.printer  # the window's own Print menu, as the user prints
    with qtbot.waitSignal(printer.previewed, timeout=TIMEOUT) as opened:
        screen.workspace.print_actions["notification"].trigger()
    preview = opened.args[0]
    text = "".join(subprocess.run(["pdftotext", "-layout", str(preview.path), "-"],
                                  capture_output=True, text=True, check=True).stdout.split())
    for field in ("檔號：115/0105.02/1/7", "速別：速件", "保存年限：10年",
                  "密等及解密條件或保密期限：密（本案結案後解密）"):
        assert field in text
    preview.close()

    apply_language("en")
    ctx.language_changed.emit()
    assert header.button.text() == "Document header…"
    assert header.badge.text() == "[Restricted]"
    english = opened_dialog(qtbot, header)
    assert (english.classification.currentText(), english.declassify.text()) == (
        "Restricted", "本案結案後解密")
    snap(english, artifacts / "record_header_dialog_en.png")
    english.reject()
    apply_language("zh_TW")
    ctx.language_changed.emit()

    qtbot.mouseClick(screen.workspace.back_button, Qt.MouseButton.LeftButton)
    model = screen.model
    qtbot.waitUntil(lambda: any(r.id == case and r.classification == "restricted"
                                for r in model.rows), timeout=TIMEOUT)
    row = next(i for i, r in enumerate(model.rows) if r.id == case)
    assert model.data(model.index(row, 1)).startswith("【密】")
    snap(screen, artifacts / "record_header_list_zh.png")


def _draw(db: Database) -> None:
    draw_unit(db, SECRETARY, "keelung", taipei_today(), seed=7)


def test_the_months_drill_is_marked_from_the_drills_screen(
        qtbot: QtBot, ctx: AppContext, artifacts: Path) -> None:
    run_on_worker(qtbot, ctx, _draw)
    screen = drills_screen_shown(qtbot, ctx)
    header = screen.record_header
    assert header.button.isEnabled() and not header.badge.isVisible()
    dialog = opened_dialog(qtbot, header)
    dialog.classification.setCurrentIndex(dialog.classification.findData("confidential"))
    dialog.declassify.insert("演練評核完成後解密")
    with qtbot.waitSignal(screen.loaded, timeout=TIMEOUT):
        dialog.accept()
    assert header.badge.text() == "【機密】"
    this_month = next(r for r in range(screen.schedule.rowCount())
                      if screen.schedule.item(r, 1).text())
    assert screen.schedule.item(this_month, 1).text().startswith("【機密】")
    snap(screen, artifacts / "record_header_drills_zh.png")
    apply_language("en")
    ctx.language_changed.emit()
    assert header.badge.text() == "[Confidential]"
    qtbot.waitUntil(lambda: all(w.width() >= w.sizeHint().width()  # laid out anew, not cut
                                for w in (header.badge, header.button)), timeout=TIMEOUT)
    snap(screen, artifacts / "record_header_drills_en.png")
    apply_language("zh_TW")
    ctx.language_changed.emit()


def _classify_first_example(db: Database) -> str:
    """The demo cases arrive archived: the header a case was given before its archiving is
    written to its row, as the act had written it then."""
    from models.incidents.case_import import load_demo
    from models.incidents.entities import IncidentRow

    load_demo(db, SECRETARY, "keelung")
    with db.session() as session:
        row = session.query(IncidentRow).order_by(IncidentRow.started_at).first()
        assert row is not None
        row.doc_classification, row.doc_declassify = "restricted", "本案結案後解密"
        return row.title


def test_a_classified_case_is_flagged_in_the_archive(qtbot: QtBot, ctx: AppContext,
                                                    artifacts: Path) -> None:
    from ui.incidents.archive import ArchiveScreen

    title = run_on_worker(qtbot, ctx, _classify_first_example)
    screen = ArchiveScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1300, 800)
    screen.show()
    with qtbot.waitSignal(screen.searched, timeout=TIMEOUT):
        screen.load()
    titles = [screen.table.item(r, 1).text() for r in range(screen.table.rowCount())]
    assert any(t.startswith(f"【密】{title}") for t in titles)  # then （範例）
    assert sum(t.startswith("【密】") for t in titles) == 1
    snap(screen, artifacts / "record_header_archive_zh.png")


def test_a_classified_case_is_flagged_on_home(qtbot: QtBot, ctx: AppContext,
                                              artifacts: Path) -> None:
    """Home lists the open cases by title: a 密 case's title carries its flag there too, the
    unmarked one none."""
    from models.incidents.record_header import set_incident_header
    from ui.review.home import HomeScreen

    def two_cases(db: Database) -> None:
        secret = incident(db, "貨櫃夾藏加熱菸", utcnow() - timedelta(hours=3), "medium")
        incident(db, "颱風致貨棧停電", utcnow() - timedelta(hours=2), "medium")
        set_incident_header(db, SECRETARY, secret, RecordHeader(
            classification="restricted", declassify="本案結案後解密"))

    run_on_worker(qtbot, ctx, two_cases)
    win = window_at_home(qtbot, ctx, (1280, 900))
    home = win.screens["home"]
    assert isinstance(home, HomeScreen)
    texts = [home.items.item(i).text().strip() for i in range(home.items.count())]
    [secret] = [t for t in texts if "貨櫃夾藏加熱菸" in t]
    [plain] = [t for t in texts if "颱風致貨棧停電" in t]
    assert "【密】貨櫃夾藏加熱菸" in secret and "【密】" not in plain
    snap(home, artifacts / "record_header_home_zh.png")


def test_a_double_click_opens_one_editor(qtbot: QtBot, ctx: AppContext,
                                         window: tuple[MainWindow, str]) -> None:
    """Two clicks before the header is read open one editor, not one over the other."""
    win, case = window
    screen = incident_open(qtbot, win, case, timeout=TIMEOUT)
    header = screen.workspace.record_header
    reads: list[str] = []
    ctx.worker.finished.connect(reads.append)
    qtbot.mouseClick(header.button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(header.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: reads.count("read_record_header") == 2, timeout=TIMEOUT)
    assert header.dialog is not None and header.dialog.isVisible()
    assert len([d for d in header.findChildren(RecordHeaderDialog) if d.isVisible()]) == 1
