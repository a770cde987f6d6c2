"""Build the CrisisDesk bundle, its portable archive and (on Windows) the installer.

    .venv/bin/python packaging/build.py                  # Linux  (packaging/build-linux.sh)
    .venv\\Scripts\\python packaging\\build.py --installer # Windows (packaging\\build-windows.ps1)

Steps, each printed with its time:
  1. compile the gettext catalogs (the bundle ships the .mo files);
  2. on Windows, draw the program icon (.ico) from resources/icons/crisisdesk.svg;
  3. PyInstaller with packaging/crisisdesk.spec into DIST/CrisisDesk (one folder);
  4. the portable archive DIST/CrisisDesk-<version>-<platform>.zip (.tar.gz on Linux);
  5. with --installer: Inno Setup's compiler (ISCC) on packaging/crisisdesk.iss, giving
     DIST/CrisisDesk-<version>-setup.exe.

Why one Python script behind two thin shell wrappers: the steps are the same on both
systems, and PyInstaller cannot cross-build (DESIGN.md), so each system runs this on itself.
Nothing here needs more than the project's virtualenv with the "test" extra (PyInstaller).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from appinfo.meta import APP_ID, APP_NAME, VERSION  # noqa: E402

SPEC = ROOT / "packaging" / "crisisdesk.spec"
ISS = ROOT / "packaging" / "crisisdesk.iss"
ICON = ROOT / "build" / "icon" / f"{APP_ID}.ico"
IS_WINDOWS = sys.platform == "win32"
INNO_COMPILER = Path(os.environ.get("ProgramFiles(x86)", r"C:\Program Files (x86)")) / \
    "Inno Setup 6" / "ISCC.exe"


def step(title: str) -> float:
    print(f"== {title}", flush=True)
    return time.perf_counter()


def done(started: float) -> None:
    print(f"   {time.perf_counter() - started:.1f} s", flush=True)


def run(*command: str | Path) -> None:
    subprocess.run([str(c) for c in command], cwd=ROOT, check=True)


def make_icon(target: Path) -> None:
    """The SVG drawn by Qt at 256 px, written as a Windows icon with the usual sizes (Pillow
    is there anyway: ReportLab needs it)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (Qt needs one)
    image = QImage(256, 256, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(ROOT / "resources" / "icons" / f"{APP_ID}.svg")).render(painter)
    painter.end()
    target.parent.mkdir(parents=True, exist_ok=True)
    png = target.with_suffix(".png")
    if not image.save(str(png)):
        raise SystemExit(f"build: could not write {png}")
    Image.open(png).save(target, sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64),
                                        (128, 128), (256, 256)])


def archive(bundle: Path, dist: Path) -> Path:
    """The portable bundle: unpack anywhere and start CrisisDesk(.exe); nothing to install."""
    platform = "windows" if IS_WINDOWS else "linux"
    stem = dist / f"{APP_NAME}-{VERSION}-{platform}-portable"
    if IS_WINDOWS:
        return Path(shutil.make_archive(str(stem), "zip", bundle.parent, bundle.name))
    target = dist / f"{stem.name}.tar.gz"
    with tarfile.open(target, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=bundle.name)  # keeps the executable bit and symbolic links
    return target


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build(dist: Path, work: Path, *, portable: bool, installer: bool) -> Path:
    """Build into *dist*; returns the bundle's folder."""
    started = step("compiling the translation catalogs")
    run(sys.executable, "-m", "i18n.catalogs", "compile")
    done(started)
    if IS_WINDOWS:
        started = step(f"drawing the icon {ICON.relative_to(ROOT)}")
        make_icon(ICON)
        done(started)
    started = step(f"PyInstaller {SPEC.relative_to(ROOT)} -> {dist}")
    run(sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", dist, "--workpath", work, SPEC)
    bundle = dist / APP_NAME
    done(started)
    files = sum(1 for p in bundle.rglob("*") if p.is_file())
    print(f"   bundle: {bundle} ({folder_size(bundle) / 1e6:.0f} MB in {files} files)", flush=True)
    if portable:
        started = step("portable archive")
        packed = archive(bundle, dist)
        done(started)
        print(f"   {packed} ({packed.stat().st_size / 1e6:.0f} MB)", flush=True)
    if installer:
        started = step(f"installer ({ISS.relative_to(ROOT)})")
        compiler = shutil.which("ISCC") or str(INNO_COMPILER)
        run(compiler, f"/DAppName={APP_NAME}", f"/DAppVersion={VERSION}",
            f"/DAppExe={APP_NAME}.exe", f"/DSourceDir={bundle}", f"/DOutputDir={dist}",
            f"/DIconFile={ICON}", ISS)
        done(started)
    return bundle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist",
                        help="where the bundle goes (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller",
                        help="PyInstaller's work folder (default: build/pyinstaller)")
    parser.add_argument("--no-archive", action="store_true",
                        help="leave out the portable archive")
    parser.add_argument("--installer", action="store_true",
                        help="also build the Windows installer with Inno Setup (Windows only)")
    args = parser.parse_args(argv)
    if args.installer and not IS_WINDOWS:
        parser.error("--installer needs Windows (Inno Setup)")
    started = time.perf_counter()
    build(args.dist.resolve(), args.work.resolve(), portable=not args.no_archive,
          installer=args.installer)
    print(f"== built {APP_NAME} {VERSION} in {time.perf_counter() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
