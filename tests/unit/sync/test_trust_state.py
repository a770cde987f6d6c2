"""Who the office trusts, as its signed records say (models.sync.trust): a pure function of the
authority's key and the records, so these tests build records as any program could."""

from __future__ import annotations

import pytest

from models.core.errors import UserError
from models.core.keytext import encode_key
from models.sync.keys import device_id_of, new_private_key, public_key_of
from models.sync.trust import code_of, normal_code, trust_state
from models.sync.trust_records import Record, RecordError, decode_record, make_record

AUTHORITY = new_private_key()


def _device() -> tuple[bytes, str]:
    key = new_private_key()
    return key, device_id_of(public_key_of(key))


def _enrol(signer: bytes, device_key: bytes, role: str = "unit_head", *,
           approver: bool = False, issued: str = "2026-12-06T00:00:00.000000Z") -> Record:
    return make_record(signer, "enrol", {
        "device": device_id_of(public_key_of(device_key)),
        "key": encode_key(public_key_of(device_key)), "person": "林組長", "login": "lin",
        "pc": "PC1", "role": role, "posts": [], "approver": approver}, issued=issued)


def test_an_approver_enrols_others_but_never_raises_itself_nor_the_authoritys_pcs() -> None:
    approver_key, approver = _device()
    direct_key, direct = _device()
    other_key, other = _device()
    records = [_enrol(AUTHORITY, approver_key, "secretary", approver=True),
               _enrol(AUTHORITY, direct_key),
               _enrol(approver_key, other_key),
               _enrol(approver_key, approver_key, "commander", issued="2099-01-01T00:00:00Z"),
               _enrol(approver_key, direct_key, "commander", issued="2099-01-01T00:00:00Z"),
               _enrol(approver_key, other_key, "planning", approver=True,
                      issued="2099-01-01T00:00:00Z")]

    state = trust_state(public_key_of(AUTHORITY), records)

    assert {d: g.role.value for d, g in state.grants.items()} == {
        approver: "secretary", direct: "unit_head", other: "planning"}
    assert not state.grants[other].approver  # one level of delegation, never further


def test_a_revoked_approvers_signature_counts_for_nothing() -> None:
    approver_key, approver = _device()
    other_key, other = _device()
    revoke = make_record(AUTHORITY, "revoke", {"device": approver, "after_seq": 3})
    state = trust_state(public_key_of(AUTHORITY),
                        [_enrol(AUTHORITY, approver_key, approver=True),
                         _enrol(approver_key, other_key), revoke])
    assert other not in state.grants and state.revoked == {approver: 3}
    assert state.refusal(approver, 3, signed=True, sha256="") is None
    assert state.refusal(approver, 4, signed=True, sha256="") is not None


def test_records_of_another_key_count_for_nothing_and_a_seal_never_rewrites_one() -> None:
    device_key, device = _device()
    fake = new_private_key()
    old = "0b7c3a4e-0000-4000-8000-000000000001"
    sealed = make_record(AUTHORITY, "seal", {"device": old, "segments": ["a" * 64]})
    rewrite = make_record(AUTHORITY, "seal", {"device": old, "segments": ["b" * 64, "c" * 64]})
    state = trust_state(public_key_of(AUTHORITY),
                        [_enrol(fake, device_key, "commander"), sealed, rewrite])
    assert device not in state.grants
    assert state.sealed == {old: ("a" * 64,)}
    assert state.refusal(old, 1, signed=False, sha256="a" * 64) is None
    assert state.refusal(old, 2, signed=False, sha256="c" * 64) is not None


def test_a_record_altered_or_written_another_way_is_refused() -> None:
    record = _enrol(AUTHORITY, new_private_key())
    with pytest.raises(RecordError):
        decode_record(record.data.replace(b"unit_head", b"commander"))
    with pytest.raises(RecordError):
        decode_record(record.data.replace(b'","', b'", "', 1))
    with pytest.raises(RecordError):
        decode_record(b"[" * 100000)


def test_codes_are_read_as_people_type_them() -> None:
    device = "440269a6-313e-e2b0-8274-86166e34932d"
    code = code_of(device)
    assert len(code) == 14 and code.count("-") == 2
    assert normal_code(code.lower().replace("-", " ").replace("0", "o")) == code
    for bad in ("abc", "UUUU-UUUU-UUUU", code + "X"):
        with pytest.raises(UserError):
            normal_code(bad)


def test_an_approver_never_revokes_a_pc_the_authority_enrolled_itself() -> None:
    approver_key, approver = _device()
    direct_key, direct = _device()
    other_key, other = _device()
    state = trust_state(public_key_of(AUTHORITY), [
        _enrol(AUTHORITY, approver_key, approver=True), _enrol(AUTHORITY, direct_key),
        _enrol(approver_key, other_key),
        make_record(approver_key, "revoke", {"device": direct, "after_seq": 0}),
        make_record(approver_key, "revoke", {"device": other, "after_seq": 2})])
    assert state.revoked == {other: 2} and approver in state.grants
