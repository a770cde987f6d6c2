"""Stage 4's liaison with elected representatives (民代關切, the 連絡暨公關組's duty): the
incident's inquiries with their legal clocks (due day in the ROC calendar, days left, overdue
in red), and the acts on them: record or change one, record its registration with the 政風
unit, extend or draft the reply to a written interpellation (the draft is a statement of kind
reply, reviewed, approved and released under Statements), record other replies, print the
request-for-favour registration form (請託關說登錄表)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from i18n import N_, _, ngettext
from i18n.formatting import format_datetime, local_date
from models.incidents.inquiries import CHANNELS, REPLY_STEPS, InquiryInfo
from models.incidents.inquiry_print import clock_text, who
from models.storage.db import utcnow
from ui.incidents.attachments import AttachmentsPanel
from ui.incidents.controller import IncidentController
from ui.incidents.inquiry_dialogs import (
    ExtensionDialog,
    InquiryDialog,
    RegistrationDialog,
    ReplyDialog,
)
from ui.printing.jobs import FormPrinter
from ui.printing.record_header import of_incident
from ui.printing.signed_scans import SignedScanDialog
from ui.runtime.feedback import error_label, show_at_field
from ui.runtime.naming import named

if TYPE_CHECKING:
    from forms.document import FormDocument
    from models.incidents.queries import IncidentView
    from models.org.people import Actor
    from models.storage.db import Database

COLUMNS = (N_("Representative"), N_("How it came"), N_("Received"), N_("Request"),
           N_("Registration with the ethics unit"), N_("Reply"))
OVERDUE = QColor("#b00020")
REPLY_TEMPLATE = N_("Reply to the written interpellation of {name}\n\n1. \n2. \n3. ")


class InquiriesPanel(QWidget):
    def __init__(self, ctrl: IncidentController) -> None:
        super().__init__()
        self.setObjectName("inquiries")
        self.ctrl = ctrl
        self.printer = FormPrinter(ctrl.ctx, self)
        self.table = named(QTableWidget(0, len(COLUMNS)), "inquiries_table")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(150)
        self.table.itemSelectionChanged.connect(self._enable)
        self.table.itemDoubleClicked.connect(lambda _item: self.edit())
        self.buttons = {key: named(QPushButton(), f"inquiries_{key}") for key in (
            "add", "edit", "register", "extend", "draft_reply", "reply", "print", "scans",
            "remove")}  # the signed scans beside the form they are of
        for key, slot in (("add", self.add), ("edit", self.edit), ("register", self.register),
                          ("extend", self.extend), ("draft_reply", self.draft_reply),
                          ("reply", self.reply), ("print", self.print_form),
                          ("remove", self.remove), ("scans", self.open_scans)):
            self.buttons[key].clicked.connect(slot)
        self.note = named(QLabel(), "inquiries_note")
        self.note.setWordWrap(True)
        self.error = error_label("inquiries_error")
        row = QGridLayout()  # two rows of four: the stage form fits a 1024-pixel screen
        for index, button in enumerate(self.buttons.values()):
            row.addWidget(button, index // 4, index % 4)
        row.setColumnStretch(4, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        self.attachments_label = QLabel()
        self.attachments = AttachmentsPanel(ctrl, "inquiry")
        layout.addWidget(self.attachments_label)
        layout.addWidget(self.attachments)
        self._inquiries: tuple[InquiryInfo, ...] = ()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        for key, text in (("add", _("Add…")), ("edit", _("Edit…")),
                          ("register", _("Registered…")), ("extend", _("Extend…")),
                          ("draft_reply", _("Draft the reply")), ("reply", _("Reply given…")),
                          ("print", _("Print registration form")), ("remove", _("Remove")),
                          ("scans", _("Signed scans…"))):
            self.buttons[key].setText(text)
        self.attachments_label.setText(_("Letters and notes of the selected inquiry"))
        self.attachments.retranslate()
        self.buttons["register"].setToolTip(_("Record the registration with the ethics unit"))
        self.buttons["extend"].setToolTip(_("Extend the reply to a written interpellation by "
                                            "5 days"))
        self.buttons["scans"].setToolTip(_("Attach the scan of the signed registration form"))
        if self.ctrl.view is not None:
            self.show_view(self.ctrl.view)

    def show_view(self, view: IncidentView) -> None:
        chosen = self._current()
        self._inquiries = view.inquiries
        tz = self.ctrl.ctx.settings.timezone
        today = local_date(utcnow(), tz)
        self.table.setRowCount(len(view.inquiries))
        for row, inquiry in enumerate(view.inquiries):
            cells = [(who(inquiry), False),
                     (_(CHANNELS.get(inquiry.channel, inquiry.channel)), False),
                     (format_datetime(inquiry.received_at, long=False, tz=tz), False),
                     (inquiry.request, False)]
            for clock in (inquiry.favour_clock, inquiry.reply_clock):
                cells.append(("—", False) if clock is None else
                             (clock_text(clock, today), clock.overdue(today) or clock.late()))
            if inquiry.extension_reason:
                cells[-1] = (_("{state} (extended)").format(state=cells[-1][0]), cells[-1][1])
            if inquiry.reply_step:
                cells[-1] = (cells[-1][0] + "\n" + _(REPLY_STEPS[inquiry.reply_step]),
                             cells[-1][1])
            for col, (text, red) in enumerate(cells):
                item = QTableWidgetItem(text)
                if red:
                    item.setForeground(QBrush(OVERDUE))
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()
        ids = [i.id for i in view.inquiries]
        if chosen is not None and chosen.id in ids:
            self.table.selectRow(ids.index(chosen.id))
        holidays = (ngettext("weekends and the {n} holiday the planning group lists in the "
                             "playbook are skipped",
                             "weekends and the {n} holidays the planning group lists in the "
                             "playbook are skipped", view.holidays_listed)
                    .format(n=view.holidays_listed) if view.holidays_listed else
                    _("weekends are skipped, and no holidays yet: the planning group lists "
                      "them in the playbook"))
        self.note.setText(
            _("A request for favour is registered within 3 working days ({holidays}). A "
              "written interpellation is answered within 20 days, 25 when extended; its reply "
              "is reviewed, approved and released under Statements and clarifications.")
            .format(holidays=holidays))
        self._enable()
        shown = self._current()
        self.attachments.show_view(view, shown.id if shown is not None else None)

    def _current(self) -> InquiryInfo | None:
        row = self.table.currentRow()
        selected = self.table.selectionModel().hasSelection()
        return self._inquiries[row] if selected and 0 <= row < len(self._inquiries) else None

    def _enable(self) -> None:
        open_ = self.ctrl.view is not None and self.ctrl.view.status == "open"
        chosen = self._current()
        self.attachments.set_record(chosen.id if chosen is not None else None)
        self.buttons["add"].setEnabled(open_)
        acts = {
            "edit": chosen is not None,
            "register": chosen is not None and chosen.favour and chosen.registered_on is None,
            "extend": chosen is not None and chosen.written and not chosen.extension_reason
            and chosen.replied_at is None,
            "draft_reply": chosen is not None and chosen.written
            and chosen.reply_statement_id is None,
            "reply": chosen is not None and not chosen.written,
            "remove": chosen is not None and chosen.registered_on is None
            and chosen.reply_statement_id is None,
        }
        for key, allowed in acts.items():
            self.buttons[key].setEnabled(open_ and allowed)
        self.buttons["print"].setEnabled(chosen is not None and chosen.favour)
        self.buttons["scans"].setEnabled(chosen is not None and chosen.favour)

    def add(self) -> None:
        InquiryDialog(self.ctrl, self, None).open()

    def edit(self) -> None:
        chosen = self._current()
        if chosen is not None and self.buttons["edit"].isEnabled():
            InquiryDialog(self.ctrl, self, chosen).open()

    def register(self) -> None:
        chosen = self._current()
        if chosen is not None:
            RegistrationDialog(self.ctrl, self, chosen).open()

    def extend(self) -> None:
        chosen = self._current()
        if chosen is not None:
            ExtensionDialog(self.ctrl, self, chosen).open()

    def reply(self) -> None:
        chosen = self._current()
        if chosen is not None:
            ReplyDialog(self.ctrl, self, chosen).open()

    def draft_reply(self) -> None:
        """The reply's first draft, as a statement of kind reply: it is then written on,
        reviewed, approved and released (sent) under Statements and clarifications."""
        chosen = self._current()
        if chosen is None:
            return
        inquiry_id = chosen.id
        title = _("Reply to the written interpellation of {name}").format(name=chosen.rep_name)
        text = _(REPLY_TEMPLATE).format(name=chosen.rep_name)

        def store(db: Database, actor: Actor) -> str:
            from models.incidents.inquiry_actions import start_reply

            return start_reply(db, actor, inquiry_id, title, text)

        self.error.hide()
        self.ctrl.act(store, None, lambda exc: show_at_field(self, exc, self.error, {}))

    def remove(self) -> None:
        chosen = self._current()
        if chosen is None:
            return
        inquiry_id = chosen.id

        def delete(db: Database, actor: Actor) -> None:
            from models.incidents.inquiry_actions import remove_inquiry

            remove_inquiry(db, actor, inquiry_id)

        self.ctrl.act(delete)

    def print_form(self) -> None:
        """The 請託關說登錄表 of the chosen inquiry, rendered on the worker and previewed."""
        chosen = self._current()
        if chosen is None:
            return
        incident_id, inquiry_id = self.ctrl.incident_id, chosen.id
        tz = self.ctrl.ctx.settings.timezone

        def make(db: Database) -> tuple[str, FormDocument]:
            from models.incidents.inquiry_print import favour_form
            from models.incidents.queries import incident_view

            view = incident_view(db, incident_id, utcnow(), 0, tz)
            inquiry = next(i for i in view.inquiries if i.id == inquiry_id)
            return f"{view.number}-favour-registration", favour_form(view, inquiry, tz)

        self.printer.print_document(make, of_incident(incident_id))

    def open_scans(self) -> None:
        """The signed scans of the chosen inquiry's registration form (請託關說登錄表)."""
        chosen = self._current()
        if chosen is not None:
            SignedScanDialog(self.ctrl.ctx, "favour_registration", chosen.id, self).open()
