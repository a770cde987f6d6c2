"""What another program that can write the data folder may leave under the names of the app's
own files (pipes, links, folders, endless devices, a note dated in the future), met through
main.py as a process, as IT meets it: every command ends, reads nothing without bound, writes
nothing through a link, and names what is in the way."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from i18n import _
from tests.e2e.test_cli import cli

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32",
                       reason="os.mkfifo is POSIX and a symbolic link needs a privilege on "
                              "Windows; there the type check on the open file is what guards"),
]

PIPES = ["settings.json", "settings.damaged-20991231T000000Z.json", "logs/crisisdesk.log",
         "logs/crisisdesk.log.1", "logs/last-check.json"]


def made(tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    first = cli(data_dir, "check")
    assert first.returncode == 0, first.stderr
    return data_dir


@pytest.mark.parametrize("name", PIPES)
def test_a_pipe_under_a_name_of_the_data_folder_blocks_no_command(tmp_path: Path,
                                                                   name: str) -> None:
    """Each of these hung `check` (and most of them every command and the window) for
    good: opening a pipe waits for a writer, reading it for its end."""
    data_dir = made(tmp_path)
    pipe = data_dir / name
    pipe.unlink(missing_ok=True)
    os.mkfifo(pipe)

    result = cli(data_dir, "check")  # cli's time-out fails the test if it blocks

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    said = result.stdout + result.stderr
    if name == "settings.json":  # never settings the app wrote: set aside, named
        [aside] = data_dir.glob("settings.damaged-*.json")
        assert str(pipe) in result.stderr and str(aside) in result.stderr
    elif name.startswith("logs/crisisdesk.log"):
        assert _("{file} is not a regular file: remove it").format(file=pipe) in said


def test_a_log_that_is_a_link_is_not_written_through(tmp_path: Path) -> None:
    """Log lines were appended to whatever file the link led to."""
    data_dir = made(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"the user's own file\n")
    log = data_dir / "logs" / "crisisdesk.log"
    log.unlink()
    log.symlink_to(victim)

    result = cli(data_dir, "check")

    assert victim.read_bytes() == b"the user's own file\n"
    assert log.is_symlink()
    assert "[WARN] " + _("Log") in result.stdout
    assert _("{file} is not a regular file: remove it").format(file=log) in result.stdout


def test_check_reads_a_bounded_end_of_an_endless_log_file(tmp_path: Path) -> None:
    """A link to /dev/zero among the older log files: `check` read it to its end, which
    never comes, with its memory growing all the while."""
    data_dir = made(tmp_path)
    (data_dir / "logs" / "crisisdesk.log.2").symlink_to("/dev/zero")
    huge = data_dir / "logs" / "crisisdesk.log.3"
    with open(huge, "wb") as fh:  # 2 GB, sparse: the end holds one error
        fh.seek(2 * 1024 ** 3)
        fh.write(b"\n2026-05-04T09:30:12.345+08:00 ERROR [MainThread] test: at the end\n")
    (data_dir / "logs" / "last-check.json").unlink()

    result = cli(data_dir, "check")

    assert result.returncode == 0, result.stderr
    assert "test: at the end" in result.stdout


def test_a_last_check_dated_in_the_future_hides_no_error(tmp_path: Path) -> None:
    data_dir = made(tmp_path)
    (data_dir / "logs" / "last-check.json").write_text(
        json.dumps({"at": "9999-12-31T23:59:59+00:00"}), encoding="utf-8")
    with open(data_dir / "logs" / "crisisdesk.log", "a", encoding="utf-8") as fh:
        fh.write("2026-05-04T09:30:12.345+08:00 ERROR [MainThread] test: an error\n")

    result = cli(data_dir, "check")

    assert "test: an error" in result.stdout


@pytest.mark.parametrize("where", ["logs is a file", "the log is a folder"])
def test_a_log_that_cannot_be_written_is_said_by_check(tmp_path: Path, where: str) -> None:
    """Commands worked on without a log, and `check` still said "no errors logged since
    the last check"."""
    data_dir = made(tmp_path)
    logs = data_dir / "logs"
    for path in logs.iterdir():
        path.unlink()
    if where == "logs is a file":
        logs.rmdir()
        logs.write_text("not a folder")
    else:
        (logs / "crisisdesk.log").mkdir()

    result = cli(data_dir, "check")

    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if _("Log") in line)
    assert line.startswith("[WARN]")
    assert _("no errors logged since the last check") not in line
    assert str(logs) in line


def test_a_pipe_as_resume_json_does_not_hold_up_the_window(tmp_path: Path) -> None:
    """The window's database worker read resume.json at the start: on a pipe it blocked for
    good, the self-test failed its time-out and then never exited."""
    from tests.e2e.test_selftest import selftest

    data_dir = made(tmp_path)
    os.mkfifo(data_dir / "resume.json")

    result = selftest(data_dir, "--timeout", "60")

    assert result.returncode == 0, result.stdout + result.stderr
