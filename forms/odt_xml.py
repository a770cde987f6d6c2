"""The plumbing of the forms' ODF text documents (forms/odt.py): escaped XML text, pictures,
the verification QR code as PNG, and the package (zip, manifest, properties).

Why the standard library: as for forms/spreadsheet.py, odfdo would bring lxml into the
PyInstaller bundle, which has no room left under its size limit.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.units import mm

from appinfo.meta import APP_NAME, VERSION
from forms.fonts import printable
from forms.spreadsheet import ODF_VERSION

__all__ = ["MIMETYPE", "NAMESPACES", "XML_DECLARATION", "attrs", "clean", "inline",
           "namespaces", "paragraph", "picture", "qr_png", "to_mm", "write_package",
           "xml_chars"]

MIMETYPE = "application/vnd.oasis.opendocument.text"


NAMESPACES = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
}


_MANIFEST_NS = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"


XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


# What XML 1.0 can hold (its production "Char"), as in forms/spreadsheet.py.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


_QR_PIXELS_PER_MODULE = 8


_QR_BORDER = 2


def to_mm(points: float) -> str:
    return f"{points / mm:.2f}mm"


def attrs(attributes: dict[str, str]) -> str:
    return "".join(f' {name}="{escape(value, {chr(34): "&quot;"})}"'
                   for name, value in attributes.items())


def namespaces(*prefixes: str) -> dict[str, str]:
    return {f"xmlns:{prefix}": NAMESPACES[prefix] for prefix in prefixes}


def clean(text: str) -> str:
    """*text* as the PDF prints it (`printable`), less what XML 1.0 cannot hold."""
    return xml_chars(printable(text))


def xml_chars(text: str) -> str:
    """*text* less what XML 1.0 cannot hold: for XML another library wrote (the chart's SVG),
    whose escaping leaves such characters in (U+FFFE in a category made the picture one no
    XML parser reads)."""
    return _NOT_XML.sub("", text)


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


def meta_xml(title: str, creator: str, created: datetime) -> str:
    root = attrs({**namespaces("office", "meta", "dc"), "office:version": ODF_VERSION})
    when = escape(created.replace(microsecond=0).isoformat())
    return (f"{XML_DECLARATION}<office:document-meta{root}><office:meta>"
            f"<meta:generator>{escape(f'{APP_NAME}/{VERSION}')}</meta:generator>"
            f"<dc:title>{escape(clean(title))}</dc:title>"
            f"<meta:initial-creator>{escape(clean(creator))}</meta:initial-creator>"
            f"<meta:creation-date>{when}</meta:creation-date><dc:date>{when}</dc:date>"
            "</office:meta></office:document-meta>")


def manifest_xml(parts: Iterable[tuple[str, str]]) -> str:
    entries = [{"manifest:full-path": "/", "manifest:version": ODF_VERSION,
                "manifest:media-type": MIMETYPE},
               *({"manifest:full-path": path, "manifest:media-type": kind}
                 for path, kind in parts)]
    lines = "".join(f"<manifest:file-entry{attrs(entry)}/>" for entry in entries)
    root = attrs({"xmlns:manifest": _MANIFEST_NS, "manifest:version": ODF_VERSION})
    return f"{XML_DECLARATION}<manifest:manifest{root}>{lines}</manifest:manifest>"


def write_package(parts: Mapping[str, bytes], created: datetime, title: str,
                  creator: str) -> bytes:
    """The .odt package of *parts* (content.xml, styles.xml and pictures, by their path),
    with its properties (*title*, *creator*, *created*) and manifest. *created* also dates the
    zip entries, so a caller can make the same bytes twice.

    `mimetype` comes first, stored and without extra field, as ODF 1.2 part 3 (3.3) requires:
    that is how office suites recognise the package."""
    stamp = created.replace(tzinfo=None)
    when = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute,
            stamp.second)
    media = {".xml": "text/xml", ".png": "image/png", ".svg": "image/svg+xml"}
    everything = {**parts, "meta.xml": meta_xml(title, creator, created).encode("utf-8")}
    everything["META-INF/manifest.xml"] = manifest_xml(
        (path, media[path[path.rindex("."):]]) for path in everything).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for path, data in [("mimetype", MIMETYPE.encode("ascii")), *everything.items()]:
            entry = zipfile.ZipInfo(path, when)
            entry.external_attr = 0o644 << 16
            stored = path == "mimetype" or path.endswith(".png")
            package.writestr(entry, data, compress_type=zipfile.ZIP_STORED if stored
                             else zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
