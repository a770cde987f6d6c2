"""The playbook document: the shipped default is the procedure, complete; bad files are
rejected with the path of the field at fault; versions compare field by field."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from models.core.errors import ValidationError
from models.playbook.model import (
    diff_playbooks,
    parse_playbook,
    parse_playbook_json,
    playbook_to_dict,
    playbook_to_json,
    roster_gaps,
)
from models.playbook.shipped import default_playbook


@pytest.fixture
def raw() -> dict[str, Any]:
    return playbook_to_dict(default_playbook())


def test_default_playbook_holds_the_whole_procedure() -> None:
    pb = default_playbook()
    assert pb.label() == "財政部關務署基隆關危機管理作業流程"
    assert len(pb.basis) == 3
    assert [g.key for g in pb.team.groups] == [
        "commander", "secretary", "handling", "legal", "liaison", "planning"]
    assert [len(g.duties) for g in pb.team.groups] == [4, 2, 1, 1, 5, 1]
    assert pb.group("commander").responsible["zh_TW"] == "副關務長"
    assert "職務代理人" in pb.team.rule["zh_TW"] and "移交" in pb.team.rule["zh_TW"]
    assert [c.drill_item["zh_TW"] for c in pb.categories] == [
        "重大通關案件", "重大輿情案件", "民代關切重大案件", "重大突發案件"]
    assert [len(c.subtypes) for c in pb.categories] == [0, 2, 0, 5]
    assert [(lv.key, lv.notify_group, lv.timing, lv.keep_watching) for lv in pb.levels] == [
        ("high", "commander", "immediate", False),
        ("medium", "secretary", "immediate", False),
        ("low", "secretary", "after_handling", True),
    ]
    assert [s.name["zh_TW"] for s in pb.stages] == [
        "危機掌握與辨識", "危機評估與決策", "危機處理", "適時的媒體溝通運作", "有效的協調談判",
        "妥善的善後與檢討"]
    assert [len(s.tasks) for s in pb.stages] == [3, 4, 1, 2, 1, 1]
    assert [st.name["zh_TW"] for st in pb.drill.steps] == ["抽選演練單位", "進行模擬測試",
                                                            "評估與觀摩"]
    assert [f.label["zh_TW"] for f in pb.drill.report_form.fields] == [
        "測試單位", "演練時間", "演練項目", "模擬案由", "演練過程摘要"]
    assert pb.drill.report_form.signers == ("commander", "secretary")


def test_every_text_has_an_english_translation(raw: dict[str, Any]) -> None:
    def texts(value: Any, path: str = "") -> list[tuple[str, dict[str, str]]]:
        if isinstance(value, dict):
            if set(value) == {"zh_TW", "en"}:
                return [(path, value)] if value["zh_TW"] else []
            return [t for k, v in value.items() for t in texts(v, f"{path}.{k}")]
        if isinstance(value, list):
            return [t for i, v in enumerate(value) for t in texts(v, f"{path}[{i}]")]
        return []

    missing = [path for path, text in texts(raw) if not text["en"].strip()]
    assert missing == []


def test_default_roster_names_nobody_until_the_planning_group_fills_it() -> None:
    pb = default_playbook()
    assert len(pb.team.members) == 20
    assert len(roster_gaps(pb)) == 20
    assert all(m.holder.name == "" for m in pb.team.members)


def test_posts_to_notify_without_phones_are_named() -> None:
    """The default roster has no numbers: the commander's and the secretary's posts (the
    levels notify them) are named, and a post whose holder and deputy have a number is not."""
    from dataclasses import replace

    from models.playbook.model import posts_without_phones

    pb = default_playbook()
    named = posts_without_phones(pb)
    assert {m.group for m in named} == {"commander", "secretary"}
    members = list(pb.team.members)
    for i, m in enumerate(members):
        if m.group == "commander":
            members[i] = replace(m, holder=replace(m.holder, mobile="0912-345-678"),
                                 deputy=replace(m.deputy, office_phone="02-2420-2951"))
    filled = replace(pb, team=replace(pb.team, members=tuple(members)))
    assert {m.group for m in posts_without_phones(filled)} == {"secretary"}


def test_serialising_and_parsing_round_trips(raw: dict[str, Any]) -> None:
    pb = parse_playbook(raw)
    assert parse_playbook_json(playbook_to_json(pb)) == pb


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d.pop("levels"), "levels"),
        (lambda d: d["team"]["groups"][2]["duties"][0].update(zh_TW=" "),
         "team.groups[2].duties[0].zh_TW"),
        (lambda d: d["levels"][0].update(notify_group="mayor"), "levels[0].notify_group"),
        (lambda d: d["levels"][1].update(timing="soon"), "levels[1].timing"),
        (lambda d: d["stages"].reverse(), "stages"),
        (lambda d: d["categories"][1]["subtypes"][1].update(key="po_1"),
         "categories[1].subtypes[1]"),
        (lambda d: d["team"]["members"][0]["holder"].update(mobile=912345678),
         "team.members[0].holder.mobile"),
        (lambda d: d.update(format_version=99), "format_version"),
        (lambda d: d["drill"]["report_form"]["fields"][0].update(kind="photo"),
         "drill.report_form.fields[0].kind"),
        (lambda d: d["categories"][0]["name"].update(fr="Dédouanement"),
         "categories[0].name.fr"),
        (lambda d: d["team"]["members"][1]["deputy"].update(email="chen at customs"),
         "team.members[1].deputy.email"),
        (lambda d: d["team"]["members"][2]["holder"].update(mobile="call the front desk"),
         "team.members[2].holder.mobile"),
    ],
)
def test_a_bad_document_names_the_field(raw: dict[str, Any], mutate: Any, path: str) -> None:
    mutate(raw)
    with pytest.raises(ValidationError) as caught:
        parse_playbook(raw)
    assert caught.value.field == path
    assert caught.value.message().startswith(path + ": ")


def test_broken_json_names_line_and_column() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_playbook_json('{"format": "crisisdesk-playbook",\n  "format_version": }')
    assert "第2行" in caught.value.message()


def test_unknown_top_level_fields_are_kept(raw: dict[str, Any]) -> None:
    raw["attachments"] = [{"name": "附件一"}]
    pb = parse_playbook(raw)
    assert json.loads(playbook_to_json(pb))["attachments"] == [{"name": "附件一"}]


def test_diff_lists_exactly_the_changed_fields() -> None:
    old = default_playbook()
    stage = old.stages[2]
    task = replace(stage.tasks[0], text={"zh_TW": "運用各種資源妥善處理。", "en": "Handle it."})
    members = list(old.team.members)
    members[0] = replace(members[0], holder=replace(members[0].holder, name="王大明"))
    new = replace(old, stages=old.stages[:2] + (replace(stage, tasks=(task,)),) + old.stages[3:])
    new = new.with_members(members)
    changes = diff_playbooks(old, new)
    assert [(c.kind, c.old, c.new) for c in changes] == [
        ("changed", "", "王大明"),
        ("changed", stage.tasks[0].text["zh_TW"], "運用各種資源妥善處理。"),
        ("changed", stage.tasks[0].text["en"], "Handle it."),
    ]
    assert changes[1].where[:2] == ("stages", "危機處理")
    assert [c.where[-1] for c in changes[1:]] == ["zh_TW", "en"]
    assert diff_playbooks(old, old) == []
