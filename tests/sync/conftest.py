"""Simulated office PCs for the sync tests: each PC is its own data folder and database, opened
as the app opens it, and all of them sync with one shared folder in the test's tmp_path.

The helpers compare what a user would compare: the rows of every synced table, on every PC.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from models.incidents.actions import IncidentDraft, open_incident
from models.org.people import Actor, Role
from models.schema import RULES
from models.startup import open_data_dir
from models.storage.db import Database, utcnow
from models.sync.entities import REFUSED, SyncChangeRow, SyncConflictRow, SyncVersionRow
from models.sync.run import SyncReport, sync_once
from models.sync.values import encode

HEAD = Actor("林組長", Role.UNIT_HEAD, "inspection")
PLANNER = Actor("林企劃", Role.PLANNING, "secretariat")
SECRETARY = Actor("王主秘", Role.SECRETARY, "secretariat")


@dataclass
class PC:
    """One office PC: its data folder, its open database, a name for messages."""

    name: str
    data_dir: Path
    db: Database

    def reopen(self) -> None:
        """Close and open the database again, as after a restart (or a kill)."""
        self.db.close()
        self.db = open_data_dir(self.data_dir, "keelung")

    @property
    def device(self) -> str:
        from models.sync.capture import device_and_clock

        with self.db.session() as session:
            return device_and_clock(session.connection())[0]

    @property
    def signing_key(self) -> bytes:
        """The private key of this PC's segments (as a program that took it would use it)."""
        from models.sync.entities import DEVICE

        with self.db.session() as session:
            key = session.scalar(select(DEVICE.c.signing_key))
        assert key is not None
        return bytes(key)


@pytest.fixture
def share(tmp_path: Path) -> Path:
    path = tmp_path / "share"
    path.mkdir()
    return path


@pytest.fixture
def make_pc(tmp_path: Path) -> Iterator[Callable[[str], PC]]:
    """Make a PC with a fresh data folder (closed at teardown)."""
    made: list[PC] = []

    def make(name: str, data_dir: Path | None = None) -> PC:
        folder = data_dir or tmp_path / name
        folder.mkdir(exist_ok=True)
        pc = PC(name, folder, open_data_dir(folder, "keelung"))
        made.append(pc)
        return pc

    yield make
    for pc in made:
        pc.db.close()


@pytest.fixture
def pcs(make_pc: Callable[[str], PC]) -> tuple[PC, PC, PC]:
    """Three PCs: A, B and C."""
    return make_pc("A"), make_pc("B"), make_pc("C")


def sync(pc: PC, share: Path) -> SyncReport:
    """One sync run of *pc*, as the app's background sync makes it."""
    return sync_once(pc.db, share, RULES)


def sync_all(pcs: tuple[PC, ...] | list[PC], share: Path) -> list[SyncReport]:
    """A full round: every PC syncs twice (the second round brings what others sent in the
    first); the reports of the second round."""
    for pc in pcs:
        sync(pc, share)
    return [sync(pc, share) for pc in pcs]


def assert_in_sync(reports: list[SyncReport]) -> None:
    for report in reports:
        assert report.in_sync, report


Rows = dict[str, list[dict[str, Any]]]


def table_rows(db: Database) -> Rows:
    """Every row of every synced table, every column, as JSON data, sorted by id."""
    with db.session() as session:
        return {
            name: sorted(({k: encode(v) for k, v in row.items()}
                          for row in session.execute(select(table)).mappings()),
                         key=lambda r: str(r["id"]))
            for name, table in RULES.tables.items()}


def assert_same_rows(pcs: tuple[PC, ...] | list[PC]) -> Rows:
    """Every PC holds the same rows as the first; those rows."""
    first = table_rows(pcs[0].db)
    for pc in pcs[1:]:
        other = table_rows(pc.db)
        for name in first:
            assert other[name] == first[name], f"{name} differs between {pcs[0].name} and {pc.name}"
    return first


def conflicts(pc: PC) -> set[tuple[str, str, str, str]]:
    """The open conflicts of *pc*: (table, row id, field, kind)."""
    with pc.db.session() as session:
        return {(c.tbl, c.row_id, c.field, c.kind)
                for c in session.scalars(select(SyncConflictRow))}


def history(pc: PC, table: str, row_id: str, field: str) -> set[Any]:
    """Every value *field* of a row ever had, as *pc* knows it (sync_versions)."""
    with pc.db.session() as session:
        return {json.loads(v) for v in session.scalars(select(SyncVersionRow.value).join(
            SyncChangeRow, SyncChangeRow.id == SyncVersionRow.change_id).where(
            SyncChangeRow.tbl == table, SyncChangeRow.row_id == row_id,
            SyncVersionRow.field == field))}


def new_incident(pc: PC, title: str = "加熱菸走私案", actor: Actor = HEAD) -> str:
    """An incident opened on *pc* by *actor* (the person its PC is enrolled for, where it
    is) through the domain, as the wizard opens it."""
    return open_incident(pc.db, actor, "keelung", IncidentDraft(
        title=title, summary="查獲貨櫃夾藏加熱菸", started_at=utcnow() - timedelta(hours=1),
        location="基隆港西岸碼頭", reporting_unit="", source="internal",
        category_key="clearance", subtype_key="", scope="本關", level_key="medium",
        suggested_level="medium", level_reason=""))


def field_value(pc: PC, incident_id: str, key: str) -> str | None:
    from models.incidents.entities import IncidentFieldRow

    with pc.db.session() as session:
        return session.scalar(select(IncidentFieldRow.value).where(
            IncidentFieldRow.incident_id == incident_id, IncidentFieldRow.key == key))


SHARING_VIOLATION = (errno.EACCES, 32)
ACCESS_DENIED = (errno.EACCES, 5)
INVALID_FUNCTION = (errno.EINVAL, 1)
NOT_SUPPORTED = (errno.EINVAL, 50)
"""(errno, winerror) as CPython on Windows raises them: ERROR_SHARING_VIOLATION while another
program (an antivirus, an indexer) has the file open, ERROR_ACCESS_DENIED, and how a file
system without hard links (exFAT, some NAS) refuses one."""


def windows_error(code: tuple[int, int | None], path: str) -> OSError:
    """The OSError of a Windows error *code*: a PermissionError for EACCES, with its winerror
    (which POSIX does not set: it is added by hand)."""
    exc = OSError(code[0], os.strerror(code[0]), path)
    exc.winerror = code[1]  # type: ignore[attr-defined]
    return exc


@dataclass
class Office:
    """An office with an authority (docs/trust.md): its first PC is the authority's, and
    enrols the others through the share as a person would (each PC asks by syncing, the
    authority's PC approves its code)."""

    share: Path
    authority: PC
    key_file: Path

    def enrol(self, pc: PC, actor: Actor = HEAD, posts: tuple[str, ...] = ()) -> str:
        """Enrol *pc* for *actor*; its code."""
        from models.org.settings import login_name
        from models.sync.enrolment import load_me
        from models.trust_admin import Approver, approve_pc

        sync_once(pc.db, self.share, RULES, person=actor.name, unit=actor.unit)
        with pc.db.session() as session:
            code = load_me(session.connection()).code
        approve_pc(self.authority.db, self.share, code, person=actor.name, login=login_name(),
                   role=actor.role, posts=posts, approver=Approver())
        return code


def found_office(pcs: tuple[PC, ...] | list[PC], share: Path, key_file: Path,
                 actor: Actor = HEAD) -> Office:
    """Create the office authority on the first of *pcs* (enrolled for *actor*, an approver)
    and enrol every other one for *actor*: the sync suites run with enrolled PCs."""
    from models.trust_admin import create_authority

    create_authority(pcs[0].db, key_file, b"passphrase", person=actor.name, role=actor.role)
    office = Office(share, pcs[0], key_file)
    for pc in pcs[1:]:
        office.enrol(pc, actor)
    return office


@pytest.fixture
def office_pcs(make_pc: Callable[[str], PC], share: Path, tmp_path: Path) -> tuple[PC, PC, PC]:
    """Three PCs of an office with an authority, each enrolled for HEAD (A the authority's):
    the sync suites that overload, kill and fault the sync run with enrolled PCs."""
    made = make_pc("A"), make_pc("B"), make_pc("C")
    found_office(made, share, tmp_path / "authority.pem")
    return made


def refusal_reasons(pc: PC, table: str) -> list[str]:
    """Why *pc* refused each change to *table* it received (sync_refused)."""
    with pc.db.session() as session:
        return list(session.scalars(select(REFUSED.c.reason).where(REFUSED.c.tbl == table)))


def running_drill(pc: PC) -> tuple[str, str]:
    """A drill of this month started on *pc* by the executive secretary (who draws and plans
    drills): (drill, its incident)."""
    from models.drills.actions import choose_scenario, draw_unit
    from models.drills.kinds import taipei_today
    from models.drills.queries import month_drill
    from models.drills.scenarios import default_scenarios
    from models.live_drills.actions import start_drill
    from models.playbook.shipped import default_playbook

    draw = draw_unit(pc.db, SECRETARY, "keelung", taipei_today(), seed=7)
    with pc.db.session() as session:
        drill = month_drill(session, "keelung", draw.month)
        assert drill is not None
        drill_id = drill.id
    key = next(s.key for s in default_scenarios(default_playbook()) if s.category == "clearance")
    choose_scenario(pc.db, SECRETARY, drill_id, "clearance", key)
    return drill_id, start_drill(pc.db, SECRETARY, drill_id)
