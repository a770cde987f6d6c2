"""The case file on the archive's screen carries the 公文 header the paper carries: the filing
fields above the title, the handling fields under it and the classification boxed at the top
and bottom, in either language. Screenshots in both languages go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.gui.test_record_header_gui import TIMEOUT, _classify_first_example
from tests.helpers import run_on_worker, snap
from ui.runtime.context import AppContext
from ui.runtime.language import apply_language


def test_the_archived_case_file_shows_its_header_and_marking(
        qtbot: QtBot, ctx: AppContext, artifacts: Path) -> None:
    from ui.incidents.archive import ArchiveScreen

    title = run_on_worker(qtbot, ctx, _classify_first_example)
    screen = ArchiveScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1300, 800)
    screen.show()
    with qtbot.waitSignal(screen.searched, timeout=TIMEOUT):
        screen.load()
    row = next(r for r in range(screen.table.rowCount())
               if title in screen.table.item(r, 1).text())
    with qtbot.waitSignal(screen.case_shown, timeout=TIMEOUT):
        screen.table.selectRow(row)
    lines = screen.case.toPlainText().splitlines()
    assert [line.strip() for line in lines if line.strip() == "密"] == ["密", "密"]
    assert lines.index("保存年限：永久") < lines.index("危機事件案例檔案") < \
        lines.index("密等及解密條件或保密期限：密（本案結案後解密）")
    assert "檔　　號：" in lines and "速　　別：普通件" in lines
    snap(screen, artifacts / "document_html_header_zh.png")

    apply_language("en")
    ctx.language_changed.emit()
    qtbot.waitUntil(lambda: "Classification and declassification: Restricted (本案結案後解密)"
                    in screen.case.toPlainText(), timeout=TIMEOUT)
    english = screen.case.toPlainText().splitlines()
    assert [line for line in english if line.strip() == "Restricted"] == ["Restricted"] * 2
    assert "Retention: Permanent" in english
    snap(screen, artifacts / "document_html_header_en.png")
    apply_language("zh_TW")
    ctx.language_changed.emit()


def test_an_open_case_shows_no_marking(qtbot: QtBot, ctx: AppContext) -> None:
    from forms.document import FormDocument, OfficialHeader
    from ui.printing.document_html import document_html

    header = OfficialHeader((("File no.: ", ""),), (("Urgency: ", "Ordinary"),))
    html = document_html(FormDocument(office_name="", title="<Case>", blocks=(),
                                      verification=None, header=header))
    assert "<table" not in html and "&lt;Case&gt;" in html
    assert html.index("File no.: ") < html.index("&lt;Case&gt;") < html.index("Urgency: ")
