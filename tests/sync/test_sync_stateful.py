"""Random work on three PCs sharing one folder, with faults thrown in (hypothesis' stateful
testing): edits of a shared incident and a unit, timeline notes, deletes, syncs of any PC in any
order, syncs killed while applying or writing, damaged files later repaired, renames refused
by an antivirus. Whatever the sequence, once the share is intact again and every PC has synced
until nothing changes, every PC holds the same rows and the same conflicts, and every value any
PC ever wrote is in every PC's history."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule

import models.sync.folder
import models.sync.run
from i18n import _
from models.core.errors import UserError
from models.core.ids import stable_id
from models.incidents.actions import add_entry, set_field
from models.org.units import delete_unit, save_unit
from models.startup import open_data_dir
from models.storage.db import utcnow
from models.sync.run import SyncReport
from tests.sync.conftest import (
    PC,
    PLANNER,
    SHARING_VIOLATION,
    assert_same_rows,
    conflicts,
    found_office,
    history,
    new_incident,
    sync,
    windows_error,
)

# Passing takes ~15 s; shrinking a failure takes longer, so the limit is raised for it.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

TEXT = st.text(alphabet="查緝計畫資訊擴大暫緩 ab12", min_size=1, max_size=12).filter(
    str.strip)  # the app refuses a blank note or name with a message; that is not sync's to test
FIELDS = ("s2.plan", "s2.information")


class Killed(BaseException):
    """The process stops here."""


class SharedFolderMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="crisisdesk-sync-"))
        self.share = self.root / "share"
        self.share.mkdir()
        self.pcs: list[PC] = []
        for name in "ABC":
            (self.root / name).mkdir()
            self.pcs.append(PC(name, self.root / name, open_data_dir(self.root / name,
                                                                     "keelung")))
        # An office with an authority, every PC enrolled: the checks of every receiver on.
        # For the planning group, who may do all the rules do (edit the units too), each
        # act in the name of the person its PC is enrolled for.
        found_office(self.pcs, self.share, self.root / "authority.pem", PLANNER)
        self.written: set[tuple[str, str, str, Any]] = set()
        """(table, row id, field, value) of every edit a rule made."""
        self.damaged: dict[Path, bytes] = {}

    # ------------------------------------------------------------------ setting up

    @initialize()
    def shared_records(self) -> None:
        """An incident and a unit every PC has."""
        a = self.pcs[0]
        self.incident = new_incident(a, actor=PLANNER)
        self.unit = save_unit(a.db, PLANNER, "keelung", unit_id=None, name_zh="應變小組",
                              name_en="", kind="office").id
        self._settle()

    # ------------------------------------------------------------------ work

    @rule(pc=st.integers(0, 2), key=st.sampled_from(FIELDS), text=TEXT)
    def edit_field(self, pc: int, key: str, text: str) -> None:
        set_field(self.pcs[pc].db, PLANNER, self.incident, key, text)
        self.written.add(("incident_fields", self._field_id(key), "value", text.strip()))

    @rule(pc=st.integers(0, 2), name=TEXT)
    def rename_unit(self, pc: int, name: str) -> None:
        try:
            save_unit(self.pcs[pc].db, PLANNER, "keelung", unit_id=self.unit,
                      name_zh=f"小組{name}", name_en="", kind="office")
        except UserError:  # deleted on this PC, or the name is taken: nothing written
            return
        self.written.add(("units", self.unit, "name_zh", f"小組{name}".strip()))

    @rule(pc=st.integers(0, 2))
    def delete_the_unit(self, pc: int) -> None:
        try:
            delete_unit(self.pcs[pc].db, PLANNER, self.unit)
        except UserError:  # already deleted here
            pass

    @rule(pc=st.integers(0, 2), text=TEXT)
    def add_note(self, pc: int, text: str) -> None:
        add_entry(self.pcs[pc].db, PLANNER, self.incident, "note", text, utcnow())

    @rule(pc=st.integers(0, 2))
    def sync_one(self, pc: int) -> None:
        report = sync(self.pcs[pc], self.share)
        assert report.reachable and not report.error, report

    # ------------------------------------------------------------------ faults

    @rule(pc=st.integers(0, 2),
          step=st.sampled_from([(models.sync.run, "apply_segment"),
                                (models.sync.folder, "_publish")]))
    def killed_sync(self, pc: int, step: tuple[Any, str]) -> None:
        module, name = step
        real = getattr(module, name)

        def stop(*args: Any, **kwargs: Any) -> Any:
            real(*args, **kwargs)
            raise Killed

        setattr(module, name, stop)
        try:
            sync(self.pcs[pc], self.share)
        except Killed:
            pass
        finally:
            setattr(module, name, real)
        self.pcs[pc].reopen()

    @rule(which=st.integers(0, 1000), cut=st.booleans())
    def damage_a_segment(self, which: int, cut: bool) -> None:
        segments = sorted(p for p in self.share.rglob("*.seg") if p not in self.damaged)
        if not segments:
            return
        path = segments[which % len(segments)]
        data = path.read_bytes()
        self.damaged[path] = data
        path.write_bytes(data[:len(data) // 2] if cut else data.replace(b'"', b"'", 1))

    @rule()
    def repair_the_damage(self) -> None:
        """A good copy appears (an administrator restores the file)."""
        for path, data in self.damaged.items():
            path.write_bytes(data)
        self.damaged.clear()

    @rule(pc=st.integers(0, 2), times=st.integers(1, 8))
    def renames_refused(self, pc: int, times: int) -> None:
        left = [times]
        real_link = os.link

        def refuse(*args: Any) -> None:
            if left[0] > 0:
                left[0] -= 1
                raise windows_error(SHARING_VIOLATION, str(args[0]))
            real_link(*args)

        # A rule has no fixture of its own: a monkeypatch context puts both back whatever
        # the run raises.
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(models.sync.folder.os, "link", refuse)
            patch.setattr(time, "sleep", lambda _s: None)
            report = sync(self.pcs[pc], self.share)
        in_use = _("{file} is in use by another program (an antivirus or an indexer)")
        assert report.error == "" or report.error.endswith(in_use.format(file="")), report

    # ------------------------------------------------------------------ the end

    def teardown(self) -> None:
        try:
            if hasattr(self, "incident"):
                self.repair_the_damage()
                self._settle()
                self._check()
        finally:
            for pc in self.pcs:
                pc.db.close()
            shutil.rmtree(self.root, ignore_errors=True)

    def _settle(self) -> list[SyncReport]:
        """Full rounds (every PC syncs twice) until a round changes nothing."""
        last: list[Any] = []
        for _round in range(6):
            reports = [sync(pc, self.share) for pc in self.pcs * 2][-3:]
            state = [(r.conflicts, r.waiting, r.unsent_changes) for r in reports]
            if state == last:
                return reports
            last = state
        raise AssertionError(f"no steady state after six rounds: {last}")

    def _check(self) -> None:
        reports = self._settle()
        for report in reports:
            assert report.reachable and not report.error and not report.read_only, report
            assert not report.waiting and not report.unsent_changes, report
        assert_same_rows(self.pcs)
        assert len({frozenset(conflicts(pc)) for pc in self.pcs}) == 1
        for pc in self.pcs:
            for table, row_id, field, value in self.written:
                assert value in history(pc, table, row_id, field), (pc.name, value)

    def _field_id(self, key: str) -> str:
        """The same on every PC: the field row's id is derived from the incident and key."""
        return stable_id("incident_field", self.incident, key)


TestSharedFolder: Callable[..., Any] = SharedFolderMachine.TestCase
TestSharedFolder.settings = settings(  # type: ignore[attr-defined]
    max_examples=12, stateful_step_count=15, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
