"""Printing a form: rendered to PDF on the database worker (the GUI thread never waits for
reportlab), kept in the data folder's printouts/, and shown in the print preview
(ui/printing/preview.py), from which the user prints, saves a copy or opens the PC's PDF
viewer.

Why the first page is rasterized in the same job as the rendering: the preview then opens
with that page on it, rather than opening empty and asking the worker again (behind whatever
database work was queued meanwhile); the other pages are rasterized as they come into view.

A form holding characters the font lacks (they would print as 〓) is found on the worker with
the rendering; before its preview opens the user is told which characters, in which fields,
and goes back to change the text or prints anyway (ui/printing/missing_glyphs.py). Only a form
the user chose to print is kept in printouts/. The form itself goes to the preview with its
PDF, so that it can be saved as an ODF text document too (forms/odt.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from i18n import N_
from ui.printing.preview import PrintPreviewDialog, preview_dpi
from ui.printing.record_header import of_incident
from ui.runtime.context import AppContext
from ui.runtime.ops import Op

if TYPE_CHECKING:
    from forms.coverage import MissingGlyphs
    from forms.document import FormDocument, OfficialHeader
    from models.storage.db import Database
    from ui.printing.page_images import PreviewStart

FORMS = {"notification": N_("Notification form"), "case_file": N_("Case file"),
         "activity_log": N_("Activity log")}
PRINTOUTS = "printouts"


@dataclass(frozen=True)
class _Kept:
    """A PDF written to `path`, and its preview's first page."""

    path: Path
    start: PreviewStart


@dataclass(frozen=True)
class _Rendered:
    """A form rendered on the worker: kept, or not yet (None) when `missing` asks the user
    first."""

    stem: str
    pdf: bytes
    missing: tuple[MissingGlyphs, ...]
    kept: _Kept | None
    doc: FormDocument


def _keep_and_start(folder: Path, stem: str, pdf: bytes, dpi: float) -> _Kept:
    """On the worker: the PDF kept in *folder*, and its preview's first page at *dpi*."""
    from ui.printing.page_images import first_page

    return _Kept(_keep(folder, stem, pdf), first_page(pdf, dpi))


def _keep(folder: Path, stem: str, pdf: bytes) -> Path:
    """Write *pdf* into *folder* under a name not yet taken (on the worker: it is disk I/O)."""
    from models.core.files import atomic_write_bytes, unique_path

    folder.mkdir(parents=True, exist_ok=True)
    path = unique_path(folder, stem, ".pdf")
    atomic_write_bytes(path, pdf)
    return path


class FormPrinter(QObject):
    """Renders a form and shows it in a print preview over *parent*.

    Signals:
        previewed(object): the PDF was written to printouts/ and this PrintPreviewDialog
            shows it (its ``path``).
        warned(object): the form holds characters the font lacks; this MissingGlyphsBox
            (open, window-modal) names them and asks whether to print anyway.
    """

    previewed = Signal(object)
    warned = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.host = parent

    @property
    def folder(self) -> Path:
        return self.ctx.data_dir / PRINTOUTS

    def print_document(self, make: Callable[[Database], tuple[str, FormDocument]],
                       header: Callable[[Database], OfficialHeader] | None = None) -> None:
        """Run *make(db)* on the worker (it gives a file name stem and the form), render the
        form there and look for characters its font lacks; then preview it, or warn first.
        *header(db)*, for a form printed from a record (ui/printing/record_header.py), gives
        the 公文 header and classification the form carries."""
        folder, dpi = self.folder, preview_dpi(self.host)

        def render(db: Database) -> _Rendered:
            from dataclasses import replace

            from forms.coverage import missing_glyphs
            from forms.render import render_pdf

            stem, doc = make(db)
            if header is not None:
                doc = replace(doc, header=header(db))
            missing = missing_glyphs(doc)
            pdf = render_pdf(doc, missing)
            kept = None if missing else _keep_and_start(folder, stem, pdf, dpi)
            return _Rendered(stem, pdf, missing, kept, doc)

        Op(self.ctx, "print_form", render).on_done(self._rendered).run()

    def print_form(self, incident_id: str, kind: str) -> None:
        """One of an incident's forms (*kind*: a key of FORMS)."""
        office_code, tz = self.ctx.settings.office_code, self.ctx.settings.timezone

        def make(db: Database) -> tuple[str, FormDocument]:
            from models.incidents.print import BUILDERS
            from models.incidents.queries import incident_view
            from models.org.units import list_units
            from models.storage.db import utcnow

            view = incident_view(db, incident_id, utcnow(), 0)
            units = {u.key: u.name for u in list_units(db, office_code, include_inactive=True)}
            return f"{view.number}-{kind}", BUILDERS[kind](view, units, tz)

        self.print_document(make, of_incident(incident_id))

    def _rendered(self, rendered: _Rendered) -> None:
        if rendered.kept is not None:
            self._preview(rendered, rendered.kept)
            return
        from ui.printing.missing_glyphs import MissingGlyphsBox

        box = MissingGlyphsBox(rendered.missing, self.host)
        box.print_anyway.clicked.connect(lambda: self._print_anyway(rendered))
        box.open()
        self.warned.emit(box)

    def _print_anyway(self, rendered: _Rendered) -> None:
        folder, dpi = self.folder, preview_dpi(self.host)
        Op(self.ctx, "keep_printout",
           lambda _db: _keep_and_start(folder, rendered.stem, rendered.pdf, dpi)
           ).on_done(lambda kept: self._preview(rendered, kept)).run()

    def _preview(self, rendered: _Rendered, kept: _Kept) -> None:
        dialog = PrintPreviewDialog(self.ctx, kept.path, rendered.pdf, kept.start, self.host,
                                    doc=rendered.doc)
        dialog.show()
        self.previewed.emit(dialog)
