"""Start-up time: process start to the main window shown, for the app and for a bare PySide6
window started the same way in the same run, and their ratio (target: at most 1.5x).

Also the time until the playbook is on screen, that is its text painted in the window
(benchmarks/_child.py: read from the database file before the database opens, or from the
database a first start creates), and the same for a first start on an empty data folder
(database created, migrated and seeded).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.org.people import Role  # noqa: E402
from models.org.settings import Settings, save_settings  # noqa: E402

CHILD = Path(__file__).with_name("_child.py")


@dataclass
class Run:
    shown: float
    loaded: float | None


PYTHON_CHILD = (sys.executable, str(CHILD))
"""How the child starts from the sources; benchmarks/bundle.py passes a bundled one."""


def _once(mode: str, data_dir: Path, child: Sequence[str] = PYTHON_CHILD) -> Run:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    start = time.time()
    out = subprocess.run([*child, mode, str(data_dir)], env=env,
                         capture_output=True, text=True, timeout=60, check=True).stdout
    stamps = dict(line.split() for line in out.splitlines() if line.split()[0] in
                  ("shown", "loaded"))
    loaded = stamps.get("loaded")
    return Run(float(stamps["shown"]) - start, float(loaded) - start if loaded else None)


def _data_dir(root: Path, name: str) -> Path:
    path = root / name
    save_settings(path, Settings(user_name="benchmark", unit_key="ops1", role=Role.PLANNING))
    return path


def measure(repeats: int = 10, child: Sequence[str] = PYTHON_CHILD) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        firsts = [_once("app", _data_dir(root, f"first{i}"), child) for i in range(3)]
        warm_dir = _data_dir(root, "warm")
        _once("app", warm_dir, child)  # create the database once; later runs are everyday starts
        _once("bare", warm_dir, child)  # warm the OS file cache for both
        app_runs, bare_runs = [], []
        for _ in range(repeats):  # interleaved, so drift affects both alike
            bare_runs.append(_once("bare", warm_dir, child))
            app_runs.append(_once("app", warm_dir, child))
    bare = statistics.median(r.shown for r in bare_runs)
    app = statistics.median(r.shown for r in app_runs)
    return {
        "bare_shown_ms": bare * 1000,
        "app_shown_ms": app * 1000,
        "ratio": app / bare,
        "app_playbook_ms": statistics.median(r.loaded or 0 for r in app_runs) * 1000,
        "first_start_playbook_ms": statistics.median(r.loaded or 0 for r in firsts) * 1000,
        "repeats": repeats,
    }


if __name__ == "__main__":
    for key, value in measure().items():
        print(f"{key}: {value:.1f}" if isinstance(value, float) else f"{key}: {value}")
