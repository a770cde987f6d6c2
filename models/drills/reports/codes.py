"""The verification codes of the signed drill forms: what a code printed under a report or an
evaluation covers (its content and its signatures, with where each was made), so a code read
off paper says which record, which version and which signatures it shows (forms.verify; the
print in models.drills.print, the checks in models.drills.paper and the signed copies), and
the drill's 公文 header printed on it (a 密 marking changed after signing makes the paper an
older printout)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from forms.document import Verification
from forms.verify import verification
from models.drills.reports.kinds import SignEvent, report_content
from models.drills.reports.queries import EvaluationView, ReportView
from models.playbook.records import header_content


def signatures_content(events: Sequence[SignEvent]) -> list[dict[str, str]]:
    """The signatures a form prints, for its verification code: a code read off paper then
    covers who signed, as whom, for whom, when and from where."""
    return [{"as_role": e.as_role, "name": e.name, "deputy_for": e.deputy_for,
             "at": e.entered_at.isoformat(), "login": e.login, "pc": e.pc}
            for e in events if e.kind == "signed"]


def report_verification(view: ReportView, number: int, signed: int | None = None
                        ) -> Verification:
    """The code of the report's version *number* as printed with its first *signed*
    signatures (all by default): the code covers the content and the signatures."""
    version = next((v for v in view.versions if v.number == number), None)
    if version is None:
        return verification("drill_report", view.drill.id, 0, {})
    signatures = signatures_content(view.signatures(number))[:signed]
    report_id = view.report.id if view.report else view.drill.id
    return verification("drill_report", report_id, number,
                        {**report_content(version), "signatures": signatures,
                         **header_content(view.drill.header)})


def evaluation_content(view: EvaluationView) -> dict[str, Any]:
    """What the evaluation's verification code covers: every stored value the form prints,
    as keys and ISO times (never translated text), so the code is the same in any language
    and changes with any printed change, a corrective action done included."""
    e = view.evaluation
    if e is None:
        return {}
    return {
        "ratings": [[s.stage, s.rating] for s in view.stages],
        "level": e.level_key,
        "inject_at": e.inject_at.isoformat() if e.inject_at else None,
        "notified_at": e.notified_at.isoformat() if e.notified_at else None,
        "notify": [e.notify_minutes, e.notify_within],
        "strengths": e.strengths,
        "improvements": e.improvements,
        "actions": [[a.id, a.description, a.owner, a.due.isoformat() if a.due else None,
                     a.status] for a in e.actions],
        "report_version": e.report_version,
    }


def evaluation_verification(view: EvaluationView, signed: int | None = None) -> Verification:
    """The code of the evaluation as printed with its first *signed* signatures (all by
    default)."""
    evaluation = view.evaluation
    return verification("drill_evaluation", evaluation.id if evaluation else view.drill.id, 1,
                        {**evaluation_content(view),
                         "signatures": signatures_content(view.signatures)[:signed],
                         **header_content(view.drill.header)})


@dataclass(frozen=True)
class PaperMatch:
    """What a code read off a printed report or evaluation shows: the record, its version,
    the signatures printed on that paper, and whether it is the record as it stands (the
    latest version with every signature it now has)."""

    form: str
    """"drill_report" or "drill_evaluation"."""
    drill_id: str
    version: int
    signatures: tuple[SignEvent, ...]
    current: bool
    earlier_app: bool = False
    """Printed by a CrisisDesk from before codes covered the signatures (its code covers the
    content only: which signatures it carried, the code cannot say)."""


def match_report(view: ReportView, code: str) -> PaperMatch | None:
    """The version and signatures of *view*'s report a paper with *code* was printed from,
    or None: every version, with none, some or all of its signatures (a paper printed before
    the second sign-off carries the code of that moment)."""
    latest = view.report.version if view.report else 0
    report_id = view.report.id if view.report else view.drill.id
    for version in view.versions:
        signatures = view.signatures(version.number)
        for count in range(len(signatures), -1, -1):
            if report_verification(view, version.number, count).code == code:
                return PaperMatch("drill_report", view.drill.id, version.number,
                                  signatures[:count], version.number == latest
                                  and count == len(signatures))
        if verification("drill_report", report_id, version.number,
                        report_content(version)).code == code:
            return PaperMatch("drill_report", view.drill.id, version.number, (), False,
                              earlier_app=True)
    return None


def match_evaluation(view: EvaluationView, code: str) -> PaperMatch | None:
    """Likewise for the evaluation as it stands (its content is kept as it is now only)."""
    if view.evaluation is None:
        return None
    signatures = view.signatures
    for count in range(len(signatures), -1, -1):
        if evaluation_verification(view, count).code == code:
            return PaperMatch("drill_evaluation", view.drill.id, 1, signatures[:count],
                              count == len(signatures))
    if verification("drill_evaluation", view.evaluation.id, 1,
                    evaluation_content(view)).code == code:
        return PaperMatch("drill_evaluation", view.drill.id, 1, (), False, earlier_app=True)
    return None
