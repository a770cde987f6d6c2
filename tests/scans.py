"""Scans of printed forms as a scanner makes them, for the signed-scan tests: the form
rendered at 150 dpi, turned slightly on the glass and a little out of focus."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
from PIL import Image, ImageFilter

from forms.document import FormDocument
from forms.render import render_pdf


def scan_of(doc: FormDocument, path: Path, angle: float = 2.5, blur: float = 0.8,
            dpi: int = 150) -> Path:
    """*doc*'s first page printed and scanned at *dpi* into *path* (its suffix says the
    kind: .png, .jpg, .tif or .pdf), turned by *angle* degrees and blurred by *blur* pixels."""
    return scan_of_pdf(render_pdf(doc), path, angle, blur, dpi)


def scan_of_pdf(pdf: bytes, path: Path, angle: float = 2.5, blur: float = 0.8,
                dpi: int = 150) -> Path:
    """The same of a printout the app kept (*pdf*), at *dpi* where a test says."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        document.close()
    turned = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    scanned = turned.filter(ImageFilter.GaussianBlur(blur))
    if path.suffix == ".pdf":
        scanned.save(path, "PDF", resolution=dpi)
    else:
        scanned.save(path, dpi=(dpi, dpi))
    return path


def blank_scan(path: Path) -> Path:
    """A scan with no code on it (a page scanned from its wrong side), as a real PDF or
    picture: what the typed code is for."""
    Image.new("L", (124, 175), 255).save(path, "PDF" if path.suffix == ".pdf" else None)
    return path
