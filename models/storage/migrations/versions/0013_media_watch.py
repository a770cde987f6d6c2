"""incidents: the media watch (輿情監看)

Items seen in the media about an incident: outlet, media type, when seen, headline, link or
clipping, tone, reach, whether a clarification is needed and the statement that answers it.
A new table; nothing existing changes. A statement's releases keep their channel column: the
channel is now a key chosen from a list, and the free texts written before stay as they are
(shown as typed).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from alembic import op
import sqlalchemy as sa

import models.storage.db


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'media_items',
        sa.Column('incident_id', sa.String(length=36), nullable=False),
        sa.Column('outlet', sa.String(length=200), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('seen_at', models.storage.db.UTCDateTime(), nullable=False),
        sa.Column('headline', sa.String(length=200), nullable=False),
        sa.Column('link', sa.String(length=2000), nullable=False),
        sa.Column('clipping', sa.Text(), nullable=False),
        sa.Column('tone', sa.String(length=20), nullable=False),
        sa.Column('reach', sa.String(length=20), nullable=False),
        sa.Column('reach_note', sa.String(length=200), nullable=False),
        sa.Column('needs_clarification', sa.Boolean(), nullable=False),
        sa.Column('statement_id', sa.String(length=36), nullable=True),
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('created_at', models.storage.db.UTCDateTime(), nullable=False),
        sa.Column('updated_at', models.storage.db.UTCDateTime(), nullable=False),
        sa.Column('updated_by', sa.String(length=200), nullable=False),
        sa.Column('row_version', sa.Integer(), nullable=False),
        sa.Column('deleted_at', models.storage.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'],
                                name=op.f('fk_media_items_incident_id_incidents')),
        sa.ForeignKeyConstraint(['statement_id'], ['statements.id'],
                                name=op.f('fk_media_items_statement_id_statements')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_media_items')),
    )
    with op.batch_alter_table('media_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_media_items_incident_id'), ['incident_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('media_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_items_incident_id'))
    op.drop_table('media_items')
