"""The timeline entries as stored: every writer stores the JSON it always stored (sync and case
files carry it byte for byte), each kind reads back what it stores, and the reader's sentence
for each is what it always was."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import literal_column, select

from i18n import set_language
from models.incidents.actions import (
    IncidentDraft,
    acknowledge,
    add_entry,
    change_level,
    complete_stage,
    confirm_plan,
    delete_entry,
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
from models.incidents.case_import import import_cases_file
from models.incidents.entities import IncidentRow, TimelineRow
from models.incidents.queries import TimelineEntry, incident_view
from models.incidents.timeline import (
    Acknowledged,
    ActionSaved,
    Decided,
    Archived,
    CorrectiveSaved,
    Entry,
    FieldChanged,
    InjectReleased,
    DrillEnded,
    InquiryLogged,
    LevelChanged,
    LevelSet,
    MediaItemSaved,
    NegotiationSaved,
    Note,
    Notified,
    Opened,
    Removed,
    Report,
    SituationReported,
    StageCompleted,
    StatementEvent,
    StatementSaved,
    TaskMarked,
    Unrecognised,
    WatchReviewed,
    read_entry,
)
from models.incidents.timeline_text import describe, fold_edits
from models.org.people import Actor, Role
from models.playbook.shipped import default_playbook
from models.storage.db import Database, utcnow
from tests.json_mutation import shipped_json

HEAD = Actor("林組長", Role.UNIT_HEAD, "inspection")
START = datetime(2025, 3, 1, 1, 0, tzinfo=UTC)
"""A fixed start: the stored times, and the sentences that show them, are the same every run."""
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def stored(db: Database, incident_id: str) -> list[tuple[str, str]]:
    """The incident's timeline rows as stored (kind, JSON text), in the order written; ids
    (random) read as <id>."""
    with db.session() as session:
        return [(row.kind, UUID.sub("<id>", row.data)) for row in session.scalars(
            select(TimelineRow).where(TimelineRow.incident_id == incident_id)
            .order_by(literal_column("timeline.rowid")))]


def every_act(db: Database) -> str:
    """An incident through every act that writes a timeline entry, to its archive."""
    start = START
    iid = open_incident(db, HEAD, "keelung", IncidentDraft(
        title="加熱菸走私案", summary="查獲", started_at=start, location="基隆港",
        reporting_unit="", source="internal", category_key="public_opinion",
        subtype_key="po_1", scope="", level_key="high", suggested_level="medium",
        level_reason="媒體已大幅報導"))
    update_fact(db, HEAD, iid, "title", "加熱菸走私案（二）")
    update_fact(db, HEAD, iid, "ended_at", start + timedelta(minutes=90))
    update_fact(db, HEAD, iid, "category_key", "clearance")
    change_level(db, HEAD, iid, "medium", "降級")
    set_field(db, HEAD, iid, "s2.plan", "擴大查緝")
    confirm_plan(db, HEAD, iid, "secretary", "王主秘", start + timedelta(minutes=30))
    first = record_notification(db, HEAD, iid, target_group="secretary", member_id="",
                                recipient="陳專門委員", acting_for="王主秘", means="phone",
                                notified_at=start + timedelta(minutes=5))
    acknowledge(db, HEAD, first, start + timedelta(minutes=6))
    record_notification(db, HEAD, iid, target_group="commander", member_id="",
                        recipient="副關務長", acting_for="", means="in_person",
                        notified_at=start + timedelta(minutes=7), outcome="no_answer")
    set_task_state(db, HEAD, iid, 1, "report", "not_applicable", "已由執秘到場", "備註")
    add_entry(db, HEAD, iid, "report", "已清查 12 櫃", utcnow())
    add_entry(db, HEAD, iid, "note", "前一日線報", utcnow())
    action = save_action(db, HEAD, iid, None, description="清查貨櫃", group_key="handling",
                         resources="X光", status="in_progress")
    save_action(db, HEAD, iid, action, description="清查貨櫃", group_key="handling",
                resources="X光", status="done")
    statement = save_statement(db, HEAD, iid, None, kind="clarification", title="新聞稿",
                               text="初稿")
    statement_event(db, HEAD, statement, 1, "legal_review", name="法務組", event_at=utcnow())
    statement_event(db, HEAD, statement, 1, "approved", name="發言人", event_at=utcnow())
    statement_event(db, HEAD, statement, 1, "released", name="發言人", channel="website",
                    event_at=utcnow())
    party = save_negotiation(db, HEAD, iid, None, party="公會", position="加速", agreement="",
                             next_step="週會")
    save_corrective_action(db, HEAD, iid, None, description="修訂指標", owner="稽查組",
                           due=date(2020, 1, 1), status="open")
    save_corrective_action(db, HEAD, iid, None, description="教育訓練", owner="人事室",
                           due=None, status="open")
    delete_entry(db, HEAD, iid, "negotiation", party)
    for stage in default_playbook().stages:
        for task in stage.tasks:
            if (stage.number, task.key) != (1, "report"):
                set_task_state(db, HEAD, iid, stage.number, task.key, "done")
    set_field(db, HEAD, iid, "s6.what_happened", "走私加熱菸")
    set_field(db, HEAD, iid, "s6.lessons", "加強風險布控")
    for number in range(1, 7):
        complete_stage(db, HEAD, iid, number)
    return iid


def import_one_case(db: Database, tmp_path: Path) -> str:
    """The first shipped demo case, cut to a few of each timeline item, imported as an
    exchange file of this office."""
    data = shipped_json("demo", "cases.json")
    case = data["cases"][0]
    case["tasks"] = case["tasks"][:2]
    case["reporting_unit"] = ""
    case["notifications"][1]["acknowledged_at"] = None
    case["level_reason"] = "依規定迅速通報總指揮。"
    case["reports"] = case["reports"][:1]
    case["notes"] = [{"text": "前一日線報", "at": case["started_at"]}]
    data["office"], data["cases"] = "keelung", [case]
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert import_cases_file(db, Actor("林企劃", Role.PLANNING, "secretariat"), "keelung",
                             path).added == 1
    with db.session() as session:
        return str(session.scalar(select(IncidentRow.id).where(IncidentRow.title == case["title"])))


# What the writers stored before their entries were typed (captured from commit 93dc015).
EVERY_ACT_STORED = [
    ('opened', '{"title": "加熱菸走私案"}'),
    ('level', '{"reason": "媒體已大幅報導", "suggested": "medium", "to": "high"}'),
    ('field', '{"key": "title", "new": "加熱菸走私案（二）", "old": "加熱菸走私案"}'),
    ('field', '{"key": "ended_at", "new": "2025-03-01T02:30:00+00:00", "old": null}'),
    ('field', '{"key": "subtype_key", "new": "", "old": "po_1"}'),
    ('field', '{"key": "category_key", "new": "clearance", "old": "public_opinion"}'),
    ('level', '{"from": "high", "reason": "降級", "to": "medium"}'),
    ('field', '{"key": "s2.plan", "new": "擴大查緝", "old": ""}'),
    ('field', '{"key": "s2.confirmed_by_role", "new": "secretary", "old": ""}'),
    ('field', '{"key": "s2.confirmed_by_name", "new": "王主秘", "old": ""}'),
    ('field', '{"key": "s2.confirmed_at", "new": "2025-03-01T01:30:00+00:00", "old": ""}'),
    ('notified', '{"acting_for": "王主秘", "group": "secretary", "means": "phone", "notification": "<id>", "outcome": "reached", "recipient": "陳專門委員"}'),
    ('acknowledged', '{"notification": "<id>", "recipient": "陳專門委員"}'),
    ('notified', '{"acting_for": "", "group": "commander", "means": "in_person", "notification": "<id>", "outcome": "no_answer", "recipient": "副關務長"}'),
    ('task', '{"reason": "已由執秘到場", "remark": "備註", "stage": 1, "state": "not_applicable", "task": "report"}'),
    ('report', '{"text": "已清查 12 櫃"}'),
    ('note', '{"text": "前一日線報"}'),
    ('action', '{"description": "清查貨櫃", "group": "handling", "new": true, "status": "in_progress"}'),
    ('action', '{"description": "清查貨櫃", "group": "handling", "new": false, "status": "done"}'),
    ('statement', '{"kind": "clarification", "title": "新聞稿", "version": 1}'),
    ('statement_event', '{"channel": "", "event": "legal_review", "name": "法務組", "title": "新聞稿", "version": 1}'),
    ('statement_event', '{"channel": "", "event": "approved", "name": "發言人", "title": "新聞稿", "version": 1}'),
    ('statement_event', '{"channel": "website", "event": "released", "name": "發言人", "title": "新聞稿", "version": 1}'),
    ('negotiation', '{"agreement": "", "next_step": "週會", "party": "公會", "position": "加速"}'),
    ('corrective', '{"description": "修訂指標", "due": "2020-01-01", "owner": "稽查組", "status": "open"}'),
    ('corrective', '{"description": "教育訓練", "due": null, "owner": "人事室", "status": "open"}'),
    ('removed', '{"what": "negotiation"}'),
    ('task', '{"reason": "", "remark": "", "stage": 1, "state": "done", "task": "grasp"}'),
    ('task', '{"reason": "", "remark": "", "stage": 1, "state": "done", "task": "identify"}'),
    ('task', '{"reason": "", "remark": "", "stage": 2, "state": "done", "task": "convene"}'),
    ('task', '{"reason": "", "remark": "", "stage": 2, "state": "done", "task": "gather_info"}'),
    ('task', '{"reason": "", "remark": "", "stage": 2, "state": "done", "task": "diagnose"}'),
    ('task', '{"reason": "", "remark": "", "stage": 2, "state": "done", "task": "confirm_plan"}'),
    ('task', '{"reason": "", "remark": "", "stage": 3, "state": "done", "task": "handle"}'),
    ('task', '{"reason": "", "remark": "", "stage": 4, "state": "done", "task": "explain"}'),
    ('task', '{"reason": "", "remark": "", "stage": 4, "state": "done", "task": "prepare_docs"}'),
    ('task', '{"reason": "", "remark": "", "stage": 5, "state": "done", "task": "negotiate"}'),
    ('task', '{"reason": "", "remark": "", "stage": 6, "state": "done", "task": "aftermath"}'),
    ('field', '{"key": "s6.what_happened", "new": "走私加熱菸", "old": ""}'),
    ('field', '{"key": "s6.lessons", "new": "加強風險布控", "old": ""}'),
    ('stage', '{"stage": 1}'),
    ('stage', '{"stage": 2}'),
    ('stage', '{"stage": 3}'),
    ('stage', '{"stage": 4}'),
    ('stage', '{"stage": 5}'),
    ('stage', '{"stage": 6}'),
    ('archived', '{}'),
]

IMPORTED_STORED = [
    ('opened', '{"title": "竹圍分關加熱菸走私縱放案"}'),
    ('level', '{"reason": "依規定迅速通報總指揮。", "suggested": "high", "to": "high"}'),
    ('notified', '{"acting_for": "", "group": "commander", "means": "phone", "notification": "<id>", "recipient": "副關務長"}'),
    ('acknowledged', '{"notification": "<id>", "recipient": "副關務長"}'),
    ('notified', '{"acting_for": "主任秘書", "group": "secretary", "means": "in_person", "notification": "<id>", "recipient": "秘書室主任"}'),
    ('task', '{"reason": "", "remark": "竹圍分關分關長接獲緝獲報告後即赴現場了解。", "stage": 1, "state": "done", "task": "grasp"}'),
    ('task', '{"reason": "", "remark": "判定為突發案件（其他重大通關問題），事涉廉政。", "stage": 1, "state": "done", "task": "identify"}'),
    ('report', '{"text": "專案調查小組已成立，完成第一批X光圖檔複檢。"}'),
    ('note', '{"text": "前一日線報"}'),
    ('stage', '{"stage": 1}'),
    ('stage', '{"stage": 2}'),
    ('stage', '{"stage": 3}'),
    ('stage', '{"stage": 4}'),
    ('stage', '{"stage": 5}'),
    ('stage', '{"stage": 6}'),
    ('archived', '{}'),
]

# What the reader made of them (English: the sentences are the msgids).
EVERY_ACT_READ = [
    "加熱菸走私案",
    "陳專門委員 notified by Phone (deputy, acting for 王主秘)",
    "陳專門委員 acknowledged the notification",
    "副關務長 contacted by In person: No answer",
    "High-Level Crisis (suggested: Medium-Level Crisis); reason: 媒體已大幅報導",
    "Subject: 加熱菸走私案（二） (was: 加熱菸走私案)",
    "Ended filled in: 2025-03-01T02:30:00+00:00",
    "Subtype: (empty) (was: The implementation of a major customs clearance policy, program or plan has caused public misunderstanding.)",
    "Category: Customs Clearance Cases (was: Public Opinion Cases)",
    "from High-Level Crisis to Medium-Level Crisis; reason: 降級",
    "Decided plan filled in: 擴大查緝",
    "Plan confirmed by filled in: Executive secretary",
    "Name of the confirmer filled in: 王主秘",
    "Plan confirmed at filled in: 2025-03-01 09:30",
    "Stage 1, Report to superiors as the situation requires, according to the crisis level: Not applicable; reason: 已由執秘到場; remark: 備註",
    "已清查 12 櫃",
    "前一日線報",
    "Action (Handling Group, In progress): 清查貨櫃",
    "Action (Handling Group, Done): 清查貨櫃",
    "Clarification “新聞稿”, version 1 saved",
    "“新聞稿” version 1: Reviewed by the legal group (法務組)",
    "“新聞稿” version 1: Approved by the spokesperson (發言人)",
    "“新聞稿” version 1: Released (發言人); channel: Official website",
    "Party 公會: position 加速; agreed -; next 週會",
    "Corrective action (稽查組, Open): 修訂指標",
    "Corrective action (人事室, Open): 教育訓練",
    "An entry was removed (negotiation)",
    "Stage 1, The heads of all units learn of the emergency at the first moment and keep track of how it develops: Done",
    "Stage 1, Identify the category and scope of the crisis, and take correct and appropriate action and response: Done",
    "Stage 2, Convene a meeting of the Crisis Management Team as soon as possible: Done",
    "Stage 2, Gather information: Done",
    "Stage 2, Diagnose the crisis: Done",
    "Stage 2, Confirm the handling plan: Done",
    "Stage 3, Address the crisis situation by using every available resource to handle it properly, and report back at all times: Done",
    "Stage 4, Give an appropriate explanation of the cause and scope of the crisis, how it is being handled, and the review and improvements: Done",
    "Stage 4, Prepare written materials and face the media appropriately: Done",
    "Stage 5, Plan coordination and negotiation carefully to keep the crisis from escalating: Done",
    "Stage 6, Handle the aftermath and review it properly, and record and pass on the experience to prevent the next or a similar crisis from occurring: Done",
    "What happened filled in: 走私加熱菸",
    "Lessons learned filled in: 加強風險布控",
    "Stage 1 completed: Grasping and Identifying the Crisis",
    "Stage 2 completed: Crisis Assessment and Decision-Making",
    "Stage 3 completed: Crisis Handling",
    "Stage 4 completed: Timely Media Communication",
    "Stage 5 completed: Effective Coordination and Negotiation",
    "Stage 6 completed: Proper Aftermath Handling and Review",
    "Archived as a case file",
]

IMPORTED_READ = [
    "竹圍分關加熱菸走私縱放案",
    "High-Level Crisis; reason: 依規定迅速通報總指揮。",
    "Stage 1, The heads of all units learn of the emergency at the first moment and keep track of how it develops: Done; remark: 竹圍分關分關長接獲緝獲報告後即赴現場了解。",
    "前一日線報",
    "Stage 1, Identify the category and scope of the crisis, and take correct and appropriate action and response: Done; remark: 判定為突發案件（其他重大通關問題），事涉廉政。",
    "副關務長 notified by Phone",
    "副關務長 acknowledged the notification",
    "秘書室主任 notified by In person (deputy, acting for 主任秘書)",
    "專案調查小組已成立，完成第一批X光圖檔複檢。",
    "Stage 1 completed: Grasping and Identifying the Crisis",
    "Stage 2 completed: Crisis Assessment and Decision-Making",
    "Stage 3 completed: Crisis Handling",
    "Stage 4 completed: Timely Media Communication",
    "Stage 5 completed: Effective Coordination and Negotiation",
    "Stage 6 completed: Proper Aftermath Handling and Review",
    "Archived as a case file",
]


def read(db: Database, incident_id: str) -> list[str]:
    view = incident_view(db, incident_id, utcnow(), 10)
    return [describe(entry, view.playbook, {}) for entry in fold_edits(view.timeline)]


def test_every_act_stores_the_entries_it_always_stored(db: Database) -> None:
    incident_id = every_act(db)
    assert stored(db, incident_id) == EVERY_ACT_STORED
    set_language("en")
    assert read(db, incident_id) == EVERY_ACT_READ


def test_an_imported_case_stores_the_entries_it_always_stored(db: Database,
                                                               tmp_path: Path) -> None:
    """The import writes the shape of its own (a notification without an outcome)."""
    incident_id = import_one_case(db, tmp_path)
    assert stored(db, incident_id) == IMPORTED_STORED
    set_language("en")
    assert read(db, incident_id) == IMPORTED_READ


EXAMPLES: list[Entry] = [
    Opened("加熱菸走私案"),
    FieldChanged("title", "加熱菸走私案", "加熱菸走私案（二）"),
    FieldChanged("ended_at", None, "2025-03-01T02:30:00+00:00"),
    FieldChanged("s2.plan", "", "擴大查緝"),
    LevelSet("high", "medium", "媒體已大幅報導"),
    LevelChanged("high", "medium", "降級"),
    Notified("陳專門委員", "王主秘", "phone", "secretary", "n-1", "reached"),
    Notified("副關務長", "", "in_person", "commander", "n-2", "no_answer"),
    Notified("副關務長", "", "phone", "commander", "n-3"),
    Acknowledged("陳專門委員", "n-1"),
    TaskMarked(1, "report", "not_applicable", "已由執秘到場", "備註"),
    Report("已清查 12 櫃"),
    Note("前一日線報"),
    ActionSaved("清查貨櫃", "handling", "in_progress", new=True),
    ActionSaved("清查貨櫃", "handling", "done", new=False),
    Decided("擴大清查", "黃主任秘書", "陳副關務長"),
    StatementSaved("新聞稿", "clarification", 2),
    StatementEvent("新聞稿", 2, "released", "發言人", "官網"),
    MediaItemSaved("自由時報", "online_news", "海關放行走私加熱菸？", "negative", new=True),
    NegotiationSaved("公會", "加速", "", "週會"),
    CorrectiveSaved("修訂指標", "稽查組", "open", date(2020, 1, 1)),
    CorrectiveSaved("教育訓練", "人事室", "open", None),
    Removed("negotiation"),
    StageCompleted(6),
    Archived(),
    SituationReported(2),
    WatchReviewed("討論已平息", date(2026, 12, 14)),
    WatchReviewed("無", None),
    InquiryLogged("林委員", "registered"),
    InjectReleased("i-1", 2, {"zh_TW": "記者", "en": "A reporter"}, {"zh_TW": "發言人"},
                   {"zh_TW": "請說明查獲情形", "en": "Please explain the seizure"}),
    DrillEnded(),
]


def entry(what: Entry, at: datetime = START, author: str = "林組長") -> TimelineEntry[Entry]:
    return TimelineEntry("id", what, at, at, author, "unit_head")


def kinds(base: type[Entry]) -> set[type[Entry]]:
    """The classes below *base* that are a stored kind (they have a KIND)."""
    found = set()
    for cls in base.__subclasses__():
        found |= kinds(cls) | ({cls} if "KIND" in vars(cls) else set())
    return found


def test_every_kind_has_an_example_here() -> None:
    assert {type(what) for what in EXAMPLES} == kinds(Entry)
    assert len(kinds(Entry)) == 24


@pytest.mark.parametrize("what", EXAMPLES, ids=lambda what: type(what).__name__)
def test_each_kind_reads_back_what_it_stores(what: Entry) -> None:
    as_stored = json.loads(json.dumps(what.to_data(), ensure_ascii=False, sort_keys=True))
    assert read_entry(what.kind, as_stored) == what


@pytest.mark.parametrize("what", EXAMPLES, ids=lambda what: type(what).__name__)
def test_each_kind_has_a_sentence_of_its_own(what: Entry) -> None:
    set_language("en")
    assert describe(entry(what), default_playbook(), {}) not in ("", what.kind)


def test_every_stored_shape_reads_and_stores_again_unchanged() -> None:
    """What the writers stored before (the actions' and an import's shapes, a notification
    with and without an outcome, a level set and changed) is read and written back byte for
    byte."""
    for kind, text in EVERY_ACT_STORED + IMPORTED_STORED:
        what = read_entry(kind, json.loads(text))
        assert not isinstance(what, Unrecognised), text
        assert what.kind == kind
        assert json.dumps(what.to_data(), ensure_ascii=False, sort_keys=True) == text


def test_an_entry_this_version_cannot_read_keeps_its_data_and_shows_its_kind() -> None:
    newer = read_entry("vote", {"by": "委員會", "result": 3})
    assert newer == Unrecognised("vote", {"by": "委員會", "result": 3})
    assert newer.kind == "vote" and newer.to_data() == {"by": "委員會", "result": 3}
    damaged = read_entry("task", {"stage": "第一", "task": "report"})
    assert isinstance(damaged, Unrecognised) and damaged.kind == "task"
    not_an_object: Any = ["stage", 6]
    assert read_entry("stage", not_an_object) == Unrecognised("stage", {})
    set_language("en")
    assert describe(entry(newer), default_playbook(), {}) == "vote"


def test_missing_parameters_read_as_empty_as_they_always_did() -> None:
    """An entry of another PC that lacks a parameter reads as it did before the entries were
    typed: an empty text, a notification that reached the person, a level set at opening."""
    assert read_entry("notified", {"recipient": "王主秘"}) == Notified("王主秘", "", "", "", "")
    assert read_entry("level", {"to": "high"}) == LevelSet("high", "", "")
    assert read_entry("field", {"key": "s2.plan"}) == FieldChanged("s2.plan", None, None)
    set_language("en")
    assert describe(entry(read_entry("notified", {"recipient": "王主秘", "means": "phone"})),
                    default_playbook(), {}) == "王主秘 notified by Phone"


def test_quick_edits_of_one_field_by_one_person_read_as_one() -> None:
    edits = [entry(FieldChanged("s2.plan", "", "擴大"), START),
             entry(FieldChanged("s2.plan", "擴大", "擴大查緝"), START + timedelta(minutes=4)),
             entry(FieldChanged("s2.plan", "", "另案"), START + timedelta(minutes=5), "王主秘"),
             entry(Note("前一日線報"), START + timedelta(minutes=6)),
             entry(FieldChanged("s2.plan", "擴大查緝", "擴大查緝並移送"),
                   START + timedelta(minutes=13)),
             entry(FieldChanged("s2.plan", "擴大查緝並移送", "結案"), START + timedelta(hours=1))]
    assert [e.what for e in fold_edits(edits)] == [
        FieldChanged("s2.plan", "", "另案"),
        Note("前一日線報"),
        FieldChanged("s2.plan", "", "擴大查緝並移送"),
        FieldChanged("s2.plan", "擴大查緝並移送", "結案"),
    ]
