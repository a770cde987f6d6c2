"""The incident window's 公文 header: a badge that flags a case marked 密 or above beside its
title, and the button that opens the header's editor (ui/widgets/record_header.py) for the
commander or the executive secretary (models.incidents.record_header)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from i18n import _
from ui.incidents.controller import IncidentController
from ui.runtime.naming import named
from ui.widgets.record_header import CLASSIFIED_STYLE, RecordHeaderDialog, marked

if TYPE_CHECKING:
    from collections.abc import Callable

    from models.incidents.queries import IncidentView
    from models.org.people import Actor
    from models.playbook.records import RecordHeader
    from models.storage.db import Database


class IncidentRecordHeader(QWidget):
    """`dialog` is the editor last opened (for the tests)."""

    def __init__(self, ctrl: IncidentController) -> None:
        super().__init__()
        self.ctrl = ctrl
        self.badge = named(QLabel(), "incident_classification")
        self.badge.setStyleSheet(CLASSIFIED_STYLE)
        self.badge.hide()
        self.button = named(QPushButton(), "incident_record_header")
        self.button.clicked.connect(self.edit)
        self.dialog: RecordHeaderDialog | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.badge)
        layout.addWidget(self.button)

    def retranslate(self) -> None:
        self.button.setText(_("Document header…"))
        self.button.setToolTip(_("File number, retention, urgency and classification printed "
                                 "on the incident's forms"))

    def show_view(self, view: IncidentView) -> None:
        from models.incidents.record_header import PERMISSION

        flag = marked("", view.classification).strip()
        self.badge.setText(flag)
        self.badge.setVisible(bool(flag))
        self.button.setEnabled(view.status == "open"
                               and self.ctrl.ctx.actor.may(PERMISSION))

    def edit(self) -> None:
        """Read the stored header on the worker, then open its editor."""
        incident_id = self.ctrl.incident_id

        def read(db: Database) -> RecordHeader:
            from models.incidents.record_header import incident_header

            return incident_header(db, incident_id)

        self.ctrl.ctx.worker.run("read_record_header", read,
                                 lambda header: self._open(incident_id, header))

    def _open(self, incident_id: str, header: RecordHeader) -> None:
        from models.incidents.record_header import most_serious

        shown = self.ctrl.view  # the case on screen: its playbook and level give the rule
        view = shown if shown is not None and shown.id == incident_id else None

        def store(chosen: RecordHeader, done: Callable[[object], None],
                  failed: Callable[[Exception], None]) -> None:
            def act(db: Database, actor: Actor) -> RecordHeader:
                from models.incidents.record_header import set_incident_header

                return set_incident_header(db, actor, incident_id, chosen)

            self.ctrl.act(act, done, failed)

        self.dialog = RecordHeaderDialog(
            self, header, store, view.playbook.records if view else None,
            view is not None and most_serious(view.playbook, view.level_key))
        self.dialog.open()
