"""The main window: navigation to the seven areas, menus, and a status bar that says who is
working and whether the database is ready.

The dialogs of the File and Help menus (QFileDialog, QInputDialog, QMessageBox, QUrl) are
imported where they are used: PySide makes the Python types and enums of a Qt class when it
is first named, 0.2-1 ms each, and the window's start paid 4 ms for classes it never uses
before the user opens a menu (docs/benchmarks.md, issue 16)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QColor,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from i18n import LANGUAGES, N_, _, ngettext
from models.core.changes import Change, OpChanges
from models.core.errors import UserError
from models.core.logs import log_folder
from models.org.people import Permission
from ui.incidents.overdue_watch import OverdueWatch
from ui.runtime import jobs
from ui.runtime.context import AppContext
from ui.runtime.feedback import ERROR_STYLE, show_error
from ui.runtime.naming import named
from ui.runtime.ops import Op
from ui.sync.controller import SyncController
from ui.sync.status import SyncStatusButton

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent  # its type alone took 1.6 ms of the start

    from models.incidents.queries import OverdueNotice
    from models.org.offices import UnitInfo
    from models.playbook.versions import VersionInfo
    from models.storage.backups import Restored
    from models.sync.audit import AuditReport
    from ui.drills.screen import DrillsScreen
    from ui.incidents.archive import ArchiveScreen
    from ui.incidents.list_screen import IncidentsScreen
    from ui.playbook.screen import PlaybookScreen
    from ui.review.home import HomeScreen
    from ui.review.screen import ReviewScreen
    from ui.settings.screen import SettingsScreen

_FOREGROUND_ROLE = 9
"""Qt.ItemDataRole.ForegroundRole, as an int (which item roles are to Qt): the window reads
nothing of Qt's namespace before it shows, as the first read creates all of its enum classes,
about a hundred, 30-50 ms. The same holds for the shortcuts set below, and for the database
worker and the error bridge (ui/runtime/worker.py, feedback.py)."""

WINDOW_TITLE = N_("CrisisDesk — crisis management")

NAV = [
    ("home", N_("Home")),
    ("incidents", N_("Incidents")),
    ("drills", N_("Drills")),
    ("playbook", N_("Playbook")),
    ("archive", N_("Case archive")),
    ("review", N_("Statistics")),
    ("settings", N_("Settings")),
]


class MainWindow(QMainWindow):
    """Navigation on the left, the chosen screen on the right.

    The window is shown with its frame, menus, navigation and status bar first; the screens
    are built by ``build_screens()`` from the event loop right after (their modules load then
    too), so the user sees the window as early as a bare Qt window would allow.
    """

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("main_window")
        self.nav = named(QListWidget(), "nav")
        self.stack = named(QStackedWidget(), "screens")
        self.screens: dict[str, QWidget] = {}
        for _entry in NAV:
            self.nav.addItem(QListWidgetItem())
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.who = named(QLabel(), "status_who")
        self.db_state = named(QLabel(), "status_db")
        self.statusBar().addWidget(self.who, 1)
        self.overdue_alert = named(QLabel(), "status_overdue")
        self.overdue_alert.setStyleSheet(ERROR_STYLE + "font-weight: bold;")
        self.overdue_open = named(QPushButton(), "status_overdue_open")
        self.overdue_open.clicked.connect(self.open_overdue)
        for widget in (self.overdue_alert, self.overdue_open):
            widget.hide()
            self.statusBar().addWidget(widget)
        self.overdue = OverdueWatch(ctx, self)
        self.overdue.changed.connect(self._show_overdue)
        self.overdue.newly_late.connect(lambda _late: QApplication.alert(self))
        self.sync = SyncController(ctx, self)
        self.sync_state = SyncStatusButton(self.sync)
        self.sync_state.conflicts_requested.connect(self.show_conflicts)
        self.sync_state.folder_requested.connect(self.ask_for_share_folder)
        self.statusBar().addPermanentWidget(self.sync_state)
        self.statusBar().addPermanentWidget(self.db_state)
        self._build_menus()
        ctx.language_changed.connect(self.retranslate)
        ctx.settings_changed.connect(self._show_who)
        ctx.database_ready.connect(self._on_ready)
        ctx.database_ready.connect(self._load_unit_names)
        ctx.database_ready.connect(self._load_standing)
        ctx.standing_changed.connect(self._show_who)
        ctx.data_changed.connect(self._on_data_changed)
        ctx.office_changed.connect(self._load_unit_names)
        ctx.worker.failed.connect(lambda exc: show_error(self, exc))
        self.database_ok = False
        self.database_damaged = False
        self._unit_names: dict[str, str] = {}
        self.retranslate()
        self.resize(1180, 760)

    def build_playbook_screen(self) -> PlaybookScreen:
        """Create the playbook's screen alone (once) and show it: the first thing a user reads,
        on screen before the other six screens' modules (SQLAlchemy among them) load."""
        from ui.playbook.screen import PlaybookScreen

        screen = self.screens.get("playbook")
        if screen is None:
            screen = self.screens["playbook"] = PlaybookScreen(self.ctx)
            self.stack.addWidget(screen)
            self.nav.setCurrentRow(self._row("playbook"))
            self.nav.currentRowChanged.connect(self._show_screen)
        return cast("PlaybookScreen", screen)

    def build_screens(self) -> None:
        """Create the screens not created yet; they load their data when the database is
        ready."""
        from ui.drills.screen import DrillsScreen
        from ui.incidents.archive import ArchiveScreen
        from ui.incidents.list_screen import IncidentsScreen
        from ui.review.home import HomeScreen
        from ui.review.screen import ReviewScreen
        from ui.settings.screen import SettingsScreen

        self.build_playbook_screen()
        if len(self.screens) == len(NAV):
            return
        home = HomeScreen(self.ctx)
        home.open_requested.connect(self.open_from_home)
        self.overdue.changed.connect(lambda _late: home.reload())  # a notification turned late
        self.sync.running.connect(self._sync_to_home)
        self.sync.finished.connect(self._sync_to_home)
        self.screens |= {
            "home": home,
            "incidents": IncidentsScreen(self.ctx),
            "drills": DrillsScreen(self.ctx),
            "archive": ArchiveScreen(self.ctx),
            "review": ReviewScreen(self.ctx),
            "settings": SettingsScreen(self.ctx),
        }
        for key, _label in NAV:
            if key != "playbook":  # that one is in the stack already
                self.stack.addWidget(self.screens[key])
        self._build_live_drills()
        self._show_screen(self.nav.currentRow())
        self._sync_to_home()

    def _build_live_drills(self) -> None:
        """A live drill's parts: the Drills screen opens its control view and its incident
        here, and the watch shows the injects that reach this PC after a sync
        (ui/live_drills)."""
        from ui.live_drills.notice import ArrivalWatch

        drills = cast("DrillsScreen", self.screens["drills"])
        drills.control_requested.connect(self.open_drill_control)
        drills.incident_requested.connect(self.open_drill_incident)
        self.drill_arrivals = ArrivalWatch(self.ctx, self)
        self.drill_arrivals.incident_requested.connect(self.open_drill_incident)
        self.sync.finished.connect(self.drill_arrivals.after_sync)
        self.ctx.database_ready.connect(self.drill_arrivals.check)

    def open_drill_control(self, drill_id: str) -> None:
        """The control view of a live drill (one per drill, brought to the front if open)."""
        from ui.live_drills.control import DrillControlView

        view = next((v for v in self.findChildren(DrillControlView)
                     if v.drill_id == drill_id), None)
        if view is None:
            view = DrillControlView(self.ctx, drill_id, self)
            view.incident_requested.connect(self.open_drill_incident)
        view.show()
        view.activateWindow()

    def open_drill_incident(self, incident_id: str) -> None:
        """A drill incident in the incident window, at its current stage."""
        self.go_to("incidents")
        cast("IncidentsScreen", self.screens["incidents"]).open_incident(incident_id, 0)
        self.activateWindow()

    def land_home(self) -> None:
        """Once the database is ready, the home screen (what needs the user now) takes the
        place of the playbook the start showed first, unless the user went elsewhere."""
        if "home" in self.screens and self.nav.currentRow() == self._row("playbook"):
            self.go_to("home")

    def open_from_home(self, where: str, target: str) -> None:
        """Where an item of the home screen is worked on (HomeScreen.open_requested)."""
        stages = {"incident": 0, "escalation": 1, "statement": 4,  # 0: the current one
                  "situation": 3, "watch": 1, "tasks": 3}
        if where in stages:
            self.go_to("incidents")
            cast("IncidentsScreen", self.screens["incidents"]).open_incident(target,
                                                                             stages[where])
        elif where == "drills":
            self.go_to("drills")
        elif where in ("report", "evaluation"):
            self.go_to("drills")
            cast("DrillsScreen", self.screens["drills"]).show_month(date.fromisoformat(target),
                                                                    where)
        elif where == "actions":
            self.go_to("review")
            cast("ReviewScreen", self.screens["review"]).show_action(target)
        elif where == "sync":
            self.sync_state.click()

    def _sync_to_home(self, _report: object = None) -> None:
        """The sync's state, as the status bar says it, on the home screen."""
        home = self.screens.get("home")
        if home is None:
            return
        report = self.sync.last
        problem = self.sync.folder is None or (report is not None and not report.in_sync)
        cast("HomeScreen", home).set_sync(
            self.sync_state.text(), problem, tuple(report.waiting) if report else ())

    def _row(self, key: str) -> int:
        return [k for k, _label in NAV].index(key)

    def _show_screen(self, row: int) -> None:
        """The screen of the navigation's *row*, once it is built (until then the one shown
        stays: the others are built right after the playbook is on screen)."""
        screen = self.screens.get(NAV[row][0])
        if screen is not None:
            self.stack.setCurrentWidget(screen)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.act_export = named(QAction(self), "act_export_playbook")
        self.act_export.triggered.connect(self.export_playbook)
        self.act_import = named(QAction(self), "act_import_playbook")
        self.act_import.triggered.connect(self.import_playbook)
        self.act_backup = named(QAction(self), "act_backup")
        self.act_backup.triggered.connect(self.backup)
        self.act_export_json = named(QAction(self), "act_export_json")
        self.act_export_json.triggered.connect(self.export_json)
        self.act_restore = named(QAction(self), "act_restore")
        self.act_restore.triggered.connect(self.restore_backup)
        self.act_import_cases = named(QAction(self), "act_import_cases")
        self.act_import_cases.triggered.connect(self.import_cases)
        self.act_examples = named(QAction(self), "act_load_examples")
        self.act_examples.triggered.connect(self.load_examples)
        self.act_sync = named(QAction(self), "act_sync_now")
        # setShortcuts with a list, here and below: setShortcut's overloads make PySide read
        # Qt's namespace, which nothing before the show reads (_FOREGROUND_ROLE says why).
        self.act_sync.setShortcuts([QKeySequence("F9")])
        self.act_sync.triggered.connect(self.sync_now)
        self.act_conflicts = named(QAction(self), "act_sync_conflicts")
        self.act_conflicts.triggered.connect(self.show_conflicts)
        self.act_quit = named(QAction(self), "act_quit")
        self.act_quit.setShortcuts([QKeySequence(QKeySequence.StandardKey.Quit)])
        self.act_quit.triggered.connect(self.close)
        for act in self._file_database_actions():
            self.file_menu.addAction(act)
        # After "Back up": always enabled, since a damaged database that cannot open is
        # exactly when it is needed.
        self.file_menu.insertAction(self.act_export_json, self.act_restore)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.act_quit)

        self.go_menu = bar.addMenu("")
        self.nav_actions = []
        for row, (key, _label) in enumerate(NAV):
            act = named(QAction(self), f"act_go_{key}")
            act.setShortcuts([QKeySequence(f"Ctrl+{row + 1}")])
            act.triggered.connect(lambda _checked=False, r=row: self.nav.setCurrentRow(r))
            self.go_menu.addAction(act)
            self.nav_actions.append(act)

        self.lang_menu = bar.addMenu("")
        group = QActionGroup(self)
        self.lang_actions: dict[str, QAction] = {}
        for code, label in LANGUAGES.items():
            act = named(QAction(label, self, checkable=True), f"act_lang_{code}")
            act.triggered.connect(lambda _checked=False, c=code: self.switch_language(c))
            group.addAction(act)
            self.lang_menu.addAction(act)
            self.lang_actions[code] = act

        self.help_menu = bar.addMenu("")
        self.act_about = named(QAction(self), "act_about")
        self.act_about.triggered.connect(self.about)
        self.act_log_folder = named(QAction(self), "act_log_folder")
        self.act_log_folder.triggered.connect(self.open_log_folder)
        self.act_verify = named(QAction(self), "act_verify_records")
        self.act_verify.triggered.connect(self.verify_records)
        self.help_menu.addAction(self.act_verify)
        self.help_menu.addAction(self.act_log_folder)
        self.help_menu.addAction(self.act_about)
        for act in self._database_actions():
            act.setEnabled(False)

    def retranslate(self) -> None:
        self.setWindowTitle(_(WINDOW_TITLE))
        for row, (_key, label) in enumerate(NAV):
            self.nav.item(row).setText(_(label))
            self.nav_actions[row].setText(_(label))
        self.overdue_open.setText(_("Show the notifications"))
        self._show_overdue(self.overdue.late)
        self.file_menu.setTitle(_("&File"))
        self.act_export.setText(_("&Export playbook…"))
        self.act_import.setText(_("&Import playbook…"))
        self.act_backup.setText(_("&Back up database…"))
        self.act_export_json.setText(_("Export all records as &JSON…"))
        self.act_restore.setText(_("&Restore from a backup…"))
        self.act_import_cases.setText(_("Import &case files…"))
        self.act_examples.setText(_("Load e&xample cases"))
        self.act_sync.setText(_("&Sync now"))
        self.act_conflicts.setText(_("Sync &conflicts…"))
        self.act_quit.setText(_("&Quit"))
        self.sync_state.retranslate()
        self._sync_to_home()
        self.go_menu.setTitle(_("&Go"))
        self.lang_menu.setTitle(_("&Language"))
        self.help_menu.setTitle(_("&Help"))
        self.act_verify.setText(_("&Verify records"))
        self.act_log_folder.setText(_("Open the &log folder"))
        self.act_about.setText(_("&About CrisisDesk"))
        self.lang_actions[self.ctx.settings.language].setChecked(True)
        self._show_who()
        self._show_db_state()

    def _fit_nav(self) -> None:
        """As wide as its longest entry (a fixed 170 pixels took a sixth of a 1024-pixel
        screen from the work for five short words)."""
        self.nav.setFixedWidth(self.nav.sizeHintForColumn(0) + 2 * self.nav.frameWidth() + 16)

    def _show_overdue(self, late: list[OverdueNotice]) -> None:
        """The count on the Incidents entry and the oldest late notification in the status
        bar, with the way to its escalation; nothing when none is late."""
        row = self._row("incidents")
        item = self.nav.item(row)
        item.setText(_(NAV[row][1]) + (f" ⚠{len(late)}" if late else ""))
        self._fit_nav()
        item.setData(_FOREGROUND_ROLE, QColor("#b00020") if late else None)
        if late:
            oldest = late[0]
            self.overdue_alert.setText(_(
                "{recipient} has not acknowledged {number} within {minutes} minutes: notify "
                "the deputy.").format(recipient=oldest.recipient, number=oldest.number,
                                      minutes=self.ctx.settings.ack_minutes)
                + (_(" ({n} more)").format(n=len(late) - 1) if len(late) > 1 else ""))
        self.overdue_alert.setVisible(bool(late))
        self.overdue_open.setVisible(bool(late))

    def sync_now(self) -> None:
        """File ▸ Sync now (F9): without a shared folder, say so and go to its setting, where
        F9 once did nothing at all."""
        if self.sync.folder is None:
            self.ask_for_share_folder()
        else:
            self.sync.sync_now()

    def ask_for_share_folder(self) -> None:
        self.statusBar().showMessage(_("No shared folder is set, so nothing can sync: enter "
                                       "it in Settings, under Shared folder, and save."), 15000)
        if "settings" not in self.screens:
            return
        self.go_to("settings")
        cast("SettingsScreen", self.screens["settings"]).profile.share.setFocus()

    def open_overdue(self) -> None:
        """The oldest late notification's incident, at its escalation (stage 1)."""
        if not self.overdue.late or "incidents" not in self.screens:
            return
        self.go_to("incidents")
        cast("IncidentsScreen", self.screens["incidents"]).open_incident(
            self.overdue.late[0].incident_id, 1)

    def _on_data_changed(self, changes: OpChanges) -> None:
        if changes.touches(Change.UNITS):
            self._load_unit_names()

    def _load_unit_names(self) -> None:
        """The user's unit as the database names it (units are editable), for the status bar."""
        code = self.ctx.settings.office_code

        def shown(units: list[UnitInfo]) -> None:
            self._unit_names = {u.key: u.name for u in units}
            self._show_who()

        self.ctx.worker.run("unit_names", lambda db: jobs.list_units(db, code), shown,
                            lambda exc: show_error(self, exc))

    def _load_standing(self) -> None:
        """Who the office enrolled this PC for: the person and role every act is made as."""
        self.ctx.worker.run("standing", jobs.load_standing, self.ctx.set_standing,
                            lambda exc: show_error(self, exc))

    def _show_who(self) -> None:
        s = self.ctx.settings
        actor = self.ctx.actor
        shipped = {u.key: u.name for u in self.ctx.office.units}
        unit = self._unit_names.get(s.unit_key) or shipped.get(s.unit_key, s.unit_key)
        self.who.setText(_("{name} · {role} · {unit} · {office}").format(
            name=actor.name, role=actor.role.label, unit=unit, office=self.ctx.office.label))
        can_edit = self.ctx.actor.may(Permission.EDIT_PLAYBOOK)
        self.act_import.setVisible(can_edit)

    def _show_db_state(self) -> None:
        if self.database_damaged:
            self.db_state.setText(_("No usable database: File ▸ Restore from a backup…"))
        else:
            self.db_state.setText(_("Database ready") if self.database_ok
                                  else _("Opening the database…"))

    def _body(self) -> QWidget:
        """The central widget (set in __init__): the screens and the navigation."""
        body = self.centralWidget()
        assert body is not None
        return body

    def show_damaged(self) -> None:
        """There is no database to work on: damaged, or missing (ui/app.py), or not put back
        by a restore that failed half-way. The window stays, its screens and the actions
        that need the database disabled, so that the user can restore a backup from the File
        menu (always enabled)."""
        self.database_damaged = True
        self.database_ok = False
        self._body().setEnabled(False)
        for act in self._database_actions():
            act.setEnabled(False)
        self._show_db_state()

    def _database_actions(self) -> tuple[QAction, ...]:
        """The actions that need the open database: the File menu's, and Help ▸ Verify
        records."""
        return (*self._file_database_actions(), self.act_verify)

    def _file_database_actions(self) -> tuple[QAction, ...]:
        """The File menu's actions that need the open database, in the menu's order."""
        return (self.act_export, self.act_import, self.act_import_cases, self.act_examples,
                self.act_backup, self.act_export_json, self.act_sync, self.act_conflicts)

    def _on_ready(self) -> None:
        self.database_ok = True
        for act in self._database_actions():
            act.setEnabled(True)
        self._show_db_state()

    def switch_language(self, code: str) -> None:
        try:
            self.ctx.update_settings(self.ctx.settings.with_(language=code))
        except UserError as exc:
            self.lang_actions[self.ctx.settings.language].setChecked(True)
            show_error(self, exc)

    # -- File menu actions: each runs on the database worker, the dialogs stay on the GUI.

    def export_playbook(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # not before the show (module doc)

        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export playbook"), str(Path.home() / "playbook.json"), _("JSON (*.json)"))
        if path:
            Op(self.ctx, "export_playbook", lambda db: jobs.export_playbook(db, Path(path)),
               parent=self).on_done(lambda _r: self.statusBar().showMessage(
                   _("Written to {path}").format(path=path), 8000)).run()

    def import_playbook(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QInputDialog  # not before the show (module doc)

        path, _filter = QFileDialog.getOpenFileName(self, _("Import playbook"), str(Path.home()),
                                                    _("JSON (*.json)"))
        if not path:
            return
        reason, ok = QInputDialog.getText(self, _("Import playbook"),
                                          _("Why are you replacing the playbook?"))
        if not ok:
            return
        actor = self.ctx.actor
        reason = reason.strip() or _("Imported from {file}").format(file=Path(path).name)
        Op(self.ctx, "import_playbook",
           lambda db: jobs.import_playbook(db, actor, Path(path), reason),
           parent=self).on_done(self._imported).run()

    def import_cases(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # not before the show (module doc)

        path, _filter = QFileDialog.getOpenFileName(self, _("Import case files"),
                                                    str(Path.home()), _("JSON (*.json)"))
        if path:
            self.go_to("archive")
            cast("ArchiveScreen", self.screens["archive"]).import_file(Path(path))

    def load_examples(self) -> None:
        self.go_to("archive")
        cast("ArchiveScreen", self.screens["archive"]).load_examples()

    def go_to(self, key: str) -> None:
        self.nav.setCurrentRow(self._row(key))

    def _imported(self, info: VersionInfo) -> None:
        from PySide6.QtWidgets import QMessageBox  # not before the show (module doc)

        QMessageBox.information(self, _("Import playbook"),
                                _("Imported as version {number}.").format(number=info.number))

    def backup(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox  # not before the show (module doc)

        folder = QFileDialog.getExistingDirectory(self, _("Choose the folder for the backup"),
                                                  str(Path.home()))
        if folder:
            Op(self.ctx, "backup", lambda db: jobs.backup(db, Path(folder)),
               parent=self).on_done(lambda target: QMessageBox.information(
                   self, _("Backup"), _("Backup written to {path}").format(path=target))).run()

    def export_json(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # not before the show (module doc)

        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export all records"), str(Path.home() / "crisisdesk-export.json"),
            _("JSON (*.json)"))
        if path:
            Op(self.ctx, "export_json", lambda db: jobs.export_json(db, Path(path)),
               parent=self).on_done(lambda count: self.statusBar().showMessage(
                   ngettext("{count} record written to {path}",
                            "{count} records written to {path}",
                            count).format(count=count, path=path), 8000)).on_error(
                   lambda exc: show_error(self, exc, _("Export all records"))).run()

    def restore_backup(self) -> None:
        """File ▸ Restore from a backup…: after a confirmation, the chosen file replaces the
        database (models/storage/backups.py), on the worker, with this window's connections closed.

        The window then closes and the user starts it again, rather than reloading every
        view: nothing of this session (an autosave due, a form open on a record the backup
        does not have, the sync's state) can then write into the restored database."""
        from PySide6.QtWidgets import QFileDialog, QMessageBox  # not before the show (module doc)

        from models.core.faults import BACKUP_FOLDER

        folder = self.ctx.data_dir / BACKUP_FOLDER
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Restore from a backup"),
            str(folder if folder.is_dir() else self.ctx.data_dir),
            _("CrisisDesk databases (*.sqlite3);;All files (*)"))
        if not path:
            return
        title = _("Restore from a backup")
        if self.sync.busy:
            QMessageBox.information(self, title, _("A sync is under way. Try again when it "
                                                   "has ended."))
            return
        answer = QMessageBox.question(
            self, title,
            _("Replace the database of this PC with {file}?\n\nThe database in use is first "
              "copied to the backups folder, so nothing in it is lost. CrisisDesk closes when "
              "the restore is done; start it again to go on.").format(file=path),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        # Until it ends: a backup, export or sync started meanwhile would be dropped behind
        # it without a word, and a second restore would replace the one just restored.
        self._body().setEnabled(False)
        for act in (*self._database_actions(), self.act_restore):
            act.setEnabled(False)
        self.db_state.setText(_("Restoring from a backup…"))
        data_dir, sync = self.ctx.data_dir, self.sync

        def job() -> Restored:
            sync.close_database()
            return jobs.restore(data_dir, Path(path))

        self.ctx.worker.run_released("restore", job, self._restored, self._restore_failed)

    def _restored(self, done: Restored) -> None:
        from PySide6.QtWidgets import QMessageBox  # not before the show (module doc)

        lines = [_("Restored {backup} as {path}").format(backup=done.backup,
                                                         path=done.database)]
        if done.set_aside is not None:
            lines.append(_("The database in use was kept as {path}").format(
                path=done.set_aside))
        if done.older:
            lines.append(_("It was made by an older version of CrisisDesk and will be "
                           "upgraded when CrisisDesk next opens it."))
        lines.append(_("CrisisDesk will now close. Start it again to work with the restored "
                       "records."))
        QMessageBox.information(self, _("Restore from a backup"), "\n\n".join(lines))
        self.close()

    def _restore_failed(self, exc: Exception) -> None:
        self.act_restore.setEnabled(True)
        if self.ctx.worker.ready:  # the database is open again: work goes on
            self._body().setEnabled(True)
            for act in self._database_actions():
                act.setEnabled(True)
            self._show_db_state()
        else:  # none to go on with (damaged at start, or not put back): only the restore
            self.show_damaged()
        show_error(self, exc, _("Restore from a backup"))

    def show_conflicts(self) -> None:
        """The conflicts the sync found, to decide (a dialog of its own, loaded when asked)."""
        from ui.sync.conflicts import ConflictsDialog

        dialog = ConflictsDialog(self.ctx, self)
        dialog.finished.connect(lambda _result: self.sync.sync_now())
        dialog.open()

    def verify_records(self) -> None:
        """Help ▸ Verify records: is every record what its signed sync history says
        (models.sync.audit)? Checked on the worker, in a snapshot that makes no save wait;
        the outcome is shown in a dialog of its own (loaded when first needed)."""
        self.act_verify.setEnabled(False)  # one check at a time
        self.statusBar().showMessage(_("Verifying the records against their sync history…"))
        Op(self.ctx, "verify_records", jobs.verify_history, parent=self).on_done(
            self._verified).on_error(self._verify_failed).run()

    def _verified(self, report: AuditReport) -> None:
        from PySide6.QtCore import Qt  # not before the show: _FOREGROUND_ROLE says why

        from ui.sync.audit import AuditDialog

        self.statusBar().clearMessage()
        self.act_verify.setEnabled(self.database_ok)
        dialog = AuditDialog(report, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _verify_failed(self, exc: Exception) -> None:
        self.statusBar().clearMessage()
        self.act_verify.setEnabled(self.database_ok)
        show_error(self, exc, _("Verify records"))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.sync.shutdown()
        super().closeEvent(event)

    def about(self) -> None:
        """The version and the licences of the bundled parts (ui/about.py)."""
        from PySide6.QtCore import Qt  # not before the show: _FOREGROUND_ROLE says why

        from ui.about import AboutDialog  # loaded when first asked for

        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def open_log_folder(self) -> None:
        """The folder of the log (models/core/logs.py) in the system's file manager, for IT staff
        after an unexpected error; where there is none, its path to type in."""
        from PySide6.QtCore import QUrl  # not before the show (module doc)
        from PySide6.QtGui import QDesktopServices
        from PySide6.QtWidgets import QMessageBox

        folder = log_folder(self.ctx.data_dir)
        try:
            folder.mkdir(parents=True, exist_ok=True)  # nothing logged yet: an empty folder
        except OSError:
            pass  # the box below names it
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            QMessageBox.information(self, _("Log folder"),
                                    _("The log is in {path}").format(path=folder))
