"""The PyInstaller bundle: how long it takes to build, how large it is, and how fast it starts
compared with the same bare-window baseline as the start-up benchmark (benchmarks/startup.py).

Two builds in a scratch folder, with packaging/build.py and packaging/crisisdesk.spec:
  * the program as shipped (with its portable archive): build time and sizes;
  * the same bundle around the start-up probe benchmarks/_child.py (the spec's
    CRISISDESK_BUNDLE_ENTRY), so a frozen bare PySide6 window and the frozen app are timed
    exactly as startup.py times them from the sources.
Not a test: run by benchmarks/run.py, which writes docs/benchmarks.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import startup  # noqa: E402

from appinfo.meta import APP_NAME  # noqa: E402


def _build(dist: Path, work: Path, *extra: str, entry: str | None = None) -> float:
    env = dict(os.environ)
    if entry:
        env["CRISISDESK_BUNDLE_ENTRY"] = entry
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), "--dist", str(dist),
                    "--work", str(work), *extra], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    return time.perf_counter() - started


def _size_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*")
                                           if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files) / 1e6


def _largest(bundle: Path, count: int = 6) -> list[tuple[str, float]]:
    """The largest files of the bundle (path inside it, MB): where the size is."""
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    files.sort(key=lambda p: p.stat().st_size, reverse=True)
    return [(p.relative_to(bundle).as_posix(), p.stat().st_size / 1e6) for p in files[:count]]


def measure(repeats: int = 10) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build_s = _build(root / "dist", root / "work")
        bundle = root / "dist" / APP_NAME
        archive = next((root / "dist").glob(f"{APP_NAME}-*-portable.*"))
        files = sum(1 for p in bundle.rglob("*") if p.is_file())
        _build(root / "probe", root / "probe-work", "--no-archive",
               entry="benchmarks/_child.py")
        frozen = startup.measure(repeats, child=[str(root / "probe" / APP_NAME / APP_NAME)])
        sizes = {"bundle_mb": _size_mb(bundle), "bundle_files": files,
                 "archive_mb": _size_mb(archive), "largest": _largest(bundle)}
    source = startup.measure(repeats)
    return {
        "build_s": build_s,
        **sizes,
        "source_bare_ms": source["bare_shown_ms"],
        "source_app_ms": source["app_shown_ms"],
        "frozen_bare_ms": frozen["bare_shown_ms"],
        "frozen_app_ms": frozen["app_shown_ms"],
        "frozen_playbook_ms": frozen["app_playbook_ms"],
        "frozen_first_start_ms": frozen["first_start_playbook_ms"],
        "repeats": repeats,
    }


if __name__ == "__main__":
    for key, value in measure(int(sys.argv[1]) if len(sys.argv) > 1 else 10).items():
        print(f"{key}: {value:.1f}" if isinstance(value, float) else f"{key}: {value}")
