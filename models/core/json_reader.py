"""Reading untrusted JSON files into typed data, naming the path of whatever is wrong.

Both exchange formats (the playbook, docs/playbook-format.md, and archived cases,
docs/case-format.md) are files a person may edit by hand or receive by e-mail. A message such
as ``levels[2].notify_group: refers to the unknown team group 'boss'`` or
``cases[0].category: unknown category "foo"`` lets that person find the field; "invalid file"
would not. `JsonReader` walks a decoded JSON value and carries the path along, so every check
reports it the same way.

Nothing here knows either format: the format modules say which keys exist and what they mean.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from i18n import N_
from models.core.errors import UserError, ValidationError

FILE_PATH = "(file)"
"""The path named by problems of the file as a whole (size, encoding, syntax)."""

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SHOWN = 40
"""How much of an offending value a message quotes; a file may hold megabytes in one string."""


def shorten(value: str, limit: int = _SHOWN) -> str:
    """*value* cut to *limit* characters for a message (an ellipsis marks the cut)."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


FIRST_YEAR = 1912
"""Times before the ROC calendar's first year cannot be written as ROC dates."""
_TAIWAN = ZoneInfo("Asia/Taipei")
"""Where the ROC calendar's years are counted (a time's year is checked there too)."""

class JsonReader:
    """Walks an untrusted JSON value, remembering the path for error messages.

    A path starts at a top-level key: ``.name`` is a key inside an object and ``[2]`` the
    third item of a list. Each method checks the value's type (and rule) and returns it, or
    raises `ValidationError` with the path as its field.
    """

    def __init__(self, value: Any, path: str = "") -> None:
        self.value = value
        self.path = path

    def sub_path(self, key: str | int) -> str:
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else key

    # -- containers ---------------------------------------------------------------------------

    def obj(self, *, allowed: Collection[str] | None = None) -> Mapping[str, Any]:
        """The value as an object; with *allowed*, any other key is refused with its path."""
        if not isinstance(self.value, Mapping):
            raise ValidationError(self.path or "(document)", N_("must be a JSON object"))
        if allowed is not None:
            for key in self.value:
                if key not in allowed:
                    shown = shorten(key) if isinstance(key, str) else "?"
                    raise ValidationError(self.sub_path(shown), N_("is not a known field"))
        return self.value

    def has(self, key: str) -> bool:
        return key in self.obj()

    def get(self, key: str, *, optional: bool = False, default: Any = None) -> JsonReader:
        data = self.obj()
        if key not in data:
            if optional:
                return JsonReader(default, self.sub_path(key))
            raise ValidationError(self.sub_path(key), N_("is missing"))
        return JsonReader(data[key], self.sub_path(key))

    def items(self, *, non_empty: bool = True) -> Iterator[JsonReader]:
        if not isinstance(self.value, list):
            raise ValidationError(self.path, N_("must be a list"))
        if non_empty and not self.value:
            raise ValidationError(self.path, N_("must not be empty"))
        for i, item in enumerate(self.value):
            yield JsonReader(item, self.sub_path(i))

    @property
    def is_null(self) -> bool:
        return self.value is None

    # -- scalars ------------------------------------------------------------------------------

    def string(self, *, allow_empty: bool = False, max_length: int | None = None) -> str:
        if not isinstance(self.value, str):
            raise ValidationError(self.path, N_("must be a text string"))
        if not allow_empty and not self.value.strip():
            raise ValidationError(self.path, N_("must not be empty"))
        if max_length is not None and len(self.value) > max_length:
            raise ValidationError(
                self.path, N_("is longer than {limit} characters"), limit=max_length
            )
        try:
            self.value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: not text any program can store
            raise ValidationError(self.path, N_("is not valid Unicode text")) from None
        return self.value

    def key(self) -> str:
        value = self.string()
        if not value.replace("_", "").replace("-", "").isascii() or not value.replace(
            "_", ""
        ).replace("-", "").isalnum():
            raise ValidationError(
                self.path, N_("must be a key of ASCII letters, digits, '-' or '_'")
            )
        return value

    def boolean(self) -> bool:
        if not isinstance(self.value, bool):
            raise ValidationError(self.path, N_("must be true or false"))
        return self.value

    def integer(self) -> int:
        value = self.value
        if isinstance(value, int) and not isinstance(value, bool):  # JSON true is not a number
            return value
        raise ValidationError(self.path, N_("must be a whole number"))

    def choice(self, allowed: Sequence[str]) -> str:
        value = self.string()
        if value not in allowed:
            raise ValidationError(
                self.path, N_("must be one of: {allowed}"), allowed=", ".join(allowed)
            )
        return value

    def moment(self) -> datetime:
        """An ISO 8601 date and time with its UTC offset, as an aware datetime in UTC.

        A time without an offset is refused: 09:30 in Taipei and 09:30 UTC are eight hours
        apart, and a file cannot say which one it meant otherwise.
        """
        value = self.string()
        try:
            parsed = datetime.fromisoformat(value) if value.isascii() else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise ValidationError(
                self.path,
                N_("must be a date and time such as 2021-08-20T09:30:00+08:00"),
            )
        if parsed.tzinfo is None or parsed.utcoffset() is None:
            raise ValidationError(
                self.path,
                N_("must give its UTC offset, such as +08:00 for Taiwan time"),
            )
        try:
            moment = parsed.astimezone(UTC)
            taiwan = moment.astimezone(_TAIWAN)
        except OverflowError:  # year 1 or 9999 moved across midnight by the offset
            raise ValidationError(
                self.path,
                N_("must be a date and time such as 2021-08-20T09:30:00+08:00"),
            ) from None
        if min(parsed.year, taiwan.year) < FIRST_YEAR:  # 1912-01-01T00:00+14:00 is 1911 here
            raise ValidationError(self.path, N_("lies before 1912, the first ROC year"))
        return moment

    def day(self) -> date:
        """A calendar date written YYYY-MM-DD."""
        value = self.string()
        try:
            found = date.fromisoformat(value) if _DATE.fullmatch(value) else None
        except ValueError:
            found = None
        if found is None:
            raise ValidationError(self.path, N_("must be a date such as 2021-08-31"))
        if found.year < FIRST_YEAR:
            raise ValidationError(self.path, N_("lies before 1912, the first ROC year"))
        return found


def unique(values: Sequence[str], path: str) -> None:
    """Refuse the second occurrence of a value, naming its index under *path*."""
    seen: set[str] = set()
    for i, value in enumerate(values):
        if value in seen:
            raise ValidationError(f"{path}[{i}]", N_("repeats '{value}'"), value=value)
        seen.add(value)


def check_format(root: JsonReader, expected: str, supported: int) -> int:
    """The ``format`` and ``format_version`` every exchange file starts with; returns the
    version. A newer version is refused rather than guessed at."""
    if root.get("format").string() != expected:
        raise ValidationError("format", N_("must be '{expected}'"), expected=expected)
    version = root.get("format_version").integer()
    if version > supported:
        raise ValidationError(
            "format_version",
            N_("is {found}, newer than this app understands ({supported}); update the app"),
            found=version,
            supported=supported,
        )
    if version < 1:
        raise ValidationError("format_version", N_("must be 1 or more"))
    return version


_SYNTAX = {
    "Expecting value": N_("a value is expected"),
    "Expecting property name enclosed in double quotes": N_(
        "a field name in double quotes is expected"),
    "Expecting ':' delimiter": N_("':' is expected"),
    "Expecting ',' delimiter": N_("',' is expected"),
    "Extra data": N_("text follows the end of the data"),
    "Unterminated string starting at": N_("a text string is not closed"),
    "Invalid control character": N_("a text string holds a control character"),
    "Invalid \\escape": N_("a text string holds an invalid \\ escape"),
    "Invalid \\uXXXX escape": N_("a text string holds an invalid \\u escape"),
}
"""Python's JSON decoder explains a syntax error in English: its messages, in the user's
language. One the decoder adds later gives the line and column alone."""


def load_json(
    text: str | bytes, *, wrong_kind: str, max_bytes: int | None = None
) -> Any:
    """Decode a file's text or bytes; every failure is a `ValidationError` on ``(file)``.

    *wrong_kind* is the message for a value Python's decoder refuses beyond syntax (a number
    of thousands of digits), e.g. N_("is not a playbook file").
    """
    if max_bytes is not None:
        size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "replace"))
        if size > max_bytes >= 1024 * 1024:
            raise ValidationError(
                FILE_PATH,
                N_("is larger than {limit} MB"),
                limit=round(max_bytes / (1024 * 1024)),
            )
        if size > max_bytes:  # a small file (settings, IT defaults): "0 MB" would say nothing
            raise ValidationError(FILE_PATH, N_("is larger than {limit} KB"),
                                  limit=max_bytes // 1024)
    try:
        return json.loads(text)
    except UnicodeDecodeError:
        raise ValidationError(FILE_PATH, N_("is not UTF-8 text")) from None
    except json.JSONDecodeError as exc:
        problem = next((phrase for start, phrase in _SYNTAX.items() if exc.msg.startswith(start)),
                       None)
        if problem is None:
            raise ValidationError(FILE_PATH,
                                  N_("is not valid JSON at line {line}, column {column}"),
                                  line=exc.lineno, column=exc.colno) from None
        raise ValidationError(
            FILE_PATH,
            N_("is not valid JSON: {error} at line {line}, column {column}"),
            error=UserError(problem),  # translated when shown, like the message around it
            line=exc.lineno,
            column=exc.colno,
        ) from None
    except RecursionError:
        raise ValidationError(FILE_PATH, N_("nests lists or objects too deeply")) from None
    except ValueError:  # a number of thousands of digits
        raise ValidationError(FILE_PATH, wrong_kind) from None
