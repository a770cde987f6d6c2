"""The typeface of every printed form: the TW-Kai (全字庫正楷體) subset shipped in resources/,
embedded in the PDF, with Chinese line-breaking rules.

Why not reportlab's built-in CID font MSung-Light: it writes a Simplified-Chinese encoding that
poppler shows as nothing and MuPDF as wrong characters (DESIGN.md). A TrueType font embedded as
a subset shows the same on every viewer and printer.
"""

from __future__ import annotations

from functools import cache

from reportlab.lib import textsplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import paragraph

from models.resources import resource_path

KAI = "TWKai"
FONT_FILE = ("fonts", "TWKai-subset.ttf")
NO_LINE_START = "，；：？！》〉、。）」』"
"""Punctuation that must never begin a line; reportlab's own list lacks some of it."""


@cache
def register_fonts() -> str:
    """Register the Kai face with reportlab once; returns its name for setFont/ParagraphStyle."""
    pdfmetrics.registerFont(TTFont(KAI, str(resource_path(*FONT_FILE))))
    for module in (textsplit, paragraph):
        # Each module keeps its own copy of the list (the stubs do not declare it).
        current: str = getattr(module, "ALL_CANNOT_START")  # noqa: B009
        missing = "".join(c for c in NO_LINE_START if c not in current)
        if missing:
            setattr(module, "ALL_CANNOT_START", current + missing)  # noqa: B010
    return KAI
