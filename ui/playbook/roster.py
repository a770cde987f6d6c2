"""The standing crisis team's roster (名冊): who holds each post and who deputises for them
(職務代理人).

Why a dialog of its own: people rotate between posts all year, and the procedure requires every
post on the team to have a designated deputy, so the planning group keeps the roster current
between incidents. Edits go to a copy of the members held in memory, so moving between posts
never loses work; one Save makes one new playbook version (who, when, why). When a named holder
or deputy is replaced by another named person, the dialog asks for a handover note (移交說明),
which the models record with the handover (移交).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import replace

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from i18n import N_, _, ngettext, pick
from i18n.formatting import format_datetime
from models.core.errors import ValidationError
from models.org.offices import UnitInfo
from models.org.people import Permission
from models.playbook.model import (
    PERSON_FIELDS,
    PHONE_FIELDS,
    Member,
    Person,
    Playbook,
    person_problem,
    roster_gaps,
)
from models.playbook.store import MAX_REASON
from models.playbook.versions import VersionInfo
from ui.playbook.save import PlaybookSaveDialog
from ui.runtime import jobs
from ui.runtime.context import AppContext
from ui.runtime.feedback import ERROR_STYLE, FIELD_ERROR_STYLE, plain_message, show_error
from ui.runtime.naming import named
from ui.widgets.items import child_items, top_level_items

ROLES = ("holder", "deputy")
ROLE_TITLES = {"holder": N_("Holder"), "deputy": N_("Deputy")}
PERSON_LABELS = {
    "name": N_("Full name:"),
    "title": N_("Job title:"),
    "unit": N_("Unit:"),
    "office_phone": N_("Office phone:"),
    "extension": N_("Extension:"),
    "mobile": N_("Mobile:"),
    "email": N_("E-mail:"),
}
MAX_FIELD = 200

MEMBER_ROLE = Qt.ItemDataRole.UserRole
GROUP_ROLE = Qt.ItemDataRole.UserRole + 1

_MEMBER_PATH = re.compile(r"team\.members\[(\d+)\]\.(.+)")


class PersonBox(QGroupBox):
    """The seven contact fields of a holder or a deputy, with its own message line so a wrong
    entry is reported right beside it.

    Signals:
        edited(): a field's text changed (typed by the user or set by a program).
    """

    edited = Signal()

    def __init__(self, role: str, unit_names: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role
        self.setObjectName(f"{role}_box")
        self.fields: dict[str, QLineEdit] = {}
        self._labels: dict[str, QLabel] = {}
        self._problem: tuple[str, str] | None = None
        form = QFormLayout()
        for name in PERSON_FIELDS:
            edit = named(QLineEdit(), f"{role}_{name}")
            edit.setMaxLength(MAX_FIELD)
            edit.textChanged.connect(self._on_changed)
            label = QLabel()
            label.setBuddy(edit)
            form.addRow(label, edit)
            self.fields[name] = edit
            self._labels[name] = label
        self.fields["email"].editingFinished.connect(self.check)
        for name in PHONE_FIELDS:
            self.fields[name].editingFinished.connect(self.check)
        self._completer = QCompleter(unit_names, self)
        self._completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.fields["unit"].setCompleter(self._completer)
        self.error = named(QLabel(), f"{role}_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        self.retranslate()


    def set_unit_names(self, names: list[str]) -> None:
        """Suggest these unit names while typing (the office's units as the database has them)."""
        model = self._completer.model()
        assert isinstance(model, QStringListModel)
        model.setStringList(names)
    def retranslate(self) -> None:
        self.setTitle(_(ROLE_TITLES[self.role]))
        for name, label in self._labels.items():
            label.setText(_(PERSON_LABELS[name]))
        self.fields["office_phone"].setPlaceholderText(_("e.g. 02-2420-2951"))
        self.fields["email"].setPlaceholderText(_("name@example.gov.tw"))
        self._show_problem()

    def person(self) -> Person:
        return Person(**{name: edit.text().strip() for name, edit in self.fields.items()})

    def set_person(self, person: Person) -> None:
        """Show *person* without announcing it as an edit."""
        for name, edit in self.fields.items():
            edit.blockSignals(True)
            edit.setText(getattr(person, name))
            edit.blockSignals(False)
        self._problem = None
        self._show_problem()

    def set_read_only(self, read_only: bool) -> None:
        for edit in self.fields.values():
            edit.setReadOnly(read_only)

    def check(self) -> bool:
        """Show the first problem beside its field (or clear the message); True when none."""
        self._problem = person_problem(self.person())
        self._show_problem()
        return self._problem is None

    def focus_problem(self) -> None:
        if self._problem is not None:
            self.fields[self._problem[0]].setFocus()

    def _on_changed(self) -> None:
        if self._problem is not None:  # a shown message follows the correction as it is typed
            self.check()
        self.edited.emit()

    def _show_problem(self) -> None:
        for edit in self.fields.values():
            edit.setStyleSheet("")
        if self._problem is None:
            self.error.clear()
            self.error.hide()
            return
        field, msgid = self._problem
        self.fields[field].setStyleSheet(FIELD_ERROR_STYLE)
        self.error.setText(_("{field} {problem}").format(field=_(PERSON_LABELS[field]),
                                                         problem=_(msgid)))
        self.error.show()


class RosterDialog(PlaybookSaveDialog):
    """Maintain the team's posts, their holders and deputies, and save them as a new version.

    Opened by the playbook screen on the version it shows (*version*, *playbook*); saving is
    refused by the models if someone saved a newer version in between. ``saved_version`` holds
    the new version after a successful save.
    """

    def __init__(
        self,
        ctx: AppContext,
        version: VersionInfo,
        playbook: Playbook,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, version, playbook, parent)
        self.setObjectName("roster_dialog")
        self._members: list[Member] = list(playbook.team.members)
        self._before = {m.id: m for m in playbook.team.members}
        self._notes: dict[str, str] = {}
        self._current: str | None = None
        self._loading = False
        self._error_exc: ValidationError | None = None
        self._editable = ctx.actor.may(Permission.EDIT_PLAYBOOK)

        # Left: the posts, grouped by team group.
        self.base = named(QLabel(), "roster_base")
        self.base.setWordWrap(True)
        self.filter = named(QLineEdit(), "roster_filter")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.list = named(QTreeWidget(), "roster_list")
        self.list.setHeaderHidden(True)
        self.list.setRootIsDecorated(False)
        self.list.setMinimumWidth(300)
        # Long English post names are cut in the middle, so the "(no deputy)" flag at the end
        # of a row stays readable.
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.list.itemSelectionChanged.connect(self._on_selection)
        self.summary = named(QLabel(), "roster_summary")
        self.summary.setWordWrap(True)
        self.add_button = named(QPushButton(), "add_member")
        self.add_button.clicked.connect(self._add_member)
        self.remove_button = named(QPushButton(), "remove_member")
        self.remove_button.clicked.connect(self._remove_member)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.add_button)
        buttons_row.addWidget(self.remove_button)
        buttons_row.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.base)
        left_layout.addWidget(self.filter)
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.summary)
        left_layout.addLayout(buttons_row)

        # Right: the selected member.
        self.group = named(QComboBox(), "member_group")
        for group in playbook.team.groups:
            self.group.addItem(pick(group.name), group.key)
        self.group.currentIndexChanged.connect(self._on_form_changed)
        self.post_zh = named(QLineEdit(), "post_zh_TW")
        self.post_en = named(QLineEdit(), "post_en")
        for edit in (self.post_zh, self.post_en):
            edit.setMaxLength(MAX_FIELD)
            edit.textChanged.connect(self._on_form_changed)
        self._form_labels = [QLabel() for _i in range(3)]
        post_form = QFormLayout()
        for label, field in zip(self._form_labels, (self.group, self.post_zh, self.post_en)):
            label.setBuddy(field)
            post_form.addRow(label, field)
        unit_names = [u.name_zh for u in ctx.office.units]  # until the database answers
        self.holder = PersonBox("holder", unit_names)
        self.deputy = PersonBox("deputy", unit_names)
        self.boxes = {"holder": self.holder, "deputy": self.deputy}
        code = ctx.settings.office_code
        ctx.worker.run("roster_unit_names", lambda db: jobs.list_units(db, code),
                       # A method, not a lambda: if the dialog is closed (and deleted) before
                       # the database answers, the worker skips it. If the database cannot
                       # answer, the shipped names stay: only a hint.
                       self._use_units, lambda _exc: None)
        people_row = QHBoxLayout()
        for box in self.boxes.values():
            box.edited.connect(self._on_form_changed)
            people_row.addWidget(box, 1)
        self.handover_title = named(QLabel(), "handover_title")
        self.handover_what = named(QLabel(), "handover_what")
        self.handover_what.setWordWrap(True)
        self.handover_note = named(QPlainTextEdit(), "handover_note")
        self.handover_note.setTabChangesFocus(True)
        self.handover_note.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        self.handover_note.textChanged.connect(self._on_note_changed)
        self.handover_title.setBuddy(self.handover_note)
        self.handover_box = named(QWidget(), "handover_box")
        handover_layout = QVBoxLayout(self.handover_box)
        handover_layout.setContentsMargins(0, 0, 0, 0)
        handover_layout.addWidget(self.handover_title)
        handover_layout.addWidget(self.handover_what)
        handover_layout.addWidget(self.handover_note)
        self.handover_box.hide()
        self.editor = named(QWidget(), "member_editor")
        editor_layout = QVBoxLayout(self.editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addLayout(post_form)
        editor_layout.addLayout(people_row)
        editor_layout.addWidget(self.handover_box)
        editor_layout.addStretch(1)

        splitter = named(QSplitter(), "roster_splitter")
        splitter.addWidget(left)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([380, 700])

        # Bottom: why, and Save / Cancel.
        self.reason_label = QLabel()
        self.reason = named(QLineEdit(), "reason")
        self.reason.setMaxLength(MAX_REASON)
        self.reason_label.setBuddy(self.reason)
        self.error = named(QLabel(), "error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.save_button = named(QPushButton(), "save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._save)
        self.cancel_button = named(QPushButton(), "cancel")
        self.cancel_button.clicked.connect(self.reject)
        reason_row = QHBoxLayout()
        reason_row.addWidget(self.reason_label)
        reason_row.addWidget(self.reason, 1)
        bottom_row = QHBoxLayout()
        bottom_row.addStretch(1)
        bottom_row.addWidget(self.save_button)
        bottom_row.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(reason_row)
        layout.addWidget(self.error)
        layout.addLayout(bottom_row)

        if not self._editable:
            for widget in (self.add_button, self.remove_button, self.save_button,
                           self.reason_label, self.reason):
                widget.hide()
            self.group.setEnabled(False)
            for edit in (self.post_zh, self.post_en):
                edit.setReadOnly(True)
            for box in self.boxes.values():
                box.set_read_only(True)
            self.handover_note.setReadOnly(True)

        ctx.language_changed.connect(self.retranslate)
        self.retranslate()
        first = next(iter(self._members), None)
        self._select(first.id if first else None)
        self.resize(1080, 720)

    # -- texts ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(_("Team roster"))
        self.base.setText(
            _("Editing version {number}, saved {when}.").format(
                number=self.version.number,
                when=format_datetime(self.version.created_at, tz=self.ctx.settings.timezone),
            )
        )
        self.filter.setPlaceholderText(_("Filter by post or name"))
        self.add_button.setText(_("&Add post"))
        self.add_button.setToolTip(_("Add a post to the selected group"))
        self.remove_button.setText(_("&Remove post"))
        for i, group in enumerate(self.playbook.team.groups):
            self.group.setItemText(i, pick(group.name))
        for label, text in zip(
            self._form_labels, (_("&Group:"), _("Post (&Chinese):"), _("Post (&English):"))
        ):
            label.setText(text)
        for box in self.boxes.values():
            box.retranslate()
        self.handover_title.setText(_("&Handover note (what the successor needs to know):"))
        self._update_handover()
        self.reason_label.setText(_("Reas&on for this change:"))
        self.reason.setPlaceholderText(_("e.g. the March staff rotation"))
        self.save_button.setText(_("&Save"))
        self.cancel_button.setText(_("Cancel") if self._editable else _("Close"))
        self._render_error()
        self._fill_list()

    # -- the list on the left -------------------------------------------------------------

    def _fill_list(self) -> None:
        """Rebuild the grouped list from the working copy, keeping the selected row quietly
        (the form already shows it)."""
        keep: tuple[int, str] | None = None
        selected = self.list.selectedItems()
        if selected:
            role = MEMBER_ROLE if selected[0].parent() is not None else GROUP_ROLE
            keep = (role, selected[0].data(0, role))
        self.list.blockSignals(True)
        self.list.clear()
        bold = self.list.font()
        bold.setBold(True)
        for group in self.playbook.team.groups:
            header = QTreeWidgetItem([pick(group.name)])
            header.setData(0, GROUP_ROLE, group.key)
            header.setFont(0, bold)
            self.list.addTopLevelItem(header)
            for member in self._members:
                if member.group == group.key:
                    item = QTreeWidgetItem()
                    item.setData(0, MEMBER_ROLE, member.id)
                    self._label_item(item, member)
                    header.addChild(item)
            header.setExpanded(True)
        if keep is not None:
            found = self._find(*keep)
            if found is not None:
                self.list.setCurrentItem(found)
        self.list.blockSignals(False)
        self._apply_filter()
        self._update_summary()

    def _label_item(self, item: QTreeWidgetItem, member: Member) -> None:
        post = pick(member.post).strip() or _("(new post)")
        holder = member.holder.name.strip()
        text = f"{post} — {holder}" if holder else post
        if holder and not member.deputy.name.strip():
            text = _("{post} (no deputy)").format(post=text)
            item.setIcon(0, self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
            item.setToolTip(0, "\n".join(
                [text, _("The procedure requires a designated deputy for every post.")]))
        else:
            item.setIcon(0, QIcon())
            item.setToolTip(0, text)
        item.setText(0, text)

    def _find(self, role: int, value: str) -> QTreeWidgetItem | None:
        """The row of a member (MEMBER_ROLE, id) or of a group header (GROUP_ROLE, key)."""
        for header in top_level_items(self.list):
            if role == GROUP_ROLE and header.data(0, GROUP_ROLE) == value:
                return header
            for child in child_items(header):
                if role == MEMBER_ROLE and child.data(0, MEMBER_ROLE) == value:
                    return child
        return None

    def _apply_filter(self) -> None:
        needle = self.filter.text().strip().casefold()
        by_id = {m.id: m for m in self._members}
        for header in top_level_items(self.list):
            shown = 0
            for item in child_items(header):
                member = by_id[item.data(0, MEMBER_ROLE)]
                haystack = " ".join(
                    [*member.post.values(), member.holder.name, member.deputy.name,
                     member.holder.unit, member.deputy.unit]
                ).casefold()
                visible = not needle or needle in haystack
                item.setHidden(not visible)
                shown += visible
            header.setHidden(bool(needle) and not shown)

    def _update_summary(self) -> None:
        gaps = len(roster_gaps(self.playbook.with_members(self._members)))
        if gaps:
            self.summary.setText(
                ngettext("{n} post still lacks a named holder or deputy.",
                         "{n} posts still lack a named holder or deputy.", gaps).format(n=gaps)
            )
        else:
            self.summary.setText(_("Every post has a named holder and deputy."))

    def _select(self, member_id: str | None) -> None:
        """Select a member's row (or the first row) and show it in the form."""
        item = self._find(MEMBER_ROLE, member_id) if member_id else None
        if item is None:
            item = self.list.topLevelItem(0)
        if item is not None:
            self.list.setCurrentItem(item)
        self._on_selection()

    def _on_selection(self) -> None:
        selected = self.list.selectedItems()
        member_id = selected[0].data(0, MEMBER_ROLE) if selected else None
        self._show_member(member_id)

    # -- the member on the right ------------------------------------------------------------

    def _index(self, member_id: str) -> int:
        return next(i for i, m in enumerate(self._members) if m.id == member_id)

    def _show_member(self, member_id: str | None) -> None:
        """Fill the form from the working copy; a group header leaves the form empty."""
        self._current = member_id
        member = self._members[self._index(member_id)] if member_id else None
        self._loading = True
        try:
            if member is None:
                self.group.setCurrentIndex(-1)
            else:
                self.group.setCurrentIndex(self.group.findData(member.group))
            self.post_zh.setText(member.post.get("zh_TW", "") if member else "")
            self.post_en.setText(member.post.get("en", "") if member else "")
            self.holder.set_person(member.holder if member else Person())
            self.deputy.set_person(member.deputy if member else Person())
            self.handover_note.setPlainText(self._notes.get(member_id or "", ""))
        finally:
            self._loading = False
        self.editor.setEnabled(member is not None)
        self.remove_button.setEnabled(member is not None)
        self._update_handover()

    def _on_form_changed(self) -> None:
        """Write the form back into the working copy, so switching posts keeps the edit."""
        if self._loading or self._current is None:
            return
        i = self._index(self._current)
        old = self._members[i]
        new = replace(
            old,
            group=self.group.currentData() or old.group,
            post={"zh_TW": self.post_zh.text().strip(), "en": self.post_en.text().strip()},
            holder=self.holder.person(),
            deputy=self.deputy.person(),
        )
        if new == old:
            return
        self._members[i] = new
        if new.group != old.group:
            self._fill_list()
            self._select(new.id)
        else:
            item = self._find(MEMBER_ROLE, new.id)
            if item is not None:
                self._label_item(item, new)
            self._update_summary()
        self._update_handover()

    def _handovers(self, member: Member) -> list[tuple[str, str, str]]:
        """(role, from, to) where one named person replaces another in a post saved before."""
        prior = self._before.get(member.id)
        if prior is None:
            return []
        changes = []
        for role in ROLES:
            was = getattr(prior, role).name.strip()
            now = getattr(member, role).name.strip()
            if was and now and was != now:
                changes.append((role, was, now))
        return changes

    def _update_handover(self) -> None:
        member = self._members[self._index(self._current)] if self._current else None
        changes = self._handovers(member) if member else []
        self.handover_box.setVisible(bool(changes))
        self.handover_what.setText("\n".join(
            _("{role}: {old} hands over to {new}.").format(
                role=_(ROLE_TITLES[role]), old=was, new=now)
            for role, was, now in changes
        ))

    def _on_note_changed(self) -> None:
        if not self._loading and self._current is not None:
            self._notes[self._current] = self.handover_note.toPlainText()

    def _add_member(self) -> None:
        """A new post in the selected group (or the selected member's group), then its name."""
        selected = self.list.selectedItems()
        group = self.playbook.team.groups[0].key
        if selected:
            parent = selected[0].parent()
            header = selected[0] if parent is None else parent
            group = header.data(0, GROUP_ROLE)
        member = Member(id=str(uuid.uuid4()), group=group, post={"zh_TW": "", "en": ""},
                        holder=Person(), deputy=Person())
        last = max((i for i, m in enumerate(self._members) if m.group == group), default=-1)
        self._members.insert(last + 1 if last >= 0 else len(self._members), member)
        self.filter.clear()
        self._fill_list()
        self._select(member.id)
        self.post_zh.setFocus()

    def _remove_member(self) -> None:
        """Drop the selected post from the working copy; its neighbour in the group (or the
        group itself) becomes the selection."""
        item = self._find(MEMBER_ROLE, self._current) if self._current else None
        header = item.parent() if item is not None else None
        if item is None or header is None:
            return
        row = header.indexOfChild(item)
        neighbour = header.child(row + 1)
        if neighbour is None:
            neighbour = header.child(row - 1)
        member = self._members.pop(self._index(item.data(0, MEMBER_ROLE)))
        self._notes.pop(member.id, None)
        self.list.setCurrentItem(header if neighbour is None else neighbour)
        self._fill_list()

    # -- saving -----------------------------------------------------------------------------

    def _use_units(self, units: list[UnitInfo]) -> None:
        names = [u.name_zh for u in units if u.active]
        for box in self.boxes.values():
            box.set_unit_names(names)

    def is_modified(self) -> bool:
        return self._editable and self._members != list(self.playbook.team.members)

    def _check_members(self) -> bool:
        """Local checks before anything is sent: the first failing member is shown, its field
        focused and the message put beside it."""
        for member in self._members:
            problem = next(
                ((role, p) for role in ROLES
                 if (p := person_problem(getattr(member, role))) is not None),
                None,
            )
            missing_post = not member.post.get("zh_TW", "").strip()
            if problem is None and not missing_post:
                continue
            self.filter.clear()
            self._select(member.id)
            if missing_post:
                self._set_error(ValidationError("post", N_("Enter the post's name in Chinese.")))
                self.post_zh.setFocus()
            elif problem is not None:
                box = self.boxes[problem[0]]
                box.check()
                box.focus_problem()
            return False
        return True

    def _save(self) -> None:
        self._set_error(None)
        if not self._check_members():
            return
        members = tuple(self._members)
        notes = {
            m.id: self._notes[m.id].strip()
            for m in members
            if self._handovers(m) and self._notes.get(m.id, "").strip()
        }
        self.submit("save_roster", self.playbook.with_members(members), self.reason.text(),
                    notes)

    def show_save_error(self, exc: Exception) -> None:
        if isinstance(exc, ValidationError):
            self._set_error(exc)
            self._focus_field(exc.field)
        else:
            show_error(self, exc)

    def _focus_field(self, field: str) -> None:
        """Focus the widget a models' ValidationError names (a member's path selects it)."""
        if field == "reason":
            self.reason.setFocus()
            return
        match = _MEMBER_PATH.fullmatch(field)
        if match is None or int(match[1]) >= len(self._members):
            return
        self.filter.clear()
        self._select(self._members[int(match[1])].id)
        path = match[2]
        widget: QWidget | None = {"group": self.group, "post.zh_TW": self.post_zh,
                                  "post.en": self.post_en}.get(path)
        role, _dot, name = path.partition(".")
        if widget is None and role in self.boxes:
            widget = self.boxes[role].fields.get(name)
        if widget is not None:
            widget.setFocus()

    def _set_error(self, exc: ValidationError | None) -> None:
        """Show *exc* in the error line, or clear it with None."""
        self._error_exc = exc
        self._render_error()

    def _render_error(self) -> None:
        """The message is kept as an error, not a sentence, so a language switch re-renders it."""
        if self._error_exc is None:
            self.error.clear()
            self.error.hide()
        else:
            self.error.setText(plain_message(self._error_exc))
            self.error.show()

    # -- closing ----------------------------------------------------------------------------

    def discard_question(self) -> str:
        # Retyping twenty contact cards is what a slip would cost.
        return _("Your changes to the roster are not saved. Discard them?")
