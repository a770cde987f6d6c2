"""drills: live drills (the drill incident, the injects and their releases and deliveries)

A drill is run live: the planning group starts it, which opens a drill incident for the
drilled unit (incidents.drill_id names the drill; a real incident has none), and releases the
scenario's injects to it; the drill's start and end are kept on the drill. An inject and its
events are insert-only, as a timeline is. Existing rows keep every value: incidents are real
(drill_id NULL) and drills were not run live (no start, no end).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from alembic import op
import sqlalchemy as sa

import models.storage.db


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('drills', schema=None) as batch_op:
        batch_op.add_column(sa.Column('started_at', models.storage.db.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('ended_at', models.storage.db.UTCDateTime(),
                                      nullable=True))
    # Added in place, not by a batch copy of the table: a copy would rebuild the case-number
    # index, whose expression SQLite then stores in another spelling.
    op.add_column('incidents', sa.Column('drill_id', sa.String(length=36), nullable=True))
    op.create_index(op.f('ix_incidents_drill_id'), 'incidents', ['drill_id'], unique=False)
    op.create_table(
        'drill_injects',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('drill_id', sa.String(length=36), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('offset_minutes', sa.Integer(), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('origin', sa.String(length=20), nullable=False),
        sa.Column('created_at', models.storage.db.UTCDateTime(), nullable=False),
        sa.Column('created_by', sa.String(length=200), nullable=False),
        sa.Column('role', sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(['drill_id'], ['drills.id'],
                                name=op.f('fk_drill_injects_drill_id_drills')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_drill_injects')),
    )
    with op.batch_alter_table('drill_injects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_drill_injects_drill_id'), ['drill_id'],
                              unique=False)
    op.create_table(
        'drill_inject_events',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('inject_id', sa.String(length=36), nullable=False),
        sa.Column('drill_id', sa.String(length=36), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('at', models.storage.db.UTCDateTime(), nullable=False),
        sa.Column('entered_by', sa.String(length=200), nullable=False),
        sa.Column('role', sa.String(length=40), nullable=False),
        sa.Column('unit_key', sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(['drill_id'], ['drills.id'],
                                name=op.f('fk_drill_inject_events_drill_id_drills')),
        sa.ForeignKeyConstraint(['inject_id'], ['drill_injects.id'],
                                name=op.f('fk_drill_inject_events_inject_id_drill_injects')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_drill_inject_events')),
    )
    with op.batch_alter_table('drill_inject_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_drill_inject_events_drill_id'), ['drill_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_drill_inject_events_inject_id'), ['inject_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('drill_inject_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_drill_inject_events_inject_id'))
        batch_op.drop_index(batch_op.f('ix_drill_inject_events_drill_id'))
    op.drop_table('drill_inject_events')
    with op.batch_alter_table('drill_injects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_drill_injects_drill_id'))
    op.drop_table('drill_injects')
    op.drop_index(op.f('ix_incidents_drill_id'), table_name='incidents')
    op.drop_column('incidents', 'drill_id')
    with op.batch_alter_table('drills', schema=None) as batch_op:
        batch_op.drop_column('ended_at')
        batch_op.drop_column('started_at')
