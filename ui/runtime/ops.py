"""The one way to run a user's act from the UI (Anki's CollectionOp):
``Op(ctx, "save_unit", fn, parent=self).on_done(shown).on_error(failed).run()``.

Why one way: each screen once ran its acts its own way and named by hand the kind of records
it had changed (``data_changed.emit("units")``); a kind forgotten or mistyped left a view
stale. An Op runs ``fn(db)`` on the one database worker (ui/runtime/worker.py) while the
Database notes the tables the act's committed sessions wrote (Database.tracking_writes), maps
them to kinds of change (models.schema.changes_of) and, back on the GUI thread, announces
them with ``ctx.data_changed`` before its own ``on_done`` runs. What an act changed is thus
measured, never declared; an act that wrote nothing (an export, a backup, a refusal caught
inside it) announces nothing.

Errors go to ``on_error`` or, without one, to the standard message box (ui/runtime/feedback
show_error) over *parent*, or over the window without a parent. A callback tied to a Qt object deleted meanwhile (a dialog closed
before the answer came) is skipped as the worker skips it; the announcement is not, since
the act was stored whoever asked for it.

This module loads no SQLAlchemy: the main window imports it before the database opens
(tests/unit/test_layering.py); the database layer is imported on the worker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from PySide6.QtWidgets import QWidget

from models.core.changes import Change, OpChanges
from ui.runtime.feedback import show_error
from ui.runtime.worker import receiver_deleted

if TYPE_CHECKING:
    from models.storage.db import Database
    from ui.runtime.context import AppContext

T = TypeVar("T")


class Op(Generic[T]):
    """One act: ``fn(db)`` on the worker, then ``ctx.data_changed(changes)`` when it wrote
    something, then ``on_done(result)``; configured by chaining, started by ``run()``."""

    def __init__(self, ctx: AppContext, name: str, fn: Callable[[Database], T], *,
                 parent: QWidget | None = None) -> None:
        """*name* names the job (the worker's ``finished`` signal, the log of a failure);
        *parent* is the widget an error box is shown over."""
        self._ctx = ctx
        self._name = name
        self._fn = fn
        self._parent = parent
        self._on_done: Callable[[T], object] | None = None
        self._on_error: Callable[[Exception], None] | None = None

    def on_done(self, callback: Callable[[T], object]) -> Op[T]:
        self._on_done = callback
        return self

    def on_error(self, callback: Callable[[Exception], None]) -> Op[T]:
        self._on_error = callback
        return self

    def run(self) -> None:
        on_error = self._on_error
        parent = self._parent
        if on_error is None and parent is not None:

            def on_error(exc: Exception) -> None:
                # A closure over *parent*: when it is deleted meanwhile, the worker hands the
                # error to the window (DbWorker.failed), as it does an Op's without a parent.
                show_error(parent, exc)

        self._ctx.worker.run(self._name, self._call, self._delivered, on_error)

    def _call(self, db: Database) -> tuple[T, OpChanges]:
        """On the worker thread."""
        from models.schema import changes_of

        with db.tracking_writes() as written:
            result = self._fn(db)
        return result, changes_of(written)

    def _delivered(self, outcome: tuple[T, OpChanges]) -> None:
        result, changes = outcome
        if changes:
            self._ctx.data_changed.emit(changes)
        if self._on_done is not None and not receiver_deleted(self._on_done):
            self._on_done(result)
