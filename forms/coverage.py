"""Which characters of a form the font cannot print, and in which field: what the window and
the command line name before a form goes out with a 〓 in it.

Why per field: "the font lacks 𡘙" does not tell a clerk where to look on a three-page case
file; "「參與人員」：𡘙 (U+21619)" does, and a name in a signature box is the case that matters
(a signed paper must carry the right name). The field is named the way the paper shows it: the
label of a field, the heading of a section, a table's heading, column and row, the role of a
signature box. The code point is given too, because the window's own font may lack the
character as well and the clerk may need to look it up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import assert_never

from forms.document import (
    Block,
    Chart,
    Checkboxes,
    FieldGrid,
    FormDocument,
    Signatures,
    Table,
    TextSection,
)
from forms.fonts import missing_characters
from i18n import _

__all__ = ["MissingGlyphs", "describe", "missing_glyphs"]


@dataclass(frozen=True)
class MissingGlyphs:
    """The characters of one field the form font lacks (each prints as 〓).

    `field` is what the reader of the paper sees, in the language the form was built in;
    `characters` are distinct, in order of first appearance."""

    field: str
    characters: str


def missing_glyphs(doc: FormDocument) -> tuple[MissingGlyphs, ...]:
    """Every field of `doc` holding a character the font lacks, in the order the form prints
    them. Empty when the form prints whole. The verification code is not looked at: it is
    made of Latin letters and digits (forms.verify)."""
    found: dict[str, str] = {}
    for field, text in _fields(doc):
        missing = missing_characters(text)
        if missing:  # a field named twice (two boxes of one role) is listed once
            found[field] = "".join(dict.fromkeys(found.get(field, "") + missing))
    return tuple(MissingGlyphs(field, chars) for field, chars in found.items())


def describe(missing: MissingGlyphs) -> str:
    """One line of a warning: the field, then each character with its code point,
    e.g. "「姓名」：𡘙 (U+21619)、𠀀 (U+20000)"."""
    # TRANSLATORS: between the items of a list (「、」 in Chinese).
    separator = _(", ")
    characters = separator.join(f"{char} (U+{ord(char):04X})" for char in missing.characters)
    return _("{field}: {characters}").format(field=missing.field, characters=characters)


def _fields(doc: FormDocument) -> Iterator[tuple[str, str]]:
    """(field as the reader sees it, its text) for every string the form prints."""
    yield _("Office name"), doc.office_name
    yield _("Form title"), doc.title
    if doc.draft:
        yield _("Draft mark"), doc.draft.word + doc.draft.notice
    if doc.header:
        for label, value in doc.header.filing + doc.header.handling:
            yield label, value
    for block in doc.blocks:
        yield from _block_fields(block)
    yield _("Footer note"), doc.footer_note
    yield _("Watermark"), doc.watermark or ""


def _block_fields(block: Block) -> Iterator[tuple[str, str]]:
    if isinstance(block, FieldGrid):
        for label, value in block.rows:
            yield _named(label), label + value
    elif isinstance(block, TextSection):
        yield _named(block.heading), block.heading + block.text
    elif isinstance(block, Table):
        yield _named(block.heading), block.heading
        for column in block.headers:
            yield _column(block.heading, column), column
        for number, row in enumerate(block.rows, start=1):
            for column, cell in zip(block.headers, row, strict=True):
                yield _cell(block.heading, column, number), cell
    elif isinstance(block, Checkboxes):
        yield _named(block.label), block.label + "".join(text for text, _ticked in block.options)
    elif isinstance(block, Signatures):
        for box in block.boxes:
            yield (_("Signature box: {role}").format(role=_named(box.role)),
                   box.role + box.name + box.date + box.deputy_for + box.signed_from)
    elif isinstance(block, Chart):
        # Named by its heading alone: its labels and figures are few and print twice.
        texts = (t for row in block.texts or () for t in row)
        yield _named(block.heading), "".join(
            (block.heading, *block.categories, *(name for name, _v in block.series), block.unit,
             *texts))
    else:
        assert_never(block)


def _named(label: str) -> str:
    return label.strip() or _("(untitled)")


def _column(table: str, column: str) -> str:
    if not table.strip():
        return _named(column)
    return _("{table}: {column}").format(table=table.strip(), column=_named(column))


def _cell(table: str, column: str, row: int) -> str:
    if not table.strip():
        return _("{column}, row {row}").format(column=_named(column), row=row)
    return _("{table}: {column}, row {row}").format(table=table.strip(), column=_named(column),
                                                     row=row)
