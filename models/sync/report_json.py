"""A sync run's report as the window's sync process hands it to the window
(``main.py sync --report FILE``, started by ui/sync/controller.py): JSON, read back field by
field.

Why a process of its own: a run imports thousands of changes in Python, and in the window's
process it shared the interpreter's lock (and its garbage collector) with the GUI thread, which
then froze for up to a tenth of a second at a time. Why every field is checked on the way back:
the file comes from another process, which may have died while writing it or may be another
build of the app; whatever it holds must become a message the user reads, never a crash nor a
status that says something the run did not do.
"""

from __future__ import annotations

import json
from dataclasses import MISSING, Field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from models.core.changes import Change, OpChanges
from models.core.files import FileTooLarge, NotRegularFile, atomic_write_text, read_regular
from models.sync.run import SyncReport

REPORT_LIMIT = 16 * 1024 * 1024
"""The largest report read back (a run that refused many changes names each of them)."""
_HANDED = ("changes", "standing")
"""Fields that are not stored with a run (SyncReport.to_json) and are handed over otherwise:
the kinds of records received, and whether the run read this PC's standing in the office (the
window then reads it from the database itself: the standing holds this PC's private key)."""


class ReportUnreadable(ValueError):
    """What a sync process left is not a report of this app's (said in English, for the log)."""


def stopped(folder: Path, error: str, *, reachable: bool = True) -> SyncReport:
    """The report of a run that stopped before sync_once could make one (the database would
    not open; the process ended without a report), stamped now as sync_once stamps its own:
    the status bar says when the last run was."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return SyncReport(folder=str(folder), started_at=now, finished_at=now, reachable=reachable,
                      error=error)


def dump_report(report: SyncReport) -> str:
    data: dict[str, Any] = {f.name: getattr(report, f.name) for f in fields(report)
                            if f.name not in _HANDED}
    data["changes"] = sorted(report.changes.kinds)
    data["standing"] = report.standing is not None
    return json.dumps(data, ensure_ascii=False)


def write_report(path: Path, report: SyncReport) -> None:
    """Replace *path* with *report* at once (a reader never sees half of it)."""
    atomic_write_text(path, dump_report(report))


def read_report(path: Path) -> tuple[SyncReport, bool]:
    """The report at *path* and whether the run read this PC's standing; ReportUnreadable
    (or OSError: none there) when it is not one written by dump_report."""
    try:
        data = json.loads(read_regular(path, REPORT_LIMIT))
    except (FileTooLarge, NotRegularFile) as exc:
        raise ReportUnreadable(exc.message()) from None
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise ReportUnreadable(f"not a report: {exc}") from None
    return load_report(data)


def load_report(data: Any) -> tuple[SyncReport, bool]:
    if not isinstance(data, dict):
        raise ReportUnreadable("not a JSON object")
    stored = [f for f in fields(SyncReport) if f.name not in _HANDED]
    expected = {f.name for f in stored} | set(_HANDED)
    if set(data) != expected:
        raise ReportUnreadable(f"fields differ: missing {sorted(expected - set(data))}, "
                               f"unknown {sorted(set(data) - expected)}")
    for f in stored:
        if not _fits(f, data[f.name]):
            raise ReportUnreadable(f"{f.name}: {data[f.name]!r} is not what it holds")
    kinds = data["changes"]
    if not isinstance(kinds, list) or not all(
            isinstance(kind, str) and kind in Change.__members__.values() for kind in kinds):
        raise ReportUnreadable(f"changes: {kinds!r} are not kinds of records")
    if not isinstance(data["standing"], bool):
        raise ReportUnreadable(f"standing: {data['standing']!r} is not true or false")
    report = SyncReport(**{f.name: data[f.name] for f in stored})
    try:
        report.finished_at_time()
    except ValueError:
        raise ReportUnreadable(f"finished_at: {report.finished_at!r} is not a time") from None
    report.changes = OpChanges.of(Change(kind) for kind in kinds)
    return report, data["standing"]


def _fits(f: Field[Any], value: Any) -> bool:
    """Is *value* of the field's kind? Told by its default: a text, a flag, a count, or a
    list of texts (the folder, without a default, is a text)."""
    if f.default_factory is list:
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    kind = str if f.default is MISSING else type(f.default)
    if kind is int:
        return type(value) is int and value >= 0
    return type(value) is kind
