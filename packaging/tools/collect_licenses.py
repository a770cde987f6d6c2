"""Write the licence texts of the bundled parts into resources/licenses/ (maintainers only).

    .venv/bin/python packaging/tools/collect_licenses.py

Run it after adding or upgrading a dependency, check the diff, and commit the texts. Each
file is taken from what is actually installed: a distribution's own licence files (its
dist-info, and licence files inside the package such as Babel's CLDR licence), Python's
LICENSE.txt, PyInstaller's COPYING.txt. Two texts come from Debian's /usr/share/common-licenses,
because the PySide6 wheels carry none (LGPL-3.0 and the GPL-3.0 it builds on), and the Apache
licence for tzdata when it is not installed (it is a Windows-only dependency).

The list of parts is appinfo/third_party.py; a test checks every file it names exists.
"""

from __future__ import annotations

import sys
import sysconfig
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from appinfo.third_party import COMPONENTS, Component

OUT = ROOT / "resources" / "licenses"
DEBIAN = Path("/usr/share/common-licenses")
FIXED = {
    "licenses/LGPL-3.0.txt": [DEBIAN / "LGPL-3"],
    "licenses/GPL-3.0.txt": [DEBIAN / "GPL-3"],
}
# pypdfium2 ships the licences of every platform's build; these folders are for builds the
# app never uses (Android, musl libc, the XFA variant).
SKIPPED_FOLDERS = {"android", "cibw_musl", "pbin_musl", "pbin_and_sbuild", "v8_xfa"}


def _is_licence(path: metadata.PackagePath) -> bool:
    """A licence file: so named, or anything in a dist-info's licenses/ folder (PEP 639)."""
    name = path.name.upper()
    named = ("LICEN" in name or "COPYING" in name) and not name.endswith((".PY", ".PYC"))
    in_folder = any(part.endswith(".dist-info") for part in path.parts) and "licenses" in path.parts
    return (named or in_folder) and not SKIPPED_FOLDERS & set(path.parts)


def _distribution_files(name: str) -> list[Path]:
    dist = metadata.distribution(name)
    files = sorted((p for p in dist.files or () if _is_licence(p)), key=str)
    return [Path(str(dist.locate_file(p))) for p in files]


def _python_licence() -> list[Path]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    return [p for p in (stdlib / "LICENSE.txt", Path(sys.base_prefix) / "LICENSE.txt")
            if p.is_file()][:1]


def _sources(component: Component, target: str) -> list[Path]:
    if target in FIXED:
        return FIXED[target]
    if component.name == "Python":
        return _python_licence()
    if component.name.startswith("PyInstaller"):
        return _distribution_files("pyinstaller")
    try:
        return _distribution_files(component.distribution)
    except metadata.PackageNotFoundError:
        if component.distribution == "tzdata":
            return [DEBIAN / "Apache-2.0"]
        raise


def _text(sources: list[Path]) -> str:
    if len(sources) == 1:
        return sources[0].read_text(encoding="utf-8", errors="replace")
    parts = []
    for source in sources:
        body = source.read_text(encoding="utf-8", errors="replace").strip()
        parts.append(f"==== {source.parent.name}/{source.name} ====\n\n{body}\n")
    return "\n\n".join(parts)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for component in COMPONENTS:
        for target in component.files:
            if not target.startswith("licenses/"):
                continue  # kept elsewhere (the font's licence lives beside the font)
            sources = _sources(component, target)
            if not sources:
                print(f"no licence text found for {component.name}", file=sys.stderr)
                return 1
            (ROOT / "resources" / target).write_text(_text(sources), encoding="utf-8")
            print(f"{target}: {', '.join(s.name for s in sources)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
