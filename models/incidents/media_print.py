"""The media watch on paper: the daily media summary (新聞監看彙整表) a commander reads, and
the media items' table of the case file (models.incidents.print).

Labels are composed in the reader's language, what users typed is printed as typed, and the
day is the office's calendar day (its timezone) in the ROC calendar, as every government form.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from forms.document import FieldGrid, FormDocument, SignatureBox, Signatures, Table
from forms.verify import verification
from i18n import _, pick
from i18n.formatting import format_date, format_datetime, format_minutes, local_date
from models.incidents.drill_marks import drill_note, drill_title, drill_watermark
from models.incidents.media_kinds import (
    CLARIFICATION_WAIT_LIMIT,
    MEDIA_CHANNELS,
    REACHES,
    TONES,
    label,
)
from models.incidents.media_watch import MediaItemInfo, items_of_day
from models.incidents.queries import IncidentView
from models.org.offices import office
from models.playbook.records import header_content


def _minutes(span: timedelta) -> str:
    return format_minutes(span.total_seconds() / 60)


def measured(item: MediaItemInfo, now: datetime, *, in_words: bool = True) -> str:
    """What the item's clarification took (*in_words*: "released after 45 min", else "45
    min" under a heading that says it), or how long it has waited and whether that is past
    CLARIFICATION_WAIT_LIMIT; empty when it needs none and has none."""
    took = item.clarified_after
    if took is not None:
        return _("released after {time}").format(time=_minutes(took)) if in_words \
            else _minutes(took)
    waited = item.waiting(now)
    if waited is None:
        return ""
    if item.overdue(now):
        return _("waiting {time}, over {limit}").format(
            time=_minutes(waited), limit=_minutes(CLARIFICATION_WAIT_LIMIT))
    return _("waiting {time}").format(time=_minutes(waited))


def _clock(moment: datetime, tz: str) -> str:
    """The time of day in the office's zone (the day is the form's)."""
    return moment.astimezone(ZoneInfo(tz)).strftime("%H:%M")


def _reach(item: MediaItemInfo) -> str:
    reach = label(REACHES, item.reach)
    return _("{reach}: {note}").format(reach=reach, note=item.reach_note) \
        if item.reach_note else reach


def media_table(view: IncidentView, tz: str, now: datetime) -> Table:
    """Every item of the incident, oldest first, for the case file."""
    return Table(
        _("Media watch"),
        (_("Seen"), _("Media type"), _("Outlet"), _("Headline"), _("Tone"), _("Reach"),
         _("Answered by"), _("Clarification time")),
        tuple((format_datetime(i.seen_at, long=False, tz=tz), label(MEDIA_CHANNELS, i.channel),
               i.outlet, "\n".join(filter(None, (i.headline, i.link))),
               label(TONES, i.tone), _reach(i), i.statement_title, measured(i, now))
              for i in reversed(view.media)),
        widths=(2.6, 1.5, 1.8, 3.5, 1.4, 1.6, 1.8, 1.8))


def _released(item: MediaItemInfo, day: date, tz: str) -> str:
    if item.released_at is None:
        return _("not yet") if item.needs_clarification else ""
    if local_date(item.released_at, tz) == day:
        return _clock(item.released_at, tz)
    return format_datetime(item.released_at, long=False, tz=tz)


def media_summary(view: IncidentView, tz: str, day: date, now: datetime) -> FormDocument:
    """The daily media summary (新聞監看彙整表) of one incident for one day: what was seen that
    day, how it reads, what needed a clarification and how long that took, the day's totals,
    and the boxes of who filled it in and the commander who read it."""
    items = items_of_day(view.media, day, tz)
    rows = tuple(
        (_clock(i.seen_at, tz), label(MEDIA_CHANNELS, i.channel), i.outlet,
         i.headline, label(TONES, i.tone), _reach(i),
         _("Yes") if i.needs_clarification else _("No"), _released(i, day, tz),
         measured(i, now, in_words=False))
        for i in items)
    tones = Counter(i.tone for i in items)
    channels = Counter(i.channel for i in items)
    blocks = (
        FieldGrid(columns=2, rows=(
            (_("Case number"), view.number), (_("Day"), format_date(day)),
            (_("Subject"), view.title), (_("As of"), format_datetime(now, long=True, tz=tz)),
        )),
        Table(_("Items seen"),
              (_("Time"), _("Media type"), _("Outlet"), _("Headline"), _("Tone"), _("Reach"),
               _("Clarify?"), _("Released"), _("Took")),
              rows, widths=(1.3, 1.8, 1.9, 3.1, 1.8, 1.9, 1.5, 1.4, 1.9)),
        Table(_("Totals by tone"),
              (*(_(t) for t in TONES.values()), _("Needing a clarification"),
               _("Clarified"), _("All items")),
              ((*(str(tones[k]) for k in TONES),
                str(sum(i.needs_clarification for i in items)),
                str(sum(i.released_at is not None for i in items)), str(len(items))),)),
        Table(_("Totals by media type"), tuple(_(c) for c in MEDIA_CHANNELS.values()),
              (tuple(str(channels[k]) for k in MEDIA_CHANNELS),)),
        Signatures((SignatureBox(_("Filled in by")), SignatureBox(_("Commander")))),
    )
    content = {"number": view.number, "title": view.title, "day": day.isoformat(),
               "items": [[i.id, i.updated_at.isoformat(), i.released_at.isoformat()
                          if i.released_at else None] for i in items],
               **header_content(view.header)}
    note = _("A clarification counts as late after {limit}.").format(
        limit=_minutes(CLARIFICATION_WAIT_LIMIT))
    if view.is_example:
        note += _(" Example data, not a real case.")
    return FormDocument(
        office_name=pick(office(view.office_code).name),
        title=drill_title(_("Daily media summary"), view.is_drill), blocks=blocks,
        verification=verification("media_summary", view.id, len(view.timeline), content),
        footer_note=drill_note(note, view.is_drill), watermark=drill_watermark(view.is_drill),
        identity=_("Case no. {number}, {day}").format(number=view.number, day=format_date(day)))
