"""A whole incident driven through the real widgets: opening it in three steps, escalation
with a deputy who acknowledges, every stage's work, and archiving it as a case file.
Screenshots of every stage in both languages go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QMessageBox, QPushButton, QWidget, QWizard

from i18n import _
from models.incidents.queries import IncidentView, incident_view
from models.storage.db import utcnow
from tests.helpers import run_on_worker, snap
from ui.incidents.decisions import TaskDialog
from ui.incidents.escalation import NotifyDialog
from ui.incidents.list_screen import IncidentsScreen
from ui.incidents.new_incident import NewIncidentWizard
from ui.incidents.rows import RowDialog
from ui.incidents.statements import EventDialog
from ui.incidents.workspace import IncidentWorkspace
from ui.runtime.context import AppContext

TIMEOUT = 10000


@pytest.fixture
def screen(qtbot, ctx: AppContext) -> IncidentsScreen:  # type: ignore[no-untyped-def]
    widget = IncidentsScreen(ctx)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    with qtbot.waitSignal(ctx.worker.finished, timeout=TIMEOUT,
                          check_params_cb=lambda name: name == "list_incidents"):
        widget.load()
    return widget


def settle(qtbot, ws: IncidentWorkspace, action: Callable[[], Any]) -> IncidentView:  # type: ignore[no-untyped-def]
    """Do *action* and wait until the incident has been stored and shown again."""
    with qtbot.waitSignal(ws.ctrl.loaded, timeout=TIMEOUT):
        action()
    assert ws.ctrl.view is not None
    return ws.ctrl.view


def timeline_texts(ws: IncidentWorkspace) -> list[str]:
    """What the timeline shows in its "What" column, top to bottom."""
    model = ws.timeline.table.model()
    return [model.data(model.index(row, 2)) for row in range(model.rowCount())]


def open_new(qtbot, screen: IncidentsScreen, title: str = "Heated tobacco in a container"  # type: ignore[no-untyped-def]
             ) -> IncidentWorkspace:
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    wizard = screen.findChild(NewIncidentWizard)
    assert wizard is not None and wizard.isVisible()
    qtbot.keyClicks(wizard.title, title)
    wizard.summary.setPlainText("X光儀檢查發現貨櫃夾藏加熱菸")
    wizard.started.set_value(utcnow() - timedelta(hours=1))
    wizard.next()
    wizard.category.setCurrentIndex(wizard.category.findData("clearance"))
    wizard.next()
    qtbot.mouseClick(wizard.findChild(type(wizard.impact.button(0)), "new_impact_office"),
                     Qt.MouseButton.LeftButton)
    assert wizard.level.currentData() == "medium"
    ws = screen.workspace
    settle(qtbot, ws, lambda: qtbot.mouseClick(
        wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton))
    assert screen.currentWidget() is ws
    return ws


def tick_tasks(qtbot, ws: IncidentWorkspace, stage: int) -> IncidentView:  # type: ignore[no-untyped-def]
    page = ws.pages[stage - 1]
    view = ws.ctrl.view
    for key, combo in page.tasks.states.items():
        view = settle(qtbot, ws, lambda c=combo: c.setCurrentIndex(c.findData("done")))
    assert view is not None
    return view


def complete(qtbot, ws: IncidentWorkspace) -> IncidentView:  # type: ignore[no-untyped-def]
    assert ws.complete.isVisible() and ws.missing.text() == "", ws.missing.text()
    return settle(qtbot, ws, lambda: qtbot.mouseClick(ws.complete, Qt.MouseButton.LeftButton))


def fill_dialog(qtbot, ws: IncidentWorkspace, dialog_type: type, values: dict[str, Any],  # type: ignore[no-untyped-def]
                ) -> IncidentView:
    dialog = next(d for d in ws.findChildren(dialog_type) if d.isVisible())
    for name, value in values.items():
        widget = dialog.findChild(object, name)
        if isinstance(widget, QComboBox):
            widget.setCurrentIndex(widget.findData(value))
        elif hasattr(widget, "setPlainText"):
            widget.setPlainText(value)
        else:
            widget.setText(value)
    view = settle(qtbot, ws, dialog.accept)
    assert dialog.result() == QDialog.DialogCode.Accepted
    return view


def test_bad_input_in_the_first_step_is_shown_at_the_field(qtbot, screen) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    wizard = screen.findChild(NewIncidentWizard)
    wizard.next()
    assert wizard.currentId() == 0
    assert wizard.facts_error.isVisible()
    assert wizard.facts_error.text() == _("This field cannot be empty.")
    qtbot.keyClicks(wizard.title, "Rumour")
    wizard.started.set_value(datetime.now(UTC) + timedelta(days=2))
    wizard.next()
    wizard.next()
    with qtbot.waitSignal(screen.ctx.worker.finished, timeout=TIMEOUT,
                          check_params_cb=lambda name: name == "open_incident"):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.currentId() == 0 and wizard.isVisible()
    assert wizard.facts_error.text() == _("The time lies in the future.")
    assert screen.model.rows == []


def test_an_unacknowledged_notification_turns_red_and_the_deputy_acknowledges(
        qtbot, ctx: AppContext, screen: IncidentsScreen, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ws = open_new(qtbot, screen)
    escalation = ws.pages[0].findChild(object, "escalation")
    view = ws.ctrl.view
    assert view is not None
    assert _("notify the {who} at once.").split("{")[0] in escalation.rule.text() or \
        "執行秘書" in escalation.rule.text()
    [(member_id, _deputy)] = [k for k in escalation.notify_buttons if not k[1]]
    qtbot.mouseClick(escalation.notify_buttons[(member_id, False)], Qt.MouseButton.LeftButton)
    dialog = ws.findChild(NotifyDialog)
    dialog.when.set_value(utcnow() - timedelta(minutes=ctx.settings.ack_minutes + 5))
    view = fill_dialog(qtbot, ws, NotifyDialog, {"notify_recipient": "Wang"})
    assert view.notifications[0].overdue
    assert escalation.warning.isVisible()
    deputy_button = escalation.notify_buttons[(member_id, True)]
    assert "b00020" in deputy_button.styleSheet()
    qtbot.mouseClick(deputy_button, Qt.MouseButton.LeftButton)
    dialog = next(d for d in ws.findChildren(NotifyDialog) if d.isVisible())
    assert dialog.deputy and dialog.acting_for.text() != ""
    view = fill_dialog(qtbot, ws, NotifyDialog, {"notify_recipient": "Chen",
                                                 "notify_acting_for": "Wang",
                                                 "notify_means": "in_person"})
    deputy_note = view.notifications[1]
    assert (deputy_note.recipient, deputy_note.acting_for) == ("Chen", "Wang")
    view = settle(qtbot, ws, lambda: qtbot.mouseClick(
        escalation.ack_buttons[deputy_note.id], Qt.MouseButton.LeftButton))
    assert view.notifications[1].acked_at is not None
    assert deputy_note.id not in escalation.ack_buttons
    assert view.notifications[0].settled and escalation.warning.isHidden()
    assert any("Chen" in t and "Wang" in t for t in timeline_texts(ws))


def test_a_whole_incident_from_opening_to_the_case_archive(
        qtbot, ctx: AppContext, screen: IncidentsScreen, monkeypatch, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    from ui.runtime.language import apply_language as set_language

    ws = open_new(qtbot, screen)
    shots: list[tuple[int, IncidentWorkspace]] = []

    def shoot(stage: int) -> None:
        for language in ("zh_TW", "en"):
            set_language(language)
            ctx.language_changed.emit()
            snap(ws, artifacts / f"incident-stage{stage}-{language}.png")
        set_language("zh_TW")
        ctx.language_changed.emit()
        shots.append((stage, ws))

    # Stage 1: the incident is open at its escalation; the stage needs tasks and a notification.
    assert ws.shown_stage() == 1 and ws.complete.isVisible()
    assert _("No notification to the {group} on record.").format(group="執行秘書") \
        in ws.missing.text()
    escalation = ws.pages[0].findChild(object, "escalation")
    holder = next(b for (m, d), b in escalation.notify_buttons.items() if not d)
    qtbot.mouseClick(holder, Qt.MouseButton.LeftButton)
    fill_dialog(qtbot, ws, NotifyDialog, {"notify_recipient": "Wang"})
    tick_tasks(qtbot, ws, 1)
    shoot(1)
    view = complete(qtbot, ws)
    assert view.current_stage == 2 and ws.shown_stage() == 2

    # Stage 2: plan decided and confirmed.
    fields = ws.pages[1].findChild(object, "field_s2_plan")
    view = settle(qtbot, ws, lambda: (fields.setPlainText("擴大查緝同一進口商"), fields.flush()))
    assert view.fields["s2.plan"] == "擴大查緝同一進口商"
    confirm = ws.pages[1].findChild(object, "confirm")
    confirm.name.setText("Wang")
    view = settle(qtbot, ws, lambda: qtbot.mouseClick(confirm.button, Qt.MouseButton.LeftButton))
    assert view.fields["s2.confirmed_by_name"] == "Wang"
    tick_tasks(qtbot, ws, 2)
    shoot(2)
    complete(qtbot, ws)

    # Stage 3: a task on the board (without a logged decision) and a progress report.
    board = ws.pages[2].findChild(object, "decisions")
    qtbot.mouseClick(board.add, Qt.MouseButton.LeftButton)
    view = fill_dialog(qtbot, ws, TaskDialog, {"task_description": "清查同一進口商貨櫃",
                                               "task_resources": "X-ray",
                                               "task_status": "in_progress"})
    assert [a.status for a in view.actions] == ["in_progress"]
    board.board.selectRow(0)  # edited again: the entry as shown is the entry stored
    qtbot.mouseClick(board.edit, Qt.MouseButton.LeftButton)
    view = fill_dialog(qtbot, ws, TaskDialog, {"task_status": "done"})
    assert [(a.description, a.status) for a in view.actions] == [("清查同一進口商貨櫃", "done")]
    reports = ws.pages[2].findChild(object, "entries_report")
    reports.text.setPlainText("已清查 12 櫃")
    view = settle(qtbot, ws, lambda: qtbot.mouseClick(reports.add, Qt.MouseButton.LeftButton))
    assert [e.data["text"] for e in view.reports()] == ["已清查 12 櫃"]
    assert reports.list.model().rowCount() == 1
    tick_tasks(qtbot, ws, 3)
    shoot(3)
    complete(qtbot, ws)

    # Stage 4: a clarification from the template, reviewed, approved and released.
    statements = ws.pages[3].findChild(object, "statements")
    qtbot.mouseClick(statements.new_clarification, Qt.MouseButton.LeftButton)
    assert ws.ctrl.view is not None and ws.ctrl.view.title in statements.text.toPlainText()
    view = settle(qtbot, ws, lambda: qtbot.mouseClick(statements.save, Qt.MouseButton.LeftButton))
    assert len(view.statements[0].versions) == 1
    for event, language in (("legal_review", "en"), ("approved", "zh_TW"),
                            ("released", "zh_TW")):
        button: QPushButton = statements.event_buttons[event]
        assert button.isEnabled()
        set_language(language)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        set_language("zh_TW")
        if event != "released":  # a unit head records it as given by phone: the hint says so
            dialog = next(d for d in ws.findChildren(EventDialog) if d.isVisible())
            snap(dialog, artifacts / f"statement-{event}-{language}.png")
        values = {"statement_event_name": "Lee"}
        if event == "released":
            values["statement_event_channel"] = "website"
        view = fill_dialog(qtbot, ws, EventDialog, values)
    assert view.statements[0].events_of(1)["released"].channel == "website"
    tick_tasks(qtbot, ws, 4)
    shoot(4)
    complete(qtbot, ws)

    # Stage 5: a party of the negotiation.
    parties = ws.pages[4].findChild(object, "negotiations")
    qtbot.mouseClick(parties.add_button, Qt.MouseButton.LeftButton)
    view = fill_dialog(qtbot, ws, RowDialog, {"negotiations_party": "Brokers' association",
                                              "negotiations_agreement": "extra staff"})
    assert view.negotiations[0].party == "Brokers' association"
    tick_tasks(qtbot, ws, 5)
    shoot(5)
    complete(qtbot, ws)

    # Stage 6: the review and a corrective action; archiving asks first.
    for key, text in (("s6_what_happened", "走私加熱菸"), ("s6_lessons", "加強風險布控")):
        field = ws.pages[5].findChild(object, f"field_{key}")
        settle(qtbot, ws, lambda f=field, t=text: (f.setPlainText(t), f.flush()))
    corrective = ws.pages[5].findChild(object, "corrective")
    qtbot.mouseClick(corrective.add_button, Qt.MouseButton.LeftButton)
    fill_dialog(qtbot, ws, RowDialog, {"corrective_description": "修訂布控指標",
                                       "corrective_owner": "稽查組"})
    tick_tasks(qtbot, ws, 6)
    shoot(6)
    assert ws.complete.text() == _("Archive as a case file")
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    view = complete(qtbot, ws)
    assert view.status == "archived" and not ws.complete.isVisible()
    assert ws.current.text() == _("Archived as a case file")
    stored = run_on_worker(qtbot, ctx, lambda db: incident_view(db, view.id, utcnow(), 10))
    assert stored.status == "archived"
    assert [e.kind for e in stored.timeline].count("stage") == 6
    assert len(shots) == 6


def test_the_three_opening_steps_in_both_languages(qtbot, ctx: AppContext,  # type: ignore[no-untyped-def]
                                                   screen: IncidentsScreen,
                                                   artifacts: Path) -> None:
    from ui.runtime.language import apply_language

    for language in ("zh_TW", "en"):
        apply_language(language)
        ctx.language_changed.emit()
        qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
        wizard = next(w for w in screen.findChildren(NewIncidentWizard) if w.isVisible())
        qtbot.keyClicks(wizard.title, "Typhoon cuts power at the express warehouse")
        for page in range(3):
            snap(wizard, artifacts / f"new-incident-{page + 1}-{language}.png")
            if page < 2:
                wizard.next()
        # The decision aid follows the answers; another level needs a reason.
        wizard.findChild(type(wizard.impact.button(0)), "new_impact_customs").click()
        assert wizard.level.currentData() == "high" and not wizard.reason.isEnabled()
        wizard.urgent.setChecked(False)
        assert wizard.level.currentData() == "medium"
        wizard.level.setCurrentIndex(wizard.level.findData("low"))
        assert wizard.reason.isEnabled()
        texts = [wizard.button(b).text() for b in (QWizard.WizardButton.BackButton,
                                                   QWizard.WizardButton.CancelButton)]
        assert texts == [_("< Back"), _("Cancel")]
        wizard.back()
        assert wizard.button(QWizard.WizardButton.NextButton).text() == _("Next >")
        wizard.title.clear()  # nothing typed: closes without asking
        wizard.reject()
        assert not wizard.isVisible()
    apply_language("zh_TW")
    assert _("Next >") == "下一步 >"


def test_esc_in_the_new_incident_asks_before_throwing_away_what_was_typed(  # type: ignore[no-untyped-def]
        qtbot, screen: IncidentsScreen, monkeypatch) -> None:
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    wizard = next(w for w in screen.findChildren(NewIncidentWizard) if w.isVisible())
    qtbot.keyClicks(wizard.title, "Typhoon cuts power")
    wizard.summary.setPlainText("快遞倉停電")
    asked: list[str] = []

    def answer(button):  # type: ignore[no-untyped-def]
        def question(_parent, title, _text, *_args, **_kwargs):  # type: ignore[no-untyped-def]
            asked.append(title)
            return button
        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert asked == [_("Discard the new incident?")]
    assert wizard.isVisible() and wizard.title.text() == "Typhoon cuts power"
    assert wizard.summary.toPlainText() == "快遞倉停電"
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Discard))
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert len(asked) == 2 and not wizard.isVisible()


def test_typing_is_never_overwritten_by_the_autosave(qtbot, screen: IncidentsScreen) -> None:  # type: ignore[no-untyped-def]
    """Type, pause (the pause stores it and the incident reloads), type on: what is stored
    and what is on screen is what was typed, in order."""
    ws = open_new(qtbot, screen)
    ws.rail.setCurrentRow(1)
    field = ws.pages[1].findChild(object, "field_s2_diagnosis")
    field.setFocus()
    qtbot.keyClicks(field, "line one ")
    view = settle(qtbot, ws, lambda: None)  # the pause after typing stores it
    assert view.fields["s2.diagnosis"] == "line one"
    qtbot.keyClicks(field, "and two")
    view = settle(qtbot, ws, field.flush)
    assert field.toPlainText() == "line one and two"
    assert view.fields["s2.diagnosis"] == "line one and two"


def test_a_time_nobody_set_is_the_moment_of_the_act(qtbot, screen: IncidentsScreen) -> None:  # type: ignore[no-untyped-def]
    """The stage pages are built when the incident opens and stay on screen: a confirmation or
    a progress report recorded later is stamped with the moment it is recorded, not with the
    moment the page was built; a time the user set is kept as set."""
    ws = open_new(qtbot, screen)
    confirm = ws.pages[1].findChild(object, "confirm")
    reports = ws.pages[2].findChild(object, "entries_report")
    ws.rail.setCurrentRow(1)  # stages overlap: stage 2's page works while stage 1 is open
    plan = ws.pages[1].findChild(object, "field_s2_plan")
    settle(qtbot, ws, lambda: (plan.setPlainText("擴大查緝同一進口商"), plan.flush()))
    confirm.name.setText("Wang")
    pressed = utcnow()
    view = settle(qtbot, ws, lambda: qtbot.mouseClick(confirm.button, Qt.MouseButton.LeftButton))
    assert view.time_field("s2.confirmed_at") >= pressed

    ws.rail.setCurrentRow(2)
    reports.text.setPlainText("已清查 12 櫃")
    pressed = utcnow()
    view = settle(qtbot, ws, lambda: qtbot.mouseClick(reports.add, Qt.MouseButton.LeftButton))
    assert view.reports()[-1].event_at >= pressed
    assert reports.when.following  # the next report starts from the clock again

    earlier = (utcnow() - timedelta(minutes=30)).replace(second=0, microsecond=0)
    reports.when.set_value(earlier)
    reports.text.setPlainText("補登：已通知港務公司")
    view = settle(qtbot, ws, lambda: qtbot.mouseClick(reports.add, Qt.MouseButton.LeftButton))
    late_entry = next(e for e in view.reports() if e.data["text"].startswith("補登"))
    assert late_entry.event_at == earlier


def wheel(widget, steps: int = 1) -> bool:  # type: ignore[no-untyped-def]
    """Turn the wheel over *widget*; True when the widget kept the event (it was not left to
    the page behind it)."""
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, -120 * steps), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def test_the_wheel_scrolls_the_page_and_changes_no_field(qtbot, screen: IncidentsScreen) -> None:  # type: ignore[no-untyped-def]
    """Scrolling a stage page with the pointer over the start or end time, the category or a
    task's state changes none of them; a field the user chose still steps with the wheel."""
    from PySide6.QtWidgets import QComboBox, QDateEdit

    def value(field):  # type: ignore[no-untyped-def]
        if isinstance(field, QComboBox):
            return field.currentIndex()
        return field.date() if isinstance(field, QDateEdit) else field.time()

    ws = open_new(qtbot, screen)
    facts = ws.findChild(object, "facts")
    state = next(iter(ws.pages[0].tasks.states.values()))
    fields = [facts.started.date, facts.started.time, facts.ended.date, facts.category,
              facts.source, state]
    before = [value(f) for f in fields]
    for field in fields:
        assert field.focusPolicy() == Qt.FocusPolicy.StrongFocus  # the wheel gives no focus
        assert not field.hasFocus()
        assert not wheel(field), field.objectName()  # left to the page, which scrolls
    assert [value(f) for f in fields] == before

    assert facts.started.date.isVisible()
    screen.activateWindow()
    qtbot.waitActive(screen)
    facts.started.date.setFocus()
    qtbot.waitUntil(facts.started.date.hasFocus)
    day = facts.started.date.date()
    assert wheel(facts.started.date)
    assert facts.started.date.date() != day


def test_a_new_deadline_starts_a_month_ahead_in_roc_years(qtbot, screen: IncidentsScreen,  # type: ignore[no-untyped-def]
                                                           artifacts: Path) -> None:
    """A corrective action's due date starts a month from today (not 民國89年1月1日), its
    calendar names the ROC year, and the row does not say 完成期限 twice."""
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QCheckBox, QLabel

    from ui.widgets.roc_date_edit import RocDateEdit

    ws = open_new(qtbot, screen)
    ws.rail.setCurrentRow(5)
    corrective = ws.pages[5].findChild(object, "corrective")
    qtbot.mouseClick(corrective.add_button, Qt.MouseButton.LeftButton)
    dialog = next(d for d in ws.findChildren(RowDialog) if d.isVisible())
    box = dialog.findChild(QWidget, "corrective_due")
    edit, has = box.findChild(RocDateEdit), box.findChild(QCheckBox)
    month_ahead = QDate.currentDate().addMonths(1)
    assert edit.date() == month_ahead
    label = dialog.form.labelForField(box)
    assert isinstance(label, QLabel) and has.text() != label.text()
    calendar = edit.calendarWidget()
    assert calendar.findChild(QWidget, "roc_calendar_year").text() == \
        f"民國{month_ahead.year() - 1911}年"
    has.setChecked(True)
    calendar.resize(calendar.sizeHint())
    snap(calendar, artifacts / "roc-calendar-zh_TW.png")
    snap(dialog, artifacts / "corrective-due-zh_TW.png")
    dialog.reject()


def test_a_call_nobody_answered_is_recorded_and_printed_as_such(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, screen: IncidentsScreen) -> None:
    """The holder does not answer: the row says so (no 標示為已收悉 left waiting), the deputy is
    offered at once, the stage still lacks a notification, and the printed 通報單 says 未接聽
    where it once read as if the holder had been told."""
    import subprocess

    from forms.render import render_pdf
    from models.incidents.kinds import NOTIFY_OUTCOMES
    from models.incidents.print import notification_form

    ws = open_new(qtbot, screen)
    escalation = ws.pages[0].findChild(object, "escalation")
    [(member_id, _deputy)] = [k for k in escalation.notify_buttons if not k[1]]
    qtbot.mouseClick(escalation.notify_buttons[(member_id, False)], Qt.MouseButton.LeftButton)
    view = fill_dialog(qtbot, ws, NotifyDialog, {"notify_recipient": "王主秘",
                                                 "notify_outcome": "no_answer"})
    [attempt] = view.notifications
    assert attempt.outcome == "no_answer" and not attempt.told and attempt.settled
    assert attempt.id not in escalation.ack_buttons  # nothing to acknowledge
    assert escalation.table.item(0, 3).text() == _(NOTIFY_OUTCOMES["no_answer"])
    assert escalation.warning.isVisible() and "王主秘" in escalation.warning.text()
    assert "b00020" in escalation.notify_buttons[(member_id, True)].styleSheet()
    assert _("Nobody in the {group} has been reached yet.").format(group="執行秘書") \
        in ws.missing.text()
    assert any("王主秘" in t and _(NOTIFY_OUTCOMES["no_answer"]) in t
               for t in timeline_texts(ws))

    units = {u.key: u.name for u in ctx.office.units}
    printed = subprocess.run(["pdftotext", "-", "-"], capture_output=True, check=True,
                             input=render_pdf(notification_form(view, units, "Asia/Taipei"))
                             ).stdout.decode("utf-8").replace(" ", "")
    assert "王主秘" in printed and "未接聽" in printed

    qtbot.mouseClick(escalation.notify_buttons[(member_id, True)], Qt.MouseButton.LeftButton)
    view = fill_dialog(qtbot, ws, NotifyDialog, {"notify_recipient": "陳秘書",
                                                 "notify_acting_for": "王主秘"})
    assert view.notifications[-1].told and escalation.warning.isHidden()
    assert "執行秘書" not in ws.missing.text()


def test_the_timeline_shows_a_field_typed_in_sittings_as_one_filled_in_line(  # type: ignore[no-untyped-def]
        qtbot, screen: IncidentsScreen) -> None:
    """A plan written in three autosaves reads as one line, filled in, not three 修改 lines
    each saying what it was before; the events around it stay as they are."""
    ws = open_new(qtbot, screen)
    ws.rail.setCurrentRow(1)
    plan = ws.pages[1].findChild(object, "field_s2_plan")
    for text in ("擴大", "擴大查緝", "擴大查緝同一進口商"):
        settle(qtbot, ws, lambda t=text: (plan.setPlainText(t), plan.flush()))
    assert [e.kind for e in ws.ctrl.view.timeline].count("field") == 3
    lines = timeline_texts(ws)
    plan_lines = [line for line in lines if _("Decided plan") in line]
    assert plan_lines == [_("{kind}: {text}").format(
        kind=_("Changed"), text=_("{field} filled in: {new}").format(
            field=_("Decided plan"), new="擴大查緝同一進口商"))], lines
    assert not any(_("(empty)") in line for line in lines)
