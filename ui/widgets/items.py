"""The items of Qt's item widgets that the code knows are there, typed as such.

PySide6's stubs type QTableWidget.item(), QTreeWidget.topLevelItem() and QTreeWidgetItem.child()
as optional, since Qt answers None for an empty cell or an index out of range. These helpers
name the cells and rows a screen filled itself.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QTreeWidget, QTreeWidgetItem


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """The item of a cell the table's owner filled (a LookupError if it left the cell empty)."""
    item = table.item(row, column)
    if item is None:
        raise LookupError(f"{table.objectName()}: no item at row {row}, column {column}")
    return item


def top_level_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    """The tree's top-level items, in order."""
    return [item for i in range(tree.topLevelItemCount())
            if (item := tree.topLevelItem(i)) is not None]


def child_items(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    """The item's children, in order."""
    return [child for i in range(item.childCount()) if (child := item.child(i)) is not None]
