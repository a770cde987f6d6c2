"""Media items in the case exchange format (docs/case-format.md, `media`): a case file carries
them and round-trips; a bad one is refused with its JSON path; an imported case holds them,
linked to their statement and measured from its release."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from models.core.errors import ValidationError
from models.incidents.case_format import cases_to_json, parse_cases, parse_cases_json
from models.incidents.case_import import import_cases_file
from models.incidents.entities import IncidentRow
from models.incidents.queries import incident_view
from models.storage.db import Database, utcnow
from tests.unit.incidents.test_case_format import NOW, case0, demo_raw, playbook
from tests.unit.incidents.test_incidents import HEAD

ITEM: dict[str, Any] = {
    "outlet": "自由時報", "channel": "online_news", "seen_at": "2021-08-25T09:10:00+08:00",
    "headline": "海關縱放走私加熱菸？", "link": "https://news.example.tw/a/1", "tone": "negative",
    "reach": "high", "reach_note": "頭版", "needs_clarification": True, "statement": 1}


def with_media(*items: dict[str, Any]) -> dict[str, Any]:
    data = demo_raw()
    case0(data)["media"] = [dict(i) for i in items]
    return data


def test_a_case_carries_its_media_items_and_round_trips() -> None:
    cases = parse_cases(with_media(ITEM, {**ITEM, "statement": None, "link": "",
                                          "clipping": "剪報全文", "tone": "neutral"}),
                        playbook(), now=NOW)
    first, second = cases[0].media
    assert (first.outlet, first.statement, first.needs_clarification) == ("自由時報", 1, True)
    assert (second.statement, second.clipping, second.link) == (None, "剪報全文", "")
    text = cases_to_json(cases)
    assert parse_cases_json(text, playbook(), now=NOW) == cases
    assert all("media" in c for c in json.loads(text)["cases"])  # canonical: every key


Mutation = Callable[[dict[str, Any]], object]


@pytest.mark.parametrize(("change", "path"), [
    (lambda m: m.update(link="javascript:alert(1)"), "link"),
    (lambda m: m.update(link="file:///C:/x.exe"), "link"),
    (lambda m: m.update(statement=9), "statement"),
    (lambda m: m.update(statement=0), "statement"),
    (lambda m: m.update(channel="radio"), "channel"),
    (lambda m: m.update(tone="angry"), "tone"),
    (lambda m: m.update(headline=" "), "headline"),
    (lambda m: m.update(seen_at="2099-01-01T00:00:00+08:00"), "seen_at"),
    (lambda m: m.update(seen_at="2021-08-25T09:10:00"), "seen_at"),
    (lambda m: m.update(needs_clarification="yes"), "needs_clarification"),
    (lambda m: m.update(colour="red"), "colour"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_a_bad_media_item_is_refused_with_its_path(change: Mutation, path: str) -> None:
    item = dict(ITEM)
    change(item)
    with pytest.raises(ValidationError) as caught:
        parse_cases(with_media(item), playbook(), now=NOW)
    assert caught.value.field == f"cases[0].media[0].{path}"


def test_an_imported_case_holds_its_items_linked_and_measured(db: Database,
                                                              tmp_path: Path) -> None:
    data = with_media(ITEM)
    data["office"] = "keelung"
    data["cases"] = data["cases"][:1]
    case0(data)["reporting_unit"] = ""  # a unit of the Taipei office
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert import_cases_file(db, HEAD, "keelung", path).added == 1
    with db.session() as session:
        (incident_id,) = session.scalars(select(IncidentRow.id))
    view = incident_view(db, incident_id, utcnow(), 10)
    (item,) = view.media
    released = next(e for e in view.statements[0].events if e.event == "released")
    assert item.statement_id == view.statements[0].id and item.released_at == released.event_at
    assert item.clarified_after == released.event_at - item.seen_at
    assert "media_item" in {e.kind for e in view.timeline}
