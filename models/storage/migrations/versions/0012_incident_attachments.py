"""incident attachments: photos, letters, clippings, recordings and documents kept with an
incident or one of its records, stored by content beside the database

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from alembic import op
import sqlalchemy as sa

import models.storage.db

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'incident_attachments',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('incident_id', sa.String(length=36), nullable=False),
        sa.Column('record_kind', sa.String(length=30), nullable=False),
        sa.Column('record_id', sa.String(length=36), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('caption', sa.Text(), nullable=False),
        sa.Column('attached_at', models.storage.db.UTCDateTime(), nullable=False),
        sa.Column('attached_by', sa.String(length=200), nullable=False),
        sa.Column('role', sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'],
                                name=op.f('fk_incident_attachments_incident_id_incidents')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_attachments')),
    )
    with op.batch_alter_table('incident_attachments', schema=None) as batch_op:
        batch_op.create_index('ix_incident_attachments_record', ['record_kind', 'record_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_incident_attachments_incident_id'),
                              ['incident_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('incident_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_attachments_incident_id'))
        batch_op.drop_index('ix_incident_attachments_record')
    op.drop_table('incident_attachments')
