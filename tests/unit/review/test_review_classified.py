"""A case marked 密 or above is flagged in the annual review's list of the year's cases, as in
every other list of cases: on the Statistics screen (which shows the report itself) and on
the paper signed for 陳核; and marking a case after the review was printed makes that paper
an older printout, since the list it signed no longer reads the same."""

from __future__ import annotations

from forms.document import Table
from forms.render import render_pdf
from models.incidents.record_header import set_incident_header
from models.org.people import Actor, Role
from models.playbook.records import RecordHeader
from models.review.report import load_review
from models.storage.db import Database
from tests.review_data import TODAY, incident, utc
from tests.unit.forms.print_conventions import pdf_lines

TZ = "Asia/Taipei"
SECRETARY = Actor("周執秘", Role.SECRETARY, "secretariat")


def _subjects(db: Database) -> list[str]:
    doc = load_review(db, "keelung", 2026, TODAY, TZ)
    cases = next(b for b in doc.blocks if isinstance(b, Table) and len(b.headers) == 7)
    return [row[1] for row in cases.rows]


def test_a_classified_case_is_flagged_in_the_years_list_of_cases(db: Database) -> None:
    secret = incident(db, "查緝情資外洩", utc(2026, 3, 10, 2), "high")
    incident(db, "貨櫃夾藏加熱菸", utc(2026, 4, 1, 2), "medium")
    before = load_review(db, "keelung", 2026, TODAY, TZ)
    assert _subjects(db) == ["查緝情資外洩", "貨櫃夾藏加熱菸"]

    set_incident_header(db, SECRETARY, secret,
                        RecordHeader(classification="restricted", declassify="本案結案後解密"))
    assert _subjects(db) == ["【密】查緝情資外洩", "貨櫃夾藏加熱菸"]
    after = load_review(db, "keelung", 2026, TODAY, TZ)
    text = "".join(line for _page, line in pdf_lines(render_pdf(after))).replace(" ", "")
    assert "【密】查緝情資外洩" in text
    assert after.verification is not None and before.verification is not None
    assert after.verification.code != before.verification.code
