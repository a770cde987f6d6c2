"""The reader's fast paths accept only what the full reading accepts, giving the same result:
a change line checked inline (segment._plain_change) against the check field by field
(segment._change), and the lines parsed from one decoding of the body (segment._json_lines)
against json.loads of each line. Every input the full reading refuses is refused the same
way (the fast path steps aside and the full reading gives its reason)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from i18n import _
from models.sync.keys import device_id_of, new_private_key, public_key_of
from models.sync.segment import (
    Change,
    FieldVersion,
    SegmentError,
    _change,
    _json_lines,
    _plain_change,
    decode_segment,
    encode_lines,
    encode_segment,
)

DEVICE = "a0888226-cee9-1a4c-d815-9a7bbd59bb54"
GOOD: dict[str, Any] = {
    "t": "timeline", "id": "0181cbd5-e108-4815-964b-113f60c02192", "h": 123 << 16, "d": DEVICE,
    "f": {"kind": {"v": "v-kind", "val": "note", "b": []},
          "data": {"v": "v-data", "val": "巡查第1次", "b": ["v-old"]},
          "n": {"v": "v-n", "val": 3, "b": []}, "flag": {"v": "v-flag", "val": True},
          "gone": {"v": "v-gone", "val": None, "b": []}, "x": {"v": "v-x", "val": 1.5}},
    "seen": ["v-seen"]}

ODD: list[Any] = [None, "", "x", "x" * 36, "x" * 37, "x" * 80, "x" * 81, 0, -1, 1, True, False,
                  1.5, (1 << 63) - 1, 1 << 63, -(1 << 63), -(1 << 63) - 1, [], ["a"], [""],
                  ["x" * 37], [1], [None], {}, {"a": 1}, "\u2028"]
_MISSING = object()


def _variants() -> list[Any]:
    """GOOD with one part replaced by each odd value (or removed), at every level."""
    out: list[Any] = [GOOD, None, [], "line", 1]
    paths: list[tuple[str, ...]] = [(k,) for k in GOOD] + [("f", "kind")] + [
        ("f", name, part) for name in GOOD["f"] for part in ("v", "val", "b")]
    for path in paths:
        for odd in [*ODD, _MISSING]:
            line = copy.deepcopy(GOOD)
            target = line
            for key in path[:-1]:
                target = target[key]
            if odd is _MISSING:
                target.pop(path[-1], None)
            else:
                target[path[-1]] = copy.deepcopy(odd)
            out.append(line)
    for name in ["", "x" * 80, "x" * 81]:
        line = copy.deepcopy(GOOD)
        line["f"][name] = {"v": "v-new", "val": "y"}
        out.append(line)
    return out


@pytest.mark.parametrize("line", _variants())
def test_a_line_read_inline_is_read_as_the_full_check_reads_it(line: Any) -> None:
    try:
        expected = _change(line, 2)
    except SegmentError:
        expected = None

    fast = _plain_change(line)

    assert fast is None or fast == expected
    if expected is None:
        assert fast is None


def test_a_line_as_a_writer_writes_it_takes_the_fast_path() -> None:
    assert _plain_change(GOOD) == _change(GOOD, 2)


_LINE = json.dumps(GOOD, ensure_ascii=False).encode()


@pytest.mark.parametrize("body", [
    _LINE + b"\n" + _LINE + b"\n",
    b'{"a":"\xe2\x80\xa8 a line separator in a text"}\n' + _LINE + b"\n",
    b'{"a":"\xed\xa0\x80"}\n',  # a UTF-8 encoded surrogate: refused (json.loads passes it)
    b'{"a":1}\r\n{"b":2}\n',
    b'{"a":1}\n\n{"b":2}\n',
    b'\xef\xbb\xbf{"a":1}\n',
    '{"a":1}\n'.encode("utf-16-le") + b"\n",
    b'{"a":1,\n"b":2}\n',
    b'{"a":\xff}\n',
    b'[1]\n{"a":1}\n',
    b'{"a":1}\n[1]\n',
    b'{"a":1} {"b":2}\n',
    b'{"a":1}\x0b{"b":2}\n',
    b'{"a":[1,\n',  # cut off inside a value
    b'{"a":\n',
    b'{"a":1} \n',  # a value, then whitespace
    b'{"a":1}x\n',
    b'{"a":"\x01"}\n',  # a control character in a text
])
def test_lines_parsed_at_once_are_those_parsed_line_by_line(body: bytes) -> None:
    try:  # the full reading: strict UTF-8, then each line
        body.decode("utf-8")
        expected: Any = [json.loads(line) for line in body.splitlines()]
    except (ValueError, UnicodeDecodeError) as exc:
        expected = type(exc)

    try:
        found: Any = _json_lines(body)
    except (ValueError, UnicodeDecodeError) as exc:
        found = type(exc)

    assert found == expected


def test_a_segment_reads_back_what_was_written() -> None:
    key = new_private_key()
    device = device_id_of(public_key_of(key))
    changes = [Change("timeline", f"r{n}", n, device,
                      {"data": FieldVersion(f"v{n}", "巡查\u2028" * n, (f"b{n}",) if n else ()),
                       "n": FieldVersion(f"w{n}", n, ())}, (f"s{n}",) if n % 2 else ())
               for n in range(5)]
    data = encode_segment(key, 1, "2026-12-07T00:00:00Z", "1", {}, changes, prev="")

    assert list(decode_segment(data, device=device, seq=1).changes) == changes


def test_a_signed_segment_holding_an_encoded_surrogate_is_refused() -> None:
    """A value no database can hold (a lone surrogate, written as raw UTF-8 bytes rather than
    escaped) refuses its file, signed or not; it used to be read and then end every run of
    every PC that received it, at the insert."""
    key = new_private_key()
    device = device_id_of(public_key_of(key))
    line = _LINE.replace(b'"\xe5\xb7\xa1', b'"\xed\xa0\x80', 1)
    assert line != _LINE
    data = encode_lines(key, 1, "2026-12-07T00:00:00Z", "1", {}, [line + b"\n"], prev="")

    with pytest.raises(SegmentError) as refused:
        decode_segment(data, device=device, seq=1)
    assert str(refused.value) == _("not JSON lines: damaged, or not a segment")
