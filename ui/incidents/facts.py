"""Stage 1's facts of the incident (autosaved as edited), its level with the reason for every
change, and what the office learned before about the same category."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from i18n import _, pick
from i18n.formatting import format_date, format_datetime, local_date
from models.core.changes import Change, OpChanges
from models.incidents.kinds import SOURCES
from models.playbook.model import level_by_key
from ui.incidents.act_dialog import ActDialog
from ui.incidents.autosave import AutosaveLine, AutosaveText
from ui.incidents.controller import IncidentController
from ui.runtime.context import AppContext
from ui.runtime.feedback import error_label, show_at_field
from ui.runtime.naming import named
from ui.widgets.combos import refill, select_data
from ui.widgets.event_time import EventTimeEdit
from ui.widgets.record_header import marked

if TYPE_CHECKING:
    from models.incidents.queries import CategoryHistory, IncidentView
    from models.org.people import Actor
    from models.playbook.model import Playbook
    from models.storage.db import Database


def fill_categories(combo: QComboBox, playbook: Playbook) -> None:
    refill(combo, ((pick(c.name), c.key) for c in playbook.categories))


def fill_subtypes(combo: QComboBox, playbook: Playbook, category_key: str) -> None:
    subtypes = [(pick(s.text), s.key) for c in playbook.categories if c.key == category_key
                for s in c.subtypes]
    refill(combo, [(_("(none)"), ""), *subtypes])


class FactsPanel(QWidget):
    """The incident's own facts; each change is stored as made and logged with old and new."""

    def __init__(self, ctrl: IncidentController) -> None:
        super().__init__()
        self.setObjectName("facts")
        self.ctrl = ctrl
        tz = ctrl.ctx.settings.timezone
        self.title = named(AutosaveLine(), "fact_title")
        self.summary = named(AutosaveText(), "fact_summary")
        self.summary.setMinimumHeight(70)
        self.summary.setMaximumHeight(130)
        self.started = EventTimeEdit(tz, name="fact_started")
        self.ended_on = named(QCheckBox(), "fact_ended_on")
        self.ended = EventTimeEdit(tz, name="fact_ended")
        self.location = named(AutosaveLine(), "fact_location")
        self.unit = named(QComboBox(), "fact_unit")
        self.source = named(QComboBox(), "fact_source")
        self.category = named(QComboBox(), "fact_category")
        self.subtype = named(QComboBox(), "fact_subtype")
        self.scope = named(AutosaveText(), "fact_scope")
        self.scope.setMaximumHeight(70)
        for key in SOURCES:
            self.source.addItem("", key)
        for key, widget in (("title", self.title), ("summary", self.summary),
                            ("location", self.location), ("scope", self.scope)):
            widget.save = lambda text, k=key: self.store(k, text)
        self.started.date.editingFinished.connect(self._started_edited)
        self.started.time.editingFinished.connect(self._started_edited)
        self.started.now_button.clicked.connect(self._started_edited)
        self.ended.date.editingFinished.connect(self._ended_edited)
        self.ended.time.editingFinished.connect(self._ended_edited)
        self.ended.now_button.clicked.connect(self._ended_edited)
        self.ended_on.toggled.connect(self._over_toggled)
        self.unit.activated.connect(lambda _i: self.store("reporting_unit", self.unit.currentData()))
        self.source.activated.connect(lambda _i: self.store("source", self.source.currentData()))
        self.category.activated.connect(
            lambda _i: self.store("category_key", self.category.currentData()))
        self.subtype.activated.connect(
            lambda _i: self.store("subtype_key", self.subtype.currentData()))
        self.error = error_label("facts_error")
        ended = QHBoxLayout()
        ended.addWidget(self.ended_on)
        ended.addWidget(self.ended, 1)
        self.form = QFormLayout()
        self.labels = [QLabel() for _i in range(10)]
        rows: list[Any] = [self.title, self.summary, self.started, ended, self.location,
                           self.unit, self.source, self.category, self.subtype, self.scope]
        for label, row in zip(self.labels, rows, strict=True):
            self.form.addRow(label, row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        self.fields = {"title": self.title, "summary": self.summary, "started_at": self.started,
                       "ended_at": self.ended, "location": self.location,
                       "reporting_unit": self.unit, "source": self.source,
                       "category_key": self.category, "subtype_key": self.subtype,
                       "scope": self.scope}

    def retranslate(self) -> None:
        texts = (_("Subject"), _("What happened"), _("Started"), _("Ended"), _("Location"),
                 _("Reporting unit"), _("Source"), _("Category"), _("Subtype"), _("Scope"))
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.ended_on.setText(_("Has ended"))
        for i, key in enumerate(SOURCES):
            self.source.setItemText(i, _(SOURCES[key]))
        self.started.retranslate()
        self.ended.retranslate()

    def show_view(self, view: IncidentView) -> None:
        self.title.show_value(view.title)
        self.summary.show_value(view.summary)
        self.location.show_value(view.location)
        self.scope.show_value(view.scope)
        if not self.started.isAncestorOf(self.focusWidget()):
            self.started.set_value(view.started_at)
        self.ended_on.blockSignals(True)
        self.ended_on.setChecked(view.ended_at is not None)
        self.ended_on.blockSignals(False)
        self.ended.setEnabled(view.ended_at is not None)
        if view.ended_at is not None:
            self.ended.set_value(view.ended_at)
        refill(self.unit, [(_("(none)"), ""), *((u.name, u.key) for u in self.ctrl.units
                                                   if u.active or u.key == view.reporting_unit)])
        select_data(self.unit, view.reporting_unit)
        select_data(self.source, view.source)
        fill_categories(self.category, view.playbook)
        select_data(self.category, view.category_key)
        fill_subtypes(self.subtype, view.playbook, view.category_key)
        select_data(self.subtype, view.subtype_key)
        editable = view.status == "open"
        for widget in self.fields.values():
            widget.setEnabled(editable)
        self.ended_on.setEnabled(editable)

    def _started_edited(self) -> None:
        view = self.ctrl.view
        value = self.started.value()
        if view is not None and value != view.started_at:
            self.store("started_at", value)

    def _over_toggled(self, over: bool) -> None:
        if over:
            self.ended.set_now()  # it is over now, unless the user says when
        self._ended_edited()

    def _ended_edited(self) -> None:
        view = self.ctrl.view
        self.ended.setEnabled(self.ended_on.isChecked())
        value = self.ended.value() if self.ended_on.isChecked() else None
        if view is not None and value != view.ended_at:
            self.store("ended_at", value)

    def store(self, key: str, value: Any) -> None:
        incident_id = self.ctrl.incident_id
        self.error.hide()

        def update(db: Database, actor: Actor) -> None:
            from models.incidents.actions import update_fact

            update_fact(db, actor, incident_id, key, value)

        def failed(exc: Exception) -> None:
            show_at_field(self, exc, self.error, self.fields)
            self.error.show()
            if self.ctrl.view is not None:  # show the stored value again, not the refused one
                self.show_view(self.ctrl.view)
                field = self.fields.get(key)
                if isinstance(field, AutosaveLine | AutosaveText):
                    field.revert(str(getattr(self.ctrl.view, key)))

        self.ctrl.act(update, on_error=failed)


class LevelDialog(ActDialog):
    """A later change of level: the new level and the reason, both required."""

    def __init__(self, ctrl: IncidentController, parent: QWidget) -> None:
        super().__init__(ctrl, parent, "level", _("Change the level"))
        view = ctrl.view
        assert view is not None
        self.level = named(QComboBox(), "level_new")
        for level in view.playbook.levels:
            self.level.addItem(pick(level.name), level.key)
        select_data(self.level, view.level_key)
        self.reason = named(QPlainTextEdit(), "level_reason")
        self.reason.setTabChangesFocus(True)
        self.form.addRow(_("New level"), self.level)
        self.form.addRow(_("Reason"), self.reason)

    def accept(self) -> None:
        incident_id, level, reason = (self.ctrl.incident_id, self.level.currentData(),
                                      self.reason.toPlainText())

        def store(db: Database, actor: Actor) -> None:
            from models.incidents.actions import change_level

            change_level(db, actor, incident_id, level, reason)

        self.store(store, {"level_key": self.level, "reason": self.reason})


class LevelPanel(QWidget):
    def __init__(self, ctrl: IncidentController) -> None:
        super().__init__()
        self.setObjectName("level")
        self.ctrl = ctrl
        self.current = named(QLabel(), "level_current")
        self.current.setWordWrap(True)
        self.change = named(QPushButton(), "level_change")
        self.change.clicked.connect(lambda: LevelDialog(ctrl, self).open())
        self.history = named(QListWidget(), "level_history")
        self.history.setMaximumHeight(90)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.current)
        layout.addWidget(self.history)
        layout.addWidget(self.change)

    def retranslate(self) -> None:
        self.change.setText(_("Change the level…"))

    def show_view(self, view: IncidentView) -> None:
        from models.incidents.timeline_text import describe

        level = level_by_key(view.playbook, view.level_key)
        self.current.setText(f"<b>{pick(level.name)}</b><br>{pick(level.definition)}")
        self.history.clear()
        units = self.ctrl.unit_names()
        tz = self.ctrl.ctx.settings.timezone
        for entry in view.timeline:
            if entry.kind == "level":
                self.history.addItem(_("{when} {who}: {text}").format(
                    when=format_datetime(entry.event_at, long=False, tz=tz), who=entry.author,
                    text=describe(entry, view.playbook, units)))
        self.change.setEnabled(view.status == "open")


class CategoryHistoryView(QWidget):
    """The past cases of a category and its corrective actions still open: what the office
    learned before, shown when an incident of that category is opened."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("category_history")
        self.ctx = ctx
        self.cases = named(QListWidget(), "history_cases")
        self.open_items = named(QListWidget(), "history_corrective")
        for widget in (self.cases, self.open_items):
            widget.setMaximumHeight(110)
            widget.setWordWrap(True)
        self.cases_label, self.open_label = QLabel(), QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.cases_label)
        layout.addWidget(self.cases)
        layout.addWidget(self.open_label)
        layout.addWidget(self.open_items)
        self._category = ""
        self.history: CategoryHistory | None = None
        ctx.language_changed.connect(self.retranslate)
        ctx.data_changed.connect(self._on_data_changed)
        self.retranslate()

    def _on_data_changed(self, changes: OpChanges) -> None:
        if changes.touches(Change.INCIDENTS) and self._category:
            category, self._category = self._category, ""
            self.load(category)  # a case archived or a corrective action done meanwhile

    def retranslate(self) -> None:
        self.cases_label.setText(_("Past cases of this category"))
        self.open_label.setText(_("Corrective actions of this category still open"))
        if self.history is not None:
            self._show(self.history)

    def load(self, category_key: str) -> None:
        if category_key == self._category:
            return
        self._category = category_key
        office_code = self.ctx.settings.office_code

        def query(db: Database) -> CategoryHistory:
            from models.incidents.queries import category_history
            from models.storage.db import utcnow

            return category_history(db, office_code, category_key, utcnow())

        def shown(history: CategoryHistory) -> None:
            if category_key == self._category:
                self._show(history)

        self.ctx.worker.run("category_history", query, shown)

    def _show(self, history: CategoryHistory) -> None:
        self.history = history
        self.cases.clear()
        for case in history.cases:
            example = _(" (example)") if case.is_example else ""
            day = format_date(local_date(case.started_at, self.ctx.settings.timezone), long=False)
            title = marked(case.title, case.classification)  # 【密】 as every list flags it
            self.cases.addItem(f"{case.number} {day} {title}{example}")
        if not history.cases:
            self.cases.addItem(_("No archived case of this category yet."))
        self.open_items.clear()
        for item in history.open_corrective:
            due = format_date(item.due, long=False) if item.due else _("no due date")
            self.open_items.addItem(_("{text} — {owner}, due {due}").format(
                text=item.description, owner=item.owner, due=due))
        if not history.open_corrective:
            self.open_items.addItem(_("None open."))

    def show_view(self, view: IncidentView) -> None:
        self.load(view.category_key)

