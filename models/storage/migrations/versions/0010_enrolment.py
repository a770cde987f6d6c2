"""sync: the office authority, trust records and refused changes; where sign-offs were made

A PC pins the office authority's public key (sync_device.authority_key), keeps the signed trust
records (enrolments, revocations, seals, requests to join) it made or read in the share, and
keeps every change another PC signed that the office's rules refuse, as evidence. See
docs/trust.md.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from alembic import op
import sqlalchemy as sa

import models.storage.db


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Where a report's or an evaluation's event (a sign-off) was entered: login and PC.
    for table in ('drill_report_events', 'drill_evaluation_events'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('login', sa.String(length=200), nullable=False,
                                          server_default=''))
            batch_op.add_column(sa.Column('pc', sa.String(length=200), nullable=False,
                                          server_default=''))
    with op.batch_alter_table('sync_device', schema=None) as batch_op:
        batch_op.add_column(sa.Column('authority_key', sa.LargeBinary(), nullable=True))
    op.create_table(
        'sync_trust_records',
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('published', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('sha256', name=op.f('pk_sync_trust_records')),
    )
    op.create_table(
        'sync_refused',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('device', sa.String(length=36), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('tbl', sa.String(length=80), nullable=False),
        sa.Column('row_id', sa.String(length=36), nullable=False),
        sa.Column('author', sa.String(length=200), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('change', sa.Text(), nullable=False),
        sa.Column('refused_at', models.storage.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_refused')),
    )


def downgrade() -> None:
    op.drop_table('sync_refused')
    op.drop_table('sync_trust_records')
    with op.batch_alter_table('sync_device', schema=None) as batch_op:
        batch_op.drop_column('authority_key')
    for table in ('drill_evaluation_events', 'drill_report_events'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('pc')
            batch_op.drop_column('login')
