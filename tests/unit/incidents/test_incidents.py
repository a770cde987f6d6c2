"""The incident procedure in the domain: opening, escalation, tasks, stages, archive, search."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from i18n import _
from models.core.errors import UserError, ValidationError
from models.incidents.actions import (
    IncidentDraft,
    StageIncomplete,
    acknowledge,
    add_entry,
    change_level,
    complete_stage,
    confirm_plan,
    open_incident,
    record_notification,
    save_action,
    save_corrective_action,
    save_negotiation,
    save_statement,
    set_field,
    set_task_state,
    statement_event,
    update_fact,
)
from models.incidents.case_search import CaseQuery, search_cases
from models.incidents.kinds import escalation, suggest_level
from models.incidents.progress import Missing, describe_missing, missing_for_stage
from models.incidents.queries import category_history, incident_view, list_incidents
from models.incidents.timeline_text import describe
from models.org.people import Actor, Role
from models.playbook.shipped import default_playbook
from models.storage.db import Database, utcnow

HEAD = Actor("林組長", Role.UNIT_HEAD, "inspection")


def draft(**changes: object) -> IncidentDraft:
    values: dict[str, object] = dict(
        title="加熱菸走私案", summary="查獲貨櫃夾藏加熱菸", started_at=utcnow() - timedelta(hours=1),
        location="基隆港西岸碼頭", reporting_unit="", source="internal",
        category_key="clearance", subtype_key="", scope="本關", level_key="medium",
        suggested_level="medium", level_reason="")
    values.update(changes)
    return IncidentDraft(**values)  # type: ignore[arg-type]


def view(db: Database, incident_id: str, ack_minutes: int = 10):  # type: ignore[no-untyped-def]
    return incident_view(db, incident_id, utcnow(), ack_minutes)


@pytest.mark.parametrize(("changes", "field"), [
    ({"title": "  "}, "title"),
    ({"started_at": utcnow() + timedelta(hours=2)}, "started_at"),
    ({"category_key": "nonsense"}, "category_key"),
    ({"level_key": "high"}, "level_reason"),
    ({"source": "rumour"}, "source"),
    ({"reporting_unit": "no-such-unit"}, "reporting_unit"),
])
def test_bad_input_names_the_field_and_saves_nothing(db: Database, changes: dict[str, object],
                                                     field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        open_incident(db, HEAD, "keelung", draft(**changes))
    assert caught.value.field == field
    assert list_incidents(db, "keelung", utcnow(), 10) == []


def test_an_opened_incident_pins_the_playbook_and_starts_its_timeline(db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft(level_key="high",
                                                           level_reason="媒體已大幅報導"))
    seen = view(db, incident_id)
    assert seen.current_stage == 1 and seen.status == "open" and seen.playbook_version == 1
    assert seen.number.startswith(f"基隆關-{(utcnow() + timedelta(hours=8)).year - 1911}-")
    assert [e.kind for e in seen.timeline] == ["opened", "level"]
    assert seen.timeline[1].data == {"to": "high", "suggested": "medium",
                                     "reason": "媒體已大幅報導"}
    assert seen.timeline[0].author == "林組長"


def test_case_numbers_count_within_office_and_year(db: Database) -> None:
    first = open_incident(db, HEAD, "keelung", draft())
    second = open_incident(db, HEAD, "keelung", draft(title="第二案"))
    assert view(db, first).number.endswith("-0001")
    assert view(db, second).number.endswith("-0002")


def test_the_decision_aid_follows_the_level_definitions() -> None:
    pb = default_playbook()
    assert suggest_level(pb, "customs", urgent=True).key == "high"
    assert suggest_level(pb, "customs", urgent=False).key == "medium"
    assert suggest_level(pb, "office", urgent=True).key == "medium"
    assert suggest_level(pb, "unit", urgent=True).key == "low"


def test_escalation_names_the_posts_of_the_levels_group() -> None:
    pb = default_playbook()
    high = escalation(pb, "high")
    assert high.at_once and [m.post["zh_TW"] for m in high.members] == ["副關務長"]
    low = escalation(pb, "low")
    assert not low.at_once and [m.group for m in low.members] == ["secretary"]


def test_level_changes_need_a_reason_and_are_recorded(db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft())
    with pytest.raises(ValidationError) as caught:
        change_level(db, HEAD, incident_id, "high", "")
    assert caught.value.field == "reason"
    change_level(db, HEAD, incident_id, "high", "立委召開記者會")
    seen = view(db, incident_id)
    assert seen.level_key == "high"
    assert seen.timeline[-1].data == {"from": "medium", "to": "high", "reason": "立委召開記者會"}


def test_a_notification_turns_overdue_and_the_deputy_can_acknowledge(db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft())
    member = escalation(default_playbook(), "medium").members[0]
    long_ago = utcnow() - timedelta(minutes=30)
    record_notification(db, HEAD, incident_id, target_group="secretary", member_id=member.id,
                        recipient="王主秘", acting_for="", means="phone", notified_at=long_ago)
    first = view(db, incident_id).notifications[0]
    assert first.overdue and first.acked_at is None
    assert list_incidents(db, "keelung", utcnow(), 10)[0].unacknowledged == 1
    deputy = record_notification(db, HEAD, incident_id, target_group="secretary",
                                 member_id=member.id, recipient="陳專門委員",
                                 acting_for="王主秘", means="in_person", notified_at=utcnow())
    acknowledge(db, HEAD, deputy, utcnow())
    with pytest.raises(UserError):
        acknowledge(db, HEAD, deputy, utcnow())
    notes = view(db, incident_id).notifications
    assert notes[1].acting_for == "王主秘" and notes[1].acked_at is not None
    assert not notes[1].overdue
    text = describe(view(db, incident_id).timeline[-2], default_playbook(), {})
    assert "王主秘" in text and "陳專門委員" in text


def test_not_applicable_needs_a_reason(db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft())
    with pytest.raises(ValidationError) as caught:
        set_task_state(db, HEAD, incident_id, 1, "report", "not_applicable", "")
    assert caught.value.field == "reason"
    with pytest.raises(ValidationError):
        set_task_state(db, HEAD, incident_id, 1, "no_such_task", "done")


def test_a_stage_completes_only_when_nothing_required_is_missing(db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft())
    with pytest.raises(StageIncomplete) as caught:
        complete_stage(db, HEAD, incident_id, 1)
    assert caught.value.missing == [Missing("task", 1, "grasp"), Missing("task", 1, "identify"),
                                    Missing("task", 1, "report"),
                                    Missing("notify", 1, "secretary")]
    seen = view(db, incident_id)
    assert describe_missing(seen, caught.value.missing[3]) == _(
        "No notification to the {group} on record.").format(group="執行秘書")
    for task in ("grasp", "identify"):
        set_task_state(db, HEAD, incident_id, 1, task, "done")
    set_task_state(db, HEAD, incident_id, 1, "report", "not_applicable", "已由執秘到場")
    record_notification(db, HEAD, incident_id, target_group="secretary", member_id="",
                        recipient="王主秘", acting_for="", means="phone", notified_at=utcnow())
    complete_stage(db, HEAD, incident_id, 1)
    assert view(db, incident_id).current_stage == 2
    with pytest.raises(UserError):
        complete_stage(db, HEAD, incident_id, 1)


def _run_to_archive(db: Database, incident_id: str, what: str = "走私加熱菸") -> None:
    pb = default_playbook()
    for stage in pb.stages:
        for task in stage.tasks:
            set_task_state(db, HEAD, incident_id, stage.number, task.key, "done")
    record_notification(db, HEAD, incident_id, target_group="secretary", member_id="",
                        recipient="王主秘", acting_for="", means="phone", notified_at=utcnow())
    if not view(db, incident_id).fields.get("s2.confirmed_by_name"):
        set_field(db, HEAD, incident_id, "s2.plan", "擴大查緝")
        confirm_plan(db, HEAD, incident_id, "secretary", "王主秘", utcnow())
    set_field(db, HEAD, incident_id, "s6.what_happened", what)
    set_field(db, HEAD, incident_id, "s6.lessons", "加強風險布控")
    for stage in range(1, 7):
        complete_stage(db, HEAD, incident_id, stage)


def test_every_stage_records_its_work_then_the_case_is_archived_and_read_only(
        db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft())
    set_field(db, HEAD, incident_id, "s2.plan", "擴大查緝")
    confirm_plan(db, HEAD, incident_id, "secretary", "王主秘", utcnow())
    save_action(db, HEAD, incident_id, None, description="清查同一進口商貨櫃",
                group_key="handling", resources="X光儀", status="in_progress")
    add_entry(db, HEAD, incident_id, "report", "已清查 12 櫃", utcnow())
    statement = save_statement(db, HEAD, incident_id, None, kind="clarification",
                               title="新聞稿", text="初稿")
    save_statement(db, HEAD, incident_id, statement, kind="clarification", title="新聞稿",
                   text="第二稿")
    with pytest.raises(UserError):
        statement_event(db, HEAD, statement, 2, "released", name="發言人", channel="website",
                        event_at=utcnow())
    with pytest.raises(UserError):  # the legal group reviews first
        statement_event(db, HEAD, statement, 2, "approved", name="發言人", event_at=utcnow())
    statement_event(db, HEAD, statement, 2, "legal_review", name="法務組", event_at=utcnow())
    statement_event(db, HEAD, statement, 2, "approved", name="發言人", event_at=utcnow())
    statement_event(db, HEAD, statement, 2, "released", name="發言人", channel="website",
                    event_at=utcnow())
    save_negotiation(db, HEAD, incident_id, None, party="報關業公會", position="要求加速通關",
                     agreement="增派人力", next_step="週會追蹤")
    save_corrective_action(db, HEAD, incident_id, None, description="修訂布控指標",
                           owner="稽查組", due=date(2020, 1, 1), status="open")
    _run_to_archive(db, incident_id)

    seen = view(db, incident_id)
    assert seen.status == "archived" and seen.ended_at is not None
    assert seen.fields["s2.confirmed_by_name"] == "王主秘"
    assert [v.text for v in seen.statements[0].versions] == ["初稿", "第二稿"]
    assert seen.statements[0].events_of(2)["released"].channel == "website"
    assert seen.corrective[0].overdue
    for entry in seen.timeline:
        assert describe(entry, seen.playbook, {}), entry.kind
    with pytest.raises(UserError):
        set_field(db, HEAD, incident_id, "s6.lessons", "改寫")
    # Corrective actions are followed after archiving.
    with pytest.raises(UserError):
        save_corrective_action(db, HEAD, incident_id, seen.corrective[0].id,
                               description="改寫", owner="稽查組", due=date(2020, 1, 1),
                               status="done")
    save_corrective_action(db, HEAD, incident_id, seen.corrective[0].id,
                           description="修訂布控指標", owner="稽查組", due=date(2020, 1, 1),
                           status="done")
    assert view(db, incident_id).corrective[0].status == "done"
    assert list_incidents(db, "keelung", utcnow(), 10) == []


def test_the_end_cannot_lie_before_the_start(db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft())
    with pytest.raises(ValidationError) as caught:
        update_fact(db, HEAD, incident_id, "ended_at", utcnow() - timedelta(days=2))
    assert caught.value.field == "ended_at"


def test_archived_cases_are_found_by_chinese_and_english_substrings(db: Database) -> None:
    smuggling = open_incident(db, HEAD, "keelung", draft())
    _run_to_archive(db, smuggling, "Heated tobacco smuggling")
    fever = open_incident(db, HEAD, "keelung", draft(title="非洲豬瘟輿情", category_key="public_opinion",
                                                     started_at=datetime(2019, 9, 1, tzinfo=UTC)))
    _run_to_archive(db, fever, "謠言擴散")

    def found(text: str, **filters: object) -> list[str]:
        query = CaseQuery(text=text, **filters)  # type: ignore[arg-type]
        return [c.id for c in search_cases(db, "keelung", query)]

    assert found("熱菸走") == [smuggling]
    assert found("豬瘟") == [fever]          # two characters: below the trigram length
    assert found("TOBACCO") == [smuggling]   # case-insensitive
    assert found("布控 走私") == [smuggling]  # every term must match
    assert found("") == [smuggling, fever]
    assert found("", category_key="public_opinion") == [fever]
    assert found("", roc_year=108) == [fever]
    assert found('"') == []


def test_a_categorys_history_shows_past_cases_and_open_corrective_actions(db: Database) -> None:
    old = open_incident(db, HEAD, "keelung", draft())
    save_corrective_action(db, HEAD, old, None, description="修訂布控指標", owner="稽查組",
                           due=None, status="open")
    _run_to_archive(db, old)
    history = category_history(db, "keelung", "clearance", utcnow())
    assert [c.id for c in history.cases] == [old]
    assert [c.description for c in history.open_corrective] == ["修訂布控指標"]
    assert category_history(db, "keelung", "emergency", utcnow()).cases == ()


def _complete_first_stages(db: Database, incident_id: str, upto: int) -> None:
    pb = default_playbook()
    for stage in pb.stages:
        if stage.number <= upto:
            for task in stage.tasks:
                set_task_state(db, HEAD, incident_id, stage.number, task.key, "done")
    set_field(db, HEAD, incident_id, "s2.plan", "擴大查緝")
    confirm_plan(db, HEAD, incident_id, "secretary", "王主秘", utcnow())
    for stage in range(1, upto + 1):
        complete_stage(db, HEAD, incident_id, stage)


def test_a_level_raised_later_requires_telling_the_new_group(db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft(level_key="low",
                                                           level_reason="僅影響本組"))
    _complete_first_stages(db, incident_id, 2)  # low: told after handling, at stage 3
    change_level(db, HEAD, incident_id, "high", "媒體大幅報導")
    set_task_state(db, HEAD, incident_id, 3, "handle", "done")
    with pytest.raises(StageIncomplete) as caught:
        complete_stage(db, HEAD, incident_id, 3)
    assert caught.value.missing == [Missing("notify", 3, "commander")]


def test_stage_two_needs_the_plan_and_who_confirmed_it(db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft())
    seen = view(db, incident_id)
    assert Missing("field", 2, "s2.plan") in missing_for_stage(seen, 2)
    assert Missing("field", 2, "s2.confirmed_by_name") in missing_for_stage(seen, 2)


def test_the_deputys_acknowledgement_settles_the_holders_notification(db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft())
    long_ago = utcnow() - timedelta(minutes=40)
    record_notification(db, HEAD, incident_id, target_group="secretary", member_id="m",
                        recipient="王主秘", acting_for="", means="phone", notified_at=long_ago)
    deputy = record_notification(db, HEAD, incident_id, target_group="secretary",
                                 member_id="m", recipient="陳專委", acting_for="王主秘",
                                 means="phone", notified_at=utcnow() - timedelta(minutes=5))
    assert list_incidents(db, "keelung", utcnow(), 10)[0].overdue == 1
    acknowledge(db, HEAD, deputy, utcnow())
    holder, _deputy = view(db, incident_id).notifications
    assert holder.acked_at is None and holder.settled and not holder.overdue
    listed = list_incidents(db, "keelung", utcnow(), 10)[0]
    assert (listed.unacknowledged, listed.overdue) == (0, 0)


def test_the_start_cannot_move_to_another_year(db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft())
    with pytest.raises(ValidationError) as caught:
        update_fact(db, HEAD, incident_id, "started_at", utcnow() - timedelta(days=400))
    assert caught.value.field == "started_at"
    with pytest.raises(ValidationError):  # a stage-form time must be a time
        set_field(db, HEAD, incident_id, "s2.meeting_at", "tomorrow morning")


def test_the_plan_is_confirmed_in_person_only_by_who_may_and_a_relayed_one_names_its_recorder(
        db: Database) -> None:
    """The commander or the executive secretary confirm the decided plan themselves; anyone
    records a confirmation they gave by phone, and the view (so the screen and the case file)
    says who recorded it. Who confirmed is written only by confirming."""
    commander = Actor("張副關務長", Role.COMMANDER, "secretariat")
    incident_id = open_incident(db, HEAD, "keelung", draft())
    set_field(db, HEAD, incident_id, "s2.plan", "擴大查緝")

    with pytest.raises(UserError):  # a unit head confirming in their own name
        confirm_plan(db, HEAD, incident_id, "commander", HEAD.name, utcnow())
    with pytest.raises(ValidationError):  # the commander confirming as someone else
        confirm_plan(db, commander, incident_id, "secretary", commander.name, utcnow())
    with pytest.raises(ValidationError):  # nor by typing into the field
        set_field(db, HEAD, incident_id, "s2.confirmed_by_name", "張副關務長")

    confirm_plan(db, HEAD, incident_id, "commander", "張副關務長", utcnow())
    relayed = view(db, incident_id)
    confirm_plan(db, commander, incident_id, "commander", commander.name, utcnow())
    in_person = view(db, incident_id)

    assert relayed.fields["s2.confirmed_by_name"] == "張副關務長"
    assert relayed.confirmation_recorder() == HEAD.name
    assert in_person.confirmation_recorder() == ""


def test_a_statement_is_reviewed_and_approved_in_ones_own_name_only_by_who_holds_the_post(
        db: Database) -> None:
    """The legal group (法務組) reviews a statement, the spokesperson (the commander) approves
    it: in their own name only they may. Anyone records a review or an approval given by
    phone under the name of who gave it, and the view says who recorded it."""
    lawyer = Actor("吳法務", Role.UNIT_HEAD, "legal", posts=("legal",))
    commander = Actor("張副關務長", Role.COMMANDER, "secretariat")
    incident_id = open_incident(db, HEAD, "keelung", draft())
    statement = save_statement(db, HEAD, incident_id, None, kind="statement", title="新聞稿",
                               text="初稿")

    for own in (HEAD.name, HEAD.name + "\u200b", "\uf9f4組長"):  # 林 as a compatibility form
        with pytest.raises(UserError):  # a unit head without the post, in their own name
            statement_event(db, HEAD, statement, 1, "legal_review", name=own,
                            event_at=utcnow())
    statement_event(db, lawyer, statement, 1, "legal_review", name=lawyer.name,
                    event_at=utcnow())
    with pytest.raises(UserError):  # the legal group does not approve as the spokesperson
        statement_event(db, lawyer, statement, 1, "approved", name=lawyer.name,
                        event_at=utcnow())
    statement_event(db, HEAD, statement, 1, "approved", name=commander.name, event_at=utcnow())

    events = view(db, incident_id).statements[0].events_of(1)
    assert (events["legal_review"].name, events["legal_review"].entered_by) == (
        lawyer.name, lawyer.name)
    assert (events["approved"].name, events["approved"].entered_by) == (
        commander.name, HEAD.name)
