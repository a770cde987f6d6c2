"""10,000 changes exported by one PC (issue 16: ≤ 0.5 s, 1.1 s at the base commit), measured
in fresh processes interleaved with the base commit's tree: the wall time of the sync run that
sends them, and the CPU time it takes (less disturbed by other programs on a busy machine).

    .venv/bin/python benchmarks/sync_export.py [BASE_TREE] [REPEATS]

BASE_TREE is a checkout of the base commit; without one, a worktree of it is added for the run
and removed after (benchmarks/interleave.py). Each process builds its own data folders with
the tree it measures (benchmarks/sync.py's PCs and timeline notes), as the export measure of
benchmarks/sync.py does; the run it times also takes the other PC's first file, as there.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
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
