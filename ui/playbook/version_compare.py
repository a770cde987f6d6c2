"""What changed between two versions of the playbook, field by field.

Why: every edit of the procedure is a new version with a reason; before a drill or a review
the planning group (and an auditor) must see what exactly a version changed, in words a
reader understands: "Team › Groups › 策劃組 › Duties" rather than a JSON path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from i18n import N_, _, ngettext
from i18n.formatting import format_datetime
from models.playbook.model import Change, Playbook, diff_playbooks
from models.playbook.store import load_version
from models.playbook.versions import VersionInfo
from ui.runtime.context import AppContext
from ui.runtime.feedback import show_error
from ui.runtime.naming import named

__all__ = ["ChangesModel", "VersionCompareDialog", "where_label"]

WHERE_SEPARATOR = " › "

# The playbook file's field names, as a reader calls them. Anything not listed here in a
# Change.where is an item label (a group's name, "2. 主持會議…") and already reads well.
SECTION_LABELS = {
    "format": N_("File format"),
    "format_version": N_("Format version"),
    "office": N_("Customs office"),
    "code": N_("Code"),
    "title": N_("Title"),
    "basis": N_("Legal basis"),
    "purpose": N_("Purpose"),
    "team": N_("Team"),
    "rule": N_("Rule"),
    "groups": N_("Groups"),
    "key": N_("Key"),
    "id": N_("Key"),
    "name": N_("Name"),
    "responsible": N_("Responsible"),
    "duties": N_("Duties"),
    "members": N_("Roster"),
    "group": N_("Group"),
    "post": N_("Post"),
    "holder": N_("Holder"),
    "deputy": N_("Deputy"),
    "unit": N_("Unit"),
    "office_phone": N_("Office phone"),
    "extension": N_("Extension"),
    "mobile": N_("Mobile"),
    "email": N_("E-mail"),
    "categories": N_("Incident categories"),
    "drill_item": N_("Item on the drill form"),
    "definition": N_("Definition"),
    "subtypes": N_("Subtypes"),
    "text": N_("Text"),
    "zh_TW": N_("Chinese"),
    "en": N_("English"),
    "level_rule": N_("Rule for the levels"),
    "levels": N_("Severity levels"),
    "notify_group": N_("Notify"),
    "timing": N_("When"),
    "keep_watching": N_("Keep watching"),
    "stages": N_("Response stages"),
    "number": N_("Number"),
    "tasks": N_("Tasks"),
    "required": N_("Required"),
    "responsible_groups": N_("Responsible groups"),
    "drill": N_("Drill"),
    "steps": N_("Steps"),
    "actor_groups": N_("Acting groups"),
    "report_form": N_("Report form"),
    "fields": N_("Fields"),
    "label": N_("Label"),
    "kind": N_("Kind"),
    "signers": N_("Signed by"),
    "rules": N_("Drill rules"),
    "every_months": N_("Drills run every (months)"),
    "unit_every_months": N_("Each unit at least every (months)"),
    "rotation": N_("Next category"),
    "evaluation_within_days": N_("Evaluation within (days)"),
    "follow_up_within_days": N_("Follow-up within (days)"),
}
PERSON_LABELS = {"name": N_("Full name"), "title": N_("Job title")}
"""Inside a holder or deputy card, "name" and "title" mean a person's, not a section's."""
KIND_LABELS = {"added": N_("added"), "removed": N_("removed"), "changed": N_("changed")}


def where_label(where: Sequence[str]) -> str:
    """A Change's location in the reader's words: section names translated, item labels kept."""
    parts = []
    for i, part in enumerate(where):
        in_person = i > 0 and where[i - 1] in ("holder", "deputy")
        labels = PERSON_LABELS if in_person and part in PERSON_LABELS else SECTION_LABELS
        parts.append(_(labels[part]) if part in labels else part)
    return WHERE_SEPARATOR.join(parts)


def version_label(version: VersionInfo) -> str:
    return "v{number} · {when} · {who} · {reason}".format(
        number=version.number,
        when=format_datetime(version.created_at, long=False),
        who=version.created_by,
        reason=version.reason,
    )


class ChangesModel(QAbstractTableModel):
    """The differences between two versions, one row each: Where, Change, Before, After."""

    HEADERS = (N_("Where"), N_("Change"), N_("Before"), N_("After"))
    WHERE, KIND, BEFORE, AFTER = range(4)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._changes: list[Change] = []

    def set_changes(self, changes: Sequence[Change]) -> None:
        self.beginResetModel()
        self._changes = list(changes)
        self.endResetModel()

    def retranslate(self) -> None:
        """Headers and the translated columns follow the language; item labels come from
        the data and are rebuilt by whoever owns the versions."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.HEADERS) - 1)
        if self._changes:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._changes) - 1, len(self.HEADERS) - 1)
            )

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._changes)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._changes):
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        change = self._changes[index.row()]
        column = index.column()
        if column == self.WHERE:
            return where_label(change.where)
        if column == self.KIND:
            return _(KIND_LABELS[change.kind])
        if column == self.BEFORE:
            return change.old or ""
        if column == self.AFTER:
            return change.new or ""
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.HEADERS)
        ):
            return _(self.HEADERS[section])
        return super().headerData(section, orientation, role)


class VersionCompareDialog(QDialog):
    """Two version pickers and the table of their differences.

    Both versions are loaded in one worker job; the comparison itself runs on the GUI thread
    from the loaded playbooks, so a language switch relabels it without reloading.
    """

    def __init__(
        self,
        ctx: AppContext,
        versions: list[VersionInfo],
        old_id: str,
        new_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("compare_dialog")
        self.ctx = ctx
        self._versions = list(versions)
        self._pair: tuple[Playbook, Playbook] | None = None
        self._request = 0

        self.from_combo = named(QComboBox(), "compare_from")
        self.to_combo = named(QComboBox(), "compare_to")
        for combo, selected in ((self.from_combo, old_id), (self.to_combo, new_id)):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(40)
            for version in self._versions:
                combo.addItem("", version.id)
            combo.setCurrentIndex(max(0, combo.findData(selected)))
        self.from_label = QLabel()
        self.from_label.setBuddy(self.from_combo)
        self.to_label = QLabel()
        self.to_label.setBuddy(self.to_combo)
        self.summary = named(QLabel(), "compare_summary")

        self.model = ChangesModel(self)
        self.table = named(QTableView(), "compare_table")
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ChangesModel.WHERE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ChangesModel.KIND, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ChangesModel.BEFORE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ChangesModel.AFTER, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(ChangesModel.WHERE, 300)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        self.close_button = named(QPushButton(), "close")
        self.close_button.clicked.connect(self.accept)

        pickers = QFormLayout()
        pickers.addRow(self.from_label, self.from_combo)
        pickers.addRow(self.to_label, self.to_combo)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(pickers)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        # A closed dialog (deleted on close) ignores answers still on their way.
        self.finished.connect(self._forget_requests)
        self.from_combo.currentIndexChanged.connect(self._load)
        self.to_combo.currentIndexChanged.connect(self._load)
        ctx.language_changed.connect(self.retranslate)
        self.retranslate()
        self.resize(1100, 640)
        self._load()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Compare playbook versions"))
        self.from_label.setText(_("&From version:"))
        self.to_label.setText(_("&To version:"))
        self.close_button.setText(_("Close"))
        for combo in (self.from_combo, self.to_combo):
            for index, version in enumerate(self._versions):
                combo.setItemText(index, version_label(version))
        self.model.retranslate()
        self._show_changes()

    def _load(self) -> None:
        """Load both chosen versions in one worker job; an older answer that arrives after a
        newer choice is dropped."""
        old_id = self.from_combo.currentData()
        new_id = self.to_combo.currentData()
        if old_id is None or new_id is None:
            return
        self._request += 1
        request = self._request
        self._pair = None
        self.summary.setText(_("Loading…"))

        def job(db: Any) -> tuple[Playbook, Playbook]:
            return load_version(db, old_id)[1], load_version(db, new_id)[1]

        self.ctx.worker.run(
            "compare_versions",
            job,
            lambda pair: self._loaded(request, pair),
            lambda exc: self._failed(request, exc),
        )

    def _forget_requests(self) -> None:
        self._request += 1

    def _loaded(self, request: int, pair: tuple[Playbook, Playbook]) -> None:
        if request != self._request:
            return
        self._pair = pair
        self._show_changes()

    def _failed(self, request: int, exc: Exception) -> None:
        if request != self._request:
            return
        self.summary.setText("")
        show_error(self, exc)

    def _show_changes(self) -> None:
        # The labels of list items come from the data in the current language: recompute.
        if self._pair is None:
            return
        changes = diff_playbooks(*self._pair)
        self.model.set_changes(changes)
        self.summary.setText(
            ngettext("{count} difference", "{count} differences", len(changes)).format(
                count=len(changes))
            if changes
            else _("No differences")
        )
