"""The planning group's editor for the playbook's content: team groups and their duties,
incident categories, severity levels and response stages, and the office's drill rules
(ui/playbook/drill_rules.py). (The roster, who holds which post, has its own dialog.)

Why it edits a plain dict and not the frozen Playbook: the form changes many small things in
place, and the dict is exactly the documented file shape, so on Save the same parser that checks
an imported file checks the edit, and its error path ("stages[1].tasks[0].zh_TW") leads back to
the tab, the item and the field. Nothing reaches the database until the whole edit is valid;
the save itself is one transaction on the worker, refused if someone saved a newer version in
the meantime.
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from i18n import N_, _, pick
from models.core.errors import ValidationError
from models.org.people import Permission
from models.playbook.model import (
    CLOCK_FIELDS,
    LEVEL_TIMINGS,
    MAX_CLOCK_MINUTES,
    Playbook,
    level_clock_defaults,
    parse_playbook,
    playbook_to_dict,
)
from models.playbook.store import MAX_REASON
from models.playbook.versions import VersionInfo
from ui.playbook.drill_rules import PATH as RULES_PATH
from ui.playbook.drill_rules import DrillRulesTab
from ui.playbook.records_tab import PATH as RECORDS_PATH
from ui.playbook.records_tab import TITLE as RECORDS_TITLE
from ui.playbook.records_tab import RecordsTab
from ui.playbook.save import PlaybookSaveDialog
from ui.runtime.context import AppContext
from ui.runtime.feedback import ERROR_STYLE, show_at_field
from ui.runtime.naming import named
from ui.widgets.text_list import LANGUAGE_HEADERS, BilingualListEditor, ListEntry

__all__ = ["PlaybookEditDialog"]

Item = dict[str, Any]

TAB_TITLES = (
    N_("Team groups and duties"),
    N_("Incident categories"),
    N_("Severity levels"),
    N_("Response stages"),
    N_("Drill rules"),
)
TIMING_LABELS = {"immediate": N_("Immediately"), "after_handling": N_("After handling")}
# A parser path that points into one of the four tabs: section, item index, rest of the path.
_SECTION_PATH = re.compile(r"^(team\.groups|categories|levels|stages)\[(\d+)\](?:\.(.*))?$")
# The rest of such a path: field, optional row of a list, then the language or a sub-field.
_FIELD_PATH = re.compile(r"^(\w+)(?:\[(\d+)\])?(?:\.(.*))?$")
MULTILINE_ROWS = 4


def _empty_text() -> dict[str, str]:
    return {"zh_TW": "", "en": ""}


class _TextPair:
    """The Chinese and English editors of one bilingual field."""

    def __init__(self, name: str, *, multiline: bool = False) -> None:
        self.zh = self._editor(f"{name}_zh", multiline)
        self.en = self._editor(f"{name}_en", multiline)

    @staticmethod
    def _editor(name: str, multiline: bool) -> QLineEdit | QPlainTextEdit:
        if not multiline:
            return named(QLineEdit(), name)
        editor = named(QPlainTextEdit(), name)
        editor.setTabChangesFocus(True)
        editor.setFixedHeight(editor.fontMetrics().lineSpacing() * MULTILINE_ROWS + 14)
        return editor

    def set(self, text: Mapping[str, str]) -> None:
        for editor, language in ((self.zh, "zh_TW"), (self.en, "en")):
            if isinstance(editor, QLineEdit):
                editor.setText(text.get(language, ""))
                editor.setCursorPosition(0)  # a long text shows its beginning
            else:
                editor.setPlainText(text.get(language, ""))

    def get(self) -> dict[str, str]:
        return {
            language: editor.text() if isinstance(editor, QLineEdit) else editor.toPlainText()
            for editor, language in ((self.zh, "zh_TW"), (self.en, "en"))
        }

    def editor(self, language: str) -> QWidget:
        return self.en if language == "en" else self.zh


Target = _TextPair | BilingualListEditor | QWidget


class _SectionTab(QWidget):
    """One tab: the section's items on the left, the chosen item's fields on the right.

    The fields edit one item of the shared dict. What they show is written back (``store``)
    whenever another item is chosen, another tab opens, or the dialog saves, so the dict is
    complete whenever anyone reads it.
    """

    def __init__(self, name: str, items: list[Item]) -> None:
        super().__init__()
        self.setObjectName(f"tab_{name}")
        self._name = name
        self.items = items
        self.list = named(QListWidget(), f"{name}_list")
        self.list.setMaximumWidth(240)
        self.list.setWordWrap(True)
        self.left = QVBoxLayout()
        self.left.addWidget(self.list, 1)
        self.panel = named(QWidget(), f"{name}_panel")
        self.grid = QGridLayout()
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(2, 1)
        for column, header in enumerate(LANGUAGE_HEADERS, start=1):
            self.grid.addWidget(QLabel(f"<b>{header}</b>"), 0, column)
        self.body = QVBoxLayout(self.panel)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.addLayout(self.grid)
        layout = QHBoxLayout(self)
        layout.addLayout(self.left)
        layout.addWidget(self.panel, 1)
        self.pairs: dict[str, _TextPair] = {}
        self.targets: dict[str, Target] = {}
        self._labels: list[tuple[QLabel, str]] = []
        self._row = -1
        self.list.currentRowChanged.connect(self._choose)

    # -- Building the form (subclasses, in their __init__).

    def add_pair(self, key: str, label: str, *, multiline: bool = False) -> _TextPair:
        pair = _TextPair(f"{self._name}_{key}", multiline=multiline)
        row = self.grid.rowCount()
        caption = self._caption(label)
        alignment = Qt.AlignmentFlag.AlignTop if multiline else Qt.AlignmentFlag.AlignVCenter
        self.grid.addWidget(caption, row, 0, alignment)
        self.grid.addWidget(pair.zh, row, 1)
        self.grid.addWidget(pair.en, row, 2)
        caption.setBuddy(pair.zh)
        self.pairs[key] = pair
        self.targets[key] = pair
        if key == "name":
            for editor in (pair.zh, pair.en):
                assert isinstance(editor, QLineEdit)
                editor.textEdited.connect(self._name_edited)
        return pair

    def add_list(self, key: str, label: str, editor: BilingualListEditor) -> None:
        caption = self._caption(label)
        caption.setBuddy(editor.table)
        self.body.addWidget(caption)
        self.body.addWidget(editor, 1)
        self.targets[key] = editor

    def add_form_row(self, key: str, label: str, widget: QWidget, form: QFormLayout) -> None:
        caption = self._caption(label)
        caption.setBuddy(widget)
        form.addRow(caption, widget)
        self.targets[key] = widget

    def _caption(self, label: str) -> QLabel:
        caption = QLabel()
        self._labels.append((caption, label))
        return caption

    def finish(self) -> None:
        """Fill the list and show the first item (after the subclass built its fields)."""
        for item in self.items:
            self.list.addItem(QListWidgetItem(self.item_label(item)))
        if self.items:
            self.list.setCurrentRow(0)

    # -- Moving between the dict and the fields.

    def item_label(self, item: Item) -> str:
        return pick(item["name"]) or _("(no name yet)")

    def load(self, item: Item) -> None:
        for key, pair in self.pairs.items():
            pair.set(item[key])

    def write(self, item: Item) -> None:
        for key, pair in self.pairs.items():
            item[key] = pair.get()

    def store(self) -> None:
        """Write the fields into the item they show (and its name into the list)."""
        if 0 <= self._row < len(self.items):
            self.write(self.items[self._row])
            self.list.item(self._row).setText(self.item_label(self.items[self._row]))

    def refresh(self) -> None:
        """Show the chosen item again (keeping what was typed), so group names edited on
        another tab, or a new language, show in its lists."""
        if 0 <= self._row < len(self.items):
            self.write(self.items[self._row])
            self.load(self.items[self._row])

    def _choose(self, row: int) -> None:
        self.store()
        self._row = row
        if 0 <= row < len(self.items):
            self.load(self.items[row])

    def _name_edited(self) -> None:
        if 0 <= self._row < len(self.items):
            self.items[self._row]["name"] = self.pairs["name"].get()
            self.list.item(self._row).setText(self.item_label(self.items[self._row]))

    def retranslate(self) -> None:
        for caption, label in self._labels:
            caption.setText(_(label))
        for row, item in enumerate(self.items):
            self.list.item(row).setText(self.item_label(item))
        for target in self.targets.values():
            if isinstance(target, BilingualListEditor):
                target.retranslate()

    def show_path(self, row: int, rest: str) -> None:
        """Choose item *row* and put the focus on the field that *rest* names (a parser path
        below the item, such as ``tasks[0].text.zh_TW``)."""
        self.list.setCurrentRow(row)
        match = _FIELD_PATH.match(rest)
        target = self.targets.get(match.group(1)) if match else None
        if match is None or target is None:
            self.list.setFocus()
            return
        language = "en" if (match.group(3) or "").endswith("en") else "zh_TW"
        if isinstance(target, _TextPair):
            target.editor(language).setFocus()
        elif isinstance(target, BilingualListEditor):
            target.focus_cell(int(match.group(2)) if match.group(2) else -1, language)
        else:
            target.setFocus()


class _GroupsTab(_SectionTab):
    def __init__(self, groups: list[Item]) -> None:
        super().__init__("group", groups)
        self.add_pair("name", N_("Name:"))
        self.add_pair("responsible", N_("Responsible unit or person:"))
        self.duties = BilingualListEditor("duties")
        self.add_list("duties", N_("Duties:"), self.duties)
        self.finish()

    def load(self, item: Item) -> None:
        super().load(item)
        self.duties.set_entries([ListEntry(text=duty) for duty in item["duties"]])

    def write(self, item: Item) -> None:
        super().write(item)
        item["duties"] = [dict(entry.text) for entry in self.duties.entries()]


class _CategoriesTab(_SectionTab):
    """Categories can be added; those already in the playbook cannot be removed, because
    incidents and drill draws refer to them by key (the procedure defines four)."""

    def __init__(self, categories: list[Item]) -> None:
        super().__init__("category", categories)
        self._kept = {category["key"] for category in categories}
        self.add_button = named(QPushButton(), "category_add")
        self.remove_button = named(QPushButton(), "category_remove")
        self.add_button.clicked.connect(self.add_category)
        self.remove_button.clicked.connect(self.remove_category)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        self.left.addLayout(buttons)
        self.add_pair("name", N_("Name:"))
        self.add_pair("drill_item", N_("Item on the drill form:"))
        self.add_pair("definition", N_("Definition:"), multiline=True)
        self.subtypes = BilingualListEditor("subtypes", key_prefix="s-")
        self.add_list("subtypes", N_("Subtypes:"), self.subtypes)
        self.finish()

    def load(self, item: Item) -> None:
        super().load(item)
        self.subtypes.set_entries(
            [ListEntry(text=s["text"], key=s["key"]) for s in item["subtypes"]]
        )
        self.remove_button.setEnabled(item["key"] not in self._kept)

    def write(self, item: Item) -> None:
        super().write(item)
        item["subtypes"] = [
            {"key": entry.key, "text": dict(entry.text)} for entry in self.subtypes.entries()
        ]

    def add_category(self) -> None:
        item: Item = {
            "key": f"c-{uuid.uuid4().hex[:8]}",
            "name": _empty_text(),
            "drill_item": _empty_text(),
            "definition": _empty_text(),
            "subtypes": [],
        }
        self.items.append(item)
        self.list.addItem(QListWidgetItem(self.item_label(item)))
        self.list.setCurrentRow(len(self.items) - 1)
        self.pairs["name"].zh.setFocus()

    def remove_category(self) -> None:
        row = self._row
        if not 0 <= row < len(self.items) or self.items[row]["key"] in self._kept:
            return
        self._row = -1  # the item goes away: nothing to store when the list moves on
        del self.items[row]
        self.list.takeItem(row)
        if self._row == -1:
            self._choose(self.list.currentRow())

    def retranslate(self) -> None:
        super().retranslate()
        self.add_button.setText(_("Add category"))
        self.remove_button.setText(_("Remove"))
        self.remove_button.setToolTip(
            _("Only a category added in this editor can be removed: incidents and drills "
              "refer to the procedure's categories.")
        )


class _LevelsTab(_SectionTab):
    def __init__(self, levels: list[Item], groups: list[Item]) -> None:
        super().__init__("level", levels)
        self._groups = groups
        self.add_pair("name", N_("Name:"))
        self.add_pair("definition", N_("Definition:"), multiline=True)
        self.notify_group = named(QComboBox(), "level_notify_group")
        self.timing = named(QComboBox(), "level_timing")
        for timing in LEVEL_TIMINGS:
            self.timing.addItem("", timing)
        self.keep_watching = named(QCheckBox(), "level_keep_watching")
        form = QFormLayout()
        self.add_form_row("notify_group", N_("Notify:"), self.notify_group, form)
        self.add_form_row("timing", N_("When:"), self.timing, form)
        self.add_form_row("keep_watching", N_("Afterwards:"), self.keep_watching, form)
        self.clocks: dict[str, QSpinBox] = {}
        for name, label in (("report_within_minutes", N_("Tell them within:")),
                            ("update_every_minutes", N_("Situation report every:"))):
            box = named(QSpinBox(), f"level_{name}")
            box.setRange(0, MAX_CLOCK_MINUTES)  # 0: none (the special value's text)
            box.setSingleStep(15)
            self.clocks[name] = box
            self.add_form_row(name, label, box, form)
        self.body.addLayout(form)
        self.body.addStretch(1)
        self.finish()

    def load(self, item: Item) -> None:
        super().load(item)
        self.notify_group.clear()
        for group in self._groups:
            self.notify_group.addItem(pick(group["name"]), group["key"])
        self.notify_group.setCurrentIndex(self.notify_group.findData(item["notify_group"]))
        self.timing.setCurrentIndex(self.timing.findData(item["timing"]))
        self.keep_watching.setChecked(bool(item["keep_watching"]))
        for name, value in self._clock_values(item).items():
            self.clocks[name].setValue(value or 0)

    def write(self, item: Item) -> None:
        super().write(item)
        item["notify_group"] = self.notify_group.currentData() or item["notify_group"]
        item["timing"] = self.timing.currentData() or item["timing"]
        item["keep_watching"] = self.keep_watching.isChecked()
        for name, shown in self._clock_values(item).items():
            value = self.clocks[name].value() or None
            if value != shown or name in item:  # a file without the clocks stays without
                item[name] = value

    def retranslate(self) -> None:
        super().retranslate()
        for index, timing in enumerate(LEVEL_TIMINGS):
            self.timing.setItemText(index, _(TIMING_LABELS[timing]))
        self.keep_watching.setText(_("The responsible unit keeps watching the case"))
        for box in self.clocks.values():
            box.setSuffix(_(" min"))
            box.setSpecialValueText(_("None"))
        self.refresh()


    def _clock_values(self, item: Item) -> dict[str, int | None]:
        """The level's clocks as the file gives them, or the defaults of its place."""
        index = next(i for i, other in enumerate(self.items) if other is item)
        values = level_clock_defaults(index, len(self.items))
        values.update({name: item[name] for name in CLOCK_FIELDS if name in item})
        return values


class _StagesTab(_SectionTab):
    def __init__(self, stages: list[Item], groups: list[Item]) -> None:
        super().__init__("stage", stages)
        self._groups = groups
        self.add_pair("name", N_("Name:"))
        self.add_pair("responsible", N_("Responsible:"))
        self.responsible_groups = named(QListWidget(), "stage_groups")
        self.responsible_groups.setFlow(QListView.Flow.LeftToRight)
        self.responsible_groups.setWrapping(True)
        self.responsible_groups.setResizeMode(QListView.ResizeMode.Adjust)
        self.responsible_groups.setSpacing(4)
        self.responsible_groups.setFixedHeight(
            self.responsible_groups.fontMetrics().lineSpacing() * 3 + 16
        )
        form = QFormLayout()
        self.add_form_row("responsible_groups", N_("Groups:"), self.responsible_groups, form)
        self.body.addLayout(form)
        self.tasks = BilingualListEditor("tasks", key_prefix="t-", with_required=True)
        self.add_list("tasks", N_("Tasks:"), self.tasks)
        self.finish()

    def item_label(self, item: Item) -> str:
        return f"{item['number']}. {super().item_label(item)}"

    def load(self, item: Item) -> None:
        super().load(item)
        self.responsible_groups.clear()
        for group in self._groups:
            entry = QListWidgetItem(pick(group["name"]))
            entry.setData(Qt.ItemDataRole.UserRole, group["key"])
            entry.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(
                Qt.CheckState.Checked
                if group["key"] in item["responsible_groups"]
                else Qt.CheckState.Unchecked
            )
            self.responsible_groups.addItem(entry)
        self.tasks.set_entries(
            [ListEntry(text=t["text"], key=t["key"], required=t["required"])
             for t in item["tasks"]]
        )

    def write(self, item: Item) -> None:
        super().write(item)
        checked = []
        for row in range(self.responsible_groups.count()):
            entry = self.responsible_groups.item(row)
            if entry.checkState() == Qt.CheckState.Checked:
                checked.append(entry.data(Qt.ItemDataRole.UserRole))
        item["responsible_groups"] = checked
        item["tasks"] = [
            {"key": e.key, "text": dict(e.text), "required": e.required}
            for e in self.tasks.entries()
        ]

    def retranslate(self) -> None:
        super().retranslate()
        self.refresh()


class PlaybookEditDialog(PlaybookSaveDialog):
    """Edits the playbook's content and saves it as a new version, with a reason.

    After a successful save, ``saved_version`` holds the new version and the change of the
    playbook has been announced on the context (``data_changed``).
    """

    def __init__(
        self,
        ctx: AppContext,
        version: VersionInfo,
        playbook: Playbook,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, version, playbook, parent)
        self.setObjectName("playbook_edit_dialog")
        self._original = playbook_to_dict(playbook)
        self._data = copy.deepcopy(self._original)

        groups = self._data["team"]["groups"]
        self.groups_tab = _GroupsTab(groups)
        self.categories_tab = _CategoriesTab(self._data["categories"])
        self.levels_tab = _LevelsTab(self._data["levels"], groups)
        self.stages_tab = _StagesTab(self._data["stages"], groups)
        self._sections: dict[str, _SectionTab] = {
            "team.groups": self.groups_tab,
            "categories": self.categories_tab,
            "levels": self.levels_tab,
            "stages": self.stages_tab,
        }
        self.rules_tab = DrillRulesTab(self._data["drill"])
        self.records_tab = RecordsTab(self._data)
        self.tabs = named(QTabWidget(), "edit_tabs")
        for tab in self._sections.values():
            self.tabs.addTab(tab, "")
        self.tabs.addTab(self.rules_tab, "")
        self.tabs.addTab(self.records_tab, "")
        self.tabs.currentChanged.connect(self._tab_opened)

        self.intro = named(QLabel(), "intro")
        self.intro.setWordWrap(True)
        self.reason_label = QLabel()
        self.reason = named(QLineEdit(), "reason")
        self.reason.setMaxLength(MAX_REASON)
        self.reason_label.setBuddy(self.reason)
        self.error = named(QLabel(), "error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        self.save_button = named(QPushButton(), "save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = named(QPushButton(), "cancel")
        self.cancel_button.clicked.connect(self.reject)
        # Enter in a text field must not save a half-finished edit.
        self.save_button.setAutoDefault(False)
        self.cancel_button.setAutoDefault(False)

        reason_row = QHBoxLayout()
        reason_row.addWidget(self.reason_label)
        reason_row.addWidget(self.reason, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(reason_row)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

        if not ctx.actor.may(Permission.EDIT_PLAYBOOK):
            # Models refuse the save anyway; here the user can read but not change.
            for tab in self._sections.values():
                tab.panel.setEnabled(False)
            self.rules_tab.setEnabled(False)
            self.records_tab.setEnabled(False)
            self.categories_tab.add_button.hide()
            self.categories_tab.remove_button.hide()
            self.reason.setEnabled(False)
            self.save_button.hide()

        ctx.language_changed.connect(self.retranslate)
        self.retranslate()
        self.resize(1120, 760)

    def retranslate(self) -> None:
        self.setWindowTitle(
            _("Edit the playbook (version {number})").format(number=self.version.number)
        )
        self.intro.setText(
            _("Your changes are saved as a new version of the playbook, with your name and "
              "the reason. The Chinese text is required; the English text may stay empty.")
        )
        for index, title in enumerate(TAB_TITLES):
            self.tabs.setTabText(index, _(title))
        for tab in self._sections.values():
            tab.retranslate()
        self.rules_tab.retranslate()
        self.tabs.setTabText(self.tabs.indexOf(self.records_tab), _(RECORDS_TITLE))
        self.records_tab.retranslate()
        self.reason_label.setText(_("&Reason for the change:"))
        self.reason.setPlaceholderText(_("for example: new duty after the 2026 drill review"))
        self.save_button.setText(_("&Save as new version"))
        self.cancel_button.setText(_("Cancel"))

    def _tab_opened(self, index: int) -> None:
        # Names edited on one tab appear in the group lists of the others.
        for tab in self._sections.values():
            tab.store()
        opened = self.tabs.widget(index)
        if isinstance(opened, _SectionTab):  # the drill rules' tab shows no group names
            opened.refresh()

    def edited(self) -> dict[str, Any]:
        """The playbook as the fields show it now, in the file format."""
        for tab in self._sections.values():
            tab.store()
        self.rules_tab.store()
        self.records_tab.store()
        return self._data

    def save(self) -> None:
        self.error.hide()
        try:
            # A copy: the worker reads the parsed playbook while the form may change again.
            new = parse_playbook(copy.deepcopy(self.edited()))
        except ValidationError as exc:
            self._show_invalid(exc)
            return
        self.submit("save_playbook", new, self.reason.text())

    def _show_invalid(self, exc: ValidationError) -> None:
        """Name the path in the error label, and open the tab, item and field it points at."""
        self.error.setText(exc.message())
        self.error.show()
        if exc.field.startswith(RECORDS_PATH):
            self.tabs.setCurrentWidget(self.records_tab)
            self.records_tab.retention.setFocus()
            return
        if exc.field.startswith(RULES_PATH):
            self.tabs.setCurrentWidget(self.rules_tab)
            self.rules_tab.show_path(exc.field)
            return
        match = _SECTION_PATH.match(exc.field)
        if match is None:
            return
        tab = self._sections[match.group(1)]
        self.tabs.setCurrentWidget(tab)
        tab.show_path(int(match.group(2)), match.group(3) or "")

    def is_modified(self) -> bool:
        return self.edited() != self._original

    def discard_question(self) -> str:
        return _("Your changes to the playbook are not saved. Discard them?")

    def show_save_error(self, exc: Exception) -> None:
        show_at_field(self, exc, self.error, {"reason": self.reason})
