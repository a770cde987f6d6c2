"""The Statistics screen as the planning group uses it: the year's review on screen with its
charts, the year changed, new records seen, the report printed for 陳核 and its tables
exported as an ODF spreadsheet."""

from __future__ import annotations

import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from i18n import _
from models.core.changes import Change, OpChanges
from models.drills.kinds import taipei_today
from models.incidents.entities import TimelineRow
from models.storage.db import Database
from tests.helpers import run_on_worker, snap
from tests.review_data import corrective, incident, notify, utc
from tests.scans import scan_of_pdf
from ui.printing.preview import PrintPreviewDialog
from ui.printing.signed_scans import SignedScanDialog
from ui.review.actions import OVERDUE, MoveDialog
from ui.review.screen import ReviewScreen
from ui.runtime.context import AppContext
from ui.widgets.items import cell


@pytest.fixture
def screen(qtbot: QtBot, ctx: AppContext) -> ReviewScreen:
    this_year = taipei_today().year

    def made(db: Database) -> None:
        first = incident(db, "貨櫃夾藏加熱菸", utc(this_year, 1, 10, 2), "high")
        notify(db, first, utc(this_year, 1, 10, 2, 15))
        incident(db, "去年的輿情", utc(this_year - 1, 6, 1, 2), "medium",
                 category="public_opinion")

    run_on_worker(qtbot, ctx, made)
    widget = ReviewScreen(ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    widget.show()
    with qtbot.waitSignal(widget.loaded, timeout=20000):
        widget.load()
    return widget


def chart_image(widget: ReviewScreen, index: int) -> QImage:
    image = widget.view.document().resource(QTextDocument.ResourceType.ImageResource,
                                            QUrl(f"chart:{index}"))
    return image if isinstance(image, QImage) else QImage()


def test_the_years_review_is_on_screen_with_its_charts(
        qtbot: QtBot, screen: ReviewScreen, artifacts: Path) -> None:
    text = screen.view.toPlainText()
    assert "危機管理年度檢討報告" in text and "貨櫃夾藏加熱菸" in text
    assert "去年的輿情" not in text  # last year's
    assert screen.year.currentText() == f"民國{taipei_today().year - 1911}年"
    assert screen.year.count() == 2
    first = chart_image(screen, 0)
    assert not first.isNull() and first.width() > 300
    snap(screen, artifacts / "review_screen_zh.png")


def test_another_year_and_new_records_are_shown(qtbot: QtBot, ctx: AppContext,
                                                screen: ReviewScreen) -> None:
    with qtbot.waitSignal(screen.loaded, timeout=20000):
        screen.year.setCurrentIndex(1)
        screen.year.activated.emit(1)
    assert "去年的輿情" in screen.view.toPlainText()

    def another(db: Database) -> None:
        incident(db, "去年的第二件", utc(taipei_today().year - 1, 8, 1, 2), "low")

    run_on_worker(qtbot, ctx, another)
    with qtbot.waitSignal(screen.loaded, timeout=20000):
        ctx.data_changed.emit(OpChanges.of([Change.INCIDENTS]))  # as a sync announces it
    assert "去年的第二件" in screen.view.toPlainText()


def test_the_review_prints_for_signing(qtbot: QtBot, screen: ReviewScreen, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    with qtbot.waitSignal(screen.printer.previewed, timeout=30000) as shown:
        screen.print_button.click()
    dialog = shown.args[0]
    assert isinstance(dialog, PrintPreviewDialog)
    qtbot.addWidget(dialog)
    assert dialog.path.name.startswith(f"annual-review-{taipei_today().year - 1911}")
    assert dialog.path.read_bytes().startswith(b"%PDF")

    # The printout, signed and scanned, is attached: its QR code says it is the current one.
    scan = scan_of_pdf(dialog.path.read_bytes(), tmp_path / "annual-signed.png", angle=-2.5)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(scan), ""))
    with qtbot.waitSignal(screen.ctx.worker.finished, timeout=20000,
                          check_params_cb=lambda name: name == "signed_scans"):
        screen.scans_button.click()
    scans = screen.findChild(SignedScanDialog)
    with qtbot.waitSignal(screen.ctx.worker.finished, timeout=20000,
                          check_params_cb=lambda name: name == "signed_scans"):
        scans.choose.click()
    assert scans.table.topLevelItem(0).text(4) == _("Current version")
    scans.close()


def test_the_tables_export_as_an_odf_spreadsheet(
        qtbot: QtBot, screen: ReviewScreen, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "review"  # no suffix typed: the chosen filter gives it
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *_a, **_k: (str(target), "ODF 試算表 (*.ods)"))
    screen.export_button.click()
    qtbot.waitUntil(lambda: "review.ods" in screen.message.text(), timeout=20000)
    with zipfile.ZipFile(tmp_path / "review.ods") as package:
        assert package.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        assert "貨櫃夾藏加熱菸" in package.read("content.xml").decode("utf-8")


def test_the_review_reads_in_english_after_the_switch(
        qtbot: QtBot, ctx: AppContext, screen: ReviewScreen, artifacts: Path) -> None:
    with qtbot.waitSignal(screen.loaded, timeout=20000):
        ctx.update_settings(ctx.settings.with_(language="en"))
    text = screen.view.toPlainText()
    assert "Annual crisis management review" in text and "貨櫃夾藏加熱菸" in text
    assert screen.print_button.text() == "Print annual review…"
    assert screen.year.currentText() == f"ROC year {taipei_today().year - 1911}"
    snap(screen, artifacts / "review_screen_en.png")


def test_corrective_actions_are_followed_up_after_archiving(
        qtbot: QtBot, ctx: AppContext, screen: ReviewScreen, artifacts: Path) -> None:
    """The planning group sees the overdue action in red, moves it to done with a note, and
    the note is in the case's timeline under their name."""
    today = taipei_today()

    def made(db: Database) -> str:
        case = incident(db, "已歸檔的案件", utc(today.year, 1, 5, 2), "medium",
                        archived=utc(today.year, 1, 8, 2))
        corrective(db, case, utc(today.year, 1, 8, 1), today - timedelta(days=3), None)
        corrective(db, case, utc(today.year, 1, 8, 1), None, utc(today.year, 2, 1))  # done
        return case

    case = run_on_worker(qtbot, ctx, made)
    panel = screen.followed
    screen.tabs.setCurrentWidget(panel)
    with qtbot.waitSignal(panel.loaded, timeout=20000):
        panel.load()
    assert panel.table.rowCount() == 1  # the done one is not what needs doing
    assert cell(panel.table, 0, 6).text() == "逾期"
    assert cell(panel.table, 0, 0).foreground().color() == OVERDUE
    snap(screen, artifacts / "review_actions_zh.png")
    panel.showing.setCurrentIndex(panel.showing.findData("all"))
    panel.showing.activated.emit(panel.showing.currentIndex())
    assert panel.table.rowCount() == 2

    panel.table.selectRow(0)
    panel.move_button.click()
    dialog = panel.findChild(MoveDialog)
    assert dialog is not None and dialog.status.currentData() == "done"
    dialog.note.setPlainText("流程已修訂並公告")
    snap(dialog, artifacts / "move_action_zh.png")
    with qtbot.waitSignal(panel.loaded, timeout=20000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert all(cell(panel.table, r, 6).text() != "逾期" for r in range(panel.table.rowCount()))

    def note(db: Database) -> str:
        with db.session() as session:
            entry = session.scalars(select(TimelineRow).where(
                TimelineRow.incident_id == case, TimelineRow.kind == "corrective")).one()
            return f"{entry.author}:{json.loads(entry.data)['note']}"

    assert run_on_worker(qtbot, ctx, note) == f"{ctx.settings.user_name}:流程已修訂並公告"


def test_the_chosen_action_stays_chosen_when_a_sync_adds_one_above_it(
        qtbot: QtBot, ctx: AppContext, screen: ReviewScreen) -> None:
    today = taipei_today()

    def made(db: Database) -> str:
        case = incident(db, "已歸檔的案件", utc(today.year, 1, 5, 2), "medium",
                        archived=utc(today.year, 1, 8, 2))
        corrective(db, case, utc(today.year, 1, 8, 1), today + timedelta(days=30), None)
        return case

    case = run_on_worker(qtbot, ctx, made)
    panel = screen.followed
    with qtbot.waitSignal(panel.loaded, timeout=20000):
        panel.load()
    panel.table.selectRow(0)
    chosen = panel.chosen()
    assert chosen is not None
    run_on_worker(qtbot, ctx, lambda db: corrective(  # arrives from another PC: overdue
        db, case, utc(today.year, 1, 8, 1), today - timedelta(days=9), None))
    with qtbot.waitSignal(panel.loaded, timeout=20000):
        panel.load()
    assert panel.table.rowCount() == 2 and cell(panel.table, 0, 6).text() == "逾期"
    moved = panel.chosen()
    assert moved is not None and moved.action_id == chosen.action_id
