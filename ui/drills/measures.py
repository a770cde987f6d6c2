"""What a live drill measured, as the evaluation window shows it: the injects (released,
delivered after, first reaction after) and the guidance that ties the ratings to the figures.
The figures each stage's rating rests on stand beside that stage's rating
(ui/drills/evaluation.py); a drill recorded after the fact measured nothing and shows none of
this."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from i18n import _
from ui.runtime.naming import named

if TYPE_CHECKING:
    from models.live_drills.measures import DrillMeasures


class MeasuresBox(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("evaluation_measures")
        self.heading = named(QLabel(), "evaluation_measures_heading")
        self.heading.setStyleSheet("font-weight: bold;")
        self.injects = named(QTableWidget(0, 4), "evaluation_injects")
        self.injects.verticalHeader().hide()
        self.injects.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.injects.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.injects.setMaximumHeight(150)
        self.guidance = named(QLabel(), "evaluation_guidance")
        self.guidance.setWordWrap(True)
        self.guidance.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.injects)
        layout.addWidget(self.guidance)

    def show_measures(self, measures: DrillMeasures | None, tz: str) -> None:
        """The drill's figures, or nothing (hidden) for a drill not run live."""
        from models.live_drills.measures_text import (
            INJECT_HEADERS,
            RATING_GUIDANCE,
            inject_rows,
        )

        self.setVisible(measures is not None)
        if measures is None:
            return
        self.heading.setText(_("Measured in the live drill"))
        self.injects.setHorizontalHeaderLabels([_(h) for h in INJECT_HEADERS])
        rows = inject_rows(measures, tz)
        self.injects.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.injects.setItem(r, c, item)
        self.guidance.setText(_(RATING_GUIDANCE))
