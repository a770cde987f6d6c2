"""Inquiries in the case exchange format: the demo's legislator case brings its inquiries,
their registration and the interpellation's reply (a statement of kind reply); a malformed
inquiry is refused with its path."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from models.core.errors import ValidationError
from models.incidents.case_format import cases_to_json, parse_cases, parse_cases_json
from models.incidents.case_import import load_demo
from models.incidents.entities import IncidentRow
from models.incidents.queries import incident_view, list_incidents
from models.org.people import Actor, Role
from models.playbook.shipped import default_playbook
from models.storage.db import Database, utcnow
from tests.unit.incidents.test_case_format import demo_raw

ADMIN = Actor("林企劃", Role.PLANNING)


def test_the_legislator_demo_case_round_trips_its_inquiries() -> None:
    cases = parse_cases(demo_raw(), default_playbook())
    (case,) = [c for c in cases if c.inquiries]
    assert [i.channel for i in case.inquiries] == ["phone", "written_interpellation"]
    assert parse_cases_json(cases_to_json(cases), default_playbook()) == cases


def test_an_imported_case_keeps_its_inquiries_and_their_clocks_outcome(db: Database) -> None:
    load_demo(db, ADMIN, "keelung")
    found = []
    with db.session() as session:
        ids = list(session.scalars(select(IncidentRow.id)))
    for incident_id in ids:
        view = incident_view(db, incident_id, utcnow(), 10)
        found += [(view, i) for i in view.inquiries]
    favour = next(i for _v, i in found if i.favour)
    assert favour.favour_clock is not None
    assert favour.favour_clock.due_day == date(2021, 9, 10)  # Tue 7th: Wed, Thu, Fri
    assert favour.favour_clock.done_on == date(2021, 9, 8) and not favour.favour_clock.late()
    view, written = next((v, i) for v, i in found if i.written)
    assert written.reply_clock is not None
    assert written.reply_clock.due_day == date(2021, 10, 5)  # 20 + 5 days from 10 Sept
    assert written.reply_clock.done_on == date(2021, 9, 30)
    reply = next(s for s in view.statements if s.id == written.reply_statement_id)
    assert reply.kind == "reply"
    assert list_incidents(db, "keelung", utcnow(), 10) == []  # archived, not open


def _legislator_case(d: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in d["cases"] if "inquiries" in c)


@pytest.mark.parametrize(("change", "path"), [
    (lambda i: i.update(channel="fax"), "inquiries[0].channel"),
    (lambda i: i.update(rep_name=" "), "inquiries[0].rep_name"),
    (lambda i: i.update(received_at="2999-01-01T00:00:00+08:00"), "inquiries[0].received_at"),
    (lambda i: i.update(favour=False), "inquiries[0].registration"),
    (lambda i: i.update(reply_statement=1), "inquiries[0].reply_statement"),
    (lambda i: i.update(rep_kind="councillor", channel="written_interpellation"),
     "inquiries[0].channel"),
])
def test_a_bad_inquiry_names_its_path(change: Any, path: str) -> None:
    data = copy.deepcopy(demo_raw())
    case = _legislator_case(data)
    change(case["inquiries"][0])
    with pytest.raises(ValidationError) as caught:
        parse_cases(data, default_playbook())
    assert caught.value.field.endswith(path)


def test_a_reply_must_name_a_statement_of_kind_reply() -> None:
    data = copy.deepcopy(demo_raw())
    case = _legislator_case(data)
    case["inquiries"][1]["reply_statement"] = 1  # the clarification
    with pytest.raises(ValidationError) as caught:
        parse_cases(json.loads(json.dumps(data)), default_playbook())
    assert caught.value.field.endswith("inquiries[1].reply_statement")
