"""The status bar's sync indicator: the state in a few words (last sync, changes waiting,
errors, conflicts), every detail in its tooltip; a click opens the conflicts when there are
some, the shared folder's setting when there is none, and otherwise syncs now."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QToolButton, QWidget

from i18n import _
from ui.runtime.feedback import ERROR_STYLE
from ui.sync.controller import SyncController

if TYPE_CHECKING:
    from models.sync.run import SyncReport


class SyncStatusButton(QToolButton):
    """Signals:
        conflicts_requested(): the user clicked while conflicts wait.
        folder_requested(): the user clicked while no shared folder is set.
    """

    conflicts_requested = Signal()
    folder_requested = Signal()

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent, autoRaise=True)
        self.setObjectName("status_sync")
        self.controller = controller
        self._running = False
        controller.running.connect(self._on_running)
        controller.finished.connect(self._on_finished)
        self.clicked.connect(self._clicked)
        self.retranslate()

    def _on_running(self) -> None:
        self._running = True
        self.retranslate()

    def _on_finished(self, _report: SyncReport | None) -> None:
        self._running = False
        self.retranslate()

    def _clicked(self) -> None:
        report = self.controller.last
        if self.controller.folder is None:
            self.folder_requested.emit()
        elif report is not None and report.conflicts:
            self.conflicts_requested.emit()
        else:
            self.controller.sync_now()

    def retranslate(self) -> None:
        from_report = self.controller.last
        tz = self.controller.ctx.settings.timezone
        problem = False
        if self.controller.folder is None:
            text = _("Sync: no shared folder (Settings)")
            tip = _("Set the shared folder in Settings to share your work with the other PCs.")
        elif self._running:
            text, tip = _("Syncing…"), str(self.controller.folder)
        elif from_report is None:
            text, tip = _("Sync: not run yet"), str(self.controller.folder)
        else:
            from i18n.formatting import format_datetime  # here: not needed for the show
            from models.sync.status import describe, headline

            problem = not from_report.in_sync
            when = format_datetime(from_report.finished_at_time(), long=False, tz=tz)
            text = _("Sync {when}: {state}").format(when=when, state=headline(from_report))
            tip = "\n".join(describe(from_report))
        self.setText(text)
        self.setToolTip(tip)
        self.setStyleSheet(ERROR_STYLE if problem else "")
