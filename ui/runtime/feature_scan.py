"""Spare the window's start PySide's source scan of every module imported after it.

PySide6 supports ``from __feature__ import snake_case, true_property`` per module. To know
which modules might, its import hook (shibokensupport.feature) reads the source of every module
imported after PySide6, and of every module imported before it when PySide6 loads, looking for
the word "PySide6". Started from the sources, the window imports about 60 modules of its own
before it shows; reading them cost 13 ms of a start (median of 12 runs, docs/benchmarks.md). The
bundle never pays it: its modules have no source to read.

CrisisDesk selects no feature anywhere, so every module is one PySide may ignore (its answer
for a module without "PySide6" in it). Nothing changes but the time: if a PySide release renames
the hook, it is left as it is.
"""

from __future__ import annotations

import sys


def _uses_no_feature(_module: object) -> bool:
    return False


def skip_feature_scan() -> None:
    """Call before the window's modules are imported (it loads shiboken6, as they would)."""
    import shiboken6  # noqa: F401  (loads shibokensupport.feature)

    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = _uses_no_feature  # type: ignore[attr-defined]
