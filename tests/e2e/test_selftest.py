"""`main.py selftest`, run as IT staff run it after an install: it starts the real window
off-screen, reports what it shows and exits; a database it cannot open fails it, without a
message box waiting for a click."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from i18n import _
from models.startup import open_data_dir
from models.storage.names import DATABASE_FILE
from ui.main_window import WINDOW_TITLE

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def selftest(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir),
                           "selftest", *args], capture_output=True, text=True, timeout=120,
                          encoding="utf-8", env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))


def test_selftest_shows_the_window_in_chinese_and_passes(tmp_path: Path) -> None:
    shot = tmp_path / "shot" / "window.png"
    result = selftest(tmp_path / "data", "--screenshot", str(shot))
    assert result.returncode == 0, result.stdout + result.stderr
    title = _(WINDOW_TITLE)  # the zh_TW catalog's wording
    assert title != WINDOW_TITLE
    assert title in result.stdout
    assert "「取消」" in result.stdout or '"取消"' in result.stdout  # Qt's own catalog
    assert "[FAIL]" not in result.stdout
    # Qt's own English ("This plugin does not support propagateSizeHints()") goes to the log.
    assert result.stderr == "", result.stderr
    assert (tmp_path / "data" / DATABASE_FILE).is_file()
    assert not (tmp_path / "data" / "settings.json").exists()  # never saves settings
    assert shot.read_bytes().startswith(b"\x89PNG")


def test_selftest_fails_on_a_database_from_a_newer_version(tmp_path: Path) -> None:
    open_data_dir(tmp_path, "keelung").close()
    with sqlite3.connect(tmp_path / DATABASE_FILE) as con:
        con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    result = selftest(tmp_path, "--timeout", "60")
    assert result.returncode == 1
    assert "[FAIL]" in result.stdout and "較新版本" in result.stdout
