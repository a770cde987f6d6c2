"""A UI font that shows Traditional Chinese on every platform.

Windows has Microsoft JhengHei, macOS PingFang TC, Debian Noto Sans CJK when installed; the app
also ships its own Kai subset (resources/fonts) as the last resort, so a PC without any CJK
font still shows text instead of boxes.

The shipped face is registered only on such a PC. It is 34 MB since it holds every Big5 and
BMP ideograph for the printed forms, and Qt on Windows reads a registered file whole to learn
its family name, at every start, before the window shows (docs/benchmarks.md). Where a system
CJK font exists, the system's own font fallback covers what that font lacks.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from appinfo.resources import resource_path

PREFERRED = ["Microsoft JhengHei UI", "Microsoft JhengHei", "PingFang TC", "Noto Sans CJK TC",
             "Noto Sans TC", "Source Han Sans TC"]
BUNDLED = ("fonts", "TWKai-subset.ttf")


def bundled_family() -> str | None:
    """Register the shipped font; its family name, or None if the file is missing."""
    font_id = QFontDatabase.addApplicationFont(str(resource_path(*BUNDLED)))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return families[0] if families else None


def install_ui_font(app: QApplication) -> None:
    font = QFont(app.font())
    available = set(QFontDatabase.families())
    system = [f for f in PREFERRED if f in available]
    shipped = None if system else bundled_family()
    font.setFamilies([font.family(), *system, *([shipped] if shipped else [])])
    app.setFont(font)
