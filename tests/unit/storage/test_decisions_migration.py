"""The real 0011 -> 0016 step: stage 3's actions of an older file become tasks of the board
with every value they had, and no owner, due time or decision (nothing is made up for them)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from models.incidents.decisions import decision_log
from models.incidents.queries import incident_view
from models.startup import open_data_dir
from models.storage.db import make_engine, utcnow
from models.storage.migrate import alembic_config
from models.storage.names import DATABASE_FILE


def test_actions_of_an_older_file_are_tasks_with_their_values(data_dir: Path) -> None:
    engine = make_engine(data_dir / DATABASE_FILE)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0011")
        connection.execute(text(
            "INSERT INTO incidents (id, created_at, updated_at, updated_by, row_version, "
            "office_code, title, summary, started_at, location, reporting_unit, source, "
            "category_key, subtype_key, scope, level_key, current_stage, status, is_example) "
            "VALUES ('i1', '2026-03-02 01:00:00', '2026-03-02 01:00:00', 'x', 1, 'keelung', "
            "'加熱菸走私案', '查獲', '2026-03-02 00:30:00', '基隆港', '', 'internal', "
            "'clearance', '', '本關', 'medium', 3, 'open', 0)"))
        connection.execute(text(
            "INSERT INTO incident_actions (id, created_at, updated_at, updated_by, row_version, "
            "incident_id, description, group_key, resources, status) VALUES ('a1', "
            "'2026-03-02 02:00:00', '2026-03-02 03:00:00', '林組長', 2, 'i1', "
            "'清查同一進口商貨櫃', 'handling', 'X光儀', 'in_progress')"))
    engine.dispose()

    database = open_data_dir(data_dir, "keelung")
    try:
        seen = incident_view(database, "i1", utcnow(), 10)
        [task] = seen.actions
        assert (task.id, task.description, task.group_key, task.resources, task.status,
                task.updated_by) == ("a1", "清查同一進口商貨櫃", "handling", "X光儀",
                                     "in_progress", "林組長")
        assert (task.owner, task.due_at, task.decision_id) == ("", None, None)
        assert not task.overdue(utcnow())
        assert seen.decisions == () and decision_log(seen) == []
    finally:
        database.close()
