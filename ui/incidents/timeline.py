"""The incident's timeline: everything that happened, with the time it happened and the time
it was entered, who entered it and in which role, and a field for a free note."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from i18n import N_, _
from i18n.formatting import format_datetime
from models.incidents.drill_marks import entry_kind_label
from models.incidents.timeline_text import describe, fold_edits
from models.org.people import Role
from ui.incidents.controller import IncidentController
from ui.incidents.panels import EntryPanel
from ui.runtime.naming import named
from ui.widgets.shown_rows import ShownRowHeights

if TYPE_CHECKING:
    from models.incidents.queries import IncidentView, TimelineEntry
    from models.incidents.timeline import Entry
    from models.playbook.model import Playbook

AnyIndex = QModelIndex | QPersistentModelIndex
COLUMNS = (N_("Happened"), N_("Entered by"), N_("What"))
COMPACT_BELOW = 380
"""Pane widths (pixels) below which the author moves under the time."""
LATE_ENTRY = timedelta(minutes=1)
"""An entry made this much after the event shows its entry time too."""


def when(event_at: datetime, entered_at: datetime, tz: str) -> str:
    """The event time, and the entry time below it when the entry was made later (a call
    logged after the fact): both are part of the record."""
    text = format_datetime(event_at, long=False, tz=tz)
    if entered_at - event_at > LATE_ENTRY:
        text += "\n" + _("entered {when}").format(when=format_datetime(entered_at, long=False,
                                                                        tz=tz))
    return text


def role_label(role: str) -> str:
    try:
        return Role(role).label
    except ValueError:  # a role of a newer app version, from a synced record
        return role


class TimelineModel(QAbstractTableModel):
    """Timeline entries, oldest first, a person's quick successive edits of one field folded
    into one (models.incidents.timeline_text.fold_edits). A row's texts are composed when the
    view first asks for them, in the language of the moment (a language switch reloads): a
    view shows some twenty rows of a thousand, and composing them all took a tenth of the
    time an incident of 1,000 entries took to open (issue 16)."""

    def __init__(self, timezone: str) -> None:
        super().__init__()
        self.timezone = timezone
        self.entries: list[TimelineEntry[Entry]] = []
        self._texts: list[tuple[str, str, str] | None] = []
        self._playbook: Playbook | None = None
        self._units: dict[str, str] = {}
        self._drill = False
        self.compact = False
        """In a narrow pane the author is shown under the time (its column hidden), so what
        happened keeps room to be read."""

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def texts(self, row: int) -> tuple[str, str, str]:
        """The row's time, author and what happened, as shown."""
        texts = self._texts[row]
        if texts is None:
            e = self.entries[row]
            assert self._playbook is not None  # entries come with their playbook
            texts = self._texts[row] = (
                when(e.event_at, e.entered_at, self.timezone),
                _("{name} ({role})").format(name=e.author, role=role_label(e.role)),
                _("{kind}: {text}").format(kind=entry_kind_label(e.kind, self._drill),
                                           text=describe(e, self._playbook, self._units)))
        return texts

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.ToolTipRole):
            return None
        row = self.texts(index.row())
        if self.compact and index.column() == 0:
            return f"{row[0]}\n{row[1]}"
        return row[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        return None

    def set_view(self, view: IncidentView, units: dict[str, str]) -> None:
        self.beginResetModel()
        self.entries = fold_edits(view.timeline)
        self._texts = [None] * len(self.entries)
        self._playbook, self._units = view.playbook, units
        self._drill = view.is_drill
        self.endResetModel()


class TimelinePanel(QWidget):
    def __init__(self, ctrl: IncidentController) -> None:
        super().__init__()
        self.setObjectName("timeline")
        self.ctrl = ctrl
        self.heading = named(QLabel(), "timeline_heading")
        self.heading.setStyleSheet("font-weight: bold;")
        self.model = TimelineModel(ctrl.ctx.settings.timezone)
        self.table = named(QTableView(), "timeline_table")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        # What happened gets the room: the time and the author wrap in narrow columns (sized
        # to their content they left "What" a few characters in a narrow pane).
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.heights = ShownRowHeights(self.table)
        self._refit = QTimer(self, singleShot=True, interval=0)
        self._refit.timeout.connect(self._fit_columns)
        self.notes = EntryPanel(ctrl, "note")
        self.notes.list.hide()  # notes show in the timeline itself
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.notes)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Fit the columns to the pane, once the resizing pauses: a dragged splitter sends a
        resize per pixel, and refitting the rows shown each time is felt."""
        super().resizeEvent(event)
        self._refit.start()

    def _fit_columns(self) -> None:
        width = self.table.viewport().width()
        compact = width < COMPACT_BELOW
        if compact != self.model.compact:
            self.model.compact = compact
            self.table.setColumnHidden(1, compact)
            self.model.layoutChanged.emit()
        self.table.setColumnWidth(0, max(width * (34 if compact else 28) // 100, 90))
        self.table.setColumnWidth(1, max(width * 22 // 100, 70))
        self.heights.forget()
        self.heights.fit_shown()

    def retranslate(self) -> None:
        self.heading.setText(_("Timeline"))
        self.notes.retranslate()
        if self.ctrl.view is not None:
            self.show_view(self.ctrl.view)

    def show_view(self, view: IncidentView) -> None:
        at_end = self.table.verticalScrollBar().value() >= \
            self.table.verticalScrollBar().maximum() - 2
        self.model.set_view(view, self.ctrl.unit_names())
        self.heights.fit_shown()
        self.notes.show_view(view)
        if at_end:
            self.table.scrollToBottom()
