"""The licence list of Help > About (appinfo/third_party.py) covers what ships: every package
the app installs is listed, and every listed licence text is in resources/."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

from appinfo.resources import resource_path
from appinfo.third_party import COMPONENTS

ROOT = Path(__file__).resolve().parents[3]


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", Requirement(requirement).name).lower()


def installed_dependencies() -> set[str]:
    """The app's dependencies from pyproject.toml and theirs, as installed here (extras and
    markers for other platforms left out)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pending = [r for r in project["dependencies"]
               if Requirement(r).marker is None or Requirement(r).marker.evaluate()]
    found: set[str] = set()
    while pending:
        requirement = Requirement(pending.pop())
        name = _name(str(requirement))
        if name in found:
            continue
        try:
            requires = metadata.requires(requirement.name) or []
        except metadata.PackageNotFoundError:
            continue  # not for this platform
        found.add(name)
        pending += [r for r in requires
                    if Requirement(r).marker is None or Requirement(r).marker.evaluate({"extra": ""})]
    return found


def test_every_installed_dependency_has_a_licence_entry() -> None:
    listed = {_name(d) for c in COMPONENTS for d in c.distributions}
    installed = installed_dependencies()
    assert {"pyside6-essentials", "alembic", "mako", "reportlab", "pillow"} <= installed
    missing = installed - listed
    assert missing == set(), f"add these to appinfo/third_party.py: {sorted(missing)}"


def test_every_licence_text_is_shipped() -> None:
    for component in COMPONENTS:
        assert component.files, component.name
        for name in component.files:
            path = resource_path(*name.split("/"))
            assert path.is_file() and path.stat().st_size > 500, path


def test_the_fonts_attribution_is_the_one_its_licence_file_gives() -> None:
    font = next(c for c in COMPONENTS if "TW-Kai" in c.name)
    assert font.licence == "OGDL-Taiwan-1.0"
    assert "國家發展委員會 2018 全字庫正楷體 (TW-Kai) 第103.1版" in font.attribution
    assert "國家發展委員會 2018 全字庫正楷體 (TW-Kai) 第103.1版" in resource_path(
        "fonts", "LICENSE-TW-Kai.txt").read_text(encoding="utf-8")
