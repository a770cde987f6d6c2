"""Deciding the conflicts the sync found: each one's values side by side, where and when they
were written; keep one, merge by hand, or (for an edit against a delete) keep or delete the
record. The decision is an ordinary edit: it is saved on the worker and synced like any other.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from i18n import _
from i18n.formatting import format_datetime
from models.sync.conflicts import KINDS, Candidate, ConflictInfo
from ui.runtime import jobs
from ui.runtime.context import AppContext
from ui.runtime.feedback import show_error
from ui.runtime.naming import named
from ui.runtime.ops import Op


def shown_text(value: Any) -> str:
    """A stored value as a person reads it (text as is; anything else as JSON)."""
    if isinstance(value, str):
        return value
    if value is None:
        return _("(empty)")
    return json.dumps(value, ensure_ascii=False)


class ConflictsDialog(QDialog):
    """The open conflicts on the left, the selected one's values on the right."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync_conflicts")
        self.ctx = ctx
        self.conflicts: list[ConflictInfo] = []
        self.setWindowTitle(_("Sync conflicts"))
        self.list = named(QListWidget(), "conflict_list")
        self.list.setWordWrap(True)
        self.list.setMinimumWidth(300)
        self.list.currentRowChanged.connect(self._show)
        self.detail = QWidget()
        self.detail_layout = QVBoxLayout(self.detail)
        self.empty = named(QLabel(_("No conflict waits for a decision.")), "conflict_none")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(1, 3)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_(
            "The same thing was changed on two PCs before they synced. Both values are kept; "
            "the record shows one of them until you decide.")))
        layout.addWidget(self.empty)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(980, 560)
        self.reload()

    def reload(self) -> None:
        self.ctx.worker.run("sync_conflicts", jobs.list_conflicts, self._shown,
                            lambda exc: show_error(self, exc))

    def _shown(self, conflicts: list[ConflictInfo]) -> None:
        self.conflicts = conflicts
        self.list.clear()
        for c in conflicts:
            kind = c.record_kind
            item = QListWidgetItem(_("{record_kind} “{record}”\n{field} · {kind}").format(
                record_kind=_(kind) if kind else c.table, record=c.record, field=_(c.field_label),
                kind=_(KINDS.get(c.kind, c.kind))))
            self.list.addItem(item)
        self.empty.setVisible(not conflicts)
        if conflicts:
            self.list.setCurrentRow(0)
        else:
            self._clear()

    def _clear(self) -> None:
        while self.detail_layout.count():
            item = self.detail_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            layout = item.layout() if item is not None else None
            if widget:
                widget.deleteLater()
            elif layout:
                QWidget().setLayout(layout)

    def _show(self, row: int) -> None:
        self._clear()
        if not 0 <= row < len(self.conflicts):
            return
        c = self.conflicts[row]
        tz = self.ctx.settings.timezone
        self.detail_layout.addWidget(QLabel(_("Shown now: {value}").format(
            value=shown_text(c.shown)), wordWrap=True))
        sides = QHBoxLayout()
        for n, candidate in enumerate(c.candidates):
            sides.addWidget(self._side(c, candidate, n, tz))
        self.detail_layout.addLayout(sides, 1)
        if c.kind == "value" and all(isinstance(x.value, str) for x in c.candidates):
            self.merged = named(QPlainTextEdit(shown_text(c.shown)), "conflict_merged")
            keep_merged = named(QPushButton(_("Keep the merged text")), "conflict_keep_merged")
            keep_merged.clicked.connect(lambda: self._resolve(c, self.merged.toPlainText()))
            self.detail_layout.addWidget(QLabel(_("Or merge by hand:")))
            self.detail_layout.addWidget(self.merged)
            self.detail_layout.addWidget(keep_merged)
        elif c.kind == "delete":
            row_buttons = QHBoxLayout()
            keep = named(QPushButton(_("Keep the record")), "conflict_keep_record")
            keep.clicked.connect(lambda: self._resolve(c, None))
            drop = named(QPushButton(_("Delete it")), "conflict_delete_record")
            drop.clicked.connect(lambda: self._resolve(c, True))
            row_buttons.addWidget(keep)
            row_buttons.addWidget(drop)
            self.detail_layout.addLayout(row_buttons)
        elif c.kind == "locked":
            keep = named(QPushButton(_("Keep the locked version")), "conflict_keep_locked")
            keep.clicked.connect(lambda: self._resolve(c, None))
            self.detail_layout.addWidget(QLabel(_(
                "The record was locked (signed or archived) on another PC; the change made "
                "here in the meantime stays in the history."), wordWrap=True))
            self.detail_layout.addWidget(keep)

    def _side(self, c: ConflictInfo, candidate: Candidate, n: int, tz: str) -> QGroupBox:
        where = _("This PC") if candidate.here else _("Another PC")
        if candidate.author:
            where = _("{author} ({where})").format(author=candidate.author, where=where)
        box = QGroupBox(_("{where}, {when}").format(
            where=where, when=format_datetime(candidate.written_at, tz=tz)))
        text = named(QPlainTextEdit(shown_text(candidate.value), readOnly=True),
                     f"conflict_value_{n}")
        layout = QVBoxLayout(box)
        layout.addWidget(text)
        if c.kind == "value":
            keep = named(QPushButton(_("Keep this")), f"conflict_keep_{n}")
            keep.clicked.connect(lambda: self._resolve(c, candidate.value))
            layout.addWidget(keep)
        return box

    def _resolve(self, c: ConflictInfo, value: Any) -> None:
        actor = self.ctx.actor
        Op(self.ctx, "sync_resolve",
           lambda db: jobs.resolve_conflict(db, actor, c.table, c.row_id, c.field, value),
           parent=self).on_done(lambda _none: self.reload()).run()
