"""Spare the window's start PySide's source scan of every module imported after it.

PySide6 supports ``from __feature__ import snake_case, true_property`` per module. To know
which modules might, its import hook (shibokensupport.feature) reads the source of every module
imported after PySide6, looking for the word "PySide6": a module with it runs under its own
selection (none, unless it imports one), any other inherits the selection of the code that
calls it. Started from the sources, the window imports about 60 modules after PySide6 before
it shows; reading them cost 13 ms of a start (median of 12 runs, docs/benchmarks.md). The
bundle never pays it: its modules have no source to read.

The answer is given without reading: the app's own modules are PySide users (so they keep
their own selection, none, whatever another module might select), and the libraries they
import are not, as their sources say. If a PySide release renames the hook, it is left as it
is (tests/unit/test_feature_scan.py says so).
"""

from __future__ import annotations

import sys

OWN_PACKAGES = frozenset({"appinfo", "forms", "i18n", "main", "models", "ui"})


def _uses_pyside(module: object) -> bool:
    return str(getattr(module, "__name__", "")).partition(".")[0] in OWN_PACKAGES


def skip_feature_scan() -> bool:
    """Call before the window's modules are imported (it loads shiboken6, as they would);
    whether PySide's hook was there to replace."""
    import shiboken6  # noqa: F401  (loads shibokensupport.feature)

    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = _uses_pyside  # type: ignore[attr-defined]
    return True
