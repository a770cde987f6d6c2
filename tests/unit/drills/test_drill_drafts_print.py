"""A drill form nobody may sign yet prints as a draft: a report not submitted (or returned)
and an evaluation not submitted for approval (陳核, or returned) carry the 草稿 banner, a
second watermark line and void signing spaces; the submitted report and evaluation do not.

Read back with pdftotext, as a reader (or a search tool) sees the paper."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from forms.render import render_pdf
from i18n import _, set_language
from models.core.errors import UserError
from models.drills.print import evaluation_form, report_form
from models.drills.reports.actions import (
    return_evaluation,
    return_report,
    save_evaluation,
    save_report,
    sign_off_evaluation,
    submit_evaluation,
    submit_report,
)
from models.drills.reports.queries import evaluation_view, report_view
from models.playbook.store import current_playbook
from models.storage.db import Database
from tests.unit.drills.test_drill_reports import (
    COMMANDER,
    HEAD,
    PLANNER,
    SECRETARY,
    drawn_drill,
    full_draft,
    full_evaluation,
    signed_report,
)

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils is not installed (packaging/bootstrap.py)")

TZ = "Asia/Taipei"
REPORT_NOTICE = "DRAFT — not submitted; not to be signed"
EVALUATION_NOTICE = "DRAFT — not submitted for approval; not to be signed"


def text_of(pdf: bytes) -> str:
    """Every page's text, white space removed (pdftotext spaces wrapped lines its own way)."""
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))


def report_text(db: Database, drill_id: str) -> str:
    return text_of(render_pdf(report_form(report_view(db, drill_id), current_playbook(db)[1], TZ)))


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("language", ["zh_TW", "en"])
def test_a_report_prints_as_a_draft_until_submitted(db: Database, language: str) -> None:
    set_language(language)
    notice, word = flat(_(REPORT_NOTICE)), _("Draft")
    drill_id = drawn_drill(db)

    never_saved = report_text(db, drill_id)
    assert notice in never_saved
    info = save_report(db, HEAD, drill_id, full_draft())
    draft = report_text(db, drill_id)
    assert notice in draft
    # The word fills the signing space of the three boxes (the unit head's, the commander's
    # and the secretary's); the watermark's second line is seen in the screenshot test.
    assert draft.count(word) >= 3, draft

    submit_report(db, HEAD, info.id)
    submitted = report_text(db, drill_id)
    assert notice not in submitted and word not in submitted
    assert _("Drill") in submitted  # the drill watermark stays

    return_report(db, SECRETARY, info.id, "請補充通報時間")
    assert notice in report_text(db, drill_id)  # returned: not the paper to sign any more


def test_an_evaluation_prints_as_a_draft_until_submitted_for_approval(db: Database) -> None:
    set_language("zh_TW")
    notice = flat(_(EVALUATION_NOTICE))
    assert notice.startswith("草稿")
    drill_id = drawn_drill(db)
    signed_report(db, drill_id)

    def printed() -> str:
        return text_of(render_pdf(evaluation_form(evaluation_view(db, drill_id), TZ)))

    assert notice in printed()  # nothing written yet
    evaluation = save_evaluation(db, PLANNER, drill_id, full_evaluation())
    assert notice in printed()  # complete, but not submitted (陳核)
    submit_evaluation(db, PLANNER, evaluation.id)
    submitted = printed()
    assert notice not in submitted and _("Draft") not in submitted
    return_evaluation(db, COMMANDER, evaluation.id, "請補充改善措施")
    assert notice in printed()  # returned: not the paper to sign any more


def test_what_prints_is_what_was_signed(db: Database) -> None:
    """The commander signed; the evaluation then changed. Before the 陳核 step it could, and
    the printed form showed 總指揮 with a name and a date over content never signed."""
    set_language("zh_TW")
    drill_id = drawn_drill(db)
    signed_report(db, drill_id)
    evaluation = save_evaluation(db, PLANNER, drill_id, full_evaluation())
    submit_evaluation(db, PLANNER, evaluation.id)
    sign_off_evaluation(db, COMMANDER, evaluation.id, as_role="commander", name="張副關務長")
    with pytest.raises(UserError):  # under approval: frozen
        save_evaluation(db, PLANNER, drill_id, full_evaluation(strengths="改寫的優點"))
    assert "張副關務長" in text_of(render_pdf(evaluation_form(evaluation_view(db, drill_id), TZ)))

    return_evaluation(db, SECRETARY, evaluation.id, "請補充改善措施")
    save_evaluation(db, PLANNER, drill_id, full_evaluation(strengths="改寫的優點"))
    changed = text_of(render_pdf(evaluation_form(evaluation_view(db, drill_id), TZ)))
    assert "改寫的優點" in changed and "張副關務長" not in changed
    submit_evaluation(db, PLANNER, evaluation.id)
    resubmitted = evaluation_view(db, drill_id)
    assert resubmitted.signatures == ()  # the commander signs what is there now, again
    assert "張副關務長" not in text_of(render_pdf(evaluation_form(resubmitted, TZ)))
