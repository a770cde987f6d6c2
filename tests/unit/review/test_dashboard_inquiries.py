"""The Home screen's legal clocks of inquiries: every running one, for everyone on the team
(a unit head without any post's permission too), counted as needing them once overdue, and
counted with the incident's overdue items in the incident list; a registered one is gone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from models.incidents.inquiry_actions import InquiryDraft, record_registration, save_inquiry
from models.incidents.queries import list_incidents
from models.org.people import Actor, Role
from models.review.dashboard import what_needs_me
from models.storage.db import Database
from tests.review_data import incident

NOW = datetime(2026, 12, 7, 2, tzinfo=UTC)  # Monday 10:00 in Taipei
TODAY = date(2026, 12, 7)
HEAD = Actor("陳組長", Role.UNIT_HEAD, "ops1")


def inquiry(received_at: datetime, *, favour: bool, channel: str = "phone") -> InquiryDraft:
    return InquiryDraft(rep_kind="legislator", rep_name="林委員", rep_office="", contact="",
                        channel=channel, received_at=received_at, place="", received_by="王科長",
                        request="請求儘速放行", relation="", favour=favour)


def test_running_clocks_show_for_everyone_and_count_once_overdue(db: Database) -> None:
    case = incident(db, "報關行貨櫃查驗延宕", NOW - timedelta(days=10), "medium")
    # received Tuesday 1 Dec: due Friday 4 Dec, overdue on Monday 7th
    late = save_inquiry(db, HEAD, case, None, inquiry(NOW - timedelta(days=6), favour=True))
    save_inquiry(db, HEAD, case, None, inquiry(NOW - timedelta(days=1), favour=False,
                                               channel="written_interpellation"))
    save_inquiry(db, HEAD, case, None, inquiry(NOW, favour=False))  # no clock
    before = what_needs_me(db, "keelung", HEAD, NOW, TODAY, 10)
    assert [(c.clock.kind, c.clock.due_day) for c in before.inquiry_clocks] == [
        ("favour", date(2026, 12, 4)), ("reply", date(2026, 12, 26))]
    assert [c.clock.kind for c in before.overdue_clocks()] == ["favour"]
    # The list counts it too, beside the incident's other overdue items (its reporting
    # clock: a medium incident of ten days whose commander nobody told).
    [listed] = list_incidents(db, "keelung", NOW, 10)
    record_registration(db, HEAD, late, on=date(2026, 12, 7), registered_with="政風室",
                        number="")
    after = what_needs_me(db, "keelung", HEAD, NOW, TODAY, 10)
    assert [c.clock.kind for c in after.inquiry_clocks] == ["reply"]
    assert after.count() == before.count() - 1
    assert [i.overdue for i in list_incidents(db, "keelung", NOW, 10)] == [listed.overdue - 1]
