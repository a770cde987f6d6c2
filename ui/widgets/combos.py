"""Combo boxes of keyed choices: made with a choice preselected (choice_combo), and refilled in
place when their choices change (a new language, an edited playbook, a new unit) while the
user's current choice stays, and no change signal fires for it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtWidgets import QComboBox

from ui.runtime.naming import named


def choice_combo(name: str, choices: Mapping[str, str], value: str | None = None) -> QComboBox:
    """A combo box named *name* offering *choices* (key → shown text, translated), the one
    whose key is *value* chosen when offered."""
    combo = named(QComboBox(), name)
    for key, text in choices.items():
        combo.addItem(text, key)
    if value is not None and combo.findData(value) >= 0:
        combo.setCurrentIndex(combo.findData(value))
    return combo


def refill(combo: QComboBox, items: Iterable[tuple[str, Any]]) -> None:
    """Replace the choices with (text, data) *items*, keeping the chosen data if offered."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for text, data in items:
        combo.addItem(text, data)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    combo.blockSignals(False)


def select_data(combo: QComboBox, value: Any) -> None:
    """Choose the item holding *value* without firing change signals."""
    index = combo.findData(value)
    if index >= 0 and combo.currentIndex() != index:
        combo.blockSignals(True)
        combo.setCurrentIndex(index)
        combo.blockSignals(False)
