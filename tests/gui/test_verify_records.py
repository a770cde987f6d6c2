"""Help ▸ Verify records as IT meets it: on this PC's own records the dialog says everything
holds; after an incident's title was changed in the database file with another tool, the
dialog lists that record and field."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QListWidget

from models.incidents.actions import open_incident
from models.org.people import Actor, Role
from models.schema import RULES
from models.storage.names import DATABASE_FILE
from models.sync.audit import AuditReport, verify_history
from tests.helpers import run_on_worker, snap
from tests.unit.incidents.test_incidents import draft
from ui.main_window import MainWindow
from ui.runtime.context import AppContext
from ui.sync.audit import AuditDialog

TIMEOUT = 20000
HEAD = Actor("王組長", Role.UNIT_HEAD, "inspection")


@pytest.fixture
def window(qtbot, ctx: AppContext) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    ctx.database_ready.emit()
    win.show()
    qtbot.waitExposed(win)
    yield win


def verify_from_the_menu(qtbot, window: MainWindow) -> AuditDialog:  # type: ignore[no-untyped-def]
    """Help ▸ Verify records, and the dialog it opens once the worker has checked."""
    assert window.act_verify in window.help_menu.actions()
    with qtbot.waitSignal(window.ctx.worker.finished, timeout=TIMEOUT,
                          check_params_cb=lambda name: name == "verify_records"):
        window.act_verify.trigger()
        assert not window.act_verify.isEnabled()  # one check at a time
    assert window.act_verify.isEnabled()
    dialog = window.findChild(AuditDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_records_of_this_pc_all_hold(qtbot, window: MainWindow, ctx: AppContext,  # type: ignore[no-untyped-def]
                                     artifacts: Path) -> None:
    run_on_worker(qtbot, ctx, lambda db: open_incident(db, HEAD, "keelung", draft()))
    report: AuditReport = run_on_worker(qtbot, ctx, lambda db: verify_history(db, RULES))
    assert report.ok

    dialog = verify_from_the_menu(qtbot, window)

    assert dialog.findChild(QLabel, "audit_summary").text() == report.summary()
    findings = dialog.findChild(QListWidget, "audit_findings")
    assert findings.count() == 0 and not findings.isVisible()
    snap(dialog, artifacts / "verify-records-ok.png")


def test_a_title_changed_outside_the_app_is_listed(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                  ctx: AppContext, artifacts: Path) -> None:
    incident = run_on_worker(qtbot, ctx, lambda db: open_incident(
        db, HEAD, "keelung", draft(title="加熱菸走私案")))
    with sqlite3.connect(ctx.data_dir / DATABASE_FILE) as con:
        con.execute("UPDATE incidents SET title = '無事' WHERE id = ?", (incident,))
    con.close()

    dialog = verify_from_the_menu(qtbot, window)

    findings = dialog.findChild(QListWidget, "audit_findings")
    assert findings.isVisible()
    [line] = [findings.item(n).text() for n in range(findings.count())]
    assert all(part in line for part in ("incidents", incident, "title", "無事", "加熱菸走私案"))
    report: AuditReport = run_on_worker(qtbot, ctx, lambda db: verify_history(db, RULES))
    assert dialog.findChild(QLabel, "audit_summary").text() == report.summary()
    snap(dialog, artifacts / "verify-records-finding.png")


def test_refused_changes_are_listed_as_evidence_and_copied(qtbot, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    """Changes the office's rules refused are no finding (everything holds) but are listed
    below the summary, named, and go to the clipboard with it for IT."""
    from PySide6.QtWidgets import QApplication, QPushButton

    from models.sync.audit_findings import Refusal

    refusal = Refusal("Statement", "5f0c", "林組長",
                      "it records the act in the name of its author, whose posts do not give it",
                      "A" * 52, 7)
    report = AuditReport((), 0, 3, 40, 12, (refusal,))
    dialog = AuditDialog(report)
    qtbot.addWidget(dialog)
    dialog.show()
    snap(dialog, artifacts / "verify_records_refused.png")

    listed = dialog.findChild(QListWidget, "audit_refused")
    assert report.ok and listed.isVisible()
    assert [listed.item(row).text() for row in range(listed.count())] == [refusal.message()]
    assert "林組長" in refusal.message() and "7" in refusal.message()
    dialog.findChild(QPushButton, "audit_copy").click()
    assert QApplication.clipboard().text().splitlines() == [
        report.summary(), dialog.refused_title.text(), refusal.message()]
