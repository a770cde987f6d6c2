"""A one-line label that ends in … when its text is longer than the room, with the whole text
as its tooltip.

Why: an incident's title wrapped over four lines in the workspace's header at 1024 pixels, and
the header's height came out of the stage form below it.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    def __init__(self, parent: QWidget | None = None, objectName: str = "") -> None:  # noqa: N803
        super().__init__(parent)
        self.setObjectName(objectName)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(0, super().minimumSizeHint().height())

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                              self.contentsRect().width())
        painter.drawText(self.contentsRect(), int(self.alignment()), shown)
