"""The drills screen's 公文 header of the month's drill: a badge that flags a drill marked 密
or above, and the button that opens the header's editor (ui/widgets/record_header.py) for the
planning group (models.drills.record_header)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from i18n import _
from ui.runtime.context import AppContext
from ui.runtime.naming import named
from ui.runtime.ops import Op
from ui.widgets.record_header import CLASSIFIED_STYLE, RecordHeaderDialog, marked

if TYPE_CHECKING:
    from collections.abc import Callable

    from models.drills.queries import DrillInfo
    from models.playbook.records import RecordHeader, RecordRules
    from models.storage.db import Database


class DrillRecordHeader(QWidget):
    """`dialog` is the editor last opened (for the tests)."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.drill_id = ""
        self.badge = named(QLabel(), "drill_classification")
        self.badge.setStyleSheet(CLASSIFIED_STYLE)
        self.badge.hide()
        self.button = named(QPushButton(), "drill_record_header")
        self.button.clicked.connect(self.edit)
        self.button.setEnabled(False)
        self.dialog: RecordHeaderDialog | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.badge)
        layout.addWidget(self.button)

    def retranslate(self) -> None:
        self.button.setText(_("Document header…"))
        self.button.setToolTip(_("File number, retention, urgency and classification printed "
                                 "on the drill's forms"))

    def show_drill(self, drill: DrillInfo | None) -> None:
        from models.drills.record_header import PERMISSION

        self.drill_id = drill.id if drill else ""
        flag = marked("", drill.classification).strip() if drill else ""
        self.badge.setText(flag)
        self.badge.setVisible(bool(flag))
        self.button.setEnabled(drill is not None and self.ctx.actor.may(PERMISSION))

    def edit(self) -> None:
        """Read the stored header on the worker, then open its editor."""
        drill_id = self.drill_id

        def read(db: Database) -> tuple[RecordHeader, RecordRules]:
            from models.drills.record_header import drill_header_rules

            return drill_header_rules(db, drill_id)

        self.ctx.worker.run("read_record_header", read,
                            lambda found: self._open(drill_id, *found))

    def _open(self, drill_id: str, header: RecordHeader, rules: RecordRules) -> None:
        actor = self.ctx.actor

        def store(chosen: RecordHeader, done: Callable[[object], None],
                  failed: Callable[[Exception], None]) -> None:
            def act(db: Database) -> RecordHeader:
                from models.drills.record_header import set_drill_header

                return set_drill_header(db, actor, drill_id, chosen)

            Op(self.ctx, "set_record_header", act, parent=self).on_done(done).on_error(
                failed).run()

        self.dialog = RecordHeaderDialog(self, header, store, rules)
        self.dialog.open()
