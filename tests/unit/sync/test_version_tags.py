"""Version ids bound to their writer (models.core.ids.new_id with a tag,
models.sync.keys.version_tag) and the successions that let a PC whose copy was caught carry
its former identity's versions on (models.sync.segment)."""

from __future__ import annotations

import uuid

import pytest

from i18n import _
from models.core.ids import new_id, tag_of
from models.sync.keys import new_identity, version_tag
from models.sync.segment import (
    MAX_FORMERS,
    Change,
    FieldVersion,
    SegmentError,
    decode_segment,
    encode_segment,
    succession,
)


def test_a_tagged_id_is_a_uuid_8_ordered_by_time_that_ends_with_its_writers_tag() -> None:
    device = new_identity()[1]
    tag = version_tag(device)

    ids = [new_id(tag) for _ in range(500)]

    assert len(tag) == 10 and int(tag, 16) >= 0
    assert all(uuid.UUID(i).version == 8 and uuid.UUID(i).variant == uuid.RFC_4122
               and tag_of(i) == tag for i in ids)
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert tag_of(new_id()) is None and tag_of(str(uuid.uuid4())) is None
    assert version_tag(new_identity()[1]) != tag  # 1 in 2^40 to fail


def _segment(key: bytes, device: str, version_id: str,
             formers: list[dict[str, str]]) -> bytes:
    change = Change("incidents", str(uuid.uuid4()), 1, device,
                    {"title": FieldVersion(version_id, "x")})
    return encode_segment(key, 1, "2026-12-07T00:00:00Z", "1", {}, [change], prev="",
                          formers=formers)


def test_a_chain_of_successions_lets_the_first_identitys_versions_through() -> None:
    (k1, d1), (k2, d2), (k3, d3) = new_identity(), new_identity(), new_identity()
    chain = [succession(k1, d2), succession(k2, d3)]

    segment = decode_segment(_segment(k3, d3, new_id(version_tag(d1)), chain), device=d3, seq=1)

    assert tag_of(segment.changes[0].fields["title"].version_id) == version_tag(d1)


def test_a_succession_leading_elsewhere_proves_nothing() -> None:
    (k1, d1), (_k2, d2), (k3, d3) = new_identity(), new_identity(), new_identity()

    squatting = new_id(version_tag(d1))

    with pytest.raises(SegmentError) as refused:
        decode_segment(_segment(k3, d3, squatting, [succession(k1, d2)]), device=d3, seq=1)

    assert str(refused.value) == _("it carries version {version}, which another PC wrote: "
                                   "forged").format(version=squatting)


def test_more_successions_than_a_header_may_hold_are_refused() -> None:
    key, device = new_identity()
    many = [succession(new_identity()[0], device) for _ in range(MAX_FORMERS + 1)]

    with pytest.raises(SegmentError) as refused:
        decode_segment(_segment(key, device, new_id(version_tag(device)), many),
                       device=device, seq=1)

    assert str(refused.value) == _("former identities: not a list of up to {limit}").format(
        limit=MAX_FORMERS)


def test_a_file_without_successions_is_written_as_before() -> None:
    key, device = new_identity()

    data = _segment(key, device, new_id(version_tag(device)), [])

    assert b'"formers"' not in data
