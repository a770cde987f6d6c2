"""The 演練過程摘要 a live drill drafts for its report form (危機管理演練報告表): one line per
thing that happened in the drill incident, oldest first, each with its time, for the unit to
edit before submitting.

What it tells (reference 001 七: the report summarises how the unit handled the simulated
crisis): the injects that reached the unit, the level it decided, whom it notified and who
acknowledged, its statements (saved, reviewed, approved, released), its decisions and
actions, the stages it completed, and the drill's end. The incident's opening entries (the
title and the level the planning group opened it with) are the drill's setting, not the unit's
handling, and are left out.

Each line reads "115/11/24 14:05 通報：…": the time in the office's zone in the ROC style the
app uses, the kind of entry (unless the sentence names it), and the timeline's own sentence (models.incidents.timeline_text),
in the language in force when the draft is made (the reader's: Chinese unless they chose
English). Timeline entries come from other PCs: a line is cut to one line of bounded length,
control characters dropped, and a row whose parameters cannot be read is described by its kind
(as the timeline does), never a crash; the whole stays within what a report may store.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from i18n import _, pick
from i18n.formatting import format_datetime
from models.core.checks import MAX_TEXT
from models.drills.entities import DrillRow
from models.drills.reports.queries import ReportView, SummaryDrafter, report_view
from models.incidents.entities import IncidentRow, TimelineRow
from models.incidents.queries import TimelineEntry
from models.incidents.timeline import Entry, LevelSet, Opened, Unrecognised, read_entry
from models.incidents.timeline_text import describe, kind_label
from models.live_drills.queries import drill_incident_id
from models.org.entities import UnitRow
from models.playbook.model import Playbook
from models.playbook.store import playbook_at
from models.storage.db import Database

SUMMARY_KINDS = frozenset({
    "drill_inject", "level", "notified", "acknowledged", "statement", "statement_event",
    "decision", "action", "stage", "drill_ended",
})
"""The timeline's kinds the summary tells; field edits, notes, tasks ticked and the like are
the detail behind them and stay in the timeline."""

SELF_NAMED = frozenset({"drill_inject", "drill_ended"})
"""Kinds whose sentence names them already ("演練狀況注入第1則…"): no label before it."""

MAX_LINE_CHARS = 300
"""The longest line of the summary: a statement's title or an inject's message can be long,
and a summary is read at a glance."""

MAX_SUMMARY_CHARS = MAX_TEXT - 1000
"""Room left for the unit's own words: the draft never fills the report field to its limit."""


def _one_line(text: str) -> str:
    """*text* as one printable line of at most MAX_LINE_CHARS: line breaks become spaces,
    other control characters (a damaged or hostile row) are dropped."""
    cleaned = "".join(" " if ch in "\r\n\t\u2028\u2029" else ch for ch in text
                      if ch in "\r\n\t\u2028\u2029" or unicodedata.category(ch)[0] != "C")
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= MAX_LINE_CHARS else cleaned[:MAX_LINE_CHARS - 1] + "…"


def _told(entry: Entry) -> bool:
    """Whether the summary tells *entry*: its kinds, less the incident's opening ones."""
    return entry.kind in SUMMARY_KINDS and not isinstance(entry, (LevelSet, Opened))


def summary_lines(entries: Iterable[TimelineEntry[Entry]], playbook: Playbook,
                  units: Mapping[str, str], tz: str) -> list[str]:
    """The summary's lines for the timeline *entries* (any order; told oldest first)."""
    lines = []
    for entry in sorted(entries, key=lambda e: (e.event_at, e.entered_at, e.id)):
        if not _told(entry.what):
            continue
        time = format_datetime(entry.event_at, long=False, tz=tz)
        sentence = describe(entry, playbook, units)
        text = (f"{time} {sentence}" if entry.kind in SELF_NAMED else
                _("{time} {kind}: {text}").format(time=time, kind=kind_label(entry.kind),
                                                  text=sentence))
        lines.append(_one_line(text))
    return lines


def _read(kind: str, data: str) -> Entry:
    """The entry of a stored row; parameters that are no JSON object read as Unrecognised."""
    try:
        decoded = json.loads(data)
    except (ValueError, TypeError):
        return Unrecognised(kind)
    return read_entry(kind, decoded)


def drill_summary(session: Session, incident_id: str, tz: str) -> str:
    """The drafted 演練過程摘要 of the drill incident *incident_id* ("" when it is not on this
    PC or nothing happened in it yet)."""
    incident = session.get(IncidentRow, incident_id)
    if incident is None:
        return ""
    playbook = playbook_at(session, incident.playbook_version_id)
    units = {u.key: pick({"zh_TW": u.name_zh, "en": u.name_en}) for u in session.scalars(
        select(UnitRow).where(UnitRow.office_code == incident.office_code))}
    entries = [TimelineEntry(row_id, _read(kind, data), event_at, entered_at, author, role)
               for row_id, kind, data, event_at, entered_at, author, role in session.execute(
                   select(TimelineRow.id, TimelineRow.kind, TimelineRow.data,
                          TimelineRow.event_at, TimelineRow.entered_at, TimelineRow.author,
                          TimelineRow.role)
                   .where(TimelineRow.incident_id == incident_id,
                          TimelineRow.kind.in_(SUMMARY_KINDS)))]
    kept: list[str] = []
    size = 0
    for line in summary_lines(entries, playbook, units, tz):
        size += len(line) + 1
        if size > MAX_SUMMARY_CHARS:
            kept.append("…")
            break
        kept.append(line)
    return "\n".join(kept)


def summary_drafter(tz: str) -> SummaryDrafter:
    """The drafter the report form of a drill uses (models.drills.reports.queries): the
    summary of its drill incident, if it ran live and its incident is on this PC."""
    def draft(session: Session, drill: DrillRow) -> str:
        incident_id = drill_incident_id(session, drill.id)
        return drill_summary(session, incident_id, tz) if incident_id else ""

    return draft


def live_report_view(db: Database, drill_id: str, tz: str) -> ReportView:
    """The drill's report form, pre-filled from its live run where the unit has not written
    (report_view with this package's drafter)."""
    return report_view(db, drill_id, summary_drafter(tz))
