"""Run the benchmarks and write their figures, with the machine and the date, to
docs/benchmarks.md. Run separately from the tests:

    .venv/bin/python benchmarks/run.py

Figures are medians over repeated runs; the targets come from the issues.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bundle  # noqa: E402
import fonts as font_bench  # noqa: E402
import incidents  # noqa: E402
import preview as preview_bench  # noqa: E402
import printing as form_bench  # noqa: E402
import review as review_bench  # noqa: E402
import startup  # noqa: E402
import sync as sync_bench  # noqa: E402
import sync_stall  # noqa: E402
import sync_export  # noqa: E402

OUT = ROOT / "docs" / "benchmarks.md"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import PySide6

    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores; "
            f"Python {platform.python_version()}, PySide6 {PySide6.__version__}; "
            f"QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM', 'offscreen')}")


def _met(value: float, target: float) -> str:
    return "met" if value <= target else "NOT met"


def incident_section(m: dict) -> str:  # type: ignore[type-arg]
    steps = "\n".join(f"{i}. {step}" for i, step in enumerate(m["interactions"]["steps"], 1))
    st = m["stages"]
    rows = "\n".join(f"| {name} | {ms:.1f} ms | {found} |"
                     for name, (ms, found) in m["search"].items())
    worst = max(ms for ms, _found in m["search"].values())
    return f"""
## Incident response (issue 4)

**From "New incident" to the first notification recorded: {m['interactions']['count']} user
interactions** (target ≤ 12, {_met(m['interactions']['count'], 12)}), counted while
`benchmarks/incidents.py` drives the real screens with the defaults a unit head would accept:

{steps}

**Opening an incident with 1,000 timeline entries: median {st['open_ms']:.0f} ms** (issue 16:
target ≤ 120 ms, {_met(st['open_ms'], 120)}; the first of {st['opens']} opens
{st['open_first_ms']:.0f} ms), from the double-click on its row in the incident list, after
another incident of another category was open, until it is loaded on the worker, every stage
page, the timeline and the lessons of its category are filled, and a turn of the event loop
paints nothing more.

**Switching stages on that incident: median {st['median_ms']:.1f} ms** (target ≤ 30 ms,
{_met(st['median_ms'], 30)}; slowest of {st['switches']} switches {st['max_ms']:.1f} ms), from
the click on the stage rail until the event loop has painted the page. Pages are built once
per incident and only shown on a switch.

**Case search over 10,000 archived cases** (about 1 KB of Chinese text each; median of 15
searches after one warm-up, on the worker, numbers included; target ≤ 50 ms:
{_met(worst, 50)} for every query):

| query | median | cases shown (at most 200) |
|---|---|---|
{rows}

Terms of three or more characters use the FTS5 trigram index; shorter terms (common in
Chinese: 走私, 豬瘟) are matched with instr() over the indexed text, which is why they cost
more. Case numbers are numbered per year with a window over an expression index, only for
the years on the page.
"""


def forms_section(m: dict) -> str:  # type: ignore[type-arg]
    return f"""
## Printed forms (issue 5)

Rendered with reportlab in a separate process (`benchmarks/printing.py`), Chinese in the embedded
TW-Kai subset:

| measure | figure |
|---|---|
| one drill report form, warm (median of 30) | {m['report_ms']:.0f} ms (target ≤ 150 ms, {_met(m['report_ms'], 150)}) |
| a batch of 100 forms (the {m['batch_kinds']:.0f} sample kinds in turn, 1 to 3 pages each) | {m['batch_s']:.1f} s (target ≤ 8 s, {_met(m['batch_s'], 8)}) |
| peak memory of that process (its own resident high-water mark) | {m['peak_mb']:.0f} MB |

The drill report measured is the sample form (`forms/samples.py`) laid out like the 001 form;
the real report form of issue 5 uses the same layout engine.
"""


def preview_section(m: dict) -> str:  # type: ignore[type-arg]
    after = m["after"]
    before = m.get("before")
    columns = "| before | after |" if before else "| figure |"
    rule = "|---|---|---|" if before else "|---|---|"

    def row(label: str, key: str, target: float | None = None) -> str:
        cells = [f"{before[key]:.0f} ms"] if before else []
        cells.append(f"{after[key]:.0f} ms" + (
            f" (target ≤ {target:.0f} ms, {_met(after[key], target)})" if target else ""))
        return f"| {label} | " + " | ".join(cells) + " |"

    pages = after["pages"]
    return f"""
## Print preview (issue 16)

`benchmarks/preview.py`: the real app started offscreen in a separate process, an incident
opened on the incidents screen, its Print ▸ form action triggered; timed until the preview's
first page image is painted. Medians of {after['runs']} runs{
" interleaved with the base commit's (before)" if before else ""}; the first print of a run is
clicked {after['first_click_s']:.1f} s after the process started (median), when the incident
is on screen; warm figures are the median of {preview_bench.WARM_REPEATS} prints per run.

| click Print → first page painted | {columns[2:]}
{rule}
{row("first print since start, notification form (1 page)", "first_ms", 600)}
{row(f"first print since start, case file ({pages['case_file']} pages)", "first_case_file_ms", 600)}
{row("warm, notification form", "warm_ms", 300)}
{row(f"warm, case file ({pages['case_file']} pages)", "case_file_ms", 300)}
"""


def fonts_section(m: dict) -> str:  # type: ignore[type-arg]
    names = list(m)
    rows = [
        ("file size (compressed in the portable archive)",
         lambda f: f"{f['mb']:.1f} MB ({f['gz_mb']:.1f} MB)"),
        ("glyphs / characters mapped", lambda f: f"{f['glyphs']:,.0f} / {f['chars']:,.0f}"),
        ("reportlab: parsing the face", lambda f: f"{f['load_ms']:.0f} ms"),
        ("first form of a process (drill report, face loaded first)",
         lambda f: f"{f['first_ms']:.0f} ms"),
        ("the same form, warm", lambda f: f"{f['warm_ms']:.0f} ms"),
        ("its PDF (reportlab embeds the glyphs used)", lambda f: f"{f['pdf_kb']:.0f} KB"),
        ("peak memory of that process", lambda f: f"{f['rss_mb']:.0f} MB"),
        ("Qt: `addApplicationFont` (Linux, fontconfig)", lambda f: f"{f['add_ms']:.1f} ms"),
        ("Qt: reading the file whole (what Qt on Windows does to register it)",
         lambda f: f"{f['read_ms']:.1f} ms"),
        ("Qt: first paint of a label in the face", lambda f: f"{f['paint_ms']:.1f} ms"),
    ]
    table = "\n".join(f"| {label} | " + " | ".join(cell(m[n]) for n in names) + " |"
                      for label, cell in rows)
    return f"""
## The form font (issue 12)

`benchmarks/fonts.py`: each file in fresh processes, median of {font_bench.REPEATS} interleaved
runs. "before" is the subset that held Big5 level 1 only (git {font_bench.BEFORE}); "shipped"
holds all of Big5 and every BMP ideograph (packaging/tools/make_font_subset.py).

| measure | {" | ".join(names)} |
|---|{"---|" * len(names)}
{table}

reportlab parses the face once per process (on the worker, at the first print); each form
then embeds only the glyphs it uses, so the PDF does not grow. Left to itself, reportlab would
also copy the whole glyph table for each 256 characters of every form: with the shipped face
that took a batch of 100 forms from 4.7 s to 8.6 s (measured once, 2026-12-06), so
`forms/fonts.py` hands reportlab the table without a copy, and a warm form costs what it did.
The window registers the face only on a PC without a Chinese font of its own (`ui/runtime/fonts.py`):
fontconfig registers any size at the same cost, but Qt on Windows reads the file whole first,
at every start before the window shows. The whole BMP face is measured for comparison only.
"""


def bundle_section(m: dict) -> str:  # type: ignore[type-arg]
    ratio_bare = m["frozen_app_ms"] / m["source_bare_ms"]
    largest = ", ".join(f"`{name}` {mb:.1f} MB" for name, mb in m["largest"])
    return f"""
## The bundle (issues 7 and 16)

`packaging/build.py` (PyInstaller, one folder) on this machine, measured by
`benchmarks/bundle.py`:

| measure | figure |
|---|---|
| build: catalogs, PyInstaller (`--clean`), portable archive | {m['build_s']:.0f} s |
| bundle folder (`dist/CrisisDesk`) | {m['bundle_mb']:.0f} MB in {m['bundle_files']:.0f} files |
| portable archive (`.tar.gz`) | {m['archive_mb']:.0f} MB |

The largest files in the folder (what is left out and why: `packaging/bundle_contents.py`,
`packaging/icu_data.py`; issue 16's target is 140 MB): {largest}.

Start-up of the bundle, timed like the start-up section (median of {m['repeats']} interleaved
runs): the probe `benchmarks/_child.py` bundled with the same spec and data, starting the app
through the same `main()` as the shipped executable. The baseline is the same bare PySide6 window started from Python.

| measure | median |
|---|---|
| bare PySide6 window from Python (the baseline above) | {m['source_bare_ms']:.0f} ms |
| CrisisDesk from the sources, main window shown | {m['source_app_ms']:.0f} ms |
| bare PySide6 window, bundled | {m['frozen_bare_ms']:.0f} ms |
| **CrisisDesk bundled, main window shown** | **{m['frozen_app_ms']:.0f} ms** ({ratio_bare:.2f}× the baseline; {m['frozen_app_ms'] / m['frozen_bare_ms']:.2f}× the bundled bare window) |
| CrisisDesk bundled, playbook on screen | {m['frozen_playbook_ms']:.0f} ms |
| CrisisDesk bundled, first start (database created) | {m['frozen_first_start_ms']:.0f} ms |

The bundled bare window shows what freezing itself costs: the bootloader starts first, then
the embedded Python, which imports its modules from the bundle's archive instead of a warm
virtualenv. Windows figures are not measured yet: the Windows workflow builds and smoke-tests
the bundle but does not time it.
"""


def sync_section(m: dict) -> str:  # type: ignore[type-arg]
    return f"""
## Sync (issue 6)

Measured by `benchmarks/sync.py` in a separate process: real data folders, one shared folder on
the local disk (a network share adds its latency per file; a run reads and writes a handful of
files, not one per change). The changes are timeline notes, 8 fields each.

| measure | figure |
|---|---|
| 10,000 changes exported by one PC (median of 3) | {m['export_s']:.2f} s (issue 16: target ≤ 0.5 s, {_met(m['export_s'], 0.5)}) |
| the same 10,000 changes imported by another PC (median of 3) | {m['import_s']:.2f} s (issue 16: target ≤ 1 s, {_met(m['import_s'], 1)}); {m['import_s'] / m['floor_s']:.1f}× its floor, SQLite alone inserting the same field versions with one executemany ({m['floor_s']:.2f} s, measured after each import) |
| the same between two enrolled PCs of an office (issue 15: every change checked for its enrolled author), exported / imported | {m['enrolled_export_s']:.2f} s / {m['enrolled_import_s']:.2f} s (import {100 * (m['enrolled_import_s'] / m['import_s'] - 1):+.0f}%; at most +10% allowed) |
| a sync with nothing new, against {m['records']:,} records ({m['versions']:,} field versions in the history; median of 15) | {m['nothing_new_ms']:.1f} ms (target ≤ 100 ms, {_met(m['nothing_new_ms'], 100)}) |
| {m['pcs']} PCs converging: each makes 21 edits (one on a field all of them change), then sync rounds until nothing moves | {m['converge_s']:.1f} s in {m['rounds']} rounds; all equal: {m['equal']}; conflicts left to decide: {m['conflicts']} |

A sync with nothing new costs a listing of each device folder and a few indexed queries, so it
grows with the number of PCs, not with the database.
"""


def sync_stall_section(m: dict) -> str:  # type: ignore[type-arg]
    rows = [("longest GUI event-loop stall (5 ms timer)", "stall_ms", "{:.0f} ms"),
            ("longest wait of a save on the worker", "save_wait_ms", "{:.0f} ms"),
            ("saves made during the run", "saves", "{:.0f}"),
            ("the run, from its start to its report in the window", "sync_s", "{:.1f} s")]
    if "base_stall_ms" not in m:  # no checkout of the base commit to compare with
        table = "\n".join(f"| {label} | – | {form.format(m['now_' + key])} |"
                           for label, key, form in rows)
    else:
        table = "\n".join(f"| {label} | {form.format(m['base_' + key])} | "
                           f"{form.format(m['now_' + key])} |" for label, key, form in rows)
    return f"""
## The window while it syncs (issue 16)

`benchmarks/sync_stall.py`: the window's own sync path (`SyncController`) imports 10,000
changes from another PC while a 5 ms timer ticks on the GUI thread and the worker saves a
timeline note 100 ms after each save ends, as a user typing. Median of {m['repeats']} runs each,
in fresh processes, interleaved: "before" is the base commit {m['base']} (the run in a thread
of the window's process), "now" the run in a process of its own (`main.py sync --report`).

| measure | before | now |
|---|---|---|
{table}

Target: the longest stall ≤ 20 ms ({_met(m['now_stall_ms'], 20)}). Before, the sync thread
held Python's lock for long stretches and the GUI thread's collections swept what it made; now
the window's process only starts the run, reads its report on the worker and reloads the views.
A save still waits for the sync's transaction in SQLite: one segment (up to 5,000 changes) is
applied in one transaction.
"""


def sync_export_section(m: dict) -> str:  # type: ignore[type-arg]
    now = f"{m['now_export_s']:.2f} s (CPU {m['now_export_cpu_s']:.2f} s)"
    if "base_export_s" not in m:  # no checkout of the base commit to compare with
        before, verdict = "–", f"here {_met(m['now_export_s'], 0.5)}"
    else:
        before = f"{m['base_export_s']:.2f} s (CPU {m['base_export_cpu_s']:.2f} s)"
        share = m["now_export_s"] / m["base_export_s"]
        verdict = (f"now {share:.0%} of the base's time, "
                   f"{m['now_export_cpu_s'] / m['base_export_cpu_s']:.0%} of its CPU time: "
                   f"{_met(share, 0.5 / 1.1)}")
    return f"""
## 10,000 changes exported (issue 16)

`benchmarks/sync_export.py`: one PC sends 10,000 timeline notes (8 fields each) in the sync run
after they were written, as `benchmarks/sync.py` measures it, in fresh processes interleaved
with the base commit {m['base']}; median of {m['repeats']} runs each, wall and CPU time.

| | before | now |
|---|---|---|
| the run that sends them | {before} | {now} |

Target: ≤ 0.5 s where the base took 1.1 s, at most 45% of its time ({verdict}). A change's
line is written from the history's JSON texts, each value's text kept where it is already as
the line writes it; what is left is SQLite reading the 80,000 field versions, composing the
lines, compressing the copy this PC keeps, and writing the file to the share.
"""


KEPT = "<!-- The sections below were written by hand"
"""Where the hand-written part of docs/benchmarks.md begins (before/after tables of the issues,
with their own runs): run.py rewrites what comes before it and keeps the rest."""


def _kept() -> str:
    """The hand-written part of the current file, from its KEPT marker on ("" if none)."""
    text = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
    start = text.find(KEPT)
    return "\n" + text[start:] if start >= 0 else ""


def review_section(m: dict) -> str:  # type: ignore[type-arg]
    return f"""
## The home screen and the annual review (issue 17)

`benchmarks/review.py`: ten years of a busy office in one data folder (2,000 incidents, each
with notifications, an acknowledgement, a released statement, its meeting, lessons and a
corrective action; 500 drills with signed evaluations); the last year
({m['incidents_in_year']:.0f} incidents). Medians of {review_bench.REPEATS} runs on the worker
thread's code, after one warm-up:

| measure | median |
|---|---|
| the home screen's job: what needs the executive secretary now ({m['open_incidents']:.0f} open incidents) | {m['home_ms']:.0f} ms (target ≤ 100 ms, {_met(m['home_ms'], 100)}) |
| the year's figures (`annual_figures`) | {m['figures_ms']:.0f} ms (target ≤ 100 ms, {_met(m['figures_ms'], 100)}) |
| the report made of them (`load_review`) | {m['report_ms']:.0f} ms |
| the Statistics screen's whole job: the report and its charts rasterised | {m['screen_job_ms']:.0f} ms (target ≤ 100 ms, {_met(m['screen_job_ms'], 100)}) |
"""


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Compiled catalogs, as an installed app has them (a source checkout compiles in memory).
    subprocess.run([sys.executable, "-m", "i18n.catalogs", "compile"], cwd=ROOT, check=True,
                   capture_output=True)
    s = startup.measure()
    verdict = "met" if s["ratio"] <= 1.5 else "NOT met"
    text = f"""# Benchmarks

Written by `benchmarks/run.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.
Machine: {machine()}.

## Start-up (issue 3)

Process start to the main window shown, median of {s['repeats']} runs each, the app and a bare
PySide6 window (`QApplication` + an empty `QMainWindow`) started the same way, interleaved in
the same run. The app's data folder already exists (an everyday start); "first start" (median
of 3) creates and seeds the database.

| measure | median |
|---|---|
| bare PySide6 window shown | {s['bare_shown_ms']:.0f} ms |
| CrisisDesk main window shown | {s['app_shown_ms']:.0f} ms |
| ratio (target ≤ 1.5×) | **{s['ratio']:.2f}×** ({verdict}) |
| CrisisDesk playbook on screen (database opened on the worker) | {s['app_playbook_ms']:.0f} ms |
| first start: playbook on screen (database created, migrated, seeded) | {s['first_start_playbook_ms']:.0f} ms |

How start-up is arranged (docs/architecture.md): before the window shows, only the settings
file, the compiled catalog, the font and the window frame load; SQLAlchemy, Alembic, babel and
reportlab are not imported on that path (a test checks it). The screens are built and the
database is opened right after the first show; Alembic loads only when a migration is due.
What is left between the bare window and ours (measured on 2026-11-24 with perf counters in
one process): importing the app's own modules (≈25 ms), building the window with its menus
(≈18 ms) and the UI font and language (≈7 ms). About 30 ms of that is PySide6 building Python
enum classes for the whole Qt namespace on the first access to any Qt enum (a shortcut, a
size policy, an item role), which a bare window never does and any real window does. A frozen
(PyInstaller) build changes these costs; the packaging issue measures it.
""" + incident_section(incidents.measure()) + forms_section(form_bench.measure()) \
        + preview_section(preview_bench.measure(preview_bench.base_tree())) \
        + fonts_section(font_bench.measure()) + bundle_section(bundle.measure()) \
        + sync_section(sync_bench.measure()) + sync_stall_section(sync_stall.measure()) \
        + sync_export_section(sync_export.measure()) + review_section(review_bench.measure())
    OUT.write_text(text + _kept(), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
