"""An act run as an Op announces what it changed, measured from the tables its committed
sessions wrote, before its own callback runs; a read, a refusal or a rolled-back write
announces nothing; an error goes to the act's handler or to the standard box; a callback of a
widget deleted meanwhile is skipped, the announcement is not (the act was stored)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from models.core.changes import Change, OpChanges
from models.core.errors import UserError, ValidationError
from models.org.offices import UnitInfo
from models.org.units import list_units, save_unit
from models.storage.db import Database
from ui.runtime.context import AppContext
from ui.runtime.ops import Op


@pytest.fixture
def events(ctx: AppContext) -> Iterator[list[object]]:
    """What reached the GUI thread, in order: announcements and callbacks."""
    seen: list[object] = []
    ctx.data_changed.connect(seen.append)
    yield seen
    ctx.data_changed.disconnect(seen.append)


def run_op(qtbot: QtBot, ctx: AppContext, op: Op[Any]) -> None:
    """Run *op* and wait until the worker has delivered it (callbacks included)."""
    with qtbot.waitSignal(ctx.worker.finished, timeout=10000,
                          check_params_cb=lambda name: name == "op"):
        op.run()


def rename_mine(ctx: AppContext, name_zh: str) -> Callable[[Database], UnitInfo]:
    """An act on the units table: rename this PC's user's unit."""

    def act(db: Database) -> UnitInfo:
        mine = next(u for u in list_units(db, "keelung") if u.key == ctx.settings.unit_key)
        return save_unit(db, ctx.actor, "keelung", unit_id=mine.id, name_zh=name_zh,
                         name_en="", kind=mine.kind)

    return act


def test_an_act_announces_the_kinds_of_the_tables_it_wrote_then_calls_back(
        qtbot: QtBot, ctx: AppContext, events: list[object]) -> None:
    from models.incidents.actions import open_incident
    from tests.unit.incidents.test_incidents import HEAD, draft

    rename = rename_mine(ctx, "秘書處")

    def act(db: Database) -> str:
        rename(db)
        return open_incident(db, HEAD, "keelung", draft(title="網傳海關放行染疫肉品"))

    run_op(qtbot, ctx, Op(ctx, "op", act).on_done(events.append))
    assert events[0] == OpChanges.of([Change.UNITS, Change.INCIDENTS])
    assert len(events) == 2 and isinstance(events[1], str)  # the new incident's id, after


def test_a_read_announces_nothing(qtbot: QtBot, ctx: AppContext, events: list[object]) -> None:
    run_op(qtbot, ctx, Op(ctx, "op", lambda db: len(list_units(db, "keelung"))).on_done(
        events.append))
    assert len(events) == 1 and isinstance(events[0], int) and events[0] > 0


def test_a_rolled_back_write_announces_nothing(qtbot: QtBot, ctx: AppContext,
                                               events: list[object]) -> None:
    """Only what is committed counts: a session that flushed a change and then failed (the
    act caught it) changed nothing."""
    from models.org.entities import UnitRow

    class Undone(Exception):
        pass

    def act(db: Database) -> str:
        unit_id = list_units(db, "keelung")[0].id
        try:
            with db.session() as session:
                row = session.get(UnitRow, unit_id)
                assert row is not None
                row.name_en = "Renamed, then undone"
                session.flush()
                raise Undone()
        except Undone:
            return "undone"

    run_op(qtbot, ctx, Op(ctx, "op", act).on_done(events.append))
    assert events == ["undone"]


def test_a_refusal_goes_to_on_error_and_announces_nothing(
        qtbot: QtBot, ctx: AppContext, events: list[object]) -> None:
    run_op(qtbot, ctx, Op(ctx, "op", rename_mine(ctx, "  ")).on_done(events.append).on_error(
        events.append))
    assert len(events) == 1 and isinstance(events[0], ValidationError)


def test_an_error_without_a_handler_is_shown_over_the_parent(
        qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[object, str]] = []
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.warning",
                        lambda parent, _title, text: shown.append((parent, text)))
    parent = QWidget()
    qtbot.addWidget(parent)

    def refused(_db: Database) -> None:
        raise UserError("Not today.")

    run_op(qtbot, ctx, Op(ctx, "op", refused, parent=parent))
    assert shown == [(parent, "Not today.")]


def test_an_error_without_a_handler_or_a_parent_goes_to_the_window(
        qtbot: QtBot, ctx: AppContext) -> None:
    def refused(_db: Database) -> None:
        raise UserError("Not today.")

    with qtbot.waitSignal(ctx.worker.failed, timeout=10000) as failed:
        run_op(qtbot, ctx, Op(ctx, "op", refused))
    assert isinstance(failed.args[0], UserError)


def test_the_callback_of_a_widget_deleted_meanwhile_is_skipped_not_the_announcement(
        qtbot: QtBot, ctx: AppContext, events: list[object]) -> None:
    """A dialog closed before its act was stored: the views still reload what it changed."""
    calls: list[UnitInfo] = []

    class View(QWidget):
        def show_unit(self, unit: UnitInfo) -> None:
            calls.append(unit)
            self.setWindowTitle(unit.name)  # RuntimeError on a deleted widget

    view = View()
    answer = threading.Event()
    rename = rename_mine(ctx, "秘書處")

    def act(db: Database) -> UnitInfo:
        assert answer.wait(10)
        return rename(db)

    with qtbot.waitSignal(ctx.worker.finished, timeout=10000,
                          check_params_cb=lambda name: name == "op"):
        Op(ctx, "op", act, parent=view).on_done(view.show_unit).run()
        shiboken6.delete(view)  # what closing a WA_DeleteOnClose dialog does
        answer.set()
    assert calls == []
    assert events == [OpChanges.of([Change.UNITS])]
