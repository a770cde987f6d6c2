"""The Linux bundle, built with PyInstaller exactly as packaging/build.py builds it and run as
an office PC runs it: the self-test shows the main window in Chinese (our catalog and Qt's own
are inside), the IT defaults file beside the executable is read, every form renders to PDF
(fonts, ReportLab's barcode modules) and `check` passes (the Alembic scripts are inside).
What the spec leaves out (issue 16) is checked where the off-screen runs cannot see it: the
plugins a desktop needs are in and every library finds what it links to, and the smaller ICU
data sorts and names time zones as Qt's own does.

Building takes about 30 s here (docs/benchmarks.md). A build is kept under build/test-bundle/
keyed by a hash of everything it is made from (the sources, resources, catalogs, the spec and
the installed packages), so running the tests again without changes reuses it; CI starts from
a fresh clone and always builds.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
from PyInstaller.depend import dylib

from appinfo.meta import APP_NAME, VERSION
from i18n import _
from models.org.it_defaults import DEFAULTS_FILE
from ui.main_window import WINDOW_TITLE

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "build" / "test-bundle"
INPUTS = ("main.py", "models", "forms", "i18n", "ui", "resources", "packaging/crisisdesk.spec",
          "packaging/build.py", "packaging/icu_data.py", "packaging/bundle_contents.py")
DESKTOP_PLUGINS = (
    "platforms/libqxcb.so", "platforms/libqwayland.so",  # X11 and Wayland desktops
    "wayland-shell-integration/libxdg-shell.so", "wayland-decoration-client/libbradient.so",
    "platforminputcontexts/libibusplatforminputcontextplugin.so",  # typing Chinese (ibus)
    "platforminputcontexts/libcomposeplatforminputcontextplugin.so",
    "printsupport/libcupsprintersupport.so",  # the printers in the print dialog
    "platformthemes/libqgtk3.so", "platformthemes/libqxdgdesktopportal.so",
    "iconengines/libqsvgicon.so", "imageformats/libqsvg.so",  # the window icon
)
"""Plugins an office PC uses that the off-screen runs below never load."""
# Loaded by path: the folder is named "packaging", like the PyPI library PyInstaller imports.
_spec = importlib.util.spec_from_file_location("bundle_contents",
                                               ROOT / "packaging" / "bundle_contents.py")
assert _spec is not None and _spec.loader is not None
contents = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(contents)


def from_the_system(library: str) -> bool:
    """Whether the bundle leaves *library* to the system: PyInstaller's own choice (the C
    library, OpenGL, libxcb, Wayland's) or packaging/bundle_contents.py's."""
    return library in contents.SYSTEM_LIBRARIES or not dylib.include_library(library)
pytestmark = [pytest.mark.slow,
              # the first test waits for the build (over two minutes on a busy machine)
              pytest.mark.timeout(900),
              pytest.mark.skipif(not sys.platform.startswith("linux"),
                                 reason="the Windows bundle is built and run by "
                                        ".github/workflows/windows-build.yml")]


def inputs_digest() -> str:
    """A hash of what the bundle is made of; compiled catalogs and caches are left out (the
    .po files they come from are in)."""
    digest = hashlib.sha256()
    for name in INPUTS:
        path = ROOT / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts and file.suffix != ".mo":
                digest.update(str(file.relative_to(ROOT)).encode() + b"\0")
                digest.update(file.read_bytes())
    packages = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update(json.dumps([sys.version, packages]).encode())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built bundle's folder: a cached build with the same inputs, or a new one."""
    cached = CACHE / inputs_digest()
    executable = cached / APP_NAME / APP_NAME
    if not executable.is_file():
        work = tmp_path_factory.mktemp("pyinstaller")
        result = subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"),
                                 "--dist", str(work / "dist"), "--work", str(work / "work"),
                                 "--no-archive"], capture_output=True, text=True, timeout=900,
                                cwd=ROOT)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        shutil.rmtree(CACHE, ignore_errors=True)  # one build kept, not one per change
        cached.parent.mkdir(parents=True)
        shutil.move(work / "dist", cached)
    return cached / APP_NAME


def run(bundle: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The bundled executable, off-screen, with a clean environment for Python (no
    PYTHONPATH or virtualenv leaking in: the bundle must be self-contained)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run([str(bundle / APP_NAME), *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=120, env=env, cwd=bundle.parent)


@pytest.fixture
def defaults_beside(bundle: Path) -> Iterator[Path]:
    """Where IT staff put crisisdesk-defaults.json; removed again, the bundle is shared."""
    path = bundle / DEFAULTS_FILE
    yield path
    path.unlink(missing_ok=True)


def test_the_bundle_says_its_version(bundle: Path) -> None:
    result = run(bundle, "--version")
    assert result.returncode == 0 and result.stdout.strip() == f"{APP_NAME} {VERSION}"


def test_the_bundle_shows_the_main_window_in_chinese(bundle: Path, tmp_path: Path,
                                                     defaults_beside: Path) -> None:
    defaults_beside.write_text(json.dumps({
        "format": "crisisdesk-defaults", "format_version": 1, "office": "taipei",
        "language": "zh_TW", "share_folder": "\\\\fs01\\crisis"}), encoding="utf-8")
    shot = tmp_path / "window.png"
    result = run(bundle, "--data-dir", str(tmp_path / "data"), "selftest",
                 "--screenshot", str(shot))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert _(WINDOW_TITLE) != WINDOW_TITLE and _(WINDOW_TITLE) in result.stdout
    assert any("取消" in line for line in lines)  # Qt's own qtbase_zh_TW.qm is inside
    assert any(str(defaults_beside) in line and line.startswith("[OK  ]") for line in lines)
    status = next(line for line in lines if " · " in line and "臺北關" in line)
    assert status.startswith("[OK  ]")  # the office from the defaults file
    assert shot.read_bytes().startswith(b"\x89PNG")
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    shutil.copy(shot, artifacts / "bundle-selftest.png")


def test_a_bad_defaults_file_fails_the_selftest_not_the_start(bundle: Path, tmp_path: Path,
                                                              defaults_beside: Path) -> None:
    defaults_beside.write_text("{office: taipei}", encoding="utf-8")
    result = run(bundle, "--data-dir", str(tmp_path), "selftest")
    assert result.returncode == 1
    assert any(line.startswith("[FAIL]") and str(defaults_beside) in line
               for line in result.stdout.splitlines())
    assert "Traceback" not in result.stderr


def test_the_bundle_renders_every_form(bundle: Path, tmp_path: Path) -> None:
    result = run(bundle, "forms", "sample", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    pdfs = sorted(tmp_path.glob("*.pdf"))
    assert len(pdfs) == 10 and all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    # ... in the form font, which the bundle holds only compressed (18 of its 34 MB)
    fonts = [path.name for path in bundle.rglob("TWKai-subset*")]
    assert fonts == ["TWKai-subset.ttf.gz"]
    assert all(b"/FontName /AAAAAA+TW-Kai" in p.read_bytes() for p in pdfs)


def test_the_bundle_checks_a_new_database(bundle: Path, tmp_path: Path) -> None:
    result = run(bundle, "--data-dir", str(tmp_path), "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("[OK  ]") == 6  # schema (the Alembic scripts), its objects, ..., log
    assert "資料庫結構版本" in result.stdout


def test_the_bundle_has_the_desktop_plugins_and_each_library_finds_its_own(bundle: Path) -> None:
    plugins = bundle / "_internal" / "PySide6" / "Qt" / "plugins"
    assert [name for name in DESKTOP_PLUGINS if not (plugins / name).is_file()] == []
    # The bootloader puts the bundle's folder first on the loader's path; the rest (the C
    # library, libX11, fontconfig...) comes from the system, as on the user's PC. What this
    # machine lacks of that (Wayland's libraries, say) is the desktop's to provide; the plugins
    # using the desktop's GTK and CUPS are skipped by Qt where those are missing.
    env = {**os.environ, "LD_LIBRARY_PATH": str(bundle / "_internal")}
    unresolved = {}
    for path in sorted(bundle.rglob("*")):
        if not path.is_file() or path.is_symlink() or path.name in contents.SYSTEM_PROVIDED:
            continue
        with path.open("rb") as file:
            if file.read(4) != b"\x7fELF":
                continue
        listing = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env)
        lost = {line.split()[0] for line in listing.stdout.splitlines() if "not found" in line}
        if lost - {name for name in lost if from_the_system(name)}:
            unresolved[str(path.relative_to(bundle))] = sorted(lost)
    assert unresolved == {}


ICU_PROBE = """
from PySide6.QtCore import QCollator, QDate, QDateTime, QLocale, QStringDecoder, QTime, QTimeZone
words = ["關務署", "基隆關", "臺北關", "高雄關", "臺中關", "一級", "apple", "Zebra", "änder",
         "10 file", "9 file", "Øre", "ängel"]
for name in ("zh_TW", "en_US"):
    collator = QCollator(QLocale(name))
    collator.setNumericMode(True)
    print(name, sorted(words, key=collator.sortKey))
zone, moment = QTimeZone(b"Asia/Taipei"), QDateTime(QDate(2026, 12, 7), QTime(12, 0))
for name in ("zh_TW", "en_US"):
    for kind in QTimeZone.NameType:
        print(name, kind, zone.displayName(moment, kind, QLocale(name)))
print(QLocale("tr_TR").toUpper("istanbul"), QLocale("en_US").toLower("ÅNGSTRÖM"))
print(QStringDecoder("Big5").isValid())
"""


def test_the_smaller_icu_data_sorts_and_names_time_zones_as_qts_own(bundle: Path) -> None:
    """What Qt asks ICU for (packaging/icu_data.py): collation (Qt's locale is the app's
    language, ui/runtime/language.py), time-zone names, case mapping. Run with the installed
    Qt, once with its own ICU data and once with the bundle's in its place; the legacy
    converters (Big5 here) are what is left out, and show that the bundle's was used."""
    slim = next((bundle / "_internal" / "PySide6" / "Qt" / "lib").glob("libicudata.so.*"))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}

    def probe(**extra: str) -> str:
        result = subprocess.run([sys.executable, "-c", ICU_PROBE], capture_output=True,
                                text=True, encoding="utf-8", env={**env, **extra}, check=True)
        assert result.stderr == ""
        return result.stdout

    full = probe().splitlines()
    smaller = probe(LD_PRELOAD=str(slim)).splitlines()
    assert "zh_TW NameType.LongName 台北標準時間" in full
    assert smaller[:-1] == full[:-1]
    assert (full[-1], smaller[-1]) == ("True", "False")


def test_the_bundle_syncs_as_the_window_starts_it(bundle: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The window's sync runs the bundled executable itself (ui/sync/controller.py
    sync_command, frozen): it takes the sync command without opening a window, sends this
    PC's records to the share and leaves the report the window reads back."""
    from models.org.settings import Settings
    from models.startup import open_data_dir
    from models.sync.report_json import read_report
    from ui.sync.controller import sync_command

    data_dir, share, report = tmp_path / "data", tmp_path / "share", tmp_path / "report.json"
    share.mkdir()
    open_data_dir(data_dir, "keelung").close()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(bundle / APP_NAME))
    program, arguments = sync_command(data_dir, share, Settings(user_name="林組長",
                                                                unit_key="ops1"), report)
    monkeypatch.undo()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run([program, *arguments], capture_output=True, text=True,
                          encoding="utf-8", timeout=120, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    result, _standing = read_report(report)
    assert not result.error and result.sent_changes > 0
    assert any((share / "devices").iterdir())
