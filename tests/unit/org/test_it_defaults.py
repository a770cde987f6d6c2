"""The IT defaults file (docs/it-defaults.md): a good file sets the first run's starting
values; any bad file is ignored whole, with the reason logged and kept for the dialog, and
reading it never raises."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from models.core.keytext import encode_key
from models.org.it_defaults import DEFAULTS_FILE, MAX_BYTES, load_it_defaults
from models.org.settings import Settings

GOOD: dict[str, Any] = {
    "format": "crisisdesk-defaults",
    "format_version": 1,
    "office": "taipei",
    "language": "en",
    "share_folder": "\\\\fileserver\\crisis",
}


def write(folder: Path, content: Any, *, bom: bool = False) -> Path:
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    path = folder / DEFAULTS_FILE
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def test_no_file_gives_the_apps_own_defaults(tmp_path: Path) -> None:
    defaults = load_it_defaults(tmp_path)
    assert not defaults.found and defaults.error is None
    assert defaults.settings == Settings()


def test_a_good_file_sets_office_language_and_share(tmp_path: Path) -> None:
    defaults = load_it_defaults(write(tmp_path, GOOD).parent)
    assert defaults.used
    assert (defaults.settings.office_code, defaults.settings.language,
            defaults.settings.share_folder) == ("taipei", "en", "\\\\fileserver\\crisis")
    assert defaults.settings.unit_key == ""


def test_a_unit_of_the_office_is_preselected(tmp_path: Path) -> None:
    defaults = load_it_defaults(write(tmp_path, {**GOOD, "office": "keelung",
                                                 "unit": "ops1"}).parent)
    assert defaults.used and defaults.settings.unit_key == "ops1"


def test_the_office_authority_is_named_by_its_key(tmp_path: Path) -> None:
    key = bytes(range(32))
    defaults = load_it_defaults(write(tmp_path, {**GOOD, "authority": encode_key(key)}).parent)
    assert defaults.used and defaults.authority == key
    assert load_it_defaults(write(tmp_path, GOOD).parent).authority is None


def test_notepads_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    assert load_it_defaults(write(tmp_path, GOOD, bom=True).parent).used


def test_only_the_format_lines_are_required(tmp_path: Path) -> None:
    defaults = load_it_defaults(write(tmp_path, {"format": "crisisdesk-defaults",
                                                 "format_version": 1}).parent)
    assert defaults.used and defaults.settings == Settings()


@pytest.mark.parametrize(("content", "named"), [
    ("{\"office\": \"taipei\",}", "(file): 不是有效的JSON"),
    ([1, 2], "(document)"),
    ({**GOOD, "shared_folder": "x"}, "shared_folder"),
    ({**GOOD, "office": "tainan"}, "office"),
    ({**GOOD, "office": "taipei", "unit": "no-such-unit"}, "unit"),
    ({**GOOD, "language": "fr"}, "language"),
    ({**GOOD, "share_folder": "crisis"}, "share_folder"),
    ({**GOOD, "share_folder": 5}, "share_folder"),
    ({**GOOD, "format_version": 2}, "format_version"),
    ({**GOOD, "authority": "3KQ7-9FJ2-XW0P"}, "authority"),  # the code, not the key
    ({**GOOD, "authority": "QUFB"}, "authority"),  # base64, but not of 32 bytes
    ({key: v for key, v in GOOD.items() if key != "format"}, "format"),
])
def test_a_bad_file_is_ignored_whole_naming_the_field(tmp_path: Path, caplog, content: Any,  # type: ignore[no-untyped-def]
                                                      named: str) -> None:
    path = write(tmp_path, content)
    with caplog.at_level(logging.WARNING, logger="models.org.it_defaults"):
        defaults = load_it_defaults(tmp_path)
    assert defaults.found and not defaults.used and defaults.error is not None
    assert defaults.settings == Settings()  # nothing of the file, not even its good fields
    assert defaults.error.message().startswith(named)
    assert str(path) in caplog.text and named in caplog.text


def test_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    (tmp_path / DEFAULTS_FILE).write_bytes("{\"office\": \"基隆\"}".encode("big5"))
    defaults = load_it_defaults(tmp_path)
    assert defaults.error is not None and "UTF-8" in defaults.error.message()


def test_a_huge_file_is_not_read_as_defaults(tmp_path: Path) -> None:
    write(tmp_path, {**GOOD, "share_folder": "\\\\x\\" + "y" * MAX_BYTES})
    defaults = load_it_defaults(tmp_path)
    assert defaults.error is not None and defaults.error.message().startswith("(file)")


def test_a_folder_in_its_place_is_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / DEFAULTS_FILE).mkdir()
    defaults = load_it_defaults(tmp_path)
    assert defaults.found and defaults.error is not None
    assert defaults.settings == Settings()
    # In the user's language: the system's own reason ("Is a directory") is English.
    assert defaults.error.message() == "無法讀取：這是資料夾，不是檔案"


def test_a_syntax_error_is_explained_in_the_users_language(tmp_path: Path) -> None:
    """Python's decoder says "Expecting property name enclosed in double quotes"."""
    write(tmp_path, '{"office": "taipei",}')
    defaults = load_it_defaults(tmp_path)
    assert defaults.error is not None
    assert defaults.error.message() == (
        "(file): 不是有效的JSON：此處應有以雙引號括住的欄位名稱（第1行，第21欄）")
