"""The drills screen's 公文 header of the month's drill: a badge that flags a drill marked 密
or above, and the button that opens the header's editor (ui/widgets/record_header.py) for the
planning group (models.drills.record_header)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from i18n import N_
from ui.runtime.context import AppContext
from ui.runtime.ops import Op
from ui.widgets.record_header import Opening, RecordHeaderBar, Store

if TYPE_CHECKING:
    from collections.abc import Callable

    from models.drills.queries import DrillInfo
    from models.playbook.records import RecordHeader
    from models.storage.db import Database


class DrillRecordHeader(RecordHeaderBar):
    """The header of the drill the screen shows (none: nothing to edit)."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, "drill", N_(
            "File number, retention, urgency and classification printed on the drill's forms"))
        self.drill_id = ""

    def show_drill(self, drill: DrillInfo | None) -> None:
        from models.drills.record_header import PERMISSION

        self.drill_id = drill.id if drill else ""
        self.show_record(drill.classification if drill else "",
                         drill is not None and self.ctx.actor.may(PERMISSION))

    def acts(self) -> tuple[Callable[[Database], Opening], Store]:
        drill_id, actor = self.drill_id, self.ctx.actor

        def read(db: Database) -> Opening:
            from models.drills.record_header import drill_header_rules

            return *drill_header_rules(db, drill_id), False  # a drill is no first-level case

        def store(chosen: RecordHeader, done: Callable[[object], None],
                  failed: Callable[[Exception], None]) -> None:
            def act(db: Database) -> RecordHeader:
                from models.drills.record_header import set_drill_header

                return set_drill_header(db, actor, drill_id, chosen)

            Op(self.ctx, "set_record_header", act, parent=self).on_done(done).on_error(
                failed).run()

        return read, store
