"""What the report and the evaluation tabs of a drill share: the drill on screen, one way to
run an act on it, and the red line for a refusal."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from ui.context import AppContext
from ui.feedback import error_label, show_at_field

if TYPE_CHECKING:
    from models.db import Database
    from models.people import Actor


class DrillPanel(QWidget):
    def __init__(self, ctx: AppContext, name: str) -> None:
        super().__init__(objectName=f"{name}_panel")
        self.ctx = ctx
        self.drill_id = ""
        self.error = error_label(f"{name}_error")

    def fields(self) -> Mapping[str, QWidget]:
        """A ValidationError's field -> the widget to show it at."""
        return {}

    def act(self, name: str, fn: Callable[[Database, Actor, str], Any]) -> None:
        """Run *fn(db, actor, drill_id)* on the worker; the Drills screen reloads after it,
        and a refusal shows at its field."""
        actor, drill_id = self.ctx.actor, self.drill_id
        self.error.hide()

        def failed(exc: Exception) -> None:
            show_at_field(self, exc, self.error, self.fields())
            self.error.show()

        self.ctx.worker.run(name, lambda db: fn(db, actor, drill_id),
                            lambda _result: self.ctx.data_changed.emit("drills"), failed)
