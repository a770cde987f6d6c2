"""What a printed form says, as plain frozen data: the one input of `forms.render.render_pdf`.

Why a data model rather than one drawing function per form: the notification form, the case
file, the activity log and the drill report differ only in which blocks they stack, so every
form shares one layout (and one set of fixes), and a form is built, compared and tested without
drawing anything.

Every string is final text in the reader's language: the caller translates labels and formats
dates (ROC dates in Chinese); this module translates nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TypeAlias

__all__ = [
    "Block",
    "CHART_KINDS",
    "Chart",
    "Checkboxes",
    "DraftMark",
    "FieldGrid",
    "FormDocument",
    "OfficialHeader",
    "Signatures",
    "SignatureBox",
    "Table",
    "TextSection",
    "Verification",
]


@dataclass(frozen=True)
class FieldGrid:
    """Label/value pairs in ruled cells, the label cell shaded.

    `columns=2` puts two pairs side by side, for short fields (dates, case numbers); long values
    wrap inside their cell and may continue on the next page.
    """

    rows: tuple[tuple[str, str], ...]
    columns: int = 1

    def __post_init__(self) -> None:
        if self.columns not in (1, 2):
            raise ValueError(f"a field grid has 1 or 2 columns, not {self.columns}")


@dataclass(frozen=True)
class TextSection:
    """A shaded heading over long free text; each line of `text` starts a new paragraph."""

    heading: str
    text: str


@dataclass(frozen=True)
class Table:
    """A ruled table whose header row repeats on every page it spans.

    `widths` are relative column widths (any positive numbers; they are scaled to the page),
    equal when omitted; a column is never printed narrower than two characters, so about
    sixteen columns fit across the page. A table without rows prints one "(none)" row, so an
    empty list reads as "nothing to record" rather than as a form someone forgot to fill in.
    """

    heading: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        if not self.headers:
            raise ValueError("a table needs at least one column")
        for row in self.rows:
            if len(row) != len(self.headers):
                raise ValueError(
                    f"row {row!r} has {len(row)} cells for {len(self.headers)} columns")
        if self.widths is not None and (
            len(self.widths) != len(self.headers) or min(self.widths) <= 0
        ):
            raise ValueError(f"widths {self.widths!r} must be one positive number per column")


@dataclass(frozen=True)
class Checkboxes:
    """A labelled set of options printed as ticked (☑) or empty (☐) boxes."""

    label: str
    options: tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class SignatureBox:
    """One signer's box: the printed role, the name and date when known, and room to sign.

    `deputy_for` names the absent post holder when a deputy (職務代理人) signs instead; the box
    then prints the holder and the deputy (titled `deputy_title`, when known) with 代行, as
    公文程式條例 has it (forms.deputies).
    """

    role: str
    name: str = ""
    date: str = ""
    deputy_for: str = ""
    signed_from: str = ""
    """Where the signature was made, as the office enrolled the PC (login and PC name): a
    Windows account taken over shows on paper (docs/trust.md)."""
    deputy_title: str = ""


@dataclass(frozen=True)
class Signatures:
    """A row (or rows, when there are many) of signature boxes, kept together on one page."""

    boxes: tuple[SignatureBox, ...]

    def __post_init__(self) -> None:
        if not self.boxes:
            raise ValueError("a signature block needs at least one box")


CHART_KINDS = ("bars", "stacked", "heatmap")
"""What a Chart draws: "bars", the series side by side in each category; "stacked", the series
piled up in one bar per category; "heatmap", a grid of series (rows) by categories (columns),
each cell the darker the larger its value."""


@dataclass(frozen=True)
class Chart:
    """Numbers as a chart under a shaded heading, with the same numbers in a ruled table
    under it: a reader checks a bar against its figure, and the figures survive a photocopy
    that greys the chart out.

    Each series is (name, one value per category); in a heatmap each series is a row. `unit`
    ("件", "分鐘") heads the value axis of bars and the first column of the table. `texts`,
    when given, are what the table and the heatmap's cells print for each value (same shape
    as the values), for figures that need their own format; otherwise whole numbers print
    without decimals, others rounded half up to one.
    """

    heading: str
    kind: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    unit: str = ""
    texts: tuple[tuple[str, ...], ...] | None = None

    def __post_init__(self) -> None:
        if self.kind not in CHART_KINDS:
            raise ValueError(f"a chart is one of {', '.join(CHART_KINDS)}, not {self.kind!r}")
        if not self.categories:
            raise ValueError("a chart needs at least one category")
        if not self.series:
            raise ValueError("a chart needs at least one series")
        for name, values in self.series:
            if len(values) != len(self.categories):
                raise ValueError(f"series {name!r} has {len(values)} values for "
                                 f"{len(self.categories)} categories")
            if not all(math.isfinite(v) and v >= 0 for v in values):
                raise ValueError(f"series {name!r} has a value that is negative or not a "
                                 f"number: {values!r}")
        if self.texts is not None and (
            len(self.texts) != len(self.series)
            or any(len(row) != len(self.categories) for row in self.texts)
        ):
            raise ValueError("texts must hold one text per value, series by series")


Block: TypeAlias = FieldGrid | TextSection | Table | Checkboxes | Signatures | Chart


@dataclass(frozen=True)
class Verification:
    """The code printed on every page and the QR payload that carries it (see forms.verify)."""

    code: str
    qr_payload: str


@dataclass(frozen=True)
class DraftMark:
    """What marks a form nobody may sign yet (a report not submitted, say), so a draft left on
    the printer is never taken for the paper to sign.

    `word` ("草稿") is a second watermark line under the form's own and fills the signing space
    of every signature box; `notice` ("草稿 DRAFT — 未簽報，不得簽核") is a banner under the title
    on every page.
    """

    word: str
    notice: str


@dataclass(frozen=True)
class OfficialHeader:
    """The header fields of a 公文 (文書處理手冊): `filing` (檔號, 保存年限) printed at the top
    left above the office, as a 函 has them; `handling` (速別, 密等及解密條件或保密期限) under
    the title. Each is (label, value), final text.

    `marking` is the classification (密, 機密, ...) of a record marked 密 or above, printed at
    the top and bottom of every page so that no sheet of it passes for an open one; empty
    for an open record."""

    filing: tuple[tuple[str, str], ...]
    handling: tuple[tuple[str, str], ...]
    marking: str = ""


@dataclass(frozen=True)
class FormDocument:
    """A whole form: the office and title that head every page, the blocks in order, and the
    verification, watermark (e.g. "演練" on drill documents) and footer note printed on every
    page. `draft` marks a form that must not be signed (see DraftMark); `header` carries the
    公文 header fields and classification of the record printed (see OfficialHeader).

    `identity` names the record the form shows ("案號 基隆關-115-0007", "演練月份 民國115年12月，
    業務一組"): the foot of every page prints it with the form's title and verification code,
    so a sheet separated from the others can be matched to its record and version, as a seal
    across the sheets (騎縫章) would."""

    office_name: str
    title: str
    blocks: tuple[Block, ...]
    verification: Verification | None
    watermark: str | None = None
    footer_note: str = ""
    draft: DraftMark | None = None
    header: OfficialHeader | None = None
    identity: str = ""
