"""Incidents and their case files, as the sync and the views see them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, select

from i18n import N_
from models.core.changes import Change
from models.incidents.followup_entities import MAX_REPORT_NUMBER
from models.incidents.kinds import FIELDS, STATEMENT_SIGNERS
from models.incidents.watch import MAX_AHEAD
from models.org.authorship import may, written_by
from models.org.people import Permission, same_person
from models.playbook.records import COLUMN_LABELS as HEADER_LABELS
from models.playbook.records import header_writer
from models.sync.policy import TOMBSTONE, Author, Lock, MergedRows, Parent, SyncPolicy

_TABLES = ("incidents", "incident_fields", "timeline", "notifications", "acknowledgements",
           "task_states", "incident_actions", "statements", "statement_versions",
           "statement_events", "negotiations", "corrective_actions",
           "situation_reports", "watch_reviews", "decisions")

_OF_AN_INCIDENT = Parent("incidents", "incident_id")


def _field_label(row: Mapping[str, Any]) -> str | None:
    """A row of incident_fields holds one field of the incident's form: it is called by that
    field's label."""
    spec = FIELDS.get(row["key"])
    return spec.label if spec is not None else None


def _confirmed_in_person(author: Author, values: Mapping[str, Any],
                         current: Mapping[str, Any] | None) -> str | None:
    """A plan confirmed in its author's own name must come from someone who may confirm (the
    commander, the executive secretary); a confirmation recorded for them names them instead,
    and its timeline entry names who recorded it."""
    key = values.get("key", (current or {}).get("key"))
    value = values.get("value")
    if (key == "s2.confirmed_by_name" and isinstance(value, str)
            and same_person(value, author.person) and not may(author, Permission.CONFIRM_PLAN)):
        return N_("it confirms the plan in the name of its author, who may not confirm it")
    return None


_entered_by_author = written_by(by="entered_by", times=("event_at", "entered_at"))

_recorded_by_author = written_by(by="recorded_by", times=("decided_at",))


def _decided_in_person(author: Author, values: Mapping[str, Any],
                       current: Mapping[str, Any] | None) -> str | None:
    """A decision recorded in its author's own name must come from someone who may take it
    (the commander, the executive secretary: as a plan's confirmation); one recorded for
    someone else names them, and recorded_by the author who recorded it."""
    name = values.get("decided_by")
    if (isinstance(name, str) and same_person(name, author.person)
            and not may(author, Permission.CONFIRM_PLAN)):
        return N_("it records a decision in the name of its author, who may not take it")
    return _recorded_by_author(author, values, current)


_report_in_person = written_by(by="entered_by", role="role", times=("entered_at",))
_review_in_person = written_by(by="entered_by", role="role",
                               times=("reviewed_at", "entered_at"))


def _situation_report(author: Author, values: Mapping[str, Any],
                      current: Mapping[str, Any] | None) -> str | None:
    """A situation report is filed in its author's own name, under a number a report has."""
    number = values.get("number")
    if "number" in values and (type(number) is not int or not 1 <= number <= MAX_REPORT_NUMBER):
        return N_("its number is not one a report is filed under")
    return _report_in_person(author, values, current)


def _watch_review(author: Author, values: Mapping[str, Any],
                  current: Mapping[str, Any] | None) -> str | None:
    """A watch review is logged in its author's own name, its next review after it and
    within a year of it, as the form asks (models.incidents.watch.log_review): a review dated
    in 9999 took the incident off every PC's watch for good. Compared by the UTC day, a day's
    leeway either way for the office's zone."""
    reviewed, following = values.get("reviewed_at"), values.get("next_review")
    if isinstance(reviewed, str) and isinstance(following, str):
        try:
            day, then = date.fromisoformat(reviewed[:10]), date.fromisoformat(following)
        except ValueError:
            return N_("its next review is not a date")
        if then < day or then > day + MAX_AHEAD + timedelta(days=1):
            return N_("its next review is not within a year after it")
    return _review_in_person(author, values, current)


def _statement_signed_in_person(author: Author, values: Mapping[str, Any],
                                current: Mapping[str, Any] | None) -> str | None:
    """A review or an approval of a statement in its author's own name must come from whom
    the post gives it (the legal group, the spokesperson); one recorded for them names them,
    and entered_by who recorded it."""
    event = values.get("event")
    needed = STATEMENT_SIGNERS.get(event) if isinstance(event, str) else None
    name = values.get("name")
    if (needed is not None and isinstance(name, str) and same_person(name, author.person)
            and not may(author, needed)):
        return N_("it records the act in the name of its author, whose posts do not give it")
    return _entered_by_author(author, values, current)


def _drill_fixed(author: Author, values: Mapping[str, Any],
                 current: Mapping[str, Any] | None) -> str | None:
    """Whether an incident is a drill's is fixed when it opens, and only the planning group
    opens a drill incident (models.live_drills.actions.start_drill): a change that made a real incident
    a drill would hide it from every count and the archive, and the reverse would put a drill
    into the statistics.

    Nor is an incident ever deleted: no act of the app removes one, and a tombstone from any
    PC took a real case out of every list, count and the archive on every PC (a drill
    incident out of its drill: no releases, no measured figures)."""
    if values.get(TOMBSTONE) is not None:
        return N_("an incident is never deleted")
    if "drill_id" not in values:
        return None
    if current is None:
        if values["drill_id"] is not None and not may(author, Permission.PLAN_DRILLS):
            return N_("the role of the PC that wrote it may not do this")
        return None
    if values["drill_id"] != current.get("drill_id"):
        return N_("it makes a real incident a drill's, or a drill's a real one")
    return None


_header_by_who_may = header_writer(Permission.CONFIRM_PLAN)


def _an_incident(author: Author, values: Mapping[str, Any],
                 current: Mapping[str, Any] | None) -> str | None:
    """An incident's drill is fixed (_drill_fixed), and its 公文 header is the commander's or
    the executive secretary's (models.incidents.record_header)."""
    return _drill_fixed(author, values, current) or _header_by_who_may(author, values, current)


def _index_archived(connection: Connection, merged: MergedRows) -> None:
    """An archived case is found by the case search through its indexed text, which is kept in
    the transaction that archives it (models.incidents.case_search): a merge that archives an
    incident, or brings a change to one that is archived, indexes it again."""
    from sqlalchemy.orm import Session

    from models.incidents.case_search import index_case
    from models.incidents.entities import IncidentRow

    archived = {row_id for row_id, values in merged.get("incidents", {}).items()
                if values.get("status") == "archived"}
    parents = sorted({values["incident_id"] for table, rows in merged.items()
                      if table != "incidents" for values in rows.values()
                      if values.get("incident_id")})
    for start in range(0, len(parents), 400):
        archived.update(connection.scalars(select(IncidentRow.id).where(
            IncidentRow.id.in_(parents[start:start + 400]), IncidentRow.status == "archived")))
    if archived:
        session = Session(bind=connection)
        for incident_id in sorted(archived):
            index_case(session, incident_id)
        session.flush()


POLICY = SyncPolicy(
    changes={table: Change.INCIDENTS for table in _TABLES},
    locks={"incidents": Lock("status", lambda value: value == "archived")},
    # Corrective actions are not parts: their status still moves after archiving.
    parts={table: _OF_AN_INCIDENT for table in (
        "incident_fields", "incident_actions", "statements", "negotiations",
        "decisions")},
    # No new one under an archived case either, though not parts: evidence and corrective
    # actions (whose status still moves after archiving). The timeline is not sealed: a
    # corrective action's move writes its entry there after archiving.
    sealed_by={table: _OF_AN_INCIDENT for table in (
        "notifications", "task_states", "corrective_actions", "situation_reports",
        "watch_reviews")},
    named_by={table: _OF_AN_INCIDENT for table in (
        "incident_fields", "timeline", "notifications", "task_states", "incident_actions",
        "statements", "negotiations", "corrective_actions",
        "situation_reports", "watch_reviews", "decisions")},
    record_names={
        "incidents": N_("Incident"), "incident_fields": N_("Incident field"),
        "incident_actions": N_("Action"), "statements": N_("Statement"),
        "negotiations": N_("Negotiation"), "corrective_actions": N_("Corrective action"),
        "timeline": N_("Timeline entry"), "notifications": N_("Notification"),
        "acknowledgements": N_("Acknowledgement"), "task_states": N_("Task state"),
        "statement_versions": N_("Statement version"),
        "statement_events": N_("Statement review, approval or release"),
        "situation_reports": N_("Situation report"), "watch_reviews": N_("Watch review"),
        "decisions": N_("Decision")},
    field_labels={"incident_fields": _field_label},
    column_labels={
        "title": N_("Title"), "summary": N_("Summary"), "location": N_("Location"),
        "scope": N_("Scope"), "level_key": N_("Level"), "status": N_("Status"),
        "description": N_("Description"), "owner": N_("Owner"), "due": N_("Due date"),
        "resources": N_("Resources"), "position": N_("Position"),
        "agreement": N_("Agreement"), "next_step": N_("Next step"),
        "next_steps": N_("Next steps"), "seen": N_("What was seen"),
        "next_review": N_("Next review"),
        "due_at": N_("Due"), "decided_at": N_("Decided at"), "decided_by": N_("Decided by"),
        "post": N_("As"), "acting_for": N_("Acting for"), "decision_id": N_("Decision"),
        "basis": N_("Basis"), "options": N_("Options weighed"), "decision": N_("Decision"),
        "recorded_by": N_("Recorded by"), **HEADER_LABELS},
    name_columns={
        "incidents": "title", "incident_fields": "key", "incident_actions": "description",
        "statements": "title", "statement_versions": "number", "negotiations": "party",
        "corrective_actions": "description", "situation_reports": "number",
        "watch_reviews": "next_review", "decisions": "decision"},
    after_merge=_index_archived,
    # The evidence of an incident (its timeline, who was told when and who confirmed it, the
    # tasks ticked off, a statement's review, approval or release) is written once, in its
    # author's own name, as a statement's versions are (docs/trust.md).
    writers={"incidents": _an_incident,
             # A drill's inject and its end are the planning group's entries
             # (models.live_drills.actions): from anyone else they told a real case's
             # readers that it was a drill, or a drill's that it had ended.
             "timeline": written_by(by="author", role="role",
                                    times=("event_at", "entered_at"), when={
                 ("kind", "drill_inject"): Permission.PLAN_DRILLS,
                 ("kind", "drill_ended"): Permission.PLAN_DRILLS}),
             "notifications": written_by(by="entered_by", role="role",
                                         times=("notified_at", "entered_at")),
             "acknowledgements": written_by(by="entered_by", times=("acked_at",)),
             "task_states": written_by(by="entered_by", role="role", times=("entered_at",)),
             "incident_fields": _confirmed_in_person,
             "statement_versions": _entered_by_author,
             "statement_events": _statement_signed_in_person,
             "situation_reports": _situation_report,
             "watch_reviews": _watch_review,
             "decisions": _decided_in_person},
    # A statement's version n has the same id on every PC (stable_id): two PCs saving version
    # 2 at once merge it field by field, a conflict to decide, so it is not insert-only.
    insert_only=frozenset({"timeline", "notifications", "acknowledgements", "task_states",
                           "statement_events", "situation_reports", "watch_reviews",
                           "decisions"}),
)
