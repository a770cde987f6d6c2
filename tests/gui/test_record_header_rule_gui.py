"""The header's editor names what "by the rule" gives the record now, as it will print: 10
years (the office's default) for a medium case, 永久 once the 密等 chosen is a national secret
(機密 and above) or for a case at the playbook's first level; a drill follows the office's
default too. Through the real window, in both languages."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from models.drills.actions import draw_unit
from models.drills.kinds import taipei_today
from models.org.people import Actor, Role
from models.org.settings import Settings
from models.storage.db import Database, utcnow
from tests.gui.test_record_header_gui import opened_dialog
from tests.helpers import drills_screen_shown, incident_open, run_on_worker, snap, window_at_home
from tests.review_data import incident
from ui.runtime.context import AppContext
from ui.runtime.language import apply_language
from ui.widgets.record_header import RecordHeaderDialog

TIMEOUT = 10000


@pytest.fixture
def settings() -> Settings:
    return Settings(user_name="周執秘", unit_key="secretariat", role=Role.SECRETARY)


def rule_text(dialog: RecordHeaderDialog) -> str:
    return dialog.retention.itemText(dialog.retention.findData(""))


@pytest.mark.parametrize(("level", "given"), [("medium", "依規定（10年）"),
                                              ("high", "依規定（永久）")])
def test_the_incidents_rule_is_named_and_follows_the_classification(
        qtbot: QtBot, ctx: AppContext, artifacts: Path, level: str, given: str) -> None:
    case = run_on_worker(qtbot, ctx, lambda db: incident(
        db, "貨櫃夾藏加熱菸", utcnow() - timedelta(hours=3), level))
    win = window_at_home(qtbot, ctx, (1280, 900))
    screen = incident_open(qtbot, win, case, timeout=TIMEOUT)
    dialog = opened_dialog(qtbot, screen.workspace.record_header)
    assert dialog.retention.currentData() == "" and dialog.retention.currentText() == given
    dialog.classification.setCurrentIndex(dialog.classification.findData("confidential"))
    assert rule_text(dialog) == "依規定（永久）"
    dialog.classification.setCurrentIndex(dialog.classification.findData("restricted"))
    assert rule_text(dialog) == given  # 密 is no national secret
    snap(dialog, artifacts / f"record_header_rule_{level}_zh.png")
    dialog.reject()


def test_the_drills_rule_is_the_offices_default(qtbot: QtBot, ctx: AppContext,
                                                artifacts: Path) -> None:
    def drawn(db: Database) -> None:
        draw_unit(db, Actor("周執秘", Role.SECRETARY), "keelung", taipei_today(), seed=7)

    run_on_worker(qtbot, ctx, drawn)
    screen = drills_screen_shown(qtbot, ctx)
    dialog = opened_dialog(qtbot, screen.record_header)
    assert rule_text(dialog) == "依規定（10年）"
    dialog.classification.setCurrentIndex(dialog.classification.findData("top_secret"))
    assert rule_text(dialog) == "依規定（永久）"
    dialog.reject()
    apply_language("en")
    ctx.language_changed.emit()
    try:
        english = opened_dialog(qtbot, screen.record_header)
        assert rule_text(english) == "By the rule (10 years)"
        snap(english, artifacts / "record_header_rule_drill_en.png")
        english.reject()
    finally:
        apply_language("zh_TW")
        ctx.language_changed.emit()
