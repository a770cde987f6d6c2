"""Row heights fitted to their contents where a user sees them, for a table of many rows.

Why: QTableView.resizeRowsToContents lays out the text of every cell of every row; for an
incident's timeline of 1,000 entries that was two fifths of the time the incident took to
open (issue 16). A table that scrolls per item counts rows, not pixels: its scroll bar and
what it shows depend only on the heights of the rows on screen and of the last page (which
sets where the end is). So those are fitted, and every other row when it comes into view,
before it is painted. A page either side of the rows shown, and the first page, are fitted
too, so that a key (an arrow, Page Up or Down, Ctrl+Home or End) scrolls by the heights the
rows really have.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QAbstractItemView, QTableView


class ShownRowHeights(QObject):
    """Keeps *table*'s rows fitted to their contents wherever they are shown.

    Its owner calls `forget()` when what decides the heights changes without the model
    saying so (the columns' widths), and `fit_shown()` once the table has its new rows or
    widths; scrolling fits the rows it brings into view by itself."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self.table = table
        # The scroll bar must count rows: per pixel, it would need every row's height.
        table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self._fitted = bytearray()
        """Per row, 1 once its height was fitted to its contents as they are now."""
        model = table.model()  # one that resets or changes its layout, as the timeline's does
        for signal in (model.modelReset, model.layoutChanged):
            signal.connect(lambda *_args: self.forget())
        table.verticalScrollBar().valueChanged.connect(self.fit_shown)

    def forget(self) -> None:
        """Every row is to be fitted again: new rows, new texts or new column widths."""
        self._fitted = bytearray(self.table.model().rowCount())

    def fit_shown(self) -> None:
        """Fit the rows on screen, a page either side, and the first and last pages."""
        if len(self._fitted) != self.table.model().rowCount():
            self.forget()  # a reset scrolled the table before it told this
        count = len(self._fitted)
        if not count:
            return
        page = max(1, self.table.viewport().height())
        top = min(max(0, self.table.verticalScrollBar().value()), count - 1)
        fitted = (self._fit(top, 1, 2 * page)  # the rows shown, then the next page
                  + self._fit(top - 1, -1, page)  # the page above
                  + self._fit(count - 1, -1, page)  # the last page: where the end is
                  + self._fit(0, 1, page))  # the first page
        if fitted:
            self.table.updateGeometries()  # the scroll range from the heights just fitted

    def _fit(self, row: int, step: int, pixels: int) -> int:
        """Fit the rows from *row* on, going by *step*, until they cover *pixels*; how many
        were fitted now."""
        fitted = 0
        covered = 0
        while 0 <= row < len(self._fitted) and covered < pixels:
            if not self._fitted[row]:
                self.table.resizeRowToContents(row)
                self._fitted[row] = 1
                fitted += 1
            covered += self.table.rowHeight(row)
            row += step
        return fitted
