"""Checks of the printing conventions of issue 20 that every form must pass, shared by the tests
of the sample forms and of the forms no sample covers: one date style per kind of place (the
long one in fields, the short one in tables, never a third), and the text of a rendered PDF
line by line."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from html import unescape

from forms.document import (
    Chart,
    Checkboxes,
    FieldGrid,
    FormDocument,
    Signatures,
    Table,
    TextSection,
)
from i18n import current_language

# Dates as i18n.formatting writes them, and styles a program might write but it never does (a
# third style). A date a person typed into a record ("自111年4月1日起") prints as they typed it.
_STYLES = {
    "zh_TW": {
        "long": r"民國\d{2,3}年\d{1,2}月\d{1,2}日",
        "short": r"(?<![\d/])\d{2,3}/\d{2}/\d{2}(?![\d/])",
        "third": r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|(?<!\d)\d{2,3}\.\d{1,2}\.\d{1,2}(?!\d)",
    },
    "en": {
        "long": r"\b[A-Z][a-z]{2} \d{1,2}, \d{4}\b",
        "short": r"\b\d{4}-\d{2}-\d{2}\b",
        "third": r"\b\d{4}/\d{1,2}/\d{1,2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|民國|ROC \d"
                 r"|\b\d{1,2} [A-Z][a-z]{2,8} \d{4}\b",
    },
}


def texts(doc: FormDocument) -> Iterator[tuple[str, str, str]]:
    """(where, "field" or "table", text) of every text the form prints: a table's cells (and
    a chart's figures) are table texts, everything else is read as a field."""
    yield "title", "field", doc.title
    yield "identity", "field", doc.identity
    yield "footer", "field", doc.footer_note
    for n, block in enumerate(doc.blocks):
        where = f"block {n} ({type(block).__name__})"
        if isinstance(block, FieldGrid):
            for label, value in block.rows:
                yield f"{where} {label}", "field", value
        elif isinstance(block, TextSection):
            yield where, "field", block.heading
            yield where, "field", block.text
        elif isinstance(block, Checkboxes):
            for label, _ticked in block.options:
                yield where, "field", label
        elif isinstance(block, Signatures):
            for box in block.boxes:
                for text in (box.role, box.name, box.date, box.deputy_for, box.signed_from):
                    yield f"{where} {box.role}", "field", text
        elif isinstance(block, Table):
            yield where, "field", block.heading
            for row in block.rows:
                for cell in row:
                    yield f"{where} {block.heading}", "table", cell
        elif isinstance(block, Chart):
            yield where, "field", block.heading
            for row in block.texts or ():
                for cell in row:
                    yield f"{where} {block.heading}", "table", cell


def date_style_faults(doc: FormDocument) -> list[str]:
    """Where `doc` prints a date in a style other than its place's: a short date in a field,
    a long one in a table, or a style i18n.formatting never writes, in the current language."""
    styles = _STYLES[current_language()]
    faults = []
    for where, place, text in texts(doc):
        wrong = "short" if place == "field" else "long"
        for style in (wrong, "third"):
            for found in re.findall(styles[style], text):
                faults.append(f"{doc.title}: {where}: {style} date {found!r} in a {place}")
    return faults


def pdf_lines(pdf: bytes) -> list[tuple[int, str]]:
    """(page, text) of every line poppler finds in `pdf` (each cell's lines apart from its
    neighbours', as `pdftotext -bbox-layout` groups them)."""
    html = subprocess.run(["pdftotext", "-bbox-layout", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode("utf-8")
    lines = []
    for number, page in enumerate(html.split("<page ")[1:], start=1):
        for line in re.findall(r"<line[^>]*>(.*?)</line>", page, re.S):
            words = re.findall(r"<word[^>]*>([^<]*)</word>", line)
            lines.append((number, unescape(" ".join(words))))
    return lines
