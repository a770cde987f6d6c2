"""drill reports and evaluations

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24

The drill report form (危機管理演練報告表) of a drill with its content versions and its
sign-off events, and the planning group's evaluation with its ratings, corrective actions and
its sign-off and circulation events. Nothing of the incident or drill tables changes.
"""

from alembic import op
import sqlalchemy as sa

import models.storage.db

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('drill_reports',
    sa.Column('drill_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', models.storage.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['drill_id'], ['drills.id'], name=op.f('fk_drill_reports_drill_id_drills')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drill_reports'))
    )
    with op.batch_alter_table('drill_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_drill_reports_drill_id'), ['drill_id'], unique=False)

    op.create_table('drill_evaluations',
    sa.Column('drill_id', sa.String(length=36), nullable=False),
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('report_version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('ratings', sa.Text(), nullable=False),
    sa.Column('level_key', sa.String(length=60), nullable=False),
    sa.Column('inject_at', models.storage.db.UTCDateTime(), nullable=True),
    sa.Column('notified_at', models.storage.db.UTCDateTime(), nullable=True),
    sa.Column('notify_minutes', sa.Integer(), nullable=True),
    sa.Column('notify_within', sa.Boolean(), nullable=True),
    sa.Column('strengths', sa.Text(), nullable=False),
    sa.Column('improvements', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', models.storage.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['drill_id'], ['drills.id'], name=op.f('fk_drill_evaluations_drill_id_drills')),
    sa.ForeignKeyConstraint(['report_id'], ['drill_reports.id'], name=op.f('fk_drill_evaluations_report_id_drill_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drill_evaluations'))
    )
    with op.batch_alter_table('drill_evaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_drill_evaluations_drill_id'), ['drill_id'], unique=False)

    op.create_table('drill_report_events',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('as_role', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('deputy_for', sa.String(length=200), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('entered_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('entered_by', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['drill_reports.id'], name=op.f('fk_drill_report_events_report_id_drill_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drill_report_events'))
    )
    with op.batch_alter_table('drill_report_events', schema=None) as batch_op:
        batch_op.create_index('ix_drill_report_events_report', ['report_id', 'entered_at'], unique=False)

    op.create_table('drill_report_versions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('saved_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('saved_by', sa.String(length=200), nullable=False),
    sa.Column('submitted_at', models.storage.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['drill_reports.id'], name=op.f('fk_drill_report_versions_report_id_drill_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drill_report_versions')),
    sa.UniqueConstraint('report_id', 'number', name=op.f('uq_drill_report_versions_report_id'))
    )
    op.create_table('drill_corrective_actions',
    sa.Column('evaluation_id', sa.String(length=36), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', models.storage.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['evaluation_id'], ['drill_evaluations.id'], name=op.f('fk_drill_corrective_actions_evaluation_id_drill_evaluations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drill_corrective_actions'))
    )
    with op.batch_alter_table('drill_corrective_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_drill_corrective_actions_evaluation_id'), ['evaluation_id'], unique=False)

    op.create_table('drill_evaluation_events',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('evaluation_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('as_role', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('deputy_for', sa.String(length=200), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('unit_key', sa.String(length=60), nullable=False),
    sa.Column('entered_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('entered_by', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['drill_evaluations.id'], name=op.f('fk_drill_evaluation_events_evaluation_id_drill_evaluations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drill_evaluation_events'))
    )
    with op.batch_alter_table('drill_evaluation_events', schema=None) as batch_op:
        batch_op.create_index('ix_drill_evaluation_events_evaluation', ['evaluation_id', 'entered_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('drill_evaluation_events', schema=None) as batch_op:
        batch_op.drop_index('ix_drill_evaluation_events_evaluation')

    op.drop_table('drill_evaluation_events')
    with op.batch_alter_table('drill_corrective_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_drill_corrective_actions_evaluation_id'))

    op.drop_table('drill_corrective_actions')
    op.drop_table('drill_report_versions')
    with op.batch_alter_table('drill_report_events', schema=None) as batch_op:
        batch_op.drop_index('ix_drill_report_events_report')

    op.drop_table('drill_report_events')
    with op.batch_alter_table('drill_evaluations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_drill_evaluations_drill_id'))

    op.drop_table('drill_evaluations')
    with op.batch_alter_table('drill_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_drill_reports_drill_id'))

    op.drop_table('drill_reports')