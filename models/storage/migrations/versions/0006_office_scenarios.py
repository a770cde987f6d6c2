"""office scenarios: drill scenarios an office made from its own archived cases

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa

import models.storage.db

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('office_scenarios',
    sa.Column('office_code', sa.String(length=40), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('category_key', sa.String(length=60), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('source_incident_id', sa.String(length=36), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', models.storage.db.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_scenarios')),
    sa.UniqueConstraint('office_code', 'key', name=op.f('uq_office_scenarios_office_code'))
    )


def downgrade() -> None:
    op.drop_table('office_scenarios')
