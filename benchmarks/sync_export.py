"""10,000 changes exported by one PC (issue 16: ≤ 0.5 s, 1.1 s at the base commit), measured
in fresh processes interleaved with the base commit's tree: the wall time of the sync run that
sends them, and the CPU time it takes (less disturbed by other programs on a busy machine).

    .venv/bin/python benchmarks/sync_export.py [BASE_TREE] [REPEATS]

BASE_TREE is a checkout of the base commit; without one, a worktree of it is added for the run
and removed after (benchmarks/sync_stall.py). Each process builds its own data folders with
the tree it measures (benchmarks/sync.py's PCs and timeline notes), as the export measure of
benchmarks/sync.py does; the run it times also takes the other PC's first file, as there.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REPEATS = 3


def measure(base_tree: Path | None = None, repeats: int = REPEATS) -> dict[str, Any]:
    sys.path.insert(0, str(HERE))
    from sync_stall import BASE, _base_worktree

    if base_tree is None:
        with _base_worktree() as made:
            return _interleaved(made, repeats, BASE)
    return _interleaved(base_tree, repeats, BASE)


def _interleaved(base_tree: Path | None, repeats: int, base: str) -> dict[str, Any]:
    trees = {"now": ROOT} if base_tree is None else {"base": base_tree, "now": ROOT}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for _ in range(repeats):
        for name, tree in trees.items():
            runs[name].append(_one(tree))
    result: dict[str, Any] = {"repeats": repeats, "base": base}
    for name, taken in runs.items():
        for key in taken[0]:
            result[f"{name}_{key}"] = statistics.median(run[key] for run in taken)
    return result


def _one(tree: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--child", str(tree)], capture_output=True,
                         text=True, check=True, cwd=tree).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _child(tree: Path) -> dict[str, float]:
    sys.path.insert(0, str(HERE))
    import sync  # noqa: PLC0415 - benchmarks/sync.py puts this tree first on sys.path

    sys.path.insert(0, str(tree))  # then the measured tree goes before it
    from i18n import set_language
    from models.schema import RULES
    from models.sync.run import sync_once

    set_language("zh_TW")
    base = Path(tempfile.mkdtemp(prefix="crisisdesk-export-"))
    try:
        share = base / "share"
        share.mkdir()
        a, b = sync._pc(base, "a"), sync._pc(base, "b")
        incident = sync._incident(a)
        sync_once(a, share, RULES), sync_once(b, share, RULES)
        sync._notes(a, incident, 10_000)
        wall, cpu = time.perf_counter(), time.process_time()
        report = sync_once(a, share, RULES)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        assert report.sent_changes == 10_000, report
        a.close(), b.close()
        return {"export_s": wall, "export_cpu_s": cpu}
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(_child(Path(sys.argv[2]))))
    else:
        tree = Path(sys.argv[1]) if len(sys.argv) > 1 else None
        print(json.dumps(measure(tree, int(sys.argv[2]) if len(sys.argv) > 2 else REPEATS),
                         indent=2))
