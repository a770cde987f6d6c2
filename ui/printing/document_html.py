"""A printed form (forms.document.FormDocument) as HTML for the screen: the archive shows the
very document the printer gets, so what one reads while searching and what one prints can
never differ. That includes its 公文 header (forms.official): the filing fields above the
title, the handling fields under it, and a classified record's marking boxed at the top and
the bottom, as on every page of the paper."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from forms.chart_figures import chart_header, chart_rows
from forms.deputies import signer_text
from forms.document import (
    Block,
    Chart,
    Checkboxes,
    FieldGrid,
    FormDocument,
    OfficialHeader,
    Signatures,
    Table,
    TextSection,
)
from i18n import _


CHART_URL = "chart:{index}"
"""Where the HTML of a document looks for the image of its n-th chart (counted from 0): the
screen showing it adds each image as a resource of its text document under this name."""


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br>") if value else "—"


def _table(headers: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    head = "".join(f"<th align='left'>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_text(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    if not body:
        return "<p>" + escape(_("(none)")) + "</p>"
    return (f"<table border='1' cellspacing='0' cellpadding='3' width='100%'>"
            f"<tr>{head}</tr>{body}</table>")


def _heading(text: str) -> str:
    return f"<h3>{escape(text)}</h3>" if text else ""


def _block(block: Block, charts: list[Chart]) -> str:
    if isinstance(block, Chart):
        url = CHART_URL.format(index=len(charts))
        charts.append(block)
        return (_heading(block.heading) + f"<p><img src='{url}'></p>"
                + _table(chart_header(block), chart_rows(block)))
    if isinstance(block, FieldGrid):
        return "<table cellpadding='2'>" + "".join(
            f"<tr><td valign='top'><b>{escape(k)}</b></td><td>{_text(v)}</td></tr>"
            for k, v in block.rows) + "</table>"
    if isinstance(block, TextSection):
        return _heading(block.heading) + f"<p>{_text(block.text)}</p>"
    if isinstance(block, Table):
        return _heading(block.heading) + _table(block.headers, block.rows)
    if isinstance(block, Checkboxes):
        ticked = "、".join(label for label, on in block.options if on) or "—"
        return f"<p><b>{escape(block.label)}</b> {escape(ticked)}</p>"
    if isinstance(block, Signatures):
        return _table([b.role for b in block.boxes], [[
            signer_text(b.role, b.name, b.deputy_for, b.deputy_title) for b in block.boxes]])
    raise TypeError(block)


def _fields(pairs: tuple[tuple[str, str], ...]) -> str:
    """Header lines, "檔號：…" one a line: the label carries its own colon, and its
    full-width spaces ("檔　　號") kept as the paper aligns them (HTML would fold them)."""
    return "<p style='white-space:pre-wrap'>" + "<br>".join(
        escape(label + value) for label, value in pairs) + "</p>" if pairs else ""


def _marking(header: OfficialHeader | None) -> str:
    """The classification, boxed and centred as the paper stamps it; "" for an open record."""
    if header is None or not header.marking.strip():
        return ""
    return ("<table align='center' border='1' cellspacing='0' cellpadding='4'><tr><td>"
            f"<span style='font-size:16pt'><b>{escape(header.marking)}</b></span>"
            "</td></tr></table>")


def document_html(doc: FormDocument) -> str:
    """The document as HTML; its charts are images named by CHART_URL, in their order, each
    with the table of its numbers under it as on paper."""
    charts: list[Chart] = []
    header = doc.header
    return (_marking(header) + _fields(header.filing if header else ())
            + f"<h2>{escape(doc.title)}</h2>" + _fields(header.handling if header else ())
            + "".join(_block(b, charts) for b in doc.blocks) + _marking(header))
