"""What the size of the form font costs (issue 12): the shipped TW-Kai subset against the one
it replaced (Big5 level 1 only, taken from git) and, when one is given, the whole BMP face.

For each file, in fresh processes (the cost is paid once per process, so it must be measured
cold), median of REPEATS runs interleaved so drift affects all alike:

* reportlab: parsing the face (`TTFont`, which `forms.fonts` does once per process); the first
  form rendered in the process (the sample drill report, the face loaded first); the same form
  warm; the size of its PDF (reportlab embeds only the glyphs a document uses); the process's
  peak memory;
* Qt: `QFontDatabase.addApplicationFont` on the file, what `ui.runtime.fonts.install_ui_font` does
  before the window shows on a PC without a Chinese font of its own; reading the file whole,
  which Qt's Windows font database does before registering it; the first paint of a label in
  that family;
* the file compressed as the portable archive compresses it (gzip, level 6).

    .venv/bin/python benchmarks/fonts.py [--full /usr/share/fonts/truetype/cns11643/TW-Kai-98_1.ttf]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from printing import peak_mb  # noqa: E402

SHIPPED = ROOT / "resources" / "fonts" / "TWKai-subset.ttf"
BEFORE = "33731a6"
"""The last commit of the subset that held Big5 level 1 only (before issue 12)."""
FULL_FACE = Path("/usr/share/fonts/truetype/cns11643/TW-Kai-98_1.ttf")
"""Where Debian's fonts-cns11643-kai puts the whole BMP face, measured when present."""
REPEATS = 7
SAMPLE_TEXT = "陳怡璇 林翊婕 張煒 危機事件通報單"


def _reportlab_child(path: str) -> dict[str, float]:
    from reportlab.pdfbase.ttfonts import TTFont

    from forms import fonts
    from forms.render import render_pdf
    from forms.samples import sample_documents
    from i18n import set_language

    fonts.resource_path = lambda *_parts: Path(path)  # type: ignore[assignment]
    set_language("zh_TW")
    doc = sample_documents()["drill_report"]
    begin = time.perf_counter()
    pdf = render_pdf(doc)  # the first form of a process: the face is loaded first
    first = time.perf_counter() - begin
    begin = time.perf_counter()
    TTFont("again", path)  # what that load was: parsing the file
    load = time.perf_counter() - begin
    warm = []
    for _ in range(10):
        begin = time.perf_counter()
        render_pdf(doc)
        warm.append(time.perf_counter() - begin)
    return {"load_ms": load * 1000, "first_ms": first * 1000,
            "warm_ms": statistics.median(warm) * 1000, "pdf_kb": len(pdf) / 1024,
            "rss_mb": peak_mb()}


def _qt_child(path: str) -> dict[str, float]:
    from PySide6.QtCore import QFile, QIODevice
    from PySide6.QtGui import QFont, QFontDatabase
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication(sys.argv[:1])
    begin = time.perf_counter()
    # What Qt's Windows font database does first with a registered file: read it whole to learn
    # its family names (qwindowsfontdatabase.cpp, addApplicationFont). Linux's fontconfig does not.
    whole = QFile(path)
    whole.open(QIODevice.OpenModeFlag.ReadOnly)
    whole.readAll()
    whole.close()
    read = time.perf_counter() - begin
    begin = time.perf_counter()
    font_id = QFontDatabase.addApplicationFont(path)
    families = QFontDatabase.applicationFontFamilies(font_id)
    add = time.perf_counter() - begin
    label = QLabel(SAMPLE_TEXT)
    label.setFont(QFont(families[0], 14))
    begin = time.perf_counter()
    label.grab()
    paint = time.perf_counter() - begin
    del app
    return {"add_ms": add * 1000, "read_ms": read * 1000, "paint_ms": paint * 1000}


def _run(kind: str, path: Path) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(path)], cwd=ROOT,
                         env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _before(folder: Path) -> Path | None:
    """The subset before issue 12, from git (None outside a checkout)."""
    target = folder / "TWKai-subset-before.ttf"
    done = subprocess.run(["git", "show", f"{BEFORE}:resources/fonts/TWKai-subset.ttf"],
                          cwd=ROOT, capture_output=True)
    if done.returncode != 0:
        return None
    target.write_bytes(done.stdout)
    return target


def measure(full: Path | None = None) -> dict[str, dict[str, float]]:
    """Per file ("before", "shipped", "full BMP face"): its size, glyph count and medians."""
    from reportlab.pdfbase.ttfonts import TTFont

    full = full or (FULL_FACE if FULL_FACE.is_file() else None)
    with tempfile.TemporaryDirectory() as tmp:
        files = {"before": _before(Path(tmp)), "shipped": SHIPPED, "full BMP face": full}
        present = {name: path for name, path in files.items() if path is not None}
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in present}
        for path in present.values():  # warm the OS file cache
            _run("reportlab", path)
        for _ in range(REPEATS):
            for name, path in present.items():
                runs[name].append(_run("reportlab", path) | _run("qt", path))
        out: dict[str, dict[str, float]] = {}
        for name, path in present.items():
            face = TTFont(name, str(path)).face
            figures = {key: statistics.median(r[key] for r in runs[name]) for key in runs[name][0]}
            out[name] = {"mb": path.stat().st_size / 1e6,
                         "gz_mb": len(gzip.compress(path.read_bytes(), 6)) / 1e6,
                         "glyphs": face.numGlyphs, "chars": len(face.charToGlyph), **figures}
    return out


if __name__ == "__main__":
    if "--child" in sys.argv:
        kind, path = sys.argv[sys.argv.index("--child") + 1:][:2]
        print(json.dumps(_reportlab_child(path) if kind == "reportlab" else _qt_child(path)))
    else:
        parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
        parser.add_argument("--full", type=Path, help="the whole BMP face, to compare")
        for name, figures in measure(parser.parse_args().full).items():
            print(name, {k: round(v, 1) for k, v in figures.items()})
