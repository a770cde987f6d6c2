"""Is this paper genuine? A code read off a printed drill report or evaluation, looked up among
every drill of the database (``main.py verify CODE``).

The code covers the form's content and its signatures, each with who signed, as whom, for whom,
when and from which login and PC (models.drills.reports.codes). A paper matches a genuine
sign-off when a record here, as the office's rules let it in (models.org.authorship: only the
person a PC is enrolled for signs from it), printed with that code; it is current when that is
the record as it stands now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from forms.verify import normalize_code
from i18n import _
from i18n.formatting import format_month
from models.drills.entities import DrillRow
from models.drills.print import signed_from
from models.drills.reports.codes import PaperMatch, match_evaluation, match_report
from models.drills.reports.kinds import SIGNERS
from models.drills.reports.queries import evaluation_view, report_view
from models.storage.db import Database


@dataclass(frozen=True)
class PaperCheck:
    code: str
    match: PaperMatch | None
    described: list[str]
    """What the paper is, in the user's language, one line each (the answer first)."""

    @property
    def genuine_and_current(self) -> bool:
        return self.match is not None and self.match.current


def check_paper(db: Database, typed: str) -> PaperCheck:
    """The drill report or evaluation a paper with the code *typed* was printed from."""
    code = normalize_code(typed)
    with db.session() as session:
        drills = session.execute(select(DrillRow.id, DrillRow.month).where(
            DrillRow.deleted_at.is_(None)).order_by(DrillRow.month)).all()
    for drill_id, month in drills:
        report = report_view(db, drill_id)
        match = match_report(report, code)
        if match is None:
            evaluation = evaluation_view(db, drill_id)
            match = match_evaluation(evaluation, code)
        if match is not None:
            return PaperCheck(code, match, _describe(match, report.unit_name, month))
    return PaperCheck(code, None, [_(
        "No drill report or evaluation in this database has the code {code}: the paper was "
        "not printed from it, or its code was misread or altered.").format(code=code)])


def _describe(match: PaperMatch, unit: str, month: date) -> list[str]:
    form = (_("the drill report of {unit}, {month}, version {version}") if match.form ==
            "drill_report" else _("the drill evaluation of {unit}, {month}")).format(
        unit=unit, month=format_month(month), version=match.version)
    if match.earlier_app:
        return [_("Genuine, printed by an earlier version of CrisisDesk: {form}. Its code "
                  "covers the content, not the signatures: print it again to have a code "
                  "that does.").format(form=form)]
    lines = [(_("Genuine and current: {form}.") if match.current else _(
        "Genuine but not current: {form}, as it was printed then; it has changed since (a "
        "later version or signature). Print it again.")).format(form=form)]
    for event in match.signatures:
        role = _(SIGNERS.get(event.as_role, event.as_role))
        who = (_("{name} for {absent}").format(name=event.name, absent=event.deputy_for)
               if event.deputy_for else event.name)
        place = signed_from(event)
        lines.append(_("Signed as {role} by {who}").format(role=role, who=who)
                     + (f" ({place})" if place else ""))
    if not match.signatures:
        lines.append(_("No signature was printed on it."))
    return lines
