"""This PC's settings file: validated at the field, written atomically, and a damaged file
means "ask again", never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.errors import ValidationError
from models.people import Role
from models.settings import SETTINGS_FILE, Settings, load_settings, save_settings, validate


def test_settings_round_trip(data_dir: Path) -> None:
    settings = Settings(user_name="陳組長", unit_key="ops1", role=Role.UNIT_HEAD, language="en",
                        share_folder="\\\\server\\crisis")
    save_settings(data_dir, settings)
    assert load_settings(data_dir) == settings


def test_first_run_has_no_settings(data_dir: Path) -> None:
    assert load_settings(data_dir) is None


@pytest.mark.parametrize("content", ["{not json", "[]", '{"user_name": 5}',
                                     '{"user_name": "x", "role": "mayor"}',
                                     '{"user_name": "x", "language": "fr"}'])
def test_a_damaged_file_asks_again_and_is_kept_aside(data_dir: Path, content: str) -> None:
    (data_dir / SETTINGS_FILE).write_text(content, encoding="utf-8")
    assert load_settings(data_dir) is None
    assert (data_dir / "settings.unreadable.json").read_text(encoding="utf-8") == content


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"user_name": "  "}, "user_name"), ({"unit_key": ""}, "unit_key"),
     ({"language": "fr"}, "language"), ({"share_folder": "crisis"}, "share_folder")],
)
def test_validation_names_the_field(changes: dict[str, str], field: str) -> None:
    good = Settings(user_name="陳組長", unit_key="ops1")
    with pytest.raises(ValidationError) as caught:
        validate(good.with_(**changes))
    assert caught.value.field == field
    assert validate(good) == good
