"""The office's holiday list in the playbook: read, written, refused when malformed, and absent
from a playbook that has none (its canonical bytes do not change)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from models.core.errors import ValidationError
from models.playbook.holidays import Holiday
from models.playbook.model import (
    diff_playbooks,
    parse_playbook_json,
    playbook_to_dict,
    playbook_to_json,
)
from models.playbook.shipped import default_playbook


def test_the_default_playbook_ships_no_holidays_and_writes_no_key() -> None:
    pb = default_playbook()
    assert pb.holidays == ()
    assert "holidays" not in playbook_to_dict(pb)


def test_holidays_round_trip_in_date_order() -> None:
    pb = replace(default_playbook(), holidays=(Holiday(date(2027, 2, 8), "春節"),
                                               Holiday(date(2027, 1, 1), "開國紀念日")))
    again = parse_playbook_json(playbook_to_json(pb))
    assert [h.day for h in again.holidays] == [date(2027, 1, 1), date(2027, 2, 8)]
    assert again.holidays[0].name == "開國紀念日"


@pytest.mark.parametrize(("holidays", "path"), [
    ([{"date": "2027-13-01", "name": "x"}], "holidays[0].date"),
    ([{"date": "2027-01-01"}], "holidays[0].name"),
    ([{"date": "2027-01-01", "name": "a"}, {"date": "2027-01-01", "name": "b"}],
     "holidays[1].date"),
])
def test_a_malformed_holiday_is_refused_with_its_path(holidays: list[object], path: str) -> None:
    data = playbook_to_dict(default_playbook())
    data["holidays"] = holidays
    with pytest.raises(ValidationError) as caught:
        parse_playbook_json(json.dumps(data))
    assert caught.value.field == path


def test_a_renamed_holiday_shows_by_its_date_in_the_version_comparison() -> None:
    old = replace(default_playbook(), holidays=(Holiday(date(2027, 2, 8), "春節"),))
    new = replace(old, holidays=(Holiday(date(2027, 2, 8), "農曆春節"),
                                 Holiday(date(2027, 1, 1), "開國紀念日")))
    changes = diff_playbooks(old, new)
    assert [(c.where, c.old, c.new) for c in changes if c.kind == "changed"] == [
        (("holidays", "2027-02-08", "name"), "春節", "農曆春節")]
    assert [c.where for c in changes if c.kind == "added"] == [("holidays", "2027-01-01")]
