"""initial schema: playbook versions, units, handovers

Revision ID: 0001
Revises: 
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa

import models.storage.db

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('playbook_versions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_role', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('format_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['playbook_versions.id'], name=op.f('fk_playbook_versions_parent_id_playbook_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_playbook_versions'))
    )
    with op.batch_alter_table('playbook_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_playbook_versions_number'), ['number'], unique=False)

    op.create_table('units',
    sa.Column('office_code', sa.String(length=40), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', models.storage.db.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units')),
    sa.UniqueConstraint('office_code', 'key', name=op.f('uq_units_office_code'))
    )
    op.create_table('handovers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('playbook_version_id', sa.String(length=36), nullable=False),
    sa.Column('member_id', sa.String(length=36), nullable=False),
    sa.Column('post', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('from_name', sa.String(length=200), nullable=False),
    sa.Column('to_name', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['playbook_version_id'], ['playbook_versions.id'], name=op.f('fk_handovers_playbook_version_id_playbook_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handovers'))
    )
    with op.batch_alter_table('handovers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handovers_member_id'), ['member_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('handovers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handovers_member_id'))

    op.drop_table('handovers')
    op.drop_table('units')
    with op.batch_alter_table('playbook_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_playbook_versions_number'))

    op.drop_table('playbook_versions')
