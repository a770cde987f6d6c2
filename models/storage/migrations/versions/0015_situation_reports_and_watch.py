"""incidents: situation reports (處理情形) and the watch list's reviews (持續觀察)

Two insert-only tables of an incident: the reports filed for the commander, each a snapshot
of the incident as its author saw it, numbered per incident; and the reviews of a low-level
incident kept under watch, each with the date of the next. New tables only: nothing stored
before changes.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from alembic import op
import sqlalchemy as sa

import models.storage.db


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'situation_reports',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('incident_id', sa.String(length=36), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('level_key', sa.String(length=60), nullable=False),
        sa.Column('snapshot', sa.Text(), nullable=False),
        sa.Column('next_steps', sa.Text(), nullable=False),
        sa.Column('entered_at', models.storage.db.UTCDateTime(), nullable=False),
        sa.Column('entered_by', sa.String(length=200), nullable=False),
        sa.Column('role', sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'],
                                name=op.f('fk_situation_reports_incident_id_incidents')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_situation_reports')),
    )
    op.create_index('ix_situation_reports_incident', 'situation_reports',
                    ['incident_id', 'number'], unique=False)
    op.create_table(
        'watch_reviews',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('incident_id', sa.String(length=36), nullable=False),
        sa.Column('reviewed_at', models.storage.db.UTCDateTime(), nullable=False),
        sa.Column('seen', sa.Text(), nullable=False),
        sa.Column('next_review', sa.Date(), nullable=False),
        sa.Column('entered_at', models.storage.db.UTCDateTime(), nullable=False),
        sa.Column('entered_by', sa.String(length=200), nullable=False),
        sa.Column('role', sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'],
                                name=op.f('fk_watch_reviews_incident_id_incidents')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_watch_reviews')),
    )
    op.create_index('ix_watch_reviews_incident', 'watch_reviews',
                    ['incident_id', 'reviewed_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_watch_reviews_incident', table_name='watch_reviews')
    op.drop_table('watch_reviews')
    op.drop_index('ix_situation_reports_incident', table_name='situation_reports')
    op.drop_table('situation_reports')
