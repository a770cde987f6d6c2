"""How a drill incident (演練) is marked on screen: a badge in the incident window's header, a
tinted row in the incident list and a banner over the notification dialog, so that nobody
takes a drill for a real crisis, nor wakes someone for one by mistake. The words are the same
as on its printouts (models/incidents/drill_marks.py)."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel

from i18n import _
from ui.runtime.naming import named

DRILL_COLOUR = "#6a1b9a"
"""The drill's mark: a purple no level uses (the levels run green to red)."""
DRILL_ROW = QColor("#f3e5f5")
"""A drill incident's row in the incident list: a light tint of the same purple."""


def drill_badge(name: str) -> QLabel:
    """The 演練 badge of the incident window's header; hidden until a drill incident shows."""
    badge = named(QLabel(), name)
    badge.setStyleSheet(f"background: {DRILL_COLOUR}; color: white; font-weight: bold; "
                        "padding: 3px 8px; border-radius: 3px;")
    badge.hide()
    return badge


def drill_banner(name: str) -> QLabel:
    """The notification dialog's banner of a drill incident: the call to make is a drill's."""
    banner = named(QLabel(), name)
    banner.setWordWrap(True)
    banner.setStyleSheet(f"background: {DRILL_COLOUR}; color: white; font-weight: bold; "
                         "padding: 6px;")
    banner.setText(_("DRILL — this is a drill notification. Say first that it is a drill: "
                     "nobody is to act on it as a real crisis."))
    return banner


def badge_text() -> str:
    return _("Drill")
