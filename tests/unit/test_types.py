"""mypy --strict holds on the whole product (appinfo/, models/, forms/, i18n/, ui/ and main.py;
configured in pyproject.toml, with each relaxation and its reason)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_product_type_checks_strictly() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
