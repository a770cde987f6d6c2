"""incidents, drills: the 公文 header of a record's forms (檔號, 保存年限, 速別, 密等, 解密條件)

Five text columns on each, empty where nobody chose: the rule of models.playbook.records then
decides when a form is printed, so existing records print the defaults.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-08
"""

from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

COLUMNS = (('doc_file_number', 60), ('doc_retention', 20), ('doc_speed', 20),
           ('doc_classification', 20), ('doc_declassify', 200))


def upgrade() -> None:
    # Added in place, not by a batch copy: a copy of incidents would rebuild the case-number
    # index, whose expression SQLite then stores in another spelling (as 0017 says).
    for table in ('incidents', 'drills'):
        for name, length in COLUMNS:
            op.add_column(table, sa.Column(name, sa.String(length=length), nullable=False,
                                           server_default=''))


def downgrade() -> None:
    for table in ('drills', 'incidents'):
        for name, _length in reversed(COLUMNS):
            op.drop_column(table, name)
