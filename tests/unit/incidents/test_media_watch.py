"""The media watch in the domain: an item is logged and corrected with every field checked, a
statement of another incident is refused, the time to its clarification is measured from the
statement's first release, an item without one shows how long it has waited, a statement is
released once per channel, and the daily summary and the case file print the items."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from forms.render import render_pdf
from i18n import _
from i18n.formatting import format_minutes, local_date
from i18n.roc import format_roc_long
from models.core.errors import UserError, ValidationError
from models.incidents.actions import open_incident, save_statement, statement_event
from models.incidents.case_search import CaseQuery, search_cases
from models.incidents.media_actions import MediaItemDraft, remove_media_item, save_media_item
from models.incidents.media_kinds import CLARIFICATION_WAIT_LIMIT
from models.incidents.media_print import media_summary
from models.incidents.print import case_file
from models.incidents.queries import incident_view
from models.incidents.timeline_text import describe
from models.storage.db import Database, utcnow
from tests.unit.incidents.test_incidents import HEAD, _run_to_archive, draft

TZ = "Asia/Taipei"


def text_of(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text in the order it was drawn (cell by cell: a wrapped cell stays whole),
    without white space."""
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return "".join(out.split())


def item(**changes: object) -> MediaItemDraft:
    values: dict[str, object] = dict(
        outlet="自由時報", channel="online_news", seen_at=utcnow() - timedelta(minutes=50),
        headline="海關放行走私加熱菸？", tone="negative", reach="high",
        link="https://news.example.tw/a/123", reach_note="頭版")
    values.update(changes)
    return MediaItemDraft(**values)  # type: ignore[arg-type]


def approved_statement(db: Database, incident_id: str) -> str:
    statement = save_statement(db, HEAD, incident_id, None, kind="clarification",
                               title="澄清稿", text="本關並未放行")
    statement_event(db, HEAD, statement, 1, "legal_review", name="法務組", event_at=utcnow())
    statement_event(db, HEAD, statement, 1, "approved", name="發言人", event_at=utcnow())
    return statement


@pytest.mark.parametrize(("changes", "field"), [
    ({"headline": "   "}, "headline"),
    ({"outlet": ""}, "outlet"),
    ({"link": "news.example.tw/a/123"}, "link"),
    ({"link": "javascript:alert(1)"}, "link"),
    ({"link": "file:///C:/Windows/system32/calc.exe"}, "link"),
    ({"link": "https://"}, "link"),
    ({"link": "https://news.example.tw/a b"}, "link"),
    ({"link": "http://[::1"}, "link"),
    ({"channel": "radio"}, "channel"),
    ({"tone": "angry"}, "tone"),
    ({"reach": "huge"}, "reach"),
    ({"seen_at": utcnow() + timedelta(hours=1)}, "seen_at"),
])
def test_bad_input_names_the_field_and_saves_nothing(db: Database, changes: dict[str, object],
                                                     field: str) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft())
    with pytest.raises(ValidationError) as caught:
        save_media_item(db, HEAD, incident_id, None, item(**changes))
    assert caught.value.field == field
    seen = incident_view(db, incident_id, utcnow(), 10)
    assert seen.media == () and [e.kind for e in seen.timeline] == ["opened", "level"]


def test_a_statement_of_another_incident_is_refused(db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft())
    other = open_incident(db, HEAD, "keelung", draft(title="另一案"))
    foreign = save_statement(db, HEAD, other, None, kind="clarification", title="他案澄清",
                             text="x")
    with pytest.raises(ValidationError) as caught:
        save_media_item(db, HEAD, incident_id, None, item(statement_id=foreign))
    assert caught.value.field == "statement_id"
    assert incident_view(db, incident_id, utcnow(), 10).media == ()


def test_an_item_is_logged_corrected_and_removed_with_its_trace(db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft())
    item_id = save_media_item(db, HEAD, incident_id, None, item(clipping="  剪報全文 ", link=""))
    seen = incident_view(db, incident_id, utcnow(), 10)
    (logged,) = seen.media
    assert (logged.outlet, logged.channel, logged.link, logged.clipping) == (
        "自由時報", "online_news", "", "剪報全文")
    with pytest.raises(UserError):  # the form was opened before a change made elsewhere
        save_media_item(db, HEAD, incident_id, item_id, item(outlet="聯合報"),
                        logged.updated_at - timedelta(seconds=1))
    save_media_item(db, HEAD, incident_id, item_id, item(outlet="聯合報", tone="neutral"),
                    logged.updated_at)
    seen = incident_view(db, incident_id, utcnow(), 10)
    assert [(i.id, i.outlet, i.tone) for i in seen.media] == [(item_id, "聯合報", "neutral")]
    texts = [describe(e, seen.playbook, {}) for e in seen.timeline if e.kind == "media_item"]
    assert texts == [
        _("Seen in the media ({channel}, {outlet}, {tone}): {headline}").format(
            channel=_("Online news"), outlet="自由時報", tone=_("negative"),
            headline="海關放行走私加熱菸？"),
        _("Media item corrected ({channel}, {outlet}, {tone}): {headline}").format(
            channel=_("Online news"), outlet="聯合報", tone=_("neutral"),
            headline="海關放行走私加熱菸？")]
    remove_media_item(db, HEAD, incident_id, item_id)
    assert incident_view(db, incident_id, utcnow(), 10).media == ()


def test_the_clarification_is_measured_from_the_first_release(db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft(
        started_at=utcnow() - timedelta(hours=3)))
    statement = approved_statement(db, incident_id)
    seen_at = utcnow() - timedelta(minutes=90)
    save_media_item(db, HEAD, incident_id, None, item(
        seen_at=seen_at, needs_clarification=True, statement_id=statement))
    (waiting,) = incident_view(db, incident_id, utcnow(), 10).media
    assert waiting.released_at is None and waiting.clarified_after is None
    assert waiting.statement_title == "澄清稿"

    first = seen_at + timedelta(minutes=75)
    statement_event(db, HEAD, statement, 1, "released", name="發言人", channel="website",
                    event_at=first)
    statement_event(db, HEAD, statement, 1, "released", name="發言人", channel="facebook",
                    event_at=first + timedelta(minutes=10))
    (answered,) = incident_view(db, incident_id, utcnow(), 10).media
    assert answered.released_at == first
    assert answered.clarified_after == timedelta(minutes=75)
    assert answered.waiting(utcnow()) is None and not answered.overdue(utcnow())


def test_an_item_needing_a_clarification_waits_and_turns_overdue_past_the_limit(
        db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft(
        started_at=utcnow() - timedelta(hours=5)))
    seen_at = utcnow() - timedelta(hours=1)
    save_media_item(db, HEAD, incident_id, None, item(seen_at=seen_at, needs_clarification=True))
    save_media_item(db, HEAD, incident_id, None, item(seen_at=seen_at, headline="正面報導",
                                                      tone="positive"))
    needing, calm = sorted(incident_view(db, incident_id, utcnow(), 10).media,
                           key=lambda i: i.headline != "海關放行走私加熱菸？")
    assert needing.waiting(seen_at + timedelta(minutes=30)) == timedelta(minutes=30)
    assert not needing.overdue(seen_at + CLARIFICATION_WAIT_LIMIT)
    assert needing.overdue(seen_at + CLARIFICATION_WAIT_LIMIT + timedelta(minutes=1))
    assert calm.waiting(utcnow()) is None and not calm.overdue(seen_at + timedelta(days=3))


def test_a_statement_released_before_the_item_was_seen_answered_it_at_once(
        db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft(
        started_at=utcnow() - timedelta(hours=3)))
    statement = approved_statement(db, incident_id)
    statement_event(db, HEAD, statement, 1, "released", name="發言人", channel="website",
                    event_at=utcnow() - timedelta(hours=2))
    save_media_item(db, HEAD, incident_id, None, item(needs_clarification=True,
                                                      statement_id=statement))
    (answered,) = incident_view(db, incident_id, utcnow(), 10).media
    assert answered.clarified_after == timedelta(0)


def test_a_version_is_released_once_per_listed_channel(db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft())
    statement = approved_statement(db, incident_id)
    with pytest.raises(ValidationError) as caught:
        statement_event(db, HEAD, statement, 1, "released", name="發言人", channel="官網",
                        event_at=utcnow())
    assert caught.value.field == "channel"
    statement_event(db, HEAD, statement, 1, "released", name="發言人", channel="website",
                    event_at=utcnow())
    with pytest.raises(UserError):
        statement_event(db, HEAD, statement, 1, "released", name="發言人", channel="website",
                        event_at=utcnow())
    statement_event(db, HEAD, statement, 1, "released", name="發言人",
                    channel="press_conference", event_at=utcnow())
    (seen,) = incident_view(db, incident_id, utcnow(), 10).statements
    assert [e.channel for e in seen.releases_of(1)] == ["website", "press_conference"]


def test_a_channel_typed_before_the_list_is_shown_as_it_was(db: Database,
                                                            tmp_path: Path) -> None:
    """A release stored with free text (older versions, imported cases) reads as typed."""
    from models.incidents.entities import StatementEventRow

    incident_id = open_incident(db, HEAD, "keelung", draft())
    statement = approved_statement(db, incident_id)
    with db.session() as session:
        session.add(StatementEventRow(statement_id=statement, version_number=1,
                                      event="released", name="發言人", channel="本關網站",
                                      event_at=utcnow(), entered_by=HEAD.name))
    statement_event(db, HEAD, statement, 1, "released", name="發言人", channel="line",
                    event_at=utcnow())
    view = incident_view(db, incident_id, utcnow(), 10)
    text = text_of(render_pdf(case_file(view, {}, TZ)), tmp_path)
    assert "本關網站" in text and "LINE" in text


def test_the_daily_summary_prints_the_days_items_totals_and_sign_boxes(
        db: Database, tmp_path: Path) -> None:
    now = utcnow()
    incident_id = open_incident(db, HEAD, "keelung", draft(started_at=now - timedelta(days=2)))
    statement = approved_statement(db, incident_id)
    save_media_item(db, HEAD, incident_id, None, item(
        seen_at=now - timedelta(hours=3), needs_clarification=True, statement_id=statement))
    save_media_item(db, HEAD, incident_id, None, item(
        seen_at=now - timedelta(hours=2, minutes=50), outlet="TVBS", channel="tv",
        headline="港區查獲加熱菸", tone="neutral", reach="medium", link=""))
    save_media_item(db, HEAD, incident_id, None, item(
        seen_at=now - timedelta(days=1, hours=1), outlet="PTT八卦版", channel="ptt",
        headline="前一天的貼文", tone="negative", needs_clarification=True))
    statement_event(db, HEAD, statement, 1, "released", name="發言人", channel="website",
                    event_at=now - timedelta(hours=1))
    view = incident_view(db, incident_id, now, 10)
    day = local_date(now - timedelta(hours=3), TZ)
    doc = media_summary(view, TZ, day, now)
    text = text_of(render_pdf(doc), tmp_path)
    for expected in (_("Daily media summary"), "財政部關務署基隆關", view.number, "加熱菸走私案",
                     format_roc_long(day), "自由時報", "海關放行走私加熱菸？", "TVBS",
                     format_minutes(120),
                     _("Totals by tone"), _("Totals by media type"), _("Filled in by"),
                     _("Commander")):
        assert "".join(expected.split()) in text, expected
    assert "前一天的貼文" not in text
    yesterday = media_summary(view, TZ, day - timedelta(days=1), now)
    assert "前一天的貼文" in text_of(render_pdf(yesterday), tmp_path)
    assert doc.verification is not None and yesterday.verification is not None
    assert doc.verification.code != yesterday.verification.code


def test_the_case_file_lists_the_media_items_and_the_archive_finds_them(
        db: Database, tmp_path: Path) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft())
    save_media_item(db, HEAD, incident_id, None, item())
    _run_to_archive(db, incident_id)
    view = incident_view(db, incident_id, utcnow(), 10)
    text = text_of(render_pdf(case_file(view, {}, TZ)), tmp_path)
    for expected in (_("Media watch"), "自由時報", "海關放行走私加熱菸？"):
        assert "".join(expected.split()) in text, expected
    with pytest.raises(UserError):  # a case file is read-only
        save_media_item(db, HEAD, incident_id, None, item(headline="後續報導"))
    assert len(view.media) == 1
    # The archive finds the case by what the media wrote.
    found = search_cases(db, "keelung", CaseQuery(text="放行走私"))
    assert [c.id for c in found] == [incident_id]


def test_items_of_a_day_are_the_office_days_not_utc(db: Database) -> None:
    """An item seen at 07:00 in Taipei on 1 March is on 1 March, though still 28 February
    in UTC."""
    from models.incidents.media_watch import items_of_day

    incident_id = open_incident(db, HEAD, "keelung", draft())
    save_media_item(db, HEAD, incident_id, None, item())
    (logged,) = incident_view(db, incident_id, utcnow(), 10).media
    early = replace(logged, seen_at=datetime(2026, 2, 28, 23, 0, tzinfo=logged.seen_at.tzinfo))
    assert items_of_day([early], date(2026, 3, 1), TZ) == [early]
    assert items_of_day([early], date(2026, 2, 28), TZ) == []
