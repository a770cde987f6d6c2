"""Settings ▸ Team PCs: this PC's code and standing for everyone, and for approvers the
office's PCs with approve, refuse and revoke (the same acts as ``main.py trust``).

An approver compares the code a PC shows with the one listed here, by phone or in person,
before approving it (docs/trust.md): the code is all that proves which PC asked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from i18n import N_, _, pick
from models.core.errors import UserError
from models.org.people import Role
from ui.runtime import jobs
from ui.runtime.context import AppContext
from ui.runtime.feedback import error_label, show_at_field, show_error
from ui.runtime.naming import named
from ui.runtime.ops import Op

if TYPE_CHECKING:
    from models.playbook.model import Group
    from models.sync.enrolment import Me
    from models.sync.trust import Request

TEAM_COLUMNS = (N_("Code"), N_("Person"), N_("Role"), N_("Login"), N_("PC"), N_("Status"))


class TeamBox(QGroupBox):
    """This PC's code and standing; the office's PCs and, on an approver's PC, the acts."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("settings_team")
        self.dialog: ApproveDialog | None = None
        self.standing = named(QLabel(), "team_standing")
        self.standing.setWordWrap(True)
        self.table = named(QTableWidget(0, len(TEAM_COLUMNS)), "team_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.approve_button = named(QPushButton(), "team_approve")
        self.approve_button.clicked.connect(self.approve)
        self.revoke_button = named(QPushButton(), "team_revoke")
        self.revoke_button.clicked.connect(self.revoke)
        buttons = QHBoxLayout()
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.revoke_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.standing)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addStretch()  # without a table, the text stays at the top
        self._codes: list[tuple[str, bool]] = []
        """Per table row: the PC's code, and whether it is only asking to join."""
        ctx.language_changed.connect(self.retranslate)
        ctx.standing_changed.connect(self.show_standing)
        self.retranslate()
        if ctx.standing is None and ctx.worker.ready:  # the window loads it when it opens
            self.reload()

    def retranslate(self) -> None:
        self.setTitle(_("Team PCs"))
        self.table.setHorizontalHeaderLabels([_(c) for c in TEAM_COLUMNS])
        self.approve_button.setText(_("&Approve…"))
        self.revoke_button.setText(_("Re&fuse or revoke…"))
        self.show_standing()

    def _approver(self) -> bool:
        me = self.ctx.standing
        return me is not None and me.grant is not None and me.grant.approver and not me.revoked

    def show_standing(self) -> None:
        """Fill the texts and the table from ctx.standing (loaded by the window, refreshed by
        each sync)."""
        me = self.ctx.standing
        if me is None:
            self.standing.setText(_("Reading this PC's enrolment…"))
            self.table.hide()
            self._update_buttons()
            return
        if me.revoked:
            status = _("revoked by the office")
        elif me.grant is not None:
            status = _("enrolled for {person} ({role})").format(person=me.grant.person,
                                                                role=me.grant.role.label)
        elif me.state.active or me.state.office_enrols:
            status = _("waiting for approval: give this code to the approver")
        else:
            status = _("this office has no authority yet (IT runs main.py trust init)")
        text = _("This PC's code: {code} ({status})").format(code=me.code, status=status)
        if me.state.active:
            text += "\n" + _("Office authority: code {code}").format(code=me.authority_code)
        self.standing.setText(text)
        self._fill(me)
        self._update_buttons()

    def _fill(self, me: Me) -> None:
        state = me.state
        rows: list[tuple[tuple[str, ...], bool]] = []
        for grant in sorted(state.grants.values(), key=lambda g: (g.person, g.device)):
            after = state.revoked.get(grant.device)
            status = (_("enrolled") if after is None
                      else _("revoked after file {seq}").format(seq=after))
            if grant.approver and after is None:
                status += " · " + _("approves PCs")
            rows.append(((grant.code, grant.person, grant.role.label, grant.login, grant.pc,
                          status), False))
        for request in state.pending():
            who = " ".join(part for part in (request.unit, request.person) if part)
            claimed = request.role.label if request.role is not None else "—"
            rows.append(((request.code, who, claimed, request.login, request.pc,
                          _("waiting for approval")), True))
        self.table.setRowCount(len(rows))
        self._codes = []
        for r, (cells, asking) in enumerate(rows):
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
            self._codes.append((cells[0], asking))
        self.table.setVisible(bool(rows))

    def selected(self) -> tuple[str, bool] | None:
        rows = self.table.selectionModel().selectedRows()
        return self._codes[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        approver = self._approver()
        chosen = self.selected()
        self.approve_button.setVisible(approver)
        self.revoke_button.setVisible(approver)
        self.approve_button.setEnabled(chosen is not None and chosen[1])
        own = self.ctx.standing.code if self.ctx.standing is not None else ""
        self.revoke_button.setEnabled(chosen is not None and chosen[0] != own)

    def _request(self, code: str) -> Request | None:
        me = self.ctx.standing
        if me is None:
            return None
        return next((r for r in me.state.requests.values() if r.code == code), None)

    def approve(self) -> None:
        chosen = self.selected()
        request = self._request(chosen[0]) if chosen else None
        if request is None:
            return
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = ApproveDialog(self.ctx, request, self)
        self.dialog.open()

    def revoke(self) -> None:
        chosen = self.selected()
        folder = self.ctx.settings.share_folder
        if chosen is None:
            return
        if not folder:
            show_error(self, UserError(N_("Choose the shared folder first (Your details).")))
            return
        code, asking = chosen
        question = (_("Refuse the PC with the code {code}? Its files will never be applied.")
                    if asking else
                    _("Revoke the PC with the code {code}? What it wrote until now stays; "
                      "every later file of it is refused.")).format(code=code)
        if QMessageBox.question(self, _("Team PCs"), question) != QMessageBox.StandardButton.Yes:
            return
        Op(self.ctx, "revoke_pc", lambda db: jobs.revoke_pc(db, code),
           parent=self).on_done(lambda _none: self.stored()).run()

    def stored(self) -> None:
        """An approval or revocation is stored: show it, and sync to take it to the share."""
        self.reload()
        self.ctx.sync_requested.emit()

    def reload(self) -> None:
        self.ctx.worker.run("standing", jobs.load_standing, self.ctx.set_standing,
                            lambda exc: show_error(self, exc))


class ApproveDialog(QDialog):
    """Approve one PC that asked to join: the person, their login (as the PC reported it),
    the role and the posts they hold or deputise for. Stays open until the approval is
    stored and written to the share, so a refusal is shown where it applies."""

    def __init__(self, ctx: AppContext, request: Request, parent: TeamBox) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.team = parent
        self.request = request
        self.setObjectName("approve_dialog")
        self.code = named(QLabel(request.code), "approve_code")
        self.pc = named(QLabel(request.pc), "approve_pc")
        self.person = named(QLineEdit(request.person), "approve_person")
        self.login = named(QLineEdit(request.login), "approve_login")
        self.role = named(QComboBox(), "approve_role")
        for role in Role:
            self.role.addItem(role.label, role.value)
        if request.role is not None:  # what its settings claim: the approver decides
            self.role.setCurrentIndex(self.role.findData(request.role.value))
        self.posts = named(QListWidget(), "approve_posts")
        self.error = error_label("approve_error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = named(QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel),
            "approve_buttons")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._labels = [QLabel() for _field in range(6)]
        form = QFormLayout()
        for label, widget in zip(self._labels, [self.code, self.pc, self.person, self.login,
                                                self.role, self.posts]):
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.note = named(QLabel(), "approve_note")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._saving = False
        self._groups: tuple[Group, ...] = ()
        self.retranslate()
        # Approve once the posts to tick are shown: an approval without them would grant none.
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        Op(ctx, "team_posts", jobs.team_posts, parent=self).on_done(self._show_posts).run()

    def _show_posts(self, groups: tuple[Group, ...]) -> None:
        """The team's groups, to tick those whose post the person holds or deputises for."""
        self._groups = groups
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        for group in groups:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, group.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.posts.addItem(item)
        self._name_posts()
        if groups:  # every group in sight, no scrolling
            self.posts.setFixedHeight(self.posts.sizeHintForRow(0) * len(groups)
                                      + 2 * self.posts.frameWidth())

    def _name_posts(self) -> None:
        for row, group in enumerate(self._groups):
            self.posts.item(row).setText(pick(group.name))

    def retranslate(self) -> None:
        self.setWindowTitle(_("Approve a PC"))
        self.note.setText(_("Compare the code with the one the PC shows (Settings ▸ Team PCs "
                            "on it), by phone or in person, before approving."))
        for label, text in zip(self._labels, [_("Code:"), _("PC:"), _("&Person:"),
                                              _("&Login:"), _("&Role:"),
                                              _("P&osts held or deputised for:")]):
            label.setText(text)
        self._name_posts()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Approve"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def accept(self) -> None:
        folder = self.ctx.settings.share_folder
        if self._saving:
            return
        if not folder:
            self._failed(UserError(N_("Choose the shared folder first (Your details).")))
            return
        self._saving = True
        self.buttons.setEnabled(False)
        code, person, login = self.request.code, self.person.text(), self.login.text()
        role = Role(self.role.currentData())
        posts = [str(item.data(Qt.ItemDataRole.UserRole)) for item in
                 (self.posts.item(row) for row in range(self.posts.count()))
                 if item.checkState() == Qt.CheckState.Checked]
        Op(self.ctx, "approve_pc",
           lambda db: jobs.approve_pc(db, code, person=person, login=login, role=role,
                                      posts=posts),
           parent=self).on_done(self._done).on_error(self._failed).run()

    def _done(self, _grant: object) -> None:
        self._saving = False
        self.team.stored()
        super().accept()

    def _failed(self, exc: Exception) -> None:
        self._saving = False
        self.buttons.setEnabled(True)
        show_at_field(self, exc, self.error, {"person": self.person, "login": self.login,
                                              "posts": self.posts})

    def reject(self) -> None:
        if not self._saving:
            super().reject()
