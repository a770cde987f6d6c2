"""One stage of the wizard: its name, its tasks as a checklist, and the stage's own sections.

Each page is the same frame around different sections, so the stages differ only in the
sections they list (`stage_sections`). Every section is a widget with `show_view(view)` and
`retranslate()`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QGroupBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from i18n import N_, _, pick
from models.playbook.model import CORRECTIVE_STATUSES
from ui.incidents.controller import IncidentController
from ui.incidents.rows import Column, RowTable
from ui.incidents.tasks import TaskChecklist
from ui.runtime.naming import named

if TYPE_CHECKING:
    from models.incidents.queries import IncidentView
    from models.org.people import Actor
    from models.storage.db import Database


class StagePage(QScrollArea):
    def __init__(self, ctrl: IncidentController, number: int,
                 sections: Sequence[tuple[str, QWidget]]) -> None:
        super().__init__()
        self.setObjectName(f"stage_page_{number}")
        self.ctrl = ctrl
        self.number = number
        self.setWidgetResizable(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        self.heading = named(QLabel(), f"stage_{number}_heading")
        self.heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.tasks = TaskChecklist(ctrl, number)
        self.boxes: list[tuple[str, QGroupBox]] = []
        self.sections: list[Any] = [self.tasks]
        tasks_box = named(QGroupBox(), f"stage_{number}_tasks_box")
        QVBoxLayout(tasks_box).addWidget(self.tasks)
        self.boxes.append((N_("Tasks set by the procedure"), tasks_box))
        layout.addWidget(tasks_box)
        for title, widget in sections:
            box = named(QGroupBox(), f"stage_{number}_{widget.objectName() or 'section'}_box")
            QVBoxLayout(box).addWidget(widget)
            self.boxes.append((title, box))
            self.sections.append(widget)
            layout.addWidget(box)
        layout.addStretch(1)
        self.setWidget(body)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """What the form needs to be read without scrolling sideways (the workspace's
        splitter gives it that before the side panes keep theirs)."""
        body = self.widget()
        assert body is not None  # set in __init__
        extra = self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth()
        return QSize(body.minimumSizeHint().width() + extra, super().minimumSizeHint().height())

    def retranslate(self) -> None:
        for title, box in self.boxes:
            box.setTitle(_(title))
        for section in self.sections:
            section.retranslate()
        if self.ctrl.view is not None:
            self.show_view(self.ctrl.view)

    def show_view(self, view: IncidentView) -> None:
        stage = next(s for s in view.playbook.stages if s.number == self.number)
        self.heading.setText(_("Stage {number}: {name}").format(
            number=self.number, name=pick(stage.name)))
        for section in self.sections:
            section.show_view(view)


def _save_negotiation(db: Database, actor: Actor, incident_id: str, entry_id: str | None,
                      values: dict[str, Any]) -> str:
    from models.incidents.actions import save_negotiation

    return save_negotiation(db, actor, incident_id, entry_id, **values)


def _save_corrective(db: Database, actor: Actor, incident_id: str, entry_id: str | None,
                     values: dict[str, Any]) -> str:
    from models.incidents.actions import save_corrective_action

    return save_corrective_action(db, actor, incident_id, entry_id, **values)


def negotiations_table(ctrl: IncidentController) -> RowTable:
    return RowTable(
        ctrl, "negotiations", N_("Party"),
        [Column("party", N_("Party")),
         Column("position", N_("Position"), "text"),
         Column("agreement", N_("Agreement"), "text"),
         Column("next_step", N_("Next step"), "text")],
        lambda view: view.negotiations, _save_negotiation, "negotiation")


def corrective_table(ctrl: IncidentController) -> RowTable:
    return RowTable(
        ctrl, "corrective", N_("Corrective action"),
        [Column("description", N_("Corrective action"), "text"),
         Column("owner", N_("Owner")),
         Column("due", N_("Due"), "date"),
         Column("status", N_("Status"), "choice", CORRECTIVE_STATUSES)],
        lambda view: view.corrective, _save_corrective, "corrective",
        editable_when_archived=True)

