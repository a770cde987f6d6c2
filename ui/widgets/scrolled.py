"""A form in a scroll area, so a small window scrolls it instead of growing to hold it.

Why: a QTabWidget or QStackedWidget is as large as its largest page. One tall form (the drill
evaluation: six ratings, times, texts, actions, buttons, circulation) made the whole main
window refuse to shrink below 1152×812, larger than a 1024×768 screen.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

from ui.runtime.naming import named


def scrolled(widget: QWidget) -> QScrollArea:
    """*widget* inside a frameless scroll area that resizes it to the width it is given."""
    area = named(QScrollArea(), f"{widget.objectName()}_scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area
