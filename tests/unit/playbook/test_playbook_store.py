"""Saving the playbook: every edit is a new version with who, when and why; handovers are
recorded; only the planning group may edit; an import that fails changes nothing."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from models.core.errors import PermissionDenied, ValidationError
from models.org.people import Actor
from models.playbook.model import playbook_to_dict
from models.playbook.store import (
    StaleEdit,
    current_playbook,
    export_playbook,
    import_playbook,
    list_handovers,
    list_versions,
    load_version,
    save_playbook,
)
from models.storage.db import Database


def _with_commander(db: Database, holder: str, deputy: str = "") -> tuple:  # type: ignore[type-arg]
    info, pb = current_playbook(db)
    first = pb.team.members[0]
    member = replace(first, holder=replace(first.holder, name=holder),
                     deputy=replace(first.deputy, name=deputy or first.deputy.name))
    return info, pb.with_members((member,) + pb.team.members[1:])


def test_first_run_stores_the_default_as_version_one(db: Database) -> None:
    versions = list_versions(db)
    assert [v.number for v in versions] == [1]
    assert versions[0].created_by == "CrisisDesk"


def test_an_edit_makes_a_new_version_with_who_and_why(db: Database, planner: Actor) -> None:
    base, edited = _with_commander(db, "王大明", "李副座")
    info = save_playbook(db, planner, edited, "新任副關務長", base_version_id=base.id)
    assert (info.number, info.created_by, info.created_role, info.reason) == (
        2, "林企劃", "planning", "新任副關務長")
    assert current_playbook(db)[1].team.members[0].holder.name == "王大明"
    assert load_version(db, base.id)[1].team.members[0].holder.name == ""


def test_a_unit_head_may_not_edit_the_playbook(db: Database, unit_head: Actor) -> None:
    base, edited = _with_commander(db, "王大明")
    with pytest.raises(PermissionDenied):
        save_playbook(db, unit_head, edited, "試圖修改", base_version_id=base.id)
    assert len(list_versions(db)) == 1


def test_a_save_needs_a_reason_and_a_change(db: Database, planner: Actor) -> None:
    base, edited = _with_commander(db, "王大明")
    with pytest.raises(ValidationError) as caught:
        save_playbook(db, planner, edited, "  ", base_version_id=base.id)
    assert caught.value.field == "reason"
    with pytest.raises(ValidationError):
        save_playbook(db, planner, current_playbook(db)[1], "沒有改", base_version_id=base.id)
    assert len(list_versions(db)) == 1


def test_saving_over_someone_elses_newer_version_is_refused(db: Database,
                                                            planner: Actor) -> None:
    base, first = _with_commander(db, "王大明")
    save_playbook(db, planner, first, "第一位", base_version_id=base.id)
    _stale_base, second = _with_commander(db, "張三")
    with pytest.raises(StaleEdit):
        save_playbook(db, planner, second, "第二位", base_version_id=base.id)
    assert current_playbook(db)[1].team.members[0].holder.name == "王大明"


def test_a_change_of_post_records_a_handover(db: Database, planner: Actor) -> None:
    base, first = _with_commander(db, "王大明", "李副座")
    v2 = save_playbook(db, planner, first, "名冊建立", base_version_id=base.id)
    assert list_handovers(db) == []  # filling an empty post is not a handover
    _b, second = _with_commander(db, "陳新任", "李副座")
    member_id = second.team.members[0].id
    save_playbook(db, planner, second, "職務異動", base_version_id=v2.id,
                  handover_notes={member_id: "已移交印信與通訊錄"})
    [handover] = list_handovers(db)
    assert (handover.post, handover.role, handover.from_name, handover.to_name,
            handover.note, handover.version_number) == (
        "副關務長", "holder", "王大明", "陳新任", "已移交印信與通訊錄", 3)


def test_import_replaces_the_playbook_as_a_new_version(db: Database, planner: Actor) -> None:
    data = json.loads(export_playbook(db))
    data["purpose"]["zh_TW"] = "修訂後之目的。"
    info = import_playbook(db, planner, json.dumps(data, ensure_ascii=False).encode(), "年度修訂")
    assert info.number == 2
    assert current_playbook(db)[1].purpose["zh_TW"] == "修訂後之目的。"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xff\xfe not utf-8", "(file)"),
        (b'{"format": "crisisdesk-playbook"', "(file)"),
        (b"[1, 2, 3]", "(document)"),
    ],
)
def test_a_malformed_import_changes_nothing(db: Database, planner: Actor, content: bytes,
                                            expected: str) -> None:
    before = export_playbook(db)
    with pytest.raises(ValidationError) as caught:
        import_playbook(db, planner, content, "壞檔案")
    assert caught.value.field == expected
    assert export_playbook(db) == before and len(list_versions(db)) == 1


def test_an_incomplete_import_names_the_missing_field(db: Database, planner: Actor) -> None:
    data = playbook_to_dict(current_playbook(db)[1])
    del data["stages"][3]["tasks"][1]["text"]
    with pytest.raises(ValidationError) as caught:
        import_playbook(db, planner, json.dumps(data).encode(), "缺欄位")
    assert caught.value.message().startswith("stages[3].tasks[1].text: ")
    assert len(list_versions(db)) == 1


@pytest.mark.parametrize("content", [b"[" * 100_000, b'{"format_version": 1' + b"9" * 5000 + b"}"])
def test_hostile_files_are_rejected_not_crashed_on(db: Database, planner: Actor,
                                                   content: bytes) -> None:
    with pytest.raises(ValidationError):
        import_playbook(db, planner, content, "惡意檔案")
    assert len(list_versions(db)) == 1


def test_another_offices_playbook_is_not_imported(db: Database, planner: Actor) -> None:
    data = json.loads(export_playbook(db))
    data["office"] = {"code": "taipei", "name": {"zh_TW": "財政部關務署臺北關", "en": ""}}
    with pytest.raises(ValidationError) as caught:
        import_playbook(db, planner, json.dumps(data).encode(), "誤用他關檔案")
    assert caught.value.field == "office.code" and "臺北關" in caught.value.message()
    assert len(list_versions(db)) == 1
