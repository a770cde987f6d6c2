"""The case file prints the decision log (the plan confirmed at stage 2 among its entries)
and the task board, each task with the number of the decision that gave it. The PDF is kept
in test-artifacts/ to be looked at."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from forms.render import render_pdf
from i18n import _
from models.incidents.actions import confirm_plan, open_incident, save_action, set_field
from models.incidents.decisions import record_decision
from models.incidents.print import case_file
from models.incidents.queries import incident_view
from models.storage.db import Database, utcnow
from tests.unit.incidents.test_decisions import decision
from tests.unit.incidents.test_incident_print import text_of
from tests.unit.incidents.test_incidents import HEAD, draft


def test_the_case_file_lists_the_decisions_with_their_tasks(
        db: Database, tmp_path: Path, artifacts: Path) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft())
    set_field(db, HEAD, incident_id, "s2.plan", "擴大查緝並發布新聞稿")
    confirm_plan(db, HEAD, incident_id, "secretary", "王主秘", utcnow() - timedelta(minutes=50))
    record_decision(db, HEAD, incident_id, decision(acting_for="李關務長"))
    save_action(db, HEAD, incident_id, None, description="調閱監視器畫面", group_key="handling",
                resources="監視系統", status="in_progress", owner="陳科長")
    view = incident_view(db, incident_id, utcnow(), 10)
    pdf = render_pdf(case_file(view, {}, "Asia/Taipei"))
    (artifacts / "case-file-decisions.pdf").write_bytes(pdf)
    text = text_of(pdf, tmp_path)
    for expected in (_("Decision log"), "擴大查緝並發布新聞稿", "王主秘", "擴大清查同一進口商之貨櫃",
                     "陳副關務長", "李關務長", "X光影像異常", _("Task board"), "清查同一進口商貨櫃",
                     "發布澄清稿", "公關股", "調閱監視器畫面", "陳科長",
                     _("No. {n}").format(n=2)):
        assert "".join(expected.split()) in text, expected
