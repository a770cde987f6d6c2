"""An export writes a change's line from the history's JSON texts (stored_change_lines), keeping
a value's text where it is already as the line writes it. The segment must be byte for byte
the one the writer makes of the decoded change (encode_segment), or its SHA-256, signature and
every later file of its device's chain would differ from what an older app wrote and reads."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime
from typing import Any

import pytest

from models.sync.keys import device_id_of, new_private_key, public_key_of
from models.sync.segment import (
    Change,
    FieldVersion,
    decode_segment,
    encode_lines,
    encode_segment,
    stored_change_lines,
)
from models.sync.values import encode

VALUES: list[Any] = [
    "巡查第0次，一切正常", "", None, 0, 1, -1, 2 ** 62, -(2 ** 63), 10 ** 30, True, False,
    1.5, -0.0, 1e20, 1e-7, 0.1 + 0.2, float("nan"), float("inf"),
    date(2026, 12, 7), datetime(2026, 12, 7, 13, 45, 1, 250, tzinfo=UTC),
    '他說："請回報"', "第一行\n第二行\r\n\t縮排", "C:\\資料\\案件", "\\u5de1 is no escape here",
    "".join(map(chr, range(32))) + "\x7f", "\u2028\u2029", "🚢 貨櫃 😀", "</script>",
    json.dumps({"text": "巡查第0次，一切正常"}), json.dumps({"text": "巡查"}, ensure_ascii=False),
    [1, "二", None, [3.5]], {"b": 1, "a": {"z": "中", "y": [True]}},
]
ORDER = ["title", "author", "data", "event_at", "id", "kind", "Zeta", "中文欄位", "a b"]
"""Field names in no particular order (the line sorts them as the writer does)."""


def _stored(value: Any) -> str:
    """A value's text as the history stores it (models.sync.capture.record_edits)."""
    return json.dumps(encode(value), ensure_ascii=False)


def _expected(table: str, row_id: str, stamp: int, device: str,
              fields: dict[str, tuple[str, str, str]], seen: str) -> bytes:
    """The line the writer made before it kept any text: the history's texts decoded, then
    encoded as one JSON object (the segment's options, written out here)."""
    return json.dumps({
        "t": table, "id": row_id, "h": stamp, "d": device,
        "f": {name: {"v": vid, "val": json.loads(value), "b": list(json.loads(bases))}
              for name, (vid, value, bases) in fields.items()},
        "seen": list(json.loads(seen))},
        ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8") + b"\n"


def stored_change_line(table: str, row_id: str, stamp: int, device: str,
                       fields: dict[str, tuple[str, str, str]], seen: str) -> bytes:
    """The line of one change from its history rows."""
    [line] = stored_change_lines(device, [(7, table, row_id, stamp, seen)], [
        (7, name, vid, value, bases) for name, (vid, value, bases) in fields.items()])
    return line


def _fields(texts: list[str]) -> dict[str, tuple[str, str, str]]:
    return {ORDER[n % len(ORDER)] + str(n // len(ORDER)): (f"v{n}", text, "[]")
            for n, text in enumerate(texts)}


def test_a_line_from_stored_texts_is_the_writers_line_byte_for_byte() -> None:
    fields = _fields([_stored(v) for v in VALUES])
    fields["title0"] = ("v-title", _stored("新標題"), json.dumps(["b2", "b1"]))

    line = stored_change_line("timeline", "r1", 117743399723794432, "dev-1", fields,
                              json.dumps(["s1", "s2"]))

    assert line == _expected("timeline", "r1", 117743399723794432, "dev-1", fields,
                             json.dumps(["s1", "s2"]))


@pytest.mark.parametrize("ascii_only", [False, True])
def test_every_character_in_a_text_comes_out_as_the_writer_writes_it(ascii_only: bool) -> None:
    """Every character of the first planes alone in a text, and the surrogate pairs of a
    few beyond; stored as this app stores text, and as json.dumps's default (escaped) would."""
    chars = [chr(c) for c in range(0x3100) if not 0xD800 <= c < 0xE000]
    chars += ["\U0001f6a2", "\U00020000", "\U0010fffd"]
    texts = [json.dumps(f"a{c}b", ensure_ascii=ascii_only) for c in chars]
    for start in range(0, len(texts), 500):
        fields = _fields(texts[start:start + 500])
        assert stored_change_line("t", "r", 1, "d", fields, "[]") == _expected(
            "t", "r", 1, "d", fields, "[]")


@pytest.mark.parametrize(("stored", "written"), [
    ('"\\u5de1\\u67e5"', '"巡查"'),  # an older app's escapes
    ('"\\u001F\\u000A"', '"\\u001f\\n"'),  # an upper-case escape, a long one for a newline
    ('"a\\/b"', '"a/b"'),
    ("-0", "0"), ("1e2", "100.0"), ("1.50", "1.5"), (" 7 ", "7"), ("007", None),
    ("[1, 2]", "[1,2]"), ('{"b": 1, "a": 2}', '{"a":2,"b":1}'), ("NaN", "NaN"),
])
def test_a_stored_text_not_as_the_line_writes_it_is_decoded_and_written_again(
        stored: str, written: str | None) -> None:
    """A text kept as it is must be exactly what the writer would write; any other is read
    (json.loads: refused where it is no JSON) and written again."""
    fields = {"value": ("v1", stored, '["b1", "b2"]')}
    if written is None:
        with pytest.raises(ValueError):
            stored_change_line("t", "r", 1, "d", fields, "[]")
        return

    line = stored_change_line("t", "r", 1, "d", fields, '["s1", "s2"]')

    assert line == _expected("t", "r", 1, "d", fields, '["s1", "s2"]')
    assert f'"val":{written}}}'.encode() in line and b'"b":["b1","b2"]' in line


def test_a_segment_of_stored_lines_is_the_segment_of_its_changes() -> None:
    """The whole file, header, end line and signature, as encode_segment writes the changes
    the texts decode to."""
    key = new_private_key()
    device = device_id_of(public_key_of(key))
    stored = [(f"r{n}", 10 ** 15 + n, _fields([_stored(v) for v in VALUES[n:] + VALUES[:n]]))
              for n in range(len(VALUES))]
    changes = [Change("timeline", row_id, stamp, device,
                      {name: FieldVersion(vid, json.loads(value), tuple(json.loads(bases)))
                       for name, (vid, value, bases) in fields.items()}, ("s1",))
               for row_id, stamp, fields in stored]
    versions = [(n, name, vid, value, bases) for n, (_r, _s, fields) in enumerate(stored)
                for name, (vid, value, bases) in fields.items()]
    lines = stored_change_lines(device, [(n, "timeline", row_id, stamp, '["s1"]')
                                         for n, (row_id, stamp, _f) in enumerate(stored)],
                                versions[1::2] + versions[::2])  # in no order

    data = encode_lines(key, 3, "2026-12-07T05:00:00.000000Z", "1.4", {"other": 2}, lines,
                        prev="ab" * 32)

    assert data == encode_segment(key, 3, "2026-12-07T05:00:00.000000Z", "1.4", {"other": 2},
                                  changes, prev="ab" * 32)


def test_a_reader_takes_the_values_of_a_segment_of_stored_lines() -> None:
    key = new_private_key()
    device = device_id_of(public_key_of(key))
    plain = [v for v in VALUES  # those a reader takes: no list, no number beyond SQLite's,
             if not isinstance(v, (list, dict)) and v != 10 ** 30  # none JSON cannot hold
             and not (isinstance(v, float) and not math.isfinite(v))]
    fields = _fields([_stored(v) for v in plain])
    data = encode_lines(key, 1, "2026-12-07T05:00:00.000000Z", "1.4", {},
                        [stored_change_line("timeline", "r1", 1, device, fields, "[]")],
                        prev="")

    [change] = decode_segment(data, device=device, seq=1).changes

    assert {name: json.dumps(fv.value) for name, fv in change.fields.items()} == {
        name: json.dumps(json.loads(value)) for name, (_vid, value, _b) in fields.items()}


def test_a_change_without_versions_has_no_fields() -> None:
    assert stored_change_lines("d", [(1, "t", "r", 5, "[]")], []) == [
        b'{"d":"d","f":{},"h":5,"id":"r","seen":[],"t":"t"}\n']
