"""Issue 20's ODF export attacked with what a record may hold (typed by a user, or synced
from another PC): every part of the package stays XML a strict parser reads, whatever text
fills any block, the chart's picture and the 公文 header included."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

import pytest

from forms.document import (
    Chart,
    Checkboxes,
    DraftMark,
    FieldGrid,
    FormDocument,
    OfficialHeader,
    SignatureBox,
    Signatures,
    Table,
    TextSection,
)
from forms.odt import render_odt
from forms.verify import verification

HOSTILE = {
    "controls": "\x00\x01\x1b\x7f控制",
    "lone-surrogate": "\ud800孤",
    "non-characters": "\ufffe\uffff非字元",
    "cdata-end": "]]>結尾",
    "odf-markup": "<text:p xmlns:text='urn:oasis:names:tc:opendocument:xmlns:text:1.0'>x"
                  "</text:p>",
    "entities": "&amp;&lt;&",
    "bidi": "\u202egpj.exe",
    "separators": "a\u2028b\u2029c\x85d",
    "quotes": "'\"",
    "newline-flood": "\n" * 200,
}


def _every_part(text: str) -> FormDocument:
    """A form whose every text, in every kind of block, is *text*."""
    return FormDocument(
        text, text,
        (FieldGrid(((text, text),)), Checkboxes(text, ((text, True),)),
         TextSection(text, text), Table(text, (text,), ((text,),)),
         Chart(text, "bars", (text, "x"), ((text, (1.0, 2.0)),), unit=text),
         Chart(text, "stacked", (text, "x"), ((text, (1.0, 2.0)),), unit=text),
         Chart(text, "heatmap", (text, "x"), ((text, (1.0, 2.0)),), unit=text,
               texts=((text, text),)),
         Signatures((SignatureBox(text, text, text, text, text, text),))),
        verification("notification", "case-7", 1, {"text": "v1"}), watermark=text,
        footer_note=text, draft=DraftMark(text, text),
        header=OfficialHeader(((text, text),), ((text, text),), text), identity=text)


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_every_part_of_the_package_is_xml_whatever_the_text(text: str) -> None:
    package = zipfile.ZipFile(io.BytesIO(render_odt(_every_part(text))))
    parts = [n for n in package.namelist() if n.endswith((".xml", ".svg"))]
    assert {"content.xml", "styles.xml", "Pictures/chart1.svg"} <= set(parts)
    for name in parts:
        ElementTree.fromstring(package.read(name))  # raises on any part not well-formed
