"""A sync stopped at any point (the PC switched off, the app killed) loses nothing and leaves
nothing half-applied: the next run finishes the work and every PC ends with the same rows.

The stop is simulated by an exception that is not an Exception (as a kill, nothing catches it)
raised inside one step of export or import; the database is then reopened, as after a
restart. tests/sync/test_sync_killed.py does the same with a real SIGKILL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import models.sync.folder
import models.sync.merge
import models.sync.run
from models.incidents.actions import add_entry, set_field
from models.storage.db import utcnow
from tests.sync.conftest import (
    HEAD,
    PC,
    assert_in_sync,
    assert_same_rows,
    new_incident,
    sync,
    sync_all,
    table_rows,
)


@pytest.fixture
def pcs(office_pcs: tuple[PC, PC, PC]) -> tuple[PC, PC, PC]:
    """Enrolled PCs of an office with an authority: the sync holds up with every check on."""
    return office_pcs


class Killed(BaseException):
    """The process stops here."""


def _after(real: Callable[..., Any]) -> Callable[..., Any]:
    def stop_after(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)
        raise Killed

    return stop_after


def _before(_real: Callable[..., Any]) -> Callable[..., Any]:
    def stop_before(*_args: Any, **_kwargs: Any) -> Any:
        raise Killed

    return stop_before


EXPORT_STEPS = {
    # (module, function, stop before or after it)
    "packing a segment": (models.sync.run, "store_segment", _after),
    "temp file written, not yet named": (models.sync.folder, "_publish", _before),
    "named, not yet read back": (models.sync.folder, "_publish", _after),
    "written, not yet marked sent": (models.sync.run, "write_once", _after),
    "writing acks": (models.sync.run, "write_json", _before),
}

IMPORT_STEPS = {
    "segment read, not applied": (models.sync.run, "apply_segment", _before),
    "rows written, references not checked": (models.sync.merge, "_check_references", _before),
    "applied, cursor not moved": (models.sync.merge, "_check_references", _after),
    "applied, not yet committed": (models.sync.run, "apply_segment", _after),
}


def _edits(a: PC) -> str:
    incident = new_incident(a)
    set_field(a.db, HEAD, incident, "s2.plan", "擴大查緝")
    add_entry(a.db, HEAD, incident, "report", "已清查 12 櫃", utcnow())
    return incident


@pytest.mark.parametrize("step", EXPORT_STEPS)
def test_a_sync_killed_while_sending_sends_everything_on_the_next_run(
        pcs: tuple[PC, PC, PC], share: Path, monkeypatch: pytest.MonkeyPatch,
        step: str) -> None:
    a, b, c = pcs
    sync_all(pcs, share)
    _edits(a)
    module, name, where = EXPORT_STEPS[step]
    with monkeypatch.context() as patch:
        patch.setattr(module, name, where(getattr(module, name)))
        with pytest.raises(Killed):
            sync(a, share)
    a.reopen()

    assert_in_sync(sync_all(pcs, share))
    assert_same_rows(pcs)


@pytest.mark.parametrize("step", IMPORT_STEPS)
def test_a_sync_killed_while_applying_applies_nothing_then_everything(
        pcs: tuple[PC, PC, PC], share: Path, monkeypatch: pytest.MonkeyPatch,
        step: str) -> None:
    a, b, c = pcs
    sync_all(pcs, share)
    before = table_rows(b.db)
    incident = _edits(a)
    sync(a, share)
    module, name, where = IMPORT_STEPS[step]
    with monkeypatch.context() as patch:
        patch.setattr(module, name, where(getattr(module, name)))
        with pytest.raises(Killed):
            sync(b, share)
    b.reopen()

    assert table_rows(b.db) == before  # nothing of the segment, not half of it
    assert_in_sync(sync_all(pcs, share))
    rows = assert_same_rows(pcs)
    assert incident in {r["id"] for r in rows["incidents"]}
