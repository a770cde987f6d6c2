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
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPEATS = 3


def measure(base_tree: Path | None = None, repeats: int = REPEATS) -> dict[str, Any]:
    sys.path.insert(0, str(HERE))
    import interleave  # noqa: PLC0415

    return interleave.measure(Path(__file__), base_tree, repeats)  # type: ignore[no-any-return]


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
