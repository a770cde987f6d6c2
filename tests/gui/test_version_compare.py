"""Comparing two playbook versions: the table lists each difference where a reader finds it,
with the text before and after."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QTableView

from i18n import _
from models.playbook.model import parse_playbook, playbook_to_dict
from models.playbook.store import current_playbook, list_versions, save_playbook
from tests.helpers import run_on_worker, snap
from ui.playbook.version_compare import ChangesModel, VersionCompareDialog

NEW_DUTY = "彙整演練檢討報告並追蹤改善。"
NEW_TASK = "各單位主管第一時間了解突發事件，立即回報執行秘書。"


def compared(name: str) -> bool:
    return name == "compare_versions"


@pytest.fixture
def two_versions(qtbot: Any, ctx: Any) -> tuple[Any, str]:
    """Version 2 adds a duty to 策劃組 and rewords the first task of stage 1; returns the
    versions (newest first) and the old task text."""
    v1, playbook = run_on_worker(qtbot, ctx, current_playbook)
    data = playbook_to_dict(playbook)
    planning = next(g for g in data["team"]["groups"] if g["key"] == "planning")
    planning["duties"].append({"zh_TW": NEW_DUTY, "en": ""})
    task = data["stages"][0]["tasks"][0]
    old_task = task["text"]["zh_TW"]
    task["text"]["zh_TW"] = NEW_TASK
    edited = parse_playbook(data)
    actor = ctx.actor
    run_on_worker(qtbot, ctx, lambda db: save_playbook(db, actor, edited, "Drill review 2026",
                                                base_version_id=v1.id))
    return run_on_worker(qtbot, ctx, list_versions), old_task


def open_compare(qtbot: Any, ctx: Any, versions: Any, old_id: str, new_id: str) -> Any:
    with qtbot.waitSignal(ctx.worker.finished, timeout=10000, check_params_cb=compared):
        dialog = VersionCompareDialog(ctx, versions, old_id, new_id)
        qtbot.addWidget(dialog)
        dialog.show()
    return dialog


def rows(model: Any) -> list[list[str]]:
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def test_lists_exactly_the_two_changes(
    qtbot: Any, ctx: Any, two_versions: tuple[Any, str], qtmodeltester: Any
) -> None:
    versions, old_task = two_versions
    v2, v1 = versions
    dialog = open_compare(qtbot, ctx, versions, v1.id, v2.id)

    table = dialog.findChild(QTableView, "compare_table")
    model = table.model()
    assert isinstance(model, ChangesModel)
    sep = " › "
    short_duty = NEW_DUTY if len(NEW_DUTY) <= 40 else NEW_DUTY[:39] + "…"
    assert rows(model) == [
        [sep.join([_("Team"), _("Groups"), "策劃組", _("Duties"), f"2. {short_duty}"]),
         _("added"), "", NEW_DUTY],
        [sep.join([_("Response stages"), "危機掌握與辨識", _("Tasks"), old_task, _("Text"),
                   _("Chinese")]),
         _("changed"), old_task, NEW_TASK],
    ]
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        _("Where"), _("Change"), _("Before"), _("After")]
    assert dialog.findChild(QLabel, "compare_summary").text() != _("No differences")
    qtmodeltester.check(model)


def test_combos_name_the_versions_and_same_version_has_no_differences(
    qtbot: Any, ctx: Any, two_versions: tuple[Any, str]
) -> None:
    versions, _old = two_versions
    v2, v1 = versions
    dialog = open_compare(qtbot, ctx, versions, v1.id, v2.id)
    source = dialog.findChild(QComboBox, "compare_from")
    target = dialog.findChild(QComboBox, "compare_to")
    assert source.currentData() == v1.id and target.currentData() == v2.id
    assert target.currentText().startswith("v2 · ")
    assert target.currentText().endswith(f" · {ctx.actor.name} · Drill review 2026")
    assert "民國" not in target.currentText()  # the short ROC date: 115/11/24 14:05

    with qtbot.waitSignal(ctx.worker.finished, timeout=10000, check_params_cb=compared):
        target.setCurrentIndex(target.findData(v1.id))
    assert dialog.model.rowCount() == 0
    assert dialog.findChild(QLabel, "compare_summary").text() == _("No differences")


def test_language_switch_relabels_without_reloading(
    qtbot: Any, ctx: Any, two_versions: tuple[Any, str]
) -> None:
    versions, _old = two_versions
    v2, v1 = versions
    dialog = open_compare(qtbot, ctx, versions, v1.id, v2.id)
    ctx.update_settings(ctx.settings.with_(language="en"))
    where = dialog.model.index(0, 0).data()
    assert where.startswith("Team › Groups › Planning Group › Duties › 2. ")
    assert dialog.model.index(1, 0).data().startswith(
        "Response stages › Grasping and Identifying the Crisis › Tasks › ")
    assert dialog.model.index(0, 1).data() == "added"


def test_screenshots(
    qtbot: Any, ctx: Any, two_versions: tuple[Any, str], artifacts: Path
) -> None:
    versions, _old = two_versions
    v2, v1 = versions
    dialog = open_compare(qtbot, ctx, versions, v1.id, v2.id)
    snap(dialog, artifacts / "compare_zh_TW.png")
    ctx.update_settings(ctx.settings.with_(language="en"))
    snap(dialog, artifacts / "compare_en.png")
    with qtbot.waitSignal(ctx.worker.finished, timeout=10000, check_params_cb=compared):
        dialog.to_combo.setCurrentIndex(dialog.to_combo.findData(v1.id))
    snap(dialog, artifacts / "compare_en_none.png")
