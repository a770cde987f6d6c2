"""Who is at this PC: asked once on first run, and again from Settings.

One short form: name (the login name as default), office and unit, role, language, and the
shared folder for sync (optional). The same widget serves the first-run dialog and the
Settings screen, so the two can never ask different questions.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from i18n import LANGUAGES, _
from models.core.errors import ValidationError
from models.org.it_defaults import ItDefaults
from models.org.offices import UnitInfo, offices
from models.org.people import Role
from models.org.settings import DamagedSettings, Settings, login_name, validate
from ui.runtime.feedback import ERROR_STYLE, error_label, show_at_field
from ui.runtime.naming import named


class ProfileForm(QWidget):
    """The fields of Settings, with the error shown beside the field that caused it.

    Signals:
        language_picked(str): the language combo changed (first run previews the language).
    """

    language_picked = Signal(str)

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        # Units read from the database per office (Settings passes them in: they may have been
        # added or renamed); an office without an entry offers its shipped default units.
        self._known_units: dict[str, tuple[UnitInfo, ...]] = {}
        self.name = named(QLineEdit(settings.user_name), "profile_name")
        self.name.setMaxLength(100)
        self.login = named(QLabel(), "profile_login")
        """The PC's login, beside the name: it is what a signature records of the account."""
        self.office = named(QComboBox(), "profile_office")
        self.unit = named(QComboBox(), "profile_unit")
        self.role = named(QComboBox(), "profile_role")
        self.language = named(QComboBox(), "profile_language")
        self.share = named(QLineEdit(settings.share_folder), "profile_share")
        self.browse = named(QPushButton(), "profile_share_browse")
        self.browse.clicked.connect(self._browse)
        self.error = named(QLabel(), "profile_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()

        for office in offices():
            self.office.addItem(office.label, office.code)
        self.office.setCurrentIndex(max(0, self.office.findData(settings.office_code)))
        self.office.currentIndexChanged.connect(self._fill_units)
        self._fill_units()
        self.unit.setCurrentIndex(max(0, self.unit.findData(settings.unit_key)))
        for role in Role:
            self.role.addItem(role.label, role.value)
        self.role.setCurrentIndex(max(0, self.role.findData(settings.role.value)))
        for code, language_name in LANGUAGES.items():
            self.language.addItem(language_name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.language.currentIndexChanged.connect(
            lambda: self.language_picked.emit(self.language.currentData())
        )

        self.ack = named(QSpinBox(), "profile_ack_minutes")
        self.ack.setRange(1, 240)
        self.ack.setValue(settings.ack_minutes)

        share_row = QHBoxLayout()
        share_row.addWidget(self.share, 1)
        share_row.addWidget(self.browse)
        name_row = QHBoxLayout()
        name_row.addWidget(self.name, 1)
        name_row.addWidget(self.login)
        self.form = QFormLayout()
        self._labels = [QLabel() for _ in range(7)]
        fields: list[QWidget | QHBoxLayout] = [
            name_row, self.office, self.unit, self.role, self.language, share_row, self.ack]
        for label, field in zip(self._labels, fields):
            if isinstance(field, QHBoxLayout):
                self.form.addRow(label, field)
            else:
                label.setBuddy(field)
                self.form.addRow(label, field)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        self.retranslate()

    def retranslate(self) -> None:
        texts = [_("&Name:"), _("&Office:"), _("&Unit:"), _("&Role:"), _("&Language:"),
                 _("Shared &folder (for sync, optional):"), _("&Acknowledgement time:")]
        for label, text in zip(self._labels, texts):
            label.setText(text)
        self._labels[0].setBuddy(self.name)
        self._labels[5].setBuddy(self.share)
        self.name.setPlaceholderText(_("your full name, as you sign official papers"))
        self.login.setText(_("Login: {login}").format(login=login_name() or "—"))
        self.share.setPlaceholderText(_("for example \\\\server\\crisis"))
        self.browse.setText(_("Browse…"))
        self.ack.setSuffix(_(" min"))
        self.ack.setToolTip(_("A notification not acknowledged within this time turns red, and "
                              "CrisisDesk suggests notifying the deputy."))
        for i, role in enumerate(Role):
            self.role.setItemText(i, role.label)
        for i, office in enumerate(offices()):
            self.office.setItemText(i, office.label)
        current = self.unit.currentData()
        self._fill_units()
        self.unit.setCurrentIndex(max(0, self.unit.findData(current)))

    def show_settings(self, settings: Settings) -> None:
        """Show *settings* in the fields, e.g. after they were saved from elsewhere (the
        language menu), so that saving the form never quietly reverts that change."""
        self._settings = settings
        self.name.setText(settings.user_name)
        self.office.setCurrentIndex(max(0, self.office.findData(settings.office_code)))
        self._fill_units()
        self.unit.setCurrentIndex(max(0, self.unit.findData(settings.unit_key)))
        self.role.setCurrentIndex(max(0, self.role.findData(settings.role.value)))
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.share.setText(settings.share_folder)
        self.ack.setValue(settings.ack_minutes)

    def show_grant(self, person: str | None, role: Role | None) -> None:
        """Show the person and role the office enrolled this PC for, not to be changed here
        (roles come only from the office's grants; editing settings.json changes nothing):
        None while it is not enrolled, and the fields are the user's."""
        granted = person is not None and role is not None
        if granted:
            self.name.setText(person or "")
            self.role.setCurrentIndex(max(0, self.role.findData(role.value if role else "")))
        self.name.setReadOnly(granted)
        self.role.setEnabled(not granted)
        tip = _("Set by the office when it approved this PC (Settings ▸ Team PCs).")
        self.name.setToolTip(tip if granted else "")
        self.role.setToolTip(tip if granted else "")

    def use_units(self, office_code: str, units: Sequence[UnitInfo]) -> None:
        """Offer *units* (from the database) for *office_code* instead of its defaults."""
        self._known_units[office_code] = tuple(units)
        if self.office.currentData() == office_code:
            current = self.unit.currentData()
            self._fill_units()
            self.unit.setCurrentIndex(max(0, self.unit.findData(current)))

    def _fill_units(self) -> None:
        code = self.office.currentData()
        units = self._known_units.get(code)
        if units is None:
            units = next((o.units for o in offices() if o.code == code), ())
        self.unit.blockSignals(True)
        self.unit.clear()
        for unit in units:
            self.unit.addItem(unit.name, unit.key)
        self.unit.blockSignals(False)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Shared folder"), self.share.text())
        if folder:
            self.share.setText(folder)

    def settings(self) -> Settings | None:
        """The validated settings, or None after showing what is wrong, at the field."""
        candidate = self._settings.with_(
            user_name=self.name.text(),
            office_code=self.office.currentData() or "",
            unit_key=self.unit.currentData() or "",
            role=Role(self.role.currentData()),
            language=self.language.currentData(),
            share_folder=self.share.text(),
            ack_minutes=self.ack.value(),
        )
        try:
            result = validate(candidate)
        except ValidationError as exc:
            show_at_field(self, exc, self.error, {
                "user_name": self.name, "unit_key": self.unit, "language": self.language,
                "share_folder": self.share, "ack_minutes": self.ack})
            return None
        self.error.hide()
        return result


class FirstRunDialog(QDialog):
    """Asks who uses this PC before the main window opens.

    Signals:
        language_picked(str): forwarded from the form, so the app can switch language live.
    """

    language_picked = Signal(str)

    def __init__(self, settings: Settings, defaults: ItDefaults | None = None,
                 damaged: DamagedSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("first_run_dialog")
        self.intro = named(QLabel(), "first_run_intro")
        self.intro.setWordWrap(True)
        # A file that could not be used, the defaults IT staff put beside the program or this
        # PC's own damaged settings: say which and why, so the user can tell IT staff, and
        # fill the form in anyway.
        self._defaults = defaults
        self._damaged = damaged
        self.defaults_problem = error_label("first_run_defaults_problem")
        self.defaults_problem.setVisible(defaults is not None and defaults.error is not None)
        self.settings_problem = error_label("first_run_settings_problem")
        self.settings_problem.setVisible(damaged is not None)
        self.form = ProfileForm(settings, self)
        self.form.language_picked.connect(self.language_picked)
        self.buttons = named(QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
        ), "first_run_buttons")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.settings_problem)
        layout.addWidget(self.defaults_problem)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)
        self.result_settings: Settings | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Welcome to CrisisDesk"))
        self.intro.setText(_("Who works at this PC? Your name and role are recorded with every "
                             "change you make. You can change all of this later in "
                             "Settings."))
        if self._defaults is not None and self._defaults.error is not None:
            self.defaults_problem.setText(_(
                "The defaults your IT staff set in {path} were not used: {problem}. "
                "Please tell them.").format(path=self._defaults.path,
                                            problem=self._defaults.error.message()))
        if self._damaged is not None:
            self.settings_problem.setText(_(
                "{problem} The form below starts from what could still be read: please check "
                "every field.").format(problem=self._damaged.message()))
        self.form.retranslate()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Start"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))

    def accept(self) -> None:
        settings = self.form.settings()
        if settings is None:
            return
        self.result_settings = settings
        super().accept()
