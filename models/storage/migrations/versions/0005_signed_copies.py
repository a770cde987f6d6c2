"""signed copies: scans of printed, signed forms, matched to the record version by their code

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa

import models.storage.db

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('signed_copies',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('record_kind', sa.String(length=30), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('typed_code', sa.String(length=20), nullable=False),
    sa.Column('matched_version', sa.Integer(), nullable=True),
    sa.Column('attached_at', models.storage.db.UTCDateTime(), nullable=False),
    sa.Column('attached_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signed_copies'))
    )
    with op.batch_alter_table('signed_copies', schema=None) as batch_op:
        batch_op.create_index('ix_signed_copies_record', ['record_kind', 'record_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('signed_copies', schema=None) as batch_op:
        batch_op.drop_index('ix_signed_copies_record')

    op.drop_table('signed_copies')
