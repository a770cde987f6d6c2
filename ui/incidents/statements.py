"""Stage 4's media work: statements and clarifications drafted from a template, every version
kept, each version reviewed by the legal group, approved by the spokesperson, and released
on a channel at a time (only an approved version can be released; once on each channel)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from i18n import N_, _, pick
from i18n.formatting import format_date, format_datetime, local_date
from models.incidents.kinds import STATEMENT_EVENTS, STATEMENT_KINDS, STATEMENT_SIGNERS
from models.incidents.media_kinds import RELEASE_CHANNELS, label
from ui.incidents.act_dialog import ActDialog
from ui.incidents.attachments import AttachmentsPanel
from ui.incidents.controller import IncidentController
from ui.runtime.feedback import error_label, show_at_field
from ui.runtime.naming import named
from ui.widgets.event_time import EventTimeEdit

if TYPE_CHECKING:
    from models.incidents.queries import IncidentView, StatementEventInfo, StatementInfo
    from models.org.people import Actor
    from models.storage.db import Database

TEMPLATES = {
    "statement": N_(
        "{office} press statement\n\nDate: {date}\n\nSubject: {title}\n\n"
        "1. What happened: {summary}\n"
        "2. The office convened its crisis team at once, is handling the matter as the rules "
        "require, and is following how it develops.\n"
        "3. The office will act within its powers and the law, and will review and improve "
        "the procedures concerned.\n\nPress contact:"),
    "clarification": N_(
        "{office} clarification\n\nDate: {date}\n\nConcerning the report \u201c{title}\u201d, "
        "the office clarifies:\n1. The facts: {summary}\n"
        "2. The report does not match the facts in these points:\n"
        "3. The office asks the media to report on the basis of the facts.\n\nPress contact:"),
}
"""Starting texts of a new draft, filled with the incident's facts; the user edits them."""

VERSION_COLUMNS = (N_("Version"), N_("Saved"), N_("By"), N_("Legal review"), N_("Approved"),
                   N_("Released"))


class EventDialog(ActDialog):
    """Record a review, an approval or a release of one version of a statement."""

    def __init__(self, panel: StatementsPanel, statement: StatementInfo, version: int,
                 event: str) -> None:
        super().__init__(panel.ctrl, panel, "statement_event", _(STATEMENT_EVENTS[event]))
        self.statement, self.version, self.kind = statement, version, event
        self.name = named(QLineEdit(), "statement_event_name")
        self.channel = named(QComboBox(), "statement_event_channel")
        released = {e.channel for e in statement.releases_of(version)}
        for key, text in RELEASE_CHANNELS.items():
            if key not in released:  # a version is released once on each channel
                self.channel.addItem(_(text), key)
        self.when = EventTimeEdit(panel.ctrl.ctx.settings.timezone, name="statement_event_when")
        self.form.addRow(_("Statement"), QLabel(_("{title}, version {version}").format(
            title=statement.title, version=version)))
        self.form.addRow(_("Full name"), self.name)
        needed = STATEMENT_SIGNERS.get(event)
        ctx = panel.ctrl.ctx
        granted = ctx.standing is not None and ctx.standing.grant is not None
        if needed is not None and granted and ctx.actor.may(needed):  # their own post's act
            self.name.setText(ctx.actor.name)
        elif needed is not None:
            hint = QLabel(_("Given by phone: enter the name of who gave it. The record names "
                            "you as who took it down."))
            hint.setWordWrap(True)
            self.form.addRow("", hint)
        if event == "released":
            self.form.addRow(_("Channel"), self.channel)
        self.form.addRow(_("Time"), self.when)

    def accept(self) -> None:
        statement_id, version, event = self.statement.id, self.version, self.kind
        name, at = self.name.text(), self.when.value()
        channel = self.channel.currentData() if self.kind == "released" else ""

        def store(db: Database, actor: Actor) -> None:
            from models.incidents.actions import statement_event

            statement_event(db, actor, statement_id, version, event, name=name, event_at=at,
                            channel=channel)

        self.store(store, {"name": self.name, "channel": self.channel, "event_at": self.when})


class StatementsPanel(QWidget):
    def __init__(self, ctrl: IncidentController) -> None:
        super().__init__()
        self.setObjectName("statements")
        self.ctrl = ctrl
        self.list = named(QListWidget(), "statements_list")
        self.list.setMaximumWidth(260)
        self.list.currentRowChanged.connect(self._selected)
        self.new_statement = named(QPushButton(), "statements_new_statement")
        self.new_statement.clicked.connect(lambda: self.start("statement"))
        self.new_clarification = named(QPushButton(), "statements_new_clarification")
        self.new_clarification.clicked.connect(lambda: self.start("clarification"))
        self.kind = named(QComboBox(), "statement_kind")
        for key in STATEMENT_KINDS:
            self.kind.addItem("", key)
        self.title = named(QLineEdit(), "statement_title")
        self.text = named(QPlainTextEdit(), "statement_text")
        self.text.setMinimumHeight(160)
        self.save = named(QPushButton(), "statement_save")
        self.save.clicked.connect(self.save_version)
        self.versions = named(QTableWidget(0, len(VERSION_COLUMNS)), "statement_versions")
        self.versions.verticalHeader().hide()
        self.versions.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.versions.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.versions.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.versions.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.versions.horizontalHeader().setStretchLastSection(True)
        self.versions.itemSelectionChanged.connect(self._version_selected)
        self.event_buttons = {e: named(QPushButton(), f"statement_{e}") for e in STATEMENT_EVENTS}
        for event, button in self.event_buttons.items():
            button.clicked.connect(lambda _c=False, e=event: self.record(e))
        self.error = error_label("statement_error")
        self.attachments = AttachmentsPanel(ctrl, "statement")
        self.attachments_label = QLabel()

        left = QVBoxLayout()
        left.addWidget(self.list)
        left.addWidget(self.new_statement)
        left.addWidget(self.new_clarification)
        self.kind_label, self.title_label = QLabel(), QLabel()
        form = QFormLayout()
        form.addRow(self.kind_label, self.kind)
        form.addRow(self.title_label, self.title)
        events = QHBoxLayout()
        for button in self.event_buttons.values():
            events.addWidget(button)
        events.addStretch(1)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.text)
        right.addWidget(self.save)
        right.addWidget(self.error)
        right.addWidget(self.versions)
        right.addLayout(events)
        right.addWidget(self.attachments_label)
        right.addWidget(self.attachments)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left)
        layout.addLayout(right, 1)
        self._statements: tuple[StatementInfo, ...] = ()
        self._editing_id: str | None = None

    def retranslate(self) -> None:
        self.new_statement.setText(_("New press statement"))
        self.new_clarification.setText(_("New clarification"))
        for i, key in enumerate(STATEMENT_KINDS):
            self.kind.setItemText(i, _(STATEMENT_KINDS[key]))
        self.kind_label.setText(_("Kind"))
        self.title_label.setText(_("Heading"))
        self.save.setText(_("Save as a new version"))
        self.versions.setHorizontalHeaderLabels([_(c) for c in VERSION_COLUMNS])
        self.event_buttons["legal_review"].setText(_("Legal review done…"))
        self.event_buttons["approved"].setText(_("Approved…"))
        self.event_buttons["released"].setText(_("Released…"))
        self.attachments_label.setText(_("Attachments of this statement"))
        self.attachments.retranslate()
        if self.ctrl.view is not None:
            self.show_view(self.ctrl.view)

    def show_view(self, view: IncidentView) -> None:
        self._statements = view.statements
        row = self.list.currentRow()
        self.list.blockSignals(True)
        self.list.clear()
        for s in view.statements:
            released = any(e.event == "released" for e in s.events)
            state = _("released") if released else _("draft")
            kind = _(STATEMENT_KINDS.get(s.kind, s.kind))
            self.list.addItem(f"{s.title}\n{kind} · v{len(s.versions)} · {state}")
        self.list.blockSignals(False)
        if self._editing_id is not None:
            ids = [s.id for s in view.statements]
            row = ids.index(self._editing_id) if self._editing_id in ids else -1
        if 0 <= row < self.list.count():
            self.list.setCurrentRow(row)
            self._show_statement(view.statements[row], keep_text=True)
        editable = view.status == "open"
        for widget in (self.new_statement, self.new_clarification, self.save):
            widget.setEnabled(editable)
        self._version_selected()
        self.attachments.show_view(view, self._editing_id)

    def reset(self) -> None:
        """Nothing of the previous incident's drafts carries over."""
        self._editing_id = None
        self._statements = ()
        self.list.clear()
        self.title.clear()
        self.text.clear()
        self.versions.setRowCount(0)
        self.error.hide()
        self.attachments.set_record(None)

    def start(self, kind: str) -> None:
        """A new draft from the template, filled with the incident's facts (not yet saved)."""
        view = self.ctrl.view
        assert view is not None
        self._editing_id = None
        self.list.clearSelection()
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.title.setText(view.title)
        self.text.setPlainText(_(TEMPLATES[kind]).format(
            office=pick(self.ctrl.ctx.office.name),
            date=format_date(local_date(view.started_at, self.ctrl.ctx.settings.timezone)),
            title=view.title, summary=view.summary))
        self.versions.setRowCount(0)
        self.attachments.set_record(None)
        self.title.setFocus()

    def _selected(self, row: int) -> None:
        if 0 <= row < len(self._statements):
            self._editing_id = self._statements[row].id
            self._show_statement(self._statements[row], keep_text=False)
            self.attachments.set_record(self._editing_id)

    def _show_statement(self, statement: StatementInfo, keep_text: bool) -> None:
        self.kind.setCurrentIndex(self.kind.findData(statement.kind))
        if not keep_text:
            self.title.setText(statement.title)
            self.text.setPlainText(statement.versions[-1].text if statement.versions else "")
        tz = self.ctrl.ctx.settings.timezone

        def shown(found: StatementEventInfo) -> str:
            text = f"{found.name} {format_datetime(found.event_at, long=False, tz=tz)}"
            if found.channel:  # a key, or a channel typed before they were listed
                text = f"{text} ({label(RELEASE_CHANNELS, found.channel)})"
            if found.entered_by and found.entered_by != found.name:
                text = _("{event}, recorded by {name}").format(event=text,
                                                              name=found.entered_by)
            return text

        self.versions.setRowCount(len(statement.versions))
        for row, version in enumerate(statement.versions):
            events = statement.events_of(version.number)

            def cell(event: str, events: dict[str, StatementEventInfo] = events,
                     number: int = version.number) -> str:
                if event == "released":  # one line per channel
                    return "\n".join(shown(e) for e in statement.releases_of(number))
                found = events.get(event)
                return shown(found) if found is not None else ""

            values = (str(version.number),
                      format_datetime(version.entered_at, long=False, tz=tz),
                      version.entered_by, cell("legal_review"), cell("approved"),
                      cell("released"))
            for col, value in enumerate(values):
                self.versions.setItem(row, col, QTableWidgetItem(value))
        self.versions.resizeRowsToContents()
        self.versions.selectRow(len(statement.versions) - 1)

    def _current(self) -> StatementInfo | None:
        return next((s for s in self._statements if s.id == self._editing_id), None)

    def _version_selected(self) -> None:
        statement = self._current()
        row = self.versions.currentRow()
        open_ = self.ctrl.view is not None and self.ctrl.view.status == "open"
        for event, button in self.event_buttons.items():
            done = (statement is not None and 0 <= row < len(statement.versions)
                    and event in statement.events_of(statement.versions[row].number))
            if done and event == "released":  # released again on another channel
                assert statement is not None
                done = set(RELEASE_CHANNELS) <= {
                    e.channel for e in statement.releases_of(statement.versions[row].number)}
            button.setEnabled(open_ and statement is not None and row >= 0 and not done)

    def save_version(self) -> None:
        incident_id, statement_id = self.ctrl.incident_id, self._editing_id
        kind, title, text = self.kind.currentData(), self.title.text(), self.text.toPlainText()
        self.error.hide()

        def store(db: Database, actor: Actor) -> str:
            from models.incidents.actions import save_statement

            return save_statement(db, actor, incident_id, statement_id, kind=kind, title=title,
                                  text=text)

        def saved(new_id: str) -> None:
            self._editing_id = new_id

        def failed(exc: Exception) -> None:
            show_at_field(self, exc, self.error, {"title": self.title, "text": self.text})
            self.error.show()

        self.ctrl.act(store, saved, failed)

    def record(self, event: str) -> None:
        statement = self._current()
        row = self.versions.currentRow()
        if statement is not None and 0 <= row < len(statement.versions):
            EventDialog(self, statement, statement.versions[row].number, event).open()
