"""The incident header's clocks: the reporting clock (the level's post told within the
office's limit: models/incidents/clocks_report.py), the next situation report
(ui/incidents/situation_reports.py), the earliest legal clock of the legislators' inquiries
still running (models/incidents/clocks.py) and the tasks of the board past their due time.

They are recomputed on a timer from the loaded view, so the red appears when the limit
passes, without asking the database.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from i18n import _, ngettext, pick
from i18n.formatting import format_datetime, format_minutes, local_date
from models.incidents.clocks_report import ReportingClock, clock_of_view
from models.incidents.decisions import overdue_tasks
from models.incidents.inquiry_print import clock_line
from ui.incidents.controller import IncidentController
from ui.incidents.situation_reports import due_text, next_due, reports_feed
from ui.runtime.feedback import ERROR_STYLE
from ui.runtime.naming import named

if TYPE_CHECKING:
    from models.incidents.queries import IncidentView

TICK_MS = 15_000
OK_STYLE = "color: #2e7d32;"


def reporting_text(view: IncidentView, clock: ReportingClock, now: datetime, tz: str
                   ) -> tuple[str, bool]:
    """The header's words for the reporting clock, and whether they are an alarm."""
    post = pick(view.playbook.group(clock.group).name)
    limit = format_minutes(clock.limit_minutes)
    state = clock.state(now)
    if clock.told_at is not None:
        taken = format_minutes(clock.taken_minutes)
        if state == "none":
            return _("{post} told after {taken}").format(post=post, taken=taken), False
        if state == "met":
            return _("{post} told after {taken} (limit {limit})").format(
                post=post, taken=taken, limit=limit), False
        return _("{post} told after {taken}, later than the limit of {limit}").format(
            post=post, taken=taken, limit=limit), True
    if state == "none":
        return "", False
    due = format_datetime(clock.due_at, long=False, tz=tz) if clock.due_at else ""
    if state == "pending":
        return _("Tell the {post} by {due} (limit {limit})").format(
            post=post, due=due, limit=limit), False
    return _("Overdue: the {post} was to be told by {due} (limit {limit})").format(
        post=post, due=due, limit=limit), True


def outside_text(view: IncidentView, now: datetime, tz: str) -> tuple[str, bool]:
    """The header's words for what the incident owes outside its own stages: the earliest
    running legal clock of its inquiries, and its overdue tasks; and whether they are an
    alarm."""
    today = local_date(now, tz)
    running = sorted((c for i in view.inquiries for c in i.clocks() if c.done_on is None),
                     key=lambda c: c.due_day)
    late = len(overdue_tasks(view, now))
    parts = [clock_line(running[0], today)] if running else []
    if late:
        parts.append(ngettext("{n} task overdue", "{n} tasks overdue", late).format(n=late))
    return "; ".join(parts), late > 0 or any(c.overdue(today) for c in running)


class ClockStrip(QWidget):
    """The clocks of the incident on screen, in the header's status line."""

    def __init__(self, ctrl: IncidentController) -> None:
        super().__init__()
        self.ctrl = ctrl
        self.reporting = named(QLabel(), "incident_reporting_clock")
        self.situation = named(QLabel(), "incident_situation_due")
        self.outside = named(QLabel(), "incident_outside_clocks")
        self.feed = reports_feed(ctrl)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.reporting)
        layout.addWidget(self.situation)
        layout.addWidget(self.outside)
        ctrl.loaded.connect(self.show_view)
        self.feed.loaded.connect(self.refresh)
        ctrl.ctx.language_changed.connect(self.refresh)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()

    def refresh(self) -> None:
        if self.ctrl.view is not None:
            self.show_view(self.ctrl.view)

    def show_view(self, view: IncidentView) -> None:
        clock = clock_of_view(view)
        text, alarm = ("", False)
        if clock is not None and (view.status == "open" or clock.told_at is not None):
            # an archived case says how long telling took, never that it is still due
            text, alarm = reporting_text(view, clock, datetime.now(UTC),
                                         self.ctrl.ctx.settings.timezone)
        self.reporting.setText(text)
        self.reporting.setStyleSheet((ERROR_STYLE + "font-weight: bold;") if alarm
                                     else OK_STYLE if clock and clock.told_at else "")
        self.reporting.setVisible(bool(text))
        due = next_due(self.feed, view)
        text, alarm = ("", False)
        if due is not None:
            text, alarm = due_text(due, self.ctrl.ctx.settings.timezone, datetime.now(UTC))
        self.situation.setText(text)
        self.situation.setStyleSheet((ERROR_STYLE + "font-weight: bold;") if alarm else "")
        self.situation.setVisible(bool(text))
        text, alarm = (outside_text(view, datetime.now(UTC), self.ctrl.ctx.settings.timezone)
                       if view.status == "open" else ("", False))
        self.outside.setText(text)
        self.outside.setStyleSheet((ERROR_STYLE + "font-weight: bold;") if alarm else "")
        self.outside.setVisible(bool(text))
