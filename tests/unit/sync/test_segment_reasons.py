"""A change file refused for a bad value says where: the line, and the part of it at fault in
the user's language (the status bar and `main.py sync` show it), though the reader names no
part until a value is refused."""

from __future__ import annotations

import pytest

from i18n import _
from models.sync.keys import device_id_of, new_private_key, public_key_of
from models.sync.segment import Change, FieldVersion, SegmentError, decode_segment, encode_segment

GOOD = FieldVersion("v1", "新標題", ())


@pytest.mark.parametrize(("line", "part"), [
    (lambda d: Change("incidents", "", 1, d, {"title": GOOD}), "row id"),
    (lambda d: Change("incidents", "r1", 1, d, {"": GOOD}), "field name"),
    (lambda d: Change("incidents", "r1", 1, d, {"title": FieldVersion("v1", "x", ("",))}),
     "bases"),
])
def test_a_bad_value_is_named_by_its_line_and_part(line, part: str) -> None:  # type: ignore[no-untyped-def]
    key = new_private_key()
    device = device_id_of(public_key_of(key))
    good = Change("incidents", "r0", 1, device, {"title": GOOD})
    data = encode_segment(key, 1, "2026-12-07T00:00:00Z", "1", {}, [good, line(device)],
                          prev="")

    with pytest.raises(SegmentError) as refused:
        decode_segment(data, device=device, seq=1)

    assert str(refused.value).startswith(_("line {n}: {part}").format(n=3, part=_(part)))
