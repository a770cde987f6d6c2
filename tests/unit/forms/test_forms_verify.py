"""The verification code: short, typable, stable for the same record version and different for
any change, because paper printed today must still check out against later app versions."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms.verify import CODE_LENGTH, qr_payload, verification, verification_code

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SHAPE = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}")

RECORD = ("notification", "5f0c2a8e-1b7d-4c1e-9a43-7d2e8b6f0a11", 2)
CONTENT = {"case": "基隆關-115-0007", "severity": "medium"}


def test_the_code_is_pinned() -> None:
    """Changing how the code is computed would orphan every form already printed."""
    assert verification_code(*RECORD, CONTENT) == "67ZW-4MBT-9M"


def test_the_code_is_the_first_50_bits_of_sha256_in_crockford_base32() -> None:
    kind, record_id, version = RECORD
    canonical = json.dumps({"content": CONTENT, "id": record_id, "kind": kind,
                            "version": version}, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("ascii")).digest()
    rfc4648 = base64.b32encode(digest).decode()[:CODE_LENGTH]
    crockford = "".join(CROCKFORD["ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".index(c)] for c in rfc4648)
    assert verification_code(*RECORD, CONTENT).replace("-", "") == crockford


@given(st.text(), st.text(), st.integers(0, 10**9),
       st.dictionaries(st.text(), st.text() | st.integers() | st.none() | st.lists(st.text())))
def test_the_code_is_typable_and_deterministic(kind: str, record_id: str, version: int,
                                                content: dict[str, object]) -> None:
    code = verification_code(kind, record_id, version, content)
    assert SHAPE.fullmatch(code)
    reordered = dict(reversed(list(content.items())))
    assert verification_code(kind, record_id, version, reordered) == code


@pytest.mark.parametrize("changed", [
    ("drill_report", RECORD[1], RECORD[2], CONTENT),
    (RECORD[0], "5f0c2a8e-1b7d-4c1e-9a43-7d2e8b6f0a12", RECORD[2], CONTENT),
    (*RECORD[:2], 3, CONTENT),
    (*RECORD, {**CONTENT, "severity": "high"}),
    (*RECORD, {**CONTENT, "note": ""}),
    (*RECORD, {"case": "基隆關-115-0007", "severity": ["medium"]}),
])
def test_any_change_gives_another_code(changed: tuple[str, str, int, dict[str, object]]) -> None:
    assert verification_code(*changed) != verification_code(*RECORD, CONTENT)


def test_content_must_be_json() -> None:
    with pytest.raises(TypeError):
        verification_code(*RECORD, {"day": date(2026, 11, 24)})
    with pytest.raises(ValueError):
        verification_code(*RECORD, {"ratio": float("nan")})


def test_the_qr_payload_carries_kind_id_version_and_code_unambiguously() -> None:
    assert qr_payload("drill_report", "a:b/c", 3, "7K3Q-9XD2-MA") == (
        "CDV1:drill_report:a%3Ab%2Fc:3:7K3Q-9XD2-MA")


def test_verification_bundles_code_and_payload() -> None:
    made = verification(*RECORD, CONTENT)
    assert made.code == verification_code(*RECORD, CONTENT)
    assert made.qr_payload == qr_payload(*RECORD, made.code)
