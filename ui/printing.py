"""Printing a form: rendered to PDF on the database worker (the GUI thread never waits for
reportlab), kept in the data folder's printouts/, and shown in the print preview
(ui/dialogs/print_preview.py), from which the user prints, saves a copy or opens the PC's PDF
viewer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from i18n import N_
from ui.context import AppContext
from ui.dialogs.print_preview import PrintPreviewDialog

if TYPE_CHECKING:
    from models.db import Database

FORMS = {"notification": N_("Notification form"), "case_file": N_("Case file"),
         "activity_log": N_("Activity log")}
PRINTOUTS = "printouts"


class FormPrinter(QObject):
    """Renders a form and shows it in a print preview over *parent*.

    Signals:
        previewed(object): the PDF was written to printouts/ and this PrintPreviewDialog
            shows it (its ``path``).
    """

    previewed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.host = parent

    def print_pdf(self, make: Callable[[Database], tuple[str, bytes]]) -> None:
        """Run *make(db)* on the worker (it gives a file name stem and the PDF), keep the PDF
        in printouts/ under a name not yet taken, and show it in the print preview."""
        folder = self.ctx.data_dir / PRINTOUTS

        def render(db: Database) -> tuple[Path, bytes]:
            from models.files import atomic_write_bytes, unique_path

            stem, data = make(db)
            folder.mkdir(parents=True, exist_ok=True)
            path = unique_path(folder, stem, ".pdf")
            atomic_write_bytes(path, data)
            return path, data

        self.ctx.worker.run("print_form", render, self._done)

    def print_form(self, incident_id: str, kind: str) -> None:
        """One of an incident's forms (*kind*: a key of FORMS)."""
        office_code, tz = self.ctx.settings.office_code, self.ctx.settings.timezone

        def make(db: Database) -> tuple[str, bytes]:
            from models.db import utcnow
            from models.incident_print import render as render_form
            from models.incident_queries import incident_view
            from models.units import list_units

            view = incident_view(db, incident_id, utcnow(), 0)
            units = {u.key: u.name for u in list_units(db, office_code, include_inactive=True)}
            return f"{view.number}-{kind}", render_form(kind, view, units, tz)

        self.print_pdf(make)

    def _done(self, result: tuple[Path, bytes]) -> None:
        path, data = result
        dialog = PrintPreviewDialog(self.ctx, path, data, self.host)
        dialog.show()
        self.previewed.emit(dialog)
