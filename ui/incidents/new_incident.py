"""Opening an incident in three short steps (stage 1, 危機掌握與辨識): the facts, the category
with what the office learned before about it, and the level from a two-question decision aid
built on the procedure's level definitions. The user confirms the suggested level or picks
another with a reason. Finishing stores the incident and opens it at its escalation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from i18n import N_, _, pick
from models.core.errors import ValidationError
from models.incidents.kinds import IMPACTS, SOURCES, suggest_level
from ui.incidents.facts import CategoryHistoryView, fill_categories, fill_subtypes
from ui.runtime.context import AppContext
from ui.runtime.feedback import error_label, plain_message, show_error
from ui.runtime.naming import named
from ui.runtime.ops import Op
from ui.widgets.event_time import EventTimeEdit

if TYPE_CHECKING:
    from models.incidents.actions import IncidentDraft
    from models.org.offices import UnitInfo
    from models.playbook.model import Playbook
    from models.storage.db import Database

FACT_PAGE, CATEGORY_PAGE, LEVEL_PAGE = 0, 1, 2
FIELD_PAGE = {"title": FACT_PAGE, "summary": FACT_PAGE, "started_at": FACT_PAGE,
              "location": FACT_PAGE, "reporting_unit": FACT_PAGE, "source": FACT_PAGE,
              "category_key": CATEGORY_PAGE, "subtype_key": CATEGORY_PAGE,
              "scope": CATEGORY_PAGE, "level_key": LEVEL_PAGE, "level_reason": LEVEL_PAGE}


class NewIncidentWizard(QWizard):
    """Signals:
        opened(str): the incident was stored; its id.
    """

    opened = Signal(str)

    def __init__(self, ctx: AppContext, playbook: Playbook, units: list[UnitInfo],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("new_incident")
        self.ctx, self.playbook = ctx, playbook
        self._stored = False
        self.setWindowTitle(_("New incident"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)

        # Step 1: the facts.
        facts = QWizardPage()
        facts.setTitle(_("What happened?"))
        self.title = named(QLineEdit(), "new_title")
        self.title.setMaxLength(200)
        self.summary = named(QPlainTextEdit(), "new_summary")
        self.summary.setTabChangesFocus(True)
        self.started = EventTimeEdit(ctx.settings.timezone, name="new_started")
        self.location = named(QLineEdit(), "new_location")
        self.unit = named(QComboBox(), "new_unit")
        self.unit.addItem(_("(none)"), "")
        for unit in units:
            if unit.active:
                self.unit.addItem(unit.name, unit.key)
        own = self.unit.findData(ctx.settings.unit_key)
        self.unit.setCurrentIndex(max(own, 0))
        self.source = named(QComboBox(), "new_source")
        for key, label in SOURCES.items():
            self.source.addItem(_(label), key)
        self.facts_error = error_label("new_facts_error")
        form = QFormLayout(facts)
        form.addRow(_("Subject"), self.title)
        form.addRow(_("What happened"), self.summary)
        form.addRow(_("Started"), self.started)
        form.addRow(_("Location"), self.location)
        form.addRow(_("Reporting unit"), self.unit)
        form.addRow(_("Source"), self.source)
        form.addRow(self.facts_error)

        # Step 2: category, subtype, scope, and the category's history.
        category = QWizardPage()
        category.setTitle(_("What kind of incident is it?"))
        self.category = named(QComboBox(), "new_category")
        fill_categories(self.category, playbook)
        self.definition = named(QLabel(), "new_category_definition")
        self.definition.setWordWrap(True)
        self.subtype = named(QComboBox(), "new_subtype")
        self.scope = named(QPlainTextEdit(), "new_scope")
        self.scope.setTabChangesFocus(True)
        self.scope.setMaximumHeight(70)
        self.scope.setPlaceholderText(_("Which units, ports, goods or people are affected?"))
        self.category_error = error_label("new_category_error")
        self.history = CategoryHistoryView(ctx)
        self.category.currentIndexChanged.connect(self._category_changed)
        form = QFormLayout(category)
        form.addRow(_("Category"), self.category)
        form.addRow("", self.definition)
        form.addRow(_("Subtype"), self.subtype)
        form.addRow(_("Scope"), self.scope)
        form.addRow(self.category_error)
        form.addRow(self.history)

        # Step 3: the level.
        level = QWizardPage()
        level.setTitle(_("How severe is it?"))
        self.impact = QButtonGroup(self)
        impact_box = QWidget()
        impact_layout = QVBoxLayout(impact_box)
        impact_layout.setContentsMargins(0, 0, 0, 0)
        for i, (key, text) in enumerate(IMPACTS.items()):
            button = named(QRadioButton(_(text)), f"new_impact_{key}")
            button.setProperty("key", key)
            self.impact.addButton(button, i)
            impact_layout.addWidget(button)
        self.impact.button(1).setChecked(True)
        self.urgent = named(QCheckBox(_("It needs handling at once")), "new_urgent")
        self.urgent.setChecked(True)
        self.suggestion = named(QLabel(), "new_suggestion")
        self.suggestion.setWordWrap(True)
        self.level = named(QComboBox(), "new_level")
        for lv in playbook.levels:
            self.level.addItem(pick(lv.name), lv.key)
        self.reason = named(QPlainTextEdit(), "new_level_reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(70)
        self.level_error = error_label("new_level_error")
        self.impact.idToggled.connect(lambda _i, on: self._suggest() if on else None)
        self.urgent.toggled.connect(self._suggest)
        self.level.currentIndexChanged.connect(self._level_changed)
        form = QFormLayout(level)
        form.addRow(QLabel(_("Whose business and image does it affect?")))
        form.addRow(impact_box)
        form.addRow(self.urgent)
        form.addRow(self.suggestion)
        form.addRow(_("Level"), self.level)
        form.addRow(_("Reason for choosing another level"), self.reason)
        form.addRow(self.level_error)

        for page in (facts, category, level):
            self.addPage(page)
        # Qt's own catalog says 下一個 (next item); a step of a form is 下一步 in Taiwan.
        self.setButtonText(QWizard.WizardButton.BackButton, _("< Back"))
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next >"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Open the incident"))
        self._category_changed()
        self._suggest()
        self.resize(720, 560)

    # --- the decision aid ----------------------------------------------------------------

    def suggested(self) -> str:
        checked = self.impact.checkedButton()
        assert checked is not None  # an exclusive group, one button checked from the start
        key = checked.property("key")
        return suggest_level(self.playbook, key, self.urgent.isChecked()).key

    def _suggest(self) -> None:
        key = self.suggested()
        level = next(lv for lv in self.playbook.levels if lv.key == key)
        self.suggestion.setText(_("Suggested: <b>{level}</b> — {definition}").format(
            level=pick(level.name), definition=pick(level.definition)))
        self.level.setCurrentIndex(self.level.findData(key))

    def _level_changed(self) -> None:
        self.reason.setEnabled(self.level.currentData() != self.suggested())

    def _category_changed(self) -> None:
        key = self.category.currentData()
        found = next((c for c in self.playbook.categories if c.key == key), None)
        self.definition.setText(pick(found.definition) if found else "")
        fill_subtypes(self.subtype, self.playbook, key)
        self.subtype.setEnabled(self.subtype.count() > 1)
        self.history.load(key)

    # --- finishing -----------------------------------------------------------------------

    def typed(self) -> bool:
        """Whether the user has written anything that closing would lose."""
        return any(text.strip() for text in (
            self.title.text(), self.summary.toPlainText(), self.location.text(),
            self.scope.toPlainText(), self.reason.toPlainText()))

    def reject(self) -> None:
        """Esc or Cancel: what was typed is lost only when the user says so; a stray Esc in
        the middle of an incident once threw it all away."""
        if not self._stored and self.typed():
            answer = QMessageBox.question(
                self, _("Discard the new incident?"),
                _("What you typed for this incident has not been stored and will be lost."),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()

    def validateCurrentPage(self) -> bool:
        """Check a step's required field before moving on; the domain checks all again."""
        if self._stored:  # accept() validates once more after the store
            return True
        if self.currentId() == FACT_PAGE and not self.title.text().strip():
            self._show(ValidationError("title", N_("This field cannot be empty.")))
            return False
        if self.currentId() != LEVEL_PAGE:
            return True
        self._store()
        return False  # the wizard closes when the incident is stored

    def draft(self) -> IncidentDraft:
        from models.incidents.actions import IncidentDraft

        return IncidentDraft(
            title=self.title.text(), summary=self.summary.toPlainText(),
            started_at=self.started.value(), location=self.location.text(),
            reporting_unit=self.unit.currentData(), source=self.source.currentData(),
            category_key=self.category.currentData(), subtype_key=self.subtype.currentData(),
            scope=self.scope.toPlainText(), level_key=self.level.currentData(),
            suggested_level=self.suggested(),
            level_reason=self.reason.toPlainText() if self.reason.isEnabled() else "")

    def _store(self) -> None:
        draft = self.draft()
        office_code = self.ctx.settings.office_code
        actor = self.ctx.actor
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)

        def store(db: Database) -> str:
            from models.incidents.actions import open_incident

            return open_incident(db, actor, office_code, draft)

        def stored(incident_id: str) -> None:
            self.opened.emit(incident_id)
            self._stored = True
            self.accept()

        Op(self.ctx, "open_incident", store, parent=self).on_done(stored).on_error(
            self._show).run()

    def _show(self, exc: Exception) -> None:
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        if not isinstance(exc, ValidationError):
            show_error(self, exc)
            return
        labels = {FACT_PAGE: self.facts_error, CATEGORY_PAGE: self.category_error,
                  LEVEL_PAGE: self.level_error}
        page = FIELD_PAGE.get(exc.field, LEVEL_PAGE)
        while self.currentId() > page:
            self.back()
        label = labels[page]
        label.setText(plain_message(exc))
        label.show()
        widget = {"title": self.title, "started_at": self.started.date,
                  "level_reason": self.reason, "category_key": self.category,
                  "reporting_unit": self.unit}.get(exc.field)
        if widget is not None:
            widget.setFocus()
