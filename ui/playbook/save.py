"""What the two playbook editors (roster, content) share: saving an edited playbook as a new
version on the worker, staying open until the answer arrives, and asking before unsaved edits
are thrown away."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from i18n import _
from models.playbook.model import Playbook
from models.playbook.store import save_playbook
from models.playbook.versions import VersionInfo
from ui.runtime.context import AppContext
from ui.runtime.ops import Op


class PlaybookSaveDialog(QDialog):
    """Base of the dialogs that edit *playbook* (as of *version*) and save a new version.

    Subclasses provide ``is_modified()``, ``discard_question()`` and ``show_save_error()``.
    After a successful save, ``saved_version`` holds the new version and the save's Op has
    announced the change of the playbook (``ctx.data_changed``).
    """

    def __init__(self, ctx: AppContext, version: VersionInfo, playbook: Playbook,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.version = version
        self.playbook = playbook
        self.saved_version: VersionInfo | None = None
        self._saving = False

    def is_modified(self) -> bool:
        raise NotImplementedError

    def discard_question(self) -> str:
        raise NotImplementedError

    def show_save_error(self, exc: Exception) -> None:
        raise NotImplementedError

    def submit(self, name: str, playbook: Playbook, reason: str,
               handover_notes: Mapping[str, str] | None = None) -> None:
        """Save on the worker. The models refuse it if someone saved a newer version since."""
        actor, base = self.ctx.actor, self.version.id
        notes = dict(handover_notes or {})
        self._set_saving(True)
        Op(self.ctx, name,
           lambda db: save_playbook(db, actor, playbook, reason, base_version_id=base,
                                    handover_notes=notes),
           parent=self).on_done(self._saved).on_error(self._save_failed).run()

    def _set_saving(self, saving: bool) -> None:
        """While the worker saves, nothing is edited and the dialog stays open: the answer
        must find the dialog it belongs to (the playbook screen deletes it on close)."""
        self._saving = saving
        self.setEnabled(not saving)

    def _saved(self, info: VersionInfo) -> None:
        self._set_saving(False)
        self.saved_version = info
        self.accept()

    def _save_failed(self, exc: Exception) -> None:
        self._set_saving(False)
        self.show_save_error(exc)

    def reject(self) -> None:
        """Cancel, Esc or the window's close button: unsaved edits go only after asking."""
        if self._saving:
            return
        if self.is_modified() and QMessageBox.question(
            self,
            _("Discard changes?"),
            self.discard_question(),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        ) != QMessageBox.StandardButton.Discard:
            return
        super().reject()
