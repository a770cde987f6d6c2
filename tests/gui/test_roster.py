"""The roster editor (名冊) driven through its widgets against a real database on the worker:
filling holders and deputies, the handover note, the reason rule, field checks, read-only use
and the screenshots in both languages."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
)

from i18n import _
from models.core.changes import Change, OpChanges
from models.playbook.model import Member, Playbook, roster_gaps
from models.playbook.store import (
    HandoverInfo,
    VersionInfo,
    current_playbook,
    list_handovers,
    list_versions,
)
from tests.helpers import run_on_worker
from ui.playbook.roster import MEMBER_ROLE, RosterDialog
from ui.runtime.context import AppContext

T = TypeVar("T")
COMMANDER = "ef55d5ad-43b1-4fbd-9eac-d1fa5ee9a3fa"  # 總指揮兼發言人: 副關務長
OPS1_HEAD = "5122f21c-67b6-46d7-a7fa-70f956040672"  # 處理組: 業務一組組長


def open_dialog(qtbot: Any, ctx: AppContext) -> tuple[RosterDialog, VersionInfo, Playbook]:
    version, playbook = run_on_worker(qtbot, ctx, current_playbook)
    dialog = RosterDialog(ctx, version, playbook)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog, version, playbook


def line(dialog: RosterDialog, name: str) -> QLineEdit:
    widget = dialog.findChild(QLineEdit, name)
    assert widget is not None, name
    return widget


def label(dialog: RosterDialog, name: str) -> QLabel:
    widget = dialog.findChild(QLabel, name)
    assert widget is not None, name
    return widget


def button(dialog: RosterDialog, name: str) -> QPushButton:
    widget = dialog.findChild(QPushButton, name)
    assert widget is not None, name
    return widget


def roster_list(dialog: RosterDialog) -> QTreeWidget:
    widget = dialog.findChild(QTreeWidget, "roster_list")
    assert widget is not None
    return widget


def row_of(dialog: RosterDialog, member_id: str) -> Any:
    tree = roster_list(dialog)
    for g in range(tree.topLevelItemCount()):
        header = tree.topLevelItem(g)
        for c in range(header.childCount()):
            if header.child(c).data(0, MEMBER_ROLE) == member_id:
                return header.child(c)
    raise AssertionError(f"no row for {member_id}")


def choose(qtbot: Any, dialog: RosterDialog, member_id: str) -> None:
    """Click the member's row in the list, as a user would."""
    tree = roster_list(dialog)
    item = row_of(dialog, member_id)
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tree.currentItem() is item


def fill(dialog: RosterDialog, role: str, **values: str) -> None:
    for name, value in values.items():
        line(dialog, f"{role}_{name}").setText(value)


def save(qtbot: Any, ctx: AppContext, dialog: RosterDialog, reason: str) -> None:
    line(dialog, "reason").setText(reason)
    with qtbot.waitSignal(ctx.worker.finished, timeout=10000,
                          check_params_cb=lambda name: name == "save_roster"):
        qtbot.mouseClick(button(dialog, "save"), Qt.MouseButton.LeftButton)


def member(playbook: Playbook, member_id: str) -> Member:
    return next(m for m in playbook.team.members if m.id == member_id)


def fill_commander_and_ops1(qtbot: Any, dialog: RosterDialog) -> None:
    choose(qtbot, dialog, COMMANDER)
    fill(dialog, "holder", name="王大明", office_phone="02-2420-2951", extension="101",
         mobile="0912-345-678", email="wang@customs.gov.tw")
    fill(dialog, "deputy", name="李小華", title="主任秘書", unit="秘書室",
         office_phone="(02) 2420 2952 ext. 102", email="lee@customs.gov.tw")
    choose(qtbot, dialog, OPS1_HEAD)
    fill(dialog, "holder", name="陳志明", extension="301")
    fill(dialog, "deputy", name="張美玲", title="副組長", unit="業務一組", mobile="+886 933 111 222")


def test_fill_holders_and_deputies_saves_version_2(qtbot: Any, ctx: AppContext) -> None:
    dialog, version, before = open_dialog(qtbot, ctx)
    assert version.number == 1
    fill_commander_and_ops1(qtbot, dialog)

    # Unsaved edits survive moving between posts.
    choose(qtbot, dialog, COMMANDER)
    assert line(dialog, "holder_name").text() == "王大明"
    assert line(dialog, "deputy_office_phone").text() == "(02) 2420 2952 ext. 102"
    assert "王大明" in row_of(dialog, COMMANDER).text(0)
    # A named holder without a deputy is flagged in the list.
    line(dialog, "deputy_name").setText("")
    assert row_of(dialog, COMMANDER).text(0).endswith(_("{post} (no deputy)").format(post=""))
    line(dialog, "deputy_name").setText("李小華")
    assert not row_of(dialog, COMMANDER).text(0).endswith(_("{post} (no deputy)").format(post=""))
    # The filter finds a post by a person's name.
    line(dialog, "roster_filter").setText("陳志明")
    assert not row_of(dialog, OPS1_HEAD).isHidden()
    assert row_of(dialog, COMMANDER).isHidden()
    line(dialog, "roster_filter").setText("")

    with qtbot.waitSignal(ctx.data_changed, timeout=10000) as changed:
        save(qtbot, ctx, dialog, "115年3月人事異動")
    assert changed.args == [OpChanges.of([Change.PLAYBOOK])]
    assert dialog.result() == RosterDialog.DialogCode.Accepted
    assert dialog.saved_version is not None and dialog.saved_version.number == 2

    saved_version, after = run_on_worker(qtbot, ctx, current_playbook)
    assert saved_version.number == 2
    assert saved_version.reason == "115年3月人事異動"
    commander = member(after, COMMANDER)
    assert commander.holder.name == "王大明"
    assert commander.holder.title == "副關務長"  # untouched fields keep their value
    assert commander.holder.mobile == "0912-345-678"
    assert commander.holder.email == "wang@customs.gov.tw"
    assert commander.deputy.name == "李小華"
    assert commander.deputy.unit == "秘書室"
    ops1 = member(after, OPS1_HEAD)
    assert (ops1.holder.name, ops1.holder.extension) == ("陳志明", "301")
    assert (ops1.deputy.name, ops1.deputy.mobile) == ("張美玲", "+886 933 111 222")
    gaps_before = {m.id for m in roster_gaps(before)}
    gaps_after = {m.id for m in roster_gaps(after)}
    assert gaps_after == gaps_before - {COMMANDER, OPS1_HEAD}


def test_changing_a_named_holder_asks_for_a_handover_note(qtbot: Any, ctx: AppContext) -> None:
    first, _version, _pb = open_dialog(qtbot, ctx)
    fill_commander_and_ops1(qtbot, first)
    save(qtbot, ctx, first, "115年3月人事異動")

    dialog, version, _playbook = open_dialog(qtbot, ctx)
    assert version.number == 2
    note = dialog.findChild(QPlainTextEdit, "handover_note")
    assert note is not None
    choose(qtbot, dialog, COMMANDER)
    assert not note.isVisible()
    line(dialog, "holder_name").setText("趙文華")
    assert note.isVisible()
    assert "王大明" in label(dialog, "handover_what").text()
    assert "趙文華" in label(dialog, "handover_what").text()
    note.setPlainText("交接印信與緊急聯絡簿")
    # Naming someone in an empty post is no handover.
    choose(qtbot, dialog, "2096d85c-ce08-4dfc-bb01-1905c72c3688")  # 執行秘書
    line(dialog, "holder_name").setText("周主秘")
    assert not note.isVisible()
    line(dialog, "deputy_name").setText("吳專委")
    # Back on the commander, the note typed earlier is still there.
    choose(qtbot, dialog, COMMANDER)
    assert note.isVisible() and note.toPlainText() == "交接印信與緊急聯絡簿"
    save(qtbot, ctx, dialog, "副關務長異動")
    assert dialog.result() == RosterDialog.DialogCode.Accepted

    handovers: list[HandoverInfo] = run_on_worker(qtbot, ctx, list_handovers)
    assert len(handovers) == 1
    handover = handovers[0]
    assert (handover.role, handover.from_name, handover.to_name) == ("holder", "王大明", "趙文華")
    assert handover.note == "交接印信與緊急聯絡簿"
    assert handover.version_number == 3
    assert handover.post == "副關務長"


def test_save_without_reason_is_refused_at_the_field(qtbot: Any, ctx: AppContext) -> None:
    dialog, _version, _playbook = open_dialog(qtbot, ctx)
    choose(qtbot, dialog, COMMANDER)
    fill(dialog, "holder", name="王大明")
    error = label(dialog, "error")
    assert error.isHidden()
    save(qtbot, ctx, dialog, "   ")
    assert error.isVisible()
    assert error.text() == _("Say why you are changing the playbook.")
    assert dialog.focusWidget() is line(dialog, "reason")
    assert dialog.isVisible()
    assert len(run_on_worker(qtbot, ctx, list_versions)) == 1
    # The edit is still there to save once a reason is given.
    assert line(dialog, "holder_name").text() == "王大明"
    save(qtbot, ctx, dialog, "補登總指揮")
    assert len(run_on_worker(qtbot, ctx, list_versions)) == 2


def test_invalid_email_and_phone_are_reported_at_the_field(
    qtbot: Any, ctx: AppContext, artifacts: Path
) -> None:
    dialog, _version, _playbook = open_dialog(qtbot, ctx)
    choose(qtbot, dialog, OPS1_HEAD)
    fill(dialog, "holder", name="陳志明")
    fill(dialog, "deputy", name="張美玲", email="zhang at customs")
    # Move away: the bad value is kept in memory, and Save brings the user back to it.
    choose(qtbot, dialog, COMMANDER)
    line(dialog, "reason").setText("更新業務一組")
    qtbot.mouseClick(button(dialog, "save"), Qt.MouseButton.LeftButton)
    assert roster_list(dialog).currentItem() is row_of(dialog, OPS1_HEAD)
    deputy_error = label(dialog, "deputy_error")
    assert deputy_error.isVisible()
    assert _("This does not look like an e-mail address (name@example.gov.tw).") in deputy_error.text()
    assert dialog.focusWidget() is line(dialog, "deputy_email")
    assert label(dialog, "holder_error").isHidden()
    assert dialog.isVisible()
    dialog.grab().save(str(artifacts / "roster_field_error.png"))

    # Fixing it clears the message as it is typed; a bad phone is caught the same way.
    line(dialog, "deputy_email").setText("zhang@customs.gov.tw")
    assert deputy_error.isHidden()
    line(dialog, "holder_mobile").setText("0912-abc")
    qtbot.mouseClick(button(dialog, "save"), Qt.MouseButton.LeftButton)
    holder_error = label(dialog, "holder_error")
    assert holder_error.isVisible()
    assert _('Use only digits, spaces and + - ( ) # or "ext" in a phone number.') \
        in holder_error.text()
    assert dialog.focusWidget() is line(dialog, "holder_mobile")
    assert len(run_on_worker(qtbot, ctx, list_versions)) == 1


def test_add_and_remove_posts(qtbot: Any, ctx: AppContext) -> None:
    dialog, _version, before = open_dialog(qtbot, ctx)
    planning = next(m for m in before.team.members if m.group == "planning")
    choose(qtbot, dialog, planning.id)
    qtbot.mouseClick(button(dialog, "add_member"), Qt.MouseButton.LeftButton)
    combo = dialog.findChild(QComboBox, "member_group")
    assert combo is not None and combo.currentData() == "planning"
    # A new post needs its Chinese name before it can be saved.
    line(dialog, "reason").setText("新增策劃組承辦人")
    qtbot.mouseClick(button(dialog, "save"), Qt.MouseButton.LeftButton)
    assert label(dialog, "error").text() == _("Enter the post's name in Chinese.")
    assert dialog.focusWidget() is line(dialog, "post_zh_TW")
    line(dialog, "post_zh_TW").setText("秘書室企考股承辦人")
    line(dialog, "post_en").setText("Officer, Planning and Evaluation Section")
    fill(dialog, "holder", name="林企劃")
    fill(dialog, "deputy", name="黃專員")
    # Remove another post: the liaison group's only one.
    liaison = next(m for m in before.team.members if m.group == "liaison")
    choose(qtbot, dialog, liaison.id)
    qtbot.mouseClick(button(dialog, "remove_member"), Qt.MouseButton.LeftButton)
    assert all(
        roster_list(dialog).topLevelItem(g).child(c).data(0, MEMBER_ROLE) != liaison.id
        for g in range(roster_list(dialog).topLevelItemCount())
        for c in range(roster_list(dialog).topLevelItem(g).childCount())
    )
    save(qtbot, ctx, dialog, "新增策劃組承辦人")
    assert dialog.result() == RosterDialog.DialogCode.Accepted

    _info, after = run_on_worker(qtbot, ctx, current_playbook)
    ids_before = {m.id for m in before.team.members}
    added = [m for m in after.team.members if m.id not in ids_before]
    assert len(added) == 1
    assert added[0].group == "planning"
    assert added[0].post == {"zh_TW": "秘書室企考股承辦人",
                             "en": "Officer, Planning and Evaluation Section"}
    assert (added[0].holder.name, added[0].deputy.name) == ("林企劃", "黃專員")
    assert len(added[0].id) == 36
    assert liaison.id not in {m.id for m in after.team.members}


def test_cancel_with_unsaved_edits_asks_first(
    qtbot: Any, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog, _version, _playbook = open_dialog(qtbot, ctx)
    choose(qtbot, dialog, COMMANDER)
    fill(dialog, "holder", name="王大明")
    asked: list[str] = []

    def keep_editing(_parent: object, title: str, *_args: object) -> object:
        asked.append(title)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", keep_editing)
    qtbot.mouseClick(button(dialog, "cancel"), Qt.MouseButton.LeftButton)
    assert asked == [_("Discard changes?")]
    assert dialog.isVisible()
    assert line(dialog, "holder_name").text() == "王大明"


def test_read_only_for_a_unit_head(qtbot: Any, ctx: AppContext) -> None:
    from models.org.people import Role

    ctx.update_settings(ctx.settings.with_(role=Role.UNIT_HEAD))
    dialog, _version, _playbook = open_dialog(qtbot, ctx)
    assert button(dialog, "save").isHidden()
    assert button(dialog, "add_member").isHidden()
    assert line(dialog, "reason").isHidden()
    assert line(dialog, "holder_name").isReadOnly()
    assert button(dialog, "cancel").text() == _("Close")


def test_screenshots_in_both_languages(qtbot: Any, ctx: AppContext, artifacts: Path) -> None:
    first, _version, _pb = open_dialog(qtbot, ctx)
    fill_commander_and_ops1(qtbot, first)
    save(qtbot, ctx, first, "115年3月人事異動")

    dialog, _version, _playbook = open_dialog(qtbot, ctx)
    # A second 處理組 head named without a deputy shows the flag in the list.
    choose(qtbot, dialog, "381c9053-8982-4196-bac8-9c0ce6e797f6")  # 業務二組組長
    fill(dialog, "holder", name="劉建國")
    choose(qtbot, dialog, COMMANDER)
    line(dialog, "holder_name").setText("趙文華")
    note = dialog.findChild(QPlainTextEdit, "handover_note")
    assert note is not None
    note.setPlainText("交接印信與緊急聯絡簿；代理人不變。")
    line(dialog, "reason").setText("副關務長異動")
    dialog.grab().save(str(artifacts / "roster_zh_TW.png"))
    assert "總指揮兼發言人" in roster_list(dialog).topLevelItem(0).text(0)

    ctx.update_settings(ctx.settings.with_(language="en"))
    assert roster_list(dialog).topLevelItem(0).text(0) == "Commander and Spokesperson"
    assert line(dialog, "holder_name").text() == "趙文華"  # a language switch keeps edits
    assert "(no deputy)" in row_of(dialog, "381c9053-8982-4196-bac8-9c0ce6e797f6").text(0)
    dialog.grab().save(str(artifacts / "roster_en.png"))


def test_unit_field_suggests_the_units_the_database_holds(qtbot: Any, ctx: AppContext) -> None:
    from models.org.units import save_unit

    run_on_worker(qtbot, ctx, lambda db: save_unit(
        db, ctx.actor, "keelung", unit_id=None, name_zh="防疫應變小組", name_en="", kind="office"))
    version, playbook = run_on_worker(qtbot, ctx, current_playbook)
    with qtbot.waitSignal(ctx.worker.finished, timeout=10000,
                          check_params_cb=lambda name: name == "roster_unit_names"):
        dialog = RosterDialog(ctx, version, playbook)
        qtbot.addWidget(dialog)
    suggestions = line(dialog, "holder_unit").completer().model().stringList()
    assert "防疫應變小組" in suggestions and "業務一組" in suggestions
