"""Settings: who works at this PC, the office's units, and where the data lives.

The "You" part is the first-run form again (ProfileForm), so the two can never ask different
questions. The units are data in the database, not a fixed list: offices reorganise, and a
team set up for one crisis (防疫應變小組) must be choosable in incidents and drills. Only the
planning group changes them; models/org/units.py enforces that, the disabled buttons only say so.
The data folder is shown for IT, who back it up or move it.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from i18n import N_, _
from models.core.changes import Change, OpChanges
from models.core.errors import UserError
from models.org.offices import MAX_UNIT_NAME, UNIT_KINDS, UnitInfo
from models.org.people import Permission
from models.storage.names import DATABASE_FILE
from ui.runtime import jobs
from ui.runtime.context import AppContext
from ui.runtime.feedback import ERROR_STYLE, show_at_field, show_error
from ui.runtime.naming import named
from ui.runtime.ops import Op
from ui.settings.first_run import ProfileForm
from ui.settings.team import TeamBox

UNIT_COLUMNS = (N_("Chinese name"), N_("English name"), N_("Kind"), N_("Active"))

AnyIndex = QModelIndex | QPersistentModelIndex


class UnitsModel(QAbstractTableModel):
    """The office's units, one row each, in the database's order (tombstones excluded)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._units: list[UnitInfo] = []

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._units)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(UNIT_COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        unit = self._units[index.row()]
        column = index.column()
        if column == 0:
            return unit.name_zh
        if column == 1:
            return unit.name_en
        if column == 2:
            return _(UNIT_KINDS.get(unit.kind, unit.kind))
        return _("Yes") if unit.active else _("No")

    def headerData(
        self, section: int, orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(UNIT_COLUMNS)):
            return _(UNIT_COLUMNS[section])
        return None

    def set_units(self, units: list[UnitInfo]) -> None:
        self.beginResetModel()
        self._units = list(units)
        self.endResetModel()

    def unit(self, row: int) -> UnitInfo:
        return self._units[row]

    def row_of(self, unit_id: str) -> int:
        """The row showing *unit_id*, or -1 (used to keep the selection across reloads)."""
        return next((i for i, u in enumerate(self._units) if u.id == unit_id), -1)

    def retranslate(self) -> None:
        """Headers and the kind and active columns are translated at display time: repaint."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(UNIT_COLUMNS) - 1)
        if self._units:
            self.dataChanged.emit(self.index(0, 2), self.index(len(self._units) - 1, 3),
                                  [Qt.ItemDataRole.DisplayRole])


class UnitDialog(QDialog):
    """Add a unit (*unit* None) or change one.

    The save runs on the database worker and the dialog closes only once the unit is stored,
    so a rejected name (empty, already used) is shown and corrected where it was typed.
    """

    def __init__(self, ctx: AppContext, unit: UnitInfo | None, parent: QWidget | None = None,
                 ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.unit = unit
        self.saved_unit: UnitInfo | None = None
        self._saving = False
        self.setObjectName("unit_dialog")
        self.name_zh = named(QLineEdit(unit.name_zh if unit else ""), "unit_name_zh")
        self.name_en = named(QLineEdit(unit.name_en if unit else ""), "unit_name_en")
        for field in (self.name_zh, self.name_en):
            field.setMaxLength(MAX_UNIT_NAME)
            field.setMinimumWidth(280)
        self.kind = named(QComboBox(), "unit_kind")
        for key in UNIT_KINDS:
            self.kind.addItem("", key)
        self.kind.setCurrentIndex(max(0, self.kind.findData(unit.kind if unit else "division")))
        self.active = named(QCheckBox(), "unit_active")
        self.active.setChecked(unit.active if unit else True)
        self.error = named(QLabel(), "unit_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = named(QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
        ), "unit_buttons")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._labels = [QLabel() for _field in range(4)]
        form = QFormLayout()
        for label, widget in zip(self._labels, [self.name_zh, self.name_en, self.kind,
                                                self.active]):
            label.setBuddy(widget)
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        ctx.language_changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Add unit") if self.unit is None else _("Edit unit"))
        texts = [_("&Chinese name:"), _("&English name:"), _("&Kind:"), _("Status:")]
        for label, text in zip(self._labels, texts):
            label.setText(text)
        for i, key in enumerate(UNIT_KINDS):
            self.kind.setItemText(i, _(UNIT_KINDS[key]))
        self.active.setText(_("Active (offered when choosing a unit)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def accept(self) -> None:
        """Store the unit on the worker; the dialog stays open until that succeeded."""
        if self._saving:
            return
        self._set_saving(True)
        self.error.hide()
        actor, office_code = self.ctx.actor, self.ctx.settings.office_code
        unit_id = self.unit.id if self.unit else None
        name_zh, name_en = self.name_zh.text(), self.name_en.text()
        kind, active = self.kind.currentData(), self.active.isChecked()
        Op(self.ctx, "save_unit",
           lambda db: jobs.save_unit(db, actor, office_code, unit_id=unit_id, name_zh=name_zh,
                                     name_en=name_en, kind=kind, active=active),
           parent=self).on_done(self._saved).on_error(self._failed).run()

    def reject(self) -> None:
        # Closing while the worker stores the unit would leave its result without a window.
        if not self._saving:
            super().reject()

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.buttons.setEnabled(not saving)

    def _saved(self, unit: UnitInfo) -> None:
        self._set_saving(False)
        self.saved_unit = unit
        super().accept()

    def _failed(self, exc: Exception) -> None:
        self._set_saving(False)
        show_at_field(self, exc, self.error, {"name_zh": self.name_zh, "kind": self.kind})


class SettingsScreen(QWidget):
    """The user's profile, the office's units and the data folder, on one page."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("screen_settings")
        self.unit_dialog: UnitDialog | None = None

        self.you_box = named(QGroupBox(), "settings_you")
        self.profile = ProfileForm(ctx.settings, self)
        self.save_button = named(QPushButton(), "settings_save")
        self.save_button.clicked.connect(self.save_profile)
        self.saved = named(QLabel(), "settings_saved")
        self.saved.hide()
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.saved)
        save_row.addStretch(1)
        you_layout = QVBoxLayout(self.you_box)
        you_layout.addWidget(self.profile)
        you_layout.addLayout(save_row)
        you_layout.addStretch(1)

        self.units_box = named(QGroupBox(), "settings_units")
        self.model = UnitsModel(self)
        self.table = named(QTableView(), "units_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self.edit_unit)
        self.add_button = named(QPushButton(), "unit_add")
        self.add_button.clicked.connect(self.add_unit)
        self.edit_button = named(QPushButton(), "unit_edit")
        self.edit_button.clicked.connect(self.edit_unit)
        self.remove_button = named(QPushButton(), "unit_remove")
        self.remove_button.clicked.connect(self.remove_unit)
        self.units_note = named(QLabel(), "units_note")
        self.units_note.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        units_layout = QVBoxLayout(self.units_box)
        units_layout.addWidget(self.table, 1)
        units_layout.addLayout(buttons)
        units_layout.addWidget(self.units_note)

        self.data_info = named(QLabel(), "settings_data_info")
        self.data_info.setTextFormat(Qt.TextFormat.PlainText)
        self.data_info.setWordWrap(True)
        self.data_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                               | Qt.TextInteractionFlag.TextSelectableByKeyboard)

        self.team_box = TeamBox(ctx, self)
        right = QVBoxLayout()
        right.addWidget(self.units_box, 3)
        right.addWidget(self.team_box, 2)
        columns = QHBoxLayout()
        columns.addWidget(self.you_box, 2)
        columns.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.data_info)

        ctx.language_changed.connect(self.retranslate)
        ctx.settings_changed.connect(self._on_settings_changed)
        ctx.standing_changed.connect(self._on_settings_changed)
        ctx.database_ready.connect(self.load_units)
        ctx.data_changed.connect(self._on_data_changed)
        self.retranslate()
        self._update_buttons()
        if ctx.worker.ready:
            self.load_units()

    def retranslate(self) -> None:
        self.you_box.setTitle(_("Your details"))
        self.profile.retranslate()
        self.save_button.setText(_("&Save"))
        if not self.saved.isHidden():
            self.saved.setText(_("Saved."))
        self.units_box.setTitle(_("Units of {office}").format(office=self.ctx.office.label))
        self.add_button.setText(_("&Add unit…"))
        self.edit_button.setText(_("&Edit unit…"))
        self.remove_button.setText(_("&Remove unit…"))
        self.units_note.setText(_("Only the planning group can change the units."))
        self.data_info.setText(_("Data folder: {folder}  ·  Database file: {file}").format(
            folder=self.ctx.data_dir, file=DATABASE_FILE))
        self.model.retranslate()

    # -- You

    def save_profile(self) -> None:
        """Save the form; a new office gets its default units before the table reloads."""
        settings = self.profile.settings()
        if settings is None:
            self.saved.hide()
            return
        office_changed = settings.office_code != self.ctx.settings.office_code
        try:
            self.ctx.update_settings(settings)
        except UserError as exc:
            self.saved.hide()
            show_error(self, exc)
            return
        self.saved.setText(_("Saved."))
        self.saved.show()
        if office_changed:
            code = settings.office_code
            # The other views showing the office reload on office_changed, and again on the
            # units written here if the office had none yet; this table shows them once ensured.
            Op(self.ctx, "ensure_default_units", lambda db: jobs.ensure_default_units(db, code),
               parent=self).on_done(lambda _none: self.load_units()).run()

    def _on_settings_changed(self) -> None:
        # Saved from elsewhere too (the language menu): show it, so Save never reverts it.
        self.profile.show_settings(self.ctx.settings)
        grant = self.ctx.standing.grant if self.ctx.standing is not None else None
        self.profile.show_grant(grant.person if grant else None, grant.role if grant else None)
        self.units_box.setTitle(_("Units of {office}").format(office=self.ctx.office.label))
        self._update_buttons()

    # -- Units

    def _on_data_changed(self, changes: OpChanges) -> None:
        if changes.touches(Change.UNITS):
            self.load_units()

    def load_units(self) -> None:
        code = self.ctx.settings.office_code
        self.ctx.worker.run("list_units",
                            lambda db: jobs.list_units(db, code),
                            lambda units: self._show_units(code, units),
                            lambda exc: show_error(self, exc))

    def _show_units(self, office_code: str, units: list[UnitInfo]) -> None:
        if office_code != self.ctx.settings.office_code:
            return  # the office changed meanwhile; its own load follows
        selected = self.selected_unit()
        self.model.set_units(units)
        row = self.model.row_of(selected.id) if selected else -1
        if row >= 0:
            self.table.selectRow(row)
        own = self.ctx.settings.unit_key
        self.profile.use_units(office_code, [u for u in units if u.active or u.key == own])
        self._update_buttons()

    def selected_unit(self) -> UnitInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.unit(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        may = self.ctx.actor.may(Permission.EDIT_UNITS)
        chosen = self.selected_unit() is not None
        self.add_button.setEnabled(may)
        self.edit_button.setEnabled(may and chosen)
        self.remove_button.setEnabled(may and chosen)
        self.units_note.setVisible(not may)

    def add_unit(self) -> None:
        self._open_dialog(None)

    def edit_unit(self) -> None:
        unit = self.selected_unit()
        if unit is not None and self.ctx.actor.may(Permission.EDIT_UNITS):
            self._open_dialog(unit)

    def _open_dialog(self, unit: UnitInfo | None) -> None:
        # open(), not exec(): window-modal without a nested event loop. The previous dialog is
        # kept until now so that its worker callback never meets a deleted window.
        if self.unit_dialog is not None:
            self.unit_dialog.deleteLater()
        self.unit_dialog = UnitDialog(self.ctx, unit, self)
        self.unit_dialog.open()

    def remove_unit(self) -> None:
        unit = self.selected_unit()
        if unit is None:
            return
        answer = QMessageBox.question(
            self, _("Remove unit"),
            _("Remove the unit {name}? Incidents and drills that name it keep it in their "
              "history.").format(name=unit.name))
        if answer != QMessageBox.StandardButton.Yes:
            return
        actor = self.ctx.actor
        Op(self.ctx, "delete_unit", lambda db: jobs.delete_unit(db, actor, unit.id),
           parent=self).run()
