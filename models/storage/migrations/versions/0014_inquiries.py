"""inquiries: legislators' and councillors' inquiries about an incident, with their legal clocks

An inquiry (民代關切) records who asked, how and when, and what; whether it may be a request
for favour (請託關說), then its registration with the 政風 unit; for a written interpellation
(書面質詢) the extension of its reply and the statement that answers it.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from alembic import op
import sqlalchemy as sa

import models.storage.db


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'inquiries',
        sa.Column('incident_id', sa.String(length=36), nullable=False),
        sa.Column('rep_kind', sa.String(length=20), nullable=False),
        sa.Column('rep_name', sa.String(length=200), nullable=False),
        sa.Column('rep_office', sa.String(length=200), nullable=False),
        sa.Column('contact', sa.String(length=200), nullable=False),
        sa.Column('channel', sa.String(length=30), nullable=False),
        sa.Column('received_at', models.storage.db.UTCDateTime(), nullable=False),
        sa.Column('place', sa.String(length=200), nullable=False),
        sa.Column('received_by', sa.String(length=200), nullable=False),
        sa.Column('request', sa.Text(), nullable=False),
        sa.Column('relation', sa.Text(), nullable=False),
        sa.Column('favour', sa.Boolean(), nullable=False),
        sa.Column('registered_on', sa.Date(), nullable=True),
        sa.Column('registered_with', sa.String(length=200), nullable=False),
        sa.Column('registration_no', sa.String(length=60), nullable=False),
        sa.Column('extension_reason', sa.Text(), nullable=False),
        sa.Column('reply_statement_id', sa.String(length=36), nullable=True),
        sa.Column('reply', sa.Text(), nullable=False),
        sa.Column('replied_at', models.storage.db.UTCDateTime(), nullable=True),
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('created_at', models.storage.db.UTCDateTime(), nullable=False),
        sa.Column('updated_at', models.storage.db.UTCDateTime(), nullable=False),
        sa.Column('updated_by', sa.String(length=200), nullable=False),
        sa.Column('row_version', sa.Integer(), nullable=False),
        sa.Column('deleted_at', models.storage.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'],
                                name=op.f('fk_inquiries_incident_id_incidents')),
        sa.ForeignKeyConstraint(['reply_statement_id'], ['statements.id'],
                                name=op.f('fk_inquiries_reply_statement_id_statements')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inquiries')),
    )
    with op.batch_alter_table('inquiries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inquiries_incident_id'), ['incident_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('inquiries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inquiries_incident_id'))
    op.drop_table('inquiries')
