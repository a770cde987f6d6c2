"""The code printed under a drill report names its version and signatures: typed as people
type it, checked by ``main.py verify``, and a damaged report still opens. (Attaching the scan
of the signed paper is the shared path's: tests/unit/review/test_signed_report_scans.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest

from forms.verify import normalize_code
from i18n import _
from models.drills.actions import draw_unit
from models.drills.kinds import month_start, taipei_today
from models.drills.print import report_form
from models.drills.reports.actions import save_report, sign_off, submit_report
from models.drills.reports.kinds import ReportDraft
from models.drills.reports.queries import report_view
from models.org.people import Actor, Role
from models.playbook.store import current_playbook
from models.storage.db import Database, utcnow

SECRETARY = Actor("周執秘", Role.SECRETARY)
COMMANDER = Actor("張關務長", Role.COMMANDER)


def _submitted_report(db: Database) -> tuple[str, str]:
    draw_unit(db, SECRETARY, "keelung", month_start(taipei_today()), seed=1)
    drill_id = next(iter(_drills(db)))
    start = utcnow() - timedelta(hours=2)
    report = save_report(db, SECRETARY, drill_id, ReportDraft(
        time_start=start, time_end=start + timedelta(hours=1), items=("emergency",),
        simulated_case="颱風淹水", summary="十分鐘內通報"))
    submit_report(db, Actor("陳組長", Role.UNIT_HEAD), report.id)  # the unit drawn
    return drill_id, report.id


def _signed_report(db: Database) -> tuple[str, str]:
    drill_id, report_id = _submitted_report(db)
    sign_off(db, COMMANDER, report_id, as_role="commander", name="張關務長")
    sign_off(db, SECRETARY, report_id, as_role="secretary", name="周執秘")
    return drill_id, report_id


def _drills(db: Database) -> list[str]:
    from models.drills.queries import drill_schedule

    return [s.drill.id for s in drill_schedule(db, "keelung", taipei_today()).months if s.drill]


def _printed_code(db: Database, drill_id: str) -> str:
    form = report_form(report_view(db, drill_id), current_playbook(db)[1], "Asia/Taipei")
    assert form.verification is not None
    return form.verification.code


def test_typed_codes_are_read_as_printed() -> None:
    assert normalize_code(" 7k3q 9xd2 ma ") == "7K3Q-9XD2-MA"
    assert normalize_code("OIL0-0000-00") == "0110-0000-00"
    assert normalize_code("７Ｋ３Ｑ－９ＸＤ２－ＭＡ") == "7K3Q-9XD2-MA"  # full-width, from an IME


def test_a_printed_code_says_whether_the_paper_matches_the_current_sign_off(
        db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    """``main.py verify CODE``: the code covers the signatures and where each was made, so a
    paper printed before the second sign-off, or from a reopened report, is named as such."""
    from main import main
    from models.drills.paper import check_paper

    drill_id, report_id = _submitted_report(db)
    commander = Actor("張關務長", Role.COMMANDER, login="chang", pc="CMD-PC01")
    sign_off(db, commander, report_id, as_role="commander", name="張關務長")
    half_signed = _printed_code(db, drill_id)
    sign_off(db, Actor("周執秘", Role.SECRETARY, login="chou", pc="SEC-PC02"), report_id,
             as_role="secretary", name="周執秘")
    signed = _printed_code(db, drill_id)

    current = check_paper(db, signed.lower())
    earlier = check_paper(db, half_signed)
    unknown = check_paper(db, "ABCD-EFGH-JK")

    assert current.genuine_and_current and half_signed != signed
    assert _("login {login} on {pc}").format(login="chang", pc="CMD-PC01") in \
        "\n".join(current.described)
    assert _("login {login} on {pc}").format(login="chou", pc="SEC-PC02") in \
        "\n".join(current.described)
    assert earlier.match is not None and not earlier.genuine_and_current
    assert [e.name for e in earlier.match.signatures] == ["張關務長"]
    assert unknown.match is None
    db.close()
    data_dir = str(db.path.parent)
    assert main(["--data-dir", data_dir, "verify", signed]) == 0
    assert main(["--data-dir", data_dir, "verify", half_signed]) == 1
    assert main(["--data-dir", data_dir, "verify", "ABCD-EFGH-JK"]) == 1
    assert "周執秘" in capsys.readouterr().out


def test_a_report_whose_version_names_none_of_its_versions_still_opens(db: Database) -> None:
    """A damaged row (or one another PC wrote so) shows its latest version, not a crash of the
    drill screen and of every paper check."""
    from models.drills.paper import check_paper
    from models.drills.reports.entities import DrillReportRow

    drill_id, report_id = _signed_report(db)
    code = _printed_code(db, drill_id)
    with db.session() as session:
        row = session.get(DrillReportRow, report_id)
        assert row is not None
        row.version = 99

    view = report_view(db, drill_id)

    assert view.current is not None and view.current.number == 1
    assert check_paper(db, code).match is not None
