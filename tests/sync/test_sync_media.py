"""The media watch between the team's PCs: an item logged on one PC arrives whole on the
others, and is measured there once its clarification is released anywhere; two PCs
correcting different fields of one item merge them; an item of an archived case stays as it
was archived; and a change naming another person as the item's editor than the PC is
enrolled for is refused by every receiver."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from models.incidents.actions import save_statement, statement_event
from models.incidents.media_actions import MediaItemDraft, save_media_item
from models.incidents.queries import incident_view
from models.storage.db import utcnow
from models.sync.entities import REFUSED
from tests.sync.conftest import (
    HEAD,
    PC,
    assert_in_sync,
    assert_same_rows,
    conflicts,
    found_office,
    history,
    new_incident,
    sync,
    sync_all,
)
from tests.sync.test_sync_basic import SECRETARY
from tests.unit.incidents.test_incidents import _run_to_archive

ITEM = MediaItemDraft(outlet="自由時報", channel="online_news",
                      seen_at=utcnow() - timedelta(minutes=40), headline="海關放行走私加熱菸？",
                      tone="negative", reach="high", link="https://news.example.tw/a/1",
                      needs_clarification=True)


def _media(pc: PC, incident: str):  # type: ignore[no-untyped-def]
    return incident_view(pc.db, incident, utcnow(), 10).media


def test_an_item_logged_on_one_pc_arrives_and_is_measured_on_the_others(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    a, b, c = pcs
    incident = new_incident(a)
    statement = save_statement(a.db, HEAD, incident, None, kind="clarification",
                               title="澄清稿", text="本關並未放行")
    item = save_media_item(a.db, HEAD, incident, None, replace(ITEM, statement_id=statement))
    assert_in_sync(sync_all(pcs, share))
    assert_same_rows(pcs)
    (arrived,) = _media(b, incident)
    assert (arrived.id, arrived.outlet, arrived.statement_title, arrived.released_at) == (
        item, "自由時報", "澄清稿", None)

    # The clarification is reviewed, approved and released on B: C measures the item.
    statement_event(b.db, HEAD, statement, 1, "legal_review", name="法務組", event_at=utcnow())
    statement_event(b.db, HEAD, statement, 1, "approved", name="發言人", event_at=utcnow())
    released = utcnow()
    statement_event(b.db, HEAD, statement, 1, "released", name="發言人", channel="website",
                    event_at=released)
    assert_in_sync(sync_all(pcs, share))
    for pc in (a, c):
        (measured,) = _media(pc, incident)
        assert measured.released_at == released
        assert measured.clarified_after == released - ITEM.seen_at


def test_two_pcs_correcting_different_fields_of_an_item_merge_them(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    a, b, _c = pcs
    incident = new_incident(a)
    item = save_media_item(a.db, HEAD, incident, None, ITEM)
    sync_all(pcs, share)
    (on_a,) = _media(a, incident)
    (on_b,) = _media(b, incident)
    save_media_item(a.db, HEAD, incident, item, replace(ITEM, outlet="聯合報"), on_a.updated_at)
    save_media_item(b.db, HEAD, incident, item, replace(ITEM, tone="neutral"), on_b.updated_at)
    assert_in_sync(sync_all(pcs, share))
    assert_same_rows(pcs)
    for pc in pcs:
        (merged,) = _media(pc, incident)
        assert (merged.outlet, merged.tone) == ("聯合報", "neutral")
        assert not {c for c in conflicts(pc) if c[0] == "media_items"}


def test_an_item_corrected_while_the_case_was_archived_stays_as_archived(
        pcs: tuple[PC, PC, PC], share: Path) -> None:
    """B corrects an item it had, not knowing A archived the case meanwhile: every PC keeps
    the archived value and flags B's."""
    a, b, _c = pcs
    incident = new_incident(a)
    item = save_media_item(a.db, HEAD, incident, None, ITEM)
    sync_all(pcs, share)
    _run_to_archive(a.db, incident)
    (on_b,) = _media(b, incident)
    save_media_item(b.db, HEAD, incident, item, replace(ITEM, outlet="B 改的媒體"),
                    on_b.updated_at)
    sync_all(pcs, share)
    for pc in pcs:
        (kept,) = _media(pc, incident)
        assert kept.outlet == "自由時報"
        assert ("media_items", item, "outlet", "locked") in conflicts(pc)
        assert "B 改的媒體" in history(pc, "media_items", item, "outlet")


def test_an_item_naming_another_editor_is_refused_by_every_receiver(
        pcs: tuple[PC, PC, PC], share: Path, tmp_path: Path) -> None:
    """B is enrolled for the unit head; its modified app logs an item as the executive
    secretary. A refuses it and keeps B's genuine item of the same file."""
    a, b, _c = pcs
    office = found_office([a], share, tmp_path / "authority.pem", SECRETARY)
    office.enrol(b, HEAD)
    incident = new_incident(b)
    sync_all([a, b], share)
    save_media_item(b.db, replace(HEAD, name=SECRETARY.name), incident, None, ITEM)
    save_media_item(b.db, HEAD, incident, None, replace(ITEM, headline="真的報導"))
    sync(b, share)
    report = sync(a, share)
    assert [i.headline for i in _media(a, incident)] == ["真的報導"]
    assert len(report.refused) == 2  # the item, and its timeline entry, in the wrong name
    with a.db.session() as session:
        assert list(session.scalars(select(REFUSED.c.reason).where(
            REFUSED.c.tbl == "media_items"))) == [
            "it names another person as its author than the one its PC is enrolled for"]
