"""models/, forms/ and i18n/ never import Qt or ui/ (DESIGN.md's arrows), so the domain runs in
the command line, the worker and the tests alike. Checked on the source and on a real import."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("PySide6", "shiboken6", "ui")


def imports(layer: str) -> list[tuple[str, str]]:
    """(file, imported module) for every import statement in the sources of `layer`."""
    found = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [(str(path.relative_to(ROOT)), name) for name in names]
    return found


@pytest.mark.parametrize("layer", ["appinfo", "models", "forms", "i18n"])
def test_layer_source_imports_no_qt_and_no_ui(layer: str) -> None:
    offenders = [f"{path}: {name}" for path, name in imports(layer)
                 if name.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_importing_the_domain_loads_no_qt() -> None:
    code = ("import sys, pkgutil, importlib, models\n"
            "for m in pkgutil.walk_packages(models.__path__, 'models.'):\n"
            "    if '.migrations' not in m.name: importlib.import_module(m.name)\n"
            "import i18n, i18n.roc, i18n.formatting, forms.render, forms.samples\n"
            "print(sorted(n for n in sys.modules if n.split('.')[0] in ('PySide6', 'ui')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_the_window_starts_without_loading_the_database_layer() -> None:
    """What the window needs before it first shows loads no SQLAlchemy, Alembic, babel,
    reportlab or pdfium: those load on the database worker (or when first needed), which keeps
    start-up close to a bare Qt window and the GUI thread free while the database opens."""
    code = ("import sys, main, ui.app, ui.main_window\n"
            "print(sorted({n.split('.')[0] for n in sys.modules} & "
            "{'sqlalchemy', 'alembic', 'babel', 'reportlab', 'pypdfium2'}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_appinfo_imports_nothing_of_ours() -> None:
    """appinfo/ sits below every layer: it may not reach up into any of them."""
    ours = {"forms", "i18n", "models", "ui", "main"}
    assert [f"{path}: {name}" for path, name in imports("appinfo")
            if name.split(".")[0] in ours] == []


def test_forms_use_nothing_of_ours_but_i18n_and_appinfo() -> None:
    """forms/ takes plain data in and gives PDF bytes out: no database, no domain model, so a
    form renders the same from the window, the command line and the tests."""
    ours = {"forms", "i18n", "models", "ui", "main", "appinfo"}
    allowed = ("forms", "i18n", "appinfo")
    offenders = [f"{path}: {name}" for path, name in imports("forms")
                 if name.split(".")[0] in ours
                 and not any(name == a or name.startswith(f"{a}.") for a in allowed)]
    assert offenders == []
