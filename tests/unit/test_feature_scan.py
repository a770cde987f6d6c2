"""ui/runtime/feature_scan.py against the installed PySide6, in a fresh process as at start."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_scan_is_replaced_without_reading_a_source() -> None:
    """The hook exists in this PySide (an upgrade that renames it fails here, not silently
    in the start-up figures); after the switch, the app's packages count as PySide users
    (selection 0, what the scan gives a module naming PySide6) and a library without PySide
    in it is ignored (-1), and no source is read."""
    code = """if True:
        import linecache, sys
        from ui.runtime.feature_scan import skip_feature_scan
        assert skip_feature_scan()
        import PySide6.QtCore
        read = []
        linecache.updatecache = lambda name, *a: read.append(name) or []
        import ui.runtime.naming, models.core.changes, colorsys
        table = sys.modules["shibokensupport.feature"].pyside_feature_dict
        print(table["ui"], table["models"], table["colorsys"], len(read))
    """
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "0", "-1", "0"]
