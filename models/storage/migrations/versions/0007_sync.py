"""sync: changes, field versions, segments, cursors, conflicts (docs/sync.md)

Besides the tables: rows that are "the X of Y" get the ids every PC computes for them (units,
incident fields, the first playbook version), and every row already in the file is recorded as
a change of this PC, so that it is sent on the first sync.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""

import uuid

from alembic import op
import sqlalchemy as sa

import models.storage.db
from models.core.ids import stable_id
from models.schema import RULES
from models.sync.capture import capture_existing


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sync_changes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('device', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=True),
    sa.Column('tbl', sa.String(length=80), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('stamp', sa.Integer(), nullable=False),
    sa.Column('seen', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_changes'))
    )
    with op.batch_alter_table('sync_changes', schema=None) as batch_op:
        batch_op.create_index('ix_sync_changes_device_seq', ['device', 'seq'], unique=False)
        batch_op.create_index('ix_sync_changes_row', ['tbl', 'row_id'], unique=False)

    op.create_table('sync_conflicts',
    sa.Column('tbl', sa.String(length=80), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('field', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('detected_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('tbl', 'row_id', 'field', name=op.f('pk_sync_conflicts'))
    )
    op.create_table('sync_cursors',
    sa.Column('device', sa.String(length=36), nullable=False),
    sa.Column('applied_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('device', name=op.f('pk_sync_cursors'))
    )
    op.create_table('sync_device',
    sa.Column('key', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('clock', sa.Integer(), nullable=False),
    sa.Column('next_seq', sa.Integer(), nullable=False),
    sa.Column('former_ids', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_sync_device'))
    )
    op.create_table('sync_runs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('started_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('folder', sa.Text(), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('report', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_runs'))
    )
    op.create_table('sync_segments',
    sa.Column('device', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('device', 'seq', name=op.f('pk_sync_segments'))
    )
    op.create_table('sync_superseded',
    sa.Column('version_id', sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint('version_id', name=op.f('pk_sync_superseded'))
    )
    op.create_table('sync_versions',
    sa.Column('version_id', sa.String(length=36), nullable=False),
    sa.Column('change_id', sa.Integer(), nullable=False),
    # tbl, row_id, stamp and device repeated the change's until 0011 dropped them. Empty
    # here: the capture below is today's, which writes the versions as 0011 keeps them.
    sa.Column('tbl', sa.String(length=80), nullable=True),
    sa.Column('row_id', sa.String(length=36), nullable=True),
    sa.Column('field', sa.String(length=80), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('bases', sa.Text(), nullable=False),
    sa.Column('stamp', sa.Integer(), nullable=True),
    sa.Column('device', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['change_id'], ['sync_changes.id'], name=op.f('fk_sync_versions_change_id_sync_changes')),
    sa.PrimaryKeyConstraint('version_id', name=op.f('pk_sync_versions'))
    )
    with op.batch_alter_table('sync_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_versions_change_id'), ['change_id'], unique=False)
        batch_op.create_index('ix_sync_versions_field', ['tbl', 'row_id', 'field'], unique=False)

    connection = op.get_bind()
    _stable_ids(connection)
    # The identity as this revision made it (a random id; models.sync.capture.ensure_device
    # gives it a signing key once the schema is current).
    connection.execute(sa.text(
        "INSERT INTO sync_device (key, device_id, clock, next_seq, former_ids) "
        "VALUES (1, :device, 0, 1, '[]')"), {"device": str(uuid.uuid4())})
    capture_existing(connection, RULES)


def _stable_ids(connection: sa.Connection) -> None:
    connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    for id_, office, key in connection.exec_driver_sql(
            "SELECT id, office_code, key FROM units").all():
        connection.exec_driver_sql("UPDATE units SET id = ? WHERE id = ?",
                                   (stable_id("unit", office, key), id_))
    for id_, incident, key in connection.exec_driver_sql(
            "SELECT id, incident_id, key FROM incident_fields").all():
        connection.exec_driver_sql("UPDATE incident_fields SET id = ? WHERE id = ?",
                                   (stable_id("incident_field", incident, key), id_))
    root = connection.exec_driver_sql(
        "SELECT id, content_sha256 FROM playbook_versions WHERE parent_id IS NULL AND number = 1"
    ).all()
    for old, sha in root:
        new = stable_id("playbook", sha)
        connection.exec_driver_sql("UPDATE playbook_versions SET id = ? WHERE id = ?", (new, old))
        for table, column in (("playbook_versions", "parent_id"),
                              ("drills", "playbook_version_id"),
                              ("handovers", "playbook_version_id"),
                              ("incidents", "playbook_version_id")):
            connection.exec_driver_sql(f"UPDATE {table} SET {column} = ? WHERE {column} = ?",
                                       (new, old))



def downgrade() -> None:
    with op.batch_alter_table('sync_versions', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_versions_field')
        batch_op.drop_index(batch_op.f('ix_sync_versions_change_id'))

    op.drop_table('sync_versions')
    op.drop_table('sync_superseded')
    op.drop_table('sync_segments')
    op.drop_table('sync_runs')
    op.drop_table('sync_device')
    op.drop_table('sync_cursors')
    op.drop_table('sync_conflicts')
    with op.batch_alter_table('sync_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_changes_row')
        batch_op.drop_index('ix_sync_changes_device_seq')

    op.drop_table('sync_changes')
