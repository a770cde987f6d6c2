"""The database worker and Qt object lifetimes: whatever the GUI hands to the worker (the job's
function, its callbacks, the widgets they refer to) is released on the GUI thread, a callback
of a deleted widget is not called, and garbage cycles holding Qt objects are collected on the
GUI thread only. The first and the last once made the GUI tests die now and then with a
segmentation fault (a dialog's C++ destructor ran on the worker thread while the GUI thread
painted it); the second was a RuntimeError when an answer came after its dialog had closed."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget

from tests.helpers import run_on_worker
from ui.runtime.collector import GarbageCollector


class Probe:
    """Stands for a widget that a job's closures refer to: records the thread that drops the
    last reference to it (a widget's C++ destructor runs there)."""

    def __init__(self, released_on: list[str]) -> None:
        self._released_on = released_on

    def __del__(self) -> None:
        self._released_on.append(threading.current_thread().name)


def fails(_db: Any) -> None:
    raise ValueError("the disk is full")


def closures_over(widget: object, body: Callable[[Any], None], results: list[str]) -> tuple[
        Callable[[Any], None], Callable[[Any], None], Callable[[Exception], None]]:
    """A job's function and callbacks as a view writes them: closures over its widget."""

    def job(db: Any) -> None:
        assert widget is not None
        body(db)

    return (job, lambda _result: results.append(f"done {widget}"),
            lambda exc: results.append(f"error {widget} {exc}"))


@pytest.mark.parametrize("outcome", ["done", "error"])
def test_closures_are_released_on_the_gui_thread(qtbot: Any, ctx: Any, outcome: str) -> None:
    """The worst case, made certain: the worker thread is held just as it announces the
    result, the GUI thread delivers it and the view lets go of its widget; only then does the
    worker go on. It must hold nothing of the widget's by then."""
    released_on: list[str] = []
    delivered = threading.Event()

    def hold_worker(*_args: object) -> None:  # runs on the worker thread, inside the emit
        delivered.wait(10)

    ctx.worker._deliver.connect(hold_worker, Qt.ConnectionType.DirectConnection)
    results: list[str] = []
    job, on_done, on_error = closures_over(Probe(released_on),
                                           fails if outcome == "error" else lambda _db: None,
                                           results)
    with qtbot.waitSignal(ctx.worker.finished, timeout=10000,
                          check_params_cb=lambda name: name == "probe"):
        ctx.worker.run("probe", job, on_done, on_error)
    del job, on_done, on_error  # the view closes: what the worker was given is all that is left
    delivered.set()
    ctx.worker._deliver.disconnect(hold_worker)
    run_on_worker(qtbot, ctx, lambda _db: None)  # the worker has moved on to the next job

    assert [r.split()[0] for r in results] == [outcome]
    assert released_on == [threading.main_thread().name]


def test_a_method_of_a_widget_deleted_meanwhile_is_not_called(qtbot: Any, ctx: Any) -> None:
    calls: list[int] = []

    class View(QWidget):
        def show_count(self, count: int) -> None:
            calls.append(count)
            self.setWindowTitle(str(count))  # RuntimeError on a deleted widget

    view = View()
    answer = threading.Event()
    with qtbot.waitSignal(ctx.worker.finished, timeout=10000,
                          check_params_cb=lambda name: name == "count"):
        ctx.worker.run("count", lambda _db: 3 if answer.wait(10) else 0, view.show_count)
        shiboken6.delete(view)  # what closing a WA_DeleteOnClose dialog does
        answer.set()
    assert calls == []


def test_a_closure_over_a_widget_deleted_meanwhile_is_not_called(qtbot: Any, ctx: Any) -> None:
    """The screens' usual callback: a nested function that uses the screen (``self``)."""
    calls: list[int] = []
    view = QWidget()

    def shown(count: int) -> None:
        calls.append(count)
        view.setWindowTitle(str(count))

    def later(count: int) -> None:  # one closure further away, as act() callbacks are
        shown(count)

    answer = threading.Event()
    with qtbot.waitSignal(ctx.worker.finished, timeout=10000,
                          check_params_cb=lambda name: name == "count"):
        ctx.worker.run("count", lambda _db: 3 if answer.wait(10) else 0, later)
        shiboken6.delete(view)
        answer.set()
    assert calls == []


def test_garbage_cycles_with_qt_objects_are_collected_on_the_gui_thread(
    qtbot: Any, qapp: Any, ctx: Any
) -> None:
    assert qapp.findChild(GarbageCollector) is not None and not gc.isenabled()
    destroyed_on: list[str] = []
    gc.collect()  # a clean start: only the worker allocates from here on
    orphan = QObject()
    orphan.cycle = orphan  # type: ignore[attr-defined]  # only a reference cycle keeps it
    orphan.destroyed.connect(lambda *_a: destroyed_on.append(threading.current_thread().name),
                             Qt.ConnectionType.DirectConnection)
    del orphan

    def allocate(_db: Any) -> int:  # far more containers than any generation's threshold
        return len([[] for _i in range(200_000)])

    run_on_worker(qtbot, ctx, allocate)
    assert destroyed_on in ([], [threading.main_thread().name])  # the timer may have run
    gc.collect()
    assert destroyed_on == [threading.main_thread().name]
