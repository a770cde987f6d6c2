"""The plumbing of the forms' ODF text documents (forms/odt.py): escaped XML text, pictures
and the verification QR code as PNG. The package, namespaces and properties are every ODF
file's (forms/odf_package.py)."""

from __future__ import annotations

import re
import struct
import zlib
from xml.sax.saxutils import escape

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.units import mm

from forms.fonts import printable
from forms.odf_package import ODF_VERSION, attrs, namespaces, xml_chars

__all__ = ["DOCUMENT_ROOT", "MIMETYPE", "clean", "inline", "paragraph", "picture", "qr_png",
           "to_mm"]

MIMETYPE = "application/vnd.oasis.opendocument.text"

DOCUMENT_ROOT = attrs({**namespaces("office", "style", "text", "table", "draw", "fo", "xlink",
                                    "svg"), "office:version": ODF_VERSION})
"""The root attributes of content.xml and styles.xml."""

_QR_PIXELS_PER_MODULE = 8
_QR_BORDER = 2


def to_mm(points: float) -> str:
    return f"{points / mm:.2f}mm"


def clean(text: str) -> str:
    """*text* as the PDF prints it (`printable`), less what XML 1.0 cannot hold."""
    return xml_chars(printable(text))


def inline(line: str) -> str:
    """One line of text, escaped, its runs of spaces kept (ODF collapses them otherwise)."""
    return re.sub(r" {2,}|^ | $", lambda m: f'<text:s text:c="{len(m.group())}"/>',
                  escape(line))


def paragraph(text: str, style: str) -> str:
    """*text* as one paragraph of *style*, its line breaks kept as line breaks."""
    lines = clean(text).split("\n")
    body = "<text:line-break/>".join(inline(line) for line in lines)
    return f'<text:p text:style-name="{style}">{body}</text:p>'


def picture(path: str, width: float, height: float) -> str:
    """A picture of the package, in a paragraph of its own, as a character."""
    return (f'<text:p text:style-name="Standard"><draw:frame text:anchor-type="as-char"'
            f' svg:width="{to_mm(width)}" svg:height="{to_mm(height)}">'
            f'<draw:image xlink:href="{path}" xlink:type="simple" xlink:show="embed"'
            ' xlink:actuate="onLoad"/></draw:frame></text:p>')


def qr_png(payload: str) -> bytes:
    """The verification QR code as a black-and-white PNG (level M, as the PDF's), written with
    zlib: 8 pixels per module, a quiet zone of two modules."""
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(payload)
    qr.make()
    modules = [[bool(m) for m in row] for row in qr.modules]
    count = len(modules) + 2 * _QR_BORDER
    side = count * _QR_PIXELS_PER_MODULE
    blank = [False] * count
    padded = [blank] * _QR_BORDER + [[False] * _QR_BORDER + row + [False] * _QR_BORDER
                                     for row in modules] + [blank] * _QR_BORDER
    raw = bytearray()
    for row in padded:
        line = bytes(0 if dark else 255 for dark in row for _i in range(_QR_PIXELS_PER_MODULE))
        raw += (b"\0" + line) * _QR_PIXELS_PER_MODULE

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b""))


