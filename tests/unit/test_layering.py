"""models/, forms/ and i18n/ never import Qt or ui/ (DESIGN.md's arrows), so the domain runs in
the command line, the worker and the tests alike. Checked on the source and on a real import,
with the arrows between the packages inside models/ and inside ui/ (docs/architecture.md).

Not checked: which packages of models/ each package of ui/ uses (a screen of drills may read
the playbook; what it may not do is reach another feature's screens, which is checked)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("PySide6", "shiboken6", "ui")
OURS = ("appinfo", "i18n", "forms", "models", "ui", "main")

LOWER = ("appinfo", "i18n")
"""What every layer of ours may use: where the shipped files are, and the gettext markers."""


def imports(layer: str) -> list[tuple[str, str]]:
    """(file, imported module) for every import statement in the sources of `layer`."""
    found = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [(str(path.relative_to(ROOT)), name) for name in names]
    return found


@pytest.mark.parametrize("layer", ["appinfo", "models", "forms", "i18n", "ui"])
def test_imports_are_absolute(layer: str) -> None:
    """A relative import hides the arrow it draws from the checks below (and from a reader)."""
    relative = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        relative += [f"{path.relative_to(ROOT)}: line {node.lineno}"
                     for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                     if isinstance(node, ast.ImportFrom) and node.level]
    assert relative == []


def test_models_use_nothing_of_ours_but_forms_i18n_and_appinfo() -> None:
    offenders = [f"{path}: {name}" for path, name in imports("models")
                 if name.split(".")[0] in OURS and not _within(name, ("models", "forms", *LOWER))]
    assert offenders == []


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
    """What the window needs before it first shows, and before the playbook first shows
    (its screen and its first read from the database file), loads no SQLAlchemy, Alembic,
    babel, reportlab or pdfium: those load on the database worker (or when first needed),
    which keeps start-up close to a bare Qt window and the GUI thread free while the database
    opens."""
    code = ("import sys, tempfile, pathlib, main, ui.app, ui.main_window, ui.playbook.screen\n"
            "from ui.runtime.jobs import first_playbook_snapshot\n"
            "first_playbook_snapshot(pathlib.Path(tempfile.mkdtemp()))  # a first start\n"
            "print(sorted({n.split('.')[0] for n in sys.modules} & "
            "{'sqlalchemy', 'alembic', 'babel', 'reportlab', 'pypdfium2'}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


SHOWN = """
import sys
from PySide6 import QtCore
from PySide6.QtWidgets import QApplication, QMainWindow

shown = QMainWindow.showEvent

def report(window, event):
    shown(window, event)
    if window.objectName() == "main_window":
        print(sorted(n for n in sys.modules if n in DEFERRED), "Qt" in vars(QtCore), flush=True)
        QtCore.QTimer.singleShot(0, QApplication.quit)

QMainWindow.showEvent = report
DEFERRED = {"logging.handlers", "socket", "pickle", "configparser", "i18n.formatting",
            "sqlalchemy"}
import main
main.main(["--data-dir", sys.argv[1]])
"""


def test_the_window_shows_before_what_it_does_not_need(tmp_path: Path) -> None:
    """A real start, up to the main window's show: neither what the log's file handler
    (logging.handlers: socket, pickle), the screens' layout file (configparser) and the dates
    shown in the screens (i18n.formatting) need is loaded by then, nor Qt's namespace created (ui/main_window.py, _FOREGROUND_ROLE): each cost the show
    milliseconds that a bare window does not pay."""
    from models.org.people import Role
    from models.org.settings import Settings, save_settings

    save_settings(tmp_path, Settings(user_name="Test", unit_key="ops1", role=Role.PLANNING))
    out = subprocess.run([sys.executable, "-c", SHOWN, str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True, check=True, timeout=60,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.splitlines()[0] == "[] False"


def _module(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".").removesuffix(".__init__")


def _within(name: str, packages: tuple[str, ...] | frozenset[str]) -> bool:
    return any(name == p or name.startswith(f"{p}.") for p in packages)


MODEL_ARROWS = {
    "models.core": (),
    "models.storage": ("models.core",),
    "models.org": ("models.core", "models.storage", "models.sync.policy"),
    "models.playbook": ("models.core", "models.storage", "models.org", "models.sync.policy"),
    "models.incidents": ("models.core", "models.storage", "models.org", "models.playbook",
                         "models.sync.policy"),
    "models.drills": ("models.core", "models.storage", "models.org", "models.playbook",
                      "models.sync.policy"),
    "models.sync": ("models.core", "models.storage", "models.org"),
    "models.live_drills": ("models.core", "models.storage", "models.org", "models.playbook",
                           "models.incidents", "models.drills", "models.sync.policy"),
    "models.review": ("models.core", "models.storage", "models.org", "models.playbook",
                      "models.incidents", "models.drills", "models.live_drills",
                      "models.sync.policy"),
}
"""The packages of models/ and the packages each may import (besides itself and LOWER).
Storage names no feature and no sync; incidents and drills never import each other (they
share the playbook through models.playbook); every feature declares its sync rules through
models.sync.policy alone, which imports only models.core; the sync engine names no feature.
A live drill (models.live_drills) runs a drill incident in the incidents' wizard, so it
stands above both, as the team's review, which reads incidents and drills alike, does. The modules at the top of
models/ (startup, schema, admin, trust_admin, samples, case_scenarios) compose the packages and may
import any of them; nothing in a package imports them."""

COMPOSITION = ("models.startup", "models.schema", "models.admin", "models.trust_admin",
               "models.samples", "models.case_scenarios")

def test_models_packages_import_only_the_packages_below_them() -> None:
    offenders = []
    for path, name in imports("models"):
        module = _module(path)
        if ".migrations" in module or not name.startswith("models"):
            continue  # the migrations are the whole schema's history, every feature's tables
        if module in COMPOSITION:
            continue
        package = next((p for p in MODEL_ARROWS if _within(module, (p,))), None)
        assert package is not None, f"{path} is in no package of models/"
        if not _within(name, (package, *MODEL_ARROWS[package])):
            offenders.append(f"{path}: {name}")
    assert offenders == []


def test_the_policy_declarations_import_only_the_core() -> None:
    assert [name for path, name in imports("models/sync")
            if path.endswith("policy.py") and name.startswith("models")
            and not _within(name, ("models.core",))] == []


def test_no_package_of_models_has_a_module_left_at_the_top_but_the_composition() -> None:
    top = {p.stem for p in (ROOT / "models").glob("*.py")} - {"__init__"}
    assert {f"models.{name}" for name in top} == set(COMPOSITION)


UI_ARROWS = {
    "ui.runtime": (),
    "ui.widgets": ("ui.runtime",),
    "ui.printing": ("ui.runtime", "ui.widgets"),
    **{f"ui.{feature}": ("ui.runtime", "ui.widgets", "ui.printing")
       for feature in ("incidents", "drills", "playbook", "sync", "settings", "review",
                       "live_drills")},
}
"""The packages of ui/ and the packages of ui/ each may import: the runtime (worker, ops,
feedback, language) below everything, the widgets and the printing service above it, each
feature's screens and dialogs above those, never another feature's. The modules at the top of
ui/ (app, main_window, selftest, about) assemble the window from them."""


def test_ui_packages_import_only_the_runtime_widgets_and_printing() -> None:
    offenders = []
    for path, name in imports("ui"):
        module = _module(path)
        package = next((p for p in UI_ARROWS if _within(module, (p,))), None)
        if package is None or not name.startswith("ui"):
            continue  # a top-level module of ui/ assembles the window
        if not _within(name, (package, *UI_ARROWS[package])):
            offenders.append(f"{path}: {name}")
    assert offenders == []


def test_appinfo_imports_nothing_of_ours_but_the_gettext_markers() -> None:
    """appinfo/ sits below every layer: it may not reach up into any of them (the licence
    list marks its descriptions with i18n's N_, which imports nothing of ours)."""
    assert [f"{path}: {name}" for path, name in imports("appinfo")
            if name.split(".")[0] in OURS and not _within(name, ("appinfo", "i18n"))] == []
    assert [f"{path}: {name}" for path, name in imports("i18n")
            if name.split(".")[0] in OURS and not _within(name, ("i18n", "appinfo"))] == []


def test_forms_use_nothing_of_ours_but_i18n_and_appinfo() -> None:
    """forms/ takes plain data in and gives PDF bytes out: no database, no domain model, so a
    form renders the same from the window, the command line and the tests."""
    offenders = [f"{path}: {name}" for path, name in imports("forms")
                 if name.split(".")[0] in OURS and not _within(name, ("forms", *LOWER))]
    assert offenders == []


def test_every_table_but_the_syncs_own_is_declared_by_one_feature() -> None:
    """A table no feature declares would never reload a view (nor, later, sync by its rules)."""
    from models.schema import POLICIES, TABLES
    from models.sync.entities import SYNC_TABLE_PREFIX

    declared = [t for policy in POLICIES for t in policy.changes]
    assert len(declared) == len(set(declared))
    assert set(declared) == {t for t in TABLES.tables if not t.startswith(SYNC_TABLE_PREFIX)}
