"""The office's drill rules in the playbook (drill.rules): a playbook without them reads with
today's behaviour, an office's own rules round-trip, and a bad value is refused with its path."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from i18n import set_language
from models.core.errors import ValidationError
from models.playbook.drill_rules import DrillRules, rules_text, span_text
from models.playbook.model import (
    diff_playbooks,
    parse_playbook,
    parse_playbook_json,
    playbook_to_dict,
    playbook_to_json,
)
from models.playbook.shipped import default_playbook


def without_rules() -> dict[str, Any]:
    data = playbook_to_dict(default_playbook())
    data["drill"].pop("rules", None)
    return data


def with_rules(**rules: Any) -> dict[str, Any]:
    data = without_rules()
    data["drill"]["rules"] = rules
    return data


def test_a_playbook_without_rules_reads_with_todays_behaviour() -> None:
    rules = parse_playbook(without_rules()).drill.rules
    assert rules == DrillRules()
    assert (rules.every_months, rules.unit_every_months, rules.rotation,
            rules.evaluation_within_days, rules.follow_up_within_days) == (
        1, 6, "least_practised", 30, 60)


def test_the_shipped_keelung_playbook_drills_monthly_and_keeps_its_canonical_text() -> None:
    """基隆關's file says its rules (monthly, 按月模擬演練), which are the defaults: they are
    not written back, so version 1 keeps its id on PCs of this and older versions."""
    pb = default_playbook()
    assert pb.drill.rules == DrillRules(every_months=1)
    assert '"rules"' not in playbook_to_json(pb)
    assert playbook_to_json(pb) == playbook_to_json(parse_playbook(without_rules()))


def test_an_offices_own_rules_round_trip() -> None:
    taichung = DrillRules(every_months=6, unit_every_months=12, rotation="in_order",
                          evaluation_within_days=21, follow_up_within_days=90)
    pb = replace(default_playbook(),
                 drill=replace(default_playbook().drill, rules=taichung))
    text = playbook_to_json(pb)
    assert json.loads(text)["drill"]["rules"]["every_months"] == 6
    assert parse_playbook_json(text).drill.rules == taichung


def test_some_rules_given_take_the_defaults_for_the_rest() -> None:
    rules = parse_playbook(with_rules(every_months=3)).drill.rules
    assert rules == DrillRules(every_months=3)


@pytest.mark.parametrize(("rules", "path"), [
    ({"every_months": 5}, "drill.rules.every_months"),          # does not divide the year
    ({"every_months": "3"}, "drill.rules.every_months"),
    ({"every_months": True}, "drill.rules.every_months"),
    ({"unit_every_months": 0}, "drill.rules.unit_every_months"),
    ({"unit_every_months": 37}, "drill.rules.unit_every_months"),
    ({"rotation": "random"}, "drill.rules.rotation"),
    ({"evaluation_within_days": 0}, "drill.rules.evaluation_within_days"),
    ({"evaluation_within_days": 366}, "drill.rules.evaluation_within_days"),
    ({"follow_up_within_days": 731}, "drill.rules.follow_up_within_days"),
    ({"evaluation_within_days": 45, "follow_up_within_days": 40},
     "drill.rules.follow_up_within_days"),                    # follow-up before the evaluation
    ({"every_month": 3}, "drill.rules.every_month"),            # a misspelt rule
])
def test_a_bad_rule_is_refused_with_its_path(rules: dict[str, Any], path: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_playbook(with_rules(**rules))
    assert caught.value.field == path


def test_rules_that_are_not_an_object_are_refused() -> None:
    data = without_rules()
    data["drill"]["rules"] = [1, 6]
    with pytest.raises(ValidationError) as caught:
        parse_playbook(data)
    assert caught.value.field == "drill.rules"


def test_a_changed_rule_shows_in_the_version_comparison() -> None:
    old = default_playbook()
    new = replace(old, drill=replace(old.drill, rules=DrillRules(every_months=3)))
    changes = diff_playbooks(old, new)
    assert [(c.where, c.kind) for c in changes] == [(("drill", "rules"), "added")]
    newer = replace(new, drill=replace(new.drill, rules=DrillRules(every_months=6)))
    assert [(c.where, c.old, c.new) for c in diff_playbooks(new, newer)] == [
        (("drill", "rules", "every_months"), "3", "6")]


def test_the_rules_in_words() -> None:
    set_language("en")
    assert span_text(6) == "half a year"
    assert span_text(3) == "3 months"
    assert rules_text(DrillRules(every_months=3)).startswith(
        "Every quarter (three months) a drill. Each unit at least every half a year.")
    set_language("zh_TW")
    assert span_text(6) != "half a year"
    assert "每季" in rules_text(DrillRules(every_months=3))
