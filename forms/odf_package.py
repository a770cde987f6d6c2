"""What every OpenDocument file the app writes shares, the spreadsheet (forms/spreadsheet.py)
and the text document (forms/odt.py): the namespaces, escaped attributes, what XML 1.0 can
hold, the properties (meta.xml), the manifest and the zip package.

Why the standard library: odfdo would bring lxml into the PyInstaller bundle, which has no
room left under its size limit.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from datetime import datetime
from xml.sax.saxutils import escape, quoteattr

from appinfo.meta import APP_NAME, VERSION

__all__ = ["FONT", "NAMESPACES", "ODF_VERSION", "XML_DECLARATION", "attrs", "namespaces",
           "package", "xml_chars"]

FONT = "TW-Kai"
"""The family name of the Kai face the printed forms embed (resources/fonts/README.md), so the
files name the same typeface; an office suite without it falls back to its serif face."""

ODF_VERSION = "1.2"

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

NAMESPACES = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
}

_MANIFEST_NS = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"

# What XML 1.0 can hold (its production "Char"): tab, LF, CR and everything from U+0020 on,
# except the surrogates (which Python strings can carry alone) and U+FFFE/U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_MEDIA_TYPES = {".xml": "text/xml", ".png": "image/png", ".svg": "image/svg+xml"}


def xml_chars(text: str) -> str:
    """*text* less what XML 1.0 cannot hold. Dropped rather than refused: one such character
    from a pasted text or another PC would make the whole file unreadable, and none of them
    is visible anyway."""
    return _NOT_XML.sub("", text)


def attrs(attributes: Mapping[str, str]) -> str:
    """Attributes escaped for XML, line breaks and tabs included (quoteattr keeps them)."""
    return "".join(f" {name}={quoteattr(value)}" for name, value in attributes.items())


def namespaces(*prefixes: str) -> dict[str, str]:
    """The xmlns attributes of these prefixes."""
    return {f"xmlns:{prefix}": NAMESPACES[prefix] for prefix in prefixes}


def _meta_xml(title: str, creator: str, created: datetime) -> str:
    """meta.xml: the generator (so a file found later says what wrote it), title, creator and
    dates."""
    root = attrs({**namespaces("office", "meta", "dc"), "office:version": ODF_VERSION})
    when = escape(created.replace(microsecond=0).isoformat())
    title_element = f"<dc:title>{escape(xml_chars(title))}</dc:title>" if title else ""
    creator_element = (f"<meta:initial-creator>{escape(xml_chars(creator))}"
                       "</meta:initial-creator>" if creator else "")
    return (f"{XML_DECLARATION}<office:document-meta{root}><office:meta>"
            f"<meta:generator>{escape(f'{APP_NAME}/{VERSION}')}</meta:generator>"
            f"{title_element}{creator_element}<meta:creation-date>{when}</meta:creation-date>"
            f"<dc:date>{when}</dc:date></office:meta></office:document-meta>")


def _manifest_xml(mimetype: str, paths: list[str]) -> str:
    """META-INF/manifest.xml: the package itself and every part (the manifest and the mimetype
    entry are not listed, as ODF 1.2 part 3 says)."""
    entries = [{"manifest:full-path": "/", "manifest:version": ODF_VERSION,
                "manifest:media-type": mimetype},
               *({"manifest:full-path": path,
                  "manifest:media-type": _MEDIA_TYPES[path[path.rindex("."):]]}
                 for path in paths)]
    lines = "".join(f"<manifest:file-entry{attrs(entry)}/>" for entry in entries)
    root = attrs({"xmlns:manifest": _MANIFEST_NS, "manifest:version": ODF_VERSION})
    return f"{XML_DECLARATION}<manifest:manifest{root}>{lines}</manifest:manifest>"


def _entry(path: str, created: datetime) -> zipfile.ZipInfo:
    """A zip entry dated *created* (zip holds no year before 1980), readable by everyone once
    unpacked (a bare ZipInfo carries no permissions, and some unzip tools then create files
    nobody may read)."""
    stamp = max(created.replace(tzinfo=None), datetime(1980, 1, 1))
    entry = zipfile.ZipInfo(path, (stamp.year, stamp.month, stamp.day, stamp.hour,
                                   stamp.minute, stamp.second))
    entry.external_attr = 0o644 << 16
    return entry


def package(mimetype: str, parts: Mapping[str, bytes], *, created: datetime, title: str = "",
            creator: str = "") -> bytes:
    """The ODF package of *parts* (content.xml, styles.xml and pictures, by their path), with
    its properties and manifest. *created* also dates the zip entries, so a caller can make
    the same bytes twice.

    Why `mimetype` comes first, stored and without extra field: that is how office suites and
    file-type sniffers recognise an ODF package (ODF 1.2 part 3, 3.3). Pictures are stored
    as they are, already compressed."""
    everything = {**parts, "meta.xml": _meta_xml(title, creator, created).encode("utf-8")}
    everything["META-INF/manifest.xml"] = _manifest_xml(mimetype, list(everything)).encode(
        "utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, data in [("mimetype", mimetype.encode("ascii")), *everything.items()]:
            stored = path == "mimetype" or path.endswith(".png")
            archive.writestr(_entry(path, created), data, compress_type=zipfile.ZIP_STORED
                             if stored else zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
