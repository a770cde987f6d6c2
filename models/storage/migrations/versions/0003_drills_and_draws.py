"""drills and draws

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

The drill of each month (a synced record) and the draws of its unit (an insert-only audit
record). Nothing of the incident tables changes.
"""

from alembic import op
import sqlalchemy as sa

import models.storage.db

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('drill_draws',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('office_code', sa.String(length=40), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('candidates', sa.Text(), nullable=False),
    sa.Column('excluded', sa.Text(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('result_unit_key', sa.String(length=60), nullable=False),
    sa.Column('drawn_by', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('drawn_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('redraw_of', sa.String(length=36), nullable=True),
    sa.Column('redraw_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['redraw_of'], ['drill_draws.id'], name=op.f('fk_drill_draws_redraw_of_drill_draws')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drill_draws'))
    )
    with op.batch_alter_table('drill_draws', schema=None) as batch_op:
        batch_op.create_index('ix_drill_draws_office_month', ['office_code', 'month'], unique=False)

    op.create_table('drills',
    sa.Column('office_code', sa.String(length=40), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('unit_key', sa.String(length=60), nullable=False),
    sa.Column('category_key', sa.String(length=60), nullable=False),
    sa.Column('scenario_key', sa.String(length=60), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('planned_at', models.storage.db.UTCDateTime(), nullable=True),
    sa.Column('held_at', models.storage.db.UTCDateTime(), nullable=True),
    sa.Column('playbook_version_id', sa.String(length=36), nullable=True),
    sa.Column('draw_id', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', models.storage.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['draw_id'], ['drill_draws.id'], name=op.f('fk_drills_draw_id_drill_draws')),
    sa.ForeignKeyConstraint(['playbook_version_id'], ['playbook_versions.id'], name=op.f('fk_drills_playbook_version_id_playbook_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drills'))
    )
    with op.batch_alter_table('drills', schema=None) as batch_op:
        batch_op.create_index('ix_drills_office_month', ['office_code', 'month'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('drills', schema=None) as batch_op:
        batch_op.drop_index('ix_drills_office_month')

    op.drop_table('drills')
    with op.batch_alter_table('drill_draws', schema=None) as batch_op:
        batch_op.drop_index('ix_drill_draws_office_month')

    op.drop_table('drill_draws')
