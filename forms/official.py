"""The parts of a page that make a form read as a 公文 (文書處理手冊): the filing fields (檔號,
保存年限) at the top left above the office, the handling fields (速別, 密等及解密條件或保密期限)
under the title, and a classified record's marking at the top and bottom edge of every page.

Why the marking sits in the page margins rather than in the header: a sheet cut, folded or
copied short still shows it at one edge or the other, which is what the marking is for."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from forms.document import OfficialHeader
from forms.fonts import printable, register_fonts
from forms.style import PAGE_HEIGHT, PAGE_WIDTH, paragraph, styles

__all__ = ["ClassificationMarking", "filing_lines", "handling_lines"]

_MARKING_SIZE = 16
# Baselines of the marking, from the top and the bottom edge: inside the 15 and 12 mm margins.
_MARKING_FROM_TOP = 10 * mm
_MARKING_FROM_BOTTOM = 5 * mm
# The marking is boxed, as a stamp is: this far around the text.
_MARKING_PAD = 2.5


def _lines(pairs: tuple[tuple[str, str], ...]) -> list[Flowable]:
    """One line per field; the label carries its own colon ("檔號："), as the caller's
    language writes it."""
    return [paragraph(f"{label}{value}", styles().cell) for label, value in pairs]


def filing_lines(header: OfficialHeader | None) -> list[Flowable]:
    """"檔號：…" and "保存年限：…", one line each, for the top of the header."""
    return _lines(header.filing) if header else []


def handling_lines(header: OfficialHeader | None) -> list[Flowable]:
    """"速別：…" and "密等及解密條件或保密期限：…", one line each, under the title."""
    return _lines(header.handling) if header else []


@dataclass(frozen=True)
class ClassificationMarking:
    """A classified record's marking ("機密"), boxed and centred at both edges of a page."""

    text: str

    @classmethod
    def of(cls, header: OfficialHeader | None) -> ClassificationMarking | None:
        text = printable(header.marking).strip() if header else ""
        return cls(text) if text else None

    def draw(self, canvas: Canvas) -> None:
        font = register_fonts()
        width = canvas.stringWidth(self.text, font, _MARKING_SIZE)
        canvas.saveState()
        canvas.setFont(font, _MARKING_SIZE)
        for baseline in (PAGE_HEIGHT - _MARKING_FROM_TOP, _MARKING_FROM_BOTTOM):
            canvas.drawCentredString(PAGE_WIDTH / 2, baseline, self.text)
            canvas.rect(PAGE_WIDTH / 2 - width / 2 - _MARKING_PAD,
                        baseline - _MARKING_SIZE * 0.2 - _MARKING_PAD,
                        width + 2 * _MARKING_PAD, _MARKING_SIZE + 2 * _MARKING_PAD)
        canvas.restoreState()
