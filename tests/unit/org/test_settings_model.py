"""This PC's settings file: validated at the field, written atomically, and read as strictly
as the IT defaults file: a damaged file is set aside under a name with the time, says why,
and keeps what could be read; it never crashes anything later."""

from __future__ import annotations

import json
import re
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from models.core.errors import ValidationError
from models.org.people import Role
from models.org.settings import (
    MAX_BYTES,
    SETTINGS_FILE,
    Settings,
    load_settings,
    read_settings,
    save_settings,
    validate,
)

GOOD: dict[str, Any] = {"user_name": "陳組長", "unit_key": "ops1", "role": "planning",
                        "language": "zh_TW", "office_code": "keelung", "ack_minutes": 15}
ASIDE = re.compile(r"settings\.damaged-\d{8}T\d{6}Z\.json")


def write(data_dir: Path, content: Any) -> bytes:
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    (data_dir / SETTINGS_FILE).write_bytes(text.encode("utf-8"))
    return text.encode("utf-8")


def set_aside(data_dir: Path) -> list[Path]:
    return sorted(p for p in data_dir.iterdir() if ASIDE.fullmatch(p.name))


def test_settings_round_trip_keeps_every_field(data_dir: Path) -> None:
    settings = Settings(user_name="陳組長", unit_key="ops1", role=Role.SECRETARY, language="en",
                        office_code="taipei", share_folder="\\\\server\\crisis",
                        timezone="Asia/Tokyo", ack_minutes=30)
    # Every field differs from its default, so a field the reader does not know fails here.
    assert all(getattr(settings, f.name) != f.default for f in fields(Settings))
    save_settings(data_dir, settings)
    assert load_settings(data_dir) == settings
    assert set_aside(data_dir) == []


def test_a_file_with_the_old_layout_check_key_still_reads(data_dir: Path) -> None:
    """Settings saved before the layout check left Settings carried "pseudo": still a good
    file (nothing set aside), the key checked and then dropped."""
    write(data_dir, {"user_name": "陳組長", "unit_key": "ops1", "pseudo": True})
    assert load_settings(data_dir) == Settings(user_name="陳組長", unit_key="ops1")
    assert set_aside(data_dir) == []


def test_an_older_file_without_the_newer_keys_takes_their_defaults(data_dir: Path) -> None:
    write(data_dir, {"user_name": "陳組長", "unit_key": "ops1"})
    assert load_settings(data_dir) == Settings(user_name="陳組長", unit_key="ops1")


def test_a_file_that_cannot_be_read_now_is_neither_a_first_run_nor_damage(
        data_dir: Path) -> None:
    (data_dir / SETTINGS_FILE).mkdir()  # as an antivirus holding it at login: no access
    saved = read_settings(data_dir)
    assert saved.settings is None and saved.damaged is None
    assert saved.unreadable is not None
    assert str(data_dir / SETTINGS_FILE) in saved.unreadable.message()
    assert (data_dir / SETTINGS_FILE).is_dir() and set_aside(data_dir) == []


def test_first_run_has_no_settings(data_dir: Path) -> None:
    saved = read_settings(data_dir)
    assert saved.settings is None and saved.damaged is None


NESTED = '{"user_name": "x", "unit_key": "ops1", "pseudo": ' + "[" * 5000 + "]" * 5000 + "}"


@pytest.mark.parametrize(("content", "named"), [
    ("{not json", "(file)"),
    (NESTED, "(file)"),
    ("[]", "(document)"),
    ({**GOOD, "user_name": 5}, "user_name"),
    ({**GOOD, "user_name": "  "}, "user_name"),
    ({**GOOD, "user_name": "名" * 101}, "user_name"),
    ({key: v for key, v in GOOD.items() if key != "user_name"}, "user_name"),
    ({**GOOD, "unit_key": ""}, "unit_key"),
    ({**GOOD, "role": "mayor"}, "role"),
    ({**GOOD, "language": "fr"}, "language"),
    ({**GOOD, "office_code": "tainan"}, "office_code"),
    ({**GOOD, "pseudo": "yes"}, "pseudo"),
    ({**GOOD, "timezone": "Mars/Olympus"}, "timezone"),
    ({**GOOD, "timezone": "../../etc/passwd"}, "timezone"),
    ({**GOOD, "timezone": "a/" * 3000}, "timezone"),  # ZoneInfo itself recurses on this
    ({**GOOD, "ack_minutes": -5}, "ack_minutes"),
    ({**GOOD, "ack_minutes": 0}, "ack_minutes"),
    ({**GOOD, "ack_minutes": 241}, "ack_minutes"),
    ({**GOOD, "ack_minutes": True}, "ack_minutes"),
    ({**GOOD, "ack_minutes": 10.0}, "ack_minutes"),
    ({**GOOD, "share_folder": "crisis"}, "share_folder"),
    ({**GOOD, "shared_folder": "\\\\server\\crisis"}, "shared_folder"),
])
def test_a_damaged_file_is_set_aside_naming_the_field(data_dir: Path, content: Any,
                                                      named: str) -> None:
    original = write(data_dir, content)
    saved = read_settings(data_dir)
    assert saved.settings is None and saved.damaged is not None
    [aside] = set_aside(data_dir)
    assert aside.read_bytes() == original  # moved, not rewritten
    assert not (data_dir / SETTINGS_FILE).exists()
    assert saved.damaged.aside == aside and saved.damaged.path == data_dir / SETTINGS_FILE
    assert [p.field for p in saved.damaged.problems if isinstance(p, ValidationError)
            ][0] == named
    message = saved.damaged.message()
    assert str(aside) in message and named in message and "。。" not in message


def test_a_huge_file_is_not_read_whole(data_dir: Path) -> None:
    write(data_dir, {**GOOD, "share_folder": "\\\\x\\" + "y" * MAX_BYTES})
    damaged = read_settings(data_dir).damaged
    assert damaged is not None and damaged.message().count("(file)") == 1


def test_the_fields_that_pass_are_kept_for_the_first_run(data_dir: Path) -> None:
    write(data_dir, {**GOOD, "office_code": "taipei", "unit_key": "inspection",
                     "timezone": "Mars/Olympus", "ack_minutes": -5, "colour": "red"})
    damaged = read_settings(data_dir).damaged
    assert damaged is not None
    assert {p.field for p in damaged.problems if isinstance(p, ValidationError)} == {
        "timezone", "ack_minutes", "colour"}
    kept = damaged.over(Settings())
    assert (kept.user_name, kept.office_code, kept.unit_key, kept.role) == (
        "陳組長", "taipei", "inspection", Role.PLANNING)
    assert (kept.timezone, kept.ack_minutes) == ("Asia/Taipei", 10)  # the defaults


def test_the_damage_is_told_again_until_new_settings_are_saved(data_dir: Path) -> None:
    """A scheduled command may meet the damaged file first: the window's next start must
    still say what happened and start from what could be read."""
    write(data_dir, {**GOOD, "ack_minutes": -5})
    first = read_settings(data_dir).damaged
    again = read_settings(data_dir)
    assert first is not None and again.damaged is not None and again.settings is None
    assert (again.damaged.aside, again.damaged.message(), again.damaged.kept) == (
        first.aside, first.message(), first.kept)
    assert len(set_aside(data_dir)) == 1
    save_settings(data_dir, first.over(Settings()))
    after = read_settings(data_dir)
    assert after.damaged is None and after.settings == first.over(Settings())


def test_a_second_damage_sets_aside_a_second_file(data_dir: Path) -> None:
    write(data_dir, {**GOOD, "ack_minutes": -5})
    read_settings(data_dir)
    write(data_dir, {**GOOD, "timezone": "Mars/Olympus"})
    damaged = read_settings(data_dir).damaged
    assert damaged is not None and "timezone" in damaged.message()
    assert len([p for p in data_dir.iterdir() if p.name.startswith("settings.damaged-")]) == 2
    told = read_settings(data_dir).damaged
    assert told is not None and told.message() == damaged.message()  # the newest is told


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"user_name": "  "}, "user_name"), ({"unit_key": ""}, "unit_key"),
     ({"language": "fr"}, "language"), ({"share_folder": "crisis"}, "share_folder"),
     ({"ack_minutes": 0}, "ack_minutes"), ({"ack_minutes": True}, "ack_minutes"),
     ({"timezone": "Mars/Olympus"}, "timezone")],
)
def test_validation_names_the_field(changes: dict[str, Any], field: str) -> None:
    good = Settings(user_name="陳組長", unit_key="ops1")
    with pytest.raises(ValidationError) as caught:
        validate(good.with_(**changes))
    assert caught.value.field == field
    assert validate(good) == good


def test_a_damaged_file_that_could_not_be_set_aside_is_copied_before_new_settings_replace_it(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """Set aside when read, so that the first-run dialog's save cannot overwrite it; when
    the rename failed (a program held the file), the save used to overwrite it, and nothing
    was logged."""
    original = write(data_dir, {**GOOD, "timezone": "Mars/Olympus"})
    real_rename = Path.rename

    def held(path: Path, target: Any) -> Any:
        if path.name == SETTINGS_FILE:
            raise PermissionError(13, "The process cannot access the file", str(path))
        return real_rename(path, target)

    with monkeypatch.context() as patch:
        patch.setattr(Path, "rename", held)
        saved = read_settings(data_dir)
    assert saved.damaged is not None and saved.damaged.aside is None
    assert "cannot set the damaged settings file" in caplog.text

    save_settings(data_dir, saved.damaged.over(Settings()))

    [kept] = set_aside(data_dir)
    assert kept.read_bytes() == original
    assert load_settings(data_dir) == saved.damaged.over(Settings())
