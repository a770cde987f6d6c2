"""Drills, their draws, reports, evaluations and the office's scenarios, as the sync and the
views see them (their signed copies: models.review.signed_scans_policy)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from i18n import N_
from models.core.changes import Change
from models.drills.reports.queries import duty_refusal, sign_event
from models.org.authorship import may, written_by
from models.org.people import Permission
from models.playbook.records import COLUMN_LABELS as HEADER_LABELS
from models.playbook.records import header_writer
from models.sync.policy import (
    TOMBSTONE,
    Author,
    Lock,
    RelatedCheck,
    SyncPolicy,
)
from models.storage.db import Base


_DUTIES = {
    "submitter": N_("its author submitted what it signs: another person signs it off"),
    "twice": N_("its author signed the other box: the commander and the executive secretary "
                "sign as two people"),
}


def _duties(name: str, parent: str) -> RelatedCheck:
    """A submission and a sign-off against the other events of the same version (of a report,
    or of an evaluation): a version is submitted again only after a return or a reopening; a
    sign-off signs what was submitted, in the box of its author's own role, by someone who
    neither submitted that version nor signed its other box (duty_refusal). Each rule asks
    which events exist, never their times (their authors write them) nor the order they
    arrived in, so every PC that holds them gives the same answer."""

    def check(connection: Connection, author: Author, values: Mapping[str, Any],
              pending: Sequence[Mapping[str, Any]]) -> str | None:
        kind = values.get("kind")
        if kind not in ("submitted", "signed"):
            return None
        table = Base.metadata.tables[name]
        number = values.get("version_number", 0) if "version_number" in table.c else 0
        events = [sign_event(row) for row in (
            *connection.execute(select(table).where(
                table.c[parent] == values.get(parent))).mappings(),
            *(row for row in pending if row.get(parent) == values.get(parent)))]
        events = [e for e in events if e.version_number == number]
        kinds = [e.kind for e in events]
        if kind == "submitted":
            if kinds.count("submitted") > kinds.count("returned") + kinds.count("reopened"):
                return N_("it submits again what stands submitted (or signed)")
            return None
        if values.get("as_role") != author.role:
            return N_("it signs the box of another role than the one its PC is enrolled for")
        if "submitted" not in kinds:
            return N_("it signs what was never submitted")
        return _DUTIES.get(duty_refusal(author.person, author.role, events, number))

    return check


# A live drill is started and ended by the planning group only
# (models.live_drills.actions): a unit head's end stopped its clock and its arrivals
# on every PC, a start taken off or moved reopened an ended drill or moved its
# schedule. Its days are in the past (a drill is held, started, ended by now): one in
# year 9999 put its after-action deadlines beyond what a date holds.
_drill_in_person = written_by(columns={
    "office_code": Permission.DRAW_DRILL_UNIT, "month": Permission.DRAW_DRILL_UNIT,
    "unit_key": Permission.DRAW_DRILL_UNIT, "draw_id": Permission.DRAW_DRILL_UNIT,
    "category_key": Permission.PLAN_DRILLS, "scenario_key": Permission.PLAN_DRILLS,
    "started_at": Permission.PLAN_DRILLS, "ended_at": Permission.PLAN_DRILLS},
    # Reported and evaluated are written by the second signature only (_lock_report,
    # _lock_evaluation, settle_signatures): from a unit head, its evaluation counted as
    # signed on the after-action list (never overdue) and its report could not be reopened.
    when={("status", "reported"): Permission.SIGN_OFF,
          ("status", "evaluated"): Permission.SIGN_OFF},
    times=("held_at", "started_at", "ended_at"))


def _a_drill(author: Author, values: Mapping[str, Any],
             current: Mapping[str, Any] | None) -> str | None:
    """A drill's month is one a draw names: up to the end of next year (models.drills.actions
    _drill_month), a year's leeway for the receiver's clock. Drawn for December 9999, the
    schedule's and the deadlines' date arithmetic failed on every PC. A drill is never
    deleted."""
    if values.get(TOMBSTONE) is not None:
        # No act deletes a drill: a unit head's tombstone took its drill out of the
        # schedule, the coverage and the after-action deadlines on every PC.
        return N_("a drill is never deleted")
    month = values.get("month")
    if isinstance(month, str) and month[:4].isdigit() and int(month[:4]) > _this_year() + 2:
        return N_("its month is not one a draw names")
    return (_drill_in_person(author, values, current)
            or _header_by_who_may(author, values, current))


_header_by_who_may = header_writer(Permission.PLAN_DRILLS)
"""A drill's 公文 header is the planning group's (models.drills.record_header)."""


def _this_year() -> int:
    return datetime.now(UTC).year


_evaluation_signed = written_by(when={("status", "signed"): Permission.SIGN_OFF},
                                once={("status", "signed"): Permission.SIGN_OFF},
                                deletes=Permission.SIGN_OFF)


def _an_evaluation(author: Author, values: Mapping[str, Any],
                   current: Mapping[str, Any] | None) -> str | None:
    """An evaluation is the planning group's (it writes and submits it,
    models.drills.reports.actions) and its signers' (they return and sign it): the drilled
    unit's head rewrote the ratings of its own drill, or marked its evaluation submitted
    (done, on the after-action list)."""
    if not (may(author, Permission.PLAN_DRILLS) or may(author, Permission.SIGN_OFF)):
        return N_("the role of the PC that wrote it may not do this")
    return _evaluation_signed(author, values, current)


POLICY = SyncPolicy(
    changes={table: Change.DRILLS for table in (
        "drill_draws", "drills", "drill_reports", "drill_report_versions", "drill_report_events",
        "drill_evaluations", "drill_corrective_actions", "drill_evaluation_events",
        "office_scenarios")},
    locks={"drill_report_versions": Lock("submitted_at", lambda value: value is not None)},
    record_names={
        "drills": N_("Drill"), "drill_reports": N_("Drill report"),
        "drill_report_versions": N_("Drill report version"),
        "drill_evaluations": N_("Evaluation"), "drill_corrective_actions": N_("Corrective action"),
        "office_scenarios": N_("Scenario"), "drill_draws": N_("Drill unit draw"),
        "drill_report_events": N_("Drill report sign-off or submission"),
        "drill_evaluation_events": N_("Evaluation sign-off, submission or circulation")},
    column_labels={
        "level_key": N_("Level"), "status": N_("Status"), "description": N_("Description"),
        "owner": N_("Owner"), "due": N_("Due date"), "content": N_("Content"),
        **HEADER_LABELS},
    name_columns={
        "drill_report_versions": "number", "drill_corrective_actions": "description",
        "office_scenarios": "key"},
    # What every receiver checks of a change an enrolled PC signed (docs/trust.md): the
    # same permissions the acts of models.drills require, in the author's own name.
    writers={
        "drills": _a_drill,
        "drill_draws": written_by(by="drawn_by", role="role",
                                  permission=Permission.DRAW_DRILL_UNIT),
        "drill_report_events": written_by(by="entered_by", role="role", times=("entered_at",),
                                          signed_from=("login", "pc"), when={
            ("kind", "signed"): Permission.SIGN_OFF, ("kind", "returned"): Permission.SIGN_OFF,
            ("kind", "reopened"): Permission.SIGN_OFF}),
        "drill_evaluation_events": written_by(by="entered_by", role="role",
                                              times=("entered_at",),
                                              signed_from=("login", "pc"), when={
            ("kind", "signed"): Permission.SIGN_OFF, ("kind", "returned"): Permission.SIGN_OFF,
            ("kind", "submitted"): Permission.PLAN_DRILLS,
            ("kind", "circulated"): Permission.PLAN_DRILLS}),
        "drill_reports": written_by(when={("status", "signed"): Permission.SIGN_OFF},
                                    once={("status", "signed"): Permission.SIGN_OFF},
                                    deletes=Permission.SIGN_OFF),
        "drill_evaluations": _an_evaluation,
        # An evaluation's corrective actions are written and moved by the planning group
        # (save_evaluation, set_corrective_status): a unit head's "done" or deletion took
        # them off the after-action list of follow-ups.
        "drill_corrective_actions": written_by(permission=Permission.PLAN_DRILLS),
        # The office's scenarios are the planning group's (store_scenario); a live drill
        # copies its injects from one when it starts: a unit head who rewrote the scenario
        # chosen for its own drill wrote the injects it would be tested with.
        "office_scenarios": written_by(permission=Permission.PLAN_DRILLS),
    },
    insert_only=frozenset({"drill_draws", "drill_report_events", "drill_evaluation_events"}),
    related={
        "drill_report_events": _duties("drill_report_events", "report_id"),
        "drill_evaluation_events": _duties("drill_evaluation_events", "evaluation_id")},
)
