"""sync: a field version no longer repeats its change's table, row, stamp and device

Each of a change's versions carried the table, row, stamp and device of the change that holds
it (sync_changes). They are read from the change now: an import writes a third fewer bytes,
and a version can no longer disagree with its change. The index of (table, row, field) gives
way: rows are found through sync_changes' index of (table, row), versions by their change.

A version whose change is missing, or whose own table, row, stamp or device differed from its
change's, can only have been written outside the app (the integrity check named it). The first
kind is dropped here: without its change it belongs to no record. The second takes its
change's. Both are named in the log, and the backup the app makes before an upgrade keeps them
as they were.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

import logging

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

_NAMED = 20
"""The most versions of one kind named in the log, one by one."""


def _name(connection: sa.Connection, query: str, what: str) -> None:
    """Log the versions *query* finds, written outside the app: how many, and the first few
    by id. The backup made before this upgrade holds them as they were."""
    found = [str(row[0]) for row in connection.exec_driver_sql(query)]
    if found:
        log.warning("%d history versions written outside the app %s (the backup made before "
                    "this upgrade holds them as they were): %s%s", len(found), what,
                    ", ".join(found[:_NAMED]), ", …" if len(found) > _NAMED else "")


def upgrade() -> None:
    connection = op.get_bind()
    _name(connection, "SELECT version_id FROM sync_versions v WHERE NOT EXISTS "
          "(SELECT 1 FROM sync_changes c WHERE c.id = v.change_id)",
          "belong to no change: dropped")
    _name(connection, "SELECT v.version_id FROM sync_versions v JOIN sync_changes c "
          "ON c.id = v.change_id WHERE v.tbl IS NOT NULL AND (v.tbl IS NOT c.tbl "
          "OR v.row_id IS NOT c.row_id OR v.stamp IS NOT c.stamp OR v.device IS NOT c.device)",
          "differed from their change: they take their change's table, row, stamp and device")
    op.create_table(
        'sync_versions_slim',
        sa.Column('version_id', sa.String(length=36), nullable=False),
        sa.Column('change_id', sa.Integer(), nullable=False),
        sa.Column('field', sa.String(length=80), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.Column('bases', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['change_id'], ['sync_changes.id'],
                                name='fk_sync_versions_change_id_sync_changes'),
        sa.PrimaryKeyConstraint('version_id', name='pk_sync_versions'),
    )
    connection.exec_driver_sql(
        "INSERT INTO sync_versions_slim (version_id, change_id, field, value, bases) "
        "SELECT version_id, change_id, field, value, bases FROM sync_versions v WHERE EXISTS "
        "(SELECT 1 FROM sync_changes c WHERE c.id = v.change_id) ORDER BY version_id")
    _swap('sync_versions_slim')
    op.create_index('ix_sync_versions_change_id', 'sync_versions', ['change_id'])


def _swap(new: str) -> None:
    """sync_versions replaced by the table *new*, whatever else the file holds. A view or a
    trigger made outside the app that reads sync_versions would stop SQLite's check of the
    schema at the rename (it runs with legacy_alter_table off), and an index made outside the
    app under the name of the table's index would stop its creation: the old app started with
    both, so the upgrade must too. The rename is made the legacy way, which leaves views and
    triggers as their text stands, and the index of that name, no longer the table's, is
    dropped (the integrity check names what remains that is not the app's)."""
    connection = op.get_bind()
    op.drop_table('sync_versions')
    connection.exec_driver_sql("PRAGMA legacy_alter_table = ON")
    try:
        op.rename_table(new, 'sync_versions')
    finally:
        connection.exec_driver_sql("PRAGMA legacy_alter_table = OFF")
    for (name,) in connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name IN "
            "('ix_sync_versions_change_id', 'ix_sync_versions_field')").all():
        log.warning("index %s, made outside the app, dropped for the history's own", name)
        connection.exec_driver_sql(f'DROP INDEX "{name}"')


def downgrade() -> None:
    op.create_table(
        'sync_versions_full',
        sa.Column('version_id', sa.String(length=36), nullable=False),
        sa.Column('change_id', sa.Integer(), nullable=False),
        sa.Column('tbl', sa.String(length=80), nullable=True),
        sa.Column('row_id', sa.String(length=36), nullable=True),
        sa.Column('field', sa.String(length=80), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.Column('bases', sa.Text(), nullable=False),
        sa.Column('stamp', sa.Integer(), nullable=True),
        sa.Column('device', sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(['change_id'], ['sync_changes.id'],
                                name='fk_sync_versions_change_id_sync_changes'),
        sa.PrimaryKeyConstraint('version_id', name='pk_sync_versions'),
    )
    op.get_bind().exec_driver_sql(
        "INSERT INTO sync_versions_full (version_id, change_id, tbl, row_id, field, value, "
        "bases, stamp, device) SELECT v.version_id, v.change_id, c.tbl, c.row_id, v.field, "
        "v.value, v.bases, c.stamp, c.device FROM sync_versions v "
        "JOIN sync_changes c ON c.id = v.change_id")
    _swap('sync_versions_full')
    op.create_index('ix_sync_versions_change_id', 'sync_versions', ['change_id'])
    op.create_index('ix_sync_versions_field', 'sync_versions', ['tbl', 'row_id', 'field'])
