"""The incident's printed forms, read back from the PDF: every label and value a signer
checks, the ROC date, the verification code, and a code that changes with the record."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

from forms.render import render_pdf
from i18n import _
from models.incidents.actions import (
    open_incident,
    record_notification,
    save_corrective_action,
    set_field,
)
from models.incidents.print import case_file, notification_form
from models.incidents.queries import incident_view
from models.storage.db import Database, utcnow
from tests.unit.incidents.test_incidents import HEAD, _run_to_archive, draft


def text_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return "".join(out.split())


def fonts_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                          check=True).stdout


def test_the_notification_form_carries_facts_level_and_who_was_told(db: Database,
                                                                     tmp_path: Path) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft(
        started_at=utcnow() - timedelta(hours=2)))
    record_notification(db, HEAD, incident_id, target_group="secretary", member_id="",
                        recipient="陳專門委員", acting_for="王主秘", means="phone",
                        notified_at=utcnow())
    view = incident_view(db, incident_id, utcnow(), 10)
    pdf = render_pdf(notification_form(view, {}, "Asia/Taipei"))
    text = text_of(pdf, tmp_path)
    for expected in ("財政部關務署基隆關", _("Crisis incident notification form"), view.number,
                     "加熱菸走私案", "基隆港西岸碼頭", "查獲貨櫃夾藏加熱菸", "陳專門委員", "王主秘",
                     f"民國{(utcnow() + timedelta(hours=8)).year - 1911}年", _("Unit head"), _("Executive secretary"), _("Notifications")):
        assert "".join(expected.split()) in text, expected
    assert "☑" in text  # the category and the level are ticked
    fonts = fonts_of(pdf, tmp_path)
    assert "TW-Kai" in fonts and "Type 3" not in fonts and "MSung" not in fonts
    assert all(" yes yes " in line for line in fonts.splitlines()[2:])  # embedded, subset
    size = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout
    assert b"595.276 x 841.89" in size


def test_the_case_file_holds_every_stage_and_its_code_follows_the_record(
        db: Database, tmp_path: Path) -> None:
    incident_id = open_incident(db, HEAD, "keelung", draft())
    set_field(db, HEAD, incident_id, "s2.plan", "擴大查緝同一進口商")
    save_corrective_action(db, HEAD, incident_id, None, description="修訂布控指標",
                           owner="稽查組", due=None, status="open")
    before = case_file(incident_view(db, incident_id, utcnow(), 10), {}, "Asia/Taipei")
    _run_to_archive(db, incident_id, "夾藏於冷凍貨櫃")
    view = incident_view(db, incident_id, utcnow(), 10)
    after = render_pdf(case_file(view, {}, "Asia/Taipei"))
    text = text_of(after, tmp_path)
    for expected in (_("Crisis case file"), "擴大查緝", "修訂布控指標", "稽查組",
                     "夾藏於冷凍貨櫃", "加強風險布控", _("Timeline"), _("Commander")):
        assert "".join(expected.split()) in text, expected
    code = case_file(view, {}, "Asia/Taipei").verification
    assert code is not None and before.verification is not None
    assert code.code in text and code.code != before.verification.code


def test_the_case_file_prints_the_events_first_and_field_edits_in_an_appendix(
        db: Database, tmp_path: Path) -> None:
    """The plan typed in three autosaves a minute apart is one line, read as filled in; the
    notification comes before any field edit, which wait in the appendix."""
    from models.incidents.actions import set_field as store

    incident_id = open_incident(db, HEAD, "keelung", draft())
    start = utcnow() - timedelta(minutes=30)
    record_notification(db, HEAD, incident_id, target_group="secretary", member_id="",
                        recipient="王主秘", acting_for="", means="phone", notified_at=start)
    for text in ("擴大", "擴大查緝", "擴大查緝同一進口商"):
        store(db, HEAD, incident_id, "s2.plan", text)
    view = incident_view(db, incident_id, utcnow(), 10)
    assert [e.kind for e in view.timeline].count("field") == 3
    printed = text_of(render_pdf(case_file(view, {}, "Asia/Taipei")), tmp_path)
    appendix = "".join(_("Appendix: changes to the recorded fields").split())
    assert appendix in printed
    events, edits = printed.split(appendix)
    from models.incidents.timeline_text import kind_label

    assert "王主秘" in events and kind_label("field") not in events
    # The table cell wraps the value, and pdftotext puts the author beside its first line.
    filled = "".join(_("{field} filled in: {new}").format(field=_("Decided plan"),
                                                           new="").split())
    assert edits.count(filled) == 1 and _("(empty)") not in edits, edits
