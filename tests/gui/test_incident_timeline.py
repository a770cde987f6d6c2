"""A long timeline in the incident workspace: every entry is listed, oldest first, it opens at
the latest entries, and wherever the user scrolls (scroll bar, keys, a narrower pane, the
other language) the rows shown are as tall as their texts need, as if every row of the
timeline had been fitted. The stage-3 list of progress reports lists every report."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from i18n import _
from i18n.formatting import format_datetime
from models.incidents.actions import add_entry, open_incident
from models.storage.db import utcnow
from tests.helpers import run_on_worker
from tests.unit.incidents.test_incidents import HEAD, draft
from ui.incidents.list_screen import IncidentsScreen
from ui.runtime.context import AppContext

TIMEOUT = 10000
REPORTS = 150
TEXTS = ("已清查", "第{n}次回報：輿情持續發酵，已請公關股彙整媒體報導並研擬澄清稿，下午三時再報。",
         "Report {n}: the importer was reached by phone and will bring the documents")


def report_text(n: int) -> str:
    return TEXTS[n % 3].format(n=n)


@pytest.fixture
def screen(qtbot, ctx: AppContext) -> IncidentsScreen:  # type: ignore[no-untyped-def]
    """The incident list, with an incident of REPORTS progress reports (every seventh a note
    instead) opened from it."""
    start = utcnow() - timedelta(days=2)

    def create(db):  # type: ignore[no-untyped-def]
        incident_id = open_incident(db, HEAD, "keelung", draft(started_at=start))
        for n in range(REPORTS):
            add_entry(db, HEAD, incident_id, "note" if n % 7 == 3 else "report",
                      report_text(n), start + timedelta(minutes=10 * (n + 1)))
        return incident_id

    incident_id = run_on_worker(qtbot, ctx, create)
    screen = IncidentsScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1400, 900)
    screen.show()
    qtbot.waitExposed(screen)
    with qtbot.waitSignal(screen.workspace.ctrl.loaded, timeout=TIMEOUT):
        screen.open_incident(incident_id)
    return screen


def shown_rows(table: QTableView) -> range:
    """The rows at least partly on screen."""
    model = table.model()
    height = table.viewport().height()
    rows = [r for r in range(model.rowCount())
            if table.rowViewportPosition(r) < height
            and table.rowViewportPosition(r) + table.rowHeight(r) > 0]
    return range(rows[0], rows[-1] + 1)


def assert_shown_rows_fit(table: QTableView) -> None:
    """The rows on screen are as tall as fitting every row of the table makes them. The
    table is left as it was: rows off screen keep the heights they had."""
    rows = shown_rows(table)
    assert len(rows) > 3  # the check looks at a screenful, not one row
    heights = [table.rowHeight(r) for r in range(table.model().rowCount())]
    table.resizeRowsToContents()
    fitted = [table.rowHeight(r) for r in range(table.model().rowCount())]
    for row, height in enumerate(heights):
        table.setRowHeight(row, height)
    assert [heights[r] for r in rows] == [fitted[r] for r in rows]


def test_a_long_timeline_lists_every_entry_and_opens_at_the_latest(  # type: ignore[no-untyped-def]
        qtbot, screen: IncidentsScreen) -> None:
    workspace = screen.workspace
    table = workspace.timeline.table
    model = table.model()
    view = workspace.ctrl.view
    assert view is not None
    kinds = (_("Progress report"), _("Note"))
    texts = [model.data(model.index(r, 2)) for r in range(model.rowCount())]
    assert [t for t in texts if t.startswith(kinds)] == [
        _("{kind}: {text}").format(kind=kinds[n % 7 == 3], text=report_text(n))
        for n in range(REPORTS)]
    last = view.timeline[-1]
    assert model.data(model.index(model.rowCount() - 1, 0)).startswith(
        format_datetime(last.event_at, long=False, tz=workspace.ctx.settings.timezone))
    # It opens at the end: the latest entry is on screen, whole.
    bottom = table.rowViewportPosition(model.rowCount() - 1) + table.rowHeight(
        model.rowCount() - 1)
    assert 0 < bottom <= table.viewport().height()
    assert_shown_rows_fit(table)


def test_rows_scrolled_into_view_fit_their_texts(  # type: ignore[no-untyped-def]
        qtbot, screen: IncidentsScreen) -> None:
    workspace = screen.workspace
    table = workspace.timeline.table
    bar = table.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)  # the scroll bar dragged half-way
    assert shown_rows(table).start == bar.maximum() // 2
    assert_shown_rows_fit(table)

    first = shown_rows(table).start + 1
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(table.model().index(first, 2)).center())
    assert table.currentIndex().row() == first
    qtbot.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert table.currentIndex().row() == 0 and shown_rows(table).start == 0
    assert_shown_rows_fit(table)
    for _page in range(3):
        qtbot.keyClick(table, Qt.Key.Key_PageDown)
    current = table.currentIndex().row()
    assert current > 0
    # The row the keys moved to is on screen, whole.
    assert 0 <= table.rowViewportPosition(current)
    assert table.rowViewportPosition(current) + table.rowHeight(current) \
        <= table.viewport().height()
    assert_shown_rows_fit(table)


def test_a_narrow_pane_refits_the_rows_shown(  # type: ignore[no-untyped-def]
        qtbot, screen: IncidentsScreen) -> None:
    workspace = screen.workspace
    """Below a width the author moves under the time; the rows grow to hold it."""
    panel = workspace.timeline
    sizes = workspace.split.sizes()
    workspace.split.setSizes([sizes[0], sizes[1] + sizes[2] - 250, 250])
    qtbot.waitUntil(lambda: panel.model.compact, timeout=TIMEOUT)  # refitted with it
    assert panel.table.isColumnHidden(1)
    assert_shown_rows_fit(panel.table)


def test_the_timeline_reads_in_the_language_switched_to(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, screen: IncidentsScreen) -> None:
    workspace = screen.workspace
    table = workspace.timeline.table
    model = table.model()
    count = model.rowCount()
    assert model.data(model.index(count - 1, 2)) == "等級：中度危機"
    ctx.update_settings(replace(ctx.settings, language="en"))
    assert model.data(model.index(count - 1, 2)) == "Level: Medium-Level Crisis"
    assert model.rowCount() == count
    assert_shown_rows_fit(table)


def test_the_progress_reports_list_every_report_oldest_first(  # type: ignore[no-untyped-def]
        qtbot, screen: IncidentsScreen) -> None:
    workspace = screen.workspace
    workspace.rail.setCurrentRow(2)
    reports = workspace.pages[2].findChild(object, "entries_report")
    view = workspace.ctrl.view
    assert view is not None
    model = reports.list.model()
    lines = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    expected = [n for n in range(REPORTS) if n % 7 != 3]  # every seventh was a note
    assert lines == [_("{when} {who}: {text}").format(
        when=format_datetime(e.event_at, long=False, tz=workspace.ctx.settings.timezone),
        who=HEAD.name,
        text=report_text(n)) for n, e in zip(expected, view.reports(), strict=True)]
    qtbot.waitUntil(lambda: reports.list.visualRect(model.index(0, 0)).height() > 0,
                    timeout=TIMEOUT)
