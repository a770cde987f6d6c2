"""Process-interleaved runs of one benchmark child on two source trees: the base commit's and
this one. Each run is a fresh process that imports the app from the tree it is given and
builds its own data with that tree's code, so each side runs entirely on its own code, and
alternating them makes both see the same machine load (issue 16's "run in one
process-interleaved run against its baseline").

A benchmark module using this runs itself as ``python MODULE --child TREE`` and prints its
figures as one JSON object on its last line (benchmarks/sync_stall.py, sync_export.py).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BASE = "a775f57"
"""The commit before issue 16."""


@contextmanager
def base_worktree() -> Iterator[Path | None]:
    """A worktree of the base commit for the run (None when git cannot make one)."""
    folder = Path(tempfile.mkdtemp(prefix="crisisdesk-base-")) / "tree"
    made = subprocess.run(["git", "worktree", "add", "--detach", str(folder), BASE], cwd=ROOT,
                          capture_output=True, text=True)
    try:
        yield folder if made.returncode == 0 else None
    finally:
        if made.returncode == 0:
            subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT,
                           capture_output=True)
        shutil.rmtree(folder.parent, ignore_errors=True)


def measure(script: Path, base_tree: Path | None, repeats: int) -> dict[str, Any]:
    """*script*'s child run *repeats* times on each tree, alternating; each figure's median
    as ``base_<key>``/``now_<key>`` and every run's as ``<...>_all``. Without *base_tree* a
    worktree of BASE is made for the run (outside a git checkout only this tree is
    measured)."""
    if base_tree is None:
        with base_worktree() as made:
            return _interleaved(script, made, repeats)
    return _interleaved(script, base_tree, repeats)


def _interleaved(script: Path, base_tree: Path | None, repeats: int) -> dict[str, Any]:
    trees = {"now": ROOT} if base_tree is None else {"base": base_tree, "now": ROOT}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for _ in range(repeats):
        for name, tree in trees.items():
            runs[name].append(_one(script, tree))
    result: dict[str, Any] = {"repeats": repeats, "base": BASE}
    for name, taken in runs.items():
        for key in taken[0]:
            result[f"{name}_{key}"] = statistics.median(run[key] for run in taken)
            result[f"{name}_{key}_all"] = [run[key] for run in taken]
    return result


def _one(script: Path, tree: Path) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    out = subprocess.run([sys.executable, str(script), "--child", str(tree)],
                         capture_output=True, text=True, check=True, cwd=tree, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]
