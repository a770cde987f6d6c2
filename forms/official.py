"""The parts of a page that make a form read as a 公文 (文書處理手冊): the filing fields (檔號,
保存年限) at the top left above the office, the handling fields (速別, 密等及解密條件或保密期限)
under the title, and a classified record's marking at the top and bottom edge of every page.

Why the marking sits in the page margins rather than in the header: a sheet cut, folded or
copied short still shows it at one edge or the other, which is what the marking is for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from forms.document import OfficialHeader
from forms.fonts import printable, register_fonts
from forms.style import PAGE_HEIGHT, PAGE_WIDTH, paragraph, styles

__all__ = ["ClassificationMarking", "MarkingBox", "filing_lines", "filing_texts",
           "handling_lines", "handling_texts"]

_MARKING_SIZE = 16
# How far the baseline sits above the bottom of the text, in font sizes.
_MARKING_DESCENT = 0.2
# Baselines of the marking, from the top and the bottom edge: inside the 15 and 12 mm margins.
_MARKING_FROM_TOP = 10 * mm
_MARKING_FROM_BOTTOM = 5 * mm
# The marking is boxed, as a stamp is: this far around the text.
_MARKING_PAD = 2.5


def _texts(pairs: tuple[tuple[str, str], ...]) -> list[str]:
    """One line per field; the label carries its own colon ("檔號："), as the caller's
    language writes it."""
    return [f"{label}{value}" for label, value in pairs]


def filing_texts(header: OfficialHeader | None) -> list[str]:
    """"檔號：…" and "保存年限：…", one line each, for the top of the header: the PDF's
    (filing_lines) and the ODF document's (forms/odt_page.py)."""
    return _texts(header.filing) if header else []


def handling_texts(header: OfficialHeader | None) -> list[str]:
    """"速別：…" and "密等及解密條件或保密期限：…", one line each, under the title."""
    return _texts(header.handling) if header else []


def filing_lines(header: OfficialHeader | None) -> list[Flowable]:
    """filing_texts as the PDF's paragraphs."""
    return [paragraph(text, styles().cell) for text in filing_texts(header)]


def handling_lines(header: OfficialHeader | None) -> list[Flowable]:
    """handling_texts as the PDF's paragraphs."""
    return [paragraph(text, styles().cell) for text in handling_texts(header)]


class MarkingBox(NamedTuple):
    """Where a marking's box sits, in points from the page's lower left corner."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class ClassificationMarking:
    """A classified record's marking ("機密"), boxed and centred at both edges of a page."""

    text: str
    size = _MARKING_SIZE
    """The marking's type size, in points (a class attribute, not a field)."""

    @classmethod
    def of(cls, header: OfficialHeader | None) -> ClassificationMarking | None:
        text = printable(header.marking).strip() if header else ""
        return cls(text) if text else None

    def boxes(self) -> tuple[MarkingBox, MarkingBox]:
        """The boxes at the top and at the bottom edge, the text centred in each: the PDF
        draws them (draw) and the ODF document places its frames on them."""
        width = stringWidth(self.text, register_fonts(), _MARKING_SIZE)

        def around(baseline: float) -> MarkingBox:
            return MarkingBox(PAGE_WIDTH / 2 - width / 2 - _MARKING_PAD,
                              baseline - _MARKING_SIZE * _MARKING_DESCENT - _MARKING_PAD,
                              width + 2 * _MARKING_PAD, _MARKING_SIZE + 2 * _MARKING_PAD)

        return around(PAGE_HEIGHT - _MARKING_FROM_TOP), around(_MARKING_FROM_BOTTOM)

    def draw(self, canvas: Canvas) -> None:
        canvas.saveState()
        canvas.setFont(register_fonts(), _MARKING_SIZE)
        for box in self.boxes():
            baseline = box.y + _MARKING_PAD + _MARKING_SIZE * _MARKING_DESCENT
            canvas.drawCentredString(PAGE_WIDTH / 2, baseline, self.text)
            canvas.rect(*box)
        canvas.restoreState()
