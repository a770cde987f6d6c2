"""Stage 4's media watch (輿情監看, the 連絡暨公關組's "蒐集輿情與發布澄清稿"): the items seen in
the media, newest first, each with the time its clarification took or how long it has waited
for one (red past CLARIFICATION_WAIT_LIMIT); a form to log or correct one; its link opened in
the browser; and the daily media summary printed for the commander.

The waiting times grow while the page is on screen: they are measured again every minute from
the last view, without asking the database.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from i18n import N_, _, translated
from i18n.formatting import format_datetime, local_date
from models.incidents.kinds import STATEMENT_KINDS
from models.incidents.media_kinds import (
    CLARIFICATION_WAIT_LIMIT,
    MEDIA_CHANNELS,
    REACHES,
    TONES,
    is_web_address,
    label,
)
from models.incidents.media_print import measured
from ui.incidents.act_dialog import ActDialog
from ui.incidents.attachments import AttachmentsPanel
from ui.incidents.controller import IncidentController
from ui.printing.jobs import FormPrinter
from ui.printing.record_header import of_incident
from ui.runtime.feedback import show_critical
from ui.runtime.naming import named
from ui.widgets.combos import choice_combo
from ui.widgets.event_time import EventTimeEdit
from ui.widgets.roc_date_edit import RocDateEdit, py_date

if TYPE_CHECKING:
    from forms.document import FormDocument
    from models.incidents.media_watch import MediaItemInfo
    from models.incidents.queries import IncidentView
    from models.org.people import Actor
    from models.storage.db import Database

COLUMNS = (N_("Seen"), N_("Media type"), N_("Outlet"), N_("Headline"), N_("Tone"),
           N_("Reach"), N_("Answered by"), N_("Clarification time"))
MEASURED = len(COLUMNS) - 1
"""The column of the measured time (refreshed every minute)."""


def openable(link: str) -> QUrl | None:
    """The link as a web address the browser may open; None for anything else (an item from
    another PC may hold what this PC's form would have refused)."""
    return QUrl(link) if is_web_address(link) else None


class MediaItemDialog(ActDialog):
    """Log an item seen in the media, or correct one (*item*)."""

    def __init__(self, panel: MediaWatchPanel, view: IncidentView,
                 item: MediaItemInfo | None) -> None:
        super().__init__(panel.ctrl, panel, "media_item",
                         _("Correct a media item") if item else _("Log a media item"))
        self.item = item
        self.outlet = named(QLineEdit(item.outlet if item else ""), "media_item_outlet")
        self.channel = choice_combo("media_item_channel", translated(MEDIA_CHANNELS),
                                    item.channel if item else None)
        self.seen = EventTimeEdit(panel.ctrl.ctx.settings.timezone, name="media_item_seen")
        if item is not None:
            self.seen.set_value(item.seen_at)
        self.headline = named(QLineEdit(item.headline if item else ""), "media_item_headline")
        self.link = named(QLineEdit(item.link if item else ""), "media_item_link")
        self.link.setPlaceholderText("https://")
        self.clipping = named(QPlainTextEdit(item.clipping if item else ""),
                              "media_item_clipping")
        self.clipping.setTabChangesFocus(True)
        self.clipping.setMaximumHeight(90)
        self.tone = choice_combo("media_item_tone", translated(TONES),
                                 item.tone if item else "neutral")
        self.reach = choice_combo("media_item_reach", translated(REACHES),
                                  item.reach if item else "medium")
        self.reach_note = named(QLineEdit(item.reach_note if item else ""),
                                "media_item_reach_note")
        self.reach_note.setPlaceholderText(_("e.g. front page, shared 2,000 times"))
        self.needs = named(QCheckBox(_("The office must clarify it")), "media_item_needs")
        self.needs.setChecked(item.needs_clarification if item else False)
        self.statement = named(QComboBox(), "media_item_statement")
        self.statement.addItem(_("(none yet)"), None)
        for s in view.statements:
            self.statement.addItem(_("{kind}: {title}").format(
                kind=label(STATEMENT_KINDS, s.kind), title=s.title), s.id)
        if item is not None and item.statement_id is not None:
            self.statement.setCurrentIndex(max(0, self.statement.findData(item.statement_id)))
        reach = QWidget()
        row = QHBoxLayout(reach)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.reach)
        row.addWidget(self.reach_note, 1)
        for text, widget in ((_("Outlet"), self.outlet), (_("Media type"), self.channel),
                             (_("Seen"), self.seen), (_("Headline"), self.headline),
                             (_("Link"), self.link), (_("Clipping"), self.clipping),
                             (_("Tone"), self.tone), (_("Reach"), reach),
                             (_("Clarification"), self.needs),
                             (_("Answered by"), self.statement)):
            self.form.addRow(text, widget)
        self.resize(560, self.sizeHint().height())

    def accept(self) -> None:
        from models.incidents.media_actions import MediaItemDraft

        draft = MediaItemDraft(
            outlet=self.outlet.text(), channel=self.channel.currentData(),
            seen_at=self.seen.value(), headline=self.headline.text(), tone=self.tone.currentData(),
            reach=self.reach.currentData(), link=self.link.text(),
            clipping=self.clipping.toPlainText(), reach_note=self.reach_note.text(),
            needs_clarification=self.needs.isChecked(),
            statement_id=self.statement.currentData())
        incident_id = self.ctrl.incident_id
        item_id = self.item.id if self.item else None
        # The item as shown: a change made meanwhile on another PC is not overwritten.
        seen_version = self.item.updated_at if self.item else None

        def store(db: Database, actor: Actor) -> str:
            from models.incidents.media_actions import save_media_item

            return save_media_item(db, actor, incident_id, item_id, draft, seen_version)

        self.store(store, {"outlet": self.outlet, "channel": self.channel,
                           "seen_at": self.seen, "headline": self.headline, "link": self.link,
                           "clipping": self.clipping, "reach_note": self.reach_note,
                           "statement_id": self.statement})


class MediaWatchPanel(QWidget):
    """The incident's media items and the daily summary's print button (acts go through the
    controller; the printer's `previewed` tells when a summary is shown)."""

    def __init__(self, ctrl: IncidentController) -> None:
        super().__init__()
        self.setObjectName("media_watch")
        self.ctrl = ctrl
        self.table = named(QTableWidget(0, len(COLUMNS)), "media_watch_table")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(180)
        self.table.doubleClicked.connect(self.edit)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.add_button = named(QPushButton(), "media_watch_add")
        self.add_button.clicked.connect(lambda: self._open(None))
        self.edit_button = named(QPushButton(), "media_watch_edit")
        self.edit_button.clicked.connect(self.edit)
        self.remove_button = named(QPushButton(), "media_watch_remove")
        self.remove_button.clicked.connect(self.remove)
        self.link_button = named(QPushButton(), "media_watch_open_link")
        self.link_button.clicked.connect(self.open_link)
        self.day_label = QLabel()
        self.day = named(RocDateEdit(), "media_watch_day")
        self.show_today()
        self.print_button = named(QPushButton(), "media_watch_print")
        self.print_button.clicked.connect(self.print_summary)
        self.printer = FormPrinter(ctrl.ctx, self)
        self.limit_note = named(QLabel(), "media_watch_limit")
        self.limit_note.setWordWrap(True)
        self.attachments_label = QLabel()
        self.attachments = AttachmentsPanel(ctrl, "media_item")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button, self.link_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        printing = QHBoxLayout()
        printing.addWidget(self.day_label)
        printing.addWidget(self.day)
        printing.addWidget(self.print_button)
        printing.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.limit_note)
        layout.addWidget(self.attachments_label)
        layout.addWidget(self.attachments)
        layout.addLayout(printing)
        self._items: tuple[MediaItemInfo, ...] = ()
        self._timer = QTimer(self)
        self._timer.setInterval(60_000)
        self._timer.timeout.connect(self._measure)
        self._timer.start()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.add_button.setText(_("Log an item…"))
        self.edit_button.setText(_("Edit…"))
        self.remove_button.setText(_("Remove"))
        self.link_button.setText(_("Open link"))
        self.day_label.setText(_("Daily media summary of"))
        self.print_button.setText(_("Print…"))
        self.attachments_label.setText(_("Clippings and recordings of the selected item"))
        self.attachments.retranslate()
        hours = int(CLARIFICATION_WAIT_LIMIT.total_seconds() // 3600)
        self.limit_note.setText(_(
            "An item that needs a clarification turns red when none is released within "
            "{hours} hours of its being seen; the time is measured to the first release of "
            "the statement that answers it.").format(hours=hours))

    def show_view(self, view: IncidentView) -> None:
        selected = self._selected()
        self._items = view.media
        tz = self.ctrl.ctx.settings.timezone
        self.table.setRowCount(len(self._items))
        for row, item in enumerate(self._items):
            reach = label(REACHES, item.reach)
            values = (format_datetime(item.seen_at, long=False, tz=tz),
                      label(MEDIA_CHANNELS, item.channel), item.outlet, item.headline,
                      label(TONES, item.tone),
                      f"{reach} ({item.reach_note})" if item.reach_note else reach,
                      item.statement_title, "")
            for col, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if col == 3 and item.link:
                    cell.setToolTip(item.link)
                self.table.setItem(row, col, cell)
        self._measure()
        ids = [i.id for i in self._items]
        if selected is not None and selected.id in ids:
            self.table.selectRow(ids.index(selected.id))
        self.table.resizeRowsToContents()
        self._update_buttons()
        shown = self._selected()
        self.attachments.show_view(view, shown.id if shown is not None else None)

    def _measure(self) -> None:
        """The measured column as of now: time taken, or waited (red past the limit)."""
        now = datetime.now(UTC)
        for row, item in enumerate(self._items):
            cell = QTableWidgetItem(measured(item, now))
            if item.overdue(now):
                cell.setForeground(Qt.GlobalColor.red)
                for col in range(MEASURED):
                    other = self.table.item(row, col)
                    if other is not None:
                        other.setForeground(Qt.GlobalColor.red)
            self.table.setItem(row, MEASURED, cell)

    def _selected(self) -> MediaItemInfo | None:
        row = self.table.currentRow()
        selected = bool(self.table.selectedItems())
        return self._items[row] if selected and 0 <= row < len(self._items) else None

    def _update_buttons(self) -> None:
        open_ = self.ctrl.view is not None and self.ctrl.view.status == "open"
        item = self._selected()
        self.attachments.set_record(item.id if item is not None else None)
        self.add_button.setEnabled(open_)
        self.edit_button.setEnabled(open_ and item is not None)
        self.remove_button.setEnabled(open_ and item is not None)
        self.link_button.setEnabled(item is not None and openable(item.link) is not None)

    def _open(self, item: MediaItemInfo | None) -> None:
        view = self.ctrl.view
        if view is not None and view.status == "open":
            MediaItemDialog(self, view, item).open()

    def edit(self) -> None:
        item = self._selected()
        if item is not None:
            self._open(item)

    def remove(self) -> None:
        item = self._selected()
        if item is None:
            return
        incident_id, item_id = self.ctrl.incident_id, item.id

        def delete(db: Database, actor: Actor) -> None:
            from models.incidents.media_actions import remove_media_item

            remove_media_item(db, actor, incident_id, item_id)

        self.ctrl.act(delete)

    def open_link(self) -> None:
        item = self._selected()
        url = openable(item.link) if item is not None else None
        if url is not None and not QDesktopServices.openUrl(url):
            show_critical(self, _("Open link"), _("No web browser could open the link."))

    def print_summary(self) -> None:
        """The daily media summary of the chosen day, rendered on the worker and previewed."""
        incident_id, day = self.ctrl.incident_id, py_date(self.day.date())
        tz = self.ctrl.ctx.settings.timezone

        def make(db: Database) -> tuple[str, FormDocument]:
            from models.incidents.media_print import media_summary
            from models.incidents.queries import incident_view
            from models.storage.db import utcnow

            now = utcnow()
            view = incident_view(db, incident_id, now, 0)
            return f"{view.number}-media-{day.isoformat()}", media_summary(view, tz, day, now)

        self.printer.print_document(make, of_incident(incident_id))

    def show_today(self) -> None:
        """The summary is of today, in the office's zone, unless the user picks a day."""
        today = local_date(datetime.now(UTC), self.ctrl.ctx.settings.timezone)
        self.day.setDate(QDate(today.year, today.month, today.day))

