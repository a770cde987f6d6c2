"""The administrator's command line, run as a separate process exactly as documented:
python main.py --data-dir DIR <command>."""

from __future__ import annotations

import json
import platform
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from appinfo.meta import VERSION
from i18n import _
from models.org.people import Role
from models.org.settings import Settings, save_settings

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir),
                           *args], capture_output=True, text=True, timeout=120,
                          encoding="utf-8")


def test_check_creates_and_checks_a_new_data_folder(tmp_path: Path) -> None:
    data_dir = tmp_path / "new folder"
    result = cli(data_dir, "check")
    assert result.returncode == 0, result.stderr
    assert (data_dir / "crisisdesk.sqlite3").exists()
    assert result.stdout.count("[OK  ]") == 6 and "[WARN]" in result.stdout  # roster gaps


def test_check_fails_on_a_damaged_database(tmp_path: Path) -> None:
    cli(tmp_path, "check")
    with sqlite3.connect(tmp_path / "crisisdesk.sqlite3") as con:
        con.execute("PRAGMA foreign_keys=OFF")
        con.execute("INSERT INTO handovers VALUES ('h1', '2026-01-01 00:00:00', 'x', 'nope', "
                    "'m', 'p', 'holder', 'a', 'b', '')")
    result = cli(tmp_path, "check")
    assert result.returncode == 1
    assert "[FAIL]" in result.stdout


def test_export_then_import_makes_a_new_version(tmp_path: Path) -> None:
    exported = tmp_path / "playbook.json"
    assert cli(tmp_path, "playbook", "export", str(exported)).returncode == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["title"]["zh_TW"] == "財政部關務署基隆關危機管理作業流程"
    data["purpose"]["en"] = "Revised purpose."
    exported.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = cli(tmp_path, "playbook", "import", str(exported), "--user", "林企劃",
                 "--role", "planning", "--reason", "年度修訂")
    assert result.returncode == 0, result.stderr
    again = tmp_path / "again.json"
    cli(tmp_path, "playbook", "export", str(again))
    assert json.loads(again.read_text(encoding="utf-8"))["purpose"]["en"] == "Revised purpose."


def test_a_rejected_import_exits_1_names_the_field_and_changes_nothing(tmp_path: Path) -> None:
    save_settings(tmp_path, Settings(user_name="林企劃", unit_key="secretariat",
                                     role=Role.PLANNING, language="en"))
    before = tmp_path / "before.json"
    cli(tmp_path, "playbook", "export", str(before))
    broken = json.loads(before.read_text(encoding="utf-8"))
    broken["levels"][2]["notify_group"] = "mayor"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(broken), encoding="utf-8")
    result = cli(tmp_path, "playbook", "import", str(bad))
    assert result.returncode == 1
    assert "levels[2].notify_group" in result.stderr
    after = tmp_path / "after.json"
    cli(tmp_path, "playbook", "export", str(after))
    assert after.read_bytes() == before.read_bytes()


def test_a_unit_head_cannot_import(tmp_path: Path) -> None:
    exported = tmp_path / "playbook.json"
    cli(tmp_path, "playbook", "export", str(exported))
    result = cli(tmp_path, "playbook", "import", str(exported), "--user", "陳組長",
                 "--role", "unit_head")
    assert result.returncode == 1 and result.stderr.strip()


def test_backup_is_a_complete_database(tmp_path: Path) -> None:
    result = cli(tmp_path / "data", "backup", str(tmp_path / "backups"))
    assert result.returncode == 0, result.stderr
    [copy] = list((tmp_path / "backups").glob("crisisdesk-*.sqlite3"))
    with sqlite3.connect(copy) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("SELECT count(*) FROM units").fetchone() == (15,)


def test_export_json_writes_every_table(tmp_path: Path) -> None:
    out = tmp_path / "all.json"
    assert cli(tmp_path / "data", "export-json", str(out)).returncode == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    import models.storage.migrate  # noqa: F401  (registers every table, as opening a database does)
    from models.storage.db import Base

    assert set(data["tables"]) == set(Base.metadata.tables)
    assert {"units", "incidents", "timeline", "notifications"} <= set(data["tables"])
    assert len(data["tables"]["units"]) == 15


def test_help_speaks_the_users_language(tmp_path: Path) -> None:
    chinese = cli(tmp_path, "--help")
    assert chinese.returncode == 0 and "用法" in chinese.stdout and "check" in chinese.stdout
    save_settings(tmp_path, Settings(user_name="Lin", unit_key="ops1", language="en"))
    english = cli(tmp_path, "playbook", "import", "--help")
    assert english.returncode == 0 and "usage:" in english.stdout
    assert "--reason" in english.stdout


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    assert cli(tmp_path, "frobnicate").returncode == 2


def test_a_data_dir_that_is_a_file_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("x", encoding="utf-8")
    result = cli(not_a_folder, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and str(not_a_folder) in result.stderr
    # The system's own words are English ("File exists"): the reason is translated.
    assert "File exists" not in result.stderr and "已有同名的檔案或資料夾" in result.stderr


@pytest.mark.parametrize("command", [["playbook", "import"], ["cases", "import"]])
def test_a_file_to_import_that_cannot_be_read_is_said_in_the_users_words(
        tmp_path: Path, command: list[str]) -> None:
    folder = tmp_path / "cases.json"
    folder.mkdir()
    result = cli(tmp_path, *command, str(folder), "--user", "林企劃", "--role", "planning")
    assert result.returncode == 1
    assert str(folder) in result.stderr and "這是資料夾，不是檔案" in result.stderr
    assert "Is a directory" not in result.stderr and "Traceback" not in result.stderr


# -- a damaged settings file (issue 12): named, set aside, and nothing crashes later ----------

DAMAGED = {
    "nested": '{"user_name": "王小明", "unit_key": "ops1", "pseudo": '
              + "[" * 20000 + "]" * 20000 + "}",
    "zone": json.dumps({"user_name": "王小明", "unit_key": "ops1",
                        "timezone": "Mars/Olympus"}, ensure_ascii=False),
    "ack": json.dumps({"user_name": "王小明", "unit_key": "ops1", "ack_minutes": -5},
                      ensure_ascii=False),
    "share": json.dumps({"user_name": "王小明", "unit_key": "ops1",
                         "share_folder": "crisis\\keelung"}, ensure_ascii=False),
    # Names that read as nobody on a signature, and a NUL that ends a path early.
    "invisible name": json.dumps({"user_name": "\u200b", "unit_key": "ops1"}),
    "nul name": json.dumps({"user_name": "\u0000", "unit_key": "ops1"}),
    "nul share": json.dumps({"user_name": "王小明", "unit_key": "ops1",
                             "share_folder": "/tmp/a\u0000b"}, ensure_ascii=False),
}
NAMED = {"nested": "(file): 清單或物件的巢狀層次過深", "zone": "timezone: 必須是本機可辨識的時區",
         "ack": "ack_minutes: ", "share": "share_folder: ", "invisible name": "user_name: ",
         "nul name": "user_name: ", "nul share": "share_folder: "}


@pytest.mark.parametrize("damage", sorted(DAMAGED))
def test_a_damaged_settings_file_is_named_set_aside_and_crashes_nothing(
        tmp_path: Path, damage: str) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    original = DAMAGED[damage].encode("utf-8")
    (data_dir / "settings.json").write_bytes(original)
    result = cli(data_dir, "check")
    assert result.returncode == 0, result.stdout + result.stderr  # the database is sound
    assert "Traceback" not in result.stderr + result.stdout
    [aside] = data_dir.glob("settings.damaged-*.json")
    assert aside.read_bytes() == original and not (data_dir / "settings.json").exists()
    assert "設定檔" in result.stderr and str(aside) in result.stderr
    assert NAMED[damage] in result.stderr
    # The window's self-test used to end in a ZoneInfoNotFoundError on the first date field.
    selftest = cli(data_dir, "selftest", "--timeout", "60")
    assert "Traceback" not in selftest.stderr + selftest.stdout
    settings_line = next(line for line in selftest.stdout.splitlines() if "設定" in line)
    assert settings_line.startswith("[FAIL]") and str(aside) in settings_line
    assert "[OK  ] 資料庫" in selftest.stdout and "[OK  ] 作業流程" in selftest.stdout
    assert selftest.returncode == 1  # only the settings step fails
    assert [p.read_bytes() for p in data_dir.glob("settings*.json")] == [original]


def test_a_settings_file_that_cannot_be_read_stops_the_command_and_stays(
        tmp_path: Path) -> None:
    """Not a first run and not damage: a file held by an antivirus at login, or here a folder
    under the file's name. Running on the defaults would sync nowhere as Keelung; the
    command says why (in the user's words, not the system's English) and does nothing."""
    data_dir = tmp_path / "data"
    (data_dir / "settings.json").mkdir(parents=True)
    result = cli(data_dir, "check")
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr and "Is a directory" not in result.stderr
    assert str(data_dir / "settings.json") in result.stderr
    assert "這是資料夾，不是檔案" in result.stderr
    assert result.stdout == "" and not (data_dir / "crisisdesk.sqlite3").exists()
    assert (data_dir / "settings.json").is_dir() and not list(data_dir.glob("settings.damaged-*"))


def test_who_imports_is_read_from_a_damaged_settings_file_where_it_passed(
        tmp_path: Path) -> None:
    """A time zone no PC knows damages the file, not the name and role beside it: the
    import used to say "set the app up first" although every other command used them."""
    data_dir = tmp_path / "data"
    exported = tmp_path / "playbook.json"
    assert cli(data_dir, "playbook", "export", str(exported)).returncode == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    data["purpose"]["en"] = "Revised purpose."
    exported.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (data_dir / "settings.json").write_text(json.dumps(
        {"user_name": "林企劃", "unit_key": "secretariat", "role": "planning",
         "timezone": "Mars/Olympus"}, ensure_ascii=False), encoding="utf-8")

    result = cli(data_dir, "playbook", "import", str(exported), "--reason", "年度修訂")

    assert result.returncode == 0, result.stderr
    assert "第2版" in result.stdout or "version 2" in result.stdout


# -- the log, and errors the commands did not expect --------------------------------------------

def test_each_command_logs_its_start_and_stop(tmp_path: Path) -> None:
    assert cli(tmp_path, "check").returncode == 0
    text = (tmp_path / "logs" / "crisisdesk.log").read_text(encoding="utf-8")
    assert f"INFO [MainThread] main: CrisisDesk {VERSION} started: --data-dir {tmp_path} check; " \
           f"data folder {tmp_path}; Python {platform.python_version()} on " \
           f"{platform.system()} {platform.release()}" in text
    assert text.rstrip().endswith("INFO [MainThread] main: stopped with exit code 0")
    assert "alembic.runtime.plugins" not in text  # its set-up chatter at every check


def test_a_sync_run_is_summed_up_in_the_log(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    result = cli(tmp_path / "data", "sync", "--folder", str(share))
    assert result.returncode == 0, result.stdout + result.stderr
    text = (tmp_path / "data" / "logs" / "crisisdesk.log").read_text(encoding="utf-8")
    assert f"INFO [MainThread] models.sync.run: sync with {share}: in sync; sent " in text


FAULT = ("import sys, main, models.admin\n"
         "def fault(db):\n"
         "    raise RuntimeError('disk controller said no')\n"
         "models.admin.check = fault\n"
         "sys.exit(main.main(sys.argv[1:]))\n")
"""`check` with a fault nobody foresaw, as the command line meets it (run as a process)."""


def with_fault(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", FAULT, "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, timeout=120, encoding="utf-8",
                          cwd=ROOT)


def test_an_unexpected_error_is_logged_and_told_without_a_traceback(tmp_path: Path) -> None:
    result = with_fault(tmp_path, "check")
    log_file = tmp_path / "logs" / "crisisdesk.log"
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"錯誤：CrisisDesk遇到非預期的問題。詳細情形已寫入{log_file}（或加上--debug參數重新執行）。")
    assert "Traceback" not in result.stderr and "disk controller" not in result.stderr
    text = log_file.read_text(encoding="utf-8")
    assert "ERROR [MainThread] main: --data-dir" in text and "check failed unexpectedly" in text
    assert "RuntimeError: disk controller said no" in text
    # --debug shows IT staff the traceback on the console too.
    debug = with_fault(tmp_path, "--debug", "check")
    assert debug.returncode == 1
    assert "Traceback (most recent call last)" in debug.stderr
    assert "RuntimeError: disk controller said no" in debug.stderr


def test_check_reports_the_errors_logged_since_the_last_check(tmp_path: Path) -> None:
    with_fault(tmp_path, "check")
    first = cli(tmp_path, "check")
    assert first.returncode == 0, first.stdout + first.stderr  # a finding, not a failure
    [line] = [line for line in first.stdout.splitlines() if "紀錄檔" in line]
    assert line.startswith("[WARN] 紀錄檔: 自上次檢查以來共記錄1筆錯誤；最近一筆於")
    assert "main: --data-dir" in line and "check failed unexpectedly" in line
    assert str(tmp_path / "logs") in line
    again = cli(tmp_path, "check")
    assert "[OK  ] 紀錄檔: 自上次檢查以來未記錄任何錯誤" in again.stdout


@pytest.mark.parametrize("command", [
    ["sync", "--watch", "--interval", "nan"], ["sync", "--watch", "--interval", "inf"],
    ["sync", "--interval", "1e300"], ["selftest", "--timeout", "nan"],
    ["selftest", "--timeout", "-1"]])
def test_a_number_of_seconds_that_is_none_is_a_usage_error(tmp_path: Path,
                                                           command: list[str]) -> None:
    """nan and inf are floats to Python: they ended in "CrisisDesk met a problem it did
    not expect" (ValueError, OverflowError) instead of a usage error."""
    result = cli(tmp_path, *command)

    assert result.returncode == 2, result.stdout + result.stderr
    assert _("usage: ") in result.stderr and command[-1] in result.stderr
    assert "Traceback" not in result.stderr and "非預期" not in result.stderr


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="/proc is Linux's")
def test_a_backup_into_a_folder_that_takes_no_file_is_said(tmp_path: Path) -> None:
    """SQLite's "unable to open database file" was an unexpected problem; then the message
    named the backup's temporary file."""
    result = cli(tmp_path, "backup", "/proc/self")

    assert result.returncode == 1
    assert "/proc/self/crisisdesk-" in result.stderr and ".tmp" not in result.stderr
    assert "非預期" not in result.stderr and "Traceback" not in result.stderr
