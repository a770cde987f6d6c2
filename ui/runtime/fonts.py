"""A UI font that shows Traditional Chinese on every platform.

Windows has Microsoft JhengHei, macOS PingFang TC, Debian Noto Sans CJK when installed; the app
also ships its own Kai subset (resources/fonts) as the last resort, so a PC without any CJK
font still shows text instead of boxes.

The shipped face is registered only on such a PC. It is 34 MB since it holds every Big5 and
BMP ideograph for the printed forms, and registering it means reading it whole (the bundle holds
it compressed; 0.2 s to unpack) and keeping it in memory, at every start, before the window
shows (docs/benchmarks.md). Where a system CJK font exists, the system's own font fallback
covers what that font lacks.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from appinfo.resources import read_resource

log = logging.getLogger(__name__)

PREFERRED = ["Microsoft JhengHei UI", "Microsoft JhengHei", "PingFang TC", "Noto Sans CJK TC",
             "Noto Sans TC", "Source Han Sans TC"]
BUNDLED = ("fonts", "TWKai-subset.ttf")


def bundled_family() -> str | None:
    """Register the shipped font; its family name, or None if the file is missing or not a
    font. Registered from its bytes: the bundle holds the file compressed (read_resource)."""
    try:
        data = read_resource(*BUNDLED)
    except OSError:
        log.warning("the shipped font cannot be read", exc_info=True)
        return None
    font_id = QFontDatabase.addApplicationFontFromData(data)
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return families[0] if families else None


def install_ui_font(app: QApplication) -> None:
    font = QFont(app.font())
    available = set(QFontDatabase.families())
    system = [f for f in PREFERRED if f in available]
    shipped = None if system else bundled_family()
    font.setFamilies([font.family(), *system, *([shipped] if shipped else [])])
    app.setFont(font)
