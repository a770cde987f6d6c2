"""notifications: the outcome of each attempt (told, left a message, no answer, will call back)

A call that nobody answered was recorded like one that reached the person, so the printed
通報單 read as if the holder had been told. Every notification recorded before this revision
did reach its recipient as far as anyone recorded, so they become 'reached'.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outcome', sa.String(length=20), nullable=False,
                                      server_default='reached'))


def downgrade() -> None:
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('outcome')
