"""A screen whose capability is not built yet says so plainly, in one line, and does nothing
else: no pretend buttons, no sample data."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from i18n import N_, _
from ui.context import AppContext

COMING = {
    "drills": N_("Drills: the recorded unit draw, scenarios, the drill report form and its "
                 "sign-off arrive with the drill capability."),
}


class LaterScreen(QWidget):
    def __init__(self, ctx: AppContext, key: str) -> None:
        super().__init__()
        self.key = key
        self.setObjectName(f"screen_{key}")
        self.label = QLabel(objectName=f"{key}_later")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        ctx.language_changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self) -> None:
        self.label.setText(_(COMING[self.key]))
