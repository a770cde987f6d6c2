"""The printed case file lists every attachment: file name, caption, who, when (ROC date),
size and the full SHA-256, read back from the PDF; a page is rendered for a person to look at."""

from __future__ import annotations

import subprocess
from pathlib import Path

from forms.render import render_pdf
from i18n import _
from models.incidents.actions import open_incident, save_statement
from models.incidents.attachments import attach
from models.incidents.print import case_file
from models.incidents.queries import incident_view
from models.storage.db import Database, utcnow
from tests.unit.incidents.test_incident_print import text_of
from tests.unit.incidents.test_incidents import HEAD, draft


def test_the_case_file_lists_each_attachment_with_its_full_hash(
        db: Database, tmp_path: Path, artifacts: Path) -> None:
    incident = open_incident(db, HEAD, "keelung", draft())
    statement = save_statement(db, HEAD, incident, None, kind="clarification",
                               title="澄清稿", text="初稿")
    before = case_file(incident_view(db, incident, utcnow(), 10), {}, "Asia/Taipei")
    (tmp_path / "貨櫃照片.jpg").write_bytes(b"\xff\xd8\xff a photo" * 300)
    (tmp_path / "立委來函.pdf").write_bytes(b"%PDF-1.4 a letter")
    photo = attach(db, HEAD, incident, "incident", incident, tmp_path / "貨櫃照片.jpg",
                   "西岸碼頭 3 號櫃")
    letter = attach(db, HEAD, incident, "statement", statement, tmp_path / "立委來函.pdf",
                    "林委員辦公室來函")
    view = incident_view(db, incident, utcnow(), 10)

    document = case_file(view, {}, "Asia/Taipei")
    pdf = render_pdf(document)

    (artifacts / "case-file-attachments.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(artifacts / "case-file-attachments.pdf"),
                    str(artifacts / "case-file-attachments")], check=True)
    text = text_of(pdf, tmp_path)
    roc_date = f"{(view.started_at.year - 1911)}/"
    # A cell wraps its text, and the lines of a row's cells are read side by side.
    for expected in (_("Attachments"), "貨櫃照片.jpg", "西岸碼頭3號", "立委來函.pdf",
                     "林委員辦公室", "澄清稿", "".join(_("The incident").split()), "林組長",
                     "3KB", roc_date):
        assert expected in text, expected
    for sha in (photo.sha256, letter.sha256):  # in full, in four lines of 16 digits
        found = [text.find(sha[i:i + 16]) for i in range(0, 64, 16)]
        assert -1 not in found and found == sorted(found), sha
    assert document.verification != before.verification  # the code covers the attachments
