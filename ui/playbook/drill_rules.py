"""The playbook editor's tab for the office's drill rules (models.playbook.drill_rules): how
often drills run, the minimum per unit, how categories rotate and the after-action days.

Like the other tabs it edits the playbook's file shape (the ``drill`` object's ``rules``), so
the parser checks it on Save and its error path (``drill.rules.follow_up_within_days``) leads
back to the field. Rules left at their defaults are not written, as the parser does not
write them: opening the tab and saving nothing changes nothing.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from i18n import N_, _
from models.playbook.drill_rules import (
    DRILL_EVERY,
    EVERY_LABELS,
    MAX_EVALUATION_DAYS,
    MAX_FOLLOW_UP_DAYS,
    MAX_UNIT_MONTHS,
    ROTATIONS,
    RULES_KEY,
    DrillRules,
)
from ui.runtime.naming import named

PATH = "drill.rules"
"""The parser's path of the rules; a field's is PATH + "." + its name."""
LABELS = {
    "every_months": N_("Drills run:"),
    "unit_every_months": N_("Each unit drilled at least every:"),
    "rotation": N_("Next category:"),
    "evaluation_within_days": N_("Evaluation due within:"),
    "follow_up_within_days": N_("Corrective actions followed up within:"),
}


def _spin(name: str, limit: int) -> QSpinBox:
    box = named(QSpinBox(), f"rules_{name}")
    box.setRange(1, limit)
    return box


class DrillRulesTab(QWidget):
    def __init__(self, drill: dict[str, Any]) -> None:
        super().__init__()
        self.setObjectName("tab_drill_rules")
        self._drill = drill
        self.intro = named(QLabel(), "rules_intro")
        self.intro.setWordWrap(True)
        self.every = named(QComboBox(), "rules_every_months")
        for months in DRILL_EVERY:
            self.every.addItem("", months)
        self.unit_every = _spin("unit_every_months", MAX_UNIT_MONTHS)
        self.rotation = named(QComboBox(), "rules_rotation")
        for key in ROTATIONS:
            self.rotation.addItem("", key)
        self.evaluation = _spin("evaluation_within_days", MAX_EVALUATION_DAYS)
        self.follow_up = _spin("follow_up_within_days", MAX_FOLLOW_UP_DAYS)
        self.fields: dict[str, QWidget] = {
            "every_months": self.every, "unit_every_months": self.unit_every,
            "rotation": self.rotation, "evaluation_within_days": self.evaluation,
            "follow_up_within_days": self.follow_up}
        self.captions: dict[str, QLabel] = {}
        form = QFormLayout()
        for name, widget in self.fields.items():
            caption = QLabel()
            caption.setBuddy(widget)
            self.captions[name] = caption
            form.addRow(caption, widget)
        self.hint = named(QLabel(), "rules_hint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        self.load()

    def load(self) -> None:
        rules = {**asdict(DrillRules()), **self._drill.get(RULES_KEY, {})}
        self.every.setCurrentIndex(max(self.every.findData(rules["every_months"]), 0))
        self.unit_every.setValue(rules["unit_every_months"])
        self.rotation.setCurrentIndex(max(self.rotation.findData(rules["rotation"]), 0))
        self.evaluation.setValue(rules["evaluation_within_days"])
        self.follow_up.setValue(rules["follow_up_within_days"])

    def store(self) -> None:
        """Write the fields into the playbook's ``drill`` object: no ``rules`` when they are
        the defaults (as the file of a playbook without rules has none)."""
        rules = {"every_months": self.every.currentData(),
                 "unit_every_months": self.unit_every.value(),
                 "rotation": self.rotation.currentData(),
                 "evaluation_within_days": self.evaluation.value(),
                 "follow_up_within_days": self.follow_up.value()}
        if rules == asdict(DrillRules()):
            self._drill.pop(RULES_KEY, None)
        else:
            self._drill[RULES_KEY] = rules

    def show_path(self, path: str) -> None:
        """Focus the field a parser path below PATH names."""
        widget = self.fields.get(path.removeprefix(PATH).lstrip("."))
        (widget or self.every).setFocus()

    def retranslate(self) -> None:
        self.intro.setText(_(
            "The office's own drill rules: the schedule, the overdue units and the suggested "
            "category follow them, and the home screen shows an evaluation or a corrective "
            "action past its day. The days count from the day of the drill."))
        for name, caption in self.captions.items():
            caption.setText(_(LABELS[name]))
        for index, months in enumerate(DRILL_EVERY):
            self.every.setItemText(index, _(EVERY_LABELS[months]))
        for index, key in enumerate(ROTATIONS):
            self.rotation.setItemText(index, _(ROTATIONS[key]))
        self.unit_every.setSuffix(_(" months"))
        for box in (self.evaluation, self.follow_up):
            box.setSuffix(_(" days after the drill"))
        self.hint.setText(_(
            "For example: Keelung Customs drills every month (按月模擬演練), Taichung Customs' "
            "plan at least every half year, the other offices every quarter. Reference 003 asks every unit to be "
            "drilled at least every half year; after-action practice wants the evaluation "
            "within 30 days and the follow-up within 60."))
