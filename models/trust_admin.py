"""The office's enrolment acts as IT and approvers run them (``main.py trust ...`` and
Settings ▸ Team PCs): create the authority, approve, revoke, and describe who is enrolled.

Composition over models.sync.enrolment (the records and their rules) and models.sync.run (the
share): an approval first reads the requests in the share, and writes its record there at
once, so the approved PC is taken in at its next sync.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from i18n import N_, _
from models.core.errors import UserError, ValidationError
from models.core.keytext import encode_key
from models.org.it_defaults import load_it_defaults
from models.org.people import Role
from models.org.settings import login_name, pc_name
from models.playbook.model import Group
from models.playbook.store import current_playbook
from models.storage.db import Database
from models.sync.enrolment import (
    Me,
    approve,
    init_authority,
    load_me,
    read_authority_key,
    refuse_second_authority,
    revoke,
    write_authority_key,
)
from models.sync.folder import check_format
from models.sync.keys import new_private_key
from models.sync.run import SyncReport, ensure_signing_key, exchange_trust
from models.sync.trust import Grant, Request

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Approver:
    """What signs an approval: the authority's key file, or (None) this PC as an approver."""

    key_file: Path | None = None
    passphrase: bytes = b""

    def key(self) -> bytes | None:
        return (read_authority_key(self.key_file, self.passphrase)
                if self.key_file is not None else None)


def create_authority(db: Database, key_file: Path, passphrase: bytes, *, person: str,
                     role: Role, posts: Sequence[str] = ()) -> Me:
    """Create the office authority: its key written to *key_file*, encrypted; this PC enrolled
    as the authority's PC (an approver) for *person*."""
    if load_it_defaults().authority is not None:
        raise UserError(N_("IT's defaults file beside the program names this office's "
                           "authority: a new one cannot be created here. To move the office "
                           "to a new authority, create it on a PC without that entry."))
    ensure_signing_key(db)
    authority = new_private_key()
    with db.session() as session:  # refused before any file is written
        refuse_second_authority(load_me(session.connection()))
    write_authority_key(key_file, authority, passphrase)
    with db.session() as session:
        init_authority(session.connection(), authority, person=person, login=login_name(),
                       pc=pc_name(), role=role, posts=posts)
        return load_me(session.connection())


def standing(db: Database) -> Me:
    """This PC in the office's enrolment, under the authority IT's defaults file names if it
    names one; read in a snapshot of its own, never waiting on a sync (the window at start-up,
    the command line's actor)."""
    anchor = load_it_defaults().authority
    with db.reading() as connection:
        return load_me(connection, anchor=anchor)


def _exchange(db: Database, folder: Path) -> Me:
    """Read and write the share's trust records (an approving PC asks nothing itself)."""
    form = check_format(folder)
    if not form.can_write:
        raise UserError(N_("This shared folder was set up by a newer version of CrisisDesk: "
                           "install the update to approve PCs."))
    report = SyncReport(folder=str(folder))
    me = exchange_trust(db, folder, report, ask=False)
    for line in report.waiting:
        log.warning("trust records: %s", line)
    return me


def team_posts(db: Database) -> tuple[Group, ...]:
    """The posts a grant may name: the groups of the office's crisis team, as its current
    playbook has them (a post gives its group's acts: models.org.people.POST_GRANTS)."""
    return current_playbook(db)[1].team.groups


def _check_posts(db: Database, posts: Sequence[str]) -> None:
    known = [group.key for group in team_posts(db)]
    for post in posts:
        if post not in known:
            raise ValidationError("posts", N_("'{post}' is not a group of the crisis team. "
                                              "Use one of: {posts}."),
                                  post=post, posts=", ".join(known))


def approve_here(db: Database, code: str, *, person: str, login: str, role: Role,
                 posts: Sequence[str], authority: bytes | None = None) -> Grant:
    """Approve the PC with *code* for *person* with *posts* (keys of team_posts), stored on
    this PC: the next sync writes it to the share."""
    _check_posts(db, posts)
    with db.session() as session:
        return approve(session.connection(), code, person=person, login=login, role=role,
                       posts=posts, authority=authority)


def approve_pc(db: Database, folder: Path, code: str, *, person: str, login: str, role: Role,
               posts: Sequence[str], approver: Approver) -> Grant:
    """Approve the PC with *code* (which asked to join through *folder*) for *person*, and
    write the approval there at once."""
    _check_posts(db, posts)  # before the key file's passphrase is asked for
    key = approver.key()
    _exchange(db, folder)
    grant = approve_here(db, code, person=person, login=login, role=role, posts=posts,
                         authority=key)
    _exchange(db, folder)
    return grant


def revoke_pc(db: Database, folder: Path, code: str, approver: Approver) -> str:
    """Revoke the enrolled PC with *code*, or refuse the one asking to join with it; what it
    was, as a line (grant_line, or its request)."""
    key = approver.key()
    me = _exchange(db, folder)
    with db.session() as session:
        record = revoke(session.connection(), code, authority=key)
    _exchange(db, folder)
    device = record.body["device"]
    grant = me.state.grant(device)
    if grant is not None:
        return grant_line(grant)
    return request_line(me.state.requests[device])


def describe_trust(me: Me) -> list[str]:
    """This PC's standing and the office's PCs, as lines (``trust list``, Settings)."""
    state = me.state
    lines = [_("This PC: code {code}").format(code=me.code)]
    if me.revoked:
        lines.append(_("  revoked by the office"))
    elif me.grant is not None:
        lines.append("  " + grant_line(me.grant))
    elif state.active or state.office_enrols:
        lines.append(_("  waiting for approval"))
    else:
        lines.append(_("  this office has no authority yet (main.py trust init)"))
    if not state.active:
        return lines
    lines.append(_("Office authority: code {code}, key {key} (for IT's defaults file)").format(
        code=me.authority_code, key=encode_key(me.state.authority or b"")))
    lines.append(_("Enrolled PCs:"))
    for grant in sorted(state.grants.values(), key=lambda g: (g.person, g.device)):
        revoked = state.revoked.get(grant.device)
        mark = "" if revoked is None else _(" (revoked after file {seq})").format(seq=revoked)
        lines.append(f"  {grant.code}  {grant_line(grant)}{mark}")
    pending = state.pending()
    if pending:
        lines.append(_("Waiting for approval:"))
        lines.extend(f"  {request.code}  {request_line(request)}" for request in pending)
    return lines


def request_line(request: Request) -> str:
    return _("{person} ({unit}), login {login} on {pc}").format(
        person=request.person or "?", unit=request.unit or "?", login=request.login or "?",
        pc=request.pc or "?")


def grant_line(grant: Grant) -> str:
    posts = "、".join(grant.posts)
    line = _("{person}, {role}, login {login} on {pc}").format(
        person=grant.person, role=grant.role.label, login=grant.login, pc=grant.pc or "?")
    if posts:
        line += _("; posts: {posts}").format(posts=posts)
    if grant.approver:
        line += _("; approves PCs")
    return line

