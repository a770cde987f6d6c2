"""Printed-form figures (issue 5): one drill report form rendered warm (target ≤ 150 ms
median), a batch of 100 forms (target ≤ 8 s), and the peak memory of the process doing the
batch. Measured in a child process so the peak is the batch's own."""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_mb() -> float:
    """This process's own peak resident memory (Linux's VmHWM). Not ru_maxrss: Linux carries
    that across exec, so a child started from a large parent (benchmarks/run.py, after the GUI
    benchmarks) reported the parent's size instead of its own."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
        return int(status.split("VmHWM:")[1].split()[0]) / 1024
    except (OSError, IndexError):  # not Linux
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child() -> dict[str, float]:
    from forms.render import render_pdf
    from forms.samples import sample_documents
    from i18n import set_language

    set_language("zh_TW")
    docs = sample_documents()
    render_pdf(docs["drill_report"])  # warm: fonts loaded, modules imported
    times = []
    for _ in range(30):
        begin = time.perf_counter()
        render_pdf(docs["drill_report"])
        times.append((time.perf_counter() - begin) * 1000)
    kinds = list(docs.values())
    begin = time.perf_counter()
    for n in range(100):
        render_pdf(kinds[n % len(kinds)])
    batch = time.perf_counter() - begin
    return {"report_ms": statistics.median(times), "batch_s": batch,
            "peak_mb": peak_mb(), "batch_kinds": len(kinds)}


def measure() -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--child"], capture_output=True, text=True,
                         check=True, cwd=ROOT, env=dict(os.environ)).stdout
    return json.loads(out.strip().splitlines()[-1])


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(_child()))
    else:
        print(measure())
