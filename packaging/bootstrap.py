#!/usr/bin/env python3
"""The one entry point for a newcomer: set up CrisisDesk, then run it or test it.

Why it exists: the app needs a virtual environment with PySide6, SQLAlchemy, Alembic,
reportlab and babel, headless Qt on Linux needs a handful of system libraries and a CJK font,
and the tests need compiled gettext catalogs.  Rather than a page of set-up steps that differ
between Linux and Windows, this stdlib-only script does all of it, the same way on every
machine and in CI, so that two commands are enough:

    python3 packaging/bootstrap.py run  [main.py arguments...]   # Windows: py -3 packaging\\bootstrap.py run
    python3 packaging/bootstrap.py test [pytest arguments...]    # Windows: py -3 packaging\\bootstrap.py test

Set-up (done by both commands, cheap when nothing changed):
  * create .venv in the repository root with the running interpreter (Python >= 3.11);
  * install [project].dependencies from pyproject.toml (plus the "test" extra for `test`) with
    the venv's pip; a stamp file in .venv holds a hash of the requirement list, so pip runs only
    when the list changed.  The project itself is not installed: main.py runs from the source tree;
  * on Debian/Ubuntu, install the missing system packages headless Qt and the PDF checks need,
    and for `test` LibreOffice and TW-Kai, which check the forms' ODF documents (apt-get, via
    `sudo -n` when not root); if that is impossible, warn and carry on.

`run` then starts `<venv python> main.py ...` from the repository root; `test` compiles the
gettext catalogs (when i18n/catalogs.py exists) and runs `<venv python> -m pytest ...` with
QT_QPA_PLATFORM=offscreen.  Both exit with the child's exit code.
"""

import sys

if sys.version_info < (3, 11):
    sys.stderr.write(
        "bootstrap: CrisisDesk needs Python 3.11 or newer; this is Python %d.%d (%s).\n"
        "bootstrap: install a newer Python and run this script with it "
        "(on Windows: py -3.11 packaging\\bootstrap.py ..., or any newer 3.x).\n"
        % (sys.version_info[0], sys.version_info[1], sys.executable)
    )
    sys.exit(1)

import collections
import hashlib
import json
import os
import shutil
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / "crisisdesk-bootstrap.json"
REQUIREMENTS_FILE = VENV / "crisisdesk-requirements.txt"
PIP_LOG = VENV / "crisisdesk-pip.log"
IS_WINDOWS = sys.platform == "win32"
IS_LINUX = sys.platform.startswith("linux")

# Headless Qt (offscreen and xcb), a CJK font so grabs do not show boxes, and poppler-utils for
# checking printed forms.  See DESIGN.md, "Known pitfalls".
DEBIAN_PACKAGES = [
    "libglib2.0-0", "libegl1", "libgl1", "libx11-6", "libx11-xcb1", "libdbus-1-3",
    "libfontconfig1", "libfreetype6", "libxkbcommon0", "libxkbcommon-x11-0", "libxcb-cursor0",
    "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0", "libxcb-render-util0", "libxcb-shape0",
    "libxcb-xkb1", "libxcb-randr0", "libxcb-xinerama0", "fonts-noto-cjk", "poppler-utils",
]
# For the tests only: LibreOffice converts the forms' ODF documents back to PDF and text (Writer)
# and reads the review's spreadsheet (Calc); TW-Kai (the form font, by the name the documents
# give it) lets it set the forms as printed.
TEST_DEBIAN_PACKAGES = [
    "libreoffice-writer-nogui", "libreoffice-calc-nogui", "fonts-cns11643-kai",
]

USAGE = """\
usage: bootstrap.py run  [main.py arguments...]    set up, then start CrisisDesk
       bootstrap.py test [pytest arguments...]     set up, then run the test suite headless

Examples:
  python3 packaging/bootstrap.py run
  python3 packaging/bootstrap.py run --data-dir DIR check
  python3 packaging/bootstrap.py test -m "not gui"
"""


class BootstrapError(Exception):
    """An expected failure: reported as a message, never as a traceback."""


def say(message):
    print("bootstrap: " + message, flush=True)


def warn(message):
    print("bootstrap: WARNING: " + message, file=sys.stderr, flush=True)


def tail(text, lines=30):
    return "\n".join(text.rstrip().splitlines()[-lines:])


def exit_code(returncode):
    """A child killed by a signal (negative code on POSIX) becomes 128 + signal, as in a shell."""
    return 128 - returncode if returncode < 0 else returncode


def venv_python():
    if IS_WINDOWS:
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def child_env(**extra):
    env = dict(os.environ)
    env.pop("PYTHONHOME", None)
    env.pop("PYTHONPATH", None)
    env.pop("__PYVENV_LAUNCHER__", None)  # macOS/Windows launcher leftovers confuse a venv python
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra)
    return env


# --------------------------------------------------------------------------- system packages


def _dpkg_installed(names):
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package}\t${db:Status-Abbrev}\n", *names],
        capture_output=True, text=True,
    )
    installed = set()
    for line in result.stdout.splitlines():
        name, _, status = line.partition("\t")
        if status[1:2] == "i":  # second letter of the abbreviation: "installed"
            installed.add(name.split(":")[0])
    return installed


def missing_debian_packages(names):
    # Ubuntu 24.04 renamed some libraries with a "t64" suffix; either name will do.
    installed = _dpkg_installed(list(names) + [n + "t64" for n in names])
    return [n for n in names if n not in installed and n + "t64" not in installed]


def _apt(args, env):
    prefix = []
    if os.geteuid() != 0:
        if shutil.which("sudo") is None:
            raise BootstrapError("not root and sudo is not available")
        prefix = ["sudo", "-n"]
    return subprocess.run(prefix + args, env=env, capture_output=True, text=True,
                          errors="replace", stdin=subprocess.DEVNULL)


def _apt_available(name, env):
    result = subprocess.run(["apt-cache", "show", "--no-all-versions", name], env=env,
                            capture_output=True, text=True, errors="replace")
    return result.returncode == 0 and "Package:" in result.stdout


def install_debian_packages(names, why):
    """Install `names` with apt-get; warn (never fail) if that is impossible."""
    if not names:
        return
    env = child_env(DEBIAN_FRONTEND="noninteractive")
    say(f"installing system packages for {why} (apt-get): {' '.join(names)}")
    try:
        update = _apt(["apt-get", "update"], env)
        if update.returncode != 0:
            warn("apt-get update failed; trying the install with the old package lists:\n"
                 + tail(update.stdout + update.stderr, 10))
        chosen, unavailable = [], []
        for name in names:
            if _apt_available(name, env):
                chosen.append(name)
            elif _apt_available(name + "t64", env):
                chosen.append(name + "t64")
            else:
                unavailable.append(name)
        if unavailable:
            warn("not available from this system's apt sources: " + " ".join(unavailable))
        if chosen:
            result = _apt(["apt-get", "install", "-y", "--no-install-recommends", *chosen], env)
            if result.returncode != 0:
                warn("apt-get install failed:\n" + tail(result.stdout + result.stderr, 15))
    except BootstrapError as exc:
        warn(str(exc))
    except OSError as exc:
        warn(f"could not run apt-get: {exc}")


def ensure_system_packages(with_test=False):
    if not IS_LINUX or shutil.which("dpkg-query") is None:
        return
    wanted = DEBIAN_PACKAGES + (TEST_DEBIAN_PACKAGES if with_test else [])
    missing = missing_debian_packages(wanted)
    if not missing:
        return
    install_debian_packages(missing, "Qt, printing and the tests" if with_test
                            else "Qt and printing")
    still = missing_debian_packages(missing)
    if still:
        warn("these Debian packages are still missing, so Qt or the PDF checks may fail: "
             + " ".join(still) + "\n"
             "bootstrap: install them as root with:\n"
             "  apt-get install -y --no-install-recommends " + " ".join(still))


# --------------------------------------------------------------------------- virtualenv


def _venv_version():
    """The venv python's (major, minor), or None when it is missing or broken."""
    python = venv_python()
    if not python.exists():
        return None
    try:
        result = subprocess.run(
            [str(python), "-c", "import sys; print('%d %d' % sys.version_info[:2])"],
            capture_output=True, text=True, env=child_env(), timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    try:
        major, minor = (int(x) for x in result.stdout.split())
    except ValueError:
        return None
    return major, minor


def _create_venv():
    return subprocess.run([sys.executable, "-m", "venv", str(VENV)], capture_output=True,
                          text=True, errors="replace", env=child_env(), cwd=str(ROOT))


def ensure_venv():
    version = _venv_version()
    if version is not None and version >= (3, 11):
        return
    if VENV.exists():
        reason = "it is broken" if version is None else "its Python %d.%d is too old" % version
        say(f"recreating virtualenv in {VENV} ({reason})…")
        shutil.rmtree(VENV, ignore_errors=True)
    else:
        say(f"creating virtualenv in {VENV} with Python "
            f"{sys.version_info[0]}.{sys.version_info[1]}…")
    result = _create_venv()
    output = result.stdout + result.stderr
    if result.returncode != 0 and "ensurepip" in output and IS_LINUX and shutil.which("dpkg-query"):
        # Debian and Ubuntu ship venv's pip bootstrap in a separate package.
        shutil.rmtree(VENV, ignore_errors=True)
        v = "python%d.%d-venv" % sys.version_info[:2]
        install_debian_packages([v], "virtualenvs")
        result = _create_venv()
        output = result.stdout + result.stderr
    if result.returncode != 0 or _venv_version() is None:
        shutil.rmtree(VENV, ignore_errors=True)
        hint = ""
        if "ensurepip" in output:
            hint = ("\nOn Debian/Ubuntu install the venv module first: "
                    "sudo apt-get install python3-venv")
        raise BootstrapError(f"could not create the virtualenv {VENV}:\n{tail(output, 15)}{hint}")


# --------------------------------------------------------------------------- dependencies


def read_requirements(with_test):
    pyproject = ROOT / "pyproject.toml"
    try:
        with open(pyproject, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise BootstrapError(f"{pyproject} not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise BootstrapError(f"{pyproject} is not valid TOML: {exc}") from None
    project = data.get("project", {})
    requirements = list(project.get("dependencies", []))
    if with_test:
        requirements += list(project.get("optional-dependencies", {}).get("test", []))
    return [r.strip() for r in requirements if r.strip()]


def _requirements_hash(requirements):
    payload = json.dumps({"requirements": requirements, "platform": sys.platform}, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _read_stamp():
    try:
        return json.loads(STAMP.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def ensure_dependencies(with_test):
    profile = "test" if with_test else "run"
    requirements = read_requirements(with_test)
    digest = _requirements_hash(requirements)
    stamp = _read_stamp()
    if stamp.get(profile) == digest:
        return
    say("installing dependencies into .venv…")
    REQUIREMENTS_FILE.write_text("\n".join(requirements) + "\n", encoding="utf-8")
    command = [str(venv_python()), "-m", "pip", "install", "--disable-pip-version-check",
               "--progress-bar", "off", "-r", str(REQUIREMENTS_FILE)]
    lines = collections.deque(maxlen=40)
    try:
        with open(PIP_LOG, "w", encoding="utf-8") as log:
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, text=True, encoding="utf-8",
                                       errors="replace", env=child_env(PIP_NO_INPUT="1"),
                                       cwd=str(ROOT))
            for line in process.stdout:
                log.write(line)
                lines.append(line.rstrip("\n"))
                if line.startswith(("Collecting ", "Successfully installed")):
                    print("  " + line.rstrip(), flush=True)
            returncode = process.wait()
    except OSError as exc:
        raise BootstrapError(f"could not run pip: {exc}") from None
    if returncode != 0:
        raise BootstrapError(
            "pip could not install the dependencies (exit code %d). Last lines of its output "
            "(full log: %s):\n%s\nCheck the network connection or the requirement named above, "
            "then run the same command again." % (returncode, PIP_LOG, "\n".join(lines))
        )
    stamp[profile] = digest
    if with_test:  # the test set includes everything `run` needs
        stamp["run"] = _requirements_hash(read_requirements(False))
    STAMP.write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")


def set_up(with_test):
    ensure_system_packages(with_test)
    ensure_venv()
    ensure_dependencies(with_test)


# --------------------------------------------------------------------------- commands


def run_child(command, env):
    """Run a child in the repository root and return its exit code; Ctrl+C reaches both."""
    try:
        process = subprocess.Popen(command, cwd=str(ROOT), env=env)
    except OSError as exc:
        raise BootstrapError(f"could not start {command[0]}: {exc}") from None
    try:
        return exit_code(process.wait())
    except KeyboardInterrupt:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        return 130


def _starts_gui(args):
    """True unless the arguments name a command-line subcommand or ask for help."""
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg == "--data-dir":
            if rest:
                rest.pop(0)
        elif arg.startswith("--data-dir="):
            continue
        elif arg in ("-h", "--help", "--version") or not arg.startswith("-"):
            return False
    return True


def command_run(args):
    set_up(with_test=False)
    if not (ROOT / "main.py").exists():
        raise BootstrapError(f"{ROOT / 'main.py'} does not exist yet: nothing to run")
    if (IS_LINUX and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
            and not os.environ.get("QT_QPA_PLATFORM") and _starts_gui(args)):
        say("hint: neither DISPLAY nor WAYLAND_DISPLAY is set; the window needs a display "
            "(a desktop session, ssh -X, or xvfb-run).")
    return run_child([str(venv_python()), "main.py", *args], child_env())


def command_test(args):
    set_up(with_test=True)
    env = child_env(QT_QPA_PLATFORM="offscreen")
    if (ROOT / "i18n" / "catalogs.py").exists() or (ROOT / "i18n" / "catalogs" / "__init__.py").exists():
        say("compiling translation catalogs…")
        result = subprocess.run([str(venv_python()), "-m", "i18n.catalogs", "compile"],
                                cwd=str(ROOT), env=env, capture_output=True, text=True,
                                errors="replace")
        if result.returncode != 0:
            raise BootstrapError("`python -m i18n.catalogs compile` failed (exit code %d):\n%s"
                                 % (result.returncode, tail(result.stdout + result.stderr)))
    return run_child([str(venv_python()), "-m", "pytest", *args], env)


def main(argv):
    if hasattr(sys.stdout, "reconfigure"):  # a cp950/cp437 console must not choke on "…"
        sys.stdout.reconfigure(errors="replace")
        sys.stderr.reconfigure(errors="replace")
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE, end="")
        return 0 if argv else 2
    command, args = argv[0], argv[1:]
    commands = {"run": command_run, "test": command_test}
    if command not in commands:
        print(f"bootstrap: unknown command {command!r}\n\n{USAGE}", end="", file=sys.stderr)
        return 2
    try:
        return commands[command](args)
    except BootstrapError as exc:
        print(f"bootstrap: ERROR: {exc}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        print("bootstrap: interrupted", file=sys.stderr, flush=True)
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
