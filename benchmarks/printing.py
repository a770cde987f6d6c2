"""Printed-form figures (issue 5): one drill report form rendered warm (target ≤ 150 ms
median), a batch of 100 forms (target ≤ 8 s), and the peak memory of the process doing the
batch. Measured in a child process so the peak is the batch's own. Since issue 20 also the
same form saved as ODF, and its QR code read off a 150 dpi scan (PNG, and PDF), as the worker
does when a signed scan is attached."""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
            "peak_mb": peak_mb(), "batch_kinds": len(kinds), **_odf_and_scans(docs)}


def _odf_and_scans(docs: dict[str, Any]) -> dict[str, float]:
    """Medians of the drill report saved as ODF (10 runs) and of its QR code read off its
    scan at 150 dpi, turned and blurred as tests/scans.py makes it (5 runs each)."""
    try:
        from forms.odt import render_odt
        from models.core.scan_codes import read_codes
    except ImportError:  # a tree from before issue 20
        return {}
    from tests.scans import scan_of

    def median_ms(run: Callable[[], object], times: int) -> float:
        taken = []
        for _ in range(times):
            begin = time.perf_counter()
            run()
            taken.append((time.perf_counter() - begin) * 1000)
        return statistics.median(taken)

    figures = {"odt_ms": median_ms(lambda: render_odt(docs["drill_report"]), 10)}
    with tempfile.TemporaryDirectory() as folder:
        for suffix in (".png", ".pdf"):
            scan = scan_of(docs["drill_report"], Path(folder) / f"scan{suffix}")
            data = scan.read_bytes()
            assert read_codes(data, suffix), "the benchmark's scan has no readable QR code"
            figures[f"scan{suffix.replace('.', '_')}_ms"] = median_ms(
                lambda data=data, suffix=suffix: read_codes(data, suffix), 5)
    return figures


def measure() -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--child"], capture_output=True, text=True,
                         check=True, cwd=ROOT, env=dict(os.environ)).stdout
    return json.loads(out.strip().splitlines()[-1])


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(_child()))
    else:
        print(measure())
