"""incidents: the decision log, and stage 3's actions as its tasks (owner, due time, decision)

A decision records when, who decided and as what (and for whom, 代), on what basis, the
options weighed and who recorded it. The handling actions of stage 3 become the tasks of the
board: each gains an owner, a due time and the decision that gave it. An action recorded
before keeps every value and takes the new columns' defaults (no owner, no due time, no
decision): nothing is copied or made here, since a row a migration made on each PC would be
a different record on every PC (docs/sync.md), and the plan confirmation of stage 2 stays in
its fields (the log reads it from there: models.incidents.decisions).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from alembic import op
import sqlalchemy as sa

import models.storage.db


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'decisions',
        sa.Column('incident_id', sa.String(length=36), nullable=False),
        sa.Column('decided_at', models.storage.db.UTCDateTime(), nullable=False),
        sa.Column('decided_by', sa.String(length=200), nullable=False),
        sa.Column('post', sa.String(length=40), nullable=False),
        sa.Column('acting_for', sa.String(length=200), nullable=False),
        sa.Column('basis', sa.Text(), nullable=False),
        sa.Column('options', sa.Text(), nullable=False),
        sa.Column('decision', sa.Text(), nullable=False),
        sa.Column('recorded_by', sa.String(length=200), nullable=False),
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('created_at', models.storage.db.UTCDateTime(), nullable=False),
        sa.Column('updated_at', models.storage.db.UTCDateTime(), nullable=False),
        sa.Column('updated_by', sa.String(length=200), nullable=False),
        sa.Column('row_version', sa.Integer(), nullable=False),
        sa.Column('deleted_at', models.storage.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'],
                                name=op.f('fk_decisions_incident_id_incidents')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions')),
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_incident_id'), ['incident_id'],
                              unique=False)
    with op.batch_alter_table('incident_actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner', sa.String(length=200), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('due_at', models.storage.db.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('decision_id', sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('incident_actions', schema=None) as batch_op:
        batch_op.drop_column('decision_id')
        batch_op.drop_column('due_at')
        batch_op.drop_column('owner')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_incident_id'))
    op.drop_table('decisions')
