"""Settings ▸ Team PCs, driven through its widgets: on the authority's PC a PC asking to join is
listed with its code, approved in the dialog, and then enrolled on its own PC; the role of an
enrolled PC is the office's grant, shown and not editable, whatever settings.json says."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from i18n import _
from models.org.people import Role
from models.schema import RULES
from models.startup import open_data_dir
from models.storage.db import Database
from models.sync.enrolment import load_me
from models.sync.run import sync_once
from models.trust_admin import create_authority
from tests.gui.test_settings import job, on_worker
from ui.runtime.context import AppContext
from ui.settings.screen import SettingsScreen


@pytest.fixture
def office(qtbot, ctx: AppContext, tmp_path: Path):  # type: ignore[no-untyped-def]
    """This window's PC holds the office authority (the executive secretary's); another PC
    asked to join through the share. Yields the other PC's database."""
    share = tmp_path / "share"
    share.mkdir()
    ctx.update_settings(ctx.settings.with_(user_name="王主秘", role=Role.SECRETARY,
                                           share_folder=str(share)))
    key_file = tmp_path / "authority.pem"
    on_worker(qtbot, ctx, lambda db: create_authority(db, key_file, b"passphrase",
                                                      person="王主秘", role=Role.SECRETARY))
    on_worker(qtbot, ctx, lambda db: sync_once(db, share, RULES))
    other = open_data_dir(tmp_path / "B", "keelung")
    sync_once(other, share, RULES, person="林組長", unit="稽查組", role=Role.UNIT_HEAD)
    on_worker(qtbot, ctx, lambda db: sync_once(db, share, RULES))  # the window's next sync
    yield other
    other.close()


def code_of_pc(db: Database) -> str:
    with db.session() as session:
        return load_me(session.connection()).code


@pytest.fixture
def screen(qtbot, ctx: AppContext, office: Database) -> SettingsScreen:  # type: ignore[no-untyped-def]
    with job(qtbot, ctx, "list_units"):
        shown = SettingsScreen(ctx)
    qtbot.addWidget(shown)
    shown.resize(1100, 760)
    shown.show()
    with job(qtbot, ctx, "standing"):
        shown.team_box.reload()
    return shown


def test_an_approver_approves_a_waiting_pc_by_its_code(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, office: Database, screen: SettingsScreen, artifacts: Path,
        tmp_path: Path) -> None:
    team = screen.team_box
    code = code_of_pc(office)
    rows = {team.table.item(r, 0).text(): r for r in range(team.table.rowCount())}
    assert code in rows
    assert team.table.item(rows[code], 1).text() == "稽查組 林組長"
    assert team.table.item(rows[code], 5).text() == _("waiting for approval")
    assert team.approve_button.isVisible()

    team.table.selectRow(rows[code])
    with job(qtbot, ctx, "team_posts"):  # the crisis team's groups, to tick the posts
        qtbot.mouseClick(team.approve_button, Qt.MouseButton.LeftButton)
    dialog = team.dialog
    assert dialog is not None and dialog.person.text() == "林組長"
    assert dialog.code.text() == code
    assert dialog.role.currentData() == Role.UNIT_HEAD.value  # as its settings claim
    assert dialog.posts.count() == 6
    legal = next(dialog.posts.item(row) for row in range(dialog.posts.count())
                 if dialog.posts.item(row).text() == "法務組")
    legal.setCheckState(Qt.CheckState.Checked)
    screen.grab().save(str(artifacts / "team_pcs_zh_TW.png"))
    dialog.grab().save(str(artifacts / "team_approve_dialog.png"))
    with job(qtbot, ctx, "standing"), qtbot.waitSignal(ctx.sync_requested, timeout=10000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    assert not dialog.isVisible()
    statuses = {team.table.item(r, 0).text(): team.table.item(r, 5).text()
                for r in range(team.table.rowCount())}
    assert statuses[code] == _("enrolled")
    share = Path(ctx.settings.share_folder)
    on_worker(qtbot, ctx, lambda db: sync_once(db, share, RULES))  # the sync it asked for
    sync_once(office, share, RULES)
    with office.session() as session:
        grant = load_me(session.connection()).grant
    assert grant is not None and (grant.person, grant.role, grant.posts) == (
        "林組長", Role.UNIT_HEAD, ("legal",))


def test_the_granted_role_is_shown_and_settings_cannot_change_it(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, screen: SettingsScreen) -> None:
    profile = screen.profile
    assert not profile.role.isEnabled() and profile.name.isReadOnly()
    assert profile.role.currentData() == Role.SECRETARY.value

    ctx.update_settings(ctx.settings.with_(user_name="張副關務長", role=Role.COMMANDER))

    assert (ctx.actor.name, ctx.actor.role) == ("王主秘", Role.SECRETARY)
    assert profile.role.currentData() == Role.SECRETARY.value
    assert ctx.standing is not None and ctx.standing.code in screen.team_box.standing.text()
