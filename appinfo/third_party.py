"""The parts of other people that ship inside CrisisDesk, and their licences.

One list serves Help > About (name, version, licence, full text), the PyInstaller spec (which
copies each distribution's metadata so the version can be shown from the bundle) and
packaging/tools/collect_licenses.py (which writes the texts into resources/licenses/). A test
checks that every package the app installs is listed here, so a new dependency cannot ship
without its licence.

Why the texts are shipped rather than linked: the LGPL, MIT and BSD licences all require the
licence text (and copyright notice) to travel with the binaries, and an office PC may have no
Internet access.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass
from importlib import metadata

from i18n import N_


@dataclass(frozen=True)
class Component:
    """A bundled part: what it is for, its licence and where its full text is."""

    name: str
    licence: str
    """SPDX identifiers where they exist, as the licence names them."""
    purpose: str
    """A msgid: what the app uses it for."""
    files: tuple[str, ...]
    """Licence texts, relative to resources/."""
    distributions: tuple[str, ...] = ()
    """The Python distributions it consists of (for their version, and for the check that every
    installed dependency is listed)."""
    note: str = ""
    """A msgid shown with it (what else the text covers)."""
    attribution: str = ""
    """Wording the licence requires to be shown as it is, never translated."""
    known_version: str = ""
    """The version of a part that is no Python distribution (Python itself)."""

    @property
    def distribution(self) -> str:
        """The distribution whose version is shown ("" when there is none: a font)."""
        return self.distributions[0] if self.distributions else ""

    def version(self) -> str:
        """The installed version, or "" when its metadata is not available."""
        if not self.distribution:
            return self.known_version
        try:
            return metadata.version(self.distribution)
        except metadata.PackageNotFoundError:
            return ""


COMPONENTS: tuple[Component, ...] = (
    Component("Qt 6 / Qt for Python (PySide6)", "LGPL-3.0-only", N_("windows and widgets"),
              ("licenses/LGPL-3.0.txt", "licenses/GPL-3.0.txt"),
              ("PySide6-Essentials", "shiboken6"),
              N_("Used as shared libraries that can be replaced: the bundle keeps them as "
                 "separate files.")),
    Component("全字庫正楷體 TW-Kai", "OGDL-Taiwan-1.0", N_("Chinese typeface of the printed forms"),
              ("fonts/LICENSE-TW-Kai.txt",), (),
              N_("A subset of the original font (only the characters the app needs)."),
              "國家發展委員會 2018 全字庫正楷體 (TW-Kai) 第103.1版"
              "（CNS11643 中文標準交換碼全字庫），依政府資料開放授權條款第1版釋出。",
              known_version="103.1"),
    Component("Python", "PSF-2.0", N_("programming language and its standard library"),
              ("licenses/Python.txt",), known_version=platform.python_version()),
    Component("SQLAlchemy", "MIT", N_("database access"), ("licenses/SQLAlchemy.txt",),
              ("SQLAlchemy",)),
    Component("cryptography", "Apache-2.0 OR BSD-3-Clause",
              N_("signing each PC's changes (Ed25519)"), ("licenses/cryptography.txt",),
              ("cryptography",)),
    Component("cffi", "MIT-0", N_("used by cryptography"), ("licenses/cffi.txt",), ("cffi",)),
    Component("pycparser", "BSD-3-Clause", N_("used by cffi"), ("licenses/pycparser.txt",),
              ("pycparser",)),
    Component("Alembic", "MIT", N_("database upgrades"), ("licenses/Alembic.txt",),
              ("alembic",)),
    Component("Mako", "MIT", N_("used by Alembic"), ("licenses/Mako.txt",), ("Mako",)),
    Component("MarkupSafe", "BSD-3-Clause", N_("used by Mako"), ("licenses/MarkupSafe.txt",),
              ("MarkupSafe",)),
    Component("typing_extensions", "PSF-2.0", N_("used by SQLAlchemy and Alembic"),
              ("licenses/typing_extensions.txt",), ("typing_extensions",)),
    Component("ReportLab", "BSD-3-Clause", N_("printed forms (PDF)"),
              ("licenses/reportlab.txt",), ("reportlab",)),
    Component("Pillow", "MIT-CMU", N_("used by ReportLab (images)"), ("licenses/Pillow.txt",),
              ("pillow",)),
    Component("charset-normalizer", "MIT", N_("used by ReportLab"),
              ("licenses/charset-normalizer.txt",), ("charset-normalizer",)),
    Component("Babel", "BSD-3-Clause", N_("translations and date formats"),
              ("licenses/Babel.txt",), ("babel",),
              N_("Includes locale data of the Unicode CLDR project (Unicode licence).")),
    Component("platformdirs", "MIT", N_("finds the user's data folder"),
              ("licenses/platformdirs.txt",), ("platformdirs",)),
    Component("pypdfium2 / PDFium", "Apache-2.0 OR BSD-3-Clause; PDFium: BSD-3-Clause",
              N_("print preview"), ("licenses/pypdfium2.txt",), ("pypdfium2",),
              N_("PDFium includes FreeType, Little CMS, OpenJPEG, libjpeg-turbo, libpng, "
                 "zlib and ICU, each under its own licence (in the same text).")),
    Component("zxing-cpp", "Apache-2.0", N_("reads the QR code off signed scans"),
              ("licenses/zxing-cpp.txt",), ("zxing-cpp",)),
    Component("tzdata", "Apache-2.0", N_("time zones on Windows"), ("licenses/tzdata.txt",),
              ("tzdata",), N_("The IANA time zone data itself is in the public domain.")),
    Component("PyInstaller bootloader", "GPL-2.0-or-later WITH Bootloader-exception",
              N_("starts the bundled program"), ("licenses/PyInstaller.txt",),
              note=N_("The exception allows the bootloader in programs under any licence.")),
)
