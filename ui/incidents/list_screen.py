"""The Incidents screen: the open incidents (level, current stage, time since start, overdue
items, unacknowledged notifications), filtered and sorted, and the wizard of the one opened.

On start-up it brings back the incident and stage the user was on (resume.json), so a restart
or a crash in the middle of an incident lands where work stopped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from i18n import N_, _, pick
from i18n.formatting import format_datetime
from models.core.changes import Change, OpChanges
from models.incidents.drill_marks import drill_title
from models.org.settings import load_resume
from models.playbook.model import posts_without_phones
from ui.incidents.drill_marks import DRILL_ROW
from ui.incidents.escalation import roster_notice
from ui.incidents.watch import WatchFilter
from ui.incidents.workspace import IncidentWorkspace, elapsed
from ui.runtime.context import AppContext
from ui.runtime.feedback import ERROR_STYLE
from ui.runtime.naming import named
from ui.widgets.combos import refill
from ui.widgets.record_header import marked

if TYPE_CHECKING:
    from models.incidents.queries import IncidentSummary
    from models.org.offices import UnitInfo
    from models.org.settings import Resume
    from models.playbook.model import Playbook
    from models.storage.db import Database

AnyIndex = QModelIndex | QPersistentModelIndex
Listing = tuple["list[IncidentSummary]", "Playbook", "list[UnitInfo]", "Resume"]
COLUMNS = (N_("Case number"), N_("Subject"), N_("Level"), N_("Stage"), N_("Started"),
           N_("Elapsed"), N_("Not acknowledged"), N_("Overdue"), N_("Reporting unit"))
SORT = Qt.ItemDataRole.UserRole
KEY = Qt.ItemDataRole.UserRole + 1
REFRESH_MS = 60_000


class IncidentListModel(QAbstractTableModel):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: list[IncidentSummary] = []
        self.playbook: Playbook | None = None
        self.units: dict[str, str] = {}

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        levels = [lv.key for lv in self.playbook.levels] if self.playbook else []
        if role == KEY:
            return row.id
        if role == SORT:
            return (row.number, row.title, levels.index(row.level_key)
                    if row.level_key in levels else 9, row.current_stage,
                    row.started_at.timestamp(), -row.started_at.timestamp(),
                    row.unacknowledged, row.overdue,
                    self.units.get(row.reporting_unit, ""))[column]
        if role == Qt.ItemDataRole.ForegroundRole and column in (6, 7):
            value = row.unacknowledged if column == 6 else row.overdue
            return QColor("#b00020") if value else None
        if role == Qt.ItemDataRole.BackgroundRole and row.is_drill:
            return DRILL_ROW
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 2 and self.playbook is not None:
            return next((pick(lv.name) for lv in self.playbook.levels
                         if lv.key == row.level_key), row.level_key)
        if column == 3 and self.playbook is not None:
            return next((f"{s.number}. {pick(s.name)}" for s in self.playbook.stages
                         if s.number == row.current_stage), str(row.current_stage))
        tz = self.ctx.settings.timezone
        title = drill_title(row.title, row.is_drill)  # the list marks a drill's (演練)
        title = marked(title, row.classification)  # and a classified record's (【密】)
        values = (row.number, title + (_(" (example)") if row.is_example else ""), "", "",
                  format_datetime(row.started_at, long=False, tz=tz), elapsed(row.started_at),
                  str(row.unacknowledged or ""), str(row.overdue or ""),
                  self.units.get(row.reporting_unit, row.reporting_unit))
        return values[column]

    def set_rows(self, rows: list[IncidentSummary], playbook: Playbook,
                 units: dict[str, str]) -> None:
        self.beginResetModel()
        self.rows, self.playbook, self.units = rows, playbook, units
        self.endResetModel()


class IncidentFilter(QSortFilterProxyModel):
    """Text (number or title), level and category filters."""

    def __init__(self) -> None:
        super().__init__()
        self.text = ""
        self.level = ""
        self.category = ""
        self.setSortRole(SORT)
        self.only: frozenset[str] | None = None
        """The ids to show (the watch list), or None for all."""

    def set_filter(self, text: str, level: str, category: str) -> None:
        self.beginFilterChange()
        self.text, self.level, self.category = text.strip().lower(), level, category
        self.endFilterChange()

    def set_only(self, ids: frozenset[str] | None) -> None:
        self.beginFilterChange()
        self.only = ids
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, IncidentListModel)
        row = model.rows[source_row]
        if self.level and row.level_key != self.level:
            return False
        if self.category and row.category_key != self.category:
            return False
        if self.only is not None and row.id not in self.only:
            return False
        return not self.text or self.text in f"{row.number} {row.title}".lower()


class IncidentsScreen(QStackedWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("screen_incidents")
        self.ctx = ctx
        self.model = IncidentListModel(ctx)
        self.proxy = IncidentFilter()
        self.proxy.setSourceModel(self.model)
        self.heading = named(QLabel(), "incidents_heading")
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.new_button = named(QPushButton(), "incidents_new")
        self.new_button.clicked.connect(self.new_incident)
        self.new_button.setEnabled(False)
        self.search = named(QLineEdit(), "incidents_search")
        self.search.setClearButtonEnabled(True)
        self.level = named(QComboBox(), "incidents_level")
        self.category = named(QComboBox(), "incidents_category")
        for widget in (self.level, self.category):
            widget.currentIndexChanged.connect(self._filter)
        self.search.textChanged.connect(self._filter)
        self.watch = WatchFilter(ctx, self.proxy.set_only)
        self.table = named(QTableView(), "incidents_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._open_row)
        self.empty = named(QLabel(), "incidents_empty")
        self.empty.setWordWrap(True)
        # Top of the free space: centred in it, the heading and toolbar floated mid-screen.
        self.empty.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.roster = named(QLabel(), "incidents_roster_notice")
        self.roster.setStyleSheet(ERROR_STYLE)
        self.roster.setWordWrap(True)
        self.roster.hide()
        tools = QHBoxLayout()
        tools.addWidget(self.new_button)
        tools.addWidget(self.search, 1)
        tools.addWidget(self.level)
        tools.addWidget(self.category)
        tools.addWidget(self.watch.box)
        list_page = QWidget()
        layout = QVBoxLayout(list_page)
        layout.addWidget(self.heading)
        layout.addWidget(self.roster)
        layout.addLayout(tools)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        self.workspace = IncidentWorkspace(ctx)
        self.workspace.back.connect(self.show_list)
        self.addWidget(list_page)
        self.addWidget(self.workspace)
        self.shortcut = QShortcut(QKeySequence.StandardKey.New, self)
        self.shortcut.activated.connect(self.new_incident)
        self.playbook: Playbook | None = None
        self.units: list[UnitInfo] = []
        self._resumed = False
        self._stale = False
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._refresh)
        ctx.database_ready.connect(self.load)
        ctx.data_changed.connect(self._on_data_changed)
        ctx.office_changed.connect(self._refresh)
        ctx.language_changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Open incidents"))
        self.new_button.setText(_("New incident…"))
        self.search.setPlaceholderText(_("Search by case number or subject"))
        self.empty.setText(_("No open incident. When something happens, press "
                             "\u201cNew incident\u201d (Ctrl+N)."))
        self._fill_filters()
        self.watch.retranslate()
        if self.playbook is not None:
            self.roster.setText(roster_notice(self.playbook, posts_without_phones(self.playbook)))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        self.model.layoutChanged.emit()

    def _fill_filters(self) -> None:
        pb = self.playbook
        refill(self.level, [(_("All levels"), ""),
                            *((pick(lv.name), lv.key) for lv in (pb.levels if pb else ()))])
        refill(self.category, [(_("All categories"), ""),
                               *((pick(c.name), c.key) for c in (pb.categories if pb else ()))])

    def _filter(self) -> None:
        self.proxy.set_filter(self.search.text(), self.level.currentData() or "",
                              self.category.currentData() or "")

    def _on_data_changed(self, changes: OpChanges) -> None:
        if changes.touches(Change.INCIDENTS, Change.PLAYBOOK, Change.UNITS):
            self._refresh()

    def _refresh(self) -> None:
        """Reload the list while it is on screen; otherwise (an incident open, another screen
        shown) only note it, and reload when the list is shown again: every autosave
        announces a change, and a hidden list need not keep the worker busy."""
        if self.isVisible() and self.currentIndex() == 0:
            self.load()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and self.currentIndex() == 0:
            self.load()

    def load(self) -> None:
        self._stale = False
        office_code = self.ctx.settings.office_code
        minutes = self.ctx.settings.ack_minutes
        data_dir = self.ctx.data_dir

        def query(db: Database) -> Listing:
            from models.incidents.queries import list_incidents
            from models.org.units import list_units
            from models.playbook.store import current_playbook
            from models.storage.db import utcnow

            return (list_incidents(db, office_code, utcnow(), minutes),
                    current_playbook(db)[1], list_units(db, office_code, include_inactive=True),
                    load_resume(data_dir))

        self.ctx.worker.run("list_incidents", query, self._show)

    def _show(self, result: Listing) -> None:
        rows, self.playbook, self.units, resume = result
        self.model.set_rows(rows, self.playbook, {u.key: u.name for u in self.units})
        self._fill_filters()
        self.new_button.setEnabled(True)
        notice = roster_notice(self.playbook, posts_without_phones(self.playbook))
        self.roster.setText(notice)
        self.roster.setVisible(bool(notice))
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        self._timer.start()
        if not self._resumed:
            self._resumed = True
            if resume.incident_id in {r.id for r in rows}:
                self.open_incident(resume.incident_id, resume.stage)

    def _open_row(self, index: QModelIndex) -> None:
        # From the watch list, at stage 1: its review and escalation
        self.open_incident(self.proxy.data(index, KEY), 1 if self.watch.box.isChecked() else 0)

    def open_incident(self, incident_id: str, stage: int = 0) -> None:
        self.workspace.open_incident(incident_id, stage)
        self.setCurrentWidget(self.workspace)

    def show_list(self) -> None:
        from models.org.settings import Resume, save_resume

        data_dir = self.ctx.data_dir
        self.ctx.worker.run("save_resume", lambda _db: save_resume(data_dir, Resume()))
        self.setCurrentIndex(0)
        self.load()

    def new_incident(self) -> None:
        from ui.incidents.new_incident import NewIncidentWizard

        if self.playbook is None:
            return
        wizard = NewIncidentWizard(self.ctx, self.playbook, self.units, self)
        wizard.opened.connect(self.open_incident)
        wizard.open()

