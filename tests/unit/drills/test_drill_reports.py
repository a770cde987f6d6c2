"""The drill report form (危機管理演練報告表), its sign-off, the evaluation (評估與觀摩) and its
circulation, in the domain: the whole cycle from the draw to the units' acknowledgements,
who may do what, a return with a comment, and the migration that brings the tables."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text

from i18n import _, pick
from models.core.errors import PermissionDenied, UserError, ValidationError
from models.drills.actions import choose_scenario, draw_unit
from models.drills.entities import DrillRow
from models.drills.kinds import taipei_today
from models.drills.queries import list_draws, month_drill
from models.drills.reports.actions import (
    DUTY_REFUSALS,
    ReportIncomplete,
    acknowledge_circulation,
    circulate,
    reopen_report,
    return_evaluation,
    return_report,
    save_evaluation,
    save_report,
    set_corrective_status,
    sign_off,
    sign_off_evaluation,
    submit_evaluation,
    submit_report,
)
from models.drills.reports.kinds import (
    RATING_SCALE,
    CorrectiveDraft,
    EvaluationDraft,
    ReportDraft,
    SignEvent,
    notification_timeliness,
    rating_label,
    report_content,
)
from models.drills.reports.queries import evaluation_view, report_view
from models.drills.scenarios import default_scenarios
from models.org.people import Actor, Role
from models.org.units import list_units
from models.playbook.shipped import default_playbook
from models.startup import open_data_dir, open_database
from models.storage.db import Database, make_engine, utcnow
from models.storage.migrate import SCHEMA_HEAD, alembic_config
from models.storage.names import DATABASE_FILE

SECRETARY = Actor("王主秘", Role.SECRETARY, "secretariat")
COMMANDER = Actor("張副關務長", Role.COMMANDER)
COMMANDER_DEPUTY = Actor("李組長", Role.COMMANDER)
PLANNER = Actor("林企劃", Role.PLANNING, "secretariat")
HEAD = Actor("陳組長", Role.UNIT_HEAD, "ops1")
STAGES = (1, 2, 3, 4, 5, 6)


def drawn_drill(db: Database, *, seed: int = 20261124, scenario: bool = True) -> str:
    """This month's drill, its unit drawn by the executive secretary and (by default) a
    clearance scenario of the library chosen by the planning group."""
    draw = draw_unit(db, SECRETARY, "keelung", taipei_today(), seed=seed)
    with db.session() as session:
        drill = month_drill(session, "keelung", draw.month)
        assert drill is not None
        drill_id = drill.id
    if scenario:
        key = next(s.key for s in default_scenarios(default_playbook())
                   if s.category == "clearance")
        choose_scenario(db, PLANNER, drill_id, "clearance", key)
    return drill_id


def full_draft(**changes: object) -> ReportDraft:
    start = utcnow() - timedelta(hours=3)
    values: dict[str, object] = {
        "time_start": start,
        "time_end": start + timedelta(hours=2),
        "items": ("clearance",),
        "simulated_case": "貨櫃通關系統中斷",
        "summary": "接獲系統中斷通報後，組長召集會議並通報執行秘書。",
        "participants": ("陳組長", " 黃課長 ", ""),
        "went_well": "通報迅速",
        "to_improve": "聯絡名冊未更新",
        "suggestions": "每季更新名冊",
    }
    values.update(changes)
    return ReportDraft(**values)  # type: ignore[arg-type]


def signed_report(db: Database, drill_id: str) -> str:
    info = save_report(db, HEAD, drill_id, full_draft())
    submit_report(db, HEAD, info.id)
    sign_off(db, COMMANDER, info.id, as_role="commander", name="張副關務長")
    sign_off(db, SECRETARY, info.id, as_role="secretary", name="王主秘")
    return info.id


def full_evaluation(**changes: object) -> EvaluationDraft:
    inject = utcnow() - timedelta(hours=2)
    values: dict[str, object] = {
        "ratings": {1: 3, 2: 4, 3: 3, 4: 2, 5: 3, 6: 3},
        "level_key": "medium",
        "inject_at": inject,
        "notified_at": inject + timedelta(minutes=12),
        "strengths": "研判正確，通報迅速。",
        "improvements": "媒體說明稿準備較慢。",
        "actions": (CorrectiveDraft("更新危機管理小組聯絡名冊", "秘書室", taipei_today()),),
    }
    values.update(changes)
    return EvaluationDraft(**values)  # type: ignore[arg-type]


def drill_status(db: Database, drill_id: str) -> str:
    with db.session() as session:
        row = session.get(DrillRow, drill_id)
        assert row is not None
        return row.status


# --- the whole cycle ---------------------------------------------------------------------------


def test_the_whole_cycle_from_the_draw_to_the_acknowledgements(db: Database) -> None:
    drill_id = drawn_drill(db)

    # The form starts prefilled: the drill's category ticked, the scenario's title as 模擬案由.
    blank = report_view(db, drill_id)
    scenario = next(s for s in default_scenarios(default_playbook())
                    if s.key == blank.drill.scenario_key)
    assert blank.report is None and blank.versions == ()
    assert blank.draft.items == ("clearance",)
    assert blank.draft.simulated_case == pick(scenario.title)
    assert blank.unit_name_zh and blank.drill.unit_key

    # A draft saves without its summary, but cannot be submitted: the field is named.
    info = save_report(db, HEAD, drill_id, full_draft(summary="  "))
    assert (info.status, info.version, info.locked) == ("draft", 1, False)
    with pytest.raises(ReportIncomplete) as caught:
        submit_report(db, HEAD, info.id)
    assert caught.value.missing == ("summary",)
    assert "演練過程摘要" in caught.value.message()

    # Saving a draft overwrites its version; submitting (簽報) holds the drill.
    draft = full_draft()
    save_report(db, HEAD, drill_id, draft)
    info = submit_report(db, HEAD, info.id)
    assert (info.status, info.version) == ("submitted", 1)
    assert drill_status(db, drill_id) == "held"
    with pytest.raises(UserError):
        save_report(db, HEAD, drill_id, full_draft(summary="改寫"))

    # The commander's deputy signs for the commander (代), then the executive secretary.
    info = sign_off(db, COMMANDER_DEPUTY, info.id, as_role="commander", name="李組長",
                    deputy_for="張副關務長", comment="如擬")
    assert info.status == "submitted"
    with pytest.raises(UserError):
        sign_off(db, COMMANDER, info.id, as_role="commander", name="張副關務長")
    info = sign_off(db, SECRETARY, info.id, as_role="secretary", name="王主秘")
    assert (info.status, info.locked) == ("signed", True)
    assert drill_status(db, drill_id) == "reported"

    signed = report_view(db, drill_id)
    assert signed.locked and signed.current is not None and signed.current.frozen
    first_content = report_content(signed.version(1))
    assert first_content["participants"] == ["陳組長", "黃課長"]
    assert first_content["unit"]["key"] == signed.drill.unit_key
    [commander, secretary] = signed.signatures()
    assert (commander.as_role, commander.name, commander.deputy_for, commander.by_deputy) \
        == ("commander", "李組長", "張副關務長", True)
    assert (secretary.as_role, secretary.by_deputy) == ("secretary", False)

    # Locked: a save is refused; a reopen needs a reason and starts version 2.
    with pytest.raises(UserError):
        save_report(db, HEAD, drill_id, full_draft(summary="事後補充"))
    with pytest.raises(PermissionDenied):  # who signed it opens it again, not the unit
        reopen_report(db, HEAD, info.id, "補正參與人員名單")
    with pytest.raises(ValidationError) as reason:
        reopen_report(db, SECRETARY, info.id, " ")
    assert reason.value.field == "reason"
    info = reopen_report(db, SECRETARY, info.id, "補正參與人員名單")
    assert (info.status, info.version, info.locked) == ("draft", 2, False)
    assert drill_status(db, drill_id) == "held"
    save_report(db, HEAD, drill_id, full_draft(participants=("陳組長", "黃課長", "吳關員")))

    reopened = report_view(db, drill_id)
    assert [v.number for v in reopened.versions] == [1, 2]
    assert report_content(reopened.version(1)) == first_content
    assert reopened.version(1).frozen and not reopened.version(2).frozen
    assert reopened.version(2).reason == "補正參與人員名單"
    assert reopened.draft.participants == ("陳組長", "黃課長", "吳關員")
    assert [(e.name, e.deputy_for) for e in reopened.signatures(1)] \
        == [("李組長", "張副關務長"), ("王主秘", "")]
    assert reopened.signatures(2) == ()
    assert [e.kind for e in reopened.events] \
        == ["submitted", "signed", "signed", "reopened"]
    assert reopened.events[-1].comment == "補正參與人員名單"

    # Version 2 is signed again; version 1 and its signatures stay as they were.
    submit_report(db, HEAD, info.id)
    sign_off(db, COMMANDER, info.id, as_role="commander", name="張副關務長")
    info = sign_off(db, SECRETARY, info.id, as_role="secretary", name="王主秘")
    final = report_view(db, drill_id)
    assert final.locked and final.report is not None and final.report.version == 2
    assert report_content(final.version(1)) == first_content
    assert len(final.signatures(1)) == 2 and len(final.signatures(2)) == 2
    assert drill_status(db, drill_id) == "reported"

    # The planning group evaluates; the commander and the executive secretary sign it.
    evaluation = save_evaluation(db, PLANNER, drill_id, full_evaluation())
    assert evaluation.report_version == 2 and evaluation.status == "draft"
    assert [r.rating for r in evaluation.ratings] == [3, 4, 3, 2, 3, 3]
    assert (evaluation.notify_minutes, evaluation.notify_within) == (12, True)
    assert [a.owner for a in evaluation.actions] == ["秘書室"]
    with pytest.raises(UserError):  # not submitted for approval (陳核) yet
        sign_off_evaluation(db, SECRETARY, evaluation.id, as_role="secretary", name="王主秘")
    assert submit_evaluation(db, PLANNER, evaluation.id).status == "submitted"
    sign_off_evaluation(db, COMMANDER_DEPUTY, evaluation.id, as_role="commander",
                        name="李組長", deputy_for="張副關務長")
    evaluation = sign_off_evaluation(db, SECRETARY, evaluation.id, as_role="secretary",
                                     name="王主秘")
    assert evaluation.locked
    assert drill_status(db, drill_id) == "evaluated"
    with pytest.raises(UserError):
        save_evaluation(db, PLANNER, drill_id, full_evaluation(strengths="改寫"))
    set_corrective_status(db, PLANNER, evaluation.actions[0].id, "done")  # followed until done

    # Sent to every active unit; two acknowledge, the rest are pending.
    units = [u.key for u in list_units(db, "keelung") if u.active]
    listed = circulate(db, PLANNER, evaluation.id)
    assert [c.unit_key for c in listed] == units
    first = Actor("陳組長", Role.UNIT_HEAD, units[0])
    acknowledge_circulation(db, first, evaluation.id, units[0])
    with pytest.raises(PermissionDenied):  # not for another unit
        acknowledge_circulation(db, first, evaluation.id, units[1])
    entry = acknowledge_circulation(db, PLANNER, evaluation.id, units[1])  # noted by phone
    assert entry.acknowledged and entry.acknowledged_by == "林企劃"
    with pytest.raises(UserError):
        acknowledge_circulation(db, first, evaluation.id, units[0])
    assert circulate(db, PLANNER, evaluation.id, [units[0]]) == \
        evaluation_view(db, drill_id).circulation  # sent once only

    view = evaluation_view(db, drill_id)
    assert view.locked and view.report_signed
    assert [(c.unit_key, c.acknowledged_by) for c in view.acknowledged] \
        == [(units[0], "陳組長"), (units[1], "林企劃")]
    assert [c.unit_key for c in view.pending] == units[2:]
    assert [(s.as_role, s.deputy_for) for s in view.signatures] \
        == [("commander", "張副關務長"), ("secretary", "")]
    assert view.evaluation is not None and view.evaluation.actions[0].status == "done"

    # Nothing of it is an incident.
    with db.session() as session:
        for table in ("incidents", "timeline", "notifications", "case_fts"):
            assert session.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0


# --- who may do what ---------------------------------------------------------------------------


def test_only_the_commander_and_the_secretary_sign_each_their_own_box(db: Database) -> None:
    drill_id = drawn_drill(db)
    info = save_report(db, HEAD, drill_id, full_draft())
    submit_report(db, HEAD, info.id)
    for actor, box in ((HEAD, "commander"), (PLANNER, "secretary"), (SECRETARY, "commander"),
                       (COMMANDER, "secretary")):
        with pytest.raises(PermissionDenied):
            sign_off(db, actor, info.id, as_role=box, name=actor.name)
    with pytest.raises(PermissionDenied):
        return_report(db, PLANNER, info.id, "請補充")
    with pytest.raises(ValidationError) as caught:
        sign_off(db, COMMANDER, info.id, as_role="commander", name=" ")
    assert caught.value.field == "name"
    assert report_view(db, drill_id).signatures() == ()


def test_the_submitter_and_the_other_boxs_signer_cannot_sign_off(db: Database) -> None:
    """Separation of duties: who submits a report does not approve it, and one person does
    not sign both boxes, whatever role their settings claim at the moment."""
    drill_id = drawn_drill(db)
    info = save_report(db, HEAD, drill_id, full_draft())
    submit_report(db, COMMANDER, info.id)  # the commander's own unit, say
    with pytest.raises(PermissionDenied) as submitter:
        sign_off(db, COMMANDER, info.id, as_role="commander", name=COMMANDER.name)
    assert submitter.value.message() == _(DUTY_REFUSALS["submitter"])
    sign_off(db, COMMANDER_DEPUTY, info.id, as_role="commander", name=COMMANDER.name,
             deputy_for=COMMANDER.name)
    as_secretary = Actor(COMMANDER_DEPUTY.name, Role.SECRETARY)
    with pytest.raises(PermissionDenied) as twice:
        sign_off(db, as_secretary, info.id, as_role="secretary", name="王主秘")
    assert twice.value.message() == _(DUTY_REFUSALS["twice"])
    assert [s.as_role for s in report_view(db, drill_id).signatures()] == ["commander"]
    sign_off(db, SECRETARY, info.id, as_role="secretary", name="王主秘")
    assert report_view(db, drill_id).locked

    evaluation = save_evaluation(db, PLANNER, drill_id, full_evaluation())
    submit_evaluation(db, PLANNER, evaluation.id)
    sign_off_evaluation(db, SECRETARY, evaluation.id, as_role="secretary", name="王主秘")
    with pytest.raises(PermissionDenied) as twice:
        sign_off_evaluation(db, Actor(SECRETARY.name, Role.COMMANDER), evaluation.id,
                            as_role="commander", name="張副關務長")
    assert twice.value.message() == _(DUTY_REFUSALS["twice"])


def test_a_signer_returns_the_evaluation_and_only_the_planning_group_submits(
        db: Database) -> None:
    drill_id = drawn_drill(db)
    signed_report(db, drill_id)
    evaluation = save_evaluation(db, PLANNER, drill_id, full_evaluation())
    with pytest.raises(PermissionDenied):
        submit_evaluation(db, COMMANDER, evaluation.id)
    submit_evaluation(db, PLANNER, evaluation.id)
    with pytest.raises(UserError):
        submit_evaluation(db, PLANNER, evaluation.id)  # once is enough
    sign_off_evaluation(db, COMMANDER, evaluation.id, as_role="commander", name="張副關務長")
    with pytest.raises(PermissionDenied):
        return_evaluation(db, PLANNER, evaluation.id, "自己退回")
    with pytest.raises(ValidationError):
        return_evaluation(db, SECRETARY, evaluation.id, " ")
    returned = return_evaluation(db, SECRETARY, evaluation.id, "請補充改善措施")
    assert returned.status == "returned"
    view = evaluation_view(db, drill_id)
    assert view.signatures == () and view.events[-1].comment == "請補充改善措施"
    assert [(e.kind, e.as_role) for e in view.events] == [
        ("submitted", ""), ("signed", "commander"), ("returned", "secretary")]
    with pytest.raises(UserError):
        return_evaluation(db, SECRETARY, evaluation.id, "again")


def test_only_the_planning_group_evaluates_and_it_cannot_sign_off(db: Database) -> None:
    drill_id = drawn_drill(db)
    with pytest.raises(UserError):  # the report is not signed yet
        save_evaluation(db, PLANNER, drill_id, full_evaluation())
    signed_report(db, drill_id)
    with pytest.raises(PermissionDenied):
        save_evaluation(db, HEAD, drill_id, full_evaluation())
    with pytest.raises(PermissionDenied):
        save_evaluation(db, COMMANDER, drill_id, full_evaluation())
    evaluation = save_evaluation(db, PLANNER, drill_id, full_evaluation())
    with pytest.raises(PermissionDenied):
        sign_off_evaluation(db, PLANNER, evaluation.id, as_role="secretary", name="林企劃")
    with pytest.raises(UserError):  # not signed yet: not sent
        circulate(db, PLANNER, evaluation.id)
    assert evaluation_view(db, drill_id).signatures == ()


def test_an_evaluation_is_submitted_only_when_complete(db: Database) -> None:
    drill_id = drawn_drill(db)
    signed_report(db, drill_id)
    partial = save_evaluation(db, PLANNER, drill_id, full_evaluation(
        ratings={1: 3, 2: 3, 3: 3, 4: 3, 5: 3}, notified_at=None))
    assert partial.notify_minutes is None
    with pytest.raises(ReportIncomplete) as caught:
        submit_evaluation(db, PLANNER, partial.id)
    assert caught.value.missing == ("ratings.6", "notified_at")
    assert evaluation_view(db, drill_id).missing == ["ratings.6", "notified_at"]
    with pytest.raises(UserError):  # and nothing unsubmitted is signed
        sign_off_evaluation(db, COMMANDER, partial.id, as_role="commander", name="張副關務長")
    with pytest.raises(ValidationError) as bad:
        save_evaluation(db, PLANNER, drill_id, full_evaluation(ratings={1: 5}))
    assert bad.value.field == "ratings.1"
    with pytest.raises(ValidationError) as owner:
        save_evaluation(db, PLANNER, drill_id, full_evaluation(
            actions=(CorrectiveDraft("更新名冊", " "),)))
    assert owner.value.field == "actions[0].owner"


def test_a_signer_returns_the_report_with_a_comment(db: Database) -> None:
    drill_id = drawn_drill(db, scenario=False)
    info = save_report(db, HEAD, drill_id, full_draft())
    submit_report(db, HEAD, info.id)
    sign_off(db, COMMANDER, info.id, as_role="commander", name="張副關務長")
    with pytest.raises(ValidationError):
        return_report(db, SECRETARY, info.id, "  ")
    info = return_report(db, SECRETARY, info.id, "請補充通報時間及對象")
    assert info.status == "returned"

    returned = report_view(db, drill_id)
    assert returned.events[-1].kind == "returned"
    assert returned.events[-1].comment == "請補充通報時間及對象"
    assert returned.signatures() == ()  # the commander's signature went with the return

    first = report_content(returned.version(1))
    save_report(db, HEAD, drill_id, full_draft(summary="補充：10時05分通報執行秘書。"))
    edited = report_view(db, drill_id)
    assert [v.number for v in edited.versions] == [1, 2]
    assert edited.version(2).reason == "請補充通報時間及對象"
    assert report_content(edited.version(1)) == first
    submit_report(db, HEAD, info.id)
    sign_off(db, COMMANDER, info.id, as_role="commander", name="張副關務長")
    assert sign_off(db, SECRETARY, info.id, as_role="secretary", name="王主秘").locked


def test_report_input_is_checked_and_names_the_field(db: Database) -> None:
    drill_id = drawn_drill(db)
    start = utcnow() - timedelta(hours=1)
    for draft, field in (
        (full_draft(items=("no_such_category",)), "items"),
        (full_draft(time_start=start, time_end=start - timedelta(minutes=1)), "time_end"),
        (full_draft(time_start=utcnow() + timedelta(days=1), time_end=None), "time_start"),
        (full_draft(time_start=start.replace(tzinfo=None)), "time_start"),
    ):
        with pytest.raises(ValidationError) as caught:
            save_report(db, HEAD, drill_id, draft)
        assert caught.value.field == field
    assert report_view(db, drill_id).report is None
    info = save_report(db, HEAD, drill_id, ReportDraft(items=("emergency", "clearance")))
    with pytest.raises(ReportIncomplete) as caught_missing:
        submit_report(db, HEAD, info.id)
    assert caught_missing.value.missing == ("time_start", "time_end", "simulated_case",
                                            "summary")
    assert report_view(db, drill_id).draft.items == ("clearance", "emergency")  # form order


def test_rating_scale_and_notification_rule() -> None:
    assert [r.value for r in RATING_SCALE] == [1, 2, 3, 4]
    assert rating_label(3) == "3 達成"
    levels = {lv.key: lv for lv in default_playbook().levels}
    now = utcnow()
    assert notification_timeliness(levels["high"], now, now + timedelta(minutes=30)) == (30, True)
    assert notification_timeliness(levels["high"], now, now + timedelta(minutes=31)) \
        == (31, False)
    assert notification_timeliness(levels["low"], now, now + timedelta(hours=5)) == (300, True)


# --- the migration -----------------------------------------------------------------------------


def test_migration_0003_to_0004_keeps_drills_and_draws(data_dir: Path) -> None:
    """A database of the drill release (0003) with a drawn drill: the upgrade to 0004 keeps
    the drill and its draw (and backs the file up first); the report then works."""
    database = open_data_dir(data_dir, "keelung")
    try:
        drill_id = drawn_drill(database)
        draws = list_draws(database, "keelung")
    finally:
        database.close()
    path = data_dir / DATABASE_FILE
    engine = make_engine(path)
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0003")
    engine.dispose()
    with sqlite3.connect(path) as con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "drill_reports" not in tables and {"drills", "drill_draws"} <= tables

    upgraded = open_database(path)
    try:
        assert list_draws(upgraded, "keelung") == draws
        with upgraded.session() as session:
            drill = session.scalars(select(DrillRow)).one()
            assert (drill.id, drill.category_key) == (drill_id, "clearance")
        info = save_report(upgraded, HEAD, drill_id, full_draft())
        assert info.version == 1
    finally:
        upgraded.close()
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() \
            == [(SCHEMA_HEAD,)]
    assert len(list((data_dir / "backups").glob(
        f"crisisdesk.before-{SCHEMA_HEAD}-*.sqlite3"))) == 1


def test_signing_is_offered_on_the_grounds_sign_off_refuses_on() -> None:
    """sign_refusal, which the drill screens ask: the first reason that holds, or none."""
    from models.drills.reports.actions import sign_refusal

    commander = Actor("陳關務長", Role.COMMANDER, "")
    secretary = Actor("王主秘", Role.SECRETARY, "")
    planner = Actor("林企劃", Role.PLANNING, "")
    def signed(role: str, by: str) -> SignEvent:
        return SignEvent("signed", 1, role, by, "", "", "", utcnow(), by, role)

    def event(kind: str, by: str) -> SignEvent:
        return SignEvent(kind, 1, "", "", "", "", "", utcnow(), by, "unit_head")

    def refusal(actor: Actor, *, locked: bool = False, submitted: bool = True,
                by: str = "林組長", signatures: tuple[SignEvent, ...] = ()) -> str:
        return sign_refusal(actor, locked=locked, submitted=submitted,
                            events=(event("submitted", by), *signatures), number=1)

    assert refusal(commander, locked=True) == "locked"
    assert refusal(planner) == "role"
    assert refusal(commander, submitted=False) == "submitted"
    assert refusal(commander, signatures=(signed("commander", "陳關務長"),)) == "signed"
    assert refusal(secretary, signatures=(signed("commander", "陳關務長"),)) == ""
    assert refusal(secretary, by="王主秘") == "submitter"
    # the commander, as secretary in the settings, may not sign the other box too
    assert refusal(Actor("陳關務長", Role.SECRETARY, ""),
                   signatures=(signed("commander", "陳關務長"),)) == "twice"
    # whoever submitted the version once may not sign it, even after another resubmitted it
    assert sign_refusal(secretary, locked=False, submitted=True, number=1, events=(
        event("submitted", "王主秘"), event("returned", "陳關務長"),
        event("submitted", "林組長"))) == "submitter"
    # a return voids the signatures, not who gave them: the other box stays out of reach
    assert sign_refusal(Actor("陳關務長", Role.SECRETARY, ""), locked=False, submitted=True,
                        number=1, events=(event("submitted", "林組長"),
                                          signed("commander", "陳關務長"),
                                          event("returned", "王主秘"),
                                          event("submitted", "林組長"))) == "twice"
