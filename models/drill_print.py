"""Drill documents as printed forms (forms/ renders them), every page marked 演練 so a drill
paper is never mistaken for a real incident's. First the record of a draw (抽選演練單位):
who drew, when, the candidates with their weights and chances, who was left out and why,
the seed that replays it, and the signature boxes of the executive secretary and the clerk.
"""

from __future__ import annotations

from typing import Any

from forms.document import FieldGrid, FormDocument, Signatures, SignatureBox, Table
from forms.verify import verification
from i18n import _, pick
from i18n.formatting import format_date, format_datetime, format_month
from models.drill_kinds import DrawInfo
from models.offices import office


def draw_content(draw: DrawInfo) -> dict[str, Any]:
    """What the verification code of a draw record covers."""
    return {"month": draw.month.isoformat(), "seed": draw.seed, "method": draw.method,
            "result": draw.result_unit_key,
            "candidates": [[c.unit_key, c.weight] for c in draw.candidates],
            "excluded": [[e.unit_key, e.reason] for e in draw.excluded],
            "redraw_of": draw.redraw_of, "reason": draw.redraw_reason}


def draw_record(draw: DrawInfo, tz: str) -> FormDocument:
    """The record of one draw, for the executive secretary to sign."""
    rows: list[tuple[str, str]] = [
        (_("Drill month"), format_month(draw.month)),
        (_("Unit drawn"), draw.result.name),
        (_("Drawn by"), draw.drawn_by),
        (_("Drawn at"), format_datetime(draw.drawn_at, tz=tz)),
        (_("Random seed"), str(draw.seed)),
        (_("Method"), draw.method),
    ]
    if draw.redraw_of:
        rows.append((_("Redraw; reason"), draw.redraw_reason))
    candidates = Table(
        _("Candidates"), (_("Unit"), _("Last drill"), _("Days since"), _("Weight"), _("Chance")),
        tuple((c.name, format_date(c.last_drill, long=False) if c.last_drill else _("never"),
               "" if c.days_since is None else str(c.days_since), str(c.weight),
               f"{draw.chance(c.unit_key):.1%}") for c in draw.candidates),
        widths=(4, 3, 2, 2, 2))
    excluded = Table(_("Left out of the draw"), (_("Unit"), _("Reason")),
                     tuple((e.name, e.reason) for e in draw.excluded), widths=(4, 8))
    return FormDocument(
        office_name=pick(office(draw.office_code).name),
        title=_("Record of the drill unit draw"),
        blocks=(FieldGrid(tuple(rows), columns=2), candidates, excluded,
                Signatures((SignatureBox(_("Clerk")), SignatureBox(_("Executive secretary"),
                                                                   draw.drawn_by)))),
        verification=verification("drill_draw", draw.id, 1, draw_content(draw)),
        watermark=_("Drill"),
        footer_note=_("Weight: days since the unit's last drill (at most 365) plus 30; the "
                      "seed replays the draw."),
    )


def render_draw_record(draw: DrawInfo, tz: str) -> bytes:
    from forms.render import render_pdf

    return render_pdf(draw_record(draw, tz))

