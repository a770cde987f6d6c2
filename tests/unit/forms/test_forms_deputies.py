"""A deputy's signature or decision printed as 公文程式條例 第4條 has it for a head who cannot act
(forms/deputies.py): the holder's post and name marked 不能視事, then the deputy's title and
name with 代行; in the signature boxes, the decision log, the notification tables and the
screen's HTML of a form."""

from __future__ import annotations

import re
import subprocess

from forms.deputies import acting_text
from forms.document import FormDocument, SignatureBox, Signatures
from forms.render import render_pdf
from i18n import set_language
from models.incidents.actions import open_incident, record_notification
from models.incidents.decisions import LogEntry
from models.incidents.decisions_print import decider_text
from models.incidents.print import notification_form
from models.incidents.print_situation import situation_report_form
from models.incidents.queries import incident_view
from models.incidents.situation_reports import file_report, snapshot_of
from models.storage.db import Database, utcnow
from tests.unit.forms.print_conventions import pdf_lines
from tests.unit.incidents.test_incidents import HEAD, draft
from ui.printing.document_html import document_html


def test_the_holder_comes_first_then_the_deputy_with_daixing() -> None:
    assert acting_text("總指揮", "張關務長", "王主秘", "執行秘書") == (
        "總指揮 張關務長 不能視事\n執行秘書 王主秘 代行")
    # A deputy whose own title is the post's is not titled twice.
    assert acting_text("總指揮", "張關務長", "黃副關務長", "總指揮") == (
        "總指揮 張關務長 不能視事\n黃副關務長 代行")
    # A box to be signed by hand leaves the deputy's name to write in.
    assert acting_text("總指揮", "張關務長", "") == "總指揮 張關務長 不能視事\n＿＿＿＿ 代行"


def test_english_says_the_same_in_english() -> None:
    set_language("en")
    assert acting_text("Commander", "Zhang", "Wang", "Executive secretary") == (
        "Commander Zhang (unable to act)\nExecutive secretary Wang (acting)")


def entry(acting_for: str) -> LogEntry:
    return LogEntry("decision", "d1", None, "陳副關務長", "commander", acting_for, "", "",
                    "擴大清查", "", ())


def test_a_decision_by_a_deputy_names_the_holder_then_the_deputy() -> None:
    assert decider_text(entry("李關務長")) == "總指揮 李關務長 不能視事\n陳副關務長 代行"
    assert decider_text(entry("")) == "總指揮 陳副關務長"


def form(box: SignatureBox) -> FormDocument:
    return FormDocument("財政部關務署基隆關", "危機管理演練報告表", (Signatures((box,)),), None)


def test_a_signature_box_prints_both_lines_on_paper_and_on_screen() -> None:
    box = SignatureBox("總指揮", "王主秘", "民國115年12月5日", deputy_for="張關務長",
                       deputy_title="執行秘書")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=render_pdf(form(box)),
                          capture_output=True, check=True).stdout.decode("utf-8")
    lines = [re.sub(r"\s+", "", line) for line in text.splitlines()]
    assert "總指揮張關務長不能視事" in lines
    assert "執行秘書王主秘代行" in lines
    assert "總指揮 張關務長 不能視事<br>執行秘書 王主秘 代行" in document_html(form(box))


def test_a_deputy_told_in_the_holders_stead_reads_the_same(db: Database) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft())
    record_notification(db, HEAD, incident_id, target_group="secretary", member_id="",
                        recipient="陳專門委員", acting_for="王主秘", means="phone",
                        notified_at=utcnow())
    view = incident_view(db, incident_id, utcnow(), 10)
    shown = snapshot_of(view, {})
    for doc in (notification_form(view, {}, "Asia/Taipei"),
                situation_report_form(file_report(db, HEAD, incident_id, shown, "續查"),
                                      "Asia/Taipei")):
        lines = [re.sub(r"\s+", "", line) for _page, line in pdf_lines(render_pdf(doc))]
        holder = next(i for i, line in enumerate(lines) if line.endswith("王主秘不能視事"))
        assert lines[holder].startswith("執行秘書"), doc.title
        assert lines[holder + 1] == "陳專門委員代行", doc.title
