"""Legislators' inquiries between PCs: recorded on one, registered on another, the clock
stopped on every PC; an edit made on a PC that did not know yet that the case was archived is
kept as a locked conflict, the archived inquiry unchanged."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from i18n.formatting import local_date
from models.incidents.inquiry_actions import InquiryDraft, record_registration, save_inquiry
from models.incidents.queries import incident_view
from models.storage.db import utcnow
from tests.sync.conftest import HEAD, PC, assert_same_rows, conflicts, new_incident, sync_all
from tests.sync.test_sync_basic import _archived_on_a_while_b_edits

TODAY = local_date(utcnow(), "Asia/Taipei")


def draft(request: str, *, favour: bool) -> InquiryDraft:
    return InquiryDraft(rep_kind="legislator", rep_name="林委員", rep_office="基隆服務處",
                        contact="陳助理", channel="phone",
                        received_at=utcnow() - timedelta(hours=1), place="", received_by="王科長",
                        request=request, relation="選民", favour=favour)


def test_an_inquiry_recorded_on_one_pc_is_registered_on_another(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    a, b, c = pcs
    incident = new_incident(a)
    inquiry = save_inquiry(a.db, HEAD, incident, None, draft("請求儘速放行", favour=True))
    sync_all(pcs, share)
    record_registration(b.db, HEAD, inquiry, on=TODAY, registered_with="政風室", number="12")
    sync_all(pcs, share)
    assert_same_rows(pcs)
    (seen,) = incident_view(c.db, incident, utcnow(), 10).inquiries
    assert seen.favour_clock is not None and seen.favour_clock.done_on == TODAY


def test_an_inquiry_edited_unknowingly_after_archiving_is_a_locked_conflict(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    made: list[str] = []

    def record(a: PC, incident: str) -> None:
        made.append(save_inquiry(a.db, HEAD, incident, None,
                                 draft("詢問查驗進度", favour=False)))

    def rewrite(b: PC, incident: str) -> None:
        save_inquiry(b.db, HEAD, incident, made[0], draft("B 改寫的關切事項", favour=False))

    incident = _archived_on_a_while_b_edits(pcs, share, rewrite, record)
    inquiry = made[0]

    assert_same_rows(pcs)
    for pc in pcs:
        (seen,) = incident_view(pc.db, incident, utcnow(), 10).inquiries
        assert seen.request == "詢問查驗進度"
        assert ("inquiries", inquiry, "request", "locked") in conflicts(pc)
