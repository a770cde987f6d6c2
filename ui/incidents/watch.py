"""Stage 1's watch list section (持續觀察): for an incident at a level the playbook has the
unit keep watching, the next review date (red once passed), the reviews logged so far, a
review to log, and the escalation to a higher level. The escalation is the ordinary change of
level (ui/incidents/facts.py LevelDialog, the next higher level chosen); the escalation
section of the same stage then asks for the notifications the new level names.

`WatchFilter` is the incident list's "watch list" switch: it reads which open incidents are
watched on the worker and narrows the list to them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QObject
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from i18n import N_, _
from i18n.formatting import format_date, format_datetime, local_date
from models.core.changes import Change, OpChanges
from models.incidents.watch import ReviewInfo, WatchState, watch_of_view
from ui.incidents.act_dialog import ActDialog
from ui.incidents.controller import IncidentController
from ui.incidents.facts import LevelDialog
from ui.incidents.feeds import RecordFeed, feed_of
from ui.runtime.context import AppContext
from ui.runtime.feedback import ERROR_STYLE
from ui.runtime.naming import named
from ui.widgets.combos import select_data
from ui.widgets.event_time import EventTimeEdit
from ui.widgets.roc_date_edit import RocDateEdit

if TYPE_CHECKING:
    from models.incidents.queries import IncidentView
    from models.org.people import Actor
    from models.storage.db import Database

COLUMNS = (N_("Reviewed"), N_("Reviewed by"), N_("What was seen"), N_("Next review"))
NEXT_REVIEW_DAYS = 7
"""The next review a new entry proposes (the reviewer changes it as the case needs)."""


def _read_reviews(db: Database, incident_id: str) -> tuple[ReviewInfo, ...]:
    from models.incidents.watch import list_reviews

    return list_reviews(db, incident_id)


class ReviewDialog(ActDialog):
    """Log a review: when, what was seen, and the date of the next one."""

    def __init__(self, ctrl: IncidentController, parent: QWidget) -> None:
        super().__init__(ctrl, parent, "watch_review", _("Log a watch review"))
        tz = ctrl.ctx.settings.timezone
        self.when = EventTimeEdit(tz, name="watch_when")
        self.seen = named(QPlainTextEdit(), "watch_seen")
        self.seen.setTabChangesFocus(True)
        self.next_review = named(RocDateEdit(), "watch_next")
        proposed = local_date(datetime.now(UTC), tz) + timedelta(days=NEXT_REVIEW_DAYS)
        self.next_review.setDate(QDate(proposed.year, proposed.month, proposed.day))
        self.form.addRow(_("Reviewed"), self.when)
        self.form.addRow(_("What was seen"), self.seen)
        self.form.addRow(_("Next review"), self.next_review)

    def accept(self) -> None:
        incident_id, at, seen = self.ctrl.incident_id, self.when.value(), self.seen.toPlainText()
        next_review: date = self.next_review.date().toPython()  # type: ignore[assignment]

        def store(db: Database, actor: Actor) -> str:
            from models.incidents.watch import log_review

            return log_review(db, actor, incident_id, reviewed_at=at, seen=seen,
                              next_review=next_review)

        self.store(store, {"reviewed_at": self.when, "seen": self.seen,
                           "next_review": self.next_review})


class WatchPanel(QWidget):
    def __init__(self, ctrl: IncidentController) -> None:
        super().__init__()
        self.setObjectName("watch")
        self.ctrl = ctrl
        self.feed = feed_of(ctrl, "watch_feed", _read_reviews)
        self.state = named(QLabel(), "watch_state")
        self.state.setWordWrap(True)
        self.table = named(QTableWidget(0, len(COLUMNS)), "watch_reviews_table")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.review_button = named(QPushButton(), "watch_review")
        self.review_button.clicked.connect(lambda: ReviewDialog(ctrl, self).open())
        self.escalate_button = named(QPushButton(), "watch_escalate")
        self.escalate_button.clicked.connect(self.escalate)
        buttons = QHBoxLayout()
        buttons.addWidget(self.review_button)
        buttons.addWidget(self.escalate_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.state)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.feed.loaded.connect(self._refresh)

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.review_button.setText(_("Log a review…"))
        self.escalate_button.setText(_("Escalate…"))
        self._refresh()

    def _refresh(self) -> None:
        if self.ctrl.view is not None:
            self.show_view(self.ctrl.view)

    def watch(self, view: IncidentView) -> WatchState | None:
        reviews: tuple[ReviewInfo, ...] | None = self.feed.of(view)
        return watch_of_view(view, reviews[-1] if reviews else None)

    def show_view(self, view: IncidentView) -> None:
        reviews: tuple[ReviewInfo, ...] = self.feed.of(view) or ()
        watch = self.watch(view)
        today = local_date(datetime.now(UTC), self.ctrl.ctx.settings.timezone)
        if watch is None:
            self.state.setText(_("At its level this incident is not on the watch list.")
                               if view.status == "open" else "")
            self.state.setStyleSheet("")
        else:
            day = format_date(watch.next_review, long=False)
            late = watch.next_review < today
            self.state.setText(
                (_("On the watch list: the review was due {day}.") if late else
                 _("On the watch list: next review {day}.")).format(day=day))
            self.state.setStyleSheet(ERROR_STYLE + "font-weight: bold;" if late else "")
        self.review_button.setEnabled(watch is not None)
        self.escalate_button.setEnabled(watch is not None and self._higher(view) is not None)
        for button in (self.review_button, self.escalate_button):
            button.setVisible(watch is not None)  # only a watched incident offers them
        self.table.setVisible(bool(reviews))
        tz = self.ctrl.ctx.settings.timezone
        self.table.setRowCount(len(reviews))
        for row, review in enumerate(reviews):
            for column, value in enumerate((
                    format_datetime(review.reviewed_at, long=False, tz=tz), review.entered_by,
                    review.seen, format_date(review.next_review, long=False))):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeRowsToContents()

    @staticmethod
    def _higher(view: IncidentView) -> str | None:
        """The next more severe level (levels are listed most severe first)."""
        keys = [lv.key for lv in view.playbook.levels]
        index = keys.index(view.level_key) if view.level_key in keys else 0
        return keys[index - 1] if index > 0 else None

    def escalate(self) -> None:
        """The change of level, the next higher one chosen: the reason is still asked."""
        view = self.ctrl.view
        higher = self._higher(view) if view is not None else None
        if higher is None:
            return
        dialog = LevelDialog(self.ctrl, self)
        select_data(dialog.level, higher)
        dialog.open()


class WatchFilter(QObject):
    """The incident list's switch to show only the incidents on the watch list."""

    def __init__(self, ctx: AppContext,
                 narrow: Callable[[frozenset[str] | None], None]) -> None:
        super().__init__()
        self.ctx = ctx
        self.narrow = narrow
        self.box = named(QCheckBox(), "incidents_watch")
        self.box.toggled.connect(self.load)
        self.watched: frozenset[str] = frozenset()
        ctx.data_changed.connect(self._on_data_changed)

    def retranslate(self) -> None:
        self.box.setText(_("Watch list"))

    def _on_data_changed(self, changes: OpChanges) -> None:
        if self.box.isChecked() and changes.touches(Change.INCIDENTS, Change.PLAYBOOK):
            self.load()

    def load(self) -> None:
        office_code = self.ctx.settings.office_code
        on = self.box.isChecked()

        def read(db: Database) -> frozenset[str]:
            from models.incidents.watch import watch_list

            return frozenset(watch_list(db, office_code)) if on else frozenset()

        def shown(ids: frozenset[str]) -> None:
            self.watched = ids
            self.narrow(ids if self.box.isChecked() else None)

        self.ctx.worker.run("watch_list", read, shown)

