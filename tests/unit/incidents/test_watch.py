"""The watch list (持續觀察): a low-level incident stays on it with a next review date; each
review is logged in its author's name; a raised level leaves the list; due reviews are on
Home."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from i18n.formatting import local_date
from models.core.errors import UserError, ValidationError
from models.incidents.actions import change_level, open_incident
from models.incidents.queries import incident_view
from models.incidents.watch import list_reviews, log_review, watch_list, watch_of_view
from models.review.dashboard import what_needs_me
from models.schema import RULES
from models.storage.db import Database, utcnow
from tests.unit.incidents.test_incidents import HEAD, draft


def low(db: Database, days_ago: int = 3) -> str:
    return open_incident(db, HEAD, "keelung", draft(
        level_key="low", suggested_level="low", started_at=utcnow() - timedelta(days=days_ago)))


def today() -> date:
    return local_date(utcnow())


def test_a_low_level_incident_is_watched_from_the_day_after(db: Database) -> None:
    incident_id = low(db, days_ago=3)
    watch = watch_list(db, "keelung")[incident_id]
    assert watch.next_review == today() - timedelta(days=2) and watch.last is None
    assert watch.due(today())
    medium = open_incident(db, HEAD, "keelung", draft())
    assert medium not in watch_list(db, "keelung")  # a medium level is not watched


def test_a_review_is_logged_and_sets_the_next_date(db: Database) -> None:
    incident_id = low(db)
    log_review(db, HEAD, incident_id, reviewed_at=utcnow(), seen="網路討論已平息",
               next_review=today() + timedelta(days=7))
    [review] = list_reviews(db, incident_id)
    assert review.entered_by == HEAD.name and review.seen == "網路討論已平息"
    watch = watch_of_view(incident_view(db, incident_id, utcnow(), 10), review)
    assert watch is not None and watch.next_review == today() + timedelta(days=7)
    assert not watch.due(today())
    assert watch_list(db, "keelung")[incident_id].next_review == today() + timedelta(days=7)


@pytest.mark.parametrize(("seen", "next_in", "field"), [
    ("  ", 7, "seen"), ("平息", 0, "next_review"), ("平息", 400, "next_review")])
def test_a_bad_review_is_refused_at_its_field(db: Database, seen: str, next_in: int,
                                              field: str) -> None:
    incident_id = low(db)
    with pytest.raises(ValidationError) as caught:
        log_review(db, HEAD, incident_id, reviewed_at=utcnow(), seen=seen,
                   next_review=today() + timedelta(days=next_in))
    assert caught.value.field == field
    assert list_reviews(db, incident_id) == ()


def test_an_escalated_incident_leaves_the_watch_list(db: Database) -> None:
    incident_id = low(db)
    change_level(db, HEAD, incident_id, "medium", "媒體持續報導")
    assert incident_id not in watch_list(db, "keelung")
    with pytest.raises(UserError):
        log_review(db, HEAD, incident_id, reviewed_at=utcnow(), seen="x",
                   next_review=today() + timedelta(days=3))


def test_reviews_due_are_on_home(db: Database) -> None:
    due = low(db, days_ago=3)
    later = low(db, days_ago=3)
    log_review(db, HEAD, later, reviewed_at=utcnow(), seen="無新進展",
               next_review=today() + timedelta(days=5))
    needs = what_needs_me(db, "keelung", HEAD, utcnow(), today(), 10)
    assert [(w.incident.id, w.late) for w in needs.watch_due] == [(due, True)]


def test_a_review_is_evidence_in_its_authors_name() -> None:
    from models.sync.policy import Author

    check = RULES.writers["watch_reviews"]
    assert "watch_reviews" in RULES.insert_only
    author = Author(person="林組長", role="unit_head")
    assert check(author, {"entered_by": "林組長", "role": "unit_head"}, None) is None
    assert check(author, {"entered_by": "別人", "role": "unit_head"}, None) is not None
