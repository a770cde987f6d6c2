"""Help > About as a user opens it: the version, every bundled part with its licence, the
font's attribution and the full licence texts, in both languages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTableWidget

from appinfo.meta import VERSION
from appinfo.third_party import COMPONENTS
from tests.helpers import snap
from ui.about import AboutDialog
from ui.main_window import MainWindow
from ui.runtime.context import AppContext

EXPECTED_LICENCES = {
    "Qt 6 / Qt for Python (PySide6)": "LGPL-3.0",
    "全字庫正楷體 TW-Kai": "OGDL-Taiwan-1.0",
    "SQLAlchemy": "MIT",
    "Alembic": "MIT",
    "ReportLab": "BSD",
    "Babel": "BSD",
    "platformdirs": "MIT",
    "pypdfium2 / PDFium": "Apache-2.0",
}


@pytest.fixture
def about(qtbot, ctx: AppContext) -> Iterator[AboutDialog]:  # type: ignore[no-untyped-def]
    """The dialog opened from the Help menu of the real window."""
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.act_about.trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    yield dialog
    dialog.close()


def table_rows(dialog: AboutDialog) -> dict[str, list[str]]:
    table = dialog.findChild(QTableWidget, "about_components")
    assert table is not None
    return {table.item(r, 0).text(): [table.item(r, c).text() for c in range(1, 4)]
            for r in range(table.rowCount())}


def test_about_shows_the_version_and_every_licence(about: AboutDialog) -> None:
    heading = about.findChild(QLabel, "about_heading")
    assert heading is not None and f"CrisisDesk {VERSION}" in heading.text()
    assert about.windowTitle() == "關於CrisisDesk"
    rows = table_rows(about)
    assert len(rows) == len(COMPONENTS)
    for name, licence in EXPECTED_LICENCES.items():
        assert licence in rows[name][1], name
    assert rows["SQLAlchemy"][0]  # the installed version is shown
    assert all(purpose for _version, _licence, purpose in rows.values())


def test_choosing_a_part_shows_its_full_licence_text(about: AboutDialog) -> None:
    text = about.findChild(QPlainTextEdit, "about_licence_text")
    note = about.findChild(QLabel, "about_note")
    assert text is not None and note is not None and text.isReadOnly()
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text.toPlainText()  # Qt, the first row
    table = about.findChild(QTableWidget, "about_components")
    assert table is not None
    font_row = next(i for i, c in enumerate(COMPONENTS) if "TW-Kai" in c.name)
    table.selectRow(font_row)
    assert "國家發展委員會 2018 全字庫正楷體 (TW-Kai) 第103.1版" in note.text()
    assert "政府資料開放授權條款" in text.toPlainText()
    table.selectRow(next(i for i, c in enumerate(COMPONENTS) if c.name == "SQLAlchemy"))
    assert "Permission is hereby granted, free of charge" in text.toPlainText()


@pytest.mark.parametrize("language", ["zh_TW", "en"])
def test_screenshot_in_both_languages(qtbot, ctx: AppContext, artifacts: Path,  # type: ignore[no-untyped-def]
                                      language: str) -> None:
    from ui.runtime.language import apply_language

    apply_language(language)
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.findChild(QTableWidget, "about_components")
    assert table is not None
    table.selectRow(next(i for i, c in enumerate(COMPONENTS) if "TW-Kai" in c.name))
    snap(dialog, artifacts / f"about-{language}.png")
    assert ("關於" in dialog.windowTitle()) == (language == "zh_TW")
