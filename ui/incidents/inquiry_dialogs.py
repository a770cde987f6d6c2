"""The dialogs of a legislator's inquiry: the inquiry itself (with the request-for-favour box
and its definition beside it), the registration with the 政風 unit, the reply's extension and
the reply to an inquiry other than a written interpellation. Each stores one act
(models.incidents.inquiry_actions) through ActDialog: refused input shows at its field."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

from i18n import _
from i18n.formatting import local_date
from models.incidents.inquiries import (
    CHANNELS,
    FAVOUR_DEFINITION,
    FAVOUR_SOURCE,
    REP_KINDS,
    REPLY_RULE,
    InquiryInfo,
)
from models.storage.db import utcnow
from ui.incidents.act_dialog import ActDialog
from ui.incidents.controller import IncidentController
from ui.runtime.naming import named
from ui.widgets.combos import select_data
from ui.widgets.event_time import EventTimeEdit
from ui.widgets.roc_date_edit import RocDateEdit, py_date

if TYPE_CHECKING:
    from models.org.people import Actor
    from models.storage.db import Database


def _note(text: str, name: str) -> QLabel:
    label = named(QLabel(text), name)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(mid);")
    return label


def _text_box(name: str, height: int = 70) -> QPlainTextEdit:
    box = named(QPlainTextEdit(), name)
    box.setTabChangesFocus(True)
    box.setMinimumHeight(height)
    return box


class InquiryDialog(ActDialog):
    """Record an inquiry, or change one (*inquiry* given)."""

    def __init__(self, ctrl: IncidentController, parent: QWidget,
                 inquiry: InquiryInfo | None) -> None:
        super().__init__(ctrl, parent, "inquiry",
                         _("Legislator's inquiry") if inquiry is None else inquiry.rep_name)
        self.inquiry = inquiry
        self.setMinimumWidth(560)
        self.rep_kind = named(QComboBox(), "inquiry_rep_kind")
        for key, label in REP_KINDS.items():
            self.rep_kind.addItem(_(label), key)
        self.rep_name = named(QLineEdit(), "inquiry_rep_name")
        self.rep_office = named(QLineEdit(), "inquiry_rep_office")
        self.rep_office.setPlaceholderText(_("e.g. service office, parliamentary office"))
        self.contact = named(QLineEdit(), "inquiry_contact")
        self.channel = named(QComboBox(), "inquiry_channel")
        for key, label in CHANNELS.items():
            self.channel.addItem(_(label), key)
        self.received = EventTimeEdit(ctrl.ctx.settings.timezone, name="inquiry_received")
        self.place = named(QLineEdit(), "inquiry_place")
        self.received_by = named(QLineEdit(ctrl.ctx.actor.name), "inquiry_received_by")
        self.request = _text_box("inquiry_request")
        self.relation = _text_box("inquiry_relation", 40)
        self.favour = named(QCheckBox(_("May be a request for favour (請託關說)")),
                            "inquiry_favour")
        definition = _note(_("{definition} Source: {source}. Registration with the ethics unit "
                             "is due within 3 working days.").format(
            definition=_(FAVOUR_DEFINITION), source=_(FAVOUR_SOURCE)), "inquiry_favour_definition")
        self.form.addRow(_("Representative"), self.rep_kind)
        self.form.addRow(_("Full name"), self.rep_name)
        self.form.addRow(_("Representative's office"), self.rep_office)
        self.form.addRow(_("Contact person"), self.contact)
        self.form.addRow(_("How it came"), self.channel)
        self.form.addRow(_("Received"), self.received)
        self.form.addRow(_("Place of the inquiry"), self.place)
        self.form.addRow(_("Received by"), self.received_by)
        self.form.addRow(_("Request"), self.request)
        self.form.addRow(_("Relation to the party"), self.relation)
        self.form.addRow("", self.favour)
        self.form.addRow("", definition)
        self.form.addRow("", _note(_(REPLY_RULE), "inquiry_reply_rule"))
        if inquiry is not None:
            select_data(self.rep_kind, inquiry.rep_kind)
            self.rep_name.setText(inquiry.rep_name)
            self.rep_office.setText(inquiry.rep_office)
            self.contact.setText(inquiry.contact)
            select_data(self.channel, inquiry.channel)
            self.received.set_value(inquiry.received_at)
            self.place.setText(inquiry.place)
            self.received_by.setText(inquiry.received_by)
            self.request.setPlainText(inquiry.request)
            self.relation.setPlainText(inquiry.relation)
            self.favour.setChecked(inquiry.favour)

    def accept(self) -> None:
        from models.incidents.inquiry_actions import InquiryDraft

        draft = InquiryDraft(
            rep_kind=self.rep_kind.currentData(), rep_name=self.rep_name.text(),
            rep_office=self.rep_office.text(), contact=self.contact.text(),
            channel=self.channel.currentData(), received_at=self.received.value(),
            place=self.place.text(), received_by=self.received_by.text(),
            request=self.request.toPlainText(), relation=self.relation.toPlainText(),
            favour=self.favour.isChecked())
        incident_id = self.ctrl.incident_id
        inquiry_id = self.inquiry.id if self.inquiry else None
        seen_at = self.inquiry.updated_at if self.inquiry else None

        def store(db: Database, actor: Actor) -> str:
            from models.incidents.inquiry_actions import save_inquiry

            return save_inquiry(db, actor, incident_id, inquiry_id, draft, seen_at)

        self.store(store, {
            "rep_kind": self.rep_kind, "rep_name": self.rep_name, "rep_office": self.rep_office,
            "contact": self.contact, "channel": self.channel, "received_at": self.received,
            "place": self.place, "received_by": self.received_by, "request": self.request,
            "relation": self.relation, "favour": self.favour})


class RegistrationDialog(ActDialog):
    """Record the registration of a request for favour with the 政風 unit."""

    def __init__(self, ctrl: IncidentController, parent: QWidget, inquiry: InquiryInfo) -> None:
        super().__init__(ctrl, parent, "registration", _("Registration with the ethics unit"))
        self.inquiry = inquiry
        self.on = named(RocDateEdit(), "registration_on")
        today = local_date(utcnow(), ctrl.ctx.settings.timezone)
        self.on.setDate(QDate(today.year, today.month, today.day))
        self.registered_with = named(QLineEdit(), "registration_with")
        self.registered_with.setPlaceholderText(_("e.g. Ethics Office, Specialist Wu"))
        self.number = named(QLineEdit(), "registration_number")
        self.form.addRow(_("Inquiry"), QLabel(inquiry.rep_name))
        self.form.addRow(_("Registered on"), self.on)
        self.form.addRow(_("Registered with"), self.registered_with)
        self.form.addRow(_("Registration number"), self.number)

    def accept(self) -> None:
        inquiry_id, tz = self.inquiry.id, self.ctrl.ctx.settings.timezone
        on, registered_with, number = (py_date(self.on.date()), self.registered_with.text(),
                                       self.number.text())

        def store(db: Database, actor: Actor) -> None:
            from models.incidents.inquiry_actions import record_registration

            record_registration(db, actor, inquiry_id, on=on, registered_with=registered_with,
                                number=number, tz=tz)

        self.store(store, {"registered_on": self.on, "registered_with": self.registered_with,
                           "registration_no": self.number})


class ExtensionDialog(ActDialog):
    """Extend the reply to a written interpellation by 5 days, with the reason."""

    def __init__(self, ctrl: IncidentController, parent: QWidget, inquiry: InquiryInfo) -> None:
        super().__init__(ctrl, parent, "extension", _("Extend the reply by 5 days"))
        self.inquiry = inquiry
        self.reason = _text_box("extension_reason")
        self.form.addRow("", _note(_(REPLY_RULE), "extension_rule"))
        self.form.addRow(_("Reason for the extension"), self.reason)

    def accept(self) -> None:
        inquiry_id, reason = self.inquiry.id, self.reason.toPlainText()

        def store(db: Database, actor: Actor) -> None:
            from models.incidents.inquiry_actions import extend_reply

            extend_reply(db, actor, inquiry_id, reason)

        self.store(store, {"extension_reason": self.reason})


class ReplyDialog(ActDialog):
    """How an inquiry other than a written interpellation was answered, and when."""

    def __init__(self, ctrl: IncidentController, parent: QWidget, inquiry: InquiryInfo) -> None:
        super().__init__(ctrl, parent, "reply", _("Reply given"))
        self.inquiry = inquiry
        self.reply = _text_box("reply_text")
        self.reply.setPlainText(inquiry.reply)
        self.when = EventTimeEdit(ctrl.ctx.settings.timezone, name="reply_when")
        if inquiry.replied_at is not None:
            self.when.set_value(inquiry.replied_at)
        self.form.addRow(_("Reply"), self.reply)
        self.form.addRow(_("Replied"), self.when)

    def accept(self) -> None:
        inquiry_id, reply, at = self.inquiry.id, self.reply.toPlainText(), self.when.value()

        def store(db: Database, actor: Actor) -> None:
            from models.incidents.inquiry_actions import record_reply

            record_reply(db, actor, inquiry_id, reply, at)

        self.store(store, {"reply": self.reply, "replied_at": self.when})
