"""Situation reports and watch reviews travel to every PC: filed on two PCs at once they
never conflict (insert-only), both are kept, and a report reads the same everywhere."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from i18n.formatting import local_date
from models.incidents.actions import change_level
from models.incidents.queries import incident_view
from models.incidents.situation_reports import file_report, list_reports, snapshot_of
from models.incidents.watch import list_reviews, log_review
from models.storage.db import utcnow
from tests.sync.conftest import HEAD, PC, assert_in_sync, assert_same_rows, new_incident, sync_all


def test_reports_and_reviews_from_two_pcs_are_all_kept(pcs: tuple[PC, PC, PC],
                                                       share: Path) -> None:
    a, b, _c = pcs
    incident = new_incident(a)
    change_level(a.db, HEAD, incident, "low", "僅影響單一單位")
    sync_all(pcs, share)
    for pc in (a, b):  # both file report 1 before either hears of the other's
        seen = snapshot_of(incident_view(pc.db, incident, utcnow(), 10), {})
        file_report(pc.db, HEAD, incident, seen, f"{pc.name} 的下一步")
        log_review(pc.db, HEAD, incident, reviewed_at=utcnow(), seen=f"{pc.name} 看到的",
                   next_review=local_date(utcnow()) + timedelta(days=3))

    assert_in_sync(sync_all(pcs, share))

    assert_same_rows(pcs)
    for pc in pcs:
        reports = list_reports(pc.db, incident)
        assert sorted(r.next_steps for r in reports) == ["A 的下一步", "B 的下一步"]
        assert [r.number for r in reports] == [1, 1]  # as each author saw and printed it
        assert sorted(r.seen for r in list_reviews(pc.db, incident)) == ["A 看到的", "B 看到的"]
