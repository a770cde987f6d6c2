"""The Drills screen driven as the executive secretary: the monthly schedule and overdue
units, a recorded draw with a unit left out for a reason, a redraw that needs its own reason
and keeps the first, and the category and scenario chosen for the drawn unit."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from i18n import _
from models.org.people import Role
from models.org.settings import Settings
from tests.helpers import pages_on_screen, snap
from tests.scans import blank_scan, scan_of_pdf
from ui.drills.screen import DrillsScreen
from ui.printing.signed_scans import SignedScanDialog
from ui.runtime.context import AppContext
from ui.runtime.language import apply_language

TIMEOUT = 10000


@pytest.fixture
def settings() -> Settings:
    return Settings(user_name="周執秘", unit_key="secretariat", role=Role.SECRETARY)


@pytest.fixture
def screen(qtbot, ctx: AppContext) -> DrillsScreen:  # type: ignore[no-untyped-def]
    widget = DrillsScreen(ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 820)
    widget.show()
    with qtbot.waitSignal(widget.loaded, timeout=TIMEOUT):
        widget.load()
    return widget


def test_the_secretary_draws_redraws_and_a_scenario_is_chosen(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, screen: DrillsScreen, artifacts: Path, monkeypatch) -> None:
    assert screen.overview is not None
    assert screen.overdue.count() == len(screen.overview.units)  # never drilled: all due
    panel = screen.draw_panel
    assert panel.draw_button.isEnabled() and panel.draw_button.text() == _("Draw the unit")

    first = next(iter(panel.includes))
    box = panel.includes[first]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert not box.isChecked()  # left out
    with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,
                          check_params_cb=lambda name: name == "draw_unit"):
        qtbot.mouseClick(panel.draw_button, Qt.MouseButton.LeftButton)
    assert panel.error.isVisible()  # no reason given for leaving it out
    qtbot.keyClicks(panel.reasons[first], "on a real incident")
    with qtbot.waitSignal(screen.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(panel.draw_button, Qt.MouseButton.LeftButton)
    [draw] = screen.overview.draws
    assert first not in {c.unit_key for c in draw.candidates}
    assert draw.excluded[0].reason == "on a real incident"
    record = panel.record.toPlainText()
    assert draw.result.name in record and str(draw.seed) in record
    # In words first (every unit was never drilled), the code and weights for the audit only.
    assert _("never drilled: the highest chance") in record
    from models.drills.kinds import DRAW_METHODS
    assert _(DRAW_METHODS[draw.method]) in record
    plain, _sep, audit = record.partition(_("Audit record: {record}").split("{")[0])
    assert audit and draw.method in audit and draw.method not in plain
    assert _("Weight") not in plain
    assert screen.month_drill() is not None

    assert panel.draw_button.text() == _("Redraw…")
    with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,
                          check_params_cb=lambda name: name == "draw_unit"):
        qtbot.mouseClick(panel.draw_button, Qt.MouseButton.LeftButton)
    assert panel.error.isVisible()  # a redraw needs its reason
    qtbot.keyClicks(panel.redraw_reason, "unit head on leave")
    with qtbot.waitSignal(screen.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(panel.draw_button, Qt.MouseButton.LeftButton)
    assert len(screen.overview.draws) == 2
    kept = next(d for d in screen.overview.draws if d.id == draw.id)
    assert kept.replaced_by is not None and kept.result_unit_key == draw.result_unit_key

    scenarios = screen.scenario_panel
    assert scenarios.set_button.isEnabled()
    scenarios.category.setCurrentIndex(scenarios.category.findData("public_opinion"))
    assert scenarios.scenario.count() >= 2
    with qtbot.waitSignal(screen.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(scenarios.set_button, Qt.MouseButton.LeftButton)
    drill = screen.month_drill()
    assert drill.category_key == "public_opinion" and drill.scenario_key
    with qtbot.waitSignal(screen.draw_panel.printer.previewed, timeout=TIMEOUT) as previewed:
        qtbot.mouseClick(screen.draw_panel.print_button, Qt.MouseButton.LeftButton)
    preview = previewed.args[0]
    pages_on_screen(qtbot, preview, TIMEOUT)
    pdf = preview.path
    assert pdf.parent == ctx.data_dir / "printouts" and pdf.read_bytes() == preview.pdf
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    qtbot.mouseClick(preview.open_button, Qt.MouseButton.LeftButton)
    assert opened == [str(pdf)]
    preview.close()
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout.replace(" ", "")
    current = next(d for d in screen.overview.draws if d.replaced_by is None)
    assert str(current.seed) in text and current.result.name in text
    assert _("never drilled: the highest chance").replace(" ", "") in text
    assert _("Record of the drill unit draw") in text and _("Drill") in text  # watermark
    # The signed draw record, scanned, is attached: its QR code says it is the current one.
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (
        str(scan_of_pdf(pdf.read_bytes(), ctx.data_dir / "draw-scan.png")), ""))
    with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,
                          check_params_cb=lambda name: name == "signed_scans"):
        qtbot.mouseClick(screen.draw_panel.scans_button, Qt.MouseButton.LeftButton)
    scans = screen.draw_panel.findChild(SignedScanDialog)
    with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,
                          check_params_cb=lambda name: name == "signed_scans"):
        qtbot.mouseClick(scans.choose, Qt.MouseButton.LeftButton)
    assert scans.table.topLevelItem(0).text(4) == _("Current version")
    scans.close()
    for language in ("zh_TW", "en"):
        apply_language(language)
        ctx.language_changed.emit()
        for tab in range(3):
            screen.tabs.setCurrentIndex(tab)
            snap(screen, artifacts / f"drills-{tab}-{language}.png")
    apply_language("zh_TW")


@pytest.mark.parametrize("role", [Role.UNIT_HEAD, Role.PLANNING, Role.COMMANDER])
def test_only_the_secretary_may_draw(qtbot, ctx: AppContext, role: Role) -> None:  # type: ignore[no-untyped-def]
    ctx.update_settings(ctx.settings.with_(role=role))
    screen = DrillsScreen(ctx)
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.loaded, timeout=TIMEOUT):
        screen.load()
    assert not screen.draw_panel.draw_button.isEnabled()
    assert screen.draw_panel.draw_button.toolTip()


def test_a_report_is_entered_submitted_and_signed_by_both(qtbot, ctx: AppContext,  # type: ignore[no-untyped-def]
                                                          screen: DrillsScreen,
                                                          artifacts: Path, monkeypatch) -> None:
    panel, report = screen.draw_panel, screen.report_panel
    qtbot.mouseClick(panel.draw_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: report.isEnabled() and bool(report.unit.text()), timeout=TIMEOUT)
    screen.show_panel(report)
    with qtbot.waitSignal(screen.loaded, timeout=TIMEOUT):  # the unit drawn fills its report
        ctx.update_settings(ctx.settings.with_(role=Role.UNIT_HEAD, user_name="陳組長"))

    report.items["public_opinion"].setChecked(True)
    report.case.setText("網傳海關放行染疫肉品")
    qtbot.mouseClick(report.buttons["save"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: report.view is not None and report.view.report is not None,
                    timeout=TIMEOUT)
    with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,
                          check_params_cb=lambda name: name == "submit_report"):
        qtbot.mouseClick(report.buttons["submit"], Qt.MouseButton.LeftButton)
    assert report.error.isVisible()  # the summary of the drill is missing
    report.summary.setPlainText("09:30 接獲媒體詢問，09:40 通報執行秘書，10:10 發布澄清稿。")
    qtbot.mouseClick(report.buttons["submit"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: report.view.report.status == "submitted", timeout=TIMEOUT)
    assert not report.buttons["save"].isEnabled()

    # Who submitted it does not sign it off, whatever role the settings claim, and is told why.
    ctx.update_settings(ctx.settings.with_(role=Role.COMMANDER))
    submitter = _("You submitted it: another person signs it off.")
    qtbot.waitUntil(lambda: report.hint.text() == submitter, timeout=TIMEOUT)
    assert not report.buttons["sign"].isEnabled()

    # Each wait is on what the user sees, not on the next reload: a settings change reloads
    # more than once, and a reload begun before a click may arrive after it.
    for signed, (role, name, deputy) in enumerate(((Role.COMMANDER, "黃副關務長", "張關務長"),
                                                   (Role.SECRETARY, "周執秘", "")), start=1):
        ctx.update_settings(ctx.settings.with_(role=role, user_name=name))
        qtbot.waitUntil(lambda: report.buttons["sign"].isEnabled(), timeout=TIMEOUT)
        report.deputy_for.setText(deputy)
        qtbot.mouseClick(report.buttons["sign"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda n=signed: len(report.view.signatures()) == n, timeout=TIMEOUT)
    assert report.view.locked and report.buttons["reopen"].isEnabled()
    signatures = report.view.signatures(report.view.current.number)
    assert {(s.as_role, s.deputy_for) for s in signatures} == {("commander", "張關務長"),
                                                               ("secretary", "")}
    history = report.history.toPlainText()
    assert "張關務長" in history
    # Every sign-off names its box; the deputy's names whom it was signed for.
    for role, name in (("Commander", "黃副關務長"), ("Executive secretary", "周執秘")):
        line = next(x for x in history.splitlines() if name in x and _("Signed") in x)
        assert _(role) in line, line
    assert not report.hint.isVisible() or report.hint.text() == _(
        "Signed by both: nothing is left to sign.")

    # The signed paper, scanned, is attached in the dialog every printed form shares: no QR
    # code on this scan, so the code typed off the paper names its version.
    from models.drills.print import report_form
    form = report_form(report.view, screen.overview.playbook, ctx.settings.timezone)
    scan = blank_scan(ctx.data_dir / "scan.pdf")
    scans = _report_scans(qtbot, ctx, report)
    assert scans.table.topLevelItemCount() == 0
    scans.code.setText(form.verification.code.lower())
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(scan), ""))
    with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,  # listed again once attached
                          check_params_cb=lambda name: name == "signed_scans"):
        qtbot.mouseClick(scans.choose, Qt.MouseButton.LeftButton)
    assert scans.outcome.text() == _("Attached. {how} {verdict}").format(
        how=_("No QR code could be read: checked by the typed code."),
        verdict=_("The current version: the paper is the record as it stands."))
    assert [scans.table.topLevelItem(0).text(i) for i in (0, 4)] == [
        "scan.pdf", _("Current version")]
    scans.close()
    qtbot.waitUntil(lambda: "scan.pdf" in report.history.toPlainText(),  # the panel's too
                    timeout=TIMEOUT)
    [line] = [x for x in report.history.toPlainText().splitlines() if "scan.pdf" in x]
    assert _("Current version") in line and "周執秘" in line

    # The planning group evaluates; both sign; it goes to every unit, which acknowledge.
    evaluation = screen.evaluation_panel
    ctx.update_settings(ctx.settings.with_(role=Role.PLANNING, user_name="林企劃"))
    qtbot.waitUntil(lambda: evaluation.buttons["save"].isEnabled(), timeout=TIMEOUT)
    screen.show_panel(evaluation)
    for combo in evaluation.ratings.values():
        combo.setCurrentIndex(combo.findData(3))
    evaluation.strengths.setPlainText("十分鐘內通報執行秘書")
    qtbot.mouseClick(evaluation.add_action, Qt.MouseButton.LeftButton)
    evaluation.action_table.item(0, 0).setText("澄清稿範本納入公關股標準作業")
    evaluation.action_table.item(0, 1).setText("秘書室")
    qtbot.mouseClick(evaluation.buttons["save"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: evaluation.view.evaluation is not None
                    or bool(evaluation.error.text()), timeout=TIMEOUT)
    assert evaluation.view.evaluation is not None, evaluation.error.text()
    [action] = evaluation.view.evaluation.actions
    assert (action.description, action.owner, action.status) == (
        "澄清稿範本納入公關股標準作業", "秘書室", "open") and action.due is not None
    # Not submitted (陳核) yet: the commander cannot sign, and is told why.
    ctx.update_settings(ctx.settings.with_(role=Role.COMMANDER, user_name="張關務長"))
    waiting = _("The planning group has not submitted the evaluation for approval yet.")
    qtbot.waitUntil(lambda: evaluation.hint.text() == waiting, timeout=TIMEOUT)
    assert not evaluation.buttons["sign"].isEnabled() and evaluation.hint.isVisible()
    assert evaluation.buttons["sign"].toolTip() == waiting
    ctx.update_settings(ctx.settings.with_(role=Role.PLANNING, user_name="林企劃"))
    qtbot.waitUntil(lambda: evaluation.buttons["submit"].isEnabled(), timeout=TIMEOUT)
    qtbot.mouseClick(evaluation.buttons["submit"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: evaluation.view.evaluation.status == "submitted"
                    or bool(evaluation.error.text()), timeout=TIMEOUT)
    assert evaluation.view.submitted, evaluation.error.text()
    assert not evaluation.buttons["save"].isEnabled()  # what is signed is what was submitted
    for signed, (role, name) in enumerate(((Role.COMMANDER, "張關務長"),
                                           (Role.SECRETARY, "周執秘")), start=1):
        ctx.update_settings(ctx.settings.with_(role=role, user_name=name))
        qtbot.waitUntil(lambda: evaluation.buttons["sign"].isEnabled(), timeout=TIMEOUT)
        qtbot.mouseClick(evaluation.buttons["sign"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda n=signed: sum(e.kind == "signed" for e in evaluation.view.events)
                        == n, timeout=TIMEOUT)
    assert evaluation.view.locked, evaluation.error.text()
    steps = evaluation.history.toPlainText()
    for expected in (_("Submitted for approval"), _("Commander"), _("Executive secretary"),
                     "張關務長", "周執秘"):
        assert expected in steps, expected
    ctx.update_settings(ctx.settings.with_(role=Role.PLANNING, user_name="林企劃"))
    qtbot.waitUntil(lambda: evaluation.buttons["circulate"].isEnabled(), timeout=TIMEOUT)
    qtbot.mouseClick(evaluation.buttons["circulate"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(evaluation.view.circulation) == len(screen.overview.units),
                    timeout=TIMEOUT)
    first_unit = next(iter(evaluation.ack_buttons))
    qtbot.mouseClick(evaluation.ack_buttons[first_unit], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(evaluation.view.acknowledged), timeout=TIMEOUT)
    assert [c.unit_key for c in evaluation.view.acknowledged] == [first_unit]
    assert len(evaluation.view.pending) == len(screen.overview.units) - 1
    assert screen.month_drill().status == "evaluated"

    # Both forms on paper: every label and value, 代 for the deputy, the 演練 watermark.
    texts = {}
    for name, panel_ in (("report", report), ("evaluation", evaluation)):
        with qtbot.waitSignal(panel_.printer.previewed, timeout=TIMEOUT) as previewed:
            qtbot.mouseClick(panel_.buttons["print"], Qt.MouseButton.LeftButton)
        preview = previewed.args[0]
        texts[name] = subprocess.run(["pdftotext", str(preview.path), "-"], capture_output=True,
                                     text=True, check=True).stdout.replace(" ", "")
        preview.close()
    for expected in (_("Crisis management drill report"), report.unit.text(), "網傳海關放行染疫肉品",
                     "09:40通報執行秘書", "☑", "代", "張關務長", "黃副關務長", "周執秘",
                     _("Drill"), "民國"):
        assert expected.replace(" ", "") in texts["report"], expected
    for expected in (_("Crisis management drill evaluation report"), "十分鐘內通報執行秘書",
                     "澄清稿範本納入公關股標準作業", _("Drill")):
        assert expected.replace(" ", "") in texts["evaluation"], expected
    for language in ("zh_TW", "en"):
        apply_language(language)
        ctx.language_changed.emit()
        screen.show_panel(report)
        snap(screen, artifacts / f"drills-report-{language}.png")
        report.history.verticalScrollBar().setValue(report.history.verticalScrollBar().maximum())
        snap(report.history, artifacts / f"drills-report-history-{language}.png")  # its scans
        scans = _report_scans(qtbot, ctx, report)
        snap(scans, artifacts / f"drills-report-scans-{language}.png")
        scans.close()
        screen.show_panel(evaluation)
        snap(screen, artifacts / f"drills-evaluation-{language}.png")
    apply_language("zh_TW")


def _report_scans(qtbot, ctx: AppContext, report) -> SignedScanDialog:  # type: ignore[no-untyped-def]
    """The report's signed-scans dialog, opened from the report panel, its list loaded."""
    with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,
                          check_params_cb=lambda name: name == "signed_scans"):
        qtbot.mouseClick(report.buttons["attach"], Qt.MouseButton.LeftButton)
    dialog = report.findChildren(SignedScanDialog)[-1]
    assert dialog.isVisible()
    return dialog


def test_an_archived_case_becomes_the_drills_scenario(qtbot, ctx: AppContext,  # type: ignore[no-untyped-def]
                                                      screen: DrillsScreen, monkeypatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    from models.incidents.actions import open_incident
    from tests.helpers import run_on_worker
    from tests.unit.incidents.test_incidents import HEAD, _run_to_archive, draft

    def archived(db):  # type: ignore[no-untyped-def]
        incident_id = open_incident(db, HEAD, "keelung", draft(title="貨櫃夾藏加熱菸"))
        _run_to_archive(db, incident_id)
        return incident_id

    incident_id = run_on_worker(qtbot, ctx, archived)
    with qtbot.waitSignal(screen.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(screen.draw_panel.draw_button, Qt.MouseButton.LeftButton)
    panel = screen.scenario_panel
    panel.category.setCurrentIndex(panel.category.findData("clearance"))
    offered: list[list[str]] = []

    def pick(_parent, _title, _label, items, *_args):  # type: ignore[no-untyped-def]
        offered.append(list(items))
        return items[0], True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    with qtbot.waitSignal(screen.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(panel.from_case, Qt.MouseButton.LeftButton)
    assert len(offered) == 1 and "貨櫃夾藏加熱菸" in offered[0][0]
    assert panel.scenario.currentData() == f"case-{incident_id}"
    assert "貨櫃夾藏加熱菸" in panel.detail.toPlainText()
    # Chosen for the drill, the case's scenario is the report's 模擬案由.
    qtbot.mouseClick(panel.set_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "貨櫃夾藏加熱菸" in screen.report_panel.case.text(), timeout=TIMEOUT)


def test_another_month_shows_its_own_drill_and_nothing_of_this_one(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, screen: DrillsScreen) -> None:
    from models.drills.kinds import add_months, month_start, taipei_today

    report = screen.report_panel
    with qtbot.waitSignal(report.shown, timeout=TIMEOUT):
        qtbot.mouseClick(screen.draw_panel.draw_button, Qt.MouseButton.LeftButton)
    report.case.setText("this month's case")
    report.summary.setPlainText("this month's summary")
    with qtbot.waitSignal(report.shown, timeout=TIMEOUT):
        qtbot.mouseClick(report.buttons["save"], Qt.MouseButton.LeftButton)
    assert report.case.text() == "this month's case"  # the reload kept what was typed

    next_month = add_months(month_start(taipei_today()), 1)
    with qtbot.waitSignal(screen.loaded, timeout=TIMEOUT):
        screen.month_box.setCurrentIndex(screen.month_box.findData(next_month.isoformat()))
    assert screen.month_drill() is None and not report.isEnabled()
    with qtbot.waitSignal(report.shown, timeout=TIMEOUT):
        qtbot.mouseClick(screen.draw_panel.draw_button, Qt.MouseButton.LeftButton)
    assert screen.month_drill().month == next_month
    assert report.case.text() != "this month's case"
    assert report.summary.toPlainText() == ""
    last_year = add_months(month_start(taipei_today()), -11)
    assert screen.month_box.findData(last_year.isoformat()) >= 0  # past months reachable


@pytest.mark.parametrize("saved_first", [False, True])
def test_the_chosen_category_and_scenario_fill_the_report_form(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, screen: DrillsScreen, saved_first: bool) -> None:
    """演練項目 and 模擬案由 come from the drill's category and scenario, chosen before or after
    the unit opened (or even saved) its report form; nobody types them twice."""
    report, scenarios = screen.report_panel, screen.scenario_panel
    with qtbot.waitSignal(report.shown, timeout=TIMEOUT):
        qtbot.mouseClick(screen.draw_panel.draw_button, Qt.MouseButton.LeftButton)
    screen.show_panel(report)
    if saved_first:
        report.summary.setPlainText("09:30 接獲媒體詢問")
        with qtbot.waitSignal(report.shown, timeout=TIMEOUT):
            qtbot.mouseClick(report.buttons["save"], Qt.MouseButton.LeftButton)
        assert report.view.report is not None
    assert not any(box.isChecked() for box in report.items.values())
    assert report.case.text() == ""

    scenarios.category.setCurrentIndex(scenarios.category.findData("public_opinion"))
    title = scenarios.scenario.currentText()
    assert title
    with qtbot.waitSignal(report.shown, timeout=TIMEOUT):
        qtbot.mouseClick(scenarios.set_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: report.case.text() == title, timeout=TIMEOUT)
    assert [k for k, box in report.items.items() if box.isChecked()] == ["public_opinion"]
    if saved_first:
        assert report.summary.toPlainText() == "09:30 接獲媒體詢問"  # typed text stays


def test_a_signer_returns_the_evaluation_with_a_comment(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, screen: DrillsScreen, monkeypatch) -> None:
    """The commander returns a submitted evaluation through its button, with the comment the
    dialog asked for; the planning group can change it again, and the history says so."""
    from PySide6.QtWidgets import QInputDialog

    from models.drills.reports.actions import save_evaluation, submit_evaluation
    from tests.helpers import run_on_worker
    from tests.unit.drills.test_drill_reports import full_evaluation, signed_report

    with qtbot.waitSignal(screen.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(screen.draw_panel.draw_button, Qt.MouseButton.LeftButton)
    drill_id = screen.month_drill().id

    def submitted(db):  # type: ignore[no-untyped-def]
        from tests.unit.drills.test_drill_reports import PLANNER

        signed_report(db, drill_id)
        evaluation = save_evaluation(db, PLANNER, drill_id, full_evaluation())
        return submit_evaluation(db, PLANNER, evaluation.id)

    run_on_worker(qtbot, ctx, submitted)
    evaluation = screen.evaluation_panel
    ctx.update_settings(ctx.settings.with_(role=Role.COMMANDER, user_name="張關務長"))
    qtbot.waitUntil(evaluation.buttons["return"].isEnabled, timeout=TIMEOUT)
    asked: list[str] = []

    def comment(_parent, title, _label, *_args, **_kwargs):  # type: ignore[no-untyped-def]
        asked.append(title)
        return "請補充改善措施", True

    monkeypatch.setattr(QInputDialog, "getMultiLineText", comment)
    qtbot.mouseClick(evaluation.buttons["return"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: evaluation.view.evaluation.status == "returned", timeout=TIMEOUT)
    assert asked == [_("Return the evaluation")]
    assert "請補充改善措施" in evaluation.history.toPlainText()
    ctx.update_settings(ctx.settings.with_(role=Role.PLANNING, user_name="林企劃"))
    qtbot.waitUntil(evaluation.buttons["save"].isEnabled, timeout=TIMEOUT)
