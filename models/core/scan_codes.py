"""Reading the QR codes off the scan of a printed form (zxing-cpp), so the paper names the
record and the version it was printed from without anyone typing its code.

The scan is an untrusted file (a person chose it; it may come from the share): it is opened
only as the kinds a scanner writes (PDF, PNG, JPEG, TIFF: never a format Pillow would hand to
another program, such as EPS), its pixels are counted before they are decoded (a small file
can claim a huge image), a PDF is rendered page by page at a size bounded the same way, and
anything damaged is refused with the reason. Runs on the worker: decoding takes a moment.

Why a second and a third try: a scan at 150 dpi gives the 18 mm code about 2.5 pixels a
module, which a slight blur can bring below what the decoder finds; the same image enlarged,
or sharpened, is read where the original is not.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from i18n import N_
from models.core.errors import ValidationError

if TYPE_CHECKING:
    from PIL.Image import Image as Picture

MAX_PIXELS = 50_000_000
"""The largest picture opened: an A4 page scanned at 600 dpi (35 million pixels), an A3 one
at 400 dpi. Decoding it takes up to three bytes a pixel for a moment."""

_DECODE_PIXELS = 20_000_000
"""A larger picture is reduced to this size before the code is looked for (the code's
modules are still several pixels wide), so the decoder's copies stay small."""

PDF_MAX_PIXELS = 12_000_000
"""The largest rendering of a PDF page: an A3 page at PDF_DPI; a larger page (a PDF may
claim a page of 5 by 5 metres) is rendered smaller."""

PDF_PAGES = 2
"""The pages of a PDF looked at: every page of a form carries its code, so the first is
enough, the second is for a scan with a cover sheet."""

PDF_DPI = 200
"""How finely a PDF page is rendered for reading: enough for the code's modules."""

_ENLARGED_PIXELS = 40_000_000
"""An image is enlarged for the second try only up to this size."""

_IMAGE_FORMATS = ("PNG", "JPEG", "TIFF")

_DAMAGED_IMAGE = N_("The scan cannot be read: the file is damaged or not a picture.")
_DAMAGED_PDF = N_("The scan cannot be read: the file is damaged or not a PDF.")
_HUGE = N_("The scan is too large to read: a page may have at most {limit} million pixels.")


def read_codes(data: bytes, suffix: str) -> tuple[str, ...]:
    """The texts of the QR codes found on the scan *data* (a file named with *suffix*), in
    the order found, each once; empty when there are none. Raises ValidationError at the
    field "file" for a damaged, huge or disguised file."""
    pages: Iterable[Picture] = _pdf_pages(data) if suffix.lower() == ".pdf" else _image_pages(data)
    found: list[str] = []
    for page in pages:
        for text in _decode(page):
            if text not in found:
                found.append(text)
        if found:
            break
    return tuple(found)


def _decode(image: Picture) -> list[str]:
    """The QR texts zxing-cpp finds on *image*, trying it as it is, enlarged, then sharpened."""
    import zxingcpp
    from PIL import Image, ImageFilter

    def enlarged() -> Picture:
        return image.resize((image.width * 2, image.height * 2), Image.Resampling.BICUBIC)

    def sharpened() -> Picture:
        return image.filter(ImageFilter.UnsharpMask(2, 200, 0))

    tries: list[Callable[[], Picture]] = [lambda: image]
    if image.width * image.height * 4 <= _ENLARGED_PIXELS:
        tries.append(enlarged)
    tries.append(sharpened)
    qr = zxingcpp.barcode_formats_from_str("QRCode")
    for make in tries:
        results = zxingcpp.read_barcodes(make(), formats=qr)
        texts = [r.text for r in results if r.valid and r.text]
        if texts:
            return texts
    return []


def _image_pages(data: bytes) -> list[Picture]:
    """The frames (at most PDF_PAGES) of an image scan, in grey, each checked for its size
    before it is decoded."""
    from PIL import Image, UnidentifiedImageError

    frames: list[Picture] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=_IMAGE_FORMATS)
            for index in range(PDF_PAGES):
                # Frame by frame, never n_frames: counting walks every frame of the file (a
                # TIFF of 20 MB holds 180,000 tiny ones: minutes on the worker).
                if index and not _next_frame(image, index):
                    break
                _check_size(image.width, image.height)
                frame = image.convert("L")
                factor = math.ceil(math.sqrt(frame.width * frame.height / _DECODE_PIXELS))
                frames.append(frame.reduce(factor) if factor > 1 else frame)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError("file", _HUGE, limit=MAX_PIXELS // 1_000_000) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ValidationError("file", _DAMAGED_IMAGE) from exc
    return frames


def _next_frame(image: Picture, index: int) -> bool:
    """Whether *image* has a frame *index*, moved to it."""
    try:
        image.seek(index)
    except EOFError:
        return False
    return True


def _pdf_pages(data: bytes) -> Iterator[Picture]:
    """The first PDF_PAGES pages of a PDF scan rendered in grey at PDF_DPI (less for a page
    so large it would exceed PDF_MAX_PIXELS)."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise ValidationError("file", _DAMAGED_PDF) from exc
    try:
        for index in range(min(len(document), PDF_PAGES)):
            page = document[index]
            try:
                width_pt, height_pt = page.get_size()
                if not (0 < width_pt < 20_000 and 0 < height_pt < 20_000):
                    raise ValidationError("file", _DAMAGED_PDF)
                # 1% less than the bound allows: pdfium rounds each side up to a pixel
                scale = min(PDF_DPI / 72,
                            0.99 * (PDF_MAX_PIXELS / (width_pt * height_pt)) ** 0.5)
                yield page.render(scale=scale, grayscale=True).to_pil().convert("L")
            except pypdfium2.PdfiumError as exc:
                raise ValidationError("file", _DAMAGED_PDF) from exc
            finally:
                page.close()
    finally:
        document.close()


def _check_size(width: int, height: int) -> None:
    if width * height > MAX_PIXELS or width <= 0 or height <= 0:
        raise ValidationError("file", _HUGE, limit=MAX_PIXELS // 1_000_000)
