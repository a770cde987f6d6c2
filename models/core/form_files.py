"""A printed form written to a file by the command line's exports (`cases export`, `forms
export`, `forms sample`), with what of it the font could not print, so the command names each
character and field on stderr instead of leaving a 〓 on the paper to be found later."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from models.core.files import atomic_write_bytes

if TYPE_CHECKING:
    from forms.coverage import MissingGlyphs
    from forms.document import FormDocument


@dataclass(frozen=True)
class WrittenForm:
    """A PDF written, and each field of it holding characters printed as 〓."""

    path: Path
    missing: tuple[MissingGlyphs, ...]


def write_form(path: Path, doc: FormDocument, *, odf: bool = False) -> WrittenForm:
    """Render `doc` and write it atomically to `path` (replaced if there); *odf*: also as an
    ODF text document beside it (the same name, .odt: forms/odt.py), for an office that
    files ODF."""
    from forms.coverage import missing_glyphs
    from forms.render import render_pdf

    missing = missing_glyphs(doc)
    atomic_write_bytes(path, render_pdf(doc, missing))
    if odf:
        from forms.odt import render_odt

        atomic_write_bytes(path.with_suffix(".odt"), render_odt(doc))
    return WrittenForm(path, missing)
