"""Enrolled PCs and granted roles (docs/trust.md, issue 15): an office authority approves each
PC for a person; only enrolled PCs' changes are applied, each checked by every receiver for
the person and role the office granted, whatever the PC's settings or a program writing into
the share say. Each attack: nothing of it applied, the reason named, everything else syncs."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from i18n import _
from models.core.errors import UserError
from main import main
from models.drills.reports.actions import save_report, sign_off, submit_report
from models.drills.reports.queries import report_view
from models.incidents.actions import add_entry
from models.org.settings import login_name, pc_name
from models.storage.db import utcnow
from models.sync.enrolment import load_me
from models.sync.entities import REFUSED
from models.core.keytext import encode_key
from models.sync.keys import device_id_of, new_private_key, public_key_of
from models.schema import RULES
from models.sync.run import sync_once
from models.sync.merge import apply_segment
from models.sync.segment import Change, FieldVersion, decode_segment
from models.sync.trust import code_of
from models.sync.trust_records import make_record, record_file_name
from models.trust_admin import Approver, revoke_pc
from tests.sync.conftest import (
    HEAD,
    PC,
    Office,
    found_office,
    history,
    new_incident,
    sync,
    sync_all,
    table_rows,
)
from tests.sync.test_sync_basic import COMMANDER, SECRETARY, drawn_drill, report_draft
from tests.sync.test_sync_duties import _signed_by_both
from tests.sync.test_sync_signed import _plant, _stranger, _unsigned


def _titles(pc: PC) -> set[str]:
    return {r["title"] for r in table_rows(pc.db)["incidents"]}


def _code(pc: PC) -> str:
    with pc.db.session() as session:
        return load_me(session.connection()).code


def _refused(pc: PC) -> list[tuple[str, str, str]]:
    with pc.db.session() as session:
        return [tuple(r) for r in session.execute(
            select(REFUSED.c.tbl, REFUSED.c.author, REFUSED.c.reason))]


@pytest.fixture
def office(pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path) -> Office:
    """A, the executive secretary's PC, holds the authority; B and C are not enrolled yet."""
    return found_office(pcs[:1], share, tmp_path / "authority.pem", SECRETARY)


def test_a_pc_waits_named_with_its_code_until_approved_and_then_nothing_is_lost(
        pcs: tuple[PC, PC, PC], share: Path, office: Office) -> None:
    a, b, _c = pcs
    new_incident(b, "B 在核准前開的案件")
    sync_once(b.db, share, RULES, person="林組長", unit="稽查組")  # as the window's sync asks
    report = sync(a, share)

    assert "B 在核准前開的案件" not in _titles(a)
    assert _("waiting for approval: {who}, code {code}").format(
        who="稽查組 林組長", code=_code(b)) in " ".join(report.waiting)
    waiting = sync(b, share)  # the PC not approved applies nothing, and says why
    assert waiting.waiting == [_("This PC waits for the office's approval: give its code "
                                 "{code} to the approver.").format(code=_code(b))]

    office.enrol(b, HEAD)
    sync_all([a, b], share)
    assert "B 在核准前開的案件" in _titles(a)
    assert _titles(a) == _titles(b)


def test_a_made_up_device_is_never_applied_and_the_rest_syncs(
        pcs: tuple[PC, PC, PC], share: Path, office: Office) -> None:
    a, b, _c = pcs
    office.enrol(b, HEAD)
    incident = new_incident(a)
    sync_all([a, b], share)
    stranger, forged = _stranger(incident, "陌生電腦改的標題")
    _plant(share, stranger, 1, forged)
    new_incident(a, "之後的案件")
    sync(a, share)

    report = sync(b, share)

    assert "陌生電腦改的標題" not in _titles(b) and "之後的案件" in _titles(b)
    assert any(_("waiting for approval: a PC that has not asked to join, code {code}").format(
        code=code_of(stranger)) in line for line in report.waiting)


def test_a_unit_heads_pc_signing_as_commander_is_refused_everywhere(
        pcs: tuple[PC, PC, PC], share: Path, office: Office) -> None:
    """B's user edits settings.json to commander (or runs a modified app): the sign-off it
    makes in the commander's name is signed with B's own key, and B is enrolled as a unit
    head: every receiver refuses it, keeps it as evidence and names it."""
    a, b, _c = pcs
    office.enrol(b, HEAD)
    drill = drawn_drill(a)
    sync_all([a, b], share)
    head = replace(HEAD, login=login_name(), pc=pc_name())  # as the window makes it from B's grant
    info = save_report(b.db, head, drill, report_draft())
    submit_report(b.db, head, info.id)
    sync_all([a, b], share)
    sign_off(b.db, replace(COMMANDER, login=head.login, pc=head.pc), info.id,
             as_role="commander", name=COMMANDER.name)
    new_incident(b, "同一檔案裡的合法案件")

    sync(b, share)
    report = sync(a, share)

    view = report_view(a.db, drill)
    assert [e.kind for e in view.events] == ["submitted"] and not view.locked
    assert "同一檔案裡的合法案件" in _titles(a)  # the rest of the same file is applied
    assert ("drill_report_events", "林組長",
            "it names another person as its author than the one its PC is enrolled for"
            ) in _refused(a)
    assert any(_("Drill report sign-off or submission") in line for line in report.refused)
    assert not report.in_sync


def test_a_timeline_entry_once_written_is_never_rewritten_by_another_pc(
        pcs: tuple[PC, PC, PC], share: Path, office: Office) -> None:
    a, b, _c = pcs
    office.enrol(b, HEAD)
    incident = new_incident(a)
    add_entry(a.db, SECRETARY, incident, "note", "原始紀錄", utcnow())
    sync_all([a, b], share)
    with b.db.session() as session:  # a modified app rewriting the entry through the capture
        from models.incidents.entities import TimelineRow

        entry = session.scalars(select(TimelineRow).where(TimelineRow.kind == "note")).one()
        entry.data = json.dumps({"text": "改過的紀錄"}, ensure_ascii=False)

    sync(b, share)
    sync(a, share)

    notes = [r["data"] for r in table_rows(a.db)["timeline"] if r["kind"] == "note"]
    assert notes == [json.dumps({"text": "原始紀錄"}, ensure_ascii=False)]
    assert ("timeline", "林組長", "a record that is never changed once written") in _refused(a)


def test_a_revoked_pc_keeps_what_it_wrote_and_its_later_files_are_refused(
        pcs: tuple[PC, PC, PC], share: Path, office: Office) -> None:
    a, b, c = pcs
    office.enrol(b, HEAD)
    office.enrol(c, HEAD)
    new_incident(b, "撤銷前的案件")
    sync_all([a, b, c], share)
    kept = len(list((share / "devices" / b.device / "log").glob("*.seg")))
    revoke_pc(a.db, share, _code(b), Approver())
    new_incident(b, "撤銷後的案件")
    sync(b, share)

    report = sync_all([a, c], share)[1]

    assert "撤銷前的案件" in _titles(c) and "撤銷後的案件" not in _titles(c)
    assert any(_("this PC was revoked by the office: its files after {seq} are refused")
               .format(seq=kept) in line for line in report.waiting)


def test_a_forged_trust_record_is_named_and_changes_nothing(
        pcs: tuple[PC, PC, PC], share: Path, office: Office) -> None:
    """A program makes its own 'authority' and enrols a made-up device as commander: the
    record is well formed and signed, but by no key this office trusts."""
    a, b, _c = pcs
    office.enrol(b, HEAD)
    fake = new_private_key()
    device_key = new_private_key()
    device = device_id_of(public_key_of(device_key))
    record = make_record(fake, "enrol", {
        "device": device, "key": encode_key(public_key_of(device_key)), "person": "張副關務長",
        "login": "x", "pc": "x", "role": "commander", "posts": [], "approver": True})
    (share / "trust" / record_file_name(record.sha256)).write_bytes(record.data)
    tampered = record.data.replace("張副關務長".encode(), "王主秘".encode())
    (share / "trust" / record_file_name("0" * 64)).write_bytes(tampered)

    report = sync(b, share)

    with b.db.session() as session:
        me = load_me(session.connection())
    assert me.state.grant(device) is None
    assert any(line.startswith(f"trust/{'0' * 64}.json") for line in report.waiting)


def _it_names_authority(monkeypatch: pytest.MonkeyPatch, folder: Path, key: bytes) -> None:
    """IT's defaults file beside the program names the office authority's key."""
    from models.core.keytext import encode_key
    from models.org import it_defaults

    folder.mkdir(exist_ok=True)
    (folder / it_defaults.DEFAULTS_FILE).write_text(json.dumps(
        {"format": "crisisdesk-defaults", "format_version": 1, "office": "keelung",
         "authority": encode_key(key)}), encoding="utf-8")
    monkeypatch.setattr(it_defaults, "install_dir", lambda: folder)


def test_the_authority_it_names_is_the_only_one_and_moves_the_office_to_a_new_one(
        pcs: tuple[PC, PC, PC], share: Path, office: Office, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A program with a key of its own enrols B (as commander) before the office's approver
    does: with IT's defaults file naming the office's authority, B trusts it not and keeps
    waiting, then the real approval counts. Later IT names a new authority: B trusts only it,
    its earlier enrolment no longer counts, and the new authority approves it again."""
    from models.sync.entities import DEVICE
    from models.trust_admin import approve_pc, create_authority

    a, b, c = pcs
    with a.db.session() as session:
        genuine = load_me(session.connection()).state.authority
    assert genuine is not None
    _it_names_authority(monkeypatch, tmp_path / "program", genuine)
    sync(b, share)  # asks to join
    with b.db.session() as session:
        b_key = public_key_of(session.scalar(select(DEVICE.c.signing_key)))
    rogue = make_record(new_private_key(), "enrol", {
        "device": b.device, "key": encode_key(b_key), "person": "張副關務長", "login": "x",
        "pc": "x", "role": "commander", "posts": [], "approver": True})
    (share / "trust" / record_file_name(rogue.sha256)).write_bytes(rogue.data)

    sync(b, share)
    with b.db.session() as session:
        assert load_me(session.connection()).grant is None  # not the rogue's commander
    office.enrol(b, HEAD)
    sync(b, share)
    with b.db.session() as session:
        me = load_me(session.connection())
    assert me.state.authority == genuine and me.grant is not None
    assert me.grant.person == HEAD.name

    with pytest.raises(UserError):  # not while IT's file names the authority
        create_authority(c.db, tmp_path / "new.pem", b"passphrase", person="周執秘",
                         role=SECRETARY.role)
    monkeypatch.undo()
    moved = create_authority(c.db, tmp_path / "new.pem", b"passphrase", person="周執秘",
                             role=SECRETARY.role)
    assert moved.state.authority is not None
    _it_names_authority(monkeypatch, tmp_path / "program", moved.state.authority)
    sync(c, share)
    sync(b, share)
    with b.db.session() as session:
        assert load_me(session.connection()).grant is None  # the old authority's grant
    approve_pc(c.db, share, _code(b), person=HEAD.name, login=login_name(), role=HEAD.role,
               posts=(), approver=Approver())
    sync(b, share)
    with b.db.session() as session:
        me = load_me(session.connection())
    assert me.state.authority == moved.state.authority and me.grant is not None


def test_settings_edited_to_commander_change_nothing_on_an_enrolled_pc(
        pcs: tuple[PC, PC, PC], share: Path, office: Office, tmp_path: Path) -> None:
    """Roles come only from grants: the command line acts as the person the office enrolled
    the PC for, whatever settings.json or --role say."""
    a, b, _c = pcs
    office.enrol(b, HEAD)
    b.db.close()
    (b.data_dir / "settings.json").write_text(json.dumps(
        {"user_name": "張副關務長", "role": "commander", "unit_key": "inspection",
         "office_code": "keelung"}), encoding="utf-8")
    playbook = tmp_path / "playbook.json"
    assert main(["--data-dir", str(a.data_dir), "playbook", "export", str(playbook)]) == 0

    refused = main(["--data-dir", str(b.data_dir), "playbook", "import", str(playbook)])
    overridden = main(["--data-dir", str(b.data_dir), "playbook", "import", str(playbook),
                       "--user", "林企劃", "--role", "planning"])

    assert (refused, overridden) == (1, 1)
    b.reopen()


def test_the_authority_and_approvals_from_the_command_line(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    a, b, _c = pcs
    for pc, name, role in ((a, "王主秘", "secretary"), (b, "林組長", "unit_head")):
        pc.db.close()
        (pc.data_dir / "settings.json").write_text(json.dumps(
            {"user_name": name, "role": role, "unit_key": "inspection",
             "office_code": "keelung", "share_folder": str(share)}), encoding="utf-8")
    passphrase = tmp_path / "pass"
    passphrase.write_text("a long passphrase\n", encoding="utf-8")
    key_file = tmp_path / "authority.pem"
    run = lambda pc, *args: main(["--data-dir", str(pc.data_dir), *args])  # noqa: E731

    assert run(a, "trust", "init", "--key-file", str(key_file), "--passphrase-file",
               str(passphrase)) == 0
    assert b"ENCRYPTED PRIVATE KEY" in key_file.read_bytes()
    assert run(a, "trust", "init", "--key-file", str(tmp_path / "second.pem"),
               "--passphrase-file", str(passphrase)) == 1
    assert run(a, "sync") == 0  # the authority's records reach the share
    assert run(b, "sync") == 1  # asks to join, and waits
    capsys.readouterr()
    assert run(b, "trust", "code") == 0
    code = capsys.readouterr().out.strip()
    from models.org.settings import login_name

    assert run(a, "trust", "approve", code, "--person", "林組長", "--login", "someone-else",
               "--role", "unit_head", "--folder", str(share)) == 1
    capsys.readouterr()
    assert run(a, "trust", "approve", code, "--person", "林組長", "--login", login_name(),
               "--role", "unit_head", "--post", "稽查組組長", "--folder", str(share),
               "--key-file", str(key_file), "--passphrase-file", str(passphrase)) == 1
    assert "稽查組組長" in capsys.readouterr().err  # a post is a group of the crisis team
    assert run(a, "trust", "approve", code, "--person", "林組長", "--login", login_name(),
               "--role", "unit_head", "--post", "legal", "--folder", str(share),
               "--key-file", str(key_file), "--passphrase-file", str(passphrase)) == 0
    assert run(b, "sync") == 0 and run(a, "sync") == 0
    capsys.readouterr()
    assert run(b, "trust", "list") == 0
    listing = capsys.readouterr().out
    assert code in listing and "legal" in listing
    wrong = tmp_path / "wrong"
    wrong.write_text("not it\n", encoding="utf-8")
    assert run(a, "trust", "revoke", code, "--folder", str(share), "--key-file",
               str(key_file), "--passphrase-file", str(wrong)) == 1
    # B was approved with the key file: the authority's PC alone may not undo that.
    assert run(a, "trust", "revoke", code, "--folder", str(share)) == 1
    assert run(a, "trust", "revoke", code, "--folder", str(share), "--key-file",
               str(key_file), "--passphrase-file", str(passphrase)) == 0
    for pc in (a, b):
        pc.reopen()


def test_the_history_from_before_pcs_signed_is_sealed_at_enrolment_and_nothing_after_it(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path) -> None:
    """An office updating: A holds the unsigned log of a PC from before PCs signed. Creating
    the authority seals it; a PC enrolled later takes that log as sealed, and refuses an
    unsigned file appended to it afterwards (nobody holds a key for it)."""
    a, b, _c = pcs
    incident = new_incident(a)
    sync(a, share)
    old = str(uuid.uuid4())

    def unsigned(seq: int, title: str) -> bytes:
        return _unsigned(old, seq, {a.device: 1}, [Change(
            "incidents", incident, 10 ** 15 + seq, old,
            {"title": FieldVersion(str(uuid.uuid4()), title, ())})])

    first = unsigned(1, "升級前的標題")
    with a.db.session() as session:  # received before the update, as every PC then did
        apply_segment(session.connection(), RULES, decode_segment(first, device=old, seq=1),
                      first, sealed=True)
    for seq, data in ((1, first), (2, unsigned(2, "升級後偽造的標題"))):
        _plant(share, old, seq, data)
    office = found_office([a], share, tmp_path / "authority.pem", SECRETARY)
    sync(a, share)
    office.enrol(b, HEAD)

    report = sync(b, share)

    titles = history(b, "incidents", incident, "title")
    assert "升級前的標題" in titles and "升級後偽造的標題" not in titles
    assert any(_("not signed, and not in the history the office sealed when it enrolled its "
                 "PCs (forged, or written by a PC not yet updated)") in line
               for line in report.waiting)


@pytest.mark.parametrize("forgery", ["un-signed", "deleted", "rewritten"])
def test_a_unit_head_cannot_unsign_delete_or_rewrite_a_signed_report(
        pcs: tuple[PC, PC, PC], share: Path, office: Office, forgery: str) -> None:
    """B, a unit head's PC running a modified app, changes the signed report row itself: every
    other PC keeps it signed and names the refusal."""
    _a, b, c = pcs
    drill, report = _signed_by_both(pcs, share, office)
    assert report_view(c.db, drill).locked
    with b.db.session() as session:
        from models.drills.reports.entities import DrillReportRow

        row = session.get(DrillReportRow, report)
        assert row is not None
        if forgery == "un-signed":
            row.status = "draft"
        elif forgery == "deleted":
            row.deleted_at = utcnow()
        else:
            row.version = 99

    sync(b, share)
    report = sync(c, share)

    view = report_view(c.db, drill)
    assert view.locked and view.report is not None and view.report.version == 1
    assert any(_("Drill report") in line for line in report.refused)


def test_a_new_role_for_the_authoritys_pc_keeps_it_an_approver(
        pcs: tuple[PC, PC, PC], share: Path, office: Office) -> None:
    """Re-enrolling the authority's PC with the key file (a new role) must not take away its
    right to approve, nor the enrolment of the PCs it approved."""
    from models.sync.enrolment import approve, read_authority_key

    a, b, _c = pcs
    office.enrol(b, HEAD)
    authority = read_authority_key(office.key_file, b"passphrase")
    code = _code(a)
    with a.db.session() as session:
        grant = approve(session.connection(), code, person="王主秘", login=login_name(),
                        role=COMMANDER.role, posts=("代理總指揮",), authority=authority)
    with a.db.session() as session:
        me = load_me(session.connection())
    assert grant.approver and me.grant is not None and me.grant.role == COMMANDER.role
    assert me.state.grant(b.device) is not None


def test_a_unit_head_confirming_the_plan_in_person_is_refused_a_relayed_one_is_not(
        pcs: tuple[PC, PC, PC], share: Path, office: Office) -> None:
    """B's user, a unit head, runs an app that lets them confirm the plan as if commander:
    every other PC refuses it. The same user recording the commander's confirmation given by
    phone is applied, and the view names who recorded it."""
    from models.incidents.actions import confirm_plan, set_field
    from models.incidents.queries import incident_view

    a, b, _c = pcs
    office.enrol(b, HEAD)
    forged_at, relayed_at = new_incident(a), new_incident(a, "第二件")
    sync_all([a, b], share)
    for incident in (forged_at, relayed_at):
        set_field(b.db, HEAD, incident, "s2.plan", "擴大查緝")
    confirm_plan(b.db, replace(HEAD, role=COMMANDER.role), forged_at, "commander", HEAD.name,
                 utcnow())
    sync(b, share)
    forged = sync(a, share)
    confirm_plan(b.db, HEAD, relayed_at, "commander", COMMANDER.name, utcnow())
    sync(b, share)
    relayed = sync(a, share)

    assert "s2.confirmed_by_name" not in incident_view(a.db, forged_at, utcnow(), 10).fields
    view = incident_view(a.db, relayed_at, utcnow(), 10)
    assert view.fields["s2.plan"] == "擴大查緝"
    assert view.fields["s2.confirmed_by_name"] == COMMANDER.name
    assert forged.refused and not relayed.refused
    assert view.confirmation_recorder() == HEAD.name


def test_junk_in_trust_is_named_once_never_used_and_everything_else_syncs(
        pcs: tuple[PC, PC, PC], share: Path, office: Office) -> None:
    """trust/ holds what any program put there: a file too large, one nested too deeply, one
    that is not UTF-8, a folder under a record's name, a file whose name is not its SHA-256,
    stray names. Each record-style one is named in the status the first time and never read
    again; nothing of them is applied; the enrolled PCs go on syncing."""
    a, b, _c = pcs
    office.enrol(b, HEAD)
    sync_all([a, b], share)
    trust = share / "trust"
    junk = {"1" * 64: b"{" + b" " * (1024 * 1024 + 10) + b"}",  # larger than a record may be
            "2" * 64: b"[" * 100_000,
            "3" * 64: b"\xff\xfe not UTF-8",
            "4" * 64: office_record(office)}                 # a real record, misnamed
    for sha, data in junk.items():
        (trust / record_file_name(sha)).write_bytes(data)
    (trust / record_file_name("5" * 64)).mkdir()
    (trust / "desktop.ini").write_bytes(b"[.ShellClassInfo]")
    new_incident(a, "垃圾之後的案件")
    sync(a, share)

    first = sync(b, share)
    again = sync(b, share)

    assert "垃圾之後的案件" in _titles(b)
    named = " ".join(first.waiting)
    assert all(record_file_name(sha) in named for sha in junk)
    assert not any(record_file_name(sha) in " ".join(again.waiting) for sha in junk)
    assert "trust/desktop.ini" in again.foreign
    with b.db.session() as session:
        me = load_me(session.connection())
    assert set(me.state.grants) == {a.device, b.device}


def office_record(office: Office) -> bytes:
    """The bytes of a genuine record of *office* (its authority PC's enrolment)."""
    from models.sync.entities import TRUST_RECORDS

    with office.authority.db.session() as session:
        return bytes(session.scalars(select(TRUST_RECORDS.c.data).where(
            TRUST_RECORDS.c.kind == "enrol")).first() or b"")
