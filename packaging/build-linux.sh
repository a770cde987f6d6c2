#!/usr/bin/env bash
# Build the Linux bundle (dist/CrisisDesk) and its portable archive; see docs/building.md.
# Sets up .venv with the test extra (which includes PyInstaller) first, as the tests do.
# Arguments go to packaging/build.py (--dist DIR, --work DIR, --no-archive).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
python3 packaging/bootstrap.py test --version >/dev/null   # set-up only: prints pytest's version
exec .venv/bin/python packaging/build.py "$@"
