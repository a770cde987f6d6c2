"""sync_device: the PC's signing key

Segments are signed from this revision on (format version 2): each PC keeps an Ed25519 key
beside its sync identity, and its device id derives from the key's public half. A database
upgraded here has no key yet: it gets one when it is next opened (an identity that has packed
no segment), or at its next sync (one that has: a new identity, its old segments staying
under the old one). See docs/trust.md.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sync_device', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signing_key', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sync_device', schema=None) as batch_op:
        batch_op.drop_column('signing_key')
