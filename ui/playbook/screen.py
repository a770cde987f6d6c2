"""The playbook browser: the whole procedure, navigable by section and readable at a glance,
with its version history, older versions to open and compare, and the planning group's editors.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from i18n import N_, _, pick
from i18n.formatting import format_datetime
from models.core.changes import Change, OpChanges
from models.org.people import Permission, Role
from ui.playbook import html
from ui.runtime.context import AppContext
from ui.runtime.feedback import show_error
from ui.runtime.jobs import PlaybookSnapshot, playbook_snapshot
from ui.runtime.naming import named
from ui.widgets.items import cell, child_items, top_level_items

SECTIONS = [
    ("overview", N_("Whole procedure")),
    ("basis", N_("Basis and purpose")),
    ("team", N_("Crisis management team")),
    ("roster", N_("Team roster and deputies")),
    ("handovers", N_("Handovers")),
    ("holidays", N_("Office holidays")),
    ("categories", N_("Incident categories")),
    ("levels", N_("Severity levels")),
    ("stages", N_("Response stages")),
    ("drill", N_("Drills")),
    ("report_form", N_("Drill report form")),
    ("versions", N_("Versions")),
]
KEY = Qt.ItemDataRole.UserRole


class PlaybookScreen(QWidget):
    """Sections on the left, the chosen section on the right.

    At start the window may first show the playbook as read from the database file before
    the database opened (``show_first``, models/playbook/first_read.py); the load from the
    open database then replaces it, redrawing only if it differs, and editing waits for it.

    Signals:
        loaded(): a playbook version is on screen (after start-up, a save, or opening a version).
    """

    loaded = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("screen_playbook")
        self.snapshot: PlaybookSnapshot | None = None
        self.first_read = False
        """Whether what is shown is the first read (``show_first``), not yet the open
        database's own load."""
        self._section = "overview"

        self.version_label = named(QLabel(), "playbook_version")
        self.version_label.setWordWrap(True)
        self.old_banner = named(QLabel(), "playbook_old_banner")
        self.old_banner.setStyleSheet("background:#fff3cd; padding:4px; border-radius:3px;")
        self.old_banner.hide()
        self.back_button = named(QPushButton(), "playbook_back_to_current")
        self.back_button.clicked.connect(lambda: self.show_version(None))
        self.back_button.hide()
        self.roster_button = named(QPushButton(), "playbook_edit_roster")
        self.roster_button.clicked.connect(self.edit_roster)
        self.edit_button = named(QPushButton(), "playbook_edit_content")
        self.edit_button.clicked.connect(self.edit_content)
        self.holidays_button = named(QPushButton(), "playbook_edit_holidays")
        self.holidays_button.clicked.connect(self.edit_holidays)
        header = QHBoxLayout()
        header.addWidget(self.version_label, 1)
        header.addWidget(self.old_banner)
        header.addWidget(self.back_button)
        header.addWidget(self.roster_button)
        header.addWidget(self.edit_button)
        header.addWidget(self.holidays_button)

        self.sections = named(QTreeWidget(), "playbook_sections")
        self.sections.setHeaderHidden(True)
        self.sections.currentItemChanged.connect(self._on_section)
        self.view = named(QTextBrowser(), "playbook_view")
        self.view.setOpenLinks(False)
        self.versions = named(QTableWidget(0, 5), "playbook_versions_table")
        self.versions.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.versions.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.versions.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.versions.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.versions.verticalHeader().hide()
        self.versions.doubleClicked.connect(lambda _i: self.open_selected_version())
        self.open_version_button = named(QPushButton(), "playbook_open_version")
        self.open_version_button.clicked.connect(self.open_selected_version)
        self.compare_button = named(QPushButton(), "playbook_compare")
        self.compare_button.clicked.connect(self.compare_selected)
        versions_page = QWidget()
        versions_layout = QVBoxLayout(versions_page)
        versions_layout.setContentsMargins(0, 0, 0, 0)
        versions_layout.addWidget(self.versions)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_version_button)
        buttons.addWidget(self.compare_button)
        versions_layout.addLayout(buttons)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.view)
        self.pages.addWidget(versions_page)

        splitter = QSplitter()
        splitter.addWidget(self.sections)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 760])
        self.loading = named(QLabel(), "playbook_loading")
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.loading)
        layout.addWidget(splitter, 1)

        ctx.database_ready.connect(lambda: self.show_version(None))
        ctx.data_changed.connect(self._on_data_changed)
        ctx.language_changed.connect(self.retranslate)
        ctx.settings_changed.connect(self._update_buttons)
        ctx.standing_changed.connect(self._update_buttons)
        self.retranslate()

    # -- loading

    def show_version(self, version_id: str | None) -> None:
        """Show the current version (None) or an older one, loaded on the worker."""
        self.ctx.worker.run("load_playbook", lambda db: playbook_snapshot(db, version_id),
                            self._on_loaded, lambda exc: show_error(self, exc))

    def _on_data_changed(self, changes: OpChanges) -> None:
        if changes.touches(Change.PLAYBOOK):
            self.show_version(None)

    def show_first(self, snapshot: PlaybookSnapshot | None) -> None:
        """Show the playbook read from the database file before it opened (None: it could
        not be read so; the open database's load shows it then), unless that load came
        first."""
        if snapshot is None or self.snapshot is not None:
            return
        self.first_read = True
        self._present(snapshot)

    def _on_loaded(self, snapshot: PlaybookSnapshot) -> None:
        replaces_first_read, self.first_read = self.first_read, False
        if replaces_first_read and _same_text(snapshot, self.snapshot):
            # The text on screen already: kept as it is, scrolled where the user left it. Only
            # the versions' times may differ (a first start shows version 1 before its open
            # stored it, a moment later).
            self.snapshot = snapshot
            self._fill_versions()
            self._show_header()
            self._update_buttons()
            self.loaded.emit()
            return
        self._present(snapshot)

    def _present(self, snapshot: PlaybookSnapshot) -> None:
        self.snapshot = snapshot
        self.loading.hide()
        self._fill_sections()
        self._fill_versions()
        self._show_header()
        self._render()
        self._update_buttons()
        self.loaded.emit()

    # -- presenting

    def retranslate(self) -> None:
        self.loading.setText(_("Loading the playbook…"))
        self.back_button.setText(_("Back to the current version"))
        self.roster_button.setText(_("Edit roster…"))
        self.edit_button.setText(_("Edit content…"))
        self.holidays_button.setText(_("Edit holidays…"))
        self.open_version_button.setText(_("Open this version"))
        self.compare_button.setText(_("Compare with current…"))
        self.versions.setHorizontalHeaderLabels(
            [_("Version"), _("Saved"), _("By"), _("Role"), _("Reason")])
        if self.snapshot is not None:
            self._fill_sections()
            self._fill_versions()
            self._show_header()
            self._render()

    def _show_header(self) -> None:
        assert self.snapshot is not None
        shown = self.snapshot.shown
        self.version_label.setText(_("{title} — version {number}, saved {when} by {who}").format(
            title=self.snapshot.playbook.label(), number=shown.number,
            when=format_datetime(shown.created_at), who=shown.created_by))
        is_old = shown.id != self.snapshot.current.id
        self.old_banner.setText(_("You are reading an older version (current: {number}).")
                                .format(number=self.snapshot.current.number))
        self.old_banner.setVisible(is_old)
        self.back_button.setVisible(is_old)

    def _update_buttons(self) -> None:
        can_edit = self.ctx.actor.may(Permission.EDIT_PLAYBOOK)
        is_current = self.snapshot is not None and self.snapshot.shown.id == self.snapshot.current.id
        for button in (self.roster_button, self.edit_button, self.holidays_button):
            button.setVisible(can_edit)
            button.setEnabled(is_current and not self.first_read)
        self.compare_button.setEnabled(self.snapshot is not None
                                       and len(self.snapshot.versions) > 1)
        # Opening an older version waits too: the open database's load would replace it.
        self.open_version_button.setEnabled(not self.first_read)

    def _fill_sections(self) -> None:
        assert self.snapshot is not None
        pb = self.snapshot.playbook
        children = {
            "team": [(f"group:{g.key}", pick(g.name)) for g in pb.team.groups],
            "categories": [(f"category:{c.key}", pick(c.name)) for c in pb.categories],
            "stages": [(f"stage:{s.number}", f"{s.number}. {pick(s.name)}") for s in pb.stages],
        }
        self.sections.blockSignals(True)
        self.sections.clear()
        selected: QTreeWidgetItem | None = None
        for key, label in SECTIONS:
            item = QTreeWidgetItem(self.sections, [_(label)])
            item.setData(0, KEY, key)
            selected = item if key == self._section else selected
            for child_key, child_label in children.get(key, []):
                child = QTreeWidgetItem(item, [child_label])
                child.setData(0, KEY, child_key)
                selected = child if child_key == self._section else selected
        self.sections.expandAll()
        if selected is None:  # the section is gone in this version (a removed stage, group…)
            self._section = "overview"
            selected = top_level_items(self.sections)[0]
        self.sections.setCurrentItem(selected)
        self.sections.blockSignals(False)

    def _fill_versions(self) -> None:
        assert self.snapshot is not None
        roles = {r.value: r.label for r in Role} | {"system": _("CrisisDesk (shipped)")}
        self.versions.setRowCount(len(self.snapshot.versions))
        for row, v in enumerate(self.snapshot.versions):
            cells = [str(v.number), format_datetime(v.created_at, long=False), v.created_by,
                     roles.get(v.created_role, v.created_role), v.reason_shown]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(KEY, v.id)
                self.versions.setItem(row, col, item)
        self.versions.resizeColumnsToContents()
        self.versions.selectRow(0)

    def _on_section(self, item: QTreeWidgetItem | None, _previous: object = None) -> None:
        if item is not None:
            self._section = item.data(0, KEY)
            self._render()

    def select_section(self, key: str) -> None:
        """Show a section by its key (e.g. "levels", "group:legal", "stage:3")."""
        self.sections.setCurrentItem(self.section_item(key))

    def section_item(self, key: str) -> QTreeWidgetItem:
        for top in top_level_items(self.sections):
            for item in [top, *child_items(top)]:
                if item.data(0, KEY) == key:
                    return item
        raise KeyError(key)

    def _render(self) -> None:
        if self.snapshot is None:
            return
        pb = self.snapshot.playbook
        kind, _sep, arg = self._section.partition(":")
        if kind == "versions":
            self.pages.setCurrentIndex(1)
            return
        self.pages.setCurrentIndex(0)
        body = {
            "overview": lambda: html.overview(pb),
            "basis": lambda: html.basis(pb),
            "team": lambda: html.team(pb),
            "group": lambda: html.group(pb, arg),
            "roster": lambda: html.roster(pb),
            "handovers": lambda: html.handovers(self.snapshot.handovers if self.snapshot
                                                else []),
            "holidays": lambda: html.holidays(pb),
            "categories": lambda: html.categories(pb),
            "category": lambda: html.category(pb, arg),
            "levels": lambda: html.levels(pb),
            "stages": lambda: html.stages(pb),
            "stage": lambda: html.stage(pb, int(arg or 1)),
            "drill": lambda: html.drill(pb),
            "report_form": lambda: html.report_form(pb),
        }[kind]()
        self.view.setHtml(html.page(body))

    # -- actions

    def _selected_version_id(self) -> str | None:
        rows = self.versions.selectionModel().selectedRows()
        return cell(self.versions, rows[0].row(), 0).data(KEY) if rows else None

    def open_selected_version(self) -> None:
        version_id = self._selected_version_id()
        if version_id is not None and not self.first_read:
            self._section = "overview"
            self.show_version(version_id)

    def compare_selected(self) -> None:
        from ui.playbook.version_compare import VersionCompareDialog

        if self.snapshot is None:
            return
        chosen = self._selected_version_id() or self.snapshot.current.id
        older = chosen if chosen != self.snapshot.current.id else self.snapshot.versions[-1].id
        self._open(VersionCompareDialog(self.ctx, self.snapshot.versions, older,
                                        self.snapshot.current.id, self))

    def edit_roster(self) -> None:
        from ui.playbook.roster import RosterDialog

        if self.snapshot is not None:
            self._open(RosterDialog(self.ctx, self.snapshot.shown, self.snapshot.playbook, self))

    def edit_content(self) -> None:
        from ui.playbook.edit import PlaybookEditDialog

        if self.snapshot is not None:
            self._open(PlaybookEditDialog(self.ctx, self.snapshot.shown, self.snapshot.playbook,
                                          self))

    def edit_holidays(self) -> None:
        from ui.playbook.holidays import HolidaysDialog

        if self.snapshot is not None:
            self._open(HolidaysDialog(self.ctx, self.snapshot.shown, self.snapshot.playbook,
                                      self))

    @staticmethod
    def _open(dialog: QDialog) -> None:
        """Window-modal, deleted when closed. Dialog modules are imported on first use: they
        are not needed before the window shows."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()


_ANY_TIME = datetime(2000, 1, 1, tzinfo=UTC)


def _same_text(new: PlaybookSnapshot, shown: PlaybookSnapshot | None) -> bool:
    """Whether *new* shows the same playbook as *shown*, of the same versions and handovers,
    whatever the times the versions were stored."""
    def untimed(snapshot: PlaybookSnapshot) -> tuple[object, ...]:
        return (snapshot.playbook, snapshot.current.id, snapshot.shown.id,
                [replace(v, created_at=_ANY_TIME) for v in snapshot.versions], snapshot.handovers)
    return shown is not None and untimed(new) == untimed(shown)
