# Build the Windows bundle (dist\CrisisDesk), its portable zip and the installer
# (dist\CrisisDesk-<version>-setup.exe); see docs/building.md.
# Needs Python 3.11+ (the py launcher) and Inno Setup 6 (choco install innosetup).
# Sets up .venv with the test extra (which includes PyInstaller) first, as the tests do.
# Further arguments go to packaging\build.py (--dist DIR, --work DIR, --no-archive).
$ErrorActionPreference = "Stop"
Set-Location (Split-Path -Parent $PSScriptRoot)
py -3 packaging\bootstrap.py test --version | Out-Null   # set-up only: prints pytest's version
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
& .venv\Scripts\python.exe packaging\build.py --installer @args
exit $LASTEXITCODE
