"""The media watch's vocabularies (輿情監看, the 連絡暨公關組's duty "蒐集輿情與發布澄清稿") and
the one limit it measures against.

Stored as keys and translated when shown (as models.incidents.kinds): an item logged in
Chinese reads in English on the next PC. A key this version does not know (a newer version's,
or a release channel typed as free text before channels were chosen from a list) is shown as
it is, never refused when read.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from urllib.parse import urlsplit

from i18n import N_, _

MEDIA_CHANNELS = {
    "newspaper": N_("Newspaper"),
    "tv": N_("TV"),
    "online_news": N_("Online news"),
    "facebook": N_("Facebook"),
    "ptt": N_("PTT"),
    "line_group": N_("LINE group"),
    "other": N_("Other"),
}
"""Where a media item appeared."""

TONES = {
    "positive": N_("positive"),
    "neutral": N_("neutral"),
    "negative": N_("negative"),
}
"""How the item reads for the office."""

REACHES = {
    "low": N_("low"),
    "medium": N_("medium"),
    "high": N_("high"),
}
"""How far the item spreads (a national daily's front page, a post shared a thousand times:
high); a short note says on what the judgement rests."""

RELEASE_CHANNELS = {
    "website": N_("Official website"),
    "facebook": N_("Facebook"),
    "press_conference": N_("Press conference"),
    "press_release": N_("Press release to the media"),
    "line": N_("LINE"),
    "letter": N_("Official letter"),
    "other": N_("Other"),
}
"""Where a statement was released (協助發布危機事件處理方案與進度等相關訊息): one release per
channel, so a statement put on the website and read at a press conference has two. A reply
to a written interpellation is released by official letter (函送立法院)."""

MAX_LINK = 2000
"""The longest link kept: long enough for a news site's tracking-laden address."""

CLARIFICATION_WAIT_LIMIT = timedelta(hours=2)
"""How long an item that needs a clarification may wait for one before it shows red.

The procedure sets no figure: its aim is to act "在最短時間內" (in the shortest time), and the
公關組's duty is to gather the media's reports and release clarifications. Two hours keeps a
clarification inside the news cycle of the report it answers: a morning's online story is
answered before the midday and evening TV news take it up, and a clarification drafted,
reviewed by the legal group and approved by the spokesperson (stage 4's three steps) fits in
it when the team works on it at once. Past it the item is late, not forbidden: red is a
reminder for the commander, as an unacknowledged notification is."""


def label(table: Mapping[str, str], key: str) -> str:
    """The translated label of *key*, or *key* itself when the table does not know it (free
    text from before the list, or a newer version's key)."""
    return _(table[key]) if key in table else key


def is_web_address(value: str) -> bool:
    """An address a browser may open with one click: http or https, with a host, nothing
    unprintable and no spaces (a file: or javascript: address is none)."""
    try:
        parts = urlsplit(value)
        ok = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # a malformed address (an unclosed [ of an IPv6 host)
        return False
    return ok and all(c.isprintable() and not c.isspace() for c in value)
