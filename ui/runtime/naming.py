"""named(): a Qt object with its object name, in one expression.

PySide6 takes any Qt property as a constructor keyword (`QLabel(objectName="x")`), but its type
stubs list only each class's own properties, so mypy refuses `objectName=`. named() sets the
same property right after construction, which is what PySide6 does with the keyword.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject

Q = TypeVar("Q", bound=QObject)


def named(obj: Q, name: str) -> Q:
    """`obj` with its objectName set to `name` (what the tests and the style sheets find it by)."""
    obj.setObjectName(name)
    return obj
