"""The longest GUI stall while the window's sync imports 10,000 changes (issue 16: target
≤ 20 ms), and the longest a save on the database worker waits meanwhile, measured by
``sync.gui_stall`` in fresh processes, interleaved: the base commit's tree (the sync in a
thread of the window's process) and this one (the sync in a process of its own).

    .venv/bin/python benchmarks/sync_stall.py [BASE_TREE] [REPEATS]

BASE_TREE is a checkout of the base commit; without one, a worktree of it is added for the run
and removed after (outside a git checkout only this tree is measured). Each process builds its
own data folders with the tree it measures, so each side runs entirely on its own code.
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

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BASE = "a775f57"
REPEATS = 3


def _one(tree: Path) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    out = subprocess.run([sys.executable, __file__, "--child", str(tree)], capture_output=True,
                         text=True, check=True, cwd=tree, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


@contextmanager
def _base_worktree() -> Iterator[Path | None]:
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


def measure(base_tree: Path | None = None, repeats: int = REPEATS) -> dict[str, Any]:
    if base_tree is None:
        with _base_worktree() as made:
            return _interleaved(made, repeats)
    return _interleaved(base_tree, repeats)


def _interleaved(base_tree: Path | None, repeats: int) -> dict[str, Any]:
    trees = {"now": ROOT} if base_tree is None else {"base": base_tree, "now": ROOT}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for _ in range(repeats):
        for name, tree in trees.items():
            runs[name].append(_one(tree))
    result: dict[str, Any] = {"repeats": repeats, "base": BASE}
    for name, taken in runs.items():
        for key in taken[0]:
            result[f"{name}_{key}"] = statistics.median(run[key] for run in taken)
            result[f"{name}_{key}_all"] = [run[key] for run in taken]
    return result


def _child(tree: Path) -> dict[str, float]:
    sys.path.insert(0, str(HERE))
    import sync  # noqa: PLC0415 - benchmarks/sync.py puts this tree first on sys.path

    sys.path.insert(0, str(tree))  # then the measured tree goes before it
    from i18n import set_language

    set_language("zh_TW")
    base = Path(tempfile.mkdtemp(prefix="crisisdesk-stall-"))
    try:
        return sync.gui_stall(base)  # type: ignore[no-any-return]
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(_child(Path(sys.argv[2]))))
    else:
        tree = Path(sys.argv[1]) if len(sys.argv) > 1 else None
        print(json.dumps(measure(tree, int(sys.argv[2]) if len(sys.argv) > 2 else REPEATS),
                         indent=2))
