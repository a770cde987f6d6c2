"""Side panes that fold away and a splitter that remembers where the user left it.

Why: the stage form of an open incident is where the work is done, yet at 1024 pixels the
stage list and the timeline kept their widths and left it about 190. The form now takes what
the window gains or loses; each side pane folds away with a button (or by dragging it shut);
and the sizes are kept in window.ini in the data folder (models.org.settings.load_window_state),
so they come back after a restart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QSplitter, QToolButton, QWidget

from models.core.errors import UserError
from models.org.settings import load_window_state, save_window_state
from ui.runtime.naming import named

log = logging.getLogger(__name__)

MIN_PANE = 140
"""A side pane is not squeezed below this to make room: fold it away instead."""
SAVE_AFTER_MS = 500
"""A dragged pane edge moves per pixel: its sizes are written once it rests."""


class WorkSplitter(QSplitter):
    """Side panes around one work area: only the work area stretches, the panes can be
    folded to nothing, and the sizes are saved under *key* whenever the user moves them.

    Signals:
        panes_changed(): a pane was shown, folded or resized (its button follows).
    """

    panes_changed = Signal()

    def __init__(self, data_dir: Path, key: str, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName(key.replace("/", "_"))
        self.data_dir, self.key = data_dir, key
        self.work = 0
        self._pending: list[int] | None = None
        self.work_width: Callable[[], int] | None = None
        """The width the work area needs to show its content without scrolling sideways."""
        self._save = QTimer(self, singleShot=True, interval=SAVE_AFTER_MS)
        self._save.timeout.connect(self.remember)
        self.splitterMoved.connect(self._moved)

    def setup(self, sizes: list[int], work: int) -> None:
        """Stretch only pane *work*; start from the saved sizes, or else *sizes*."""
        self.work = work
        for index in range(self.count()):
            self.setStretchFactor(index, 1 if index == work else 0)
            self.setCollapsible(index, index != work)
        saved = load_window_state(self.data_dir).get(self.key, "")
        restored = bool(saved) and self.restoreState(QByteArray.fromBase64(saved.encode()))
        self._pending = None if restored else sizes

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The first time the splitter has its width, the panes get their widths (at most a
        quarter of it each) and the work area the rest; later, only the work area stretches,
        but never below what it needs (work_width) while a side pane can still give room."""
        super().resizeEvent(event)
        self._make_room()
        if self._pending is not None and self.width() > 0:
            sizes, self._pending = self._pending, None
            total = sum(self.sizes())
            for index, size in enumerate(sizes):
                if index != self.work:
                    sizes[index] = min(size, total // 4)
            sizes[self.work] = max(total - sum(s for i, s in enumerate(sizes)
                                               if i != self.work), 0)
            self.setSizes(sizes)
            self.panes_changed.emit()

    def _make_room(self) -> None:
        if self.work_width is None:
            return
        sizes = self.sizes()
        short = self.work_width() - sizes[self.work]
        for index in range(len(sizes)):
            if short <= 0:
                break
            if index == self.work or not sizes[index]:
                continue
            give = min(short, sizes[index] - MIN_PANE)
            if give > 0:
                sizes[index] -= give
                sizes[self.work] += give
                short -= give
        if sizes != self.sizes():
            self.setSizes(sizes)

    def shown(self, index: int) -> bool:
        return self.sizes()[index] > 0

    def toggle(self, index: int, shown: bool, width: int) -> None:
        """Show pane *index* at *width* (taken from the work area), or fold it away."""
        sizes = self.sizes()
        change = (width if shown else 0) - sizes[index]
        sizes[index] += change
        sizes[self.work] = max(sizes[self.work] - change, 0)
        self.setSizes(sizes)
        self.remember()
        self.panes_changed.emit()

    def _moved(self) -> None:
        self._save.start()
        self.panes_changed.emit()

    def remember(self) -> None:
        """Keep the sizes (a file that cannot be written only loses the layout: logged)."""
        self._save.stop()
        state = load_window_state(self.data_dir)
        state[self.key] = bytes(self.saveState().toBase64().data()).decode()
        try:
            save_window_state(self.data_dir, state)
        except UserError as exc:
            log.warning("the window's layout is not kept: %s", exc.message())


def pane_button(name: str) -> QToolButton:
    """A checkable button in a header that shows or hides one side pane."""
    button = named(QToolButton(), name)
    button.setCheckable(True)
    button.setChecked(True)
    return button
