"""Stage 1's escalation: whom the level tells and when, their phones and their deputies',
and the record of every notification with its acknowledgement.

Each attempt is recorded as it went (told, a message left, will call back, no answer). A
notification not acknowledged within the office's time (Settings), or a call nobody answered,
turns red and the deputy's button is offered first. The red is recomputed on a timer from the stored times, so
it appears on time without asking the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from i18n import N_, _, pick
from i18n.formatting import format_datetime
from models.incidents.kinds import MEANS, NOTIFY_OUTCOMES, escalation
from models.playbook.model import without_phones
from ui.incidents.act_dialog import ActDialog
from ui.incidents.controller import IncidentController
from ui.incidents.drill_marks import drill_banner
from ui.runtime.feedback import ERROR_STYLE
from ui.runtime.naming import named
from ui.widgets.event_time import EventTimeEdit

if TYPE_CHECKING:
    from models.incidents.queries import IncidentView, NotificationInfo
    from models.org.people import Actor
    from models.playbook.model import Member, Person, Playbook
    from models.storage.db import Database

OVERDUE = QColor("#b00020")
COLUMNS = (N_("Person notified"), N_("Acting for"), N_("Means"), N_("Outcome"), N_("Notified"),
           N_("Acknowledged"))
TICK_MS = 15_000


def phones(person: Person) -> str:
    parts = []
    if person.office_phone:
        parts.append(person.office_phone + (_(" ext. {ext}").format(ext=person.extension)
                                            if person.extension else ""))
    if person.mobile:
        parts.append(_("mobile {number}").format(number=person.mobile))
    return ", ".join(parts) or _("no phone on the roster")


def roster_notice(playbook: Playbook, posts: Sequence[Member]) -> str:
    """Plain words for posts to notify that have no phone number on the roster, and who
    fills it in (the list screen says it too, so a first start shows it before any incident)."""
    if not posts:
        return ""
    groups = {g.key: pick(g.name) for g in playbook.team.groups}
    names = _(", ").join(dict.fromkeys(
        _("{group} ({post})").format(group=groups.get(m.group, m.group), post=pick(m.post))
        for m in posts))
    return _("The roster has no phone number for: {posts}, so they cannot be called from "
             "here. The planning group adds the numbers under Playbook \u25b8 Edit "
             "roster…").format(posts=names)


def who(member: Member, person: Person) -> str:
    return person.name or _("({post}, no name on the roster)").format(post=pick(member.post))


class NotifyDialog(ActDialog):
    """Record that someone was told: prefilled with the holder or the deputy of a post."""

    def __init__(self, ctrl: IncidentController, member: Member, deputy: bool,
                 parent: QWidget) -> None:
        drill = ctrl.view is not None and ctrl.view.is_drill
        super().__init__(ctrl, parent, "notify",
                         _("Record a drill notification") if drill
                         else _("Record a notification"))
        if drill:  # over the form, so it is read before anyone is called
            layout = self.layout()
            assert isinstance(layout, QVBoxLayout)  # ActDialog's
            layout.insertWidget(0, drill_banner("notify_drill_banner"))
        self.member, self.deputy = member, deputy
        person = member.deputy if deputy else member.holder
        self.recipient = named(QLineEdit(person.name or pick(member.post)), "notify_recipient")
        self.acting_for = named(QLineEdit(), "notify_acting_for")
        if deputy:
            self.acting_for.setText(member.holder.name or pick(member.post))
        self.means = named(QComboBox(), "notify_means")
        for key, label in MEANS.items():
            self.means.addItem(_(label), key)
        self.outcome = named(QComboBox(), "notify_outcome")
        for key, label in NOTIFY_OUTCOMES.items():
            self.outcome.addItem(_(label), key)
        self.when = EventTimeEdit(ctrl.ctx.settings.timezone, name="notify_when")
        self.form.addRow(_("Post"), QLabel(pick(member.post)))
        for label, card in ((_("Holder's phones"), member.holder),
                            (_("Deputy's phones"), member.deputy)):
            number = QLabel(_("{name}: {phones}").format(name=who(member, card),
                                                          phones=phones(card)))
            number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(label, number)
        self.form.addRow(_("Person notified"), self.recipient)
        self.form.addRow(_("Acting for (deputy)"), self.acting_for)
        self.form.addRow(_("Means"), self.means)
        self.form.addRow(_("Outcome"), self.outcome)
        self.form.addRow(_("Time"), self.when)

    def accept(self) -> None:
        incident_id, group, member_id = (self.ctrl.incident_id, self.member.group,
                                         self.member.id)
        recipient, acting_for = self.recipient.text(), self.acting_for.text()
        means, outcome, at = self.means.currentData(), self.outcome.currentData(), self.when.value()

        def store(db: Database, actor: Actor) -> str:
            from models.incidents.actions import record_notification

            return record_notification(
                db, actor, incident_id, target_group=group, member_id=member_id,
                recipient=recipient, acting_for=acting_for, means=means, notified_at=at,
                outcome=outcome)

        self.store(store, {"recipient": self.recipient, "acting_for": self.acting_for,
                           "notified_at": self.when})


class EscalationPanel(QWidget):
    def __init__(self, ctrl: IncidentController) -> None:
        super().__init__()
        self.setObjectName("escalation")
        self.ctrl = ctrl
        self.rule = named(QLabel(), "escalation_rule")
        self.rule.setWordWrap(True)
        self.rule.setStyleSheet("font-weight: bold;")
        self.people = QGridLayout()
        self.warning = named(QLabel(), "escalation_warning")
        self.warning.setStyleSheet(ERROR_STYLE + "font-weight: bold;")
        self.warning.setWordWrap(True)
        self.warning.hide()
        self.roster_warning = named(QLabel(), "escalation_roster_warning")
        self.roster_warning.setStyleSheet(ERROR_STYLE)
        self.roster_warning.setWordWrap(True)
        self.roster_warning.hide()
        self.table = named(QTableWidget(0, len(COLUMNS) + 1), "notifications_table")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.rule)
        layout.addLayout(self.people)
        layout.addWidget(self.roster_warning)
        layout.addWidget(self.warning)
        layout.addWidget(self.table)
        self.notify_buttons: dict[tuple[str, bool], QPushButton] = {}
        self.ack_buttons: dict[str, QPushButton] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS] + [""])
        if self.ctrl.view is not None:
            self.show_view(self.ctrl.view)

    def _tick(self) -> None:
        if self.ctrl.view is not None and self.isVisible():
            self.show_view(self.ctrl.view)

    def overdue(self, note: NotificationInfo) -> bool:
        limit = timedelta(minutes=self.ctrl.ctx.settings.ack_minutes)
        return not note.settled and datetime.now(UTC) - note.notified_at > limit

    def show_view(self, view: IncidentView) -> None:
        plan = escalation(view.playbook, view.level_key)
        groups = {g.key: pick(g.name) for g in view.playbook.team.groups}
        target = groups.get(plan.level.notify_group, plan.level.notify_group)
        if plan.at_once:
            rule = _("{level}: notify the {who} at once.")
        else:
            rule = _("{level}: handle it, then notify the {who}; keep watching how it develops.")
        self.rule.setText(rule.format(level=pick(plan.level.name), who=target))
        silent = without_phones(plan.members)
        self.roster_warning.setText(roster_notice(view.playbook, silent))
        self.roster_warning.setVisible(bool(silent))
        ours = [n for n in view.notifications if n.target_group == plan.level.notify_group]
        late = [n for n in ours if self.overdue(n)]
        told = any(n.told for n in ours)
        unanswered = [n for n in ours if n.outcome == "no_answer"] if not told else []
        self._show_people(view, plan.members, bool(late or unanswered))
        if late:
            self.warning.setText(_(
                "{name} has not acknowledged for more than {minutes} minutes: "
                "notify the deputy.").format(name=late[-1].recipient,
                                             minutes=self.ctrl.ctx.settings.ack_minutes))
        elif unanswered:
            self.warning.setText(_("{name} did not answer and nobody has been reached yet: "
                                   "notify the deputy.").format(name=unanswered[-1].recipient))
        self.warning.setVisible(bool(late or unanswered))
        self._show_notifications(view)

    def _show_people(self, view: IncidentView, members: tuple[Member, ...], late: bool) -> None:
        while self.people.count():
            item = self.people.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.notify_buttons.clear()
        editable = view.status == "open"
        for row, member in enumerate(members):
            self.people.addWidget(QLabel(pick(member.post)), row * 2, 0)
            for offset, (person, deputy) in enumerate(((member.holder, False),
                                                       (member.deputy, True))):
                role = _("Deputy") if deputy else _("Holder")
                text = QLabel(_("{role}: {name} — {phones}").format(
                    role=role, name=who(member, person), phones=phones(person)))
                text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                button = named(QPushButton(
                    _("Notify the deputy…") if deputy else _("Notify…")),
                    f"notify_{member.id}_{'deputy' if deputy else 'holder'}")
                button.clicked.connect(lambda _c=False, m=member, d=deputy: self.notify(m, d))
                button.setEnabled(editable)
                if deputy and late:
                    button.setStyleSheet("background: #b00020; color: white;")
                    button.setDefault(True)
                self.notify_buttons[(member.id, deputy)] = button
                self.people.addWidget(text, row * 2 + offset, 1)
                self.people.addWidget(button, row * 2 + offset, 2)
        self.people.setColumnStretch(1, 1)

    def _show_notifications(self, view: IncidentView) -> None:
        tz = self.ctrl.ctx.settings.timezone
        self.table.setRowCount(len(view.notifications))
        self.ack_buttons.clear()
        for row, note in enumerate(view.notifications):
            acked = format_datetime(note.acked_at, long=False, tz=tz) if note.acked_at else ""
            values = (note.recipient, note.acting_for, _(MEANS.get(note.means, note.means)),
                      _(NOTIFY_OUTCOMES.get(note.outcome, note.outcome)),
                      format_datetime(note.notified_at, long=False, tz=tz), acked)
            late = self.overdue(note) or note.outcome == "no_answer"
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if late:
                    item.setForeground(OVERDUE)
                self.table.setItem(row, col, item)
            if note.awaits_ack:
                button = named(QPushButton(_("Mark as acknowledged")), f"ack_{row}")
                button.clicked.connect(lambda _c=False, n=note.id: self.acknowledge(n))
                button.setEnabled(view.status == "open")
                self.ack_buttons[note.id] = button
                self.table.setCellWidget(row, len(COLUMNS), button)
            else:
                self.table.removeCellWidget(row, len(COLUMNS))
        self.table.resizeRowsToContents()

    def notify(self, member: Member, deputy: bool) -> None:
        NotifyDialog(self.ctrl, member, deputy, self).open()

    def acknowledge(self, notification_id: str) -> None:
        at = datetime.now(UTC)

        def store(db: Database, actor: Actor) -> None:
            from models.incidents.actions import acknowledge

            acknowledge(db, actor, notification_id, at)

        self.ctrl.act(store)
