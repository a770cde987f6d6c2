"""incidents and case files

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa

import models.storage.db

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('incidents',
    sa.Column('office_code', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('started_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('ended_at', models.storage.db.UTCDateTime(), nullable=True),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('reporting_unit', sa.String(length=60), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('category_key', sa.String(length=60), nullable=False),
    sa.Column('subtype_key', sa.String(length=60), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('level_key', sa.String(length=60), nullable=False),
    sa.Column('current_stage', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('archived_at', models.storage.db.UTCDateTime(), nullable=True),
    sa.Column('playbook_version_id', sa.String(length=36), nullable=True),
    sa.Column('is_example', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', models.storage.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['playbook_version_id'], ['playbook_versions.id'], name=op.f('fk_incidents_playbook_version_id_playbook_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incidents'))
    )
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.create_index('ix_incidents_list', ['office_code', 'status', 'started_at'],
                              unique=False)
        batch_op.create_index('ix_incidents_number', ['office_code', sa.text(
            "strftime('%Y', started_at, '+8 hours')"), 'created_at', 'id'], unique=False)

    op.create_table('corrective_actions',
    sa.Column('incident_id', sa.String(length=36), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', models.storage.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_corrective_actions_incident_id_incidents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_corrective_actions'))
    )
    with op.batch_alter_table('corrective_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_corrective_actions_incident_id'), ['incident_id'], unique=False)

    op.create_table('incident_actions',
    sa.Column('incident_id', sa.String(length=36), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('group_key', sa.String(length=60), nullable=False),
    sa.Column('resources', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', models.storage.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_incident_actions_incident_id_incidents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_actions'))
    )
    with op.batch_alter_table('incident_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_actions_incident_id'), ['incident_id'], unique=False)

    op.create_table('incident_fields',
    sa.Column('incident_id', sa.String(length=36), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', models.storage.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_incident_fields_incident_id_incidents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_fields')),
    sa.UniqueConstraint('incident_id', 'key', name=op.f('uq_incident_fields_incident_id'))
    )
    op.create_table('negotiations',
    sa.Column('incident_id', sa.String(length=36), nullable=False),
    sa.Column('party', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Text(), nullable=False),
    sa.Column('agreement', sa.Text(), nullable=False),
    sa.Column('next_step', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', models.storage.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_negotiations_incident_id_incidents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_negotiations'))
    )
    with op.batch_alter_table('negotiations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_negotiations_incident_id'), ['incident_id'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('incident_id', sa.String(length=36), nullable=False),
    sa.Column('target_group', sa.String(length=60), nullable=False),
    sa.Column('member_id', sa.String(length=36), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=False),
    sa.Column('acting_for', sa.String(length=200), nullable=False),
    sa.Column('means', sa.String(length=20), nullable=False),
    sa.Column('notified_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('entered_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('entered_by', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_notifications_incident_id_incidents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_incident_id'), ['incident_id'], unique=False)

    op.create_table('statements',
    sa.Column('incident_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', models.storage.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_statements_incident_id_incidents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statements'))
    )
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statements_incident_id'), ['incident_id'], unique=False)

    op.create_table('task_states',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('incident_id', sa.String(length=36), nullable=False),
    sa.Column('stage', sa.Integer(), nullable=False),
    sa.Column('task_key', sa.String(length=60), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('remark', sa.Text(), nullable=False),
    sa.Column('entered_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('entered_by', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_task_states_incident_id_incidents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_states'))
    )
    with op.batch_alter_table('task_states', schema=None) as batch_op:
        batch_op.create_index('ix_task_states_incident', ['incident_id', 'stage', 'task_key'], unique=False)

    op.create_table('timeline',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('incident_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('event_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('entered_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_timeline_incident_id_incidents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_timeline'))
    )
    with op.batch_alter_table('timeline', schema=None) as batch_op:
        batch_op.create_index('ix_timeline_incident_event', ['incident_id', 'event_at'], unique=False)

    op.create_table('acknowledgements',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('notification_id', sa.String(length=36), nullable=False),
    sa.Column('acked_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('entered_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('entered_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], name=op.f('fk_acknowledgements_notification_id_notifications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acknowledgements'))
    )
    with op.batch_alter_table('acknowledgements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_acknowledgements_notification_id'), ['notification_id'], unique=False)

    op.create_table('statement_events',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('statement_id', sa.String(length=36), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('event', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('channel', sa.String(length=200), nullable=False),
    sa.Column('event_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('entered_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('entered_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_statement_events_statement_id_statements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_events'))
    )
    with op.batch_alter_table('statement_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_events_statement_id'), ['statement_id'], unique=False)

    op.create_table('statement_versions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('statement_id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('entered_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('entered_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_statement_versions_statement_id_statements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_versions')),
    sa.UniqueConstraint('statement_id', 'number', name=op.f('uq_statement_versions_statement_id'))
    )
    # The case archive's full-text index, written out: a migration must not change when the
    # code's current DDL does.
    op.execute("CREATE VIRTUAL TABLE case_fts USING fts5("
               "incident_id UNINDEXED, body, tokenize='trigram')")


def downgrade() -> None:
    op.execute('DROP TABLE case_fts')
    op.drop_table('statement_versions')
    with op.batch_alter_table('statement_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_events_statement_id'))

    op.drop_table('statement_events')
    with op.batch_alter_table('acknowledgements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_acknowledgements_notification_id'))

    op.drop_table('acknowledgements')
    with op.batch_alter_table('timeline', schema=None) as batch_op:
        batch_op.drop_index('ix_timeline_incident_event')

    op.drop_table('timeline')
    with op.batch_alter_table('task_states', schema=None) as batch_op:
        batch_op.drop_index('ix_task_states_incident')

    op.drop_table('task_states')
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statements_incident_id'))

    op.drop_table('statements')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_incident_id'))

    op.drop_table('notifications')
    with op.batch_alter_table('negotiations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_negotiations_incident_id'))

    op.drop_table('negotiations')
    op.drop_table('incident_fields')
    with op.batch_alter_table('incident_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_actions_incident_id'))

    op.drop_table('incident_actions')
    with op.batch_alter_table('corrective_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_corrective_actions_incident_id'))

    op.drop_table('corrective_actions')
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index('ix_incidents_number')
        batch_op.drop_index('ix_incidents_list')

    op.drop_table('incidents')
